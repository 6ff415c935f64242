import type { Generated } from 'kysely';
import type { Executor } from '../../db/database.js';

/** Tables of migration 0018 (typed here so the module owns its own storage). */
export type MonitoringReportTable = {
  id: Generated<number>;
  cycle_id: number;
  body_id: number | null;
  /** Translatable JSON. */
  summary: string;
  /** draft | published */
  status: string;
  published_at: string | null;
  is_demo: number;
  created_at: string;
  updated_at: string;
};

export type ReviewTable = {
  id: Generated<number>;
  commitment_id: number;
  cycle_id: number;
  assessment: string;
  verifiability: string | null;
  potential_for_results: string | null;
  completion: string | null;
  did_it_open_government: string | null;
  early_results: string | null;
  /** Translatable JSON. */
  findings: string;
  /** JSON list of https addresses. */
  evidence_links: string;
  /** draft | published */
  status: string;
  published_at: string | null;
  created_by: number | null;
  is_demo: number;
  created_at: string;
  updated_at: string;
};

export type RecommendationTable = {
  id: Generated<number>;
  review_id: number;
  position: number;
  text: string;
  institution_id: number | null;
  due_on: string | null;
  response: string | null;
  response_reasons: string;
  responded_at: string | null;
  /** open | closed */
  status: string;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
};

export type RecommendationFollowUpTable = {
  id: Generated<number>;
  recommendation_id: number;
  note: string;
  /** open | closed: the recommendation's status after this entry. */
  status: string;
  created_at: string;
};

export type ReviewTables = {
  monitoring_reports: MonitoringReportTable;
  reviews: ReviewTable;
  recommendations: RecommendationTable;
  recommendation_follow_ups: RecommendationFollowUpTable;
};

/** The database or transaction, seen with the reviews tables. */
export function vdb(executor: Executor) {
  return executor.withTables<ReviewTables>();
}
