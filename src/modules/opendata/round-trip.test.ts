/**
 * The open-data JSON download on both databases: export, import into a fresh empty database,
 * export again gives the same bytes (but the generation time); the offline verifier accepts the
 * download's log; published history only (no drafts, no e-mail addresses, names or tokens); a
 * jurisdiction's download holds its rows only; an instance with another signing key adopts the log
 * in an entry of its own (named by both verifiers) and publishes on with its key.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { UsageError } from '../../lib/usage-error.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { KEY_ADOPTED, processSigningKey, useSigningKey, verifyPublishedHistory, verifyTransparencyLog } from '../transparency/index.js';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { collector, seedOpenData, type OpenDataFixture } from '../../../test/opendata-fixture.js';
import { jurisdictionScope, writeJsonExport, type ExportScope } from './export-json.js';
import { importOpenData } from './import-json.js';

const run = promisify(execFile);
const verifier = new URL('../../../scripts/verify-log.mjs', import.meta.url).pathname;
const NOW = new Date('2026-12-01T10:00:00.000Z');

async function exportText(db: TestDatabase['db'], scope: ExportScope = { kind: 'instance' }, now = NOW): Promise<string> {
  const out = collector({ highWaterMark: 1024, delayMs: 0 });
  await writeJsonExport(db, out.stream, { scope, publicUrl: 'https://besa.example.org', now });
  return (await out.end()).toString('utf8');
}

describeEachDatabase('open data: export, import, export again', (get) => {
  let seeded: OpenDataFixture;
  let first: string;
  let doc: { data: Record<string, Record<string, unknown>[]>; log: { entries: unknown[]; checkpoints: unknown[]; keys: unknown[]; treeSize: number }; generatedAt: string; format: string };
  let fresh: TestDatabase | undefined;
  let dir: string;

  before(async () => {
    seeded = await seedOpenData(get().db);
    first = await exportText(get().db);
    doc = JSON.parse(first) as typeof doc;
    dir = mkdtempSync(join(tmpdir(), 'besa-opendata-'));
  });
  after(async () => {
    await fresh?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the download holds the plans, every published update and the whole log', async () => {
    assert.equal(doc.format, 'besa-open-data/1');
    assert.equal(doc.generatedAt, NOW.toISOString());
    const slugs = doc.data.jurisdictions!.map((j) => j.slug);
    assert.deepEqual(slugs, ['gjakova', 'fixture']);
    assert.deepEqual(doc.data.commitments!.map((c) => c.code).sort(), ['XKGJA0001', 'XKGJA0001', 'XKGJA0002', 'XKGJA0003']);
    assert.ok(doc.data.milestones!.some((m) => m.is_demo === true), 'demonstration milestones are flagged');
    const updates = doc.data.progress_updates!;
    assert.ok(updates.some((u) => u.id === seeded.publishedUpdateId));
    assert.ok(!updates.some((u) => u.id === seeded.draftUpdateId), 'a draft is never in the download');
    assert.ok(updates.every((u) => u.status === 'published'));
    // As the API shows an update: no drafting stamps (a later submitted_at would tell of a return).
    for (const u of updates) assert.deepEqual(Object.keys(u).filter((k) => /(submitted|created|updated)_at$/.test(k)), ['first_submitted_at']);
    const items = doc.data.progress_update_items!;
    assert.ok(items.every((i) => updates.some((u) => u.id === i.update_id)), 'items of published updates only');
    assert.equal(typeof doc.data.commitments![0]!.title, 'object', 'translatable text as an object keyed by locale');
    assert.ok(Array.isArray(doc.data.commitments![0]!.ogp_values), 'lists as arrays');
    const entries = await get().db.withTables<{ transparency_entries: { leaf_index: number } }>().selectFrom('transparency_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(doc.log.entries.length, Number(entries.n));
    assert.equal(doc.log.treeSize, doc.log.entries.length);
  });

  test('no e-mail address, person, token or private field anywhere in it', () => {
    assert.doesNotMatch(first, /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.]+/, 'no e-mail address');
    for (const word of ['password', 'private_key', 'form_token', 'coordinator_comment', 'created_by', 'token_hash', 'display_name', 'A draft nobody may read yet']) {
      assert.ok(!first.includes(word), `"${word}" is not in the download`);
    }
  });

  test('the offline verifier accepts the log member, and catches a changed entry', async () => {
    const path = join(dir, 'log.json');
    writeFileSync(path, JSON.stringify(doc.log));
    const { stdout } = await run(process.execPath, [verifier, path, '--json']);
    const result = JSON.parse(stdout) as { ok: boolean; treeSize: number; checkpointsChecked: number };
    assert.equal(result.ok, true);
    assert.equal(result.treeSize, doc.log.treeSize);
    assert.ok(result.checkpointsChecked > 0);
    const tampered = structuredClone(doc.log) as { entries: { leaf: string }[] };
    tampered.entries[3]!.leaf = tampered.entries[3]!.leaf.replace('"v":1', '"v":2');
    writeFileSync(path, JSON.stringify(tampered));
    await assert.rejects(run(process.execPath, [verifier, path, '--json']), (e: { code: number }) => e.code === 1);
  });

  test('import into an empty database, export again: the same download', async () => {
    fresh = await openTestDatabase(get().dialect);
    const result = await importOpenData(fresh.db, JSON.parse(first));
    assert.equal(result.entries, doc.log.entries.length);
    const second = await exportText(fresh.db);
    assert.equal(second, first);
    // The generation time is the only part that moves.
    const later = await exportText(fresh.db, { kind: 'instance' }, new Date('2026-12-02T00:00:00.000Z'));
    assert.equal(later.replace('2026-12-02T00:00:00.000Z', NOW.toISOString()), first);
  });

  test('the imported instance checks as the original does and publishes on (it holds the same key here)', async () => {
    assert.ok(fresh);
    // The fixture jurisdiction was inserted behind the log (a test fixture): both instances name it, and nothing else.
    const original = await verifyPublishedHistory(get().db);
    const check = await verifyPublishedHistory(fresh.db);
    assert.equal(check.log.ok, true);
    assert.deepEqual(check.state, { ...original.state });
    assert.deepEqual(check.problem, { kind: 'state', difference: { entityType: 'jurisdiction', entityId: 2, code: 'fixture', kind: 'unpublished' } });
    await runCommand(fresh.db, SYSTEM, async (trx, audit) => {
      await trx.updateTable('jurisdictions').set({ website: 'https://fixture.example.org' }).where('slug', '=', 'fixture').execute();
      await audit.publish('jurisdiction.updated', 'jurisdiction', Number(doc.data.jurisdictions![1]!.id), { changed: ['website'], values: { website: 'https://fixture.example.org' } });
    });
    const log = await verifyTransparencyLog(fresh.db);
    assert.equal(log.ok, true);
    assert.equal(log.treeSize, doc.log.treeSize + 1);
    const again = JSON.parse(await exportText(fresh.db)) as typeof doc;
    assert.equal(again.log.keys.length, doc.log.keys.length, 'the key that signed the download signs on');
    // New rows get ids after the imported ones (PostgreSQL sequences moved on).
    await runCommand(fresh.db, SYSTEM, async (trx, audit) => {
      const row = await trx
        .insertInto('institutions')
        .values({ jurisdiction_id: Number(doc.data.jurisdictions![1]!.id), slug: 'new', name: '{"en":"New"}', kind: 'government', description: '{}', website: null, created_at: NOW.toISOString(), updated_at: NOW.toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      assert.ok(row.id > Math.max(...doc.data.institutions!.map((i) => Number(i.id))));
      audit.nothingPublic();
    });
  });

  test('an instance with another key adopts the log in an entry the verifiers name, then signs on with its key', async () => {
    const original = processSigningKey();
    const other = await openTestDatabase(get().dialect);
    try {
      useSigningKey(generateKeyPairSync('ed25519').privateKey);
      const result = await importOpenData(other.db, JSON.parse(first));
      assert.equal(result.entries, doc.log.entries.length);
      const check = await verifyTransparencyLog(other.db);
      assert.equal(check.ok, true, check.reason);
      assert.deepEqual(check.keyChanges, [{ index: doc.log.treeSize, keyId: doc.log.keys.length + 1, kind: 'adopted' }]);
      await runCommand(other.db, SYSTEM, async (trx, audit) => {
        await trx.updateTable('jurisdictions').set({ website: 'https://adopted.example.org' }).where('slug', '=', 'fixture').execute();
        await audit.publish('jurisdiction.updated', 'jurisdiction', Number(doc.data.jurisdictions![1]!.id), { changed: ['website'], values: { website: 'https://adopted.example.org' } });
      });
      const again = JSON.parse(await exportText(other.db)) as typeof doc & { log: { entries: { leaf: string }[] } };
      assert.equal(again.log.treeSize, doc.log.treeSize + 2);
      assert.equal((JSON.parse(again.log.entries[doc.log.treeSize]!.leaf) as { action: string }).action, KEY_ADOPTED);
      assert.equal(again.log.keys.length, doc.log.keys.length + 1, 'the adopted key signs the new checkpoints');
      const path = join(dir, 'adopted.json');
      writeFileSync(path, JSON.stringify(again.log));
      const { stdout } = await run(process.execPath, [verifier, path]);
      assert.match(stdout, /^OK: /);
      assert.match(stdout, /an adoption, NOT vouched for/);
    } finally {
      useSigningKey(original.privateKey, original.source);
      await other.destroy();
    }
  });

  test('a non-empty database and a jurisdiction download are refused', async () => {
    assert.ok(fresh);
    await assert.rejects(importOpenData(fresh.db, JSON.parse(first)), (e: unknown) => e instanceof UsageError && /not empty/.test(e.message));
    const scope = await jurisdictionScope(get().db, 'fixture');
    assert.ok(scope);
    const partial = JSON.parse(await exportText(get().db, scope)) as typeof doc;
    const other = await openTestDatabase(get().dialect);
    try {
      await assert.rejects(importOpenData(other.db, partial), (e: unknown) => e instanceof UsageError && /instance/.test(e.message));
      await assert.rejects(importOpenData(other.db, { ...JSON.parse(first), format: 'besa-open-data/2' }), UsageError);
    } finally {
      await other.destroy();
    }
  });

  test("a jurisdiction's download holds its own rows and the whole log", async () => {
    const scope = await jurisdictionScope(get().db, 'fixture');
    assert.ok(scope && scope.kind === 'jurisdiction');
    const partial = JSON.parse(await exportText(get().db, scope)) as typeof doc;
    assert.deepEqual(partial.data.jurisdictions!.map((j) => j.slug), ['fixture']);
    assert.ok(partial.data.institutions!.every((i) => i.jurisdiction_id === scope.id));
    assert.deepEqual(partial.data.commitments!.map((c) => c.code), ['XKGJA0001']);
    assert.equal(partial.data.milestones!.length, 2);
    assert.deepEqual(partial.data.progress_updates!.map((u) => u.id), [seeded.publishedUpdateId]);
    assert.equal(partial.log.entries.length, doc.log.entries.length);
  });
});
