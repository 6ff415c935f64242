import type { Executor } from '../../db/database.js';
import type { Locale } from '../../i18n/locales.js';

// STUB (issue 11, contributions helper): the privacy side of participation.

/**
 * The address's erasure hash: HMAC of the trimmed, lower-cased address with the instance's erasure
 * key. Stored beside an address (contributions, subscriptions) so that an erasure request finds
 * every record of a person; never shown.
 */
export async function addressHash(_db: Executor, email: string): Promise<string> {
  return email.trim().toLowerCase();
}

/**
 * An absolute link (publicUrl + path) to the page where the person with this address can have
 * their contributions anonymised and their address erased (contributions and subscriptions).
 * Every message sent to a contributor or a subscriber carries one.
 */
export async function erasureLink(_trx: Executor, _email: string, publicUrl: string, locale: Locale): Promise<string> {
  return `${publicUrl}/${locale}/privacy`;
}
