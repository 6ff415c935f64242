import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Brotli quality of stored pages: compressed once when a page is stored, sent many times. On
 * Gjakova's commitment page (21 KB of HTML) quality 5 took 0.3 ms for 4.8 KB, the same size as
 * qualities 6 to 9 (9 took 87 ms); 11 gives 4.1 KB in 31 ms, too slow for the render path
 * (`tsx bench/compression.ts`, 2026-12-05, on a busy two-core machine).
 */
export const BROTLI_QUALITY = 5;
/** gzip level of stored pages, for clients that do not take brotli. */
export const GZIP_LEVEL = 6;

/** How a stored page is sent: as rendered, or compressed (the Content-Encoding). */
export type Coding = 'br' | 'gzip' | 'identity';

/** One representation of a page: its bytes and its (strong) ETag, distinct per coding. */
interface Variant {
  body: Buffer;
  etag: string;
}

interface Entry {
  version: number;
  variants: Record<Coding, Variant>;
  /**
   * The headers the app sent with this page (security headers, type, cache policy), taken from its
   * first response; with them the front (`CachedPageFront`) sends the page without the framework.
   * Per coding, with that coding's ETag, Content-Encoding and Content-Length. Unset until then, or
   * when the response set a cookie (never replayed to someone else).
   */
  front?: Record<Coding, OutgoingHttpHeaders> | false;
}

/** Headers that belong to one response or one representation, not to the page. */
const PER_RESPONSE = new Set(['content-length', 'content-encoding', 'etag', 'vary', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'strict-transport-security']);

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
   * Each page is stored as rendered and compressed (brotli, gzip), and sent as the request's
   * Accept-Encoding prefers.
   */
  serve(request: FastifyRequest, reply: FastifyReply, render: (day: RenderDay) => Promise<string> | string): Promise<FastifyReply>;
  /** Today (UTC, ISO) by the app's clock: for pages outside the cache that show the same statuses. */
  today(): string;
  clear(): void;
  /** The stored page for a raw request, when the front may send it (a GET or HEAD of a stored URL, today, headers known). */
  lookup(url: string): Entry | undefined;
  /** After the app answered a request that `serve` handled: keeps the headers it sent, for the front. */
  remember(request: FastifyRequest, headers: OutgoingHttpHeaders, statusCode: number): void;
  readVersion: () => Promise<number>;
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
/** Preference among equally weighted codings: the smallest first. */
const RANK: Record<Coding, number> = { br: 3, gzip: 2, identity: 1 };

/**
 * The coding to send for an Accept-Encoding header (RFC 9110 §12.5.3): the acceptable one with the
 * highest q-value, brotli before gzip before identity when equal. `*` stands for every coding not
 * named; identity is acceptable unless refused (`identity;q=0`, or `*;q=0` without naming it); when
 * nothing offered is acceptable, identity is sent anyway (rather than a 406). No header: identity.
 */
export function negotiateEncoding(header: string | undefined): Coding {
  if (!header) return 'identity';
  const q: Partial<Record<Coding | '*', number>> = {};
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    const coding = name === 'x-gzip' ? 'gzip' : name;
    if (coding !== 'br' && coding !== 'gzip' && coding !== 'identity' && coding !== '*') continue;
    let weight = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (match) weight = Math.min(1, Number(match[1]) || 0);
    }
    q[coding] = Math.max(weight, q[coding] ?? 0);
  }
  const weightOf = (coding: Coding): number => q[coding] ?? (coding === 'identity' ? (q['*'] === 0 ? 0 : Math.max(q['*'] ?? 0.001, 0.001)) : (q['*'] ?? 0));
  let best: Coding = 'identity';
  let bestWeight = -1;
  for (const coding of ['br', 'gzip', 'identity'] as const) {
    const weight = weightOf(coding);
    if (weight > 0 && (weight > bestWeight || (weight === bestWeight && RANK[coding] > RANK[best]))) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

/** Accept-Encoding headers are few (one per kind of browser): their answers are remembered. */
const negotiated = new Map<string, Coding>();
function codingFor(header: string | undefined): Coding {
  if (!header) return 'identity';
  let coding = negotiated.get(header);
  if (coding === undefined) {
    coding = negotiateEncoding(header);
    if (negotiated.size >= 500) negotiated.clear();
    negotiated.set(header, coding);
  }
  return coding;
}

/** Whether If-None-Match names this ETag (a list, `*`, or the weak form of it). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch === etag) return true;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/** A rendered page as stored: its three representations, compressed once here. */
export async function storedVariants(body: Buffer, version: number): Promise<Record<Coding, Variant>> {
  const [br, gz] = await Promise.all([
    brotli(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    gzipped(body, { level: GZIP_LEVEL }),
  ]);
  const tag = `${version.toString(36)}-${createHash('sha1').update(body).digest('base64url').slice(0, 16)}`;
  return {
    identity: { body, etag: `"${tag}"` },
    br: { body: br, etag: `"${tag}-br"` },
    gzip: { body: gz, etag: `"${tag}-gz"` },
  };
}

export function createPageCache(readVersion: () => Promise<number>, maxEntries: number, now: () => Date = () => new Date()): PageCache {
  const lru = maxEntries > 0 ? new LRUCache<string, Entry>({ max: maxEntries }) : undefined;
  /** The entry each request was answered from (or stored into), until its response is sent. */
  const answered = new WeakMap<FastifyRequest, Entry>();
  const send = (request: FastifyRequest, reply: FastifyReply, entry: Entry, coding: Coding = codingFor(request.headers['accept-encoding'])) => {
    const variant = entry.variants[coding];
    if (entry.front === undefined) answered.set(request, entry);
    reply.header('etag', variant.etag).header('cache-control', 'no-cache').header('vary', 'Accept-Encoding').type('text/html; charset=utf-8');
    if (coding !== 'identity') reply.header('content-encoding', coding);
    if (matches(request.headers['if-none-match'], variant.etag)) return reply.code(304).send();
    return reply.code(200).send(variant.body);
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
      if (!lru) {
        // No cache: nothing is stored, so nothing is compressed ahead (sent as rendered).
        const plain: Variant = { body, etag: `"${version.toString(36)}-${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"` };
        return send(request, reply, { version, variants: { identity: plain, br: plain, gzip: plain } }, 'identity');
      }
      const entry: Entry = { version, variants: await storedVariants(body, version) };
      lru.set(key, entry);
      return send(request, reply, entry);
    },
    today() {
      return dayOf(now());
    },
    clear() {
      lru?.clear();
    },
    lookup(url) {
      const entry = lru?.get(`${dayOf(now())} ${url}`);
      return entry?.front ? entry : undefined;
    },
    remember(request, headers, statusCode) {
      const entry = answered.get(request);
      if (!entry || entry.front !== undefined || (statusCode !== 200 && statusCode !== 304)) return;
      if (headers['set-cookie'] !== undefined) {
        entry.front = false;
        return;
      }
      const common: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(headers)) if (value !== undefined && !PER_RESPONSE.has(name.toLowerCase())) common[name] = value;
      const per = (coding: Coding): OutgoingHttpHeaders => {
        const variant = entry.variants[coding];
        return { ...common, etag: variant.etag, vary: 'Accept-Encoding', ...(coding === 'identity' ? {} : { 'content-encoding': coding }), 'content-length': variant.body.length };
      };
      entry.front = { identity: per('identity'), br: per('br'), gzip: per('gzip') };
    },
    readVersion,
  };
}

