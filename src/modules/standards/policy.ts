import { canManageReportingCycles, type PolicyUser } from '../accounts/index.js';

/**
 * Records the days the plan's inception assessment and its commitments' end-of-commitment
 * assessments were published: the administrators and coordinators of the jurisdiction (those who
 * run the plan's process, as for its reporting cycles).
 */
export function canRecordAssessments(user: PolicyUser, jurisdictionId: number): boolean {
  return canManageReportingCycles(user, jurisdictionId);
}
