import type { Kysely, Migration } from 'kysely';

/** A covering index for the plan page's progress roll-up: status and weight per commitment without reading the rows. */
export function planRollupIndex(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('milestones_rollup').on('milestones').columns(['commitment_id', 'status', 'weight', 'is_demo']).execute();
    },
  };
}
