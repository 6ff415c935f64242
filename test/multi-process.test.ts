import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { refreshContentVersion } from '../src/db/content-version.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { CONTENT_VERSION_CHANNEL, VersionWatch } from '../src/db/version-watch.js';
import { hashPassword } from '../src/modules/accounts/commands.js';
import { admitApiWrite, API_WRITE_THROTTLE, createApiToken } from '../src/modules/accounts/index.js';
import { deliverDueMail } from '../src/modules/mail/worker.js';
import type { TransportMessage } from '../src/modules/mail/transport.js';
import { remindUpcomingMeetings, scheduleMeeting } from '../src/modules/meetings/commands.js';
import { generateCycles, remindDueReports } from '../src/modules/reporting/commands.js';
import { latestHistoryCheck, recordHistoryCheck, type HistoryCheck } from '../src/modules/transparency/check.js';
import { openTestDatabase, type TestDatabase } from './db.js';
import { insertMeetingsFixture, meetingInputFor, type MeetingsFixture } from './meetings-fixture.js';

/**
 * Two app processes on one PostgreSQL database (ADR 11), as two app instances in this process, each
 * with its own database handle (pool, and connection listening for content version notices).
 */

const EMAIL = 'admin@gjakova.example.org';
const PASSWORD = 'correct horse battery staple';

function csrfOf(page: LightMyRequestResponse): { token: string; cookie: string } {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
  assert.ok(token && cookie, 'the page has a CSRF field and cookie');
  return { token, cookie };
}

async function signIn(app: FastifyInstance): Promise<string> {
  const form = await app.inject('/en/login');
  const csrf = csrfOf(form);
  const res = await app.inject({
    method: 'POST',
    url: '/en/login',
    remoteAddress: '127.0.0.9',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email: EMAIL, password: PASSWORD, _csrf: csrf.token }).toString(),
    cookies: { _csrf: csrf.cookie },
  });
  assert.equal(res.statusCode, 303, 'signed in');
  const session = res.cookies.find((c) => c.name === 'besa_session')?.value;
  assert.ok(session, 'a session cookie');
  return session;
}

/** Polls until `check` holds; returns the milliseconds it took, or fails after `limitMs`. */
async function within(limitMs: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > limitMs) assert.fail(`${what}: not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function listeners(db: TestDatabase): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database() and query = ${`listen ${CONTENT_VERSION_CHANNEL}`}`.execute(db.db);
  return rows.map((r) => r.pid);
}

