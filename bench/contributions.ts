/**
 * Contributions under load (part of `npm run bench`, or alone: `npx tsx bench/contributions.ts`,
 * `npm run bench -- --only=contributions`).
 *
 * On SQLite (a fresh file) and on PostgreSQL (a fresh database on 127.0.0.1:5432, user postgres,
 * dropped afterwards), the real app listens on loopback with one open consultation, and:
 * 1. After a warm-up of 100 contributions (not counted), 50 concurrent clients each open the contribution form once (the CSRF cookie and token, as a
 *    browser gets them) and submit 20 contributions, each from its own address: 1,000 submissions.
 * 2. The outbox is delivered to a mail folder with the file transport (.eml files), and the
 *    confirmation link of every message is read from the folder.
 * 3. The same 50 clients confirm them all (the POST behind the confirmation page's button).
 * 4. The database is checked: every contribution stored exactly once (one row per address, none
 *    lost, none doubled), every one published, one confirmation event each.
 *
 * The limits are not switched off. They count per address (5 an hour: each address here sends one)
 * and per client IP (20 an hour). The app runs as behind one reverse proxy (BESA_TRUST_PROXY=1, as
 * in production behind nginx), and each client sends its own X-Forwarded-For address, so the 50
 * clients are 50 clients of 20 contributions each: exactly the per-IP limit. A 51st contribution
 * from any of them would be refused with a 429, which the bench checks too.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import type { Dialect } from '../src/db/dialect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { deliverToMailbox } from '../src/modules/mail/mailbox.js';
import { insertContributionFixture } from '../test/contribution-fixture.js';
import { pdb } from '../src/modules/participation/tables.js';

const CLIENTS = 50;
const PER_CLIENT = 20;
const TOTAL = CLIENTS * PER_CLIENT;
const TARGET_SQLITE_PER_SECOND = 500;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface ContributionsBenchResult {
  dialect: Dialect;
  submissionsPerSecond: number;
  confirmationsPerSecond: number;
  /** Per second of the app's CPU (the clients run in a process of their own): steadier on a busy machine. */
  submissionsPerCpuSecond: number;
  confirmationsPerCpuSecond: number;
  stored: number;
  published: number;
  duplicates: number;
  lost: number;
  refusedOverLimit: boolean;
  ok: boolean;
}

interface Client {
  ip: string;
  cookie: string;
  token: string;
}

async function openClient(base: string, path: string, ip: string): Promise<Client> {
  const response = await fetch(base + path, { headers: { 'x-forwarded-for': ip } });
  const html = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('_csrf='))?.split(';')[0];
  if (!token || !cookie) throw new Error('the form has no CSRF token');
  return { ip, cookie, token };
}

async function postForm(base: string, path: string, client: Client, fields: [string, string][]): Promise<number> {
  const response = await fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: client.cookie, 'x-forwarded-for': client.ip },
    body: new URLSearchParams([['_csrf', client.token], ...fields]).toString(),
  });
  await response.arrayBuffer();
  return response.status;
}

const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

const address = (client: number, n: number) => `bench-${client}-${n}@example.org`;

interface ClientJob {
  base: string;
  form: string;
  phase: 'submit' | 'confirm';
  /** Per client: its IP, and for `confirm` its tokens in order. */
  clients: { ip: string; tokens?: string[] }[];
}

function submission(c: number, n: number): [string, string][] {
  return [
    ['kind', n % 4 === 3 ? 'proposal' : 'comment'],
    ['author_name', `Bench ${c}.${n}`],
    ['email', address(c, n)],
    ['theme', 'Open data'],
    ['body', `Contribution ${n} of client ${c}: more open data on public spending, please.`],
    ['consent', 'yes'],
    ['website', ''],
  ];
}

