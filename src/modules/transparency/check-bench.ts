/**
 * Measures the transparency check the server runs on start and hourly (verifyPublishedHistory:
 * the whole log, then the public content against it) on OGP-scale data:
 *   node --import tsx src/modules/transparency/check-bench.ts [sqlite|postgres] [commands]
 * Loads Gjakova, runs `besa generate --scale ogp`, and times the check; then publishes every
 * generated item in the log, as if each had been created by its own command (`commands`, default
 * 2,000, is how many commands, each with its signed checkpoint, those entries are spread over),
 * and times the check again: the cost a real instance of that size pays.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openTestDatabase } from '../../../test/db.js';
import { openDatabase, type Db } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { generateOgpScale, seedIfEmpty } from '../../db/seeds/index.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { verifyPublishedHistory } from './check.js';
import { checkPublishedState } from './state.js';
import { verifyTransparencyLog } from './verify.js';
import { publicChanges } from './summary.js';

const dialect = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const commands = Number(process.argv[3] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'besa-check-bench-'));
const handle = dialect === 'sqlite' ? openDatabase({ sqlitePath: join(dir, 'bench.sqlite') }) : await openTestDatabase('postgres');
if (dialect === 'sqlite') await migrateToLatest(handle.db, handle.dialect);
const { db } = handle;

async function measure(label: string): Promise<void> {
  const times: number[] = [];
  let last;
  for (let i = 0; i < 3; i += 1) {
    const cpu = process.cpuUsage();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    last = await verifyPublishedHistory(db);
    delay.disable();
    const used = process.cpuUsage(cpu);
    times.push(last.milliseconds);
    console.log(`  run ${i + 1}: ${last.milliseconds} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU, longest event-loop stall ${Math.round(delay.max / 1e6)} ms`);
  }
  let t0 = performance.now();
  await verifyTransparencyLog(db);
  const logMs = Math.round(performance.now() - t0);
  t0 = performance.now();
  await checkPublishedState(db);
  console.log(`  of which the log ${logMs} ms, the state check ${Math.round(performance.now() - t0)} ms (wall, one more run)`);
  console.log(
    `${dialect}: ${label}: ${last!.ok ? 'intact' : JSON.stringify(last!.problem)}; ${last!.log.treeSize.toLocaleString('en')} entries, ` +
      `${last!.log.checkpointsChecked.toLocaleString('en')} checkpoints, ${last!.state?.entitiesChecked.toLocaleString('en')} items and ` +
      `${last!.state?.fieldsChecked.toLocaleString('en')} values compared; ${times.join(' / ')} ms wall (3 runs)`,
  );
}

/** Publishes a `created` entry for every row of the generated jurisdictions, spread over `commands` commands. */
async function publishEverything(database: Db): Promise<number> {
  const changes: Array<{ action: string; type: string; id: number; values: object }> = [];
  for (const r of await database.selectFrom('jurisdictions').selectAll().where('slug', 'like', 'synthetic-%').orderBy('id').execute()) {
    const { id, created_at: _c, updated_at: _u, ...values } = r;
    changes.push({ action: 'jurisdiction.created', type: 'jurisdiction', id, values });
  }
  const synthetic = new Set(changes.map((c) => c.id));
  for (const r of await database.selectFrom('institutions').selectAll().orderBy('id').execute()) {
    if (!synthetic.has(r.jurisdiction_id)) continue;
    const { id, created_at: _c, updated_at: _u, ...values } = r;
    changes.push({ action: 'institution.created', type: 'institution', id, values });
  }
  const plans = new Set<number>();
  for (const r of await database.selectFrom('action_plans').selectAll().orderBy('id').execute()) {
    if (!synthetic.has(r.jurisdiction_id)) continue;
    plans.add(r.id);
    const { id, created_at: _c, updated_at: _u, is_demo: _d, ...values } = r;
    changes.push({ action: 'action_plan.created', type: 'action_plan', id, values });
  }
  const commitments = new Set<number>();
  const roles = new Map<number, string[]>();
  for (const l of await database.selectFrom('commitment_institutions').selectAll().execute()) {
    roles.set(l.commitment_id, [...(roles.get(l.commitment_id) ?? []), `${l.role}:${l.institution_id}`]);
  }
  for (const r of await database.selectFrom('commitments').selectAll().orderBy('id').execute()) {
    if (!plans.has(r.action_plan_id)) continue;
    commitments.add(r.id);
    const { id, created_at: _c, updated_at: _u, ...values } = r;
    changes.push({ action: 'commitment.created', type: 'commitment', id, values: { ...values, institutions: (roles.get(id) ?? []).sort() } });
  }
  for (const r of await database.selectFrom('milestones').selectAll().orderBy('id').execute()) {
    if (!commitments.has(r.commitment_id)) continue;
    const { id, created_at: _c, updated_at: _u, ...values } = r;
    changes.push({ action: 'milestone.created', type: 'milestone', id, values });
  }
  const per = Math.ceil(changes.length / commands);
  for (let i = 0; i < changes.length; i += per) {
    await runCommand(database, SYSTEM, async (_trx, audit) => {
      for (const c of changes.slice(i, i + per)) await audit.publish(c.action, c.type, c.id, publicChanges(undefined, c.values));
    });
  }
  return changes.length;
}

await seedIfEmpty(db);
const generated = await generateOgpScale(db);
console.log(`${dialect}: generated ${generated.commitments.toLocaleString('en')} commitments, ${generated.milestones.toLocaleString('en')} milestones in ${generated.seconds} s`);
await measure('generated data recorded as one entry (not compared item by item)');
const started = Date.now();
const published = await publishEverything(db);
console.log(`${dialect}: published ${published.toLocaleString('en')} items in ${commands.toLocaleString('en')} commands in ${Math.round((Date.now() - started) / 1000)} s`);
await measure('every item published in the log');
await handle.destroy();
rmSync(dir, { recursive: true, force: true });
