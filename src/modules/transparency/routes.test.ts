import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { DIALECTS } from '../../../test/db.js';
import { LOCALES } from '../../i18n/locales.js';
import { runCommand, type Actor } from '../audit/index.js';
import { openNote, parseCheckpoint, verifierFromVkey } from '../../lib/tlog/note.js';
import { verifyCheckpoint } from './keys.js';
import { hashLeaf, verifyConsistency, verifyInclusion } from './merkle.js';
import { appendToTransparencyLog } from './commands.js';
import type { PublishedChange } from './repository.js';
import { tdb } from './tables.js';
import { actorWith } from '../../../test/actors.js';

const run = promisify(execFile);
const verifier = new URL('../../../scripts/verify-log.mjs', import.meta.url).pathname;
const ADMIN: Actor = actorWith('administrator', { userId: 3 });
const hex = (s: string) => Buffer.from(s, 'hex');

async function verifyFile(path: string, ...extra: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [verifier, path, ...extra]);
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

for (const dialect of DIALECTS) {
  describe(`transparency routes [${dialect}]`, () => {
    let t: TestApp;
    let dir: string;
    before(async () => {
      t = await openTestApp(dialect);
      dir = mkdtempSync(join(tmpdir(), 'besa-log-'));
    });
    after(async () => {
      await t?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const get = (url: string) => t.app.inject({ method: 'GET', url });

    test('an empty log: no checkpoint yet, the page says so', async () => {
      const res = await get('/transparency/checkpoint');
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error, 'not_found');
      const page = await get('/en/transparency');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Nothing has been published/);
      const log = await get('/transparency/log.json');
      assert.equal(log.statusCode, 200);
      assert.deepEqual(log.json().entries, []);
    });

    test('published changes appear in the API, with proofs that verify', async () => {
      const { db } = t.database;
      await runCommand(db, ADMIN, async (_trx, audit) => {
        await audit.record('user.signed_in', 'user', 3, { email: 'person@example.org' });
        await audit.publish('commitment.created', 'commitment', 1, { changed: ['code', 'title'], values: { code: 'XKGJA0001', title: { sq: 'Buxheti', en: 'Budget <script>alert(1)</script>' } } });
      });
      for (let i = 0; i < 6; i += 1) {
        await runCommand(db, ADMIN, async (_trx, audit) => {
          await audit.publish('commitment.updated', 'commitment', 1, { changed: ['title'], values: { title: { en: `Budget v${i}` } } });
          if (i % 2) await audit.publish('action_plan.updated', 'action_plan', 1, { changed: ['status'], values: { status: 'implementation' } });
        });
      }
      const cp = (await get('/transparency/checkpoint')).json();
      assert.equal(cp.treeSize, 10);
      assert.equal(cp.format, 'c2sp.org/tlog-checkpoint');
      assert.equal(cp.noteFormat, 2);
      assert.equal(cp.text, `${cp.origin}\n10\n${cp.rootHashBase64}\n`);
      assert.match(cp.origin, /^besa-log\/[0-9a-f]{16}$/);
      assert.ok(verifyCheckpoint(cp, cp, hex(cp.rootHash)));
      // The served note is a C2SP signed note that the log's vkey opens, and its text is the checkpoint.
      const opened = openNote(cp.note, [verifierFromVkey(cp.vkey)]);
      assert.equal(opened.text, cp.text);
      assert.equal(opened.verified[0]?.name, cp.origin);
      assert.deepEqual(parseCheckpoint(opened.text).root, hex(cp.rootHash));
      assert.equal(opened.signatures[0]!.signature.toString('base64'), cp.signature);
      assert.match(cp.publicKeyPem, /BEGIN PUBLIC KEY/);

      const entries = (await get('/transparency/entries?start=0&end=10')).json();
      assert.equal(entries.entries.length, 10);
      assert.doesNotMatch(JSON.stringify(entries), /example\.org|signed_in/);
      const page2 = (await get('/transparency/entries?start=8&end=50')).json();
      assert.deepEqual(
        page2.entries.map((e: { index: number }) => e.index),
        [8, 9],
      );

      for (let i = 0; i < 10; i += 1) {
        const proof = (await get(`/transparency/proof/inclusion?index=${i}&size=10`)).json();
        assert.ok(verifyInclusion(i, 10, hashLeaf(proof.leaf), proof.path.map(hex), hex(cp.rootHash)), `entry ${i}`);
        assert.equal(proof.checkpoint.rootHash, cp.rootHash);
      }
      const checkpoints = (await get('/transparency/checkpoints')).json().checkpoints as Array<{ treeSize: number; rootHash: string }>;
      assert.equal(checkpoints.length, 7);
      for (const old of checkpoints) {
        const proof = (await get(`/transparency/proof/consistency?from=${old.treeSize}&to=10`)).json();
        assert.ok(verifyConsistency(old.treeSize, 10, hex(old.rootHash), hex(cp.rootHash), proof.path.map(hex)), `from ${old.treeSize}`);
      }
      const paged = (await get('/transparency/checkpoints?limit=3')).json();
      assert.equal(paged.checkpoints.length, 3);
      assert.equal(paged.next, `/transparency/checkpoints?before=${paged.checkpoints[2].treeSize}&limit=3`);
    });

    test('bad parameters are answered with 400 JSON, never 500', async () => {
      for (const url of [
        '/transparency/proof/inclusion',
        '/transparency/proof/inclusion?index=abc',
        '/transparency/proof/inclusion?index=-1',
        '/transparency/proof/inclusion?index=1.5',
        '/transparency/proof/inclusion?index=10&size=10',
        '/transparency/proof/inclusion?index=0&size=11',
        '/transparency/proof/inclusion?index=1&index=2',
        '/transparency/proof/inclusion?index=99999999999999999999',
        '/transparency/proof/consistency?from=5&to=3',
        '/transparency/proof/consistency?from=1&to=9999',
        '/transparency/proof/consistency',
        '/transparency/entries?start=5&end=2',
        '/transparency/entries?start=0&end=5000',
        '/transparency/entries?start=x',
        '/transparency/checkpoints?limit=0',
        '/transparency/checkpoints?before=%00',
        '/transparency/proof/inclusion?index=999999999999999&size=999999999999999',
        '/transparency/proof/consistency?from=999999999999998&to=999999999999999',
      ]) {
        const res = await get(url);
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.json().error, 'bad_request', url);
        assert.match(res.headers['content-type'] as string, /application\/json/);
      }
      assert.equal((await get('/transparency/nope')).statusCode, 404);
      assert.equal((await get('/transparency/nope')).json().error, 'not_found');
      // Numbers far beyond the log are not errors where they only select nothing.
      const far = await get('/transparency/entries?start=999999999999000&end=999999999999999');
      assert.equal(far.statusCode, 200);
      assert.deepEqual(far.json().entries, []);
      assert.equal((await get('/transparency/checkpoints?before=999999999999999')).statusCode, 200);
      const zero = (await get('/transparency/proof/consistency?from=0&to=10')).json();
      assert.deepEqual(zero.path, []);
    });

    test('the history page lists what changed, by role, with proof links; never personal data', async () => {
      for (const locale of LOCALES) {
        const res = await get(`/${locale}/history/commitment/1`);
        assert.equal(res.statusCode, 200, locale);
        assert.match(res.body, /<table/);
        assert.match(res.body, /\/transparency\/proof\/inclusion\?index=0&amp;size=10/);
        assert.doesNotMatch(res.body, /<script>alert/);
        assert.doesNotMatch(res.body, /example\.org/);
      }
      const en = await get('/en/history/commitment/1');
      assert.match(en.body, /History of the commitment/);
      assert.match(en.body, /Administrator/);
      assert.match(en.body, /Budget v5/);
      assert.match(en.body, /XKGJA0001/);
      const plan = await get('/sq/history/plan/1');
      assert.equal(plan.statusCode, 200);
      assert.match(plan.body, /Historiku i planit të veprimit/);
      for (const url of ['/en/history/commitment/2', '/en/history/user/3', '/en/history/commitment/abc', '/en/history/commitment/0', '/en/history/commitment/99999999999', '/xx/history/commitment/1']) {
        assert.equal((await get(url)).statusCode, 404, url);
      }
    });

    test('the transparency page shows the latest checkpoint and how to verify', async () => {
      for (const locale of LOCALES) {
        const res = await get(`/${locale}/transparency`);
        assert.equal(res.statusCode, 200, locale);
        assert.match(res.body, /node verify-log\.mjs log\.json --previous checkpoint\.json/);
        assert.match(res.body, /href="\/transparency\/log\.json"/);
      }
      const en = await get('/en/transparency');
      assert.match(en.body, /Latest published changes/);
      assert.match(en.body, /href="\/en\/history\/commitment\/1"><span>Commitment<\/span> <span class="code">XKGJA0001<\/span>: /);
      assert.match(en.body, /href="\/en\/history\/commitment\/1"><span>Commitment<\/span>: <span>Budget v5<\/span><\/a>/);
      // An item without a published code or name is named by its kind, never by its database id.
      assert.match(en.body, /href="\/en\/history\/plan\/1"><span>Action plan<\/span><\/a>/);
      assert.doesNotMatch(en.body, /Action plan #1/);
      const script = await get('/transparency/verify-log.mjs');
      assert.equal(script.statusCode, 200);
      assert.match(script.body, /verifyLogDocument/);
    });

    test('the downloaded log verifies offline; tampering and rewritten history are caught', async () => {
      const { db } = t.database;
      const logPath = join(dir, `log-${dialect}.json`);
      const cpPath = join(dir, `checkpoint-${dialect}.json`);
      writeFileSync(logPath, (await get('/transparency/log.json')).body);
      writeFileSync(cpPath, (await get('/transparency/checkpoint')).body);
      let result = await verifyFile(logPath);
      assert.equal(result.code, 0, result.out);
      assert.match(result.out, /OK: 10 entries, 7 signed checkpoints/);

      await runCommand(db, ADMIN, async (_trx, audit) => audit.publish('milestone.updated', 'milestone', 4, { changed: ['status'], values: { status: 'completed' } }));
      writeFileSync(logPath, (await get('/transparency/log.json')).body);
      result = await verifyFile(logPath, '--previous', cpPath);
      assert.equal(result.code, 0, result.out);
      assert.match(result.out, /checkpoint of 10 entries .* consistent with the log of 11 entries/);

      // Tamper with entry 5 in the database (leaf and hash, columns too): the offline verifier names it.
      const e5 = await tdb(db).selectFrom('transparency_entries').selectAll().where('leaf_index', '=', 5).executeTakeFirstOrThrow();
      const forged = e5.leaf.replace('Budget', 'Forged');
      await tdb(db).updateTable('transparency_entries').set({ leaf: forged }).where('leaf_index', '=', 5).execute();
      writeFileSync(logPath, (await get('/transparency/log.json')).body);
      result = await verifyFile(logPath);
      assert.equal(result.code, 1);
      assert.match(result.out, /first bad entry: 5/);

      // Rewritten consistently (hash recomputed): the signed roots from then on no longer match.
      await tdb(db).updateTable('transparency_entries').set({ leaf_hash: hashLeaf(forged).toString('hex') }).where('leaf_index', '=', 5).execute();
      writeFileSync(logPath, (await get('/transparency/log.json')).body);
      result = await verifyFile(logPath, '--json');
      assert.equal(result.code, 1);
      const parsed = JSON.parse(result.out);
      assert.equal(parsed.ok, false);
      assert.match(parsed.reason, /root hash/);

      await tdb(db).updateTable('transparency_entries').set({ leaf: e5.leaf, leaf_hash: e5.leaf_hash }).where('leaf_index', '=', 5).execute();

      // A deleted entry.
      const e2 = await tdb(db).selectFrom('transparency_entries').selectAll().where('leaf_index', '=', 2).executeTakeFirstOrThrow();
      await tdb(db).deleteFrom('transparency_entries').where('leaf_index', '=', 2).execute();
      writeFileSync(logPath, (await get('/transparency/log.json')).body);
      result = await verifyFile(logPath);
      assert.equal(result.code, 1);
      assert.match(result.out, /first bad entry: 2/);
      await tdb(db).insertInto('transparency_entries').values(e2).execute();
      writeFileSync(logPath, (await get('/transparency/log.json')).body);
      assert.equal((await verifyFile(logPath, '--previous', cpPath)).code, 0);

      // An insider with the database and the key rewrites entry 5 and re-signs a whole new log:
      // the log verifies on its own, but not against the checkpoint saved before.
      const all = await tdb(db).selectFrom('transparency_entries').select('leaf').orderBy('leaf_index').execute();
      const changes = all.map((r) => {
        const leaf = JSON.parse(r.leaf) as PublishedChange & { index: number };
        return { occurredAt: leaf.occurredAt, action: leaf.action, entityType: leaf.entityType, entityId: leaf.entityId, role: leaf.role, summary: leaf.summary };
      });
      changes[5] = { ...changes[5]!, summary: { changed: ['title'], values: { title: { en: 'Rewritten' } } } };
      await db.transaction().execute(async (trx) => {
        await tdb(trx).deleteFrom('transparency_checkpoints').execute();
        await tdb(trx).deleteFrom('transparency_nodes').execute();
        await tdb(trx).deleteFrom('transparency_entries').execute();
        await appendToTransparencyLog(trx, changes);
      });
      writeFileSync(logPath, (await get('/transparency/log.json')).body);
      assert.equal((await verifyFile(logPath)).code, 0);
      result = await verifyFile(logPath, '--previous', cpPath);
      assert.equal(result.code, 1);
      assert.match(result.out, /history was rewritten/);
    });
  });
}
