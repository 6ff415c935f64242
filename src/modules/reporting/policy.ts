import type { SessionUser } from '../accounts/index.js';

/**
 * Who may do what in reporting. (Written here until the accounts module exports
 * canManageReportingCycles, canPublishProgressUpdates and canReportOnInstitution; then these
 * should call those.)
 */
function holds(user: SessionUser | undefined, roles: readonly string[], jurisdictionId: number): boolean {
  return !!user?.roles.some((r) => roles.includes(r.role) && (r.jurisdictionId === null || r.jurisdictionId === jurisdictionId));
}

/** Opens, edits and closes a plan's reporting cycles: administrators and coordinators. */
export function canManageReportingCycles(user: SessionUser | undefined, jurisdictionId: number): boolean {
  return holds(user, ['administrator', 'coordinator'], jurisdictionId);
}

/** Publishes or returns submitted progress updates: administrators and coordinators. */
export function canPublishProgressUpdates(user: SessionUser | undefined, jurisdictionId: number): boolean {
  return holds(user, ['administrator', 'coordinator'], jurisdictionId);
}

/** Files progress updates for what an institution leads: its commitment holders, administrators and coordinators. */
export function canReportOnInstitution(user: SessionUser | undefined, jurisdictionId: number, institutionId: number): boolean {
  if (canManageReportingCycles(user, jurisdictionId)) return true;
  return !!user?.roles.some(
    (r) => r.role === 'commitment_holder' && r.institutionId === institutionId && (r.jurisdictionId === null || r.jurisdictionId === jurisdictionId),
  );
}

/** Files progress updates for a commitment: a holder of any of its lead institutions. */
export function canReportOnCommitment(user: SessionUser | undefined, jurisdictionId: number, leadInstitutionIds: readonly number[]): boolean {
  if (canManageReportingCycles(user, jurisdictionId)) return true;
  return leadInstitutionIds.some((id) => canReportOnInstitution(user, jurisdictionId, id));
}

/** Sees a plan's reporting pages: coordinators, administrators and commitment holders of the jurisdiction. */
export function canViewReporting(user: SessionUser | undefined, jurisdictionId: number): boolean {
  return holds(user, ['administrator', 'coordinator', 'commitment_holder'], jurisdictionId);
}
