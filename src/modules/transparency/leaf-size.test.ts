/**
 * Every entry fits an entry bundle (at most 65,535 bytes, C2SP tlog-tiles): a larger change is
 * split by field before its leaves are numbered; one field too large on its own refuses the command.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actorWith } from '../../../test/actors.js';
import { describeEachDatabase } from '../../../test/db.js';
import { MAX_ENTRY_BYTES } from '../../lib/tlog/tiles.js';
import { runCommand } from '../audit/index.js';
import { createCommitment, updateCommitment } from '../commitments/commands.js';
import { createInstitution } from '../institutions/commands.js';
import { createJurisdiction } from '../jurisdictions/commands.js';
import { createActionPlan } from '../plans/commands.js';
import { KEY_ROTATED } from './keys.js';
import { fitLeaves, leafBytes, LeafTooLargeError } from './leaf-size.js';
import { latestCheckpoint, listEntries, logSize, type PublishedChange } from './repository.js';
import { checkPublishedState } from './state.js';
import { verifyTransparencyLog } from './verify.js';

const ADMIN = actorWith('administrator', { userId: 7 });
const change = (summary: Record<string, unknown>, action = 'commitment.updated'): PublishedChange => ({
  occurredAt: '2026-12-05T08:00:00.000Z',
  action,
  entityType: 'commitment',
  entityId: 12,
  role: 'administrator',
  summary,
});

test('a change that fits is kept as it is; a larger one is split by field, each part within the limit, replaying to the same values', () => {
  const small = change({ changed: ['title'], values: { title: { sq: 'Buxheti i hapur' } } });
  assert.deepEqual(fitLeaves([small]), [small]);

  const text = (c: string) => ({ sq: c.repeat(9_000), en: 'x'.repeat(9_000) }); // 18,000 + 9,000 bytes
  const values = { title: { sq: 'Buxheti' }, problem: text('ë'), status_quo: text('ç'), action: text('ë'), code: 'XKPRZ0001' };
  const big = change({ changed: ['title', 'problem', 'status_quo', 'action', 'code', 'removed_field'], values, previousCode: 'XKPRZ0009' });
  assert.ok(leafBytes(big) > MAX_ENTRY_BYTES);
  const parts = fitLeaves([small, big]);
  assert.equal(parts[0], small);
  const split = parts.slice(1);
  assert.equal(split.length, 2);
  for (const p of split) {
    assert.ok(leafBytes(p) <= MAX_ENTRY_BYTES, `${leafBytes(p)} bytes`);
    assert.deepEqual({ ...p, summary: undefined }, { ...big, summary: undefined }, 'same action, entity, role and time');
    // `changed` names exactly the part's values (plus, in the first, the fields published without a value).
    const names = (p.summary.changed as string[]).filter((f) => f !== 'removed_field');
    assert.deepEqual(names, Object.keys(p.summary.values as object));
    assert.equal(p.summary.previousCode, 'XKPRZ0009', 'the other keys are in every part');
  }
  assert.deepEqual(split[0]!.summary.changed, ['removed_field', 'title', 'problem', 'status_quo']);
  assert.deepEqual(split[1]!.summary.changed, ['action', 'code']);
  // Replayed in order, the parts give the values of the one change.
  assert.deepEqual(Object.assign({}, ...split.map((p) => p.summary.values)), values);
  // A smaller limit makes more parts, never a part above it.
  const tight = fitLeaves([big], 40_000);
  assert.equal(tight.length, 3);
  for (const p of tight) assert.ok(leafBytes(p) <= 40_000);
});

test('one field too large on its own, a change without values, and a key change are refused, not split', () => {
  const huge = { sq: 'ë'.repeat(20_000), en: 'é'.repeat(20_000) };
  assert.throws(
    () => fitLeaves([change({ changed: ['title', 'problem'], values: { title: 'Buxheti', problem: huge } })]),
    (e: unknown) => e instanceof LeafTooLargeError && e.field === 'problem' && e.bytes > MAX_ENTRY_BYTES && e.limit === MAX_ENTRY_BYTES && /field "problem" alone makes an entry of \d+ bytes, and an entry holds at most 65535 bytes/.test(e.message),
  );
  assert.throws(() => fitLeaves([change({ note: 'x'.repeat(70_000) })]), (e: unknown) => e instanceof LeafTooLargeError && e.field === undefined);
  assert.throws(() => fitLeaves([change({ values: { a: 'x'.repeat(40_000), b: 'y'.repeat(40_000) } }, KEY_ROTATED)]), LeafTooLargeError);
});

describeEachDatabase('entries within an entry bundle', (get) => {
  test('an update of several long texts in two languages is published as several entries; the state check and verify stay intact', async () => {
    const { db } = get();
    const jurisdictionId = await createJurisdiction(db, ADMIN, { slug: 'prizren', kind: 'local', countryCode: 'xk', website: null, contentLocale: 'sq', name: 'Komuna e Prizrenit', description: '' });
    const institutionId = await createInstitution(db, ADMIN, { jurisdictionId, slug: 'financa', kind: 'government', website: null, contentLocale: 'sq', name: 'Drejtoria e Financave', description: '' });
    const planId = await createActionPlan(db, ADMIN, {
      jurisdictionId,
      slug: '2025-2027',
      startsOn: '2025-01-01',
      endsOn: '2027-12-31',
      submittedOn: null,
      withdrawnOn: null,
      assessedOn: null,
      cocreationGroups: null,
      cocreationPublicMeetings: null,
      contentLocale: 'sq',
      title: 'Plani i veprimit 2025–2027',
      foreword: '',
      cocreationSummary: '',
      leadInstitutionIds: [institutionId],
      visionSections: [],
      endorsements: [],
    } as Parameters<typeof createActionPlan>[2]);
    const input = {
      actionPlanId: planId,
      code: 'XKPRZ0001',
      position: null,
      locale: 'sq',
      texts: { title: 'Buxheti i hapur', problem: 'ë'.repeat(15_000), status_quo: 'ç'.repeat(15_000), action: 'ë'.repeat(15_000), contribution: '', long_term_goal: '' },
      ogpValues: ['access_to_information'],
      policyAreas: [],
      leadInstitutionIds: [institutionId],
      supportingInstitutionIds: [],
      startsOn: '2025-03-01',
      endsOn: '2026-06-30',
    };
    const before = await logSize(db);
    const { id: commitmentId } = await createCommitment(db, ADMIN, input as Parameters<typeof createCommitment>[2]);
    // The same texts in English as well: each field now holds two languages.
    await updateCommitment(db, ADMIN, { ...input, commitmentId, locale: 'en', texts: { ...input.texts, title: 'Open budget', problem: 'é'.repeat(15_000), status_quo: 'è'.repeat(15_000), action: 'ê'.repeat(15_000) } } as Parameters<typeof updateCommitment>[2]);
    const entries = await listEntries(db, before, await logSize(db));
    const created = entries.filter((e) => e.action === 'commitment.created');
    const updated = entries.filter((e) => e.action === 'commitment.updated');
    assert.equal(created.length, 2, 'the creation (3 × 30,000 bytes) is two entries');
    assert.ok(updated.length >= 2, 'the update (3 × 60,000 bytes) is split too');
    for (const e of entries) {
      assert.ok(Buffer.byteLength(e.leaf, 'utf8') <= MAX_ENTRY_BYTES, `entry ${e.index}: ${Buffer.byteLength(e.leaf, 'utf8')} bytes`);
      assert.equal(e.entityId, commitmentId);
      // Each part names as changed the fields it publishes.
      assert.deepEqual([...(e.summary.changed as string[])].sort(), Object.keys(e.summary.values as object).sort());
    }
    assert.equal(new Set(updated.map((e) => e.occurredAt)).size, 1, 'the parts share their time');
    const published = Object.assign({}, ...updated.map((e) => e.summary.values)) as Record<string, { sq: string; en: string }>;
    assert.equal(published.problem!.en, 'é'.repeat(15_000));
    assert.equal(published.status_quo!.sq, 'ç'.repeat(15_000));
    assert.equal(published.action!.en, 'ê'.repeat(15_000));
    // The numbering stays contiguous and the log verifies; the database matches what was published last.
    assert.deepEqual(entries.map((e) => e.index), entries.map((_, i) => before + i));
    const verified = await verifyTransparencyLog(db);
    assert.ok(verified.ok, verified.reason);
    const state = await checkPublishedState(db);
    assert.equal(state.ok, true, JSON.stringify(state.difference));
  });

  test('a field too large for one entry refuses the command: nothing is written, neither the change nor an entry', async () => {
    const { db } = get();
    const before = await latestCheckpoint(db);
    const size = await logSize(db);
    await assert.rejects(
      runCommand(db, ADMIN, async (_trx, audit) => {
        await audit.publish('commitment.updated', 'commitment', 3, { changed: ['title'], values: { title: { sq: 'Buxheti' } } });
        await audit.publish('commitment.updated', 'commitment', 4, { changed: ['problem', 'title'], values: { problem: { sq: 'ë'.repeat(20_000), en: 'é'.repeat(20_000) }, title: { sq: 'Buxheti' } } });
      }),
      (e: unknown) => e instanceof LeafTooLargeError && e.field === 'problem' && e.entityId === 4,
    );
    assert.equal(await logSize(db), size, 'not even the change that fitted');
    assert.deepEqual(await latestCheckpoint(db), before);
  });
});
