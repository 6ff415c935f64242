import {
  canManageReportingCycles as accountsCanManageReportingCycles,
  canPublishProgressUpdates as accountsCanPublishProgressUpdates,
  canReportOnInstitution as accountsCanReportOnInstitution,
  type PolicyUser,
} from '../accounts/index.js';

/** Who may do what in reporting: the accounts module's policies, and what reporting builds on them. */

/** Opens, edits and closes a plan's reporting cycles: administrators and coordinators. */
export function canManageReportingCycles(user: PolicyUser, jurisdictionId: number): boolean {
  return accountsCanManageReportingCycles(user, jurisdictionId);
}

/** Publishes or returns submitted progress updates: administrators and coordinators. */
export function canPublishProgressUpdates(user: PolicyUser, jurisdictionId: number): boolean {
  return accountsCanPublishProgressUpdates(user, jurisdictionId);
}

/** Files progress updates for what an institution leads: its commitment holders, administrators and coordinators. */
export function canReportOnInstitution(user: PolicyUser, jurisdictionId: number, institutionId: number): boolean {
  return accountsCanReportOnInstitution(user, jurisdictionId, institutionId);
}

/** Files progress updates for a commitment: a holder of any institution that reports on it (reportingInstitutionIds: its leads, or every one involved where no lead is stated), a coordinator, an administrator. */
export function canReportOnCommitment(user: PolicyUser, jurisdictionId: number, reportingInstitutionIds: readonly number[]): boolean {
  if (canManageReportingCycles(user, jurisdictionId)) return true;
  return reportingInstitutionIds.some((id) => canReportOnInstitution(user, jurisdictionId, id));
}

/** Sees a plan's reporting pages: coordinators, administrators and commitment holders of the jurisdiction. */
export function canViewReporting(user: PolicyUser, jurisdictionId: number): boolean {
  if (canManageReportingCycles(user, jurisdictionId)) return true;
  return !!user?.roles.some((r) => r.role === 'commitment_holder' && (r.jurisdictionId === null || r.jurisdictionId === jurisdictionId));
}

/** Opens the reporting overview (what to file, what to review): administrators, coordinators and commitment holders anywhere. */
export function canOpenReportingOverview(user: PolicyUser): boolean {
  return !!user?.roles.some((r) => r.role === 'administrator' || r.role === 'coordinator' || r.role === 'commitment_holder');
}
