import type { HistorySource } from '../manifest.js';

/** /{locale}/history/jurisdiction/{id}. */
export const jurisdictionHistory: HistorySource = {
  kind: 'jurisdiction',
  entityType: 'jurisdiction',
  async locate(db, id) {
    const row = await db.selectFrom('jurisdictions').select(['slug', 'time_zone']).where('id', '=', id).executeTakeFirst();
    return row ? { jurisdictionSlug: row.slug, timeZone: row.time_zone, isDemo: false } : undefined;
  },
};
