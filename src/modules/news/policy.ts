import type { PolicyUser } from '../accounts/index.js';

/** Who may do what with news. Routes, commands and views ask these functions only. */

function holds(user: PolicyUser, role: string, jurisdictionId: number): boolean {
  return !!user?.roles.some((r) => r.role === role && (r.jurisdictionId === null || r.jurisdictionId === jurisdictionId));
}

/** Writes, publishes, corrects and withdraws a jurisdiction's news and press releases: its administrators and coordinators. */
export function canManageNews(user: PolicyUser, jurisdictionId: number): boolean {
  return holds(user, 'administrator', jurisdictionId) || holds(user, 'coordinator', jurisdictionId);
}

/** Sees the news link in the administration's home: whoever manages news somewhere. */
export function canManageSomeNews(user: PolicyUser): boolean {
  return !!user?.roles.some((r) => r.role === 'administrator' || r.role === 'coordinator');
}
