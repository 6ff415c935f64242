import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { DIALECTS } from '../../../test/db.js';
import type { Db } from '../../db/database.js';
import { seedDemo, seedIfEmpty } from '../../db/seeds/index.js';
import { LOCALES } from '../../i18n/locales.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../reporting/index.js';
import { recordHistoryCheck, runScheduledHistoryCheck, verifyPublishedHistory, type HistoryCheck } from './check.js';
import { appendToTransparencyLog } from './commands.js';
import { listEntries, type PublishedChange } from './repository.js';
import { tdb } from './tables.js';
import { verifyTransparencyLog } from './verify.js';

const run = promisify(execFile);
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const verifier = new URL('../../../scripts/verify-log.mjs', import.meta.url).pathname;

async function verifyFile(path: string, ...extra: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [verifier, path, ...extra]);
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

/** Drops entries from `size` on, with the checkpoints and stored subtrees that cover them (what an insider with database access can do). */
async function truncateLog(db: Db, size: number): Promise<void> {
  const t = tdb(db);
  await t.deleteFrom('transparency_entries').where('leaf_index', '>=', size).execute();
  await t.deleteFrom('transparency_checkpoints').where('tree_size', '>', size).execute();
  const nodes = await t.selectFrom('transparency_nodes').select(['level', 'node_index']).execute();
  for (const n of nodes) {
    if ((Number(n.node_index) + 1) * 2 ** Number(n.level) > size) {
      await t.deleteFrom('transparency_nodes').where('level', '=', n.level).where('node_index', '=', n.node_index).execute();
    }
  }
}

const logCheck = { info: () => undefined, error: () => undefined };

