import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import type { Db } from '../../db/database.js';
import { runCommand, SYSTEM, type Actor } from '../audit/index.js';
import { appendToTransparencyLog } from './commands.js';
import { listPublicKeys, NOTE_FORMAT_C2SP, verifyCheckpoint } from './keys.js';
import { hashLeaf, verifyConsistency, verifyInclusion } from './merkle.js';
import { allCheckpoints, consistencyProof, entityHistory, inclusionProof, latestCheckpoint, listEntries, type PublishedChange } from './repository.js';
import { tdb } from './tables.js';
import { verifyTransparencyLog } from './verify.js';
import { actorWith } from '../../../test/actors.js';

const ADMIN: Actor = actorWith('administrator', { userId: 7 });
const hex = (s: string) => Buffer.from(s, 'hex');

/** One command publishing `count` changes to commitment `entityId`. */
async function publishMany(db: Db, count: number, entityId = 1, actor: Actor = ADMIN): Promise<void> {
  await runCommand(db, actor, async (_trx, audit) => {
    for (let i = 0; i < count; i += 1) {
      await audit.publish('commitment.updated', 'commitment', entityId, { changed: ['title'], values: { title: { en: `Title ${entityId}.${i}` } } });
    }
  });
}

async function expectBad(db: Db, firstBadIndex: number, reason: RegExp): Promise<void> {
  const result = await verifyTransparencyLog(db);
  assert.equal(result.ok, false, 'verification must fail');
  assert.equal(result.firstBadIndex, firstBadIndex, result.reason);
  assert.match(result.reason ?? '', reason);
}

