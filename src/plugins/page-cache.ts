import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';

interface Entry {
  version: number;
  body: Buffer;
  etag: string;
}

export interface PageCache {
  /**
   * Serves a public page from memory while the content version is unchanged; otherwise renders
   * it, stores it and sends it. Pages must not depend on who is asking.
   */
  serve(request: FastifyRequest, reply: FastifyReply, render: () => Promise<string> | string): Promise<FastifyReply>;
  clear(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    pageCache: PageCache;
  }
}

export function createPageCache(readVersion: () => Promise<number>, maxEntries: number): PageCache {
  const lru = maxEntries > 0 ? new LRUCache<string, Entry>({ max: maxEntries }) : undefined;
  const send = (request: FastifyRequest, reply: FastifyReply, entry: Entry) => {
    reply.header('etag', entry.etag).header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    if (request.headers['if-none-match'] === entry.etag) return reply.code(304).send();
    return reply.code(200).send(entry.body);
  };
  return {
    async serve(request, reply, render) {
      const version = await readVersion();
      // Pages may depend on the day (what is overdue), so the day is part of the key.
      const key = `${new Date().toISOString().slice(0, 10)} ${request.url}`;
      const hit = lru?.get(key);
      if (hit && hit.version === version) return send(request, reply, hit);
      const body = Buffer.from(await render());
      const etag = `"${version.toString(36)}-${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
      const entry: Entry = { version, body, etag };
      lru?.set(key, entry);
      return send(request, reply, entry);
    },
    clear() {
      lru?.clear();
    },
  };
}

export default fp(async function pageCache(app: FastifyInstance, opts: { readVersion: () => Promise<number>; maxEntries: number }) {
  app.decorate('pageCache', createPageCache(opts.readVersion, opts.maxEntries));
});
