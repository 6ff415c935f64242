import type { Kysely, Migration } from 'kysely';

/**
 * The OGP standards checklist (issue 10): the two assessments whose dates the checklist cannot
 * derive from other data. `action_plans.inception_assessed_on` is the day the plan's inception
 * assessment was published (due within two months of `submitted_on`);
 * `commitments.end_assessed_on` the day a commitment's end-of-commitment assessment was published
 * (due one month after the commitment's `ends_on`). Days as ISO text; the same statements run on
 * SQLite and PostgreSQL.
 */
export function standards(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('action_plans').addColumn('inception_assessed_on', 'text').execute();
      await db.schema.alterTable('commitments').addColumn('end_assessed_on', 'text').execute();
    },
  };
}
