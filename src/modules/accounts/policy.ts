import type { SessionUser } from './repository.js';

/**
 * Roles per jurisdiction (a null jurisdiction: every jurisdiction of the instance).
 * - administrator: everything, including accounts;
 * - coordinator: the Information Office: runs the plan, reporting cycles, publishes updates;
 * - commitment_holder: reports on what its institution leads (user_roles.institution_id);
 * - forum_secretary, monitoring_member, moderator: the Forum, the monitoring body, comments.
 */
export const ROLES = ['administrator', 'coordinator', 'commitment_holder', 'forum_secretary', 'monitoring_member', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

function hasRole(user: SessionUser | undefined, role: Role, jurisdictionId?: number): boolean {
  return !!user?.roles.some((r) => r.role === role && (r.jurisdictionId === null || jurisdictionId === undefined || r.jurisdictionId === jurisdictionId));
}

/** May open the administration at all. */
export function canAccessAdmin(user: SessionUser | undefined): boolean {
  return hasRole(user, 'administrator');
}

/** May create and edit jurisdictions (instance-wide administrators only). */
export function canManageJurisdictions(user: SessionUser | undefined): boolean {
  return !!user?.roles.some((r) => r.role === 'administrator' && r.jurisdictionId === null);
}

/** May edit the content (institutions, plans, commitments, milestones) of one jurisdiction. */
export function canManageContent(user: SessionUser | undefined, jurisdictionId: number): boolean {
  return hasRole(user, 'administrator', jurisdictionId);
}
