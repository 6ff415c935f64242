import type { Db } from '../../db/database.js';
import { runCommand } from '../audit/index.js';
import { refreshSearchDocuments } from '../search/index.js';
import { eraseSubscriptions } from '../subscriptions/erase.js';
import { PUBLIC } from './contribution-commands.js';
import { findErasureLink } from './privacy.js';
import { forgetMailTo } from './privacy-outbox.js';
import { pdb } from './tables.js';

export interface ErasureResult {
  /** Published, pending or hidden contributions anonymised (their text stays, without a name or address). */
  anonymised: number;
  /** Unconfirmed contributions deleted (never shown, so nothing to keep). */
  deleted: number;
  subscriptions: number;
  /** Messages to the address deleted from the mail outbox (queued ones are then never sent). */
  messages: number;
}

/**
 * The erasure right, through a one-time link: every contribution of the address loses its name and
 * address (author_name, email and email_hash null, anonymised_at set; it shows as "Anonymised"),
 * unconfirmed ones are deleted, every subscription of the address is deleted, every message to the
 * address is deleted from the mail outbox (queued, failed or sent: the outbox would otherwise keep
 * the address for 90 days, and send what was queued), and every erasure link of the address stops
 * working. Undefined when the link is unknown, used or expired. The audit
 * event holds counts only.
 */
export async function eraseByLink(db: Db, token: string, now = new Date()): Promise<ErasureResult | undefined> {
  const link = await findErasureLink(db, token, now);
  if (!link) return undefined;
  return runErasure(db, link.emailHash, now);
}

async function runErasure(db: Db, emailHash: string, now: Date): Promise<ErasureResult | undefined> {
  return runCommand(db, PUBLIC, async (trx, audit) => {
    const still = await pdb(trx).selectFrom('erasure_links').select('id').where('email_hash', '=', emailHash).limit(1).executeTakeFirst();
    if (!still) return undefined;
    const at = now.toISOString();
    // The addresses themselves, read before they are erased: the outbox knows them only so.
    const contributionAddresses = await pdb(trx).selectFrom('contributions').select('email').where('email_hash', '=', emailHash).where('email', 'is not', null).execute();
    const subscriptionAddresses = await trx
      .withTables<{ subscriptions: { email: string; email_hash: string } }>()
      .selectFrom('subscriptions')
      .select('email')
      .where('email_hash', '=', emailHash)
      .execute();
    const addresses = [...contributionAddresses, ...subscriptionAddresses].map((r) => r.email!).filter(Boolean);
    const deleted = await pdb(trx).deleteFrom('contributions').where('email_hash', '=', emailHash).where('status', '=', 'unconfirmed').executeTakeFirst();
    const touched = await pdb(trx)
      .selectFrom('contributions as c')
      .innerJoin('consultations as k', 'k.id', 'c.consultation_id')
      .select(['k.jurisdiction_id'])
      .distinct()
      .where('c.email_hash', '=', emailHash)
      .execute();
    const anonymised = await pdb(trx)
      .updateTable('contributions')
      .set({ author_name: null, email: null, email_hash: null, anonymised_at: at, updated_at: at })
      .where('email_hash', '=', emailHash)
      .executeTakeFirst();
    const subscriptions = await eraseSubscriptions(trx, emailHash);
    const messages = await forgetMailTo(trx, addresses);
    await pdb(trx).deleteFrom('erasure_links').where('email_hash', '=', emailHash).execute();
    const result = { anonymised: Number(anonymised.numUpdatedRows), deleted: Number(deleted.numDeletedRows), subscriptions, messages };
    await audit.record('privacy.erased', 'erasure', null, { ...result });
    for (const j of touched) await refreshSearchDocuments(trx, j.jurisdiction_id);
    return result;
  });
}