describe('two app processes on one PostgreSQL database', () => {
  let first: TestDatabase;
  let second: DatabaseHandle;
  let a: FastifyInstance;
  let b: FastifyInstance;
  let f: MeetingsFixture;

  before(async () => {
    first = await openTestDatabase('postgres');
    second = openDatabase({ databaseUrl: first.url!, poolSize: 4 });
    f = await insertMeetingsFixture(first.db);
    // The fixture's instance administrator, given a password to sign in with.
    await first.db.updateTable('users').set({ password_hash: await hashPassword(PASSWORD) }).where('id', '=', f.users.admin).execute();
    const config = loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv);
    a = await buildApp({ config, database: first });
    b = await buildApp({ config, database: second });
    await Promise.all([a.ready(), b.ready()]);
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await second?.destroy();
    await first?.destroy();
  });

  test("a change made through one is on the other's cached page within a second, without a version read per request", async () => {
    const page = '/en/gjakova/meetings';
    const cached = await b.inject(page);
    assert.equal(cached.statusCode, 200);
    assert.equal((await b.inject(page)).headers.etag, cached.headers.etag, 'served from the cache');
    const title = `Meeting of 2030-05-10 ${Date.now()}`;
    assert.ok(!cached.body.includes(title));
    // A command in the other process (its own pool); nothing tells this one but the database. Its
    // version was read just now, so it would not read it again for a second: only the notice can do it.
    const read = performance.now();
    await refreshContentVersion(second.db);
    await scheduleMeeting(first.db, f.secretary, { ...meetingInputFor(f.jurisdictionId, f.forumId, '2030-05-10'), title });
    await within(950 - (performance.now() - read), 'the new meeting on the other process', async () => (await b.inject(page)).body.includes(title));
    // And at once in the process that made it.
    assert.ok((await a.inject(page)).body.includes(title));
    // The hot path does not ask the database: with the version's table out of reach, the cached
    // page is still served (the version was read just now, well within the bound of a second).
    await refreshContentVersion(second.db);
    const etag = (await b.inject(page)).headers.etag;
    await sql`alter table cache_state rename to cache_state_away`.execute(first.db);
    try {
      const started = performance.now();
      for (let i = 0; i < 20; i++) {
        const res = await b.inject(page);
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers.etag, etag);
      }
      assert.ok(performance.now() - started < 1_000, 'the requests ran within the second');
    } finally {
      await sql`alter table cache_state_away rename to cache_state`.execute(first.db);
    }
  });

  test('a change is on the cached pages of the process that made it at once, even without notices', async () => {
    // A third process that hears no notices and would read the version again only after a minute.
    const deaf = openDatabase({ databaseUrl: first.url!, poolSize: 2, versionWatch: { listen: false, refreshAfterMs: 60_000, maxAgeMs: 120_000 } });
    const c = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database: deaf });
    try {
      const page = '/en/gjakova/meetings';
      const cached = await c.inject(page);
      assert.equal((await c.inject(page)).headers.etag, cached.headers.etag, 'served from the cache');
      const title = `Made here ${Date.now()}`;
      await scheduleMeeting(deaf.db, f.secretary, { ...meetingInputFor(f.jurisdictionId, f.forumId, '2030-06-10'), title });
      assert.ok((await c.inject(page)).body.includes(title), 'the next request after the command shows it');
      // A change made elsewhere reaches it only when it reads the version again (here: asked to).
      const elsewhere = `Made elsewhere ${Date.now()}`;
      await scheduleMeeting(first.db, f.secretary, { ...meetingInputFor(f.jurisdictionId, f.forumId, '2030-06-11'), title: elsewhere });
      assert.ok(!(await c.inject(page)).body.includes(elsewhere), 'no notice, no read: the held version');
      await refreshContentVersion(deaf.db);
      assert.ok((await c.inject(page)).body.includes(elsewhere));
    } finally {
      await c.close();
      await deaf.destroy();
    }
  });

  test('a session made on one works on the other, and signing out on the other ends it on both', async () => {
    const session = await signIn(a);
    assert.equal((await a.inject({ url: '/en/admin', cookies: { besa_session: session } })).statusCode, 200);
    assert.equal((await b.inject({ url: '/en/admin', cookies: { besa_session: session } })).statusCode, 200, 'the session works on the other process');
    const admin = await b.inject({ url: '/en/admin', cookies: { besa_session: session } });
    const csrf = csrfOf(admin);
    const out = await b.inject({
      method: 'POST',
      url: '/en/logout',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf.token }).toString(),
      cookies: { _csrf: csrf.cookie, besa_session: session },
    });
    assert.equal(out.statusCode, 303, 'signed out');
    assert.equal((await a.inject({ url: '/en/admin', cookies: { besa_session: session } })).statusCode, 303, 'the first process no longer knows the session');
  });

  test('reminders run on both at once queue each mail once, and the two outbox workers send each once', async () => {
    await generateCycles(first.db, f.actors.coordinator, f.planId);
    const meeting = await scheduleMeeting(first.db, f.secretary, { ...meetingInputFor(f.jurisdictionId, f.forumId, '2031-03-10'), title: 'Forum of March' });
    await first.db.deleteFrom('mail_outbox').execute();
    // Each queued message takes a moment, so both runs have read "not yet reminded" before either commits.
    await sql.raw(`create function slow_mail() returns trigger language plpgsql as $$ begin perform pg_sleep(0.1); return new; end $$`).execute(first.db);
    await sql.raw('create trigger slow_mail before insert on mail_outbox for each row execute function slow_mail()').execute(first.db);
    const reportsDay = new Date('2024-04-10T08:00:00Z');
    const meetingsDay = new Date('2031-03-08T08:00:00Z');
    const counts = await Promise.all([first.db, second.db].flatMap((db) => [remindDueReports(db, reportsDay, { locale: 'en' }), remindUpcomingMeetings(db, meetingsDay, { locale: 'en' })]));
    await sql.raw('drop trigger slow_mail on mail_outbox').execute(first.db);
    const rows = await first.db.selectFrom('mail_outbox').select(['id', 'to_address', 'subject']).execute();
    const [reportsA, meetingsA, reportsB, meetingsB] = counts as [number, number, number, number];
    assert.ok(reportsA + reportsB > 0 && meetingsA + meetingsB > 0, `queued ${counts.join(', ')}`);
    assert.equal(rows.length, reportsA + reportsB + meetingsA + meetingsB, 'the counts are what was queued');
    const keys = rows.map((r) => `${r.to_address} ${r.subject}`);
    assert.equal(new Set(keys).size, keys.length, `each mail once:\n${keys.sort().join('\n')}`);
    // What one run alone would have queued: the holder's reminder, and the meeting's recipients.
    const reminded = await sql<{ reminded_at: string | null }>`select reminded_at from meetings where id = ${meeting}`.execute(first.db);
    assert.ok(reminded.rows[0]?.reminded_at);
    assert.equal(rows.filter((r) => r.to_address === `holder@gjakova.example.org`).length, 1);
    for (const to of ['arta@youth.example.org', 'network@women.example.org', 'secretary@gjakova.example.org']) {
      assert.equal(rows.filter((r) => r.to_address === to && r.subject.includes('Forum of March')).length, 1, to);
    }

    const sent: TransportMessage[][] = [[], []];
    await Promise.all(
      [first.db, second.db].map(async (db, w) => {
        const transport = { sendMail: async (message: TransportMessage) => void sent[w]!.push(message) };
        for (;;) if ((await deliverDueMail(db, transport, new Date(), { batchSize: 2 })).due === 0) break;
      }),
    );
    const delivered = [...sent[0]!, ...sent[1]!].map((m) => `${String(m.to)} ${m.subject}`);
    assert.deepEqual(delivered.sort(), keys.sort(), 'each queued mail sent once, by one of the two');
  });

  test("an API token's write limit holds across both processes", async () => {
    const { id, token } = await createApiToken(first.db, f.actors.holder, { name: 'two processes' });
    // Forty writes at once, half through each process: the limit admits its number, no more.
    const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => admitApiWrite(i % 2 ? second.db : first.db, id)));
    assert.equal(waits.filter((w) => w === 0).length, API_WRITE_THROTTLE.perToken);
    assert.ok(waits.filter((w) => w > 0).every((w) => w >= 1 && w <= 60), waits.join(' '));
    // Used up through one process: the other refuses the token's next write before reading it.
    const res = await b.inject({ method: 'POST', url: `/api/v1/commitments/${f.commitmentId}/updates`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{}' });
    assert.equal(res.statusCode, 429);
    assert.ok(Number(res.headers['retry-after']) >= 1);
  });

  test('the transparency check run by both: one that started earlier but ends later does not hide the newer outcome', async () => {
    const check = (checkedAt: string, ok: boolean): HistoryCheck => ({
      ok,
      checkedAt,
      log: { ok, treeSize: 1, checkpointsChecked: 1 },
      ...(ok ? {} : { problem: { kind: 'log' as const, firstBadIndex: 0, reason: 'altered' } }),
      milliseconds: 1,
    });
    await recordHistoryCheck(first.db, check('2031-01-01T10:00:00.000Z', true));
    await recordHistoryCheck(second.db, check('2031-01-01T10:05:00.000Z', false));
    // The first process's next check began before the second's but ends after it.
    await recordHistoryCheck(first.db, check('2031-01-01T10:04:00.000Z', true));
    const stored = await latestHistoryCheck(second.db);
    assert.equal(stored?.checkedAt, '2031-01-01T10:05:00.000Z');
    assert.equal(stored?.intact, false);
    assert.equal(stored?.lastIntactAt, '2031-01-01T10:00:00.000Z');
    await recordHistoryCheck(second.db, check('2031-01-01T11:00:00.000Z', true));
    assert.equal((await latestHistoryCheck(first.db))?.intact, true);
  });

  test('a lost notification connection is opened again, and what it announces reaches the process', async () => {
    const before = await listeners(first);
    assert.equal(before.length, 2, 'one listening connection per process');
    for (const pid of before) await sql`select pg_terminate_backend(${pid})`.execute(first.db);
    await within(3_000, 'both processes listen again', async () => {
      const now = await listeners(first);
      return now.length === 2 && now.every((pid) => !before.includes(pid));
    });
    const page = '/en/gjakova/meetings';
    const title = `After the reconnection ${Date.now()}`;
    const read = performance.now();
    await refreshContentVersion(second.db);
    await scheduleMeeting(first.db, f.secretary, { ...meetingInputFor(f.jurisdictionId, f.forumId, '2032-01-10'), title });
    await within(950 - (performance.now() - read), 'the change announced on the new connection', async () => (await b.inject(page)).body.includes(title));
  });
});

