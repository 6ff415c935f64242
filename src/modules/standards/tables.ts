import type { Generated } from 'kysely';
import type { Executor } from '../../db/database.js';

/**
 * What the standards module reads and writes, typed only as far as it needs.
 * - 0019_standards (owned here): the two assessment days on plans and commitments.
 * - 0016–0018 (owned by the bodies, meetings and reviews modules): read only, by the checklist's
 *   own queries, so the checklist does not depend on those modules' code.
 */
export type StandardsTables = {
  action_plans: { inception_assessed_on: Generated<string | null> };
  commitments: { end_assessed_on: Generated<string | null> };
  bodies: {
    id: Generated<number>;
    jurisdiction_id: number;
    /** forum | monitoring_body | working_group */
    kind: string;
    slug: string;
    name: string;
    rules: string;
    meets_every_days: number | null;
    position: number;
    is_demo: number;
  };
  body_members: {
    id: Generated<number>;
    body_id: number;
    term_start: string | null;
    term_end: string | null;
    is_demo: number;
  };
  meetings: {
    id: Generated<number>;
    jurisdiction_id: number;
    body_id: number | null;
    /** forum | monitoring_review | working_group | public_meeting | ad_hoc */
    kind: string;
    starts_at: string;
    /** scheduled | held | cancelled */
    status: string;
    is_demo: number;
  };
  monitoring_reports: {
    id: Generated<number>;
    cycle_id: number;
    /** draft | published */
    status: string;
    published_at: string | null;
    is_demo: number;
  };
  /** Of other modules (0002, 0006): only the columns the checklist reads. */
  reporting_cycles: { id: Generated<number>; action_plan_id: number; number: number };
  progress_updates: { id: Generated<number>; cycle_id: number };
  transparency_entries: { occurred_at: string; entity_type: string; entity_id: number | null };
  /** Of the participation module (0020): what the `responses` item reads. */
  consultations: {
    id: Generated<number>;
    jurisdiction_id: number;
    slug: string;
    plan_id: number | null;
    commitment_id: number | null;
    title: string;
    closes_on: string;
    published_at: string | null;
    responded_at: string | null;
    is_demo: number;
  };
  contributions: { id: Generated<number>; consultation_id: number; status: string; published_at: string | null };
  contribution_responses: { contribution_id: number };
};

/** The database or transaction, seen with the tables the checklist reads. */
export function sdb(executor: Executor) {
  return executor.withTables<StandardsTables>();
}
