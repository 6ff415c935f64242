import type { Generated } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { BodiesTables } from '../bodies/index.js';

/** Tables of migration 0017 (typed here so the module owns its own storage). */
export type MeetingTable = {
  id: Generated<number>;
  jurisdiction_id: number;
  body_id: number | null;
  /** forum | monitoring_review | working_group | public_meeting | ad_hoc */
  kind: string;
  title: string;
  /** ISO UTC instants. */
  starts_at: string;
  ends_at: string;
  /** The IANA zone the times were entered in. */
  time_zone: string;
  place: string;
  online_url: string | null;
  step_free_access: number | null;
  sign_language: number | null;
  languages: string;
  accessibility_note: string;
  reporting_cycle_id: number | null;
  /** scheduled | held | cancelled */
  status: string;
  uid: string;
  sequence: Generated<number>;
  minutes: Generated<string>;
  minutes_published_at: string | null;
  minutes_approved_at: string | null;
  minutes_approved_in_id: number | null;
  reminded_at: string | null;
  is_demo: Generated<number>;
  created_at: string;
  updated_at: string;
};

export type AgendaItemTable = {
  id: Generated<number>;
  meeting_id: number;
  position: number;
  title: string;
  description: string;
  commitment_id: number | null;
  reporting_cycle_id: number | null;
};

export type MeetingDocumentTable = {
  id: Generated<number>;
  meeting_id: number;
  position: number;
  title: string;
  url: string;
};

export type MeetingGuestTable = {
  id: Generated<number>;
  meeting_id: number;
  name: string;
  name_public: number;
  organisation: string;
  reason: string;
  /** invited | present | excused | absent */
  attendance: string;
};

export type MeetingAttendanceTable = {
  meeting_id: number;
  member_id: number;
  /** present | excused | absent */
  status: string;
};

export type MeetingDecisionTable = {
  id: Generated<number>;
  meeting_id: number;
  position: number;
  text: string;
  votes_for: number | null;
  votes_against: number | null;
  votes_abstaining: number | null;
  commitment_ids: string;
  created_at: string;
};

export type ActionItemTable = {
  id: Generated<number>;
  meeting_id: number;
  text: string;
  owner_institution_id: number | null;
  owner_member_id: number | null;
  owner_label: string;
  due_on: string | null;
  /** open | in_progress | done | dropped */
  status: string;
  commitment_id: number | null;
  closed_at: string | null;
  closed_in_id: number | null;
  created_at: string;
  updated_at: string;
};

export type ActionItemNoteTable = {
  id: Generated<number>;
  action_item_id: number;
  meeting_id: number | null;
  note: string;
  status: string;
  created_at: string;
};

export type MeetingTables = {
  meetings: MeetingTable;
  meeting_agenda_items: AgendaItemTable;
  meeting_documents: MeetingDocumentTable;
  meeting_guests: MeetingGuestTable;
  meeting_attendance: MeetingAttendanceTable;
  meeting_decisions: MeetingDecisionTable;
  action_items: ActionItemTable;
  action_item_notes: ActionItemNoteTable;
} & BodiesTables;

/** The database or transaction, seen with the meetings tables. */
export function mdb(executor: Executor) {
  return executor.withTables<MeetingTables>();
}
