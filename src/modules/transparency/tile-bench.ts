/**
 * Measures the tile routes on OGP-scale data and the longest leaves the seeds publish:
 *   node --import tsx src/modules/transparency/tile-bench.ts [sqlite|postgres] [commands]
 * Loads Gjakova and the demonstration data (the longest leaf so far), runs `besa generate --scale
 * ogp`, publishes every generated item in the log as check-bench.ts does (`commands` commands,
 * default 2,000), then times full hash tiles and entry bundles through the app (inject: the route,
 * its two queries and the encoding, no network) and reports the gzip ratio of every full bundle.
 */
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openTestDatabase } from '../../../test/db.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { openDatabase, type Db } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { generateOgpScale, seedDemo, seedIfEmpty } from '../../db/seeds/index.js';
import { entryBundle, tilePath, TILE_WIDTH } from '../../lib/tlog/tiles.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { publicChanges } from './summary.js';
import { tdb } from './tables.js';
import { latestTreeSize } from './tiles.js';

const dialect = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const commands = Number(process.argv[3] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'besa-tile-bench-'));
const handle = dialect === 'sqlite' ? openDatabase({ sqlitePath: join(dir, 'bench.sqlite') }) : await openTestDatabase('postgres');
if (dialect === 'sqlite') await migrateToLatest(handle.db, handle.dialect);
const { db } = handle;

async function longestLeaf(database: Db): Promise<{ index: number; bytes: number; action: string; count: number }> {
  let best = { index: -1, bytes: 0, action: '', count: 0 };
  const size = await latestTreeSize(database);
  for (let start = 0; start < size; start += 2000) {
    const rows = await tdb(database).selectFrom('transparency_entries').select(['leaf_index', 'leaf', 'action']).where('leaf_index', '>=', start).where('leaf_index', '<', start + 2000).execute();
    for (const r of rows) {
      const bytes = Buffer.byteLength(r.leaf, 'utf8');
      if (bytes > best.bytes) best = { index: Number(r.leaf_index), bytes, action: r.action, count: 0 };
    }
  }
  return { ...best, count: size };
}

/** Every generated row published as its own `created` entry (as check-bench.ts does). */
async function publishEverything(database: Db): Promise<number> {
  const changes: Array<{ action: string; type: string; id: number; values: object }> = [];
  const synthetic = new Set<number>();
  for (const r of await database.selectFrom('jurisdictions').selectAll().where('slug', 'like', 'synthetic-%').orderBy('id').execute()) {
    const { id, created_at: _c, updated_at: _u, ...values } = r;
    synthetic.add(id);
    changes.push({ action: 'jurisdiction.created', type: 'jurisdiction', id, values });
  }
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
  for (const r of await database.selectFrom('commitments').selectAll().orderBy('id').execute()) {
    if (!plans.has(r.action_plan_id)) continue;
    commitments.add(r.id);
    const { id, created_at: _c, updated_at: _u, ...values } = r;
    changes.push({ action: 'commitment.created', type: 'commitment', id, values });
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

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

await seedIfEmpty(db);
await seedDemo(db);
const demo = await longestLeaf(db);
console.log(`${dialect}: Gjakova + demonstration data: ${demo.count} entries, longest leaf ${demo.bytes} bytes (entry ${demo.index}, ${demo.action})`);
{
  // gzip on real text: the seeded plan's entries (one partial bundle).
  const leaves = await tdb(db).selectFrom('transparency_entries').select('leaf').where('leaf_index', '<', Math.min(demo.count, TILE_WIDTH)).orderBy('leaf_index').execute();
  const bundle = entryBundle(leaves.map((l) => Buffer.from(l.leaf, 'utf8')));
  const packed = gzipSync(bundle, { level: 6 }).length;
  console.log(`${dialect}: gzip of the seeded entries' bundle (${leaves.length} entries): ${bundle.length} → ${packed} bytes (${((100 * packed) / bundle.length).toFixed(1)} %, ratio ${(bundle.length / packed).toFixed(1)}:1)`);
}
await generateOgpScale(db);
const started = Date.now();
const published = await publishEverything(db);
const ogp = await longestLeaf(db);
console.log(`${dialect}: + generate --scale ogp, every item published (${published} items, ${commands} commands, ${Math.round((Date.now() - started) / 1000)} s): ${ogp.count} entries, longest leaf ${ogp.bytes} bytes (entry ${ogp.index}, ${ogp.action})`);

if (dialect === 'sqlite') {
  const plans = [
    sql`explain query plan select hash from transparency_nodes where level = 8 and node_index >= 0 and node_index < 256 order by node_index`,
    sql`explain query plan select leaf_hash from transparency_entries where leaf_index >= 0 and leaf_index < 256 order by leaf_index`,
    sql`explain query plan select tree_size from transparency_checkpoints order by tree_size desc limit 1`,
  ];
  for (const q of plans) console.log(`sqlite plan: ${(await q.execute(db)).rows.map((r) => (r as { detail: string }).detail).join(' | ')}`);
}

const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database: handle });
await app.ready();
const size = await latestTreeSize(db);
const fullTiles = Math.floor(size / TILE_WIDTH);

async function time(label: string, paths: string[], headers: Record<string, string> = {}): Promise<void> {
  const times: number[] = [];
  let bytes = 0;
  const cpu = process.cpuUsage();
  for (let round = 0; round < 3; round++) {
    for (const path of paths) {
      const t0 = performance.now();
      const res = await app.inject({ method: 'GET', url: `/transparency/tlog/${path}`, headers });
      times.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode}`);
      bytes += res.rawPayload.length;
    }
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  console.log(
    `${dialect}: ${label}: ${times.length} requests, wall median ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms; ` +
      `CPU of this process ${((used.user + used.system) / 1000 / times.length).toFixed(2)} ms a request; ${Math.round(bytes / times.length)} bytes each`,
  );
}

const level0 = Array.from({ length: fullTiles }, (_, i) => tilePath({ level: 0, index: i, width: TILE_WIDTH }));
const bundles = Array.from({ length: fullTiles }, (_, i) => tilePath({ level: 'entries', index: i, width: TILE_WIDTH }));
await time('full level-0 hash tiles', level0);
await time('level-1 hash tile (partial)', [tilePath({ level: 1, index: 0, width: Math.floor(size / TILE_WIDTH ** 2) || 1 })]);
await time('full entry bundles, identity', bundles);
await time('full entry bundles, gzip', bundles, { 'accept-encoding': 'gzip' });

let plain = 0;
let packed = 0;
for (const path of bundles) {
  const body = (await app.inject({ method: 'GET', url: `/transparency/tlog/${path}` })).rawPayload;
  plain += body.length;
  packed += gzipSync(body, { level: 6 }).length;
}
console.log(`${dialect}: gzip of ${bundles.length} full bundles: ${plain} → ${packed} bytes (${((100 * packed) / plain).toFixed(1)} %, ratio ${(plain / packed).toFixed(1)}:1)`);

await app.close();
await handle.destroy();
rmSync(dir, { recursive: true, force: true });
