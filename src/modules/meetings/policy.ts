import type { PolicyUser } from '../accounts/index.js';

/** Who may do what with meetings. Routes, commands and views ask these functions only. */

function holds(user: PolicyUser, role: string, jurisdictionId: number): boolean {
  return !!user?.roles.some((r) => r.role === role && (r.jurisdictionId === null || r.jurisdictionId === jurisdictionId));
}

/**
 * Schedules, moves, cancels meetings of a jurisdiction and records what happened at them (minutes,
 * attendance, decisions, action items, approval of minutes): administrators, coordinators and
 * forum secretaries of the jurisdiction.
 */
export function canManageMeetings(user: PolicyUser, jurisdictionId: number): boolean {
  return holds(user, 'administrator', jurisdictionId) || holds(user, 'coordinator', jurisdictionId) || holds(user, 'forum_secretary', jurisdictionId);
}

/** Sees the meetings link in the administration's home: whoever manages meetings somewhere. */
export function canManageSomeMeetings(user: PolicyUser): boolean {
  return !!user?.roles.some((r) => r.role === 'administrator' || r.role === 'coordinator' || r.role === 'forum_secretary');
}
