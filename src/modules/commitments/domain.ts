/** OGP scales stored as data; their labels are messages (`domain.<scale>.<value>`). */

/**
 * OGP's values as OGP names them today: transparency (access to information), civic
 * participation, public accountability. Labels: `domain.ogpValue.<key>`.
 */
export const OGP_VALUES = ['transparency', 'civic_participation', 'public_accountability'] as const;
/** OGP's lenses on its values: technology and innovation, inclusion. Stored with the values. */
export const OGP_LENSES = ['technology_and_innovation', 'inclusion'] as const;
/**
 * Keys of OGP's older list still found in stored records, and what OGP calls them today. They
 * stay readable: a stored old key shows with today's label; saving stores today's key.
 */
export const OLDER_OGP_VALUES = { access_to_information: 'transparency' } as const;
export type OgpValue = (typeof OGP_VALUES)[number] | (typeof OGP_LENSES)[number] | keyof typeof OLDER_OGP_VALUES;

/** Today's key for a stored value or lens key (an older key becomes the one OGP uses now; unknown keys stay). */
export function currentOgpKey(key: string): string {
  return (OLDER_OGP_VALUES as Record<string, string>)[key] ?? key;
}

/** Stored keys split into OGP's values and lenses, in OGP's order, older keys read as today's, duplicates and unknown keys left out. */
export function ogpValuesAndLenses(stored: readonly string[]): { values: string[]; lenses: string[] } {
  const keys = new Set(stored.map(currentOgpKey));
  return { values: OGP_VALUES.filter((v) => keys.has(v)), lenses: OGP_LENSES.filter((l) => keys.has(l)) };
}

export const MILESTONE_STATUSES = ['not_started', 'in_progress', 'delayed', 'completed', 'cancelled'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

/**
 * A plan's status, derived (planStatusOf), never stored: before its start it is announced, then in
 * implementation, then its implementation has ended and it awaits the end-of-term assessment,
 * then it is assessed; it may be withdrawn. Labels: `domain.planStatus.<status>`.
 */
export const PLAN_STATUSES = ['announced', 'in_implementation', 'implementation_ended', 'assessed', 'withdrawn'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface PlanDates {
  startsOn: string;
  endsOn: string;
  /** The day the plan was withdrawn, an event the dates cannot tell. */
  withdrawnOn: string | null;
  /** The day its end-of-term assessment was published. */
  assessedOn: string | null;
}

/** A plan's status on a day (ISO dates compare as text): events first, then its dates. */
export function planStatusOf(plan: PlanDates, today: string): PlanStatus {
  if (plan.withdrawnOn && plan.withdrawnOn <= today) return 'withdrawn';
  if (plan.assessedOn && plan.assessedOn <= today) return 'assessed';
  if (today < plan.startsOn) return 'announced';
  if (today <= plan.endsOn) return 'in_implementation';
  return 'implementation_ended';
}

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

/** A commitment's status: from its milestones, and from its dates once its implementation period has ended. */
export type CommitmentStatus = MilestoneStatus | 'no_milestones' | 'ended';

/**
 * A commitment's status on a day, from its milestones (commitmentStatusOf) and its dates: after its
 * end date, one neither completed nor cancelled has ended (its period is over, whatever its
 * milestones say); before its start date, one whose milestones show no work has not started.
 */
export function commitmentStatusOn(fromMilestones: MilestoneStatus | 'no_milestones', period: { startsOn: string; endsOn: string }, today: string): CommitmentStatus {
  if (fromMilestones === 'completed' || fromMilestones === 'cancelled') return fromMilestones;
  if (today > period.endsOn) return 'ended';
  if (today < period.startsOn && fromMilestones === 'no_milestones') return 'not_started';
  return fromMilestones;
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