describeEachDatabase('transparency log', (get) => {
  test('an empty log verifies', async () => {
    assert.deepEqual(await verifyTransparencyLog(get().db), { ok: true, treeSize: 0, checkpointsChecked: 0 });
  });

  test('record() alone does not publish; a failed command publishes nothing', async () => {
    const { db } = get();
    await runCommand(db, ADMIN, async (_trx, audit) => audit.record('user.signed_in', 'user', 7, { email: 'someone@example.org' }));
    await assert.rejects(
      runCommand(db, ADMIN, async (_trx, audit) => {
        await audit.publish('commitment.updated', 'commitment', 1, {});
        throw new Error('boom');
      }),
    );
    assert.equal((await listEntries(db, 0, 100)).length, 0);
    assert.equal(await latestCheckpoint(db), undefined);
  });

  test('each command appends its entries and one signed checkpoint; audit events are kept too', async () => {
    const { db } = get();
    for (const count of [1, 3, 1, 2, 5, 1, 1, 4]) await publishMany(db, count);
    const entries = await listEntries(db, 0, 1000);
    assert.deepEqual(
      entries.map((e) => e.index),
      Array.from({ length: 18 }, (_, i) => i),
    );
    assert.equal(entries[0]!.role, 'administrator');
    assert.doesNotMatch(entries[0]!.leaf, /"7"|userId/, 'no user id in the leaf');
    const checkpoints = await allCheckpoints(db);
    assert.deepEqual(
      checkpoints.map((c) => c.treeSize),
      [1, 4, 5, 7, 12, 13, 14, 18],
    );
    const [key] = await listPublicKeys(db);
    assert.ok(key);
    for (const c of checkpoints) {
      assert.equal(c.noteFormat, NOTE_FORMAT_C2SP, 'new checkpoints are C2SP signed notes');
      assert.ok(verifyCheckpoint(key, c, hex(c.rootHash)));
      assert.ok(!verifyCheckpoint(key, { ...c, noteFormat: 1 }, hex(c.rootHash)), 'a format-2 signature is not a besa-checkpoint/v1 one');
    }
    const audit = await db.selectFrom('audit_events').select('action').where('action', '=', 'commitment.updated').execute();
    assert.equal(audit.length, 18);
    assert.deepEqual(await verifyTransparencyLog(db), { ok: true, treeSize: 18, checkpointsChecked: 8 });
  });

  test('every inclusion proof and every consistency proof between checkpoints verifies', async () => {
    const { db } = get();
    const checkpoints = await allCheckpoints(db);
    const entries = await listEntries(db, 0, 1000);
    for (const c of checkpoints) {
      for (let i = 0; i < c.treeSize; i += 1) {
        const proof = await inclusionProof(db, i, c.treeSize);
        assert.equal(proof.rootHash, c.rootHash);
        assert.ok(verifyInclusion(i, c.treeSize, hashLeaf(entries[i]!.leaf), proof.path.map(hex), hex(c.rootHash)), `entry ${i} in ${c.treeSize}`);
      }
    }
    for (const a of checkpoints) {
      for (const b of checkpoints) {
        if (a.treeSize > b.treeSize) continue;
        const proof = await consistencyProof(db, a.treeSize, b.treeSize);
        assert.equal(proof.firstRootHash, a.rootHash);
        assert.equal(proof.secondRootHash, b.rootHash);
        assert.ok(verifyConsistency(a.treeSize, b.treeSize, hex(a.rootHash), hex(b.rootHash), proof.path.map(hex)), `${a.treeSize} → ${b.treeSize}`);
      }
    }
  });

  test('concurrent commands get contiguous leaf indexes and a verifiable log', async () => {
    const { db } = get();
    const before = (await latestCheckpoint(db))!.treeSize;
    await Promise.all(Array.from({ length: 12 }, (_, i) => publishMany(db, 1 + (i % 3), 100 + i)));
    const entries = await listEntries(db, 0, 1000);
    assert.equal(entries.length, before + 24);
    entries.forEach((e, i) => assert.equal(e.index, i));
    const result = await verifyTransparencyLog(db);
    assert.ok(result.ok, result.reason);
    assert.equal(result.treeSize, before + 24);
    assert.equal((await entityHistory(db, 'commitment', 105)).length, 3);
  });

  test('a changed, deleted or reordered past entry fails verification, naming the first bad entry', async () => {
    const { db } = get();
    const t = tdb(db);
    const row = async (i: number) => t.selectFrom('transparency_entries').selectAll().where('leaf_index', '=', i).executeTakeFirstOrThrow();
    const restore = async (original: Awaited<ReturnType<typeof row>>) => {
      await t.deleteFrom('transparency_entries').where('leaf_index', '=', original.leaf_index).execute();
      await t.insertInto('transparency_entries').values(original).execute();
      const again = await verifyTransparencyLog(db);
      assert.ok(again.ok, again.reason);
    };

    // The copy the history page shows is changed: it no longer matches the hashed leaf.
    const e4 = await row(4);
    await t.updateTable('transparency_entries').set({ summary: '{"values":{"title":{"en":"Forged"}}}' }).where('leaf_index', '=', 4).execute();
    await expectBad(db, 4, /columns differ/);
    await restore(e4);

    // The leaf text is changed, its hash left alone.
    await t.updateTable('transparency_entries').set({ leaf: e4.leaf.replace('Title', 'Forged') }).where('leaf_index', '=', 4).execute();
    await expectBad(db, 4, /leaf hash/);
    await restore(e4);

    // Leaf and hash rewritten consistently: the signed root no longer matches. Entry 4 is a
    // one-entry command (sizes 4 → 5), so the range named is exactly that entry.
    const forgedLeaf = e4.leaf.replace('Title', 'Forged');
    const forgedSummary = JSON.stringify(JSON.parse(forgedLeaf).summary);
    await t
      .updateTable('transparency_entries')
      .set({ leaf: forgedLeaf, leaf_hash: hashLeaf(forgedLeaf).toString('hex'), summary: forgedSummary })
      .where('leaf_index', '=', 4)
      .execute();
    await expectBad(db, 4, /root hash signed in the checkpoint of size 5/);
    await restore(e4);

    // Deleted.
    const e9 = await row(9);
    await t.deleteFrom('transparency_entries').where('leaf_index', '=', 9).execute();
    await expectBad(db, 9, /entry 9 is missing/);
    await restore(e9);

    // Reordered: entries 2 and 6 swap places.
    const e2 = await row(2);
    const e6 = await row(6);
    await t.updateTable('transparency_entries').set({ leaf_index: -1 }).where('leaf_index', '=', 2).execute();
    await t.updateTable('transparency_entries').set({ leaf_index: 2 }).where('leaf_index', '=', 6).execute();
    await t.updateTable('transparency_entries').set({ leaf_index: 6 }).where('leaf_index', '=', -1).execute();
    await expectBad(db, 2, /out of place/);
    await t.deleteFrom('transparency_entries').where('leaf_index', 'in', [2, 6]).execute();
    await t.insertInto('transparency_entries').values([e2, e6]).execute();

    // The newest entry deleted: its checkpoint still covers it.
    const size = (await latestCheckpoint(db))!.treeSize;
    const last = await row(size - 1);
    await t.deleteFrom('transparency_entries').where('leaf_index', '=', size - 1).execute();
    await expectBad(db, size - 1, /missing/);
    await restore(last);

    // A checkpoint's signature forged.
    const c = (await allCheckpoints(db))[2]!;
    await t.updateTable('transparency_checkpoints').set({ signature: Buffer.alloc(64).toString('base64') }).where('tree_size', '=', c.treeSize).execute();
    const bad = await verifyTransparencyLog(db);
    assert.equal(bad.ok, false);
    assert.match(bad.reason ?? '', /signature/);
    await t.updateTable('transparency_checkpoints').set({ signature: c.signature }).where('tree_size', '=', c.treeSize).execute();

    // A stored subtree (used for proofs) corrupted.
    const node = await t.selectFrom('transparency_nodes').selectAll().where('level', '=', 2).where('node_index', '=', 1).executeTakeFirstOrThrow();
    await t.updateTable('transparency_nodes').set({ hash: '00'.repeat(32) }).where('level', '=', 2).where('node_index', '=', 1).execute();
    await expectBad(db, 4, /subtree 2\/1/);
    await t.updateTable('transparency_nodes').set({ hash: node.hash }).where('level', '=', 2).where('node_index', '=', 1).execute();
    assert.ok((await verifyTransparencyLog(db)).ok);
  });

  test('an old checkpoint proves consistent with the new one only when nothing was rewritten', async () => {
    const { db } = get();
    const saved = (await latestCheckpoint(db))!;
    await publishMany(db, 3, 200);
    await publishMany(db, 1, 201);
    const current = (await latestCheckpoint(db))!;
    const proof = await consistencyProof(db, saved.treeSize, current.treeSize);
    assert.ok(verifyConsistency(saved.treeSize, current.treeSize, hex(saved.rootHash), hex(current.rootHash), proof.path.map(hex)));

    // An insider with the database and the key rewrites entry 3 and re-signs a whole new history.
    const entries = await listEntries(db, 0, 10_000);
    const changes: PublishedChange[] = entries.map((e) => {
      const leaf = JSON.parse(e.leaf) as PublishedChange;
      return { occurredAt: leaf.occurredAt, action: leaf.action, entityType: leaf.entityType, entityId: leaf.entityId, role: leaf.role, summary: leaf.summary };
    });
    changes[3] = { ...changes[3]!, summary: { changed: ['title'], values: { title: { en: 'Rewritten' } } } };
    await db.transaction().execute(async (trx) => {
      const t = tdb(trx);
      await t.deleteFrom('transparency_checkpoints').execute();
      await t.deleteFrom('transparency_nodes').execute();
      await t.deleteFrom('transparency_entries').execute();
      await appendToTransparencyLog(trx, changes);
    });
    await publishMany(db, 2, 202);
    // The rewritten log is internally consistent and freshly signed…
    const local = await verifyTransparencyLog(db);
    assert.ok(local.ok, local.reason);
    const rewritten = (await latestCheckpoint(db))!;
    // …but it cannot be shown consistent with the checkpoint an outsider saved.
    const forged = await consistencyProof(db, saved.treeSize, rewritten.treeSize);
    assert.ok(!verifyConsistency(saved.treeSize, rewritten.treeSize, hex(saved.rootHash), hex(rewritten.rootHash), forged.path.map(hex)));
    assert.notEqual(forged.firstRootHash, saved.rootHash);
  });

  test('the signing key is made once and shared', async () => {
    const { db } = get();
    await runCommand(db, SYSTEM, async (_trx, audit) => audit.publish('seed.test', 'jurisdiction', 1, { slug: 'x' }));
    assert.equal((await listPublicKeys(db)).length, 1);
  });
});
