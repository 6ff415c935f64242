import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { createInstitution } from '../institutions/commands.js';
import { SlugTakenError } from '../../db/errors.js';
import { createJurisdiction } from '../jurisdictions/commands.js';
import { createActionPlan, findActionPlanBySlug, updateActionPlan, type ActionPlanInput } from './commands.js';
import { ADMIN } from '../../../test/actors.js';

const actor = ADMIN;

describeEachDatabase('action plan commands', (get) => {
  let jurisdictionId: number;
  let otherJurisdictionId: number;
  let office: number;
  let mayor: number;
  let foreign: number;
  let plan: ActionPlanInput;

  before(async () => {
    const { db } = get();
    const base = { kind: 'local', countryCode: 'XK', website: null, contentLocale: 'sq', description: '' } as const;
    jurisdictionId = await createJurisdiction(db, actor, { ...base, slug: 'gjakova', name: 'Gjakova' });
    otherJurisdictionId = await createJurisdiction(db, actor, { ...base, slug: 'peja', name: 'Peja' });
    const inst = { kind: 'government', website: null, contentLocale: 'sq', description: '' } as const;
    office = await createInstitution(db, actor, { ...inst, jurisdictionId, slug: 'information-office', name: 'Zyra për Informim' });
    mayor = await createInstitution(db, actor, { ...inst, jurisdictionId, slug: 'mayor', name: 'Kabineti i Kryetarit' });
    foreign = await createInstitution(db, actor, { ...inst, jurisdictionId: otherJurisdictionId, slug: 'mayor', name: 'Kabineti' });
    plan = {
      jurisdictionId,
      slug: '2024-2025',
      startsOn: '2024-09-01',
      endsOn: '2025-08-31',
      submittedOn: null,
      withdrawnOn: null,
      assessedOn: null,
      cocreationGroups: 4,
      cocreationPublicMeetings: 2,
      contentLocale: 'sq',
      title: 'Plani i Veprimit 2024–2025',
      foreword: 'Parathënia',
      cocreationSummary: '',
      leadInstitutionIds: [mayor, office, foreign],
      visionSections: [{ question: 'Çfarë?', answer: 'Një komunë e hapur.' }],
      endorsements: [
        { organization: 'Forumi i Transparencës', sector: 'civil_society' },
        { organization: '  ', sector: 'other' },
      ],
    };
  });

  test('createActionPlan stores the plan, its leads, vision and endorsements, with an audit event', async () => {
    const { db } = get();
    const id = await createActionPlan(db, actor, plan);
    const found = await findActionPlanBySlug(db, jurisdictionId, '2024-2025');
    assert.equal(found?.id, id);
    assert.deepEqual(found?.title, { sq: 'Plani i Veprimit 2024–2025' });
    assert.equal(found?.cocreationGroups, 4);
    assert.deepEqual(found?.leadInstitutionIds, [mayor, office], 'an institution of another jurisdiction is ignored');
    assert.equal(found?.visionSections.length, 1);
    assert.deepEqual(found?.visionSections[0]?.question, { sq: 'Çfarë?' });
    assert.deepEqual(found?.endorsements, [{ organization: 'Forumi i Transparencës', sector: 'civil_society' }]);
    const events = await db.selectFrom('audit_events').select('action').where('entity_type', '=', 'action_plan').where('entity_id', '=', id).execute();
    assert.deepEqual(
      events.map((e) => e.action),
      ['action_plan.created'],
    );
  });

  test('editing one content language keeps the others, in the plan and its vision sections', async () => {
    const { db } = get();
    const before = await findActionPlanBySlug(db, jurisdictionId, '2024-2025');
    assert.ok(before);
    const sectionId = before.visionSections[0]!.id;
    await updateActionPlan(db, actor, {
      ...plan,
      id: before.id,
      assessedOn: '2025-12-01',
      contentLocale: 'en',
      title: 'Action Plan 2024–2025',
      foreword: '',
      leadInstitutionIds: [office],
      visionSections: [
        { id: sectionId, question: 'What?', answer: 'An open municipality.' },
        { question: 'Who?', answer: 'Everyone.' },
      ],
      endorsements: [{ organization: 'Forumi i Transparencës', sector: 'civil_society' }, { organization: 'Universiteti', sector: 'academia' }],
    });
    const after = await findActionPlanBySlug(db, jurisdictionId, '2024-2025');
    assert.deepEqual(after?.title, { sq: 'Plani i Veprimit 2024–2025', en: 'Action Plan 2024–2025' });
    assert.deepEqual(after?.foreword, { sq: 'Parathënia' });
    assert.equal(after?.assessedOn, '2025-12-01');
    assert.equal(after?.withdrawnOn, null);
    assert.deepEqual(after?.leadInstitutionIds, [office]);
    assert.deepEqual(
      after?.visionSections.map((s) => [s.position, s.question, s.answer]),
      [
        [1, { sq: 'Çfarë?', en: 'What?' }, { sq: 'Një komunë e hapur.', en: 'An open municipality.' }],
        [2, { en: 'Who?' }, { en: 'Everyone.' }],
      ],
    );
    assert.equal(after?.endorsements.length, 2);
  });

  test('vision sections: emptying one language keeps the others, an empty or removed section goes, order follows the input', async () => {
    const { db } = get();
    const current = await findActionPlanBySlug(db, jurisdictionId, '2024-2025');
    assert.ok(current);
    const [first, second] = current.visionSections;
    assert.ok(first && second);
    await updateActionPlan(db, actor, {
      ...plan,
      id: current.id,
      contentLocale: 'en',
      title: '',
      foreword: '',
      visionSections: [
        { id: second.id, question: 'Who?', answer: 'Everyone.' },
        { id: first.id, question: '', answer: '' },
      ],
    });
    let after = await findActionPlanBySlug(db, jurisdictionId, '2024-2025');
    assert.deepEqual(
      after?.visionSections.map((s) => [s.id, s.position, s.question]),
      [
        [second.id, 1, { en: 'Who?' }],
        [first.id, 2, { sq: 'Çfarë?' }],
      ],
    );
    assert.deepEqual(after?.title, { sq: 'Plani i Veprimit 2024–2025' }, 'an emptied title text is removed in that language only');

    await updateActionPlan(db, actor, {
      ...plan,
      id: current.id,
      contentLocale: 'en',
      visionSections: [
        { id: second.id, question: '', answer: '' },
        { id: first.id, question: '', answer: '', remove: true },
      ],
    });
    after = await findActionPlanBySlug(db, jurisdictionId, '2024-2025');
    assert.deepEqual(after?.visionSections, []);
  });

  test('a duplicate slug in the same jurisdiction is rejected; another jurisdiction may use it', async () => {
    const { db } = get();
    await assert.rejects(createActionPlan(db, actor, plan), SlugTakenError);
    await assert.rejects(createActionPlan(db, actor, { ...plan, slug: 'new' }), SlugTakenError);
    const second = await createActionPlan(db, actor, { ...plan, slug: '2026-2027', startsOn: '2026-01-01', endsOn: '2027-12-31' });
    await assert.rejects(updateActionPlan(db, actor, { ...plan, id: second, slug: '2024-2025' }), SlugTakenError);
    await createActionPlan(db, actor, { ...plan, jurisdictionId: otherJurisdictionId, leadInstitutionIds: [foreign] });
    const slugs = await db.selectFrom('action_plans').select('slug').where('jurisdiction_id', '=', jurisdictionId).orderBy('slug').execute();
    assert.deepEqual(
      slugs.map((s) => s.slug),
      ['2024-2025', '2026-2027'],
    );
  });
});
