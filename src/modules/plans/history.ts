import type { HistorySource } from '../manifest.js';

/** /{locale}/history/plan/{id}: the log calls action plans `action_plan`. A plan carries its own demonstration flag. */
export const planHistory: HistorySource = {
  kind: 'plan',
  entityType: 'action_plan',
  async locate(db, id) {
    const row = await db
      .selectFrom('action_plans')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
      .select(['jurisdictions.slug', 'jurisdictions.time_zone', 'action_plans.is_demo'])
      .where('action_plans.id', '=', id)
      .executeTakeFirst();
    return row ? { jurisdictionSlug: row.slug, timeZone: row.time_zone, isDemo: row.is_demo === 1 } : undefined;
  },
};
