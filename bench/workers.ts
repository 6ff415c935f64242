/**
 * Every core, on the wire (`npm run bench -- --only=workers`, or `tsx bench/workers.ts`).
 *
 * The real server (src/server.ts, as `npm start` runs it) with BESA_WORKERS=1 and with
 * BESA_WORKERS=<cores>, on SQLite and on PostgreSQL (Gjakova's plan and the demonstration data),
 * serving cached public pages as a browser asks for them (`Accept-Encoding: gzip, deflate, br`:
 * the stored brotli bytes). In the same run, for each, a raw node:http server on as many processes
 * (bench/baseline-server.ts) answers with the very bytes and headers Besa sent. Load from wrk
 * (autocannon saturates before the baseline does); the figures: requests per second, and the CPU
 * time all the server's processes spent per request (from /proc: steadier on a busy machine).
 * Targets: Besa ≥ 0.8× the baseline on SQLite, ≥ 0.6× on PostgreSQL.
 *
 * Options: --duration=S (5), --warmup=S (2), --workers=N (the number of cores),
 * --dialect=sqlite|postgres (both). BENCH_POSTGRES_URL names the PostgreSQL server
 * (postgres://postgres@127.0.0.1:5432/postgres).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

export const WORKERS_TARGETS = { sqlite: 0.8, postgres: 0.6 } as const;
type Dialect = keyof typeof WORKERS_TARGETS;

const PAGES = [
  { name: 'home', path: '/en/gjakova' },
  { name: 'plan', path: '/en/gjakova/plans/2024-2025' },
  { name: 'commitment', path: '/en/gjakova/plans/2024-2025/commitments/XKGJA0001' },
];
const ACCEPT_ENCODING = 'gzip, deflate, br';

export interface WorkersOptions {
  durationS: number;
  warmupS: number;
  workers: number;
  dialects: Dialect[];
}

interface Wrk {
  requestsPerSecond: number;
  requests: number;
  /** CPU time (ms) all the server's processes spent per request. */
  cpuPerRequest: number;
  p50: number;
  p99: number;
  bad: number;
}

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version.
    return (error as { status?: number }).status === 1;
  }
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (ms) the processes have used so far (Linux /proc). */
async function cpuOf(pids: number[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // A process gone: counts nothing.
    }
  }
  return (ticks * 1000) / CLK_TCK;
}

function latencyMs(text: string, label: string): number {
  const match = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(text);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function wrk(url: string, seconds: number, pids: number[], connections: number, threads: number): Promise<Wrk> {
  return new Promise((resolve, reject) => {
    void cpuOf(pids).then((cpuBefore) => {
      const child = spawn('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '-H', `Accept-Encoding: ${ACCEPT_ENCODING}`, url], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        void cpuOf(pids).then((cpuAfter) => {
          const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
          const total = /(\d+) requests in/.exec(out);
          if (code !== 0 || !rps || !total) return reject(new Error(`wrk failed (exit ${code}): ${out.trim()}`));
          const requests = Number(total[1]);
          const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
          const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
          const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
          resolve({ requestsPerSecond: Number(rps[1]), requests, cpuPerRequest: (cpuAfter - cpuBefore) / Math.max(1, requests), p50: latencyMs(out, '50%'), p99: latencyMs(out, '99%'), bad: non2xx + errors });
        });
      });
    });
  });
}