for (const dialect of DIALECTS) {
  describe(`tampering the site notices [${dialect}]`, () => {
    let t: TestApp;
    let db: Db;
    let dir: string;

    async function page(locale = 'en'): Promise<string> {
      const res = await t.app.inject(`/${locale}/transparency`);
      assert.equal(res.statusCode, 200);
      return res.body;
    }

    async function saveCheckpoint(name: string): Promise<string> {
      const res = await t.app.inject('/transparency/checkpoint');
      assert.equal(res.statusCode, 200);
      const path = join(dir, name);
      writeFileSync(path, res.body);
      return path;
    }

    async function saveLog(name: string): Promise<string> {
      const res = await t.app.inject('/transparency/log.json');
      assert.equal(res.statusCode, 200);
      const path = join(dir, name);
      writeFileSync(path, res.body);
      return path;
    }

    async function intact(): Promise<HistoryCheck> {
      const check = await verifyPublishedHistory(db);
      assert.equal(check.ok, true, JSON.stringify(check.problem));
      return check;
    }

    before(async () => {
      t = await openTestApp(dialect);
      db = t.database.db;
      dir = mkdtempSync(join(tmpdir(), 'besa-tamper-'));
    });
    after(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('before any check the page says so; an untouched database after the seeds is intact, and the page says when', async () => {
      assert.match(await page(), /Not checked yet/);
      assert.equal(await seedIfEmpty(db), true);
      assert.ok((await seedDemo(db)) > 0);
      const check = await intact();
      assert.ok(check.state!.entitiesChecked > 20, `compared ${check.state!.entitiesChecked} items`);
      assert.ok(check.state!.fieldsChecked > 200);
      await runScheduledHistoryCheck(db, logCheck);
      const html = await page();
      assert.match(html, /data-intact="true"/);
      assert.match(html, /Intact: the log and the published content were last verified on/);
      for (const locale of LOCALES) assert.match(await page(locale), /data-intact="true"/, locale);
    });

    test('the reporting flow (cycles, an update submitted and published, milestone statuses set) keeps the state intact', async () => {
      const plan = await db.selectFrom('action_plans').select('id').executeTakeFirstOrThrow();
      assert.ok((await generateCycles(db, SYSTEM, plan.id)) > 0);
      const cycle = await db.withTables<{ reporting_cycles: { id: number; action_plan_id: number; number: number } }>().selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', plan.id).orderBy('number').executeTakeFirstOrThrow();
      const milestones = await db.selectFrom('milestones').select(['id', 'commitment_id']).orderBy('id').execute();
      const commitmentId = milestones[0]!.commitment_id;
      const mine = milestones.filter((m) => m.commitment_id === commitmentId);
      const saved = await saveProgressUpdate(db, SYSTEM, {
        cycleId: cycle.id,
        commitmentId,
        locale: 'en',
        summary: 'Done.',
        items: mine.map((m, i) => ({ milestoneId: m.id, status: i === 0 ? 'completed' : 'in_progress', completion: i === 0 ? 'complete' : 'limited', narrative: 'Work.', obstacles: [], obstacleNote: '', links: [] })),
        files: [],
        removeFileIds: [],
        submit: true,
        formToken: null,
      });
      await publishProgressUpdate(db, SYSTEM, { updateId: saved.id });
      const completed = await db.selectFrom('milestones').select(['status', 'completed_on']).where('id', '=', mine[0]!.id).executeTakeFirstOrThrow();
      assert.equal(completed.status, 'completed');
      const check = await intact();
      assert.ok(check.state!.entitiesChecked > 20);
    });

    test('a commitment title changed directly in the database is named, and the page says "not intact" in every locale', async () => {
      const before = await db.selectFrom('commitments').select(['id', 'code', 'title']).orderBy('id').executeTakeFirstOrThrow();
      await db.updateTable('commitments').set({ title: JSON.stringify({ en: 'Quietly rewritten' }) }).where('id', '=', before.id).execute();
      // The log itself still verifies: only the state check sees it.
      assert.equal((await verifyTransparencyLog(db)).ok, true);
      const check = await verifyPublishedHistory(db);
      assert.equal(check.ok, false);
      assert.deepEqual(check.problem, { kind: 'state', difference: { entityType: 'commitment', entityId: before.id, code: before.code, kind: 'changed', field: 'title' } });
      await runScheduledHistoryCheck(db, logCheck);
      const html = await page();
      assert.match(html, /data-intact="false"/);
      assert.match(html, new RegExp(`NOT intact: .*the title of the commitment ${before.code} differs from what the log says was published`));
      assert.match(html, /They were last verified intact on/);
      assert.doesNotMatch(html.slice(html.indexOf('transparency-check')), /field title|>title</);
      for (const locale of LOCALES) {
        const body = await page(locale);
        assert.match(body, /data-intact="false"/, locale);
        assert.ok(body.includes(before.code), locale);
      }
      await db.updateTable('commitments').set({ title: before.title }).where('id', '=', before.id).execute();
      await intact();
    });

    test('a milestone status changed directly in the database is named', async () => {
      const m = await db.selectFrom('milestones').select(['id', 'code', 'status']).where('status', '<>', 'delayed').orderBy('id', 'desc').executeTakeFirstOrThrow();
      await db.updateTable('milestones').set({ status: 'delayed' }).where('id', '=', m.id).execute();
      const check = await verifyPublishedHistory(db);
      assert.deepEqual(check.problem, { kind: 'state', difference: { entityType: 'milestone', entityId: m.id, code: m.code, kind: 'changed', field: 'status' } });
      await db.updateTable('milestones').set({ status: m.status }).where('id', '=', m.id).execute();
      await intact();
    });

    test("a plan's retired status column (rewritten to 'derived' by migration 0011) is not compared", async () => {
      const plan = await db.selectFrom('action_plans').select(['id', 'status']).orderBy('id').executeTakeFirstOrThrow();
      // An instance seeded before 0011 logged 'in_implementation'; the column now holds 'derived'.
      await db.updateTable('action_plans').set({ status: 'in_implementation' }).where('id', '=', plan.id).execute();
      assert.equal((await verifyPublishedHistory(db)).ok, true);
      await db.updateTable('action_plans').set({ status: plan.status }).where('id', '=', plan.id).execute();
      await intact();
    });

    test('an item inserted without being published is named', async () => {
      const c = await db.selectFrom('commitments').selectAll().orderBy('id').executeTakeFirstOrThrow();
      const { id: _id, ...rest } = c;
      const row = await db.insertInto('commitments').values({ ...rest, code: 'XKGJA0099' }).returning('id').executeTakeFirstOrThrow();
      const check = await verifyPublishedHistory(db);
      assert.deepEqual(check.problem, { kind: 'state', difference: { entityType: 'commitment', entityId: row.id, code: 'XKGJA0099', kind: 'unpublished' } });
      await db.deleteFrom('commitments').where('id', '=', row.id).execute();
      await intact();
    });

    test('dropping the last entries with their checkpoints passes the plain checks but fails --previous (app and verify-log.mjs)', async () => {
      const commitment = await db.selectFrom('commitments').select(['id', 'title']).orderBy('id').executeTakeFirstOrThrow();
      const sizeBefore = (await verifyTransparencyLog(db)).treeSize;
      // Two published changes, then the site saves what a citizen saves.
      for (const title of ['Renamed once', 'Renamed twice']) {
        await runCommand(db, SYSTEM, async (trx, audit) => {
          const next = JSON.stringify({ en: title });
          await trx.updateTable('commitments').set({ title: next }).where('id', '=', commitment.id).execute();
          await audit.publish('commitment.updated', 'commitment', commitment.id, { changed: ['title'], values: { title: { en: title } } });
        });
      }
      const saved = await saveCheckpoint('dropped-tail-checkpoint.json');
      await intact();
      // An insider drops both entries with their checkpoints and subtrees, and puts the old title back.
      await truncateLog(db, sizeBefore);
      await db.updateTable('commitments').set({ title: commitment.title }).where('id', '=', commitment.id).execute();
      const plain = await verifyPublishedHistory(db);
      assert.equal(plain.ok, true, 'without a saved checkpoint the removal is invisible');
      const withPrevious = await verifyPublishedHistory(db, { previous: readJson(saved) });
      assert.equal(withPrevious.ok, false);
      assert.equal(withPrevious.problem?.kind, 'previous');
      assert.match(withPrevious.previous?.reason ?? '', /fewer than the .* entries were removed/);
      const log = await saveLog('dropped-tail-log.json');
      assert.equal((await verifyFile(log)).code, 0);
      const offline = await verifyFile(log, '--previous', saved);
      assert.equal(offline.code, 1, offline.out);
      assert.match(offline.out, /entries were removed/);
      // Publishing again past the old size does not hide it: the first entries no longer give the saved root.
      await runCommand(db, SYSTEM, async (_trx, audit) => {
        for (let i = 0; i < 3; i += 1) await audit.publish('seed.note', 'jurisdiction', null, { note: i });
      });
      const regrown = await verifyPublishedHistory(db, { previous: readJson(saved) });
      assert.equal(regrown.ok, false);
      assert.match(regrown.previous?.reason ?? '', /history was rewritten/);
      const offlineRegrown = await verifyFile(await saveLog('regrown-log.json'), '--previous', saved);
      assert.equal(offlineRegrown.code, 1, offlineRegrown.out);
      assert.match(offlineRegrown.out, /history was rewritten/);
    });

    test('an entry rewritten and signed again with the database key passes the plain checks but fails --previous', async () => {
      const commitment = await db.selectFrom('commitments').select(['id', 'code']).orderBy('id', 'desc').executeTakeFirstOrThrow();
      await runCommand(db, SYSTEM, async (trx, audit) => {
        await trx.updateTable('commitments').set({ ends_on: '2026-06-30' }).where('id', '=', commitment.id).execute();
        await audit.publish('commitment.updated', 'commitment', commitment.id, { code: commitment.code, changed: ['ends_on'], values: { ends_on: '2026-06-30' } });
      });
      const saved = await saveCheckpoint('rewrite-checkpoint.json');
      const savedSize = (readJson(saved) as { treeSize: number }).treeSize;
      const good = await verifyFile(await saveLog('before-rewrite-log.json'), '--previous', saved);
      assert.equal(good.code, 0, good.out);
      assert.equal((await verifyPublishedHistory(db, { previous: readJson(saved) })).ok, true);

      // The insider rewrites that entry (the end date was never extended), fixes the content to
      // match, and re-appends the rest with the log's own key: new subtrees, new signed checkpoints.
      const [entry] = await listEntries(db, savedSize - 1, savedSize);
      assert.ok(entry);
      await truncateLog(db, savedSize - 1);
      const rewritten: PublishedChange = { ...entry, summary: { code: commitment.code, changed: ['ends_on'], values: { ends_on: '2025-12-31' } } };
      await db.transaction().execute((trx) => appendToTransparencyLog(trx, [rewritten]));
      await db.updateTable('commitments').set({ ends_on: '2025-12-31' }).where('id', '=', commitment.id).execute();

      const plain = await verifyPublishedHistory(db);
      assert.equal(plain.ok, true, `re-signed with the database key, the log and the state verify: ${JSON.stringify(plain.problem)}`);
      const check = await verifyPublishedHistory(db, { previous: readJson(saved) });
      assert.equal(check.ok, false);
      assert.equal(check.problem?.kind, 'previous');
      assert.match(check.previous?.reason ?? '', /history was rewritten/);
      const log = await saveLog('rewritten-log.json');
      assert.equal((await verifyFile(log)).code, 0);
      const offline = await verifyFile(log, '--previous', saved);
      assert.equal(offline.code, 1, offline.out);
      assert.match(offline.out, /history was rewritten/);
    });

    test('commands committing while the check runs never make it report a difference', async () => {
      const commitments = await db.selectFrom('commitments').select('id').orderBy('id').execute();
      let writing = true;
      const writer = (async () => {
        let n = 0;
        while (writing) {
          const id = commitments[n % commitments.length]!.id;
          const title = { en: `Concurrent title ${n}` };
          await runCommand(db, SYSTEM, async (trx, audit) => {
            await trx.updateTable('commitments').set({ title: JSON.stringify(title) }).where('id', '=', id).execute();
            await audit.publish('commitment.updated', 'commitment', id, { changed: ['title'], values: { title } });
          });
          n += 1;
        }
        return n;
      })();
      const checks = await Promise.all([0, 1, 2, 3].map(() => verifyPublishedHistory(db)));
      writing = false;
      const written = await writer;
      assert.ok(written > 0, 'commands ran during the checks');
      for (const check of checks) assert.equal(check.ok, true, JSON.stringify(check.problem ?? check.log));
      await intact();
    });

    test('a failing scheduled check is logged at error level and keeps the time last found intact', async () => {
      await recordHistoryCheck(db, await intact());
      const m = await db.selectFrom('milestones').select(['id', 'title']).orderBy('id').executeTakeFirstOrThrow();
      await db.updateTable('milestones').set({ title: JSON.stringify({ en: 'Changed behind the log' }) }).where('id', '=', m.id).execute();
      const errors: string[] = [];
      await runScheduledHistoryCheck(db, { info: () => undefined, error: (_o, message) => errors.push(message) });
      assert.equal(errors.length, 1);
      assert.match(errors[0]!, /milestone .* field title differs/);
      const html = await page('fr');
      assert.match(html, /PAS intact/);
      assert.match(html, /trouvés intacts pour la dernière fois/);
      await db.updateTable('milestones').set({ title: m.title }).where('id', '=', m.id).execute();
    });
  });
}
