import type { Actor, RoleGrant } from '../audit/index.js';

/**
 * Roles per jurisdiction (a null jurisdiction: every jurisdiction of the instance).
 * - administrator: everything, including accounts;
 * - coordinator: the Information Office: runs the plan, reporting cycles, publishes updates;
 * - commitment_holder: reports on what its institution leads (user_roles.institution_id);
 * - forum_secretary, monitoring_member, moderator: the Forum, the monitoring body, comments.
 * Routes, commands and views all ask these functions; none checks a role name itself.
 */
export const ROLES = ['administrator', 'coordinator', 'commitment_holder', 'forum_secretary', 'monitoring_member', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Anyone with roles: a signed-in person (SessionUser) or the Actor a command receives. */
export type PolicyUser = { roles: readonly RoleGrant[] } | undefined;
type User = PolicyUser;

/**
 * The Actor for a command done by a signed-in person: their roles (which the command checks) and, for
 * the history, the label of the highest role they hold on the jurisdiction concerned ('user' if none).
 */
export function actorFor(user: { id: number; roles: readonly RoleGrant[] }, jurisdictionId?: number | null): Actor {
  const held = user.roles.filter((r) => r.jurisdictionId === null || jurisdictionId == null || r.jurisdictionId === jurisdictionId).map((r) => r.role);
  return { userId: user.id, role: ROLES.find((r) => held.includes(r)) ?? 'user', roles: user.roles };
}

function hasRole(user: User, role: Role, jurisdictionId?: number): boolean {
  return !!user?.roles.some((r) => r.role === role && (r.jurisdictionId === null || jurisdictionId === undefined || r.jurisdictionId === jurisdictionId));
}

/** May open the administration at all: any signed-in person with a role (each page checks its own policy). */
export function canAccessAdmin(user: User): boolean {
  return !!user?.roles.some((r) => isRole(r.role));
}

/** May create and edit jurisdictions (instance-wide administrators only). */
export function canManageJurisdictions(user: User): boolean {
  return !!user?.roles.some((r) => r.role === 'administrator' && r.jurisdictionId === null);
}

/** May edit the content (institutions, plans, commitments, milestones) of one jurisdiction. */
export function canManageContent(user: User, jurisdictionId: number): boolean {
  return hasRole(user, 'administrator', jurisdictionId);
}

/** May see people's accounts and invite people (administrators). */
export function canManageUsers(user: User): boolean {
  return hasRole(user, 'administrator');
}

/**
 * May see a person (e-mail address, roles): an instance-wide administrator everyone; the
 * administrator of a jurisdiction only the people who hold a role there.
 */
export function canSeeUser(viewer: User, targetRoles: readonly { jurisdictionId: number | null }[]): boolean {
  if (!viewer) return false;
  const administered = viewer.roles.filter((r) => r.role === 'administrator');
  if (administered.some((r) => r.jurisdictionId === null)) return true;
  const mine = new Set(administered.map((r) => r.jurisdictionId));
  return targetRoles.some((r) => r.jurisdictionId !== null && mine.has(r.jurisdictionId));
}

/**
 * May give or take away a role on a jurisdiction (null: every jurisdiction). An administrator of
 * one jurisdiction manages roles there only; instance-wide roles need an instance-wide administrator.
 */
export function canGrantRole(user: User, jurisdictionId: number | null): boolean {
  if (jurisdictionId === null) return canManageJurisdictions(user);
  return hasRole(user, 'administrator', jurisdictionId);
}

/** May open, edit and close reporting cycles of a jurisdiction. */
export function canManageReportingCycles(user: User, jurisdictionId: number): boolean {
  return hasRole(user, 'administrator', jurisdictionId) || hasRole(user, 'coordinator', jurisdictionId);
}

/** May publish submitted progress updates (or return them with a comment). */
export function canPublishProgressUpdates(user: User, jurisdictionId: number): boolean {
  return hasRole(user, 'administrator', jurisdictionId) || hasRole(user, 'coordinator', jurisdictionId);
}

/** May file progress updates for what an institution leads. */
export function canReportOnInstitution(user: User, jurisdictionId: number, institutionId: number): boolean {
  if (canPublishProgressUpdates(user, jurisdictionId)) return true;
  return !!user?.roles.some(
    (r) => r.role === 'commitment_holder' && r.institutionId === institutionId && (r.jurisdictionId === null || r.jurisdictionId === jurisdictionId),
  );
}

/** May moderate public comments in a jurisdiction. */
export function canModerate(user: User, jurisdictionId: number): boolean {
  return hasRole(user, 'administrator', jurisdictionId) || hasRole(user, 'moderator', jurisdictionId);
}
