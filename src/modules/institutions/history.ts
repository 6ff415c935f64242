import type { HistorySource } from '../manifest.js';

/** /{locale}/history/institution/{id}. */
export const institutionHistory: HistorySource = {
  kind: 'institution',
  entityType: 'institution',
  async locate(db, id) {
    const row = await db
      .selectFrom('institutions')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'institutions.jurisdiction_id')
      .select(['jurisdictions.slug', 'jurisdictions.time_zone'])
      .where('institutions.id', '=', id)
      .executeTakeFirst();
    return row ? { jurisdictionSlug: row.slug, timeZone: row.time_zone, isDemo: false } : undefined;
  },
};
