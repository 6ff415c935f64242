/**
 * The commands that change public content publish their changes in the transparency log:
 * one entry per changed item, with the names and new values of the changed public fields only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { seedDemo, seedIfEmpty } from '../../db/seeds/index.js';
import type { Actor } from '../audit/index.js';
import { createCommitment, createMilestone, updateCommitment, updateMilestone } from '../commitments/commands.js';
import { createInstitution, updateInstitution } from '../institutions/commands.js';
import { createJurisdiction, updateJurisdiction } from '../jurisdictions/commands.js';
import { createActionPlan, updateActionPlan } from '../plans/commands.js';
import { entityHistory, listEntries } from './repository.js';
import { checkPublishedState } from './state.js';
import { verifyTransparencyLog } from './verify.js';
import { actorWith } from '../../../test/actors.js';

const ADMIN: Actor = actorWith('administrator', { userId: 42 });

const values = (summary: Record<string, unknown>) => (summary.values ?? {}) as Record<string, unknown>;

describeEachDatabase('published commands', (get) => {
  test('jurisdictions, institutions, plans, commitments and milestones publish what changed', async () => {
    const { db } = get();
    const jurisdictionId = await createJurisdiction(db, ADMIN, {
      slug: 'prizren',
      kind: 'local',
      countryCode: 'xk',
      website: null,
      contentLocale: 'en',
      name: 'Municipality of Prizren',
      description: 'A city in the south.',
    });
    let [entry] = await entityHistory(db, 'jurisdiction', jurisdictionId);
    assert.equal(entry?.action, 'jurisdiction.created');
    assert.equal(entry?.role, 'administrator');
    assert.deepEqual(values(entry!.summary).name, { en: 'Municipality of Prizren' });
    assert.equal(values(entry!.summary).slug, 'prizren');

    await updateJurisdiction(db, ADMIN, {
      id: jurisdictionId,
      slug: 'prizren',
      kind: 'local',
      countryCode: 'XK',
      website: null,
      contentLocale: 'sq',
      name: 'Komuna e Prizrenit',
      description: '',
    });
    [entry] = await entityHistory(db, 'jurisdiction', jurisdictionId);
    assert.equal(entry?.action, 'jurisdiction.updated');
    assert.deepEqual(Object.keys(values(entry!.summary)).sort(), ['name'], 'only the changed field');
    assert.deepEqual(values(entry!.summary).name, { sq: 'Komuna e Prizrenit', en: 'Municipality of Prizren' });

    const institutionId = await createInstitution(db, ADMIN, {
      jurisdictionId,
      slug: 'finance',
      kind: 'government',
      website: null,
      contentLocale: 'en',
      name: 'Directorate of Finance',
      description: '',
    });
    await updateInstitution(db, ADMIN, { id: institutionId, slug: 'finance', kind: 'government', website: 'https://example.org', contentLocale: 'en', name: 'Directorate of Finance', description: '' });
    const institutionHistory = await entityHistory(db, 'institution', institutionId);
    assert.deepEqual(
      institutionHistory.map((e) => e.action),
      ['institution.updated', 'institution.created'],
    );
    assert.deepEqual(values(institutionHistory[0]!.summary), { website: 'https://example.org' });

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
      contentLocale: 'en',
      title: 'Action plan 2025–2027',
      foreword: '',
      cocreationSummary: '',
      leadInstitutionIds: [institutionId],
      visionSections: [],
      endorsements: [],
    } as Parameters<typeof createActionPlan>[2]);
    const [planEntry] = await entityHistory(db, 'action_plan', planId);
    assert.equal(planEntry?.action, 'action_plan.created');
    assert.deepEqual(values(planEntry!.summary).title, { en: 'Action plan 2025–2027' });

    await updateActionPlan(db, ADMIN, {
      id: planId,
      slug: '2025-2027',
      startsOn: '2025-01-01',
      endsOn: '2027-12-31',
      submittedOn: null,
      withdrawnOn: '2026-02-01',
      assessedOn: null,
      cocreationGroups: null,
      cocreationPublicMeetings: null,
      contentLocale: 'en',
      title: 'Action plan 2025–2027',
      foreword: '',
      cocreationSummary: '',
      leadInstitutionIds: [institutionId],
      visionSections: [],
      endorsements: [],
    } as Parameters<typeof updateActionPlan>[2]);
    const [planUpdate] = await entityHistory(db, 'action_plan', planId);
    assert.equal(planUpdate?.action, 'action_plan.updated');
    assert.equal(values(planUpdate!.summary).withdrawn_on, '2026-02-01');
    assert.equal(values(planUpdate!.summary).title, undefined, 'unchanged fields are not repeated');

    const commitment = await createCommitment(db, ADMIN, {
      actionPlanId: planId,
      code: 'XKPRZ0001',
      position: null,
      locale: 'en',
      texts: { title: 'Open budget', problem: 'Budgets are hard to follow.', status_quo: '', action: '', contribution: '', long_term_goal: '' },
      ogpValues: ['access_to_information'],
      policyAreas: [],
      leadInstitutionIds: [institutionId],
      supportingInstitutionIds: [],
      startsOn: '2025-03-01',
      endsOn: '2026-06-30',
    });
    const milestone = await createMilestone(db, ADMIN, {
      commitmentId: commitment.id,
      code: 'XKPRZ0001.1',
      position: null,
      locale: 'en',
      texts: { title: 'First report', expected_output: '', indicator: '' },
      responsibleInstitutionId: institutionId,
      startsOn: '2025-03-01',
      dueOn: '2025-06-30',
      status: 'not_started',
      completedOn: null,
      cancelledOn: null,
      weight: 1,
    });
    await updateMilestone(db, ADMIN, {
      milestoneId: milestone.id,
      code: 'XKPRZ0001.1',
      position: null,
      locale: 'en',
      texts: { title: 'First report', expected_output: '', indicator: '' },
      responsibleInstitutionId: institutionId,
      startsOn: '2025-03-01',
      dueOn: '2025-06-30',
      status: 'completed',
      completedOn: '2025-06-01',
      cancelledOn: null,
      weight: 1,
    });
    const [milestoneEntry] = await entityHistory(db, 'milestone', milestone.id);
    assert.equal(milestoneEntry?.action, 'milestone.updated');
    assert.deepEqual(values(milestoneEntry!.summary), { status: 'completed', completed_on: '2025-06-01' });

    // A new code renames the milestones too: both histories show it.
    await updateCommitment(db, ADMIN, {
      commitmentId: commitment.id,
      code: 'XKPRZ0002',
      position: null,
      locale: 'en',
      texts: { title: 'Open budget' },
      ogpValues: ['access_to_information'],
      policyAreas: [],
      leadInstitutionIds: [institutionId],
      supportingInstitutionIds: [],
      startsOn: '2025-03-01',
      endsOn: '2026-06-30',
    } as Parameters<typeof updateCommitment>[2]);
    const [commitmentUpdate] = await entityHistory(db, 'commitment', commitment.id);
    assert.equal(values(commitmentUpdate!.summary).code, 'XKPRZ0002');
    const [renamed] = await entityHistory(db, 'milestone', milestone.id);
    assert.equal(values(renamed!.summary).code, 'XKPRZ0002.1');

    const all = await listEntries(db, 0, 1000);
    assert.doesNotMatch(JSON.stringify(all), /"userId"|"42"/);
    const result = await verifyTransparencyLog(db);
    assert.ok(result.ok, result.reason);
    // What the log published last is what the database holds: ordinary commands keep the state check intact.
    const state = await checkPublishedState(db);
    assert.equal(state.ok, true, JSON.stringify(state.difference));
    assert.ok(state.entitiesChecked >= 5 && state.fieldsChecked > 40, JSON.stringify(state));
  });
});

describeEachDatabase('published seeds', (get) => {
  test('Gjakova and the demonstration milestones are published item by item', async () => {
    const { db } = get();
    assert.equal(await seedIfEmpty(db), true);
    const entries = await listEntries(db, 0, 100_000);
    const actions = entries.map((e) => e.action);
    assert.ok(actions.includes('seed.gjakova'));
    assert.equal(actions.filter((a) => a === 'jurisdiction.created').length, 1);
    assert.ok(actions.filter((a) => a === 'institution.created').length >= 5);
    assert.equal(actions.filter((a) => a === 'action_plan.created').length, 1);
    assert.ok(actions.filter((a) => a === 'commitment.created').length >= 3);
    const commitment = entries.find((e) => e.action === 'commitment.created')!;
    assert.match(String(values(commitment.summary).code), /^XKGJA\d{4}$/);
    assert.ok(entries.every((e) => e.role === 'system'));

    const added = await seedDemo(db);
    const demo = (await listEntries(db, entries.length, 100_000)).filter((e) => e.action === 'milestone.created');
    assert.equal(demo.length, added);
    assert.equal(values(demo[0]!.summary).is_demo, 1);
    const result = await verifyTransparencyLog(db);
    assert.ok(result.ok, result.reason);
    const state = await checkPublishedState(db);
    assert.equal(state.ok, true, JSON.stringify(state.difference));
    // The state check covers the foundation's records (the bodies the seed also publishes are not among
    // them yet), and the demonstration progress updates the demonstration reviews rest on.
    const updates = (await listEntries(db, entries.length, 100_000)).filter((e) => e.action === 'progress_update.published').length;
    assert.equal(state.entitiesChecked, actions.filter((a) => a.endsWith('.created') && !a.startsWith('body.')).length + added + updates);
  });
});
