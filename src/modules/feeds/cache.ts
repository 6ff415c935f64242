import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Executor } from '../../db/database.js';
import { readContentVersion } from '../../db/content-version.js';

interface Entry {
  version: number;
  body: Buffer;
  etag: string;
}

/**
 * The page cache's rule (docs/adr/0003) for what is not an HTML page (feeds, sitemaps, robots.txt,
 * share images): stored bytes are served while the content version is unchanged, with an ETag and
 * 304 (the ETag is the bytes' hash, so an unchanged image keeps its ETag across versions). A
 * render that throws NotFoundError is a 404 page. Nothing here depends on the day, so the version alone keys an entry.
 */
export class VersionedCache {
  private readonly lru: LRUCache<string, Entry>;

  constructor(
    private readonly db: Executor,
    max = 2_000,
    /** Bytes kept at most (a sitemap at OGP scale is tens of MiB); a larger document is sent, not kept. */
    maxBytes = 128 * 1024 * 1024,
  ) {
    this.lru = new LRUCache<string, Entry>({ max, maxSize: maxBytes, sizeCalculation: (entry) => Math.max(1, entry.body.length) });
  }

  async serve(request: FastifyRequest, reply: FastifyReply, key: string, type: string, render: () => Promise<Buffer | string>): Promise<FastifyReply> {
    const version = await readContentVersion(this.db);
    let entry = this.lru.get(key);
    if (!entry || entry.version !== version) {
      const rendered = await render();
      const body = typeof rendered === 'string' ? Buffer.from(rendered) : rendered;
      entry = { version, body, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"` };
      this.lru.set(key, entry);
    }
    reply.header('etag', entry.etag).header('cache-control', 'no-cache').type(type);
    if (request.headers['if-none-match'] === entry.etag) return reply.code(304).send();
    return reply.code(200).send(entry.body);
  }

  clear(): void {
    this.lru.clear();
  }
}
