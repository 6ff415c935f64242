/**
 * Measures appends to the transparency log at growing sizes, on SQLite (file) or PostgreSQL:
 *   node --import tsx src/modules/transparency/bench.ts [sqlite|postgres] [100000]
 * Fills the log in large commands, then times single-entry commands (runCommand + publish:
 * transaction, audit event, content-version bump, log entry, subtrees, signed checkpoint)
 * at each size, and a full verification.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase } from '../../../test/db.js';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { runCommand, type Actor } from '../audit/index.js';
import { verifyTransparencyLog } from './verify.js';

const dialect = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const target = Number(process.argv[3] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'besa-bench-'));
const handle = dialect === 'sqlite' ? openDatabase({ sqlitePath: join(dir, 'bench.sqlite') }) : await openTestDatabase('postgres');
if (dialect === 'sqlite') await migrateToLatest(handle.db, handle.dialect);
const { db } = handle;
const actor: Actor = { userId: 1, role: 'administrator', roles: [] };
const summary = (i: number) => ({ changed: ['title', 'status'], values: { title: { sq: `Zotimi ${i}`, en: `Commitment ${i}` }, status: 'in_progress' } });

let size = 0;
async function fill(to: number): Promise<void> {
  while (size < to) {
    const n = Math.min(5000, to - size);
    await runCommand(db, actor, async (_trx, audit) => {
      for (let i = 0; i < n; i += 1) await audit.publish('commitment.updated', 'commitment', (size + i) % 5000, summary(size + i));
    });
    size += n;
  }
}

/** The same command without publishing: what the log adds is the difference. */
interface Timing {
  /** Wall-clock milliseconds per command. */
  wall: number;
  /** CPU milliseconds of this process per command (less sensitive to a busy machine). */
  cpu: number;
}

async function timed(count: number, one: (i: number) => Promise<unknown>): Promise<Timing> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i += 1) await one(i);
  const used = process.cpuUsage(cpu);
  return { wall: Number(process.hrtime.bigint() - start) / 1e6 / count, cpu: (used.user + used.system) / 1000 / count };
}

const timeRecords = (count: number) =>
  timed(count, (i) => runCommand(db, actor, async (_trx, audit) => audit.record('milestone.updated', 'milestone', i, summary(i))));

async function timeAppends(count: number): Promise<Timing> {
  const timing = await timed(count, (i) => runCommand(db, actor, async (_trx, audit) => audit.publish('milestone.updated', 'milestone', i, summary(i))));
  size += count;
  return timing;
}

for (const at of [0, 10_000, 100_000].filter((s) => s <= target)) {
  await fill(at);
  const base = await timeRecords(200);
  const ms = await timeAppends(200);
  console.log(
    `${dialect}: at ${at.toLocaleString('en')} entries: publishing command ${ms.wall.toFixed(2)} ms wall, ${ms.cpu.toFixed(2)} ms CPU; ` +
      `the same command without the log ${base.wall.toFixed(2)} ms wall, ${base.cpu.toFixed(2)} ms CPU`,
  );
}
const t0 = Date.now();
const result = await verifyTransparencyLog(db);
console.log(`${dialect}: verify ${result.treeSize} entries, ${result.checkpointsChecked} checkpoints: ${result.ok ? 'ok' : result.reason} in ${Date.now() - t0} ms`);
await handle.destroy();
rmSync(dir, { recursive: true, force: true });
