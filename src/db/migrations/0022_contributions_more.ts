import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Contributions, part two (issue 11): what the erasure right needs, and one flag per client.
 *
 * - `participation_secrets`: instance secrets of participation by name; `erasure` is the key of
 *   the address hashes (contributions.email_hash, subscriptions) that let an erasure request find
 *   every record of a person without storing the address twice. Random, made on first use (issue 13
 *   moves keys out of the database).
 * - `erasure_links`: the one-time links every message to a contributor or subscriber carries; only
 *   the SHA-256 of the token is stored, beside the address's erasure hash (never the address).
 * - A unique index on contribution_flags (contribution, reporter): one flag per client and
 *   contribution even when two requests race.
 */
export function contributionsMore(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('participation_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('erasure_links')
        .addColumn('id', id, idColumn)
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('email_hash', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('erasure_links_expires').on('erasure_links').column('expires_at').execute();

      await db.schema.createIndex('contribution_flags_reporter').on('contribution_flags').columns(['contribution_id', 'reporter_hash']).unique().execute();
      await db.schema.createIndex('participation_keys_created').on('participation_keys').column('created_at').execute();
    },
  };
}
