import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import { describeEachDatabase } from '../../../test/db.js';
import { computeChecklist } from '../../modules/standards/index.js';
import { findStandardsPlan, loadStandardsSnapshot } from '../../modules/standards/queries.js';
import { generateOgpScale } from './index.js';

/**
 * The people's side of the OGP-scale generator, on a small scale and both databases: bodies with
 * members, meetings with their records, reviews with recommendations and monitoring reports, in
 * proportion to the plans, all labelled as demonstration data; and the checklist reads them.
 */
describeEachDatabase('OGP-scale generator: bodies, meetings and reviews', (get) => {
  test('adds them in proportion, labelled as demonstration data', async () => {
    const { db } = get();
    const x = db as unknown as Kysely<any>;
    const result = await generateOgpScale(db, { scale: { jurisdictions: 3, institutionsPerJurisdiction: 4, commitmentsPerPlan: 2, bigPlanCommitments: 4, milestonesPerCommitment: 1, membersPerBody: [10, 12], workingGroupEvery: 3 } });
    // A forum and a monitoring body per jurisdiction, a working group in the third.
    assert.equal(result.bodies, 7);
    const bodies: { id: number; kind: string; parent_id: number | null; is_demo: number }[] = await x.selectFrom('bodies').select(['id', 'kind', 'parent_id', 'is_demo']).execute();
    assert.equal(bodies.filter((b) => b.kind === 'forum').length, 3);
    assert.ok(bodies.every((b) => b.is_demo === 1));
    assert.ok(bodies.filter((b) => b.kind === 'working_group').every((b) => b.parent_id !== null), 'a working group sits under its forum');

    const members: { body_id: number; sector: string; person_name: string | null; email: string | null }[] = await x.selectFrom('body_members').select(['body_id', 'sector', 'person_name', 'email']).execute();
    assert.equal(members.length, result.members);
    assert.ok(members.every((m) => m.person_name === null && m.email === null), 'no person is named or reachable without consent');
    for (const b of bodies) {
      const own = members.filter((m) => m.body_id === b.id);
      assert.ok(own.length >= 10 && own.length <= 12, `body ${b.id}: ${own.length} members`);
      if (b.kind === 'monitoring_body') assert.ok(own.filter((m) => m.sector === 'civil_society').length * 2 > own.length, 'civil society holds the majority of the monitoring body');
    }

    const meetings: { id: number; kind: string; status: string; starts_at: string }[] = await x.selectFrom('meetings').select(['id', 'kind', 'status', 'starts_at']).execute();
    assert.equal(meetings.length, result.meetings);
    const forum = meetings.filter((m) => m.kind === 'forum').length;
    const monitoring = meetings.filter((m) => m.kind === 'monitoring_review').length;
    // Monthly against every two to three months: about three times as many forum meetings.
    assert.ok(forum > 2 * monitoring && forum < 4 * monitoring, `${forum} forum meetings, ${monitoring} monitoring reviews`);
    const today = new Date().toISOString().slice(0, 10);
    assert.ok(meetings.every((m) => (m.status === 'held') === m.starts_at.slice(0, 10) < today));
    const held = meetings.filter((m) => m.status === 'held').length;
    const count = async (table: string) => Number(((await x.selectFrom(table).select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()) as { n: number | string }).n);
    assert.equal(await count('meeting_decisions'), held);
    assert.equal(await count('action_items'), held);
    assert.ok((await count('meeting_attendance')) >= held * 10);
    assert.ok((await count('meeting_agenda_items')) >= meetings.length * 2);

    const plans = await db.selectFrom('commitments').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    const reports = await count('monitoring_reports');
    assert.equal(reports, result.monitoringReports);
    assert.ok(reports > 0);
    // Every commitment reviewed in each past cycle of its plan.
    const reviewed = (await x
      .selectFrom('reviews')
      .innerJoin('monitoring_reports', 'monitoring_reports.cycle_id', 'reviews.cycle_id')
      .select((eb: any) => eb.fn.countAll().as('n'))
      .execute()) as { n: number | string }[];
    assert.equal(Number(reviewed[0]?.n), result.reviews);
    assert.ok(result.reviews >= Number(plans.n), 'at least one review per commitment');
    assert.equal(await count('recommendations'), result.recommendations);
    assert.ok(result.recommendations > 0);

    // The assessment days the checklist reads, for what has happened by today.
    const assessed: { inception_assessed_on: string | null; submitted_on: string }[] = await x.selectFrom('action_plans').select(['inception_assessed_on', 'submitted_on']).execute();
    assert.ok(assessed.every((p) => p.inception_assessed_on === null || p.inception_assessed_on > p.submitted_on));
    assert.ok(assessed.some((p) => p.inception_assessed_on !== null));
    const ended: { ends_on: string; end_assessed_on: string | null }[] = await x.selectFrom('commitments').select(['ends_on', 'end_assessed_on']).where('ends_on', '<', '2024-01-01').execute();
    assert.ok(ended.length > 0 && ended.every((c) => c.end_assessed_on !== null && c.end_assessed_on > c.ends_on));

    // The checklist reads what was generated: the forum has members and rules.
    const plan = await findStandardsPlan(db, 'synthetic-2', '2024-2026');
    assert.ok(plan);
    const items = computeChecklist(await loadStandardsSnapshot(db, plan, today), today);
    assert.equal(items.find((i) => i.id === 'forum')?.status, 'met');
    assert.equal(items.find((i) => i.id === 'endorsements')?.status, 'met');
  });
});
