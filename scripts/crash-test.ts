/**
 * No acknowledged write lost: `npm run crash-test [-- --sqlite | --pg] [--rounds N] [--writers W]`.
 *
 * Builds a new database (a temporary SQLite file; a new PostgreSQL database on
 * CRASH_DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432/postgres, dropped at the
 * end), with Gjakova's plan, a coordinator with a session and one published news item per writer.
 * Then, each round: starts the real server (src/server.ts, BESA_WORKERS=1) on a loopback port, has W
 * writers correct their news item over HTTP as fast as it answers (the admin form with its session
 * and CSRF token; a correction of a published item appends to the transparency log in the same
 * transaction), kills the server with SIGKILL at a random moment, starts it again and checks:
 *   - every correction that got a success answer (303), in this round and all before, is in the
 *     transparency log (each title is unique);
 *   - PRAGMA integrity_check is ok (SQLite);
 *   - `besa audit verify` (the command-line program) passes: log, signed checkpoints, public content.
 * Prints per round and in total: sent, acknowledged, present, lost; exits 1 if any acknowledged write
 * is lost or a check fails. Defaults: 20 rounds on SQLite, then 5 on PostgreSQL.
 *
 * What SIGKILL proves, and what it does not: it ends the process at once, but the operating system
 * keeps every page the process had written, and writes them out later. So this proves that no
 * acknowledged write is lost to a crash of Besa (or a kill, an out-of-memory end) and that the log
 * stays verifiable; it cannot tell synchronous = NORMAL from FULL, which differ only when the machine
 * itself stops (power loss, kernel crash) before the WAL reached the disk. FULL is what covers that
 * (src/db/database.ts, bench/sqlite-synchronous.ts); PostgreSQL commits durably by default
 * (synchronous_commit = on, which Besa never lowers: checked here too).
 *
 * Loopback only: the server listens on 127.0.0.1 and every request goes there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedIfEmpty } from '../src/db/seeds/index.js';
import { findUserRoles, insertSession } from '../src/modules/accounts/index.js';
import { createNewsDraft, publishNewsItem } from '../src/modules/news/commands.js';
import { prepareSigningKey } from '../src/modules/transparency/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    sqlite: { type: 'boolean' },
    pg: { type: 'boolean' },
    rounds: { type: 'string' },
    writers: { type: 'string', default: '4' },
    'max-kill-ms': { type: 'string', default: '4000' },
  },
});
const only = values.pg ? 'postgres' : values.sqlite ? 'sqlite' : undefined;
const writers = Number(values.writers);
const maxKillMs = Number(values['max-kill-ms']);
/** Bounds: no writer sends more than this in a round, no round writes longer than this. */
const MAX_WRITES_PER_WRITER = 5000;
const ROUND_LIMIT_MS = 30_000;

type Kind = 'sqlite' | 'postgres';
interface Target {
  kind: Kind;
  env: Record<string, string>;
  open(): DatabaseHandle;
  /** PRAGMA integrity_check (SQLite), on a connection of its own. */
  integrity(): string;
  cleanup(): Promise<void>;
}

interface Totals {
  sent: number;
  acknowledged: number;
  present: number;
  lost: number;
  failedChecks: number;
  committedUnanswered: number;
  refused: number;
}

