import type { HistorySource } from '../manifest.js';

/**
 * /{locale}/history/commitment/{id} and /{locale}/history/milestone/{id}. A milestone carries its
 * own demonstration flag; a commitment's entries are marked by what they published.
 */
export const commitmentHistory: HistorySource = {
  kind: 'commitment',
  entityType: 'commitment',
  async locate(db, id) {
    const row = await db
      .selectFrom('commitments')
      .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
      .select(['jurisdictions.slug', 'jurisdictions.time_zone'])
      .where('commitments.id', '=', id)
      .executeTakeFirst();
    return row ? { jurisdictionSlug: row.slug, timeZone: row.time_zone, isDemo: false } : undefined;
  },
};

export const milestoneHistory: HistorySource = {
  kind: 'milestone',
  entityType: 'milestone',
  async locate(db, id) {
    const row = await db
      .selectFrom('milestones')
      .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
      .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
      .select(['jurisdictions.slug', 'jurisdictions.time_zone', 'milestones.is_demo'])
      .where('milestones.id', '=', id)
      .executeTakeFirst();
    return row ? { jurisdictionSlug: row.slug, timeZone: row.time_zone, isDemo: row.is_demo === 1 } : undefined;
  },
};
