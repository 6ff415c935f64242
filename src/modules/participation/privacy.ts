import { createHmac, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import type { Locale } from '../../i18n/locales.js';
import { hashToken, newToken } from '../../lib/tokens.js';
import { pdb } from './tables.js';

/**
 * The privacy side of participation: the erasure key, the address hashes made with it and the
 * one-time erasure links every message to a contributor or subscriber carries. A leaf (database and
 * crypto only), so that subscriptions and the contribution commands can both use it.
 *
 * The erasure key is random, made on first use and stored in `participation_secrets` (issue 13 moves
 * keys out of the database). An erasure link stores only the SHA-256 of its token and the address's
 * erasure hash: neither the address nor the token can be read back from the database.
 */

/**
 * Hours a confirmation link works, for a contribution and a subscription alike (unconfirmed ones are
 * deleted after it). The one definition: subscriptions import it from here.
 */
export const CONFIRM_HOURS = 48;

/** How long an erasure link works. */
export const ERASURE_LINK_DAYS = 30;

const ERASURE_KEY = 'erasure';

/** A named secret of participation (made on first use; parallel first uses agree on the one stored). */
export async function participationSecret(db: Executor, name: string): Promise<string> {
  const found = await pdb(db).selectFrom('participation_secrets').select('secret').where('name', '=', name).executeTakeFirst();
  if (found) return found.secret;
  await pdb(db)
    .insertInto('participation_secrets')
    .values({ name, secret: randomBytes(32).toString('base64url'), created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await pdb(db).selectFrom('participation_secrets').select('secret').where('name', '=', name).executeTakeFirstOrThrow();
  return row.secret;
}

/** The form an address is compared in: trimmed and lower-cased. */
export function normaliseAddress(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The address's erasure hash: HMAC of the trimmed, lower-cased address with the instance's erasure
 * key. Stored beside an address (contributions, subscriptions) so that an erasure request finds
 * every record of a person; never shown.
 */
export async function addressHash(db: Executor, email: string): Promise<string> {
  const key = await participationSecret(db, ERASURE_KEY);
  return createHmac('sha256', key).update(normaliseAddress(email), 'utf8').digest('hex');
}

/** The path of an erasure link (under the locale): the token is a `:token` parameter, so logs redact it. */
export function erasurePath(locale: Locale, token: string): string {
  return `/${locale}/privacy/erase/${token}`;
}

/**
 * An absolute link (publicUrl + path) to the page where the person with this address can have
 * their contributions anonymised and their address erased (contributions and subscriptions).
 * Every message sent to a contributor or a subscriber carries one. Valid ERASURE_LINK_DAYS days.
 */
export async function erasureLink(trx: Executor, email: string, publicUrl: string, locale: Locale, now = new Date()): Promise<string> {
  return erasureLinkForHash(trx, await addressHash(trx, email), publicUrl, locale, now);
}

/** erasureLink for an address whose erasure hash (addressHash) the caller already has. */
export async function erasureLinkForHash(trx: Executor, emailHash: string, publicUrl: string, locale: Locale, now = new Date()): Promise<string> {
  const token = newToken();
  await pdb(trx)
    .insertInto('erasure_links')
    .values({
      token_hash: hashToken(token),
      email_hash: emailHash,
      expires_at: new Date(now.getTime() + ERASURE_LINK_DAYS * 86_400_000).toISOString(),
      created_at: now.toISOString(),
    })
    .execute();
  return `${publicUrl}${erasurePath(locale, token)}`;
}

/** The erasure hash an unexpired erasure link stands for, or undefined (unknown, used or expired). */
export async function findErasureLink(db: Executor, token: string, now = new Date()): Promise<{ id: number; emailHash: string } | undefined> {
  if (!token || token.length > 100) return undefined;
  const row = await pdb(db)
    .selectFrom('erasure_links')
    .select(['id', 'email_hash'])
    .where('token_hash', '=', hashToken(token))
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row ? { id: row.id, emailHash: row.email_hash } : undefined;
}
