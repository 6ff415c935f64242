import { sql } from 'kysely';
import type { Executor } from './database.js';

/**
 * One counter for all public content. Every command bumps it in its own transaction, and the
 * page cache serves a stored page only while the counter is unchanged, so no process, however
 * many share the database, ever serves a page older than the latest committed change.
 */
export async function readContentVersion(db: Executor): Promise<number> {
  const row = await db.selectFrom('cache_state').select('version').where('id', '=', 1).executeTakeFirst();
  return row?.version ?? 0;
}

export async function bumpContentVersion(trx: Executor): Promise<void> {
  await trx
    .updateTable('cache_state')
    .set({ version: sql`version + 1` })
    .where('id', '=', 1)
    .execute();
}
