/**
 * The cached commitment page on PostgreSQL, against a baseline node:http server that sends the
 * same bytes (as in `npm run bench`): with the content version read from the database on every
 * request (as before ADR 11), and held in memory by the version watch (ADR 11).
 *
 * Run: `nice -n 10 npx tsx bench/pg-version.ts [--duration=5] [--warmup=1]` with PostgreSQL at
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a fresh database is
 * created and dropped.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedIfEmpty } from '../src/db/seeds/index.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const DURATION_S = Number(args.get('duration') ?? 5);
const WARMUP_S = Number(args.get('warmup') ?? 1);
const CONNECTIONS = 16;
const PAGE = '/en/gjakova/plans/2024-2025/commitments/XKGJA0001';
const SERVER = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const autocannonScript = createRequire(import.meta.url).resolve('autocannon');

function autocannon(url: string, seconds: number): Promise<{ rps: number; p99: number; non2xx: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [autocannonScript, '-j', '-c', String(CONNECTIONS), '-d', String(seconds), url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        const r = JSON.parse(out.trim().split('\n').pop() ?? '') as { requests: { average: number }; latency: { p99: number }; non2xx: number };
        resolve({ rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx });
      } catch (error) {
        reject(error);
      }
    });
  });
}

function baseline(body: Buffer): Promise<{ base: string; close: () => void }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

async function measure(label: string, database: DatabaseHandle): Promise<string> {
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', PORT: '0' } as NodeJS.ProcessEnv), database });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const body = Buffer.from(await (await fetch(base + PAGE)).arrayBuffer());
  const raw = await baseline(body);
  try {
    await autocannon(base + PAGE, WARMUP_S);
    const besa = await autocannon(base + PAGE, DURATION_S);
    await autocannon(raw.base + PAGE, WARMUP_S);
    const node = await autocannon(raw.base + PAGE, DURATION_S);
    if (besa.non2xx > 0) throw new Error(`${besa.non2xx} answers were not 200`);
    return `${label.padEnd(34)} ${besa.rps.toFixed(0).padStart(6)} req/s  p99 ${String(besa.p99).padStart(3)} ms   raw node:http ${node.rps.toFixed(0).padStart(6)} req/s   ratio ${(besa.rps / node.rps).toFixed(2)}x`;
  } finally {
    raw.close();
    await app.close();
  }
}

async function main(): Promise<void> {
  const name = `besa_bench_version_${process.pid}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const database = openDatabase({ databaseUrl: url.toString() });
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
  try {
    await migrateToLatest(database.db, database.dialect);
    await seedIfEmpty(database.db);
    // Before: one named prepared read per request, as openDatabase did until ADR 11.
    const query = { name: 'besa_content_version', text: 'select version from cache_state where id = 1' };
    const perRequest: DatabaseHandle = { ...database, readContentVersion: async () => Number((await pool.query<{ version: number }>(query)).rows[0]?.version ?? 0) };
    console.log(`cached commitment page on PostgreSQL, ${CONNECTIONS} connections, ${DURATION_S} s each`);
    console.log(await measure('version read per request (before)', perRequest));
    console.log(await measure('version in memory (ADR 11)', database));
  } finally {
    await pool.end();
    await database.destroy();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
