import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Imports (issue 12): external identifiers and IRM assessments.
 *
 * `external_ids`: what another system calls a Besa record, so importing the same file again
 * updates instead of duplicating. One row per (source, external_key): `source` is `ogp` or
 * `decidim`; `external_key` is the other system's identifier, prefixed by the kind of record
 * (`commitment:1234`, `action_plan:56`, `jurisdiction:albania`). `data` (JSON text) keeps what the
 * other system says that Besa has no column for (Decidim's status key and progress), for the way
 * back; `origin` the file and row it was last read from.
 *
 * `irm_assessments`: a commitment's IRM ratings as OGP's data gives them, one row per commitment,
 * `ratings` a JSON array of `{ "name": column, "value": text or null }` in the file's order. The
 * values are kept as text: `ND`, `NR`, `N/A` stay distinct from a rating and from an empty cell (null).
 */
export function interop(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('external_ids')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('external_key', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('origin', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('external_ids_pkey', ['source', 'external_key'])
        .execute();
      await db.schema.createIndex('external_ids_entity').on('external_ids').columns(['entity_type', 'entity_id']).execute();
      await db.schema
        .createTable('irm_assessments')
        .addColumn('commitment_id', 'integer', (c) => c.primaryKey().references('commitments.id').onDelete('cascade'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('ratings', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