/**
 * The front of the page cache: the HTTP server's first look at each request (Fastify's
 * `serverFactory`). A GET or HEAD of a page the cache holds for today, at the current content
 * version, is sent from memory with the headers the app sent the first time, without going through
 * the framework's routing and hooks; everything else goes to the app. Cached pages are the same
 * for everyone, so nothing of the request matters but its URL, Accept-Encoding and If-None-Match.
 * Two exceptions go to the app: a request carrying X-Forwarded-Proto (HSTS then depends on the
 * trusted proxy, which only the app knows: with an https BESA_PUBLIC_URL HSTS is always sent, so
 * the front serves those too), and every request while the log level is `debug` or finer (one log
 * line per request). From the moment the app starts closing, the front steps aside (the app
 * answers 503 and drains).
 */
export class CachedPageFront {
  private cache: PageCache | undefined;
  private hsts = false;
  private closed = false;
  private enabled = true;

  /** Fastify's `serverFactory`: a node:http server whose requests pass the front first. */
  readonly serverFactory = (handler: (request: IncomingMessage, response: ServerResponse) => void): Server =>
    createServer((request, response) => {
      if (this.cache === undefined || this.closed || (request.method !== 'GET' && request.method !== 'HEAD')) return handler(request, response);
      const entry = this.cache.lookup(request.url ?? '');
      if (entry === undefined) return handler(request, response);
      if (request.headers['x-forwarded-proto'] !== undefined && !this.hsts) return handler(request, response);
      void this.send(entry, request, response, handler);
    });

  attach(cache: PageCache, options: { https: boolean; enabled: boolean }): void {
    this.cache = cache;
    this.hsts = options.https;
    this.enabled = options.enabled;
    if (!this.enabled) this.cache = undefined;
  }

  close(): void {
    this.closed = true;
  }

  private async send(entry: Entry, request: IncomingMessage, response: ServerResponse, handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<void> {
    let version: number;
    try {
      version = await this.cache!.readVersion();
    } catch {
      return handler(request, response);
    }
    const front = entry.front;
    if (version !== entry.version || !front || this.closed) return handler(request, response);
    pageCacheCounts.hits++;
    const coding = codingFor(request.headers['accept-encoding']);
    const headers = front[coding];
    const hsts = this.hsts ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : undefined;
    if (matches(request.headers['if-none-match'], entry.variants[coding].etag)) {
      const { 'content-length': _length, ...rest } = headers;
      response.writeHead(304, hsts ? { ...rest, ...hsts } : rest).end();
      return;
    }
    response.writeHead(200, hsts ? { ...headers, ...hsts } : headers);
    response.end(request.method === 'HEAD' ? undefined : entry.variants[coding].body);
  }
}

export default fp(async function pageCache(
  app: FastifyInstance,
  opts: { readVersion: () => Promise<number>; maxEntries: number; now?: (() => Date) | undefined; front?: CachedPageFront | undefined; https?: boolean; logsEveryRequest?: boolean },
) {
  const cache = createPageCache(opts.readVersion, opts.maxEntries, opts.now);
  app.decorate('pageCache', cache);
  if (opts.front) {
    // With a log line per request (debug, trace), every request goes through the app.
    opts.front.attach(cache, { https: opts.https ?? false, enabled: !opts.logsEveryRequest });
    app.addHook('onResponse', async (request, reply) => cache.remember(request, reply.getHeaders() as OutgoingHttpHeaders, reply.statusCode));
    app.addHook('preClose', async () => opts.front!.close());
  }
});