describe('the version watch alone', () => {
  let database: TestDatabase;
  before(async () => {
    database = await openTestDatabase('postgres');
  });
  after(async () => database?.destroy());

  test('serves the version from memory, reads it again after a second in the background, waits for a read after two', async () => {
    let clock = 0;
    let stored = 7;
    const watch = new VersionWatch({ connectionString: database.url!, read: async () => stored, now: () => clock, log: () => undefined });
    try {
      assert.equal(await watch.current(), 7, 'the first request reads it');
      assert.equal(watch.reads, 1);
      stored = 8; // a change nobody announced
      clock = 900;
      assert.equal(await watch.current(), 7, 'from memory');
      assert.equal(watch.reads, 1, 'no read within the first second');
      clock = 1_100;
      assert.equal(await watch.current(), 7, 'still the held version: the read runs in the background');
      assert.equal(watch.reads, 2);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(await watch.current(), 8, 'the background read brought the new version');
      stored = 9;
      clock = 1_100 + 2_001;
      assert.equal(await watch.current(), 9, 'older than the bound: the request waited for a read');
      // An announced version is taken at once, and a read that overlapped it does not take it back.
      watch.committed(12);
      assert.equal(await watch.current(), 12);
      let release!: (v: number) => void;
      const slow = new Promise<number>((resolve) => (release = resolve));
      const overlapped = new VersionWatch({ connectionString: database.url!, read: () => slow, now: () => clock, log: () => undefined });
      const reading = overlapped.refresh();
      overlapped.committed(20);
      release(19);
      assert.equal(await reading, 20);
      await overlapped.close();
    } finally {
      await watch.close();
    }
  });

  test('a lost connection is opened again, and the version read again at once (a notice lost meanwhile is caught up)', async () => {
    let stored = 3;
    const watch = new VersionWatch({ connectionString: database.url!, read: async () => stored, now: () => 0, log: () => undefined });
    try {
      assert.equal(await watch.current(), 3);
      await within(2_000, 'the watch listens', async () => watch.listening);
      const reads = watch.reads;
      // The clock stands still: only the reconnection can make the watch read again.
      stored = 4;
      const pids = await listeners(database);
      assert.equal(pids.length, 1);
      await sql`select pg_terminate_backend(${pids[0]!})`.execute(database.db);
      await within(3_000, 'read again after the reconnection', async () => (await watch.current()) === 4);
      assert.ok(watch.reads > reads);
      assert.ok(watch.listening);
    } finally {
      await watch.close();
    }
  });

  test('a version announced on the channel by another connection reaches the watch', async () => {
    const watch = new VersionWatch({ connectionString: database.url!, read: async () => 1, log: () => undefined });
    try {
      await watch.current();
      await within(2_000, 'the watch listens', async () => watch.listening);
      const other = new pg.Client({ connectionString: database.url! });
      await other.connect();
      await other.query(`select pg_notify($1, '41')`, [CONTENT_VERSION_CHANNEL]);
      await other.end();
      await within(1_000, 'the announced version', async () => (await watch.current()) === 41);
    } finally {
      await watch.close();
    }
  });
});
