import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { listPublishedUpdates } from '../../modules/reporting/index.js';
import { disagreements } from '../../modules/reviews/domain.js';
import { findCommitmentFindings } from '../../modules/reviews/queries.js';
import { vdb } from '../../modules/reviews/tables.js';
import { demoMilestones } from './demo.js';
import { seedDemo, seedIfEmpty } from './index.js';
import { DEMO_REVIEW_CYCLE } from './reviews-demo.js';

describeEachDatabase('the demonstration reviews (besa seed --demo)', (get) => {
  test('Gjakova alone has no review; the demo adds a published report with one planted disagreement and three recommendations, once', async () => {
    const { db } = get();
    assert.equal(await seedIfEmpty(db), true);
    assert.equal((await vdb(db).selectFrom('reviews').select('id').execute()).length, 0, 'the plan states no review: none without --demo');
    await seedDemo(db);
    const reports = await vdb(db).selectFrom('monitoring_reports').selectAll().execute();
    assert.equal(reports.length, 1);
    assert.equal(reports[0]!.status, 'published');
    assert.equal(reports[0]!.is_demo, 1);
    const reviews = await vdb(db).selectFrom('reviews').selectAll().execute();
    assert.equal(reviews.length, 3);
    assert.ok(reviews.every((r) => r.is_demo === 1 && r.status === 'published' && r.findings.includes('Demonstration')));

    // Exactly one disagreement, the planted one: XKGJA0002 reported complete, found limited.
    const commitments = await db.selectFrom('commitments').select(['id', 'code']).orderBy('code').execute();
    const flagged: string[] = [];
    for (const c of commitments) {
      const [updates, findings] = await Promise.all([listPublishedUpdates(db, c.id), findCommitmentFindings(db, c.id)]);
      for (const r of findings.reviews) {
        assert.equal(r.cycleNumber, DEMO_REVIEW_CYCLE);
        const found = disagreements(
          updates.find((u) => u.cycle.number === r.cycleNumber),
          { assessment: r.assessment, completion: r.ratings.completion },
        );
        for (const d of found) flagged.push(`${c.code} ${d}`);
      }
    }
    assert.deepEqual(flagged, ['XKGJA0002 completion']);

    const recs = await vdb(db).selectFrom('recommendations').selectAll().orderBy('due_on').execute();
    assert.equal(recs.length, 3);
    const today = new Date().toISOString().slice(0, 10);
    const closed = recs.filter((r) => r.status === 'closed');
    assert.equal(closed.length, 1);
    assert.equal(closed[0]!.response, 'accepted');
    assert.equal((await vdb(db).selectFrom('recommendation_follow_ups').select('status').where('recommendation_id', '=', closed[0]!.id).execute()).map((f) => f.status).join(), 'closed');
    const open = recs.filter((r) => r.status === 'open');
    assert.equal(open.filter((r) => r.due_on! < today).length, 1, 'one overdue');
    assert.equal(open.filter((r) => r.due_on! >= today).length, 1, 'one open, not yet due');

    // The demonstration milestones keep their statuses (the updates report them as they are).
    const milestones = await db.selectFrom('milestones').select(['code', 'status']).execute();
    for (const m of demoMilestones) assert.equal(milestones.find((x) => x.code === m.code)?.status, m.status, m.code);

    // Again: nothing more.
    await seedDemo(db);
    assert.equal((await vdb(db).selectFrom('reviews').select('id').execute()).length, 3);
    assert.equal((await vdb(db).selectFrom('recommendations').select('id').execute()).length, 3);
  });
});
