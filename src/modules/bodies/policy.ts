import type { PolicyUser } from '../accounts/index.js';

/** Who may do what with bodies, built on the role grants of modules/accounts/policy.ts. */

const MANAGERS = new Set(['administrator', 'coordinator', 'forum_secretary']);

/** Creates and edits a jurisdiction's bodies and their members: its administrators, coordinators and forum secretaries. */
export function canManageBodies(user: PolicyUser, jurisdictionId: number): boolean {
  return !!user?.roles.some((r) => MANAGERS.has(r.role) && (r.jurisdictionId === null || r.jurisdictionId === jurisdictionId));
}

/** Sees the bodies administration of at least one jurisdiction (the admin home's card). */
export function canManageAnyBodies(user: PolicyUser): boolean {
  return !!user?.roles.some((r) => MANAGERS.has(r.role));
}
