import cluster from 'node:cluster';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/database.js';
import { pageCacheCounts } from './page-cache.js';

/** The route label of a request no route answered (a 404 before routing): never the raw URL. */
export const UNMATCHED = '(unmatched)';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether an Authorization header carries `Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  return timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`));
}

/**
 * `GET /metrics` in Prometheus' text format, for operators, only when BESA_METRICS_TOKEN is set
 * (otherwise no route and no counting: a 404 like any unknown path), and only to a scraper that
 * sends `Authorization: Bearer <token>` (401 otherwise).
 *
 * - `besa_http_requests_total{method,route,status}` and `besa_http_request_duration_seconds{method,route}`:
 *   the route is the pattern (`/:locale/admin/users/:id`), never the URL (which may hold a one-time
 *   token or a search), `(unmatched)` when no route answered.
 * - `besa_page_cache_lookups_total{result="hit"|"miss"}`: public pages served from memory or rendered.
 * - `besa_mail_outbox_messages{status="queued"|"failed"}` and `besa_transparency_log_entries`: read
 *   from the database at scrape time.
 * - Node's process metrics (CPU, memory, event loop lag, handles, GC) from prom-client.
 *
 * Each process has its own registry: under node:cluster every worker counts its own requests and
 * answers a scrape with its own counters, labelled `worker="<id>"`; the gauges read from the
 * database are the same whichever worker answers.
 */
export default fp(async function metrics(app: FastifyInstance, { token, db }: { token: string | undefined; db: Db }) {
  if (!token) return;
  const register = new Registry();
  if (cluster.isWorker && cluster.worker) register.setDefaultLabels({ worker: String(cluster.worker.id) });
  collectDefaultMetrics({ register });

  const requests = new Counter({ name: 'besa_http_requests_total', help: 'Requests answered, by method, route pattern and status code.', labelNames: ['method', 'route', 'status'] as const, registers: [register] });
  const duration = new Histogram({
    name: 'besa_http_request_duration_seconds',
    help: 'Time from the request to the end of the answer, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [register],
  });
  const counted = { hits: pageCacheCounts.hits, misses: pageCacheCounts.misses };
  new Counter({
    name: 'besa_page_cache_lookups_total',
    help: 'Public pages served from the page cache (hit) or rendered (miss).',
    labelNames: ['result'] as const,
    registers: [register],
    collect() {
      // The page cache counts for the process; this registry reports what happened since it was made.
      this.inc({ result: 'hit' }, pageCacheCounts.hits - counted.hits);
      this.inc({ result: 'miss' }, pageCacheCounts.misses - counted.misses);
      counted.hits = pageCacheCounts.hits;
      counted.misses = pageCacheCounts.misses;
    },
  });
  new Gauge({
    name: 'besa_mail_outbox_messages',
    help: 'Messages in the outbox waiting to be sent (queued) or given up on (failed).',
    labelNames: ['status'] as const,
    registers: [register],
    async collect() {
      const rows = await db.selectFrom('mail_outbox').select(['status', (eb) => eb.fn.countAll<number | string>().as('n')]).where('status', 'in', ['queued', 'failed']).groupBy('status').execute();
      for (const status of ['queued', 'failed']) this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
    },
  });
  new Gauge({
    name: 'besa_transparency_log_entries',
    help: 'Entries in the published transparency log.',
    registers: [register],
    async collect() {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from transparency_entries`.execute(db);
      this.set(Number(rows[0]?.n ?? 0));
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? UNMATCHED;
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!bearerMatches(request.headers.authorization, token)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').type('text/plain; charset=utf-8').send('a bearer token is required');
    }
    return reply.type(register.contentType).send(await register.metrics());
  });
});
