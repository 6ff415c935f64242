import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { deleteMailTo } from '../mail/send.js';
import { normaliseAddress } from './privacy.js';

/**
 * What the mail outbox keeps of a contributor's or subscriber's address. The outbox keeps sent
 * messages (with their address) for SENT_RETENTION_DAYS; when participation deletes an address,
 * the messages to it go too, so that "deleted with its address" (the privacy notice) holds and a
 * message still queued is never sent. A leaf (database and the mail module's sending face), used by
 * the erasure, participation's pruning and subscriptions' pruning.
 */

/** The erasure: every message to these addresses, queued, failed or sent. Returns how many. */
export async function forgetMailTo(trx: Executor, addresses: readonly string[]): Promise<number> {
  return deleteMailTo(trx, addresses);
}

/**
 * After unconfirmed contributions or subscriptions were deleted (their link expired): the messages
 * to their addresses, but only of the addresses Besa no longer holds at all – none of them is the
 * address of an account (whose mail is never deleted here), of a contribution or of a subscription
 * still stored (confirmed, or waiting for its own link). Returns how many messages.
 */
export async function forgetMailOfDeleted(trx: Executor, addresses: readonly string[]): Promise<number> {
  const wanted = [...new Set(addresses.map(normaliseAddress).filter(Boolean))];
  if (wanted.length === 0) return 0;
  const held = new Set<string>();
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    const rows = await sql<{ address: string }>`
      select lower(trim(email)) as address from users where lower(trim(email)) in (${sql.join(chunk)})
      union select lower(trim(email)) from contributions where email is not null and lower(trim(email)) in (${sql.join(chunk)})
      union select lower(trim(email)) from subscriptions where lower(trim(email)) in (${sql.join(chunk)})`.execute(trx);
    for (const row of rows.rows) held.add(row.address);
  }
  return deleteMailTo(
    trx,
    wanted.filter((a) => !held.has(a)),
  );
}
