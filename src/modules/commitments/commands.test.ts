import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import type { Db } from '../../db/database.js';
import type { Actor } from '../audit/index.js';
import {
  createCommitment,
  createMilestone,
  InvalidInputError,
  updateCommitment,
  updateMilestone,
  type CommitmentInput,
  type MilestoneInput,
} from './commands.js';
import { ADMIN } from '../../../test/actors.js';

const ACTOR: Actor = ADMIN;

export interface Fixture {
  jurisdictionId: number;
  planId: number;
  leadId: number;
  supportId: number;
  otherJurisdictionInstitutionId: number;
}

/** A jurisdiction with two institutions and a plan, and a second jurisdiction with one institution. */
export async function insertFixture(db: Db, slug = 'gjakova'): Promise<Fixture> {
  const now = new Date().toISOString();
  const jurisdiction = await db
    .insertInto('jurisdictions')
    .values({ slug, name: JSON.stringify({ sq: 'Komuna e Gjakovës', en: 'Municipality of Gjakova' }), kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const other = await db
    .insertInto('jurisdictions')
    .values({ slug: `${slug}-other`, name: JSON.stringify({ en: 'Elsewhere' }), kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const institution = (jurisdictionId: number, s: string, name: string) =>
    db
      .insertInto('institutions')
      .values({ jurisdiction_id: jurisdictionId, slug: s, name: JSON.stringify({ en: name, sq: name }), kind: 'government', description: '{}', website: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
  const lead = await institution(jurisdiction.id, 'information-office', 'Information Office');
  const support = await institution(jurisdiction.id, 'finance', 'Directorate of Finance');
  const foreign = await institution(other.id, 'foreign', 'Foreign Office');
  const plan = await db
    .insertInto('action_plans')
    .values({
      jurisdiction_id: jurisdiction.id,
      slug: '2024-2025',
      title: JSON.stringify({ en: 'Action plan 2024–2025', sq: 'Plani i veprimit 2024–2025' }),
      starts_on: '2024-01-01',
      ends_on: '2025-12-31',
      submitted_on: null,
      status: 'in_implementation',
      foreword: '{}',
      cocreation_groups: null,
      cocreation_public_meetings: null,
      cocreation_summary: '{}',
      is_demo: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { jurisdictionId: jurisdiction.id, planId: plan.id, leadId: lead.id, supportId: support.id, otherJurisdictionInstitutionId: foreign.id };
}

function commitmentInput(f: Fixture, overrides: Partial<CommitmentInput> = {}): CommitmentInput {
  return {
    code: 'XKGJA0001',
    position: null,
    locale: 'en',
    texts: { title: 'Open budget', problem: 'Budgets are hard to follow.', status_quo: '', action: 'Publish the budget monthly.', contribution: '', long_term_goal: '' },
    ogpValues: ['access_to_information', 'public_accountability'],
    policyAreas: ['Fiscal openness', '', ' Fiscal openness ', 'Digital'],
    leadInstitutionIds: [f.leadId],
    supportingInstitutionIds: [f.supportId],
    startsOn: '2024-03-01',
    endsOn: '2025-06-30',
    ...overrides,
  };
}

function milestoneInput(overrides: Partial<MilestoneInput> = {}): MilestoneInput {
  return {
    code: 'XKGJA0001.1',
    position: null,
    locale: 'en',
    texts: { title: 'Publish the first report', expected_output: 'A monthly report', indicator: 'Reports published' },
    responsibleInstitutionId: null,
    startsOn: '2024-03-01',
    dueOn: '2024-06-30',
    status: 'not_started',
    completedOn: null,
    cancelledOn: null,
    weight: 1,
    ...overrides,
  };
}

async function rejectsWith(promise: Promise<unknown>, field: string, message?: string): Promise<InvalidInputError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${String(error)}`);
    const found = error.errors.for(field);
    assert.ok(found, `expected an error on ${field}, got ${error.message}`);
    if (message) assert.equal(found.message, message);
    return error;
  }
  assert.fail(`expected an error on ${field}`);
}

describeEachDatabase('commitment commands', (get) => {
  let f: Fixture;
  let commitmentId: number;

  before(async () => {
    f = await insertFixture(get().db);
  });

  test('a text that cannot be stored is refused by the command itself (callers other than the forms), nothing written', async () => {
    const { db } = get();
    const count = async () => (await db.selectFrom('commitments').select('id').execute()).length;
    const before = await count();
    await rejectsWith(
      createCommitment(db, ACTOR, { ...commitmentInput(f, { code: 'XKGJA0099', texts: { title: 'Open\u0000 budget' } }), actionPlanId: f.planId }),
      'title',
      'form.error.character',
    );
    await rejectsWith(
      createCommitment(db, ACTOR, { ...commitmentInput(f, { code: 'XKGJA0099', texts: { title: 'Fine', problem: 'Half \ud800' } }), actionPlanId: f.planId }),
      'problem',
      'form.error.character',
    );
    assert.equal(await count(), before);
  });

  test('createCommitment stores the commitment, its institutions, an audit event, and bumps the version', async () => {
    const { db } = get();
    const version = await db.selectFrom('cache_state').select('version').executeTakeFirstOrThrow();
    const created = await createCommitment(db, ACTOR, { ...commitmentInput(f), actionPlanId: f.planId });
    commitmentId = created.id;
    const row = await db.selectFrom('commitments').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.equal(row.code, 'XKGJA0001');
    assert.equal(row.position, 1);
    assert.deepEqual(JSON.parse(row.title), { en: 'Open budget' });
    assert.equal(row.status_quo, '{}');
    // OGP's older key (access to information) is stored as today's (transparency).
    assert.deepEqual(JSON.parse(row.ogp_values), ['transparency', 'public_accountability']);
    assert.deepEqual(JSON.parse(row.policy_areas), ['Fiscal openness', 'Digital']);
    const roles = await db.selectFrom('commitment_institutions').select(['institution_id', 'role']).where('commitment_id', '=', created.id).orderBy('role').execute();
    assert.deepEqual(roles, [
      { institution_id: f.leadId, role: 'lead' },
      { institution_id: f.supportId, role: 'supporting' },
    ]);
    const events = await db.selectFrom('audit_events').selectAll().where('entity_type', '=', 'commitment').where('entity_id', '=', created.id).execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.action, 'commitment.created');
    const after = await db.selectFrom('cache_state').select('version').executeTakeFirstOrThrow();
    assert.equal(after.version, version.version + 1);
  });

  test('editing one content locale keeps the other locales', async () => {
    const { db } = get();
    await updateCommitment(db, ACTOR, {
      ...commitmentInput(f, { locale: 'sq', texts: { title: 'Buxheti i hapur', problem: 'Buxhetet janë të vështira për t’u ndjekur.', status_quo: '', action: '', contribution: '', long_term_goal: '' } }),
      commitmentId,
    });
    const row = await db.selectFrom('commitments').selectAll().where('id', '=', commitmentId).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(row.title), { sq: 'Buxheti i hapur', en: 'Open budget' });
    assert.deepEqual(JSON.parse(row.problem), { sq: 'Buxhetet janë të vështira për t’u ndjekur.', en: 'Budgets are hard to follow.' });
    assert.deepEqual(JSON.parse(row.action), { en: 'Publish the budget monthly.' });

    // Emptying a field in English removes only the English text.
    await updateCommitment(db, ACTOR, {
      ...commitmentInput(f, { texts: { title: 'Open budget', problem: '', status_quo: '', action: 'Publish the budget monthly.', contribution: '', long_term_goal: '' } }),
      commitmentId,
    });
    const again = await db.selectFrom('commitments').select(['problem', 'title']).where('id', '=', commitmentId).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(again.problem), { sq: 'Buxhetet janë të vështira për t’u ndjekur.' });
    assert.deepEqual(JSON.parse(again.title), { sq: 'Buxheti i hapur', en: 'Open budget' });

    const updated = await db.selectFrom('audit_events').select(['data']).where('action', '=', 'commitment.updated').where('entity_id', '=', commitmentId).orderBy('id').execute();
    assert.equal(updated.length, 2);
    assert.deepEqual(JSON.parse(updated[0]!.data).changed, ['title', 'problem']);
    assert.equal(JSON.parse(updated[0]!.data).locale, 'sq');
  });

  test('a duplicate commitment code in the plan is a field error', async () => {
    const { db } = get();
    await rejectsWith(createCommitment(db, ACTOR, { ...commitmentInput(f), actionPlanId: f.planId }), 'code', 'form.error.taken');
    const second = await createCommitment(db, ACTOR, { ...commitmentInput(f, { code: 'XKGJA0002' }), actionPlanId: f.planId });
    assert.equal((await db.selectFrom('commitments').select('position').where('id', '=', second.id).executeTakeFirstOrThrow()).position, 2);
    await rejectsWith(updateCommitment(db, ACTOR, { ...commitmentInput(f, { code: 'XKGJA0001' }), commitmentId: second.id }), 'code', 'form.error.taken');
  });

  test('two administrators creating the same code at once: one wins, the other gets a field error', async () => {
    const { db } = get();
    const results = await Promise.allSettled([
      createCommitment(db, ACTOR, { ...commitmentInput(f, { code: 'XKGJA0050' }), actionPlanId: f.planId }),
      createCommitment(db, ACTOR, { ...commitmentInput(f, { code: 'XKGJA0050' }), actionPlanId: f.planId }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.ok(failed?.reason instanceof InvalidInputError, String(failed?.reason));
    assert.equal(failed.reason.errors.for('code')?.message, 'form.error.taken');
    await db.deleteFrom('commitments').where('code', '=', 'XKGJA0050').execute();
  });

  test('commitment input is checked: code, lead institution, institutions of the jurisdiction, OGP values, dates, title', async () => {
    const { db } = get();
    const error = await rejectsWith(
      createCommitment(db, ACTOR, {
        ...commitmentInput(f, { code: 'bad code', leadInstitutionIds: [], ogpValues: [], startsOn: '2025-01-01', endsOn: '2024-01-01', texts: { title: ' ' } }),
        actionPlanId: f.planId,
      }),
      'code',
      'commitmentsAdmin.error.code',
    );
    assert.equal(error.errors.for('institutions')?.message, 'commitmentsAdmin.error.lead');
    assert.equal(error.errors.for('ogp_values')?.message, 'commitmentsAdmin.error.ogpValues');
    assert.equal(error.errors.for('ends_on')?.message, 'form.error.dateOrder');
    assert.equal(error.errors.for('title')?.message, 'form.error.required');
    await rejectsWith(
      createCommitment(db, ACTOR, { ...commitmentInput(f, { code: 'XKGJA0009', leadInstitutionIds: [f.otherJurisdictionInstitutionId] }), actionPlanId: f.planId }),
      'institutions',
      'form.error.choice',
    );
    await rejectsWith(createCommitment(db, ACTOR, { ...commitmentInput(f, { code: 'XKGJA0009', startsOn: '2024-02-30' }), actionPlanId: f.planId }), 'starts_on', 'form.error.date');
    const count = await db.selectFrom('commitments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 2);
  });

  test('milestones: create, status completed requires completed_on, other dates are cleared, one locale at a time', async () => {
    const { db } = get();
    const created = await createMilestone(db, ACTOR, { ...milestoneInput({ responsibleInstitutionId: f.leadId }), commitmentId });
    let row = await db.selectFrom('milestones').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.equal(row.is_demo, 0);
    assert.equal(row.position, 1);
    assert.equal(row.weight, 1);
    assert.equal(row.responsible_institution_id, f.leadId);

    await rejectsWith(updateMilestone(db, ACTOR, { ...milestoneInput({ status: 'completed' }), milestoneId: created.id }), 'completed_on', 'commitmentsAdmin.error.completedOn');
    await rejectsWith(createMilestone(db, ACTOR, { ...milestoneInput({ code: 'XKGJA0001.2', status: 'completed' }), commitmentId }), 'completed_on', 'commitmentsAdmin.error.completedOn');
    await rejectsWith(createMilestone(db, ACTOR, { ...milestoneInput({ code: 'XKGJA0001.3', status: 'cancelled' }), commitmentId }), 'cancelled_on', 'commitmentsAdmin.error.cancelledOn');

    await updateMilestone(db, ACTOR, { ...milestoneInput({ status: 'completed', completedOn: '2024-06-15', cancelledOn: '2024-06-01', weight: 3 }), milestoneId: created.id });
    row = await db.selectFrom('milestones').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'completed');
    assert.equal(row.completed_on, '2024-06-15');
    assert.equal(row.cancelled_on, null, 'a cancellation date is cleared unless the status is cancelled');
    assert.equal(row.weight, 3);

    // Back to in progress: the completion date goes; French text added without touching English.
    await updateMilestone(db, ACTOR, {
      ...milestoneInput({ status: 'in_progress', completedOn: '2024-06-15', locale: 'fr', texts: { title: 'Publier le premier rapport', expected_output: '', indicator: '' }, weight: 3 }),
      milestoneId: created.id,
    });
    row = await db.selectFrom('milestones').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.equal(row.completed_on, null);
    assert.deepEqual(JSON.parse(row.title), { en: 'Publish the first report', fr: 'Publier le premier rapport' });
    assert.deepEqual(JSON.parse(row.expected_output), { en: 'A monthly report' });

    const events = await db.selectFrom('audit_events').select(['action', 'data']).where('entity_type', '=', 'milestone').where('entity_id', '=', created.id).orderBy('id').execute();
    assert.deepEqual(
      events.map((e) => e.action),
      ['milestone.created', 'milestone.updated', 'milestone.updated'],
    );
    assert.deepEqual(JSON.parse(events[2]!.data).changed, ['title', 'status', 'completed_on']);
  });

  test('milestone input is checked: code prefix, duplicates, weight, due date, responsible institution', async () => {
    const { db } = get();
    await rejectsWith(createMilestone(db, ACTOR, { ...milestoneInput(), commitmentId }), 'code', 'form.error.taken');
    await rejectsWith(createMilestone(db, ACTOR, { ...milestoneInput({ code: 'XKGJA0002.1' }), commitmentId }), 'code', 'commitmentsAdmin.error.milestoneCode');
    await rejectsWith(createMilestone(db, ACTOR, { ...milestoneInput({ code: 'XKGJA0001' }), commitmentId }), 'code', 'commitmentsAdmin.error.milestoneCode');
    await rejectsWith(createMilestone(db, ACTOR, { ...milestoneInput({ code: 'XKGJA0001.4', weight: 0 }), commitmentId }), 'weight', 'form.error.integer');
    await rejectsWith(createMilestone(db, ACTOR, { ...milestoneInput({ code: 'XKGJA0001.4', weight: 101 }), commitmentId }), 'weight', 'form.error.integer');
    await rejectsWith(createMilestone(db, ACTOR, { ...milestoneInput({ code: 'XKGJA0001.4', dueOn: '2024-01-01' }), commitmentId }), 'due_on', 'commitmentsAdmin.error.dueBeforeStart');
    await rejectsWith(
      createMilestone(db, ACTOR, { ...milestoneInput({ code: 'XKGJA0001.4', responsibleInstitutionId: f.otherJurisdictionInstitutionId }), commitmentId }),
      'responsible_institution_id',
      'form.error.choice',
    );
    await rejectsWith(createMilestone(db, ACTOR, { ...milestoneInput({ code: 'XKGJA0001.4', status: 'done' }), commitmentId }), 'status', 'form.error.choice');
    const second = await createMilestone(db, ACTOR, { ...milestoneInput({ code: 'XKGJA0001.4', startsOn: null, weight: 100 }), commitmentId });
    assert.equal((await db.selectFrom('milestones').select('position').where('id', '=', second.id).executeTakeFirstOrThrow()).position, 2);
  });

  test('a new commitment code renames its milestones; unknown ids are not found', async () => {
    const { db } = get();
    await updateCommitment(db, ACTOR, { ...commitmentInput(f, { code: 'XKGJA0010' }), commitmentId });
    const codes = await db.selectFrom('milestones').select('code').where('commitment_id', '=', commitmentId).orderBy('position').execute();
    assert.deepEqual(
      codes.map((c) => c.code),
      ['XKGJA0010.1', 'XKGJA0010.4'],
    );
    await assert.rejects(updateCommitment(db, ACTOR, { ...commitmentInput(f), commitmentId: 999_999 }), (e: Error) => (e as { statusCode?: number }).statusCode === 404);
    await assert.rejects(createMilestone(db, ACTOR, { ...milestoneInput(), commitmentId: 999_999 }), (e: Error) => (e as { statusCode?: number }).statusCode === 404);
  });

  test('OGP national codes (two letters, four digits) are accepted beside local ones, for commitments and milestones', async () => {
    const { db } = get();
    const ca = await createCommitment(db, ACTOR, { ...commitmentInput(f, { code: 'CA0069' }), actionPlanId: f.planId });
    const uk = await createCommitment(db, ACTOR, { ...commitmentInput(f, { code: 'UK0085' }), actionPlanId: f.planId });
    const milestone = await createMilestone(db, ACTOR, { ...milestoneInput({ code: 'CA0069.1' }), commitmentId: ca.id });
    const rows = await db.selectFrom('commitments').select(['id', 'code']).where('id', 'in', [ca.id, uk.id]).orderBy('code').execute();
    assert.deepEqual(rows.map((r) => r.code), ['CA0069', 'UK0085']);
    assert.equal((await db.selectFrom('milestones').select('code').where('id', '=', milestone.id).executeTakeFirstOrThrow()).code, 'CA0069.1');
    // A milestone still carries its own commitment's code, whatever the form.
    await rejectsWith(createMilestone(db, ACTOR, { ...milestoneInput({ code: 'UK0085.1' }), commitmentId: ca.id }), 'code', 'commitmentsAdmin.error.milestoneCode');
    for (const code of ['CA69', 'C0069', 'CA0069X', 'ca0069', '120069', 'CA00690']) {
      await rejectsWith(createCommitment(db, ACTOR, { ...commitmentInput(f, { code }), actionPlanId: f.planId }), 'code', 'commitmentsAdmin.error.code');
    }
  });
});
