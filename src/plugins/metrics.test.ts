import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { describeEachDatabase } from '../../test/db.js';
import { insertPeopleFixture, TARGET_EMAIL } from '../../test/people-fixture.js';
import { bearerMatches } from './metrics.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const config = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', ...env } as NodeJS.ProcessEnv);

/** The value of one sample of the exposition, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(/,(?=[a-z_]+=")/);
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return 0;
}

async function scrape(app: FastifyInstance): Promise<string> {
  const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return res.body;
}

test('the bearer token is compared whole', () => {
  assert.equal(bearerMatches(`Bearer ${TOKEN}`, TOKEN), true);
  for (const wrong of [undefined, '', TOKEN, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `bearer ${TOKEN}`, `Basic ${TOKEN}`]) assert.equal(bearerMatches(wrong, TOKEN), false, String(wrong));
});

test('BESA_METRICS_TOKEN must be long enough to be a secret', () => {
  assert.equal(config().metricsToken, undefined);
  assert.equal(config({ BESA_METRICS_TOKEN: TOKEN }).metricsToken, TOKEN);
  assert.throws(() => config({ BESA_METRICS_TOKEN: 'short' }), ConfigError);
  assert.throws(() => config({ BESA_METRICS_TOKEN: 'has a space in it, long enough' }), ConfigError);
});

describeEachDatabase('/metrics', (get) => {
  test('without BESA_METRICS_TOKEN there is no /metrics at all', async () => {
    const app = await buildApp({ config: config(), database: get() });
    try {
      const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.statusCode, 404);
      assert.doesNotMatch(res.body, /besa_http_requests_total/);
    } finally {
      await app.close();
    }
  });

  test('with the token set: 401 without it or with a wrong one; with it, requests by route pattern, latencies, page cache, outbox and log size that move', async () => {
    const { db } = get();
    await insertPeopleFixture(db);
    const app = await buildApp({ config: config({ BESA_METRICS_TOKEN: TOKEN }), database: get() });
    try {
      for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer wrong-token-0123456789abcdef`, TOKEN]) {
        const res = await app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
        assert.equal(res.statusCode, 401, String(authorization));
        assert.equal(res.headers['www-authenticate'], 'Bearer realm="metrics"');
        assert.doesNotMatch(res.body, /besa_/);
      }

      const before = await scrape(app);
      const page = { method: 'GET', route: '/:locale/:jurisdiction', status: '200' };
      const hitsBefore = sample(before, 'besa_page_cache_lookups_total', { result: 'hit' });
      for (let i = 0; i < 3; i++) assert.equal((await app.inject('/en/gjakova')).statusCode, 200);
      // A one-time token in a path and an address in a query string: counted by pattern, never written.
      await app.inject('/en/invitations/secret-invitation-token-4242');
      await app.inject(`/en/search?q=${encodeURIComponent(TARGET_EMAIL)}`);
      await app.inject('/no/such/path/secret-path-9999');
      const after = await scrape(app);

      assert.equal(sample(after, 'besa_http_requests_total', page) - sample(before, 'besa_http_requests_total', page), 3);
      assert.equal(sample(after, 'besa_http_request_duration_seconds_count', { method: 'GET', route: '/:locale/:jurisdiction' }) - sample(before, 'besa_http_request_duration_seconds_count', { method: 'GET', route: '/:locale/:jurisdiction' }), 3);
      assert.ok(sample(after, 'besa_http_request_duration_seconds_bucket', { route: '/:locale/:jurisdiction', le: '+Inf' }) >= 3);
      assert.ok(sample(after, 'besa_http_requests_total', { route: '/:locale/invitations/:token' }) >= 1);
      assert.ok(sample(after, 'besa_http_requests_total', { route: '(unmatched)', status: '404' }) >= 1);
      assert.ok(sample(after, 'besa_http_requests_total', { route: '/metrics', status: '401' }) >= 4, 'refused scrapes are counted too');
      // The first of the three renders the page (unless it was in memory already); the others are hits.
      assert.ok(sample(after, 'besa_page_cache_lookups_total', { result: 'hit' }) - hitsBefore >= 2);

      const outbox = await db.selectFrom('mail_outbox').select(['status']).execute();
      assert.equal(sample(after, 'besa_mail_outbox_messages', { status: 'failed' }), outbox.filter((m) => m.status === 'failed').length);
      assert.equal(sample(after, 'besa_mail_outbox_messages', { status: 'queued' }), outbox.filter((m) => m.status === 'queued').length);
      assert.ok(outbox.some((m) => m.status === 'failed'), 'the fixture has a failed message');
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from transparency_entries`.execute(db);
      assert.ok(Number(rows[0]?.n) > 0);
      assert.equal(sample(after, 'besa_transparency_log_entries'), Number(rows[0]?.n));
      // Read at scrape time: a message queued now shows in the next scrape.
      await db.updateTable('mail_outbox').set({ status: 'queued' }).where('status', '=', 'failed').execute();
      const later = await scrape(app);
      assert.equal(sample(later, 'besa_mail_outbox_messages', { status: 'failed' }), 0);
      assert.ok(sample(later, 'besa_mail_outbox_messages', { status: 'queued' }) >= 1);

      assert.ok(sample(after, 'process_cpu_user_seconds_total') > 0, 'process metrics');
      assert.ok(sample(after, 'nodejs_heap_size_used_bytes') > 0);
      for (const secret of ['secret-invitation-token-4242', 'secret-path-9999', '@', 'example.org', TOKEN, '?']) assert.ok(!after.includes(secret), `the scrape holds ${secret}`);
    } finally {
      await app.close();
    }
  });
});
