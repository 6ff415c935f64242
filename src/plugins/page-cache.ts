import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';

interface Entry {
  version: number;
  body: Buffer;
  etag: string;
}

/** What a page may depend on besides the content: the day (UTC, ISO `YYYY-MM-DD`) it is rendered for. */
export interface RenderDay {
  today: string;
}

export interface PageCache {
  /**
   * Serves a public page from memory while the content version is unchanged and the day is the
   * one it was rendered for; otherwise renders it, stores it and sends it. Pages must not depend
   * on who is asking; what depends on time (derived statuses, what is overdue) must depend only
   * on the day given to `render`, so a stored page is exact for as long as it is served.
   */
  serve(request: FastifyRequest, reply: FastifyReply, render: (day: RenderDay) => Promise<string> | string): Promise<FastifyReply>;
  /** Today (UTC, ISO) by the app's clock: for pages outside the cache that show the same statuses. */
  today(): string;
  clear(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    pageCache: PageCache;
  }
}

/** The UTC day of an instant, ISO `YYYY-MM-DD`. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Pages served from memory (hits) or rendered (misses) in this process, for /metrics (plugins/metrics.ts). */
export const pageCacheCounts = { hits: 0, misses: 0 };

export function createPageCache(readVersion: () => Promise<number>, maxEntries: number, now: () => Date = () => new Date()): PageCache {
  const lru = maxEntries > 0 ? new LRUCache<string, Entry>({ max: maxEntries }) : undefined;
  const send = (request: FastifyRequest, reply: FastifyReply, entry: Entry) => {
    reply.header('etag', entry.etag).header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    if (request.headers['if-none-match'] === entry.etag) return reply.code(304).send();
    return reply.code(200).send(entry.body);
  };
  return {
    async serve(request, reply, render) {
      const version = await readVersion();
      // Pages depend on the day (derived statuses, what is overdue): the day is part of the key,
      // and the page is rendered for that same day, so no page outlives the day it describes.
      const today = dayOf(now());
      const key = `${today} ${request.url}`;
      const hit = lru?.get(key);
      pageCacheCounts[hit && hit.version === version ? 'hits' : 'misses']++;
      if (hit && hit.version === version) return send(request, reply, hit);
      const body = Buffer.from(await render({ today }));
      const etag = `"${version.toString(36)}-${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
      const entry: Entry = { version, body, etag };
      lru?.set(key, entry);
      return send(request, reply, entry);
    },
    today() {
      return dayOf(now());
    },
    clear() {
      lru?.clear();
    },
  };
}

export default fp(async function pageCache(app: FastifyInstance, opts: { readVersion: () => Promise<number>; maxEntries: number; now?: (() => Date) | undefined }) {
  app.decorate('pageCache', createPageCache(opts.readVersion, opts.maxEntries, opts.now));
});
