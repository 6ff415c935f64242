import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** What a log line writes in place of a one-time token (invitation, password reset, setup link). */
export const TOKEN_PLACEHOLDER = '[token]';
/** Route parameters whose value is a secret: never written to a log. */
const SECRET_PARAMS = new Set(['token']);
/** Above this a request is logged at info even when it succeeded. */
const SLOW_MS = 500;

function segmentsOf(path: string): string[] {
  return path.replace(/\/+$/, '').split('/');
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The path a log line shows for a request: no query string (searches), and every path segment that
 * holds a one-time token replaced by `[token]`. The routes whose pattern has a secret parameter
 * (`/:locale/invitations/:token` …) are collected as they are added (see the plugin below), so a
 * new route with a `:token` parameter is covered without naming it here. The path is matched
 * against those patterns whatever the method and even when no route answered (a 404 or 405 on a
 * still-valid invitation link must not write it either); a longer path is matched by its prefix.
 */
export class LogPaths {
  private readonly patterns: Array<{ segments: string[]; secret: number[] }> = [];
  private readonly seen = new Set<string>();

  addRoute(url: string): void {
    if (this.seen.has(url)) return;
    this.seen.add(url);
    const segments = segmentsOf(url);
    const secret = segments.flatMap((s, i) => (s.startsWith(':') && SECRET_PARAMS.has(s.slice(1)) ? [i] : []));
    if (secret.length > 0) this.patterns.push({ segments, secret });
  }

  /** `url` is a request's URL as received (path and query string). */
  path(url: string): string {
    const path = url.split('?')[0] ?? '';
    if (this.patterns.length === 0) return path;
    const actual = path.split('/');
    let redacted: string[] | undefined;
    for (const { segments, secret } of this.patterns) {
      if (actual.length < segments.length) continue;
      const matches = segments.every((s, i) => s.startsWith(':') || s === actual[i] || s === decoded(actual[i] ?? ''));
      if (!matches) continue;
      redacted ??= [...actual];
      for (const i of secret) redacted[i] = TOKEN_PLACEHOLDER;
    }
    return redacted ? redacted.join('/') : path;
  }

  /** The `req` of Fastify's own log lines (and of ours): method and redacted path only. */
  serializer(): (req: { method?: string; url?: string }) => { method: string | undefined; path: string } {
    return (req) => ({ method: req.method, path: this.path(req.url ?? '') });
  }
}

/**
 * One log line per response: server errors at error, slow requests at info, every other request
 * (client errors included, once) at debug. Never an address, a query string or a token.
 */
export default fp(async function requestLog(app: FastifyInstance, opts: { paths: LogPaths }) {
  app.addHook('onRoute', (route) => opts.paths.addRoute(route.url));
  app.addHook('onResponse', async (request: FastifyRequest, reply) => {
    const line = { method: request.method, path: opts.paths.path(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (reply.statusCode >= 500) request.log.error(line, 'request');
    else if (reply.elapsedTime > SLOW_MS) request.log.info(line, 'slow request');
    else request.log.debug(line, 'request');
  });
});
