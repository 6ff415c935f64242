import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * A jurisdiction's portal: the name its pages carry in the header (translatable JSON text, e.g.
 * "Gjakova Open Government"), an accent colour (`#rrggbb`, null: Besa's own) and an emblem (a PNG,
 * JPEG or WebP image kept in the database with its detected type and its SHA-256, which names the
 * version in its address and its ETag). One row per branded jurisdiction, in its own table so the
 * image is never read with the jurisdiction's other fields. Presentation only: no plan fact here.
 */
export function jurisdictionBranding(dialect: Dialect): Migration {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('jurisdiction_branding')
        .addColumn('jurisdiction_id', 'integer', (c) => c.primaryKey().references('jurisdictions.id').onDelete('cascade'))
        .addColumn('portal_name', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('accent_color', 'text')
        .addColumn('emblem', blob)
        .addColumn('emblem_type', 'text')
        .addColumn('emblem_sha256', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
