import type { PolicyUser } from '../accounts/index.js';

/**
 * Who may do what with reviews:
 * - monitoring members and administrators of the jurisdiction write reviews and recommendations,
 *   add follow-ups, close recommendations and publish a cycle's monitoring report;
 * - the government's response to a recommendation: commitment holders of the institution that
 *   owns it, coordinators and administrators.
 */
function holds(user: PolicyUser, role: string, jurisdictionId: number): boolean {
  return !!user?.roles.some((r) => r.role === role && (r.jurisdictionId === null || r.jurisdictionId === jurisdictionId));
}

export function canWriteReviews(user: PolicyUser, jurisdictionId: number): boolean {
  return holds(user, 'administrator', jurisdictionId) || holds(user, 'monitoring_member', jurisdictionId);
}

export function canRespondToRecommendation(user: PolicyUser, jurisdictionId: number, institutionId: number | null): boolean {
  if (holds(user, 'administrator', jurisdictionId) || holds(user, 'coordinator', jurisdictionId)) return true;
  if (institutionId === null) return false;
  return !!user?.roles.some(
    (r) => r.role === 'commitment_holder' && r.institutionId === institutionId && (r.jurisdictionId === null || r.jurisdictionId === jurisdictionId),
  );
}

/** Opens the list of a jurisdiction's recommendations: whoever may write or answer any of them. */
export function canOpenRecommendations(user: PolicyUser, jurisdictionId: number): boolean {
  return canWriteReviews(user, jurisdictionId) || holds(user, 'coordinator', jurisdictionId) || holds(user, 'commitment_holder', jurisdictionId);
}
