/**
 * What `synchronous = FULL` costs a write on SQLite in WAL mode, against NORMAL.
 *
 * In WAL mode NORMAL syncs the WAL only at checkpoints, so a commit acknowledged just before a power
 * loss or an operating-system crash can be lost (never a torn database); FULL syncs the WAL at every
 * commit. This runs the same small write transactions (an audit row, a log-sized leaf, a version
 * bump: the shape of a Besa command) in both modes on a file in the system's temporary directory and
 * prints commits per second and the time per commit.
 *
 *   nice -n 10 npx tsx bench/sqlite-synchronous.ts [--commits N] [--dir DIR]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';

const { values } = parseArgs({ options: { commits: { type: 'string', default: '2000' }, dir: { type: 'string' } } });
const commits = Number(values.commits);
const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'besa-sync-'));

function run(mode: 'NORMAL' | 'FULL'): { perSecond: number; msPerCommit: number } {
  const path = join(dir, `${mode}.sqlite`);
  const db = new SqliteDatabase(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${mode}`);
  db.exec('create table events (id integer primary key, at text, data text)');
  db.exec('create table entries (leaf_index integer primary key, leaf text, leaf_hash text)');
  db.exec('create table state (id integer primary key, version integer)');
  db.exec('insert into state values (1, 0)');
  const event = db.prepare('insert into events (at, data) values (?, ?)');
  const entry = db.prepare('insert into entries (leaf_index, leaf, leaf_hash) values (?, ?, ?)');
  const bump = db.prepare('update state set version = version + 1 where id = 1');
  const command = db.transaction((i: number) => {
    const at = new Date().toISOString();
    event.run(at, JSON.stringify({ role: 'coordinator', title: `Title ${i}`, text: 'x'.repeat(300) }));
    bump.run();
    entry.run(i, JSON.stringify({ index: i, at, summary: 'y'.repeat(600) }), 'f'.repeat(64));
  });
  for (let i = 0; i < 50; i++) command(i); // warm up
  const start = process.hrtime.bigint();
  for (let i = 50; i < commits + 50; i++) command(i);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  db.close();
  return { perSecond: Math.round((commits / ms) * 1000), msPerCommit: ms / commits };
}

try {
  console.log(`${commits} write transactions each, WAL mode, in ${dir}`);
  // Twice each, alternating, so a warm disk cache favours neither.
  const results: Record<string, number[]> = { NORMAL: [], FULL: [] };
  for (let round = 0; round < 2; round++) {
    for (const mode of ['NORMAL', 'FULL'] as const) {
      rmSync(join(dir, `${mode}.sqlite`), { force: true });
      rmSync(join(dir, `${mode}.sqlite-wal`), { force: true });
      rmSync(join(dir, `${mode}.sqlite-shm`), { force: true });
      const r = run(mode);
      results[mode]!.push(r.msPerCommit);
      console.log(`  ${mode.padEnd(6)} ${String(r.perSecond).padStart(7)} commits/s  ${r.msPerCommit.toFixed(3)} ms per commit`);
    }
  }
  const best = (mode: string) => Math.min(...results[mode]!);
  console.log(`FULL costs ${(best('FULL') - best('NORMAL')).toFixed(3)} ms more per commit (best of 2: NORMAL ${best('NORMAL').toFixed(3)} ms, FULL ${best('FULL').toFixed(3)} ms)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
