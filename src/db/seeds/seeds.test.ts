import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { readContentVersion } from '../content-version.js';
import { COMMITMENT_CODE, MILESTONE_CODE, MILESTONE_STATUSES, OGP_LENSES, OGP_VALUES } from '../../modules/commitments/domain.js';
import { parseList, parseTranslatable } from '../../lib/translatable.js';
import { AlreadyGeneratedError, BIG_PLAN } from './generate.js';
import { generateOgpScale, seedDemo, seedIfEmpty } from './index.js';
import { provenanceProblems } from './provenance-check.js';

describeEachDatabase('seeds', (get) => {
  test('seedIfEmpty loads Gjakova with its 3 commitments once and only once', async () => {
    const { db } = get();
    assert.equal(await seedIfEmpty(db), true);
    const version = await readContentVersion(db);
    assert.equal(await seedIfEmpty(db), false);
    assert.equal(await readContentVersion(db), version, 'a skipped seed changes nothing');

    const jurisdictions = await db.selectFrom('jurisdictions').selectAll().execute();
    assert.equal(jurisdictions.length, 1);
    const gjakova = jurisdictions[0]!;
    assert.equal(gjakova.slug, 'gjakova');
    assert.equal(gjakova.country_code, 'XK');
    assert.equal(parseTranslatable(gjakova.name)['sr-Latn'], 'Đakovica');

    const plan = await db.selectFrom('action_plans').selectAll().where('jurisdiction_id', '=', gjakova.id).executeTakeFirstOrThrow();
    assert.equal(plan.slug, '2024-2025');
    assert.equal(plan.submitted_on, '2024-11-29');
    assert.equal(plan.status, 'derived', 'no status is stored by hand: it is derived from the dates');
    assert.equal(plan.cocreation_groups, 6);
    assert.equal(plan.cocreation_public_meetings, 15);
    assert.equal(plan.is_demo, 0);
    assert.ok(parseTranslatable(plan.foreword).en && parseTranslatable(plan.foreword).fr);

    const commitments = await db.selectFrom('commitments').selectAll().where('action_plan_id', '=', plan.id).orderBy('position').execute();
    assert.deepEqual(
      commitments.map((c) => c.code),
      ['XKGJA0001', 'XKGJA0002', 'XKGJA0003'],
    );
    for (const c of commitments) {
      assert.match(c.code, COMMITMENT_CODE);
      const title = parseTranslatable(c.title);
      assert.ok(title.en && title.fr && title.sq && title['sr-Latn'], `${c.code}: a title in every language`);
      assert.ok(parseTranslatable(c.problem).en, `${c.code}: the problem in OGP's words`);
      for (const field of [c.action, c.contribution, c.long_term_goal]) {
        assert.deepEqual(parseTranslatable(field), {}, `${c.code}: no source states it, so it stays empty`);
      }
      const values = parseList(c.ogp_values);
      assert.ok(values.length > 0 && values.every((v) => ([...OGP_VALUES, ...OGP_LENSES] as readonly string[]).includes(v)));
      assert.deepEqual(parseList(c.policy_areas), [], `${c.code}: OGP's page leaves the policy area blank`);
      const roles = await db.selectFrom('commitment_institutions').select('role').where('commitment_id', '=', c.id).execute();
      assert.ok(roles.length > 0 && roles.every((r) => r.role === 'involved'), `${c.code}: the sources do not say which institution leads`);
    }
    const statusQuo = Object.fromEntries(commitments.map((c) => [c.code, parseTranslatable(c.status_quo)]));
    assert.deepEqual(statusQuo.XKGJA0003, {}, 'XKGJA0003: the status quo is not in the sources');
    assert.doesNotMatch(statusQuo.XKGJA0001?.en ?? '', /leads among Kosovo municipalities/);
    assert.match(statusQuo.XKGJA0001?.en ?? '', /\[…\]$/, 'where the source breaks off, the cut is marked');

    const institutions = await db.selectFrom('institutions').select(['slug', 'name', 'kind']).where('jurisdiction_id', '=', gjakova.id).execute();
    const bySlug = new Map(institutions.map((i) => [i.slug, i]));
    assert.equal(parseTranslatable(bySlug.get('mayor')!.name).en, 'Mayor');
    assert.equal(parseTranslatable(bySlug.get('mayors-cabinet')!.name).en, "Mayor's Cabinet");
    assert.equal(parseTranslatable(bySlug.get('rilindja-e-gjelbert')!.name).en, 'Rilindja e Gjelbert', 'spelled as in the source');
    assert.notEqual(bySlug.get('local-youth-action-council')!.kind, 'civil_society');
    const leads = await db.selectFrom('action_plan_lead_institutions').selectAll().where('action_plan_id', '=', plan.id).execute();
    assert.equal(leads.length, 4);
    const endorsements = await db.selectFrom('endorsements').selectAll().where('action_plan_id', '=', plan.id).execute();
    assert.deepEqual(
      endorsements.sort((a, b) => a.position - b.position).map((e) => e.organization),
      ['Handikos Gjakova', 'Medika', 'YMCA', 'Activism Roots', 'Femmes actives de Gjakova', 'comité communautaire', 'OSCE'],
      'the organisations as the adopted plan lists them',
    );
    assert.ok(endorsements.every((e) => !/Batalla|Shehu|Lluka|Zhaveli|Doli|Qeli|Kupa/.test(e.organization)), 'organizations only, no people');
    assert.ok((await db.selectFrom('vision_sections').selectAll().where('action_plan_id', '=', plan.id).execute()).length >= 5);
    assert.equal((await db.selectFrom('milestones').selectAll().execute()).length, 0, 'the real milestones are not public');
    const audit = await db.selectFrom('audit_events').select('action').where('action', '=', 'seed.gjakova').execute();
    assert.equal(audit.length, 1);
  });

  test('every seeded text and fact carries its source, and the source\'s words are the words of the sources held in the repository', async () => {
    const { db } = get();
    await seedIfEmpty(db);
    const gjakova = await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
    assert.deepEqual(await provenanceProblems(db, gjakova.id), []);

    const plan = await db.selectFrom('action_plans').select('id').where('jurisdiction_id', '=', gjakova.id).executeTakeFirstOrThrow();
    const ends = await db.selectFrom('provenance').selectAll().where('entity_type', '=', 'action_plan').where('entity_id', '=', plan.id).where('field', '=', 'ends_on').execute();
    assert.ok(ends.every((r) => r.precision === 'month'), 'the plan gives its end as a month');
    assert.ok(ends.some((r) => r.relation === 'conflict' && r.quote === 'Duration Dec 2025'), 'the conflicting OGP page is recorded');
  });

  test('the check fails when a text has no source or a quoted text differs from its source', async () => {
    const { db } = get();
    await seedIfEmpty(db);
    const gjakova = await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
    const c = await db.selectFrom('commitments').select(['id', 'problem', 'action']).where('code', '=', 'XKGJA0002').executeTakeFirstOrThrow();
    const problem = parseTranslatable(c.problem);
    // A word changed in a text marked as OGP's words.
    await db.updateTable('commitments').set({ problem: JSON.stringify({ ...problem, en: problem.en!.replace('very low', 'low') }) }).where('id', '=', c.id).execute();
    // A plausible guess where the sources say nothing.
    await db.updateTable('commitments').set({ action: JSON.stringify({ en: 'Build a participation portal.' }) }).where('id', '=', c.id).execute();
    // A translation added without a source.
    await db.updateTable('commitments').set({ problem: JSON.stringify({ ...problem, en: problem.en!.replace('very low', 'low'), sq: 'Pjesëmarrja është e ulët.' }) }).where('id', '=', c.id).execute();
    const problems = await provenanceProblems(db, gjakova.id);
    assert.ok(problems.some((p) => p.includes(`commitment ${c.id} problem (en): marked as the source's words but differs`)), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes(`commitment ${c.id} action (en): no source reference`)), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes(`commitment ${c.id} problem (sq): no source reference`)), problems.join('\n'));
  });

  test('seedDemo adds milestones marked as demonstration data, idempotently', async () => {
    const { db } = get();
    const added = await seedDemo(db);
    assert.ok(added >= 9);
    const version = await readContentVersion(db);
    assert.equal(await seedDemo(db), 0);
    assert.equal(await readContentVersion(db), version, 'a second run changes nothing');

    const milestones = await db
      .selectFrom('milestones')
      .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
      .select(['milestones.code', 'milestones.status', 'milestones.completed_on', 'milestones.is_demo', 'milestones.responsible_institution_id', 'commitments.code as commitment'])
      .execute();
    assert.equal(milestones.length, added);
    assert.ok(milestones.every((m) => m.is_demo === 1));
    assert.ok(milestones.every((m) => MILESTONE_CODE.test(m.code) && m.code.startsWith(`${m.commitment}.`)));
    assert.ok(milestones.every((m) => (MILESTONE_STATUSES as readonly string[]).includes(m.status)));
    assert.ok(milestones.every((m) => (m.status === 'completed') === (m.completed_on !== null)));
    assert.ok(milestones.every((m) => m.responsible_institution_id !== null));
    for (const code of ['XKGJA0001', 'XKGJA0002', 'XKGJA0003']) assert.ok(milestones.filter((m) => m.commitment === code).length >= 2);
    for (const status of ['completed', 'in_progress', 'delayed', 'not_started']) assert.ok(milestones.some((m) => m.status === status));
    assert.equal(new Set(milestones.map((m) => m.code)).size, milestones.length);
    const audit = await db.selectFrom('audit_events').select('action').where('action', '=', 'seed.demo').execute();
    assert.equal(audit.length, 1);
  });
});

