import type { Generated } from 'kysely';

/** The consultation tables of migration 0020 (owned by the consultation files of this module). */
export type ConsultationTable = {
  id: Generated<number>;
  jurisdiction_id: number;
  slug: string;
  /** plan | commitment | topic */
  subject: string;
  plan_id: number | null;
  commitment_id: number | null;
  /** Translatable JSON. */
  title: string;
  summary: string;
  body: string;
  /** Days in the jurisdiction's calendar, both included. */
  opens_on: string;
  closes_on: string;
  /** pre | post */
  moderation: string;
  flag_threshold: number;
  allows_proposals: number;
  groups_consulted: number | null;
  public_meetings: number | null;
  /** Translatable JSON. */
  outcome: string;
  published_at: string | null;
  responded_at: string | null;
  is_demo: number;
  created_at: string;
  updated_at: string;
  /** Translatable JSON (migration 0021): where the dates come from when the source gives no exact days. */
  dates_note: Generated<string>;
};

/** Migration 0021: per jurisdiction, the minimum notice period (days) below which the coordinator is warned. */
export type ConsultationSettingsTable = {
  jurisdiction_id: number;
  min_notice_days: number;
  updated_at: string;
};

export type ConsultationDocumentTable = {
  id: Generated<number>;
  consultation_id: number;
  title: string;
  url: string;
  locale: string | null;
  position: number;
};

export type ConsultationTables = {
  consultations: ConsultationTable;
  consultation_documents: ConsultationDocumentTable;
  consultation_settings: ConsultationSettingsTable;
};
