import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Consultations (issue 11), what migration 0020 did not hold:
 * - `consultation_settings`: per jurisdiction, the minimum notice period in days (Kosovo's rules on
 *   public consultation; 15 by default). A shorter consultation may still be published: the
 *   coordinator is warned on the form and in the list, and the public page shows the period.
 * - `consultations.dates_note`: translatable words on where the dates come from, for a consultation
 *   recorded after the fact whose source gives no exact days (Gjakova's 2024 co-creation call).
 */
export function consultationsMore(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('consultation_settings')
        .addColumn('jurisdiction_id', 'integer', (c) => c.primaryKey().references('jurisdictions.id').onDelete('cascade'))
        .addColumn('min_notice_days', 'integer', (c) => c.notNull().defaultTo(15))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('consultations').addColumn('dates_note', 'text', (c) => c.notNull().defaultTo('{}')).execute();
    },
  };
}
