/**
 * Benchmark of the public pages (run with `npm run bench`).
 *
 * 1. A temporary SQLite database: migrations, Gjakova's plan, demonstration milestones and the
 *    synthetic OGP-scale data (200 jurisdictions, 500 plans, 6,000+ commitments), written by a
 *    child process (bench/generate.ts) so that the servers start with a heap like production's.
 * 2. Besa (buildApp) on 127.0.0.1, and in the same process a baseline node:http server that
 *    answers with the very bytes Besa rendered for each URL: the cost of the framework, the
 *    cache lookup and the security headers, against the cheapest possible server.
 * 3. autocannon, in a child process so it does not share the servers' event loop, with 16
 *    connections for ~5 s per page, then the uncached commitment page and the uncached
 *    1,000-commitment plan page, each after a longer warm-up (see UNCACHED_WARMUP_S).
 *
 * 4. The pages of the bodies, the monitoring reports and the standards checklist of a synthetic
 *    jurisdiction at OGP scale, cached and uncached, with the commitment page's targets.
 * 5. Contributions (bench/contributions.ts): 50 concurrent clients submit 1,000 contributions and
 *    confirm them from the mail folder, on SQLite and on PostgreSQL; each stored exactly once.
 *
 * It stops by itself (a few minutes at most) and exits non-zero only when it could not run.
 * 6. The open-data export (bench/export.ts): the whole instance as JSON and as a CSV ZIP, each in a
 *    child process, against 30 s and 256 MB of peak memory.
 *
 * 7. Every core (bench/workers.ts): the real server with 1 and with all workers, cached pages against
 *    raw node:http on as many processes, with wrk, on SQLite and PostgreSQL (targets 0.8× and 0.6×).
 *
 * 8. Witnesses (bench/witnesses.ts): a single-entry publish with no witness and with three `besa witness`
 *    servers in process on loopback, and the time until all three cosignatures are stored.
 *
 * `--only=cached|commitment|big|people|contributions|export|workers|witnesses` runs one part, e.g. under a profiler:
 * `node --cpu-prof --import tsx bench/run.ts --only=commitment`; `--duration=S` sets the seconds per
 * page, `--warmup=S` the seconds of warm-up before each (1 s for cached pages, 5 s for uncached ones).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { BIG_PLAN, PEOPLE_JURISDICTION, PEOPLE_PLAN } from '../src/db/seeds/generate.js';
import type { GenerateResult } from '../src/db/seeds/index.js';
import { runContributionsBench } from './contributions.js';
import { runExportBench, runExportBenchPostgres } from './export.js';
import { runWorkersBench } from './workers.js';
import { runWitnessesBench } from './witnesses.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const ONLY = args.get('only');
if (ONLY !== undefined && !['cached', 'commitment', 'big', 'people', 'contributions', 'export', 'workers', 'witnesses'].includes(ONLY)) throw new Error(`--only must be cached, commitment, big, people, contributions, export, workers or witnesses, not ${ONLY}`);
const runs = (part: 'cached' | 'commitment' | 'big' | 'people' | 'contributions' | 'export' | 'workers' | 'witnesses') => ONLY === undefined || ONLY === part;
const CONNECTIONS = 16;
const DURATION_S = Number(args.get('duration') ?? 5);
if (!(DURATION_S > 0)) throw new Error('--duration must be a number of seconds');
const WARMUP_S = Number(args.get('warmup') ?? 1);
/**
 * The uncached pages run code that nothing before has warmed up (queries, rendering): on two cores
 * V8's optimising compiler needs about three seconds of this load, competing with autocannon, before
 * a request costs what it costs in a running server, and one second of warm-up left those slow
 * requests in the measured p99. `--warmup=S` sets both.
 */
const UNCACHED_WARMUP_S = Number(args.get('warmup') ?? 5);
if (!(WARMUP_S > 0 && UNCACHED_WARMUP_S > 0)) throw new Error('--warmup must be a number of seconds');
const TARGETS = { cachedRatio: 0.6, uncachedCommitmentP99Ms: 20, bigPlanMs: 100 };