const newTotals = (): Totals => ({ sent: 0, acknowledged: 0, present: 0, lost: 0, failedChecks: 0, committedUnanswered: 0, refused: 0 });

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function makeTarget(kind: Kind, dir: string): Promise<Target> {
  if (kind === 'sqlite') {
    const path = join(dir, 'besa.sqlite');
    return {
      kind,
      env: { BESA_DB: path, BESA_SIGNING_KEY_FILE: join(dir, 'signing-key.pem') },
      open: () => openDatabase({ sqlitePath: path }),
      integrity() {
        const db = new SqliteDatabase(path, { fileMustExist: true });
        try {
          db.pragma('busy_timeout = 5000');
          return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
        } finally {
          db.close();
        }
      },
      cleanup: async () => undefined,
    };
  }
  const base = process.env.CRASH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `besa_crash_${process.pid}_${Date.now()}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    kind,
    env: { DATABASE_URL: url.toString(), BESA_SIGNING_KEY_FILE: join(dir, 'signing-key.pem') },
    open: () => openDatabase({ databaseUrl: url.toString(), poolSize: 2 }),
    integrity: () => 'ok',
    cleanup: () => admin(`drop database if exists ${name} with (force)`),
  };
}

interface Fixture {
  session: string;
  jurisdiction: string;
  items: number[];
}

/** Gjakova's plan, a coordinator of it with a session, one published news item per writer. */
async function prepare(target: Target): Promise<Fixture> {
  const database = target.open();
  try {
    await migrateToLatest(database.db, database.dialect);
    // The key file the server will sign with (its own, in the run's folder): the fixture's published
    // items are signed with it too, as a server start would.
    await prepareSigningKey({ signingKeyFile: target.env.BESA_SIGNING_KEY_FILE!, signingKey: undefined }, database.db, () => undefined);
    await seedIfEmpty(database.db);
    if (target.kind === 'postgres') {
      const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(database.db);
      if (rows[0]?.synchronous_commit === 'off') throw new Error('synchronous_commit is off on this PostgreSQL server: acknowledged commits can be lost; turn it on');
      console.log(`PostgreSQL synchronous_commit = ${rows[0]?.synchronous_commit}`);
    }
    const jurisdiction = await database.db.selectFrom('jurisdictions').select(['id', 'slug']).orderBy('id').executeTakeFirstOrThrow();
    const user = await database.db
      .insertInto('users')
      .values({ email: 'crash-test@example.org', display_name: 'Crash test', password_hash: 'x', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('user_roles').values({ user_id: user.id, role: 'coordinator', jurisdiction_id: jurisdiction.id, institution_id: null }).execute();
    const actor = { userId: user.id, role: 'coordinator', roles: await findUserRoles(database.db, user.id) };
    const items: number[] = [];
    for (let w = 0; w < writers; w++) {
      const id = await createNewsDraft(database.db, actor, {
        jurisdictionId: jurisdiction.id,
        kind: 'news',
        contentLocale: 'en',
        title: `crash-start-w${w}`,
        summary: '',
        body: 'Corrected again and again by the crash test.',
        periodFrom: null,
        periodTo: null,
      });
      await publishNewsItem(database.db, actor, id);
      items.push(id);
    }
    return { session: await insertSession(database.db, user.id), jurisdiction: jurisdiction.slug, items };
  } finally {
    await database.destroy();
  }
}

interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<void>;
}

async function startServer(target: Target, dir: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...target.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      BESA_PUBLIC_URL: `http://127.0.0.1:${port}`,
      BESA_WORKERS: '1',
      BESA_MAIL_TRANSPORT: 'file',
      BESA_MAIL_DIR: join(dir, 'mail'),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server did not start:\n${stderr}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer within 180 s:\n${stderr}`);
    }
    await sleep(100);
  }
  return { child, base, exited };
}

interface Form {
  token: string;
  cookie: string;
}

/**
 * The form's CSRF token and the cookies to post it. Opened twice, as a browser that already holds
 * the CSRF cookie would: the first answer sets the cookie (a page that made two tokens without one
 * sets the second secret but may show the first token).
 */
async function openForm(server: Server, fixture: Fixture, path: string): Promise<Form> {
  const first = await fetch(server.base + path, { headers: { cookie: `besa_session=${fixture.session}` } });
  await first.arrayBuffer();
  const csrf = first.headers.getSetCookie().find((c) => c.startsWith('_csrf='))?.split(';')[0];
  if (first.status !== 200 || !csrf) throw new Error(`GET ${path}: ${first.status}, no CSRF cookie`);
  const cookie = `besa_session=${fixture.session}; ${csrf}`;
  const response = await fetch(server.base + path, { headers: { cookie } });
  const token = /name="_csrf" value="([^"]+)"/.exec(await response.text())?.[1];
  if (response.status !== 200 || !token) throw new Error(`GET ${path}: ${response.status}, no form`);
  return { token, cookie };
}

interface RoundResult {
  sent: string[];
  acknowledged: string[];
  refused: number;
  firstRefusal?: string;
}

/** Writers correct their items until the server is killed (at `killAfter` ms) or the bounds are reached. */
async function write(server: Server, fixture: Fixture, round: number, killAfter: number): Promise<RoundResult> {
  const result: RoundResult = { sent: [], acknowledged: [], refused: 0 };
  // The forms are opened first: the kill falls among the writes.
  const paths = fixture.items.map((id) => `/en/admin/jurisdictions/${fixture.jurisdiction}/news/${id}`);
  const forms = await Promise.all(paths.map((path) => openForm(server, fixture, path)));
  let dead = false;
  void server.exited.then(() => (dead = true));
  const killer = setTimeout(() => server.child.kill('SIGKILL'), killAfter);
  const started = Date.now();
  const writer = async (w: number) => {
    const path = paths[w]!;
    const form = forms[w]!;
    for (let n = 0; n < MAX_WRITES_PER_WRITER && !dead && Date.now() - started < ROUND_LIMIT_MS; n++) {
      // Unique, and plain ASCII: found as is in the log's JSON.
      const title = `crash-r${round}-w${w}-n${n}-${randomBytes(4).toString('hex')}`;
      result.sent.push(title);
      try {
        const response = await fetch(server.base + path, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
          body: new URLSearchParams({ _csrf: form.token, content_locale: 'en', kind: 'news', title, summary: '', body: `Correction ${n} of writer ${w}.`, period_from: '', period_to: '' }).toString(),
        });
        const text = await response.text();
        if (response.status === 303) result.acknowledged.push(title);
        else {
          result.refused += 1;
          result.firstRefusal ??= `${response.status} ${text.replace(/\s+/g, ' ').slice(0, 300)}`;
        }
      } catch {
        // The connection broke: the server was killed. Not acknowledged (it may have committed).
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  } finally {
    clearTimeout(killer);
  }
  return result;
}

/** The titles found in the transparency log. */
async function titlesInLog(target: Target): Promise<Set<string>> {
  const database = target.open();
  try {
    const rows = await database.db.selectFrom('transparency_entries').select('leaf').where('leaf', 'like', '%crash-r%').execute();
    const found = new Set<string>();
    for (const row of rows) for (const match of row.leaf.matchAll(/crash-r\d+-w\d+-n\d+-[0-9a-f]{8}/g)) found.add(match[0]);
    return found;
  } finally {
    await database.destroy();
  }
}

function auditVerify(target: Target): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'audit', 'verify'], {
      cwd: ROOT,
      env: { ...process.env, ...target.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolveRun({ ok: code === 0, output: output.trim() }));
  });
}

async function runTarget(kind: Kind, rounds: number): Promise<Totals> {
  const dir = mkdtempSync(join(tmpdir(), 'besa-crash-'));
  const target = await makeTarget(kind, dir);
  const totals = newTotals();
  const allAcknowledged: string[] = [];
  let server: Server | undefined;
  try {
    const fixture = await prepare(target);
    console.log(`\n${kind}: ${rounds} rounds, ${writers} writers, SIGKILL between 0.5 and ${maxKillMs / 1000} s after the writes start`);
    console.log('round   sent  acked  present  lost  committed-unanswered  integrity  audit-verify  restart');
    server = await startServer(target, dir);
    for (let round = 1; round <= rounds; round++) {
      const killAfter = 500 + Math.floor(Math.random() * Math.max(1, maxKillMs - 500));
      const running = server;
      const result = await write(running, fixture, round, killAfter);
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
      await running.exited;
      // Restarted (recovery runs on open), then checked while it serves.
      const restarting = performance.now();
      server = await startServer(target, dir);
      const restartMs = Math.round(performance.now() - restarting);
      const integrity = target.integrity();
      const found = await titlesInLog(target);
      allAcknowledged.push(...result.acknowledged);
      const present = result.acknowledged.filter((t) => found.has(t)).length;
      const lost = result.acknowledged.length - present;
      const lostBefore = allAcknowledged.filter((t) => !found.has(t)).length - lost;
      const acked = new Set(result.acknowledged);
      const committedUnanswered = result.sent.filter((t) => !acked.has(t) && found.has(t)).length;
      const verify = await auditVerify(target);
      const failed = (integrity === 'ok' ? 0 : 1) + (verify.ok ? 0 : 1) + (lostBefore > 0 ? 1 : 0);
      totals.sent += result.sent.length;
      totals.acknowledged += result.acknowledged.length;
      totals.present += present;
      totals.lost += lost;
      totals.failedChecks += failed;
      totals.committedUnanswered += committedUnanswered;
      totals.refused += result.refused;
      console.log(
        `${String(round).padStart(5)}  ${String(result.sent.length).padStart(5)}  ${String(result.acknowledged.length).padStart(5)}  ${String(present).padStart(7)}  ${String(lost).padStart(4)}  ${String(committedUnanswered).padStart(20)}  ${integrity.padStart(9)}  ${(verify.ok ? 'ok' : 'FAILED').padEnd(12)}  ${(restartMs / 1000).toFixed(1)} s`,
      );
      if (!verify.ok) console.log(`  besa audit verify:\n${verify.output.replace(/^/gm, '    ')}`);
      if (lostBefore > 0) console.log(`  ${lostBefore} writes acknowledged in earlier rounds are missing now`);
      if (result.refused > 0) console.log(`  ${result.refused} writes got an answer other than 303 (not counted as acknowledged); the first: ${result.firstRefusal}`);
    }
    console.log(
      `${kind} total: sent ${totals.sent}, acknowledged ${totals.acknowledged}, present ${totals.present}, lost ${totals.lost}; ` +
        `${totals.committedUnanswered} committed without an answer (killed in flight); failed checks ${totals.failedChecks}`,
    );
    return totals;
  } finally {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await Promise.race([server.exited, sleep(10_000)]);
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    }
    await target.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const plan: [Kind, number][] = [];
  const rounds = values.rounds !== undefined ? Number(values.rounds) : undefined;
  if (only !== 'postgres') plan.push(['sqlite', rounds ?? 20]);
  if (only !== 'sqlite') plan.push(['postgres', rounds ?? 5]);
  if (!Number.isInteger(writers) || writers < 1 || writers > 32) throw new Error('--writers must be 1 to 32');
  if (plan.some(([, n]) => !Number.isInteger(n) || n < 1 || n > 1000)) throw new Error('--rounds must be 1 to 1000');
  const all = newTotals();
  for (const [kind, n] of plan) {
    const totals = await runTarget(kind, n);
    for (const key of Object.keys(all) as (keyof Totals)[]) all[key] += totals[key];
  }
  console.log(`\nAll: sent ${all.sent}, acknowledged ${all.acknowledged}, present ${all.present}, lost ${all.lost}, failed checks ${all.failedChecks}`);
  if (all.acknowledged === 0) {
    console.log('FAILED: no write was acknowledged, so nothing was tested');
    return 1;
  }
  if (all.lost > 0 || all.failedChecks > 0) {
    console.log('FAILED: an acknowledged write was lost or a check failed');
    return 1;
  }
  console.log('No acknowledged write lost; every integrity check and audit verify passed.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
