import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * One rate-limit key per UTC day, even when two requests make it at once: `participation_keys.day`
 * (YYYY-MM-DD) with a unique index, so the key is made with `insert … on conflict do nothing` and
 * then read. Before, two processes at the start of a day could each insert one. Of the keys already
 * stored, the first of each day (the one every request used) keeps its day; the others, never used,
 * are deleted.
 */
export function participationKeysDay(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('participation_keys').addColumn('day', 'text').execute();
      await sql`update participation_keys set day = substr(created_at, 1, 10)
        where id in (select min(id) from participation_keys group by substr(created_at, 1, 10))`.execute(db);
      await db.deleteFrom('participation_keys').where('day', 'is', null).execute();
      await db.schema.createIndex('participation_keys_day').on('participation_keys').column('day').unique().execute();
    },
  };
}
