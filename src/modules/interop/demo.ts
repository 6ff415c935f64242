import type { Db } from '../../db/database.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { publicChanges } from '../transparency/index.js';

/**
 * `besa seed --demo`: an invented IRM assessment for Gjakova's first commitment, so the commitment
 * page shows the section. Stored with source `demo` (the page marks it as demonstration data);
 * running it again adds nothing. Gjakova's plan has had no IRM assessment.
 */
export const DEMO_IRM_RATINGS = [
  { name: 'Verifiable', value: 'Yes' },
  { name: 'Potential Impact', value: 'Moderate' },
  { name: 'Potential for Results', value: 'ND' },
  { name: 'Completion (End Of Term)', value: 'Substantial' },
  { name: 'Did It Open Government (Overall)', value: 'NR' },
  { name: 'Early Results', value: null },
];

export async function seedDemoIrmAssessment(db: Db, jurisdictionId: number, now: string): Promise<boolean> {
  const commitment = await db
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select(['commitments.id', 'commitments.code'])
    .where('action_plans.jurisdiction_id', '=', jurisdictionId)
    .orderBy('action_plans.starts_on')
    .orderBy('commitments.position')
    .orderBy('commitments.id')
    .executeTakeFirst();
  if (!commitment) return false;
  if (await db.selectFrom('irm_assessments').select('commitment_id').where('commitment_id', '=', commitment.id).executeTakeFirst()) return false;
  await runCommand(db, SYSTEM, async (trx, audit) => {
    await trx.insertInto('irm_assessments').values({ commitment_id: commitment.id, source: 'demo', ratings: JSON.stringify(DEMO_IRM_RATINGS), updated_at: now }).execute();
    await audit.publish('commitment.irm_assessment', 'commitment', commitment.id, {
      code: commitment.code,
      source: 'demo',
      seed: 'demo',
      ...publicChanges(undefined, { irm_assessment: Object.fromEntries(DEMO_IRM_RATINGS.map((r) => [r.name, r.value])) }),
    });
  });
  return true;
}
