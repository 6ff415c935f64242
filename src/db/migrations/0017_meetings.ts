import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Meetings of the bodies (and public meetings of a jurisdiction): when (UTC instants plus the time
 * zone they were set in), where, accessibility, the ordered agenda, documents and invited guests;
 * after the meeting the minutes, the attendance roll, decisions and action items carried from
 * meeting to meeting until closed. `uid` and `sequence` are the iCalendar identity of the event
 * (RFC 5545): a moved meeting keeps its UID and raises its SEQUENCE.
 */
export function meetings(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('meetings')
        .addColumn('id', id, idColumn)
        .addColumn('jurisdiction_id', 'integer', (c) => c.notNull().references('jurisdictions.id').onDelete('cascade'))
        // The body that meets; none for a public meeting of the jurisdiction.
        .addColumn('body_id', 'integer', (c) => c.references('bodies.id').onDelete('cascade'))
        // forum | monitoring_review | working_group | public_meeting | ad_hoc
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'text', (c) => c.notNull())
        // The IANA zone the times were given in (the jurisdiction's, e.g. Europe/Belgrade).
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('place', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('online_url', 'text')
        // Accessibility: 1 yes, 0 no, null not stated.
        .addColumn('step_free_access', 'integer')
        .addColumn('sign_language', 'integer')
        // JSON list of language codes spoken at the meeting.
        .addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('accessibility_note', 'text', (c) => c.notNull().defaultTo('{}'))
        // The reporting cycle whose progress updates are presented (a monitoring review).
        .addColumn('reporting_cycle_id', 'integer', (c) => c.references('reporting_cycles.id').onDelete('set null'))
        // scheduled | held | cancelled
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('uid', 'text', (c) => c.notNull().unique())
        .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('minutes', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('minutes_published_at', 'text')
        // The minutes are approved at a later meeting of the same body.
        .addColumn('minutes_approved_at', 'text')
        .addColumn('minutes_approved_in_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
        .addColumn('reminded_at', 'text')
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meetings_jurisdiction_start').on('meetings').columns(['jurisdiction_id', 'starts_at']).execute();
      await db.schema.createIndex('meetings_body_start').on('meetings').columns(['body_id', 'starts_at']).execute();

      await db.schema
        .createTable('meeting_agenda_items')
        .addColumn('id', id, idColumn)
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('description', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('commitment_id', 'integer', (c) => c.references('commitments.id').onDelete('set null'))
        .addColumn('reporting_cycle_id', 'integer', (c) => c.references('reporting_cycles.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('meeting_agenda_items_meeting').on('meeting_agenda_items').column('meeting_id').execute();

      await db.schema
        .createTable('meeting_documents')
        .addColumn('id', id, idColumn)
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('url', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meeting_documents_meeting').on('meeting_documents').column('meeting_id').execute();

      await db.schema
        .createTable('meeting_guests')
        .addColumn('id', id, idColumn)
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        // A guest's name is public only with their consent; the organisation and reason always are.
        .addColumn('name_public', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('organisation', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('reason', 'text', (c) => c.notNull().defaultTo('{}'))
        // Attendance of the guest: invited | present | excused | absent
        .addColumn('attendance', 'text', (c) => c.notNull().defaultTo('invited'))
        .execute();
      await db.schema.createIndex('meeting_guests_meeting').on('meeting_guests').column('meeting_id').execute();

      await db.schema
        .createTable('meeting_attendance')
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
        .addColumn('member_id', 'integer', (c) => c.notNull().references('body_members.id').onDelete('cascade'))
        // present | excused | absent
        .addColumn('status', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('meeting_attendance_pk', ['meeting_id', 'member_id'])
        .execute();

      await db.schema
        .createTable('meeting_decisions')
        .addColumn('id', id, idColumn)
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('votes_for', 'integer')
        .addColumn('votes_against', 'integer')
        .addColumn('votes_abstaining', 'integer')
        // JSON list of commitment ids the decision concerns.
        .addColumn('commitment_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meeting_decisions_meeting').on('meeting_decisions').column('meeting_id').execute();

      await db.schema
        .createTable('action_items')
        .addColumn('id', id, idColumn)
        // The meeting that raised it; it is carried to each next meeting of the body until closed.
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
        .addColumn('text', 'text', (c) => c.notNull().defaultTo('{}'))
        // Who carries it out: an institution of the jurisdiction, or a member, or a named owner.
        .addColumn('owner_institution_id', 'integer', (c) => c.references('institutions.id').onDelete('set null'))
        .addColumn('owner_member_id', 'integer', (c) => c.references('body_members.id').onDelete('set null'))
        .addColumn('owner_label', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('due_on', 'text')
        // open | in_progress | done | dropped
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('commitment_id', 'integer', (c) => c.references('commitments.id').onDelete('set null'))
        .addColumn('closed_at', 'text')
        .addColumn('closed_in_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('action_items_meeting').on('action_items').column('meeting_id').execute();

      await db.schema
        .createTable('action_item_notes')
        .addColumn('id', id, idColumn)
        .addColumn('action_item_id', 'integer', (c) => c.notNull().references('action_items.id').onDelete('cascade'))
        // The meeting where the follow-up was noted, when it was.
        .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('action_item_notes_item').on('action_item_notes').column('action_item_id').execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['action_item_notes', 'action_items', 'meeting_decisions', 'meeting_attendance', 'meeting_guests', 'meeting_documents', 'meeting_agenda_items', 'meetings']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
