import type { Translatable } from '../../lib/translatable.js';

/**
 * Provenance: where a public text or fact comes from. Stored as data (table `provenance`, 0012),
 * labelled by messages (`provenance.document.<document>`, `provenance.rendering.<rendering>`).
 */

/** The kinds of source: the jurisdiction's adopted plan, OGP's public pages, or what an admin names. */
export const SOURCE_DOCUMENTS = ['adopted_plan', 'ogp_plan_page', 'ogp_commitment_page', 'document', 'link', 'minutes'] as const;
export type SourceDocument = (typeof SOURCE_DOCUMENTS)[number];

/**
 * How the stored text relates to its source: the source's own words, a faithful translation of
 * them, a summary of them, or not stated at all (the field is then left empty on purpose).
 */
export const RENDERINGS = ['words', 'translation', 'summary', 'not_stated'] as const;
export type Rendering = (typeof RENDERINGS)[number];

/** How precise a date the source gives: a date kept as YYYY-MM-DD is shown no more precisely. */
export const DATE_PRECISIONS = ['day', 'month', 'year'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

/** 'basis': the value kept comes from this source; 'conflict': this source says otherwise. */
export const RELATIONS = ['basis', 'conflict'] as const;
export type Relation = (typeof RELATIONS)[number];

/** The records whose fields carry provenance, and the fields an admin may name for each. */
export const PROVENANCE_FIELDS = {
  jurisdiction: ['name', 'description', 'website'],
  institution: ['name', 'kind'],
  action_plan: ['title', 'starts_on', 'ends_on', 'submitted_on', 'lead_institutions', 'foreword', 'cocreation_groups', 'cocreation_public_meetings', 'cocreation_summary', 'endorsements'],
  commitment: ['title', 'problem', 'status_quo', 'action', 'contribution', 'long_term_goal', 'ogp_values', 'policy_areas', 'starts_on', 'ends_on', 'institutions'],
  vision_section: ['question', 'answer'],
} as const;
export type ProvenanceEntity = keyof typeof PROVENANCE_FIELDS;

/** The language each known document is written in (its section names are shown with that `lang`). */
export const DOCUMENT_LANGUAGE: Partial<Record<SourceDocument, string>> = {
  adopted_plan: 'fr',
  ogp_plan_page: 'en',
  ogp_commitment_page: 'en',
};

/** One statement of where a field (or one language of it) comes from. */
export interface SourceRef {
  field: string;
  language: string | null;
  document: SourceDocument;
  title: string;
  url: string | null;
  section: string;
  rendering: Rendering;
  relation: Relation;
  quote: string | null;
  precision: DatePrecision | null;
  note: Translatable;
}

/** The precision a field's sources give for a date: the coarsest basis, day when nothing says. */
export function precisionOf(sources: readonly SourceRef[]): DatePrecision {
  const order: DatePrecision[] = ['year', 'month', 'day'];
  for (const p of order) if (sources.some((s) => s.relation === 'basis' && s.precision === p)) return p;
  return 'day';
}

/** A field the sources leave unstated: shown as such, never filled with a guess. */
export function isNotStated(sources: readonly SourceRef[]): boolean {
  return sources.length > 0 && sources.every((s) => s.rendering === 'not_stated');
}
