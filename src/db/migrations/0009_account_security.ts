import type { Kysely, Migration } from 'kysely';

/**
 * Account security (issue 7): the TOTP time steps already used per account, under a unique key, so
 * one code completes at most one sign-in (or one switch-off of two-factor) even when several
 * requests carry it at once: the loser of the race hits the key. Same SQL on SQLite and PostgreSQL.
 */
export function accountSecurity(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('totp_used_steps')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('used_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('totp_used_steps_pkey', ['user_id', 'step'])
        .execute();
      await db.schema.createIndex('totp_used_steps_used_at').on('totp_used_steps').column('used_at').execute();
    },
  };
}
