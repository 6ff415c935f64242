import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Reporting: cycles per plan, progress updates per commitment and cycle (one item per milestone),
 * evidence files stored in the database (so every app process sees them), and the reminders sent.
 * Same conventions as the foundation: translatable text and lists are JSON text, dates ISO text.
 */
export function reporting(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('reporting_cycles')
        .addColumn('id', id, idColumn)
        .addColumn('action_plan_id', 'integer', (c) => c.notNull().references('action_plans.id').onDelete('cascade'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('period_start', 'text', (c) => c.notNull())
        .addColumn('period_end', 'text', (c) => c.notNull())
        .addColumn('due_on', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('reporting_cycles_plan_number', ['action_plan_id', 'number'])
        .execute();

      await db.schema
        .createTable('progress_updates')
        .addColumn('id', id, idColumn)
        .addColumn('cycle_id', 'integer', (c) => c.notNull().references('reporting_cycles.id').onDelete('cascade'))
        .addColumn('commitment_id', 'integer', (c) => c.notNull().references('commitments.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('coordinator_comment', 'text')
        // The hidden token of the last form accepted: the same form posted twice changes nothing.
        .addColumn('form_token', 'text')
        .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('first_submitted_at', 'text')
        .addColumn('submitted_at', 'text')
        .addColumn('returned_at', 'text')
        .addColumn('published_at', 'text')
        .addUniqueConstraint('progress_updates_cycle_commitment', ['cycle_id', 'commitment_id'])
        .execute();
      await db.schema.createIndex('progress_updates_commitment').on('progress_updates').columns(['commitment_id', 'status']).execute();
      await db.schema.createIndex('progress_updates_published').on('progress_updates').column('published_at').execute();

      await db.schema
        .createTable('progress_update_items')
        .addColumn('id', id, idColumn)
        .addColumn('update_id', 'integer', (c) => c.notNull().references('progress_updates.id').onDelete('cascade'))
        .addColumn('milestone_id', 'integer', (c) => c.notNull().references('milestones.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('completion', 'text', (c) => c.notNull())
        .addColumn('narrative', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('obstacles', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('obstacle_note', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('evidence_links', 'text', (c) => c.notNull().defaultTo('[]'))
        .addUniqueConstraint('progress_update_items_update_milestone', ['update_id', 'milestone_id'])
        .execute();
      await db.schema.createIndex('progress_update_items_milestone').on('progress_update_items').column('milestone_id').execute();

      await db.schema
        .createTable('evidence_files')
        .addColumn('id', id, idColumn)
        .addColumn('update_id', 'integer', (c) => c.notNull().references('progress_updates.id').onDelete('cascade'))
        .addColumn('milestone_id', 'integer', (c) => c.references('milestones.id').onDelete('set null'))
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('content', blob, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('evidence_files_update').on('evidence_files').column('update_id').execute();

      await db.schema
        .createTable('reminders_sent')
        .addColumn('cycle_id', 'integer', (c) => c.notNull().references('reporting_cycles.id').onDelete('cascade'))
        .addColumn('commitment_id', 'integer', (c) => c.notNull().references('commitments.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('reminders_sent_pk', ['cycle_id', 'commitment_id', 'user_id', 'kind'])
        .execute();
    },
  };
}
