import type { Executor } from '../../db/database.js';
import { canManageContent, canManageJurisdictions, canManageUsers, type PolicyUser } from '../accounts/index.js';
import { listJurisdictions, type JurisdictionRow } from '../jurisdictions/commands.js';
import { WHOLE_OUTBOX, type OutboxScope } from './repository.js';

export interface OutboxAccess {
  scope: OutboxScope;
  /** The jurisdictions of a scoped administrator (empty for an instance-wide one). */
  jurisdictions: JurisdictionRow[];
}

/**
 * Administrators (the people who invite others) see the outbox, addresses masked on the page: an
 * instance-wide administrator all of it, the administrator of jurisdictions the messages to the
 * people of those jurisdictions. Anyone else: undefined (the 403 page). The page and the retry
 * command both ask this.
 */
export async function outboxAccess(db: Executor, user: PolicyUser): Promise<OutboxAccess | undefined> {
  if (!canManageUsers(user)) return undefined;
  if (canManageJurisdictions(user)) return { scope: WHOLE_OUTBOX, jurisdictions: [] };
  const jurisdictions = (await listJurisdictions(db)).filter((j) => canManageContent(user, j.id));
  return { scope: { jurisdictionIds: jurisdictions.map((j) => j.id) }, jurisdictions };
}
