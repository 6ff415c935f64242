import type { PolicyUser } from '../accounts/index.js';

/** Who may run consultations, built on the role grants of modules/accounts/policy.ts. */

const MANAGERS = new Set(['administrator', 'coordinator']);

function hasRole(user: PolicyUser, jurisdictionId: number | undefined): boolean {
  return !!user?.roles.some((r) => MANAGERS.has(r.role) && (jurisdictionId === undefined || r.jurisdictionId === null || r.jurisdictionId === jurisdictionId));
}

/** Creates, edits and publishes a jurisdiction's consultations, their documents, outcome and minimum notice: its administrators and coordinators. */
export function canManageConsultations(user: PolicyUser, jurisdictionId: number): boolean {
  return hasRole(user, jurisdictionId);
}

/** Manages the consultations of at least one jurisdiction (the admin home's card). */
export function canManageAnyConsultations(user: PolicyUser): boolean {
  return hasRole(user, undefined);
}