const PAGES = [
  { name: 'home', path: '/en/gjakova' },
  { name: 'plan', path: '/en/gjakova/plans/2024-2025' },
  { name: 'commitment', path: '/en/gjakova/plans/2024-2025/commitments/XKGJA0001' },
];
const BIG_PLAN_PATH = `/en/${BIG_PLAN.jurisdiction}/plans/${BIG_PLAN.plan}`;
/**
 * The pages of the Forum, the monitoring body and the standards checklist at OGP scale (a
 * synthetic jurisdiction with three plans, its bodies, years of meetings and reviews), held to the
 * commitment page's targets: cached, the same ratio to the baseline; uncached, the same p99. A
 * page that does not answer 200 yet is reported and skipped.
 */
const PEOPLE_PAGES = [
  { name: 'standards', path: `/en/${PEOPLE_JURISDICTION}/plans/${PEOPLE_PLAN}/standards` },
  { name: 'body', path: `/en/${PEOPLE_JURISDICTION}/bodies/forum` },
  { name: 'monitoring report', path: `/en/${PEOPLE_JURISDICTION}/plans/${PEOPLE_PLAN}/monitoring/1` },
];

const autocannonScript = createRequire(import.meta.url).resolve('autocannon');

interface Measure {
  requestsPerSecond: number;
  /** CPU time this process (the servers) spent per request, in ms: steadier than req/s on a busy machine. */
  cpuPerRequest: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** Runs autocannon in its own process and returns its JSON summary. */
function autocannon(url: string, connections: number, durationSeconds: number): Promise<Measure> {
  const cpu = process.cpuUsage();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [autocannonScript, '-j', '-c', String(connections), '-d', String(durationSeconds), url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (durationSeconds + 30) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const used = process.cpuUsage(cpu);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const r = JSON.parse(line) as {
          requests: { average: number; total: number };
          latency: { p50: number; p99: number };
          non2xx: number;
          errors: number;
          timeouts: number;
        };
        const cpuPerRequest = (used.user + used.system) / 1000 / Math.max(1, r.requests.total);
        resolve({ requestsPerSecond: r.requests.average, cpuPerRequest, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts });
      } catch {
        reject(new Error(`autocannon failed (exit ${code}): ${err.trim() || out.trim()}`));
      }
    });
  });
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

