import type { PolicyUser } from '../../accounts/index.js';

/** Who may manage the instance's witnesses. Routes, commands and views ask this function only. */

/** Adds, edits, deactivates and reactivates witnesses and sets the quorum: instance-wide administrators (the log is the instance's). */
export function canManageWitnesses(user: PolicyUser): boolean {
  return !!user?.roles.some((r) => r.role === 'administrator' && r.jurisdictionId === null);
}
