import type { Db } from '../../db/database.js';
import { LIMITS } from './contribution-limits.js';
import { forgetMailOfDeleted } from './privacy-outbox.js';
import { pdb } from './tables.js';

/**
 * Hourly (server.ts): deletes what participation keeps only for a while. Unconfirmed contributions
 * whose confirmation link expired (with their address and the messages to it, when Besa holds the
 * address for nothing else), rate-limit buckets whose window ended,
 * rotating keys of past days (once deleted, nothing links a bucket or a flag's reporter hash to
 * anyone), expired erasure links; confirmation tokens of confirmed contributions once their link
 * expired. Returns counts (no personal data).
 */
export async function pruneParticipation(db: Db, now: Date): Promise<Record<string, number>> {
  const at = now.toISOString();
  const today = `${at.slice(0, 10)}T00:00:00.000Z`;
  const windowEnded = new Date(now.getTime() - LIMITS.windowMinutes * 60_000).toISOString();
  return db.transaction().execute(async (trx) => {
    const unconfirmed = await pdb(trx).deleteFrom('contributions').where('status', '=', 'unconfirmed').where('confirm_expires_at', '<=', at).returning('email').execute();
    // Their confirmation messages too, unless the address is still held (an account, another contribution or a subscription).
    const messages = await forgetMailOfDeleted(trx, unconfirmed.map((r) => r.email ?? ''));
    const tokens = await pdb(trx)
      .updateTable('contributions')
      .set({ confirm_token_hash: null })
      .where('status', '!=', 'unconfirmed')
      .where('confirm_token_hash', 'is not', null)
      .where('confirm_expires_at', '<=', at)
      .executeTakeFirst();
    const buckets = await pdb(trx).deleteFrom('participation_buckets').where('window_start', '<=', windowEnded).executeTakeFirst();
    const keys = await pdb(trx).deleteFrom('participation_keys').where('created_at', '<', today).executeTakeFirst();
    const links = await pdb(trx).deleteFrom('erasure_links').where('expires_at', '<=', at).executeTakeFirst();
    return {
      unconfirmedContributions: unconfirmed.length,
      messagesToDeletedAddresses: messages,
      confirmationTokens: Number(tokens.numUpdatedRows),
      rateLimitBuckets: Number(buckets.numDeletedRows),
      rateLimitKeys: Number(keys.numDeletedRows),
      erasureLinks: Number(links.numDeletedRows),
    };
  });
}