/** Starts a process and resolves once `ready` finds what it waits for in its standard output. */
function start<T>(args: string[], env: NodeJS.ProcessEnv, ready: (lines: string[]) => T | undefined, timeoutMs = 120_000): Promise<{ child: ChildProcess; value: T }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let rest = '';
    let done = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not start in time:\n${lines.join('\n')}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      rest += chunk.toString();
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
      if (done) return;
      const value = ready(lines);
      if (value !== undefined) {
        done = true;
        clearTimeout(timer);
        resolve({ child, value });
      }
    });
    child.on('exit', (code) => {
      if (done) return;
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${lines.join('\n')}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const parse = (line: string): Record<string, unknown> | undefined => {
  try {
    return line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Besa's server as `npm start` runs it; resolves with its port and its processes' pids once all listen and the start-up jobs are done. */
async function startBesa(env: NodeJS.ProcessEnv, workers: number) {
  return start(['--import', 'tsx', 'src/server.ts'], { ...process.env, ...env, BESA_WORKERS: String(workers), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'production' }, (lines) => {
    const logs = lines.map(parse).filter((l) => l !== undefined);
    const listening = logs.filter((l) => String(l.msg).startsWith('Server listening at'));
    // The start-up transparency check (the first worker's hourly job) is over before measuring.
    const checked = logs.some((l) => l.module === 'transparency');
    if (listening.length < workers || !checked) return undefined;
    const port = Number(/:(\d+)$/.exec(String(listening[0]!.msg))?.[1]);
    const primary = logs.find((l) => l.role === 'primary');
    const pids = [...new Set([...(primary ? [Number(primary.pid)] : []), ...listening.map((l) => Number(l.pid))])];
    return { port, pids };
  });
}

/** A page's raw bytes and headers as Besa sends them to a browser (not decompressed). */
function raw(port: number, path: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': ACCEPT_ENCODING } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const name of ['content-type', 'content-encoding', 'etag', 'cache-control', 'vary']) {
            const value = response.headers[name];
            if (typeof value === 'string') headers[name] = value;
          }
          resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
      })
      .on('error', reject);
  });
}

