import type { Generated } from 'kysely';
import type { Executor } from '../../db/database.js';

/** Tables of migration 0006 (typed here so the module owns its own storage). */
export type ReportingCycleTable = {
  id: Generated<number>;
  action_plan_id: number;
  number: number;
  /** Translatable JSON; empty: the default label "Cycle N" is shown. */
  label: string;
  period_start: string;
  period_end: string;
  due_on: string;
  /** open | closed */
  status: string;
  created_at: string;
  updated_at: string;
}

export type ProgressUpdateTable = {
  id: Generated<number>;
  cycle_id: number;
  commitment_id: number;
  /** draft | submitted | returned | published */
  status: string;
  summary: string;
  coordinator_comment: string | null;
  form_token: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  first_submitted_at: string | null;
  submitted_at: string | null;
  returned_at: string | null;
  published_at: string | null;
}

export type ProgressUpdateItemTable = {
  id: Generated<number>;
  update_id: number;
  milestone_id: number;
  status: string;
  completion: string;
  narrative: string;
  obstacles: string;
  obstacle_note: string;
  evidence_links: string;
}

export type EvidenceFileTable = {
  id: Generated<number>;
  update_id: number;
  milestone_id: number | null;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  content: Buffer | Uint8Array;
  created_at: string;
}

export type ReminderSentTable = {
  cycle_id: number;
  commitment_id: number;
  user_id: number;
  kind: string;
  sent_at: string;
}

export type ReportingTables = {
  reporting_cycles: ReportingCycleTable;
  progress_updates: ProgressUpdateTable;
  progress_update_items: ProgressUpdateItemTable;
  evidence_files: EvidenceFileTable;
  reminders_sent: ReminderSentTable;
}

/** The database or transaction, seen with the reporting tables. */
export function rdb(executor: Executor) {
  return executor.withTables<ReportingTables>();
}