/** The clients' side, run in a child process (BENCH_CONTRIBUTIONS_JOB) so the app's CPU is measured alone. */
async function runClients(job: ClientJob): Promise<{ seconds: number; failures: string[] }> {
  const failures: string[] = [];
  const started = performance.now();
  await Promise.all(
    job.clients.map(async (spec, c) => {
      const client = await openClient(job.base, job.form, spec.ip);
      for (let n = 0; n < PER_CLIENT; n++) {
        const status =
          job.phase === 'submit'
            ? await postForm(job.base, job.form, client, submission(c, n))
            : await postForm(job.base, `/en/contributions/confirm/${spec.tokens![n]}`, client, []);
        if (status !== 303) failures.push(`${job.phase} ${c}.${n}: ${status}`);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, failures };
}

async function inChild(dir: string, job: ClientJob): Promise<{ seconds: number; failures: string[] }> {
  const file = join(dir, `job-${job.phase}.json`);
  await writeFile(file, JSON.stringify(job));
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, BENCH_CONTRIBUTIONS_JOB: file }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`the client process exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number; failures: string[] };
}

async function openBenchDatabase(dialect: Dialect, dir: string): Promise<{ handle: DatabaseHandle; env: Record<string, string>; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const path = join(dir, 'contributions.sqlite');
    return { handle: openDatabase({ sqlitePath: path }), env: { BESA_DB: path }, drop: async () => undefined };
  }
  const name = `besa_bench_contributions_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    handle: openDatabase({ databaseUrl: url.toString(), poolSize: 10 }),
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export async function benchContributions(dialect: Dialect): Promise<ContributionsBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'besa-bench-contributions-'));
  const mailDir = join(dir, 'mail');
  const { handle, env, drop } = await openBenchDatabase(dialect, dir);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    await insertContributionFixture(handle.db);
    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      PORT: '0',
      BESA_TRUST_PROXY: '1',
      BESA_MAIL_TRANSPORT: 'file',
      BESA_MAIL_DIR: mailDir,
      ...env,
    } as NodeJS.ProcessEnv);
    const app = await buildApp({ config, database: handle });
    const base = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/\/+$/, '');
    const form = '/en/gjakova/consultations/open-call/contribute';
    try {
      // Warm-up: 100 contributions from 5 clients outside the measured ones (the JIT compiles the code
      // paths, as in a server that has been running), not confirmed and not counted.
      await Promise.all(
        Array.from({ length: 5 }, async (_, w) => {
          const warm = await openClient(base, form, `10.200.0.${w + 1}`);
          for (let n = 0; n < PER_CLIENT; n++) {
            await postForm(base, form, warm, [['kind', 'comment'], ['author_name', 'Warm'], ['email', `warm-${w}-${n}@example.org`], ['body', 'warm-up'], ['consent', 'yes']]);
          }
        }),
      );

      const ips = Array.from({ length: CLIENTS }, (_, c) => `10.100.${Math.floor(c / 250)}.${(c % 250) + 1}`);
      let cpu = process.cpuUsage();
      const submitted = await inChild(dir, { base, form, phase: 'submit', clients: ips.map((ip) => ({ ip })) });
      const submitCpu = cpuSeconds(process.cpuUsage(cpu));
      if (submitted.failures.length) throw new Error(`submissions refused: ${submitted.failures.slice(0, 5).join(', ')}`);
      const submitSeconds = submitted.seconds;
      // The per-IP limit holds: a 21st contribution from a client is refused.
      const first = await openClient(base, form, ips[0]!);
      const over = await postForm(base, form, first, [['kind', 'comment'], ['author_name', 'Over'], ['email', 'over@example.org'], ['body', 'one too many'], ['consent', 'yes']]);

      const mailbox = await deliverToMailbox(handle.db, mailDir);
      const tokens = new Map<string, string>();
      for (const message of mailbox) {
        const token = /\/contributions\/confirm\/([A-Za-z0-9_-]+)/.exec(message.text)?.[1];
        if (token && message.to.startsWith('bench-')) tokens.set(message.to, token);
      }
      if (tokens.size !== TOTAL) throw new Error(`${tokens.size} confirmation links in the mail folder, expected ${TOTAL}`);

      cpu = process.cpuUsage();
      const confirmed = await inChild(dir, { base, form, phase: 'confirm', clients: ips.map((ip, c) => ({ ip, tokens: Array.from({ length: PER_CLIENT }, (_, n) => tokens.get(address(c, n))!) })) });
      const confirmCpu = cpuSeconds(process.cpuUsage(cpu));
      if (confirmed.failures.length) throw new Error(`confirmations refused: ${confirmed.failures.slice(0, 5).join(', ')}`);
      const confirmSeconds = confirmed.seconds;

      const rows = await pdb(handle.db).selectFrom('contributions').select(['email', 'status']).where('email', 'like', 'bench-%').execute();
      const perAddress = new Map<string, number>();
      for (const r of rows) perAddress.set(r.email!, (perAddress.get(r.email!) ?? 0) + 1);
      let lost = 0;
      for (let c = 0; c < CLIENTS; c++) for (let n = 0; n < PER_CLIENT; n++) if (!perAddress.has(address(c, n))) lost++;
      const duplicates = [...perAddress.values()].filter((v) => v > 1).length;
      const published = rows.filter((r) => r.status === 'published').length;
      const confirmations = await handle.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'contribution.confirmed').executeTakeFirstOrThrow();
      const ok = rows.length === TOTAL && lost === 0 && duplicates === 0 && published === TOTAL && Number(confirmations.n) === TOTAL && over === 429;
      return {
        dialect,
        submissionsPerSecond: TOTAL / submitSeconds,
        confirmationsPerSecond: TOTAL / confirmSeconds,
        submissionsPerCpuSecond: TOTAL / submitCpu,
        confirmationsPerCpuSecond: TOTAL / confirmCpu,
        stored: rows.length,
        published,
        duplicates,
        lost,
        refusedOverLimit: over === 429,
        ok,
      };
    } finally {
      await app.close();
    }
  } finally {
    await handle.destroy();
    await drop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs both databases and prints the table; true when every check held. */
export async function runContributionsBench(): Promise<boolean> {
  console.log(`\nContributions: ${CLIENTS} concurrent clients submit ${TOTAL} contributions (each its own address), then confirm them from the links in the mail folder.`);
  console.log(
    `  Limits stay on (5 per address and hour, 20 per client IP and hour). The app trusts one proxy (BESA_TRUST_PROXY=1) and each client sends its own X-Forwarded-For, so each of the ${CLIENTS} clients uses exactly its ${PER_CLIENT} places; one more is refused (429).`,
  );
  const results: ContributionsBenchResult[] = [];
  const only = process.env.BENCH_CONTRIBUTIONS_DB;
  for (const dialect of (['sqlite', 'postgres'] as const).filter((d) => !only || d === only)) {
    try {
      results.push(await benchContributions(dialect));
    } catch (error) {
      console.log(`  ${dialect}: could not run: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const rows = [['database', 'submissions/s', 'confirmations/s', 'per CPU-s (submit/confirm)', 'stored', 'published', 'lost', 'doubled', '21st refused', 'exactly once', `target ≥ ${TARGET_SQLITE_PER_SECOND}/s (SQLite)`]];
  for (const r of results) {
    rows.push([
      r.dialect,
      r.submissionsPerSecond.toFixed(0),
      r.confirmationsPerSecond.toFixed(0),
      `${r.submissionsPerCpuSecond.toFixed(0)} / ${r.confirmationsPerCpuSecond.toFixed(0)}`,
      String(r.stored),
      String(r.published),
      String(r.lost),
      String(r.duplicates),
      r.refusedOverLimit ? 'yes' : 'NO',
      r.ok ? 'yes' : 'NO',
      r.dialect === 'sqlite' ? (Math.min(r.submissionsPerSecond, r.confirmationsPerSecond) >= TARGET_SQLITE_PER_SECOND ? 'met' : 'MISSED') : 'n/a',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log('  ' + r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  console.log('  per CPU-s: contributions per second of the app\'s CPU time (the 50 clients run in a process of their own): what one core sustains, steadier than wall-clock rates when other work shares the machine.');
  console.log(`  load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs.`);
  return results.length === (only ? 1 : 2) && results.every((r) => r.ok);
}

if (process.env.BENCH_CONTRIBUTIONS_JOB && import.meta.url === `file://${process.argv[1]}`) {
  const job = JSON.parse(await readFile(process.env.BENCH_CONTRIBUTIONS_JOB, 'utf8')) as ClientJob;
  const result = await runClients(job);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  runContributionsBench().then(
    (ok) => {
      process.exitCode = ok ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
