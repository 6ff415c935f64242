import type { Kysely, Migration } from 'kysely';

/**
 * The result of the latest check of the transparency log and of the public content against it
 * (run by every app process on start and hourly). One row (id 1): when it last ran, whether all
 * was intact, when it last was, and the first problem found (JSON) when it was not.
 * The same SQL runs on SQLite and PostgreSQL.
 */
export function logVerification(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('transparency_verifications')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('checked_at', 'text', (c) => c.notNull())
        .addColumn('intact', 'integer', (c) => c.notNull())
        .addColumn('last_intact_at', 'text')
        .addColumn('problem', 'text')
        .execute();
    },
  };
}
