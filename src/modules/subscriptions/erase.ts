import type { Executor } from '../../db/database.js';
import { sdb } from './tables.js';

/**
 * Deletes every subscription of the address whose erasure hash is `emailHash` (participation/privacy:
 * the erasure link), and the records of what was sent to it; returns how many subscriptions.
 * Imports nothing of participation, so the erasure command there may call it.
 */
export async function eraseSubscriptions(trx: Executor, emailHash: string): Promise<number> {
  const result = await sdb(trx).deleteFrom('subscriptions').where('email_hash', '=', emailHash).executeTakeFirst();
  await sdb(trx).deleteFrom('subscription_deliveries').where('email_hash', '=', emailHash).execute();
  return Number(result.numDeletedRows);
}
