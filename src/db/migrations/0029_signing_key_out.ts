import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The log's private signing key leaves the database (ADR 0010): transparency_keys keeps the
 * public keys only. The key itself was moved into the key file by the start-up code before this
 * runs (moveSigningKeyOutOfDatabase: a migration writes no files); if a private key is still
 * there, this refuses rather than destroy it. The same SQL runs on SQLite and PostgreSQL.
 */
export function signingKeyOut(): Migration {
  return {
    async up(db: Kysely<any>) {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from transparency_keys where private_key like ${'-----BEGIN%'}`.execute(db);
      if (Number(rows[0]?.n ?? 0) > 0) {
        throw new Error(
          "migration 0029: the log's private signing key is still in the database. Run `besa migrate` or start the server: " +
            'they move it into the key file (BESA_SIGNING_KEY_FILE) before this migration removes the column.',
        );
      }
      await db.schema.alterTable('transparency_keys').dropColumn('private_key').execute();
    },
  };
}
