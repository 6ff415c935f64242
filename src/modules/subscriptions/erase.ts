import type { Executor } from '../../db/database.js';

// STUB (issue 11, subscriptions helper): deletes every subscription of the address whose erasure
// hash is `emailHash` (participation/privacy: the erasure link); returns how many.
export async function eraseSubscriptions(_trx: Executor, _emailHash: string): Promise<number> {
  return 0;
}
