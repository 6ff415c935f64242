/** OGP scales stored as data; their labels are messages (`domain.<scale>.<value>`). */
export const OGP_VALUES = ['access_to_information', 'civic_participation', 'public_accountability', 'technology_and_innovation'] as const;
export type OgpValue = (typeof OGP_VALUES)[number];

export const MILESTONE_STATUSES = ['not_started', 'in_progress', 'delayed', 'completed', 'cancelled'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

export const PLAN_STATUSES = ['draft', 'in_consultation', 'submitted', 'in_implementation', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const INSTITUTION_KINDS = ['government', 'civil_society', 'private', 'international', 'other'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const JURISDICTION_KINDS = ['local', 'national'] as const;
export type JurisdictionKind = (typeof JURISDICTION_KINDS)[number];

export const COMMITMENT_INSTITUTION_ROLES = ['lead', 'supporting'] as const;
export type CommitmentInstitutionRole = (typeof COMMITMENT_INSTITUTION_ROLES)[number];

export const ENDORSEMENT_SECTORS = ['civil_society', 'government', 'private', 'academia', 'political_party', 'international', 'other'] as const;

/**
 * A commitment code in one of OGP's two forms: national, the country's two letters and four
 * digits (`CA0069`, `UK0085`); local, the country's two letters, the jurisdiction's letters
 * (two to six, digits allowed after the first) and four digits (`XKGJA0001`).
 */
export const COMMITMENT_CODE = /^[A-Z]{2}(?:[A-Z][A-Z0-9]{1,5})?\d{4}$/;
/** A milestone code: its commitment's code, a dot and a number, e.g. XKGJA0001.2 or CA0069.1. */
export const MILESTONE_CODE = /^[A-Z]{2}(?:[A-Z][A-Z0-9]{1,5})?\d{4}\.\d{1,3}$/;

export interface WeightedStatus {
  status: string;
  weight: number;
}

/**
 * Progress from milestones, weighted: the share of weight completed, cancelled milestones left
 * out. Null when nothing is left to measure (no milestones, or all cancelled).
 */
export function progressOf(milestones: readonly WeightedStatus[]): number | null {
  let total = 0;
  let done = 0;
  for (const m of milestones) {
    if (m.status === 'cancelled') continue;
    const weight = Math.max(0, m.weight);
    total += weight;
    if (m.status === 'completed') done += weight;
  }
  return total > 0 ? done / total : null;
}

/** A commitment's overall status, derived from its milestones. */
export function commitmentStatusOf(milestones: readonly WeightedStatus[]): MilestoneStatus | 'no_milestones' {
  const live = milestones.filter((m) => m.status !== 'cancelled');
  if (milestones.length === 0) return 'no_milestones';
  if (live.length === 0) return 'cancelled';
  if (live.every((m) => m.status === 'completed')) return 'completed';
  if (live.some((m) => m.status === 'delayed')) return 'delayed';
  if (live.some((m) => m.status === 'in_progress' || m.status === 'completed')) return 'in_progress';
  return 'not_started';
}
