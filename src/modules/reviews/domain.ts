/** The vocabulary of reviews (IRM-style ratings, design guide §3) and the side-by-side rule. */

export const ASSESSMENTS = ['on_track', 'minor_delays', 'major_delays', 'not_started', 'completed'] as const;
export type Assessment = (typeof ASSESSMENTS)[number];

/** Each rating is optional (null: not rated); the order of each list is the order of its scale. */
export const RATINGS = {
  verifiability: ['verifiable', 'not_verifiable'],
  potential_for_results: ['unclear', 'modest', 'substantial'],
  completion: ['no_evidence', 'not_started', 'limited', 'substantial', 'complete'],
  did_it_open_government: ['worsened', 'did_not_change', 'marginal', 'major', 'outstanding'],
  early_results: ['no_notable', 'moderate', 'significant', 'outstanding'],
} as const;
export type RatingName = keyof typeof RATINGS;
export const RATING_NAMES = Object.keys(RATINGS) as RatingName[];

export const RESPONSES = ['accepted', 'partially_accepted', 'not_accepted'] as const;
export type Response = (typeof RESPONSES)[number];

export const RECOMMENDATION_STATUSES = ['open', 'closed'] as const;

export const MAX_EVIDENCE_LINKS = 20;

/** What the holder reported for one cycle: the milestones of the published progress update. */
export interface Reported {
  items: readonly { status: string; completion: string }[];
}

/** What the monitoring body found for the same cycle. */
export interface Found {
  assessment: string;
  completion: string | null;
}

/**
 * - `completion`: the holder reported the commitment complete (every milestone not cancelled is
 *   "completed" or "complete") but the monitoring body rated its completion "limited" or less;
 * - `progress`: the holder reported it on track (work under way: a milestone in progress or
 *   completed, none delayed) but the monitoring body assessed "major delays" or "not started". A
 *   holder who reports nothing started does not claim to be on track.
 */
export type Disagreement = 'completion' | 'progress';

const LIMITED_OR_LESS = new Set(['no_evidence', 'not_started', 'limited']);
const BEHIND = new Set(['major_delays', 'not_started']);

/** Where the holder's report and the monitoring body's review disagree (empty: they agree, or nothing to compare). */
export function disagreements(reported: Reported | undefined, found: Found | undefined): Disagreement[] {
  if (!reported || !found) return [];
  const items = reported.items.filter((i) => i.status !== 'cancelled');
  if (items.length === 0) return [];
  const out: Disagreement[] = [];
  const reportedComplete = items.every((i) => i.status === 'completed' || i.completion === 'complete');
  if (reportedComplete && found.completion !== null && LIMITED_OR_LESS.has(found.completion)) out.push('completion');
  const reportedOnTrack = !items.some((i) => i.status === 'delayed') && items.some((i) => i.status === 'in_progress' || i.status === 'completed');
  if (reportedOnTrack && BEHIND.has(found.assessment)) out.push('progress');
  return out;
}

/** A recommendation is overdue when it is still open after its due day. */
export function isOverdue(r: { status: string; dueOn: string | null }, today: string): boolean {
  return r.status === 'open' && !!r.dueOn && r.dueOn < today;
}
