import type { Kysely, Migration } from 'kysely';

/**
 * Indexes for the "newest first" reads of the feeds and the recent changes (issue 12): the newest
 * published minutes (instance and jurisdiction), a jurisdiction's newest meetings, and the newest
 * government responses to recommendations. Each reads its index in order and stops at the limit,
 * where without it every meeting or recommendation was read and sorted on each feed render. The
 * id ends each key: it breaks ties in the queries' order (SQLite has it in every index anyway).
 * The same statements run on SQLite and PostgreSQL.
 */
export function openDataIndexes(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('meetings_minutes_published').on('meetings').columns(['minutes_published_at', 'id']).execute();
      await db.schema.createIndex('meetings_jurisdiction_minutes').on('meetings').columns(['jurisdiction_id', 'minutes_published_at', 'id']).execute();
      await db.schema.createIndex('meetings_jurisdiction_created').on('meetings').columns(['jurisdiction_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('recommendations_responded').on('recommendations').columns(['responded_at', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      for (const name of ['recommendations_responded', 'meetings_jurisdiction_created', 'meetings_jurisdiction_minutes', 'meetings_minutes_published']) await db.schema.dropIndex(name).execute();
    },
  };
}
