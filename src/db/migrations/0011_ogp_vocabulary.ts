import type { Kysely, Migration } from 'kysely';

/**
 * OGP's current vocabulary and derived statuses (issue 8).
 *
 * - A plan's status is derived from its dates and the two events dates cannot tell: its
 *   withdrawal (`withdrawn_on`) and the publication of its end-of-term assessment
 *   (`assessed_on`). The old hand-set `status` column stays (SQLite cannot drop a NOT NULL column
 *   simply) but holds 'derived' and is never read: nothing that time changes is stored.
 * - Search folding changed (đ to d): `cache_state.search_fold_version` records which folding the
 *   stored search documents were built with. It starts at 0, so on the next start every instance
 *   rebuilds its documents once (a migration cannot run the indexer) and records the version.
 *
 * OGP values and lenses are stored keys in `commitments.ogp_values`; older keys stay readable,
 * so no data changes here. The same statements run on SQLite and PostgreSQL.
 */
export function ogpVocabulary(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('action_plans').addColumn('withdrawn_on', 'text').execute();
      await db.schema.alterTable('action_plans').addColumn('assessed_on', 'text').execute();
      // The hand-set statuses go stale with time ("in implementation" long after the end): none is kept.
      await db.updateTable('action_plans').set({ status: 'derived' }).execute();
      await db.schema
        .alterTable('cache_state')
        .addColumn('search_fold_version', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
