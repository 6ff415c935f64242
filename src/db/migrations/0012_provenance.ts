import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Provenance: where each public text or fact comes from. One row says, for one field of one
 * record (entity_type, entity_id, field) and optionally one language, which document it comes
 * from (the adopted plan, an OGP page, a document, a link, a meeting's minutes), the section, and
 * how the stored text relates to it: the source's words, a faithful translation, a summary, or
 * "not stated" (the field is left empty on purpose). `quote` holds the source's exact words for a
 * fact (a date, a number); `precision` how precise a date the source gives (day, month, year);
 * `relation` 'conflict' marks a source that disagrees with the value kept. `note` is translatable.
 * Same conventions as the foundation: translatable text is JSON text, instants ISO text.
 */
export function provenance(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('provenance')
        .addColumn('id', id, idColumn)
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'integer', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('language', 'text')
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('url', 'text')
        .addColumn('section', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('rendering', 'text', (c) => c.notNull())
        .addColumn('relation', 'text', (c) => c.notNull().defaultTo('basis'))
        .addColumn('quote', 'text')
        .addColumn('precision', 'text')
        .addColumn('note', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('recorded_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('provenance_entity').on('provenance').columns(['entity_type', 'entity_id', 'field']).execute();
    },
  };
}
