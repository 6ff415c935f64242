import type { Kysely, Migration } from 'kysely';

/**
 * Roles per jurisdiction, and commitment holders scoped to an institution: a user_roles row
 * with an institution_id holds the role for that institution only.
 */
export function roles(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('user_roles')
        .addColumn('institution_id', 'integer', (c) => c.references('institutions.id').onDelete('cascade'))
        .execute();
    },
  };
}
