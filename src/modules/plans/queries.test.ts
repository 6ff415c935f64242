import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { listPlanCommitments } from './queries.js';

describeEachDatabase('plan read model', (get) => {
  test('rolls milestones up to each commitment and to the plan, weighted, in plan order', async () => {
    const { db } = get();
    const now = new Date().toISOString();
    const j = await db.insertInto('jurisdictions').values({ slug: 'roll', name: '{"en":"Roll"}', kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const plan = await db
      .insertInto('action_plans')
      .values({ jurisdiction_id: j.id, slug: 'p', title: '{"en":"P"}', starts_on: '2025-01-01', ends_on: '2025-12-31', submitted_on: null, status: 'in_implementation', foreword: '{}', cocreation_groups: null, cocreation_public_meetings: null, cocreation_summary: '{}', is_demo: 0, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const commitment = (code: string, position: number) =>
      db
        .insertInto('commitments')
        .values({ action_plan_id: plan.id, code, position, title: `{"en":"${code}"}`, problem: '{}', status_quo: '{}', action: '{}', contribution: '{}', long_term_goal: '{}', ogp_values: '[]', policy_areas: '[]', starts_on: '2025-01-01', ends_on: '2025-12-31', created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
    const b = await commitment('XKROL0002', 2);
    const a = await commitment('XKROL0001', 1);
    const milestone = (commitmentId: number, code: string, status: string, weight: number, demo = 0) =>
      db
        .insertInto('milestones')
        .values({ commitment_id: commitmentId, code, position: 1, title: '{}', expected_output: '{}', indicator: '{}', responsible_institution_id: null, starts_on: null, due_on: '2025-06-30', status, completed_on: status === 'completed' ? '2025-06-01' : null, cancelled_on: status === 'cancelled' ? '2025-06-01' : null, weight, is_demo: demo, created_at: now, updated_at: now })
        .execute();
    await milestone(a.id, 'XKROL0001.1', 'completed', 3);
    await milestone(a.id, 'XKROL0001.2', 'completed', 1);
    await milestone(a.id, 'XKROL0001.3', 'in_progress', 4);
    await milestone(b.id, 'XKROL0002.1', 'delayed', 2, 1);
    await milestone(b.id, 'XKROL0002.2', 'cancelled', 9);

    const { commitments, progress } = await listPlanCommitments(db, plan.id);
    assert.deepEqual(commitments.map((c) => c.code), ['XKROL0001', 'XKROL0002']);
    assert.equal(commitments[0]?.progress, 0.5);
    assert.equal(commitments[0]?.status, 'in_progress');
    assert.equal(commitments[0]?.milestoneCount, 3);
    assert.equal(commitments[0]?.hasDemo, false);
    assert.equal(commitments[1]?.progress, 0);
    assert.equal(commitments[1]?.status, 'delayed');
    assert.equal(commitments[1]?.milestoneCount, 2);
    assert.equal(commitments[1]?.hasDemo, true);
    // Plan: 4 of 10 live weight completed (the cancelled 9 left out).
    assert.equal(progress, 0.4);
  });
});