async function preparePostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const pg = (await import('pg')).default;
  const server = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `besa_bench_workers_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Gjakova's plan and the demonstration data, as `npm run demo` loads them. */
async function seed(env: { databaseUrl?: string; sqlitePath?: string }, signingKeyFile: string): Promise<void> {
  const { openDatabase } = await import('../src/db/database.js');
  const { migrateToLatest } = await import('../src/db/migrate.js');
  const { seedDemo, seedIfEmpty } = await import('../src/db/seeds/index.js');
  const { prepareSigningKey } = await import('../src/modules/transparency/index.js');
  const database = openDatabase(env);
  try {
    await migrateToLatest(database.db, database.dialect);
    // The key file the server will sign with: the seed's log entries are signed with it too.
    await prepareSigningKey({ signingKeyFile, signingKey: undefined }, database.db, () => undefined);
    await seedIfEmpty(database.db);
    await seedDemo(database.db);
  } finally {
    await database.destroy();
  }
}

const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r, index) => {
    const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    return index === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

/** Runs the measurement; false when it could not run or a target was missed. */
export async function runWorkersBench(options: Partial<WorkersOptions> = {}): Promise<boolean> {
  const { durationS = 5, warmupS = 2, workers = availableParallelism(), dialects = ['sqlite', 'postgres'] } = options;
  console.log(`\nEvery core: cached pages from the real server (src/server.ts) with 1 and ${workers} workers, against raw node:http on as many processes serving the same bytes; wrk, ${durationS} s per run (warm-up ${warmupS} s), Accept-Encoding: ${ACCEPT_ENCODING}.`);
  if (!hasWrk()) {
    console.log('  wrk is missing: these figures need it (Debian: apt-get install wrk). Skipped.');
    return false;
  }
  const dir = await mkdtemp(join(tmpdir(), 'besa-bench-workers-'));
  const rows = [['database', 'workers', 'page', 'bytes', 'Besa req/s', 'p99', 'CPU/req', 'baseline req/s', 'p99', 'CPU/req', 'ratio', 'CPU ratio', 'target', 'met (req/s)', 'met (CPU)']];
  let allMet = true;
  try {
    for (const dialect of dialects) {
      let env: NodeJS.ProcessEnv;
      let drop = async () => {};
      if (dialect === 'sqlite') {
        const sqlitePath = join(dir, 'bench.sqlite');
        const signingKeyFile = join(dir, 'sqlite-signing-key.pem');
        await seed({ sqlitePath }, signingKeyFile);
        env = { BESA_DB: sqlitePath, BESA_MAIL_DIR: join(dir, 'mail'), DATABASE_URL: '', BESA_SIGNING_KEY_FILE: signingKeyFile };
      } else {
        const postgres = await preparePostgres();
        drop = postgres.drop;
        const signingKeyFile = join(dir, 'postgres-signing-key.pem');
        await seed({ databaseUrl: postgres.url }, signingKeyFile);
        env = { DATABASE_URL: postgres.url, BESA_MAIL_DIR: join(dir, 'mail'), BESA_SIGNING_KEY_FILE: signingKeyFile };
      }
      try {
        for (const count of [...new Set([1, workers])]) {
          const besa = await startBesa(env, count);
          let baseline: Awaited<ReturnType<typeof start<{ port: number; pids: number[] }>>> | undefined;
          try {
            const { port, pids } = besa.value;
            const pages: Record<string, { headers: Record<string, string>; body: string }> = {};
            for (const page of PAGES) {
              await raw(port, page.path);
              const response = await raw(port, page.path);
              if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`);
              pages[page.path] = { headers: response.headers, body: response.body.toString('base64') };
            }
            const file = join(dir, `pages-${dialect}-${count}.json`);
            await writeFile(file, JSON.stringify(pages));
            baseline = await start([join(here, 'baseline-server.ts'), file, String(count)].flatMap((a, i) => (i === 0 ? ['--import', 'tsx', a] : [a])), process.env, (lines) => {
              const line = lines.map(parse).find((l) => l && typeof l.port === 'number');
              return line ? { port: Number(line.port), pids: line.pids as number[] } : undefined;
            });
            const threads = Math.min(2, count);
            const connections = 16 * count;
            for (const page of PAGES) {
              const besaUrl = `http://127.0.0.1:${port}${page.path}`;
              const baseUrl = `http://127.0.0.1:${baseline.value.port}${page.path}`;
              await wrk(besaUrl, warmupS, pids, connections, threads);
              const b = await wrk(besaUrl, durationS, pids, connections, threads);
              await wrk(baseUrl, warmupS, baseline.value.pids, connections, threads);
              const n = await wrk(baseUrl, durationS, baseline.value.pids, connections, threads);
              const ratio = b.requestsPerSecond / n.requestsPerSecond;
              const cpuRatio = n.cpuPerRequest / b.cpuPerRequest;
              const target = WORKERS_TARGETS[dialect];
              const valid = b.bad === 0 && n.bad === 0;
              if (!valid || ratio < target) allMet = false;
              rows.push([
                dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL',
                String(count),
                page.name,
                String(Buffer.from(pages[page.path]!.body, 'base64').length),
                f(b.requestsPerSecond),
                `${f(b.p99, 1)} ms`,
                `${f(b.cpuPerRequest, 3)} ms`,
                f(n.requestsPerSecond),
                `${f(n.p99, 1)} ms`,
                `${f(n.cpuPerRequest, 3)} ms`,
                f(ratio, 2),
                f(cpuRatio, 2),
                `≥ ${target}`,
                valid ? (ratio >= target ? 'MET' : 'NOT MET') : 'n/a (errors)',
                valid ? (cpuRatio >= target ? 'MET' : 'NOT MET') : 'n/a (errors)',
              ]);
              console.log(`  ${rows.at(-1)!.slice(0, 3).join(', ')}: ${f(b.requestsPerSecond)} vs ${f(n.requestsPerSecond)} req/s (${f(ratio, 2)}), CPU ratio ${f(cpuRatio, 2)}`);
            }
          } finally {
            if (baseline) await stop(baseline.child);
            await stop(besa.child);
          }
        }
      } finally {
        await drop();
      }
    }
    console.log(`\n${table(rows)}`);
    console.log(
      'ratio = Besa req/s ÷ baseline req/s (wrk); CPU ratio = baseline CPU per request ÷ Besa CPU per request, all of each server\'s processes counted (steadier when other work shares the machine). Bytes: the brotli page as sent.',
    );
    const load = loadavg()[0] ?? 0;
    console.log(`Load average at the end: ${load.toFixed(1)} on ${availableParallelism()} CPUs${load > availableParallelism() ? ' (busy: req/s are pessimistic and noisy; the CPU ratio is the steadier figure)' : ''}.`);
    return allMet;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
  const dialect = args.get('dialect');
  runWorkersBench({
    durationS: Number(args.get('duration') ?? 5),
    warmupS: Number(args.get('warmup') ?? 2),
    workers: Number(args.get('workers') ?? availableParallelism()),
    dialects: dialect === 'sqlite' || dialect === 'postgres' ? [dialect] : ['sqlite', 'postgres'],
  }).then(
    (met) => {
      if (!met) console.log('At least one target was not met (or a run had errors).');
    },
    (error: unknown) => {
      console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    },
  );
}