function baselineServer(pages: Map<string, Buffer>): Promise<{ base: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const body = pages.get(request.url ?? '');
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        base: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const rps = (n: number) => n.toFixed(0);
const cpuMs = (n: number) => `${n < 1 ? n.toFixed(3) : n.toFixed(1)} ms`;
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'MET' : 'NOT MET');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r, index) => {
    const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    return index === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

/** Writes the database in a child process (bench/generate.ts), with the same Node options as this one. */
function generate(path: string): Promise<GenerateResult> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'generate.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
      } catch (error) {
        reject(new Error(`generating the data failed (${error instanceof Error ? error.message : String(error)}): ${out.trim()}`));
      }
    });
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  // Contributions make their own fresh databases (SQLite and PostgreSQL): no OGP-scale data needed.
  if (ONLY === 'contributions') {
    if (!(await runContributionsBench())) process.exitCode = 1;
    return;
  }
  // Every core: its own databases (Gjakova and the demonstration data) and its own server processes.
  if (ONLY === 'workers') {
    await runWorkersBench({ durationS: DURATION_S, warmupS: Math.max(2, WARMUP_S) });
    return;
  }
  // The open-data export generates its own OGP-scale database and measures `besa export` in child processes.
  if (ONLY === 'export') {
    const sqlite = await runExportBench();
    const postgres = await runExportBenchPostgres();
    if (!sqlite || !postgres) process.exitCode = 1;
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'besa-bench-'));
  const config: Config = loadConfig({ NODE_ENV: 'production', BESA_DB: join(dir, 'bench.sqlite'), LOG_LEVEL: 'silent', PORT: '0' } as NodeJS.ProcessEnv);
  const apps: FastifyInstance[] = [];
  let database: DatabaseHandle | undefined;
  let baseline: { base: string; close: () => Promise<void> } | undefined;
  try {
    console.log(`Database: ${config.sqlitePath}`);
    console.log('Generating the OGP-scale data (in a process of its own)…');
    const generated = await generate(config.sqlitePath);
    console.log(
      `  ${generated.jurisdictions} jurisdictions, ${generated.plans} plans, ${generated.commitments} commitments, ${generated.milestones} milestones, ${generated.bodies} bodies, ${generated.members} members, ${generated.meetings} meetings, ${generated.reviews} reviews, ${generated.recommendations} recommendations, ${generated.monitoringReports} monitoring reports in ${generated.seconds} s`,
    );
    // As the server starts (src/server.ts): open, migrate (nothing left to do), serve.
    database = openDatabase({ sqlitePath: config.sqlitePath });
    await migrateToLatest(database.db, database.dialect);

    const cachedApp = await buildApp({ config, database });
    apps.push(cachedApp);
    const besa = await listen(cachedApp);
    const uncachedApp = await buildApp({ config: { ...config, pageCacheEntries: 0 }, database });
    apps.push(uncachedApp);
    const uncached = await listen(uncachedApp);

    // Fetch each page once from Besa; the baseline serves those very bytes.
    const bytes = new Map<string, Buffer>();
    const status = new Map<string, number>();
    for (const path of [...PAGES.map((p) => p.path), BIG_PLAN_PATH, ...PEOPLE_PAGES.map((p) => p.path)]) {
      const response = await fetch(besa + path);
      status.set(path, response.status);
      bytes.set(path, Buffer.from(await response.arrayBuffer()));
      if (response.status !== 200) console.log(`  warning: ${path} answered ${response.status}; its figures are not meaningful yet`);
    }
    baseline = await baselineServer(bytes);
    const ok = (path: string) => status.get(path) === 200;

    if (runs('cached')) {
      console.log(`\nCached pages, ${CONNECTIONS} connections, ${DURATION_S} s each (warm-up ${WARMUP_S} s):`);
      const rows = [['page', 'bytes', 'Besa req/s', 'p50', 'p99', 'CPU/req', 'baseline req/s', 'p50', 'p99', 'CPU/req', 'ratio', `target ≥ ${TARGETS.cachedRatio}`, 'CPU ratio']];
      for (const page of PAGES) {
        await autocannon(besa + page.path, CONNECTIONS, WARMUP_S);
        const b = await autocannon(besa + page.path, CONNECTIONS, DURATION_S);
        await autocannon(baseline.base + page.path, CONNECTIONS, WARMUP_S);
        const n = await autocannon(baseline.base + page.path, CONNECTIONS, DURATION_S);
        const ratio = b.requestsPerSecond / n.requestsPerSecond;
        const valid = ok(page.path) && b.non2xx === 0 && b.errors === 0;
        rows.push([
          `${page.name} ${page.path}`,
          String(bytes.get(page.path)?.length ?? 0),
          rps(b.requestsPerSecond),
          ms(b.p50),
          ms(b.p99),
          cpuMs(b.cpuPerRequest),
          rps(n.requestsPerSecond),
          ms(n.p50),
          ms(n.p99),
          cpuMs(n.cpuPerRequest),
          ratio.toFixed(2),
          verdict(valid ? ratio >= TARGETS.cachedRatio : undefined),
          (n.cpuPerRequest / b.cpuPerRequest).toFixed(2),
        ]);
      }
      console.log(table(rows));
      console.log('ratio = Besa req/s ÷ baseline req/s; CPU ratio = baseline CPU per request ÷ Besa CPU per request (less sensitive to other load on the machine).');
    }

    const commitment = PAGES[2]!.path;
    if (runs('commitment')) {
      console.log(`\nUncached commitment page (page cache off), ${CONNECTIONS} connections, ${DURATION_S} s (warm-up ${UNCACHED_WARMUP_S} s):`);
      await autocannon(uncached + commitment, CONNECTIONS, UNCACHED_WARMUP_S);
      const u = await autocannon(uncached + commitment, CONNECTIONS, DURATION_S);
      const uValid = ok(commitment) && u.non2xx === 0 && u.errors === 0;
      console.log(
        table([
          ['page', 'req/s', 'p50', 'p99', 'CPU/req', `target p99 < ${TARGETS.uncachedCommitmentP99Ms} ms`],
          [commitment, rps(u.requestsPerSecond), ms(u.p50), ms(u.p99), cpuMs(u.cpuPerRequest), verdict(uValid ? u.p99 < TARGETS.uncachedCommitmentP99Ms : undefined)],
        ]),
      );
    }

    if (runs('big')) {
      console.log(`\n1,000-commitment plan page, uncached, 1 connection, ${DURATION_S} s (warm-up ${UNCACHED_WARMUP_S} s; latency of one request at a time):`);
      await autocannon(uncached + BIG_PLAN_PATH, 1, UNCACHED_WARMUP_S);
      const big = await autocannon(uncached + BIG_PLAN_PATH, 1, DURATION_S);
      const bigValid = ok(BIG_PLAN_PATH) && big.non2xx === 0 && big.errors === 0;
      console.log(
        table([
          ['page', 'bytes', 'req/s', 'p50', 'p99', 'CPU/req', `target < ${TARGETS.bigPlanMs} ms (p99)`],
          [BIG_PLAN_PATH, String(bytes.get(BIG_PLAN_PATH)?.length ?? 0), rps(big.requestsPerSecond), ms(big.p50), ms(big.p99), cpuMs(big.cpuPerRequest), verdict(bigValid ? big.p99 < TARGETS.bigPlanMs : undefined)],
        ]),
      );
    }
    if (runs('people')) {
      console.log(`\nPages of the bodies, monitoring and standards at OGP scale, ${CONNECTIONS} connections, ${DURATION_S} s each; cached (warm-up ${WARMUP_S} s) and uncached (warm-up ${UNCACHED_WARMUP_S} s):`);
      const rows = [['page', 'bytes', 'cached req/s', 'baseline req/s', 'ratio', `target ≥ ${TARGETS.cachedRatio}`, 'uncached req/s', 'p50', 'p99', 'CPU/req', `target p99 < ${TARGETS.uncachedCommitmentP99Ms} ms`]];
      for (const page of PEOPLE_PAGES) {
        if (!ok(page.path)) {
          rows.push([`${page.name} ${page.path}`, String(bytes.get(page.path)?.length ?? 0), `skipped: answered ${status.get(page.path)}`, '', '', 'n/a', '', '', '', '', 'n/a']);
          continue;
        }
        await autocannon(besa + page.path, CONNECTIONS, WARMUP_S);
        const b = await autocannon(besa + page.path, CONNECTIONS, DURATION_S);
        await autocannon(baseline.base + page.path, CONNECTIONS, WARMUP_S);
        const n = await autocannon(baseline.base + page.path, CONNECTIONS, DURATION_S);
        await autocannon(uncached + page.path, CONNECTIONS, UNCACHED_WARMUP_S);
        const u = await autocannon(uncached + page.path, CONNECTIONS, DURATION_S);
        const ratio = b.requestsPerSecond / n.requestsPerSecond;
        const cachedValid = b.non2xx === 0 && b.errors === 0;
        const uncachedValid = u.non2xx === 0 && u.errors === 0;
        rows.push([
          `${page.name} ${page.path}`,
          String(bytes.get(page.path)?.length ?? 0),
          rps(b.requestsPerSecond),
          rps(n.requestsPerSecond),
          ratio.toFixed(2),
          verdict(cachedValid ? ratio >= TARGETS.cachedRatio : undefined),
          rps(u.requestsPerSecond),
          ms(u.p50),
          ms(u.p99),
          cpuMs(u.cpuPerRequest),
          verdict(uncachedValid ? u.p99 < TARGETS.uncachedCommitmentP99Ms : undefined),
        ]);
      }
      console.log(table(rows));
    }

    if (runs('contributions') && !(await runContributionsBench())) console.log('  warning: the contributions bench found a contribution lost, doubled or unpublished, or could not run on a database');

    if (runs('export') && !(await runExportBench(config.sqlitePath))) console.log('  warning: the open-data export missed a target (30 s, 256 MB) or could not run');

    if (runs('workers')) await runWorkersBench({ durationS: DURATION_S, warmupS: Math.max(2, WARMUP_S) });

    if (runs('witnesses')) await runWitnessesBench();

    const load = loadavg()[0] ?? 0;
    if (load > availableParallelism()) console.log(`\nNote: the machine was busy (load average ${load.toFixed(1)} on ${availableParallelism()} CPUs); latencies and req/s are pessimistic.`);
    console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(0)} s (Node ${process.version}, SQLite, load average ${load.toFixed(1)}).`);
  } finally {
    await baseline?.close();
    for (const app of apps) await app.close();
    await database?.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

// Bounded: whatever happens, the run ends (the pages of the bodies, monitoring and standards add about a minute, every core about five).
const guard = setTimeout(() => {
  console.error('bench: gave up after 14 minutes');
  process.exit(1);
}, 14 * 60_000);
guard.unref();

main().then(
  () => clearTimeout(guard),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
