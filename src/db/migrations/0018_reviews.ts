import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The monitoring body's reviews: one per commitment and reporting cycle, with an assessment, the
 * IRM-style ratings and findings; recommendations with the institution that owns them, a due date,
 * the government's response and follow-up entries until closed. A cycle's reviews publish together
 * as a monitoring report.
 */
export function reviews(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('monitoring_reports')
        .addColumn('id', id, idColumn)
        .addColumn('cycle_id', 'integer', (c) => c.notNull().unique().references('reporting_cycles.id').onDelete('cascade'))
        .addColumn('body_id', 'integer', (c) => c.references('bodies.id').onDelete('set null'))
        .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
        // draft | published
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text')
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('reviews')
        .addColumn('id', id, idColumn)
        .addColumn('commitment_id', 'integer', (c) => c.notNull().references('commitments.id').onDelete('cascade'))
        .addColumn('cycle_id', 'integer', (c) => c.notNull().references('reporting_cycles.id').onDelete('cascade'))
        // on_track | minor_delays | major_delays | not_started | completed
        .addColumn('assessment', 'text', (c) => c.notNull())
        // IRM-style ratings (null: not rated). verifiable | not_verifiable
        .addColumn('verifiability', 'text')
        // unclear | modest | substantial
        .addColumn('potential_for_results', 'text')
        // no_evidence | not_started | limited | substantial | complete
        .addColumn('completion', 'text')
        // worsened | did_not_change | marginal | major | outstanding
        .addColumn('did_it_open_government', 'text')
        // no_notable | moderate | significant | outstanding
        .addColumn('early_results', 'text')
        .addColumn('findings', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('evidence_links', 'text', (c) => c.notNull().defaultTo('[]'))
        // draft | published (published with the cycle's monitoring report)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text')
        .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('reviews_commitment_cycle', ['commitment_id', 'cycle_id'])
        .execute();
      await db.schema.createIndex('reviews_cycle').on('reviews').column('cycle_id').execute();

      await db.schema
        .createTable('recommendations')
        .addColumn('id', id, idColumn)
        .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('text', 'text', (c) => c.notNull().defaultTo('{}'))
        // The institution that owns it (its holders record the government's response).
        .addColumn('institution_id', 'integer', (c) => c.references('institutions.id').onDelete('set null'))
        .addColumn('due_on', 'text')
        // accepted | partially_accepted | not_accepted (null: no response yet)
        .addColumn('response', 'text')
        .addColumn('response_reasons', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('responded_at', 'text')
        // open | closed
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('recommendations_review').on('recommendations').column('review_id').execute();
      await db.schema.createIndex('recommendations_institution').on('recommendations').columns(['institution_id', 'status']).execute();

      await db.schema
        .createTable('recommendation_follow_ups')
        .addColumn('id', id, idColumn)
        .addColumn('recommendation_id', 'integer', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo('{}'))
        // The recommendation's status after this entry: open | closed
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('recommendation_follow_ups_recommendation').on('recommendation_follow_ups').column('recommendation_id').execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['recommendation_follow_ups', 'recommendations', 'reviews', 'monitoring_reports']) await db.schema.dropTable(table).execute();
    },
  };
}
