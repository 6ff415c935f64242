import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Executor } from '../../db/database.js';
import { currentContentVersion } from '../../db/content-version.js';

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

  /** Renders under way, by version and key: a request arriving meanwhile waits for the same one. */
  private readonly pending = new Map<string, Promise<Entry>>();
  /** Renders done (not served from memory), for tests and measurements. */
  rendered = 0;

  async serve(request: FastifyRequest, reply: FastifyReply, key: string, type: string, render: () => Promise<Buffer | string>): Promise<FastifyReply> {
    const version = await currentContentVersion(this.db);
    let entry = this.lru.get(key);
    if (!entry || entry.version !== version) entry = await this.renderOnce(key, version, render);
    reply.header('etag', entry.etag).header('cache-control', 'no-cache').type(type);
    if (request.headers['if-none-match'] === entry.etag) return reply.code(304).send();
    return reply.code(200).send(entry.body);
  }

  private async renderOnce(key: string, version: number, render: () => Promise<Buffer | string>): Promise<Entry> {
    const pendingKey = `${version} ${key}`;
    const pending = this.pending.get(pendingKey);
    if (pending) return pending;
    const making = (async () => {
      const rendered = await render();
      this.rendered++;
      const body = typeof rendered === 'string' ? Buffer.from(rendered) : rendered;
      const entry: Entry = { version, body, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"` };
      this.lru.set(key, entry);
      return entry;
    })();
    this.pending.set(pendingKey, making);
    try {
      return await making;
    } finally {
      this.pending.delete(pendingKey);
    }
  }

  /**
   * A value computed once per content version and shared by every caller (the sitemap's path
   * list, read by the index and each child file): concurrent callers wait for the same computation.
   */
  /** Memo computations run (not shared), for tests and measurements. */
  computed = 0;
  private readonly memos = new Map<string, { version: number; value: Promise<unknown> }>();
  async memo<T>(name: string, compute: () => Promise<T>): Promise<T> {
    const version = await currentContentVersion(this.db);
    const held = this.memos.get(name);
    if (held && held.version === version) return held.value as Promise<T>;
    const value = compute();
    this.computed++;
    this.memos.set(name, { version, value });
    // A failed computation is not kept: the next request tries again.
    value.catch(() => {
      if (this.memos.get(name)?.value === value) this.memos.delete(name);
    });
    return value;
  }

  clear(): void {
    this.memos.clear();
    this.lru.clear();
  }
}
