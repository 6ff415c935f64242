import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * News items and press releases (issue 12): written by a jurisdiction's coordinators per locale.
 *
 * - `kind`: news | press_release.
 * - `title`, `summary`, `body`: translatable JSON; the body is plain text, blank lines between
 *   paragraphs (no markup: nothing to sanitise).
 * - `status`: draft | published | withdrawn. A draft is private. Publishing, a correction of a
 *   published item and its withdrawal are each published in the transparency log; `corrected_at`
 *   and `withdrawn_at` say when, on the item's page.
 * - `period_from`, `period_to`: the days the item covers (optional, ISO dates);
 *   `reporting_cycle_id`: the cycle a draft was generated from, if any; `generated`: 1 while the
 *   body is the text Besa generated and nobody has saved it yet.
 */
export function news(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('news_items')
        .addColumn('id', id, idColumn)
        .addColumn('jurisdiction_id', 'integer', (c) => c.notNull().references('jurisdictions.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('period_from', 'text')
        .addColumn('period_to', 'text')
        .addColumn('reporting_cycle_id', 'integer')
        .addColumn('generated', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('published_at', 'text')
        .addColumn('corrected_at', 'text')
        .addColumn('withdrawn_at', 'text')
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('news_items_public').on('news_items').columns(['jurisdiction_id', 'status', 'published_at']).execute();
      await db.schema.createIndex('news_items_published').on('news_items').columns(['status', 'published_at']).execute();
    },
  };
}
