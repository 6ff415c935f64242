import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import { describeEachDatabase } from '../../../test/db.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { ForbiddenError } from '../audit/index.js';
import { computeChecklist, type StandardItemId, type StandardStatus } from './checklist.js';
import { recordAssessments, StandardsInputError } from './commands.js';
import { findStandardsPlan, loadStandardsSnapshot } from './queries.js';
import { insertStandardsFixture } from './test-fixture.js';
import { insertTestConsultation, insertTestContribution } from '../../../test/response-fixture.js';

/**
 * The checklist on the database, both dialects: fixtures in the tables of bodies, meetings,
 * monitoring reports and the transparency log, read by the snapshot query, each item computed on
 * the day before, the day of and the day after its deadline. Gjakova's zone (Europe/Belgrade)
 * decides the day of a meeting: one at 00:30 on 1 July there is 30 June in UTC.
 */

describeEachDatabase('the standards checklist on the database', (get) => {
  let f: ReportingFixture;
  let db: Db;
  before(async () => {
    db = get().db;
    f = await insertReportingFixture(db);
    await insertStandardsFixture(db, f);
  });

  async function statusOn(today: string, id: StandardItemId): Promise<StandardStatus> {
    const plan = await findStandardsPlan(db, 'gjakova', '2024-2025');
    assert.ok(plan);
    const found = computeChecklist(await loadStandardsSnapshot(db, plan, today), today).find((i) => i.id === id);
    assert.ok(found);
    return found.status;
  }

  async function sides(id: StandardItemId, dayBefore: string, dayOf: string, dayAfter: string): Promise<StandardStatus[]> {
    return [await statusOn(dayBefore, id), await statusOn(dayOf, id), await statusOn(dayAfter, id)];
  }

  test('the snapshot: current members, rules, held meetings on their day in Gjakova, the plan’s publications only', async () => {
    const plan = await findStandardsPlan(db, 'gjakova', '2024-2025');
    assert.ok(plan);
    assert.equal(plan.jurisdiction.timeZone, 'Europe/Belgrade');
    const s = await loadStandardsSnapshot(db, plan, '2024-12-01');
    assert.equal(s.forums.length, 1);
    assert.equal(s.forums[0]?.memberCount, 1);
    assert.equal(s.forums[0]?.hasRules, true);
    assert.deepEqual(s.forumMeetings.map((m) => m.day), ['2024-03-01', '2024-07-01']);
    assert.deepEqual(s.monitoringMeetings.map((m) => m.day), ['2024-03-15']);
    assert.deepEqual(s.monitoringReports.map((r) => [r.cycleNumber, r.day]), [[1, '2024-06-10']]);
    assert.deepEqual(s.publicationDays, ['2024-02-10', '2024-05-20', '2024-06-10']);
    assert.equal(await statusOn('2024-12-01', 'forum'), 'met');
  });

  test('forum meetings every six months: the meeting of 1 July (Gjakova) sets the deadline to 1 January', async () => {
    assert.deepEqual(await sides('forumMeetings', '2024-12-31', '2025-01-01', '2025-01-02'), ['due_soon', 'due_soon', 'not_met']);
    assert.equal(await statusOn('2024-12-01', 'forumMeetings'), 'met');
  });

  test("the forum's monthly rule: the first meeting was due 31 days after the start", async () => {
    assert.deepEqual(await sides('forumRhythm', '2024-01-31', '2024-02-01', '2024-02-02'), ['due_soon', 'due_soon', 'not_met']);
    // The gap before the meeting of 1 March stays on the record.
    assert.equal(await statusOn('2024-03-10', 'forumRhythm'), 'not_met');
  });

  test('monitoring every 92 days: the report of 10 June sets the deadline to 10 September', async () => {
    assert.deepEqual(await sides('monitoring', '2024-09-09', '2024-09-10', '2024-09-11'), ['due_soon', 'due_soon', 'not_met']);
    assert.equal(await statusOn('2024-08-01', 'monitoring'), 'met');
  });

  test('public pages every four months: the last publication of 10 June sets the deadline to 10 October', async () => {
    assert.deepEqual(await sides('updates', '2024-10-09', '2024-10-10', '2024-10-11'), ['due_soon', 'due_soon', 'not_met']);
  });

  test('endorsements: government alone does not count; a civil society endorsement does', async () => {
    assert.equal(await statusOn('2024-06-01', 'endorsements'), 'not_met');
    await db.insertInto('endorsements').values({ action_plan_id: f.planId, position: 1, organization: 'Ec Ma Ndryshe', sector: 'civil_society' }).execute();
    assert.equal(await statusOn('2024-06-01', 'endorsements'), 'met');
  });

  test('reasoned responses: not applicable until a consultation with contributions closes; answered only once its response table is published; demonstration consultations not counted', async () => {
    assert.equal(await statusOn('2024-06-01', 'responses'), 'not_applicable');
    const consultationId = await insertTestConsultation(db, { jurisdictionId: f.jurisdictionId, slug: 'checklist-call', planId: f.planId, closesOn: '2024-05-01' });
    const draft = await insertTestConsultation(db, { jurisdictionId: f.jurisdictionId, slug: 'checklist-draft', planId: f.planId, closesOn: '2024-05-01', published: false });
    await insertTestContribution(db, { consultationId: draft });
    assert.equal(await statusOn('2024-06-01', 'responses'), 'not_applicable', 'a draft consultation does not count');
    // A closed, answered demonstration consultation does not make the real plan "met".
    const demo = await insertTestConsultation(db, { jurisdictionId: f.jurisdictionId, slug: 'checklist-demo', planId: f.planId, closesOn: '2024-05-01', isDemo: true });
    const d = await insertTestContribution(db, { consultationId: demo, isDemo: true });
    const a = await insertTestContribution(db, { consultationId });
    const b = await insertTestContribution(db, { consultationId, status: 'hidden' });
    // Refused before publication (hidden, never published): nothing to answer.
    await insertTestContribution(db, { consultationId, status: 'hidden', publishedAt: null });
    await insertTestContribution(db, { consultationId, status: 'pending' });
    const now = new Date().toISOString();
    const answer = (id: number) => (db as unknown as Kysely<any>).insertInto('contribution_responses').values({ contribution_id: id, outcome: 'accepted', reasons: '{"en":"Yes"}', commitment_id: null, milestone_id: null, responded_by: null, created_at: now, updated_at: now }).execute();
    await answer(d);
    await (db as unknown as Kysely<any>).updateTable('consultations').set({ responded_at: now }).where('id', '=', demo).execute();
    assert.equal(await statusOn('2024-04-01', 'responses'), 'not_applicable', 'still open: nothing to judge yet');
    assert.equal(await statusOn('2024-06-01', 'responses'), 'not_met');
    for (const id of [a, b]) await answer(id);
    assert.equal(await statusOn('2024-06-01', 'responses'), 'not_met', 'draft responses answer nobody until the table is published');
    await (db as unknown as Kysely<any>).updateTable('consultations').set({ responded_at: now }).where('id', '=', consultationId).execute();
    assert.equal(await statusOn('2024-06-01', 'responses'), 'met', 'the table is published: the two answerable contributions are answered');
  });

  test('the inception assessment: submitted 15 January, due 15 March; recorded by a coordinator, met or late', async () => {
    assert.deepEqual(await sides('inception', '2024-03-14', '2024-03-15', '2024-03-16'), ['due_soon', 'due_soon', 'not_met']);
    await recordAssessments(db, f.actors.coordinator, { planId: f.planId, inceptionAssessedOn: '2024-03-15', endAssessedOn: {}, today: '2024-03-20' });
    assert.equal(await statusOn('2024-03-20', 'inception'), 'met');
    await recordAssessments(db, f.actors.coordinator, { planId: f.planId, inceptionAssessedOn: '2024-03-16', endAssessedOn: {}, today: '2024-03-20' });
    assert.equal(await statusOn('2024-03-20', 'inception'), 'not_met');
    await recordAssessments(db, f.actors.coordinator, { planId: f.planId, inceptionAssessedOn: '', endAssessedOn: {}, today: '2024-03-20' });
    assert.equal(await statusOn('2024-03-16', 'inception'), 'not_met');
  });

  test('end-of-commitment assessments: the commitment ends 31 December 2025, due 31 January 2026', async () => {
    assert.deepEqual(await sides('endAssessments', '2026-01-30', '2026-01-31', '2026-02-01'), ['due_soon', 'due_soon', 'not_met']);
    assert.equal(await statusOn('2025-11-01', 'endAssessments'), 'not_applicable');
    await recordAssessments(db, f.actors.admin, { planId: f.planId, inceptionAssessedOn: '', endAssessedOn: { [f.commitmentId]: '2026-01-31' }, today: '2026-02-05' });
    assert.equal(await statusOn('2026-02-05', 'endAssessments'), 'met');
    await recordAssessments(db, f.actors.admin, { planId: f.planId, inceptionAssessedOn: '', endAssessedOn: { [f.commitmentId]: '2026-02-01' }, today: '2026-02-05' });
    assert.equal(await statusOn('2026-02-05', 'endAssessments'), 'not_met');
  });

  test('recording assessments: holders may not; a day in the future or not a day is refused; each change is published on its plan or commitment', async () => {
    await assert.rejects(recordAssessments(db, f.actors.holder, { planId: f.planId, inceptionAssessedOn: '2024-03-01', endAssessedOn: {}, today: '2024-03-20' }), ForbiddenError);
    await assert.rejects(
      recordAssessments(db, f.actors.coordinator, { planId: f.planId, inceptionAssessedOn: '2024-03-21', endAssessedOn: { [f.commitmentId]: '31/01/2026' }, today: '2024-03-20' }),
      (error: unknown) => error instanceof StandardsInputError && error.errors.for('inception_assessed_on')?.message === 'standards.error.future' && error.errors.for(`commitment_${f.commitmentId}`)?.message === 'form.error.date',
    );
    const before: { n: number | string } = await (db as unknown as Kysely<any>).selectFrom('transparency_entries').select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow() as { n: number | string };
    const changed = await recordAssessments(db, f.actors.coordinator, { planId: f.planId, inceptionAssessedOn: '2024-03-10', endAssessedOn: { [f.commitmentId]: '' }, today: '2024-03-20' });
    assert.equal(changed, 2);
    const entries: { entity_type: string; entity_id: number; summary: string }[] = await (db as unknown as Kysely<any>).selectFrom('transparency_entries').select(['entity_type', 'entity_id', 'summary']).where('leaf_index', '>=', Number(before.n)).orderBy('leaf_index').execute();
    const plan = entries.find((e) => e.entity_type === 'action_plan' && e.entity_id === f.planId && JSON.parse(e.summary).values?.inception_assessed_on === '2024-03-10');
    assert.ok(plan, 'the plan’s new inception assessment day is in the log');
    const commitment = entries.find((e) => e.entity_type === 'commitment' && e.entity_id === f.commitmentId);
    assert.ok(commitment && JSON.parse(commitment.summary).values?.end_assessed_on === null, 'the commitment’s cleared day is in the log');
    // Nothing changed: nothing published.
    assert.equal(await recordAssessments(db, f.actors.coordinator, { planId: f.planId, inceptionAssessedOn: '2024-03-10', endAssessedOn: { [f.commitmentId]: '' }, today: '2024-03-20' }), 0);
  });
});
