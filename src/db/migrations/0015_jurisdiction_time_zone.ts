import type { Kysely, Migration } from 'kysely';

/**
 * A jurisdiction's time zone (issue 9): the IANA name (`Europe/Belgrade`) in which the times of its
 * things are shown (history pages, progress updates, reports). Existing rows get 'UTC', which is
 * what every page showed before; an administrator chooses the real zone on the jurisdiction's form
 * (published in the log like its other fields). The same statement runs on SQLite and PostgreSQL.
 */
export function jurisdictionTimeZone(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('jurisdictions')
        .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
        .execute();
    },
  };
}