describeEachDatabase('synthetic data generator', (get) => {
  const scale = { jurisdictions: 4, institutionsPerJurisdiction: 4, commitmentsPerPlan: 3, bigPlanCommitments: 12, milestonesPerCommitment: 2 };

  test('adds labelled demonstration data with one big plan, bumps the version once and refuses a second run', async () => {
    const { db } = get();
    const version = await readContentVersion(db);
    const result = await generateOgpScale(db, { scale });
    // Jurisdictions 1–2 get three plans, 3–4 two; synthetic-1's last plan is the big one.
    assert.deepEqual(
      { j: result.jurisdictions, i: result.institutions, p: result.plans, c: result.commitments, m: result.milestones },
      { j: 4, i: 16, p: 10, c: 9 * 3 + 12, m: (9 * 3 + 12) * 2 },
    );
    assert.equal(await readContentVersion(db), version + 1);

    const big = await db
      .selectFrom('action_plans')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
      .select(['action_plans.id', 'action_plans.is_demo', 'jurisdictions.name'])
      .where('jurisdictions.slug', '=', BIG_PLAN.jurisdiction)
      .where('action_plans.slug', '=', BIG_PLAN.plan)
      .executeTakeFirstOrThrow();
    assert.equal(big.is_demo, 1);
    assert.equal(parseTranslatable(big.name).en, 'Synthetic jurisdiction 1');
    const commitments = await db.selectFrom('commitments').select(['id', 'code']).where('action_plan_id', '=', big.id).execute();
    assert.equal(commitments.length, 12);
    assert.ok(commitments.every((c) => COMMITMENT_CODE.test(c.code)));
    const milestones = await db.selectFrom('milestones').select(['code', 'is_demo', 'status', 'completed_on']).execute();
    assert.ok(milestones.every((m) => m.is_demo === 1 && MILESTONE_CODE.test(m.code)));
    assert.ok(milestones.every((m) => (m.status === 'completed') === (m.completed_on !== null)));
    const plans = await db.selectFrom('action_plans').select('is_demo').execute();
    assert.ok(plans.every((p) => p.is_demo === 1));

    await assert.rejects(generateOgpScale(db, { scale }), AlreadyGeneratedError);
    assert.equal(await readContentVersion(db), version + 1);
  });
});
