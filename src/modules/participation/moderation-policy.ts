import { canModerate, type PolicyUser } from '../accounts/index.js';

/**
 * Who may moderate contributions and who answers them, built on the role grants of
 * modules/accounts/policy.ts (canModerate: the jurisdiction's administrators and moderators).
 */

/** Hides, approves and restores the contributions to a jurisdiction's consultations. */
export function canModerateContributions(user: PolicyUser, jurisdictionId: number): boolean {
  return canModerate(user, jurisdictionId);
}

/** Opens the moderation queue at all: a moderator or administrator of some jurisdiction (the queue shows theirs only). */
export function canModerateAny(user: PolicyUser): boolean {
  return !!user?.roles.some((r) => r.role === 'administrator' || r.role === 'moderator');
}

/** The jurisdictions whose contributions the person moderates: `all` for an instance-wide administrator or moderator. */
export function moderatedJurisdictions(user: PolicyUser): 'all' | number[] {
  const grants = (user?.roles ?? []).filter((r) => r.role === 'administrator' || r.role === 'moderator');
  if (grants.some((r) => r.jurisdictionId === null)) return 'all';
  return [...new Set(grants.map((r) => r.jurisdictionId as number))];
}

const RESPONDERS = new Set(['administrator', 'coordinator']);

/** Writes the reasoned responses to a jurisdiction's contributions and publishes the response table: its administrators and coordinators. */
export function canRespondToContributions(user: PolicyUser, jurisdictionId: number): boolean {
  return !!user?.roles.some((r) => RESPONDERS.has(r.role) && (r.jurisdictionId === null || r.jurisdictionId === jurisdictionId));
}

/** The jurisdictions whose contributions the person answers: `all` for instance-wide grants. */
export function respondedJurisdictions(user: PolicyUser): 'all' | number[] {
  const grants = (user?.roles ?? []).filter((r) => RESPONDERS.has(r.role));
  if (grants.some((r) => r.jurisdictionId === null)) return 'all';
  return [...new Set(grants.map((r) => r.jurisdictionId as number))];
}
