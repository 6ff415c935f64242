import type { Db } from '../../db/database.js';

// STUB (issue 11, contributions helper): hourly: deletes unconfirmed contributions whose link
// expired, ended rate-limit buckets and rotated-out keys, expired erasure links. Returns counts (no personal data).
export async function pruneParticipation(_db: Db, _now: Date): Promise<Record<string, number>> {
  return {};
}
