/**
 * `npm run bench -- --only=export`: the whole OGP-scale instance exported as JSON and as a CSV
 * ZIP, each in a process of its own (as `besa export` runs), with its time and peak memory
 * (maxRSS of the child, from process.resourceUsage()) against the targets: under 30 s and 256 MB.
 * Decidim needed 15 minutes and 1.5 GB for 34,000 records.
 *
 *   tsx bench/export.ts [--postgres]    generate the data in a temporary database (and a PostgreSQL one), then measure
 *   tsx bench/export.ts --child DB FORMAT OUT   (what the parent runs) one export, one JSON line
 *   tsx bench/export.ts --served DB             the app serving /open-data/all.json and all.csv.zip: the first
 *                                               request makes the file, the next ones send it (time, peak memory)
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

export const EXPORT_TARGETS = { seconds: 30, maxRssMb: 256 };
const here = fileURLToPath(new URL('.', import.meta.url));

interface ChildResult {
  format: string;
  seconds: number;
  maxRssMb: number;
  rows: number;
  bytes: number;
}

function node(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TZ: 'UTC' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}: ${out}`))));
  });
}

async function child(path: string, format: string, outPath: string): Promise<void> {
  const { openDatabase } = await import('../src/db/database.js');
  const { writeJsonExport, writeCsvZip } = await import('../src/modules/opendata/index.js');
  const database = path.startsWith('postgres://') ? openDatabase({ databaseUrl: path, poolSize: 2 }) : openDatabase({ sqlitePath: path });
  const started = process.hrtime.bigint();
  const out = createWriteStream(outPath);
  const write = format === 'json' ? writeJsonExport : writeCsvZip;
  const { rows } = await write(database.db, out, { scope: { kind: 'instance' }, publicUrl: 'http://127.0.0.1:3000' });
  out.end();
  await finished(out);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await database.destroy();
  const result: ChildResult = { format, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, rows, bytes: (await stat(outPath)).size };
  console.log(JSON.stringify(result));
}

/** The downloads as the app serves them (made once per content version, then sent from the file). */
async function served(path: string): Promise<void> {
  const { buildApp } = await import('../src/app.js');
  const { loadConfig } = await import('../src/config.js');
  const { openDatabase } = await import('../src/db/database.js');
  const database = openDatabase({ sqlitePath: path });
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'production', BESA_DB: path, LOG_LEVEL: 'silent', PORT: '0' } as NodeJS.ProcessEnv), database });
  await app.ready();
  const lines: string[] = [];
  for (const url of ['/open-data/all.json', '/open-data/all.csv.zip']) {
    const times: string[] = [];
    let etag = '';
    for (let i = 0; i < 3; i++) {
      const started = process.hrtime.bigint();
      const res = await app.inject({ method: 'GET', url });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
      etag = String(res.headers.etag);
      times.push(`${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(2)} s`);
    }
    const started = process.hrtime.bigint();
    const notModified = await app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    lines.push(`  ${url}: ${times.join(', ')} (first makes the file); 304 in ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)} ms (${notModified.statusCode})`);
  }
  await app.close();
  await database.destroy();
  console.log(lines.join('\n'));
  console.log(`  peak memory of the serving process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (light-my-request holds each whole response in memory)`);
}

async function measure(dir: string, path: string, label: string): Promise<boolean> {
  console.log(`\nExport of the whole instance on ${label}, each in a process of its own (targets: < ${EXPORT_TARGETS.seconds} s, peak memory < ${EXPORT_TARGETS.maxRssMb} MB):`);
  let ok = true;
  for (const format of ['json', 'csv']) {
    const out = join(dir, `all.${format === 'json' ? 'json' : 'csv.zip'}`);
    const r = JSON.parse((await node([fileURLToPath(import.meta.url), '--child', path, format, out])).trim().split('\n').pop()!) as ChildResult;
    const pass = r.seconds < EXPORT_TARGETS.seconds && r.maxRssMb < EXPORT_TARGETS.maxRssMb;
    ok &&= pass;
    console.log(`  ${format.padEnd(5)} ${r.rows.toLocaleString('en')} rows, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(1)} s, peak memory ${r.maxRssMb.toFixed(0)} MB  ${pass ? 'PASS' : 'MISS'}`);
  }
  return ok;
}

/**
 * The same on PostgreSQL (BENCH_POSTGRES_URL, default the local server): a database of its own,
 * generated in this process, measured by child processes, dropped afterwards.
 */
export async function runExportBenchPostgres(): Promise<boolean> {
  const pg = (await import('pg')).default;
  const { openDatabase } = await import('../src/db/database.js');
  const { migrateToLatest } = await import('../src/db/migrate.js');
  const { generateOgpScale, seedDemo, seedIfEmpty } = await import('../src/db/seeds/index.js');
  const server = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `besa_bench_export_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const dir = await mkdtemp(join(tmpdir(), 'besa-bench-export-pg-'));
  try {
    const database = openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
    try {
      console.log('\nGenerating the OGP-scale data on PostgreSQL…');
      await migrateToLatest(database.db, database.dialect);
      await seedIfEmpty(database.db);
      await seedDemo(database.db);
      const generated = await generateOgpScale(database.db);
      console.log(`  ${generated.commitments} commitments, ${generated.milestones} milestones`);
    } finally {
      await database.destroy();
    }
    return await measure(dir, url.toString(), 'PostgreSQL');
  } finally {
    await rm(dir, { recursive: true, force: true });
    const drop = new pg.Client({ connectionString: server });
    await drop.connect();
    await drop.query(`drop database if exists ${name} with (force)`);
    await drop.end();
  }
}

/** Measures both exports on a database (generated here when none is given); false when a target is missed or a run failed. */
export async function runExportBench(sqlitePath?: string): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'besa-bench-export-'));
  try {
    let path = sqlitePath;
    if (!path) {
      path = join(dir, 'bench.sqlite');
      console.log('Generating the OGP-scale data (in a process of its own)…');
      const generated = JSON.parse((await node([join(here, 'generate.ts'), path])).trim().split('\n').pop()!) as { commitments: number; milestones: number; seconds: number };
      console.log(`  ${generated.commitments} commitments, ${generated.milestones} milestones in ${generated.seconds} s`);
    }
    return await measure(dir, path, 'SQLite');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--child') {
    await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
  } else if (process.argv[2] === '--served') {
    await served(process.argv[3]!);
  } else {
    const sqlite = await runExportBench();
    const postgres = process.argv.includes('--postgres') ? await runExportBenchPostgres() : true;
    process.exitCode = sqlite && postgres ? 0 : 1;
  }
}
