import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { readContentVersion } from '../content-version.js';
import { COMMITMENT_CODE, MILESTONE_CODE, MILESTONE_STATUSES, OGP_LENSES, OGP_VALUES } from '../../modules/commitments/domain.js';
import { parseList, parseTranslatable } from '../../lib/translatable.js';
import { AlreadyGeneratedError, BIG_PLAN } from './generate.js';
import { generateOgpScale, seedDemo, seedIfEmpty } from './index.js';

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
      for (const field of [c.title, c.problem, c.status_quo, c.action, c.contribution, c.long_term_goal]) {
        const text = parseTranslatable(field);
        assert.ok(text.en && text.fr, `${c.code}: every text in en and fr`);
      }
      const values = parseList(c.ogp_values);
      assert.ok(values.length > 0 && values.every((v) => ([...OGP_VALUES, ...OGP_LENSES] as readonly string[]).includes(v)));
      const roles = await db.selectFrom('commitment_institutions').select('role').where('commitment_id', '=', c.id).execute();
      assert.ok(roles.some((r) => r.role === 'lead'));
    }
    const leads = await db.selectFrom('action_plan_lead_institutions').selectAll().where('action_plan_id', '=', plan.id).execute();
    assert.equal(leads.length, 4);
    const endorsements = await db.selectFrom('endorsements').selectAll().where('action_plan_id', '=', plan.id).execute();
    assert.ok(endorsements.length >= 5);
    assert.ok(endorsements.every((e) => !/Batalla|Shehu|Lluka|Zhaveli|Doli|Qeli|Kupa/.test(e.organization)), 'organizations only, no people');
    assert.ok((await db.selectFrom('vision_sections').selectAll().where('action_plan_id', '=', plan.id).execute()).length >= 5);
    assert.equal((await db.selectFrom('milestones').selectAll().execute()).length, 0, 'the real milestones are not public');
    const audit = await db.selectFrom('audit_events').select('action').where('action', '=', 'seed.gjakova').execute();
    assert.equal(audit.length, 1);
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
