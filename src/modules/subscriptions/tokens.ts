import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { sdb } from './tables.js';

/**
 * The links of a subscription. The confirmation link's token is random and stored hashed. The
 * manage and unsubscribe links (in every message, for as long as the subscription lives) carry
 * `{id}.{mac}`: an HMAC, with a key of `subscription_keys`, of the row's id and random nonce, so the
 * token can be written into each message without being stored anywhere. The confirmation token is
 * a one-time token of lib/tokens.ts.
 */

/**
 * The key new subscriptions' manage tokens are made with (made on first use). Not a daily key: a
 * manage token must work as long as its subscription lives.
 */
export async function currentManageKey(db: Executor, now = new Date()): Promise<{ id: number; secret: string }> {
  const existing = await sdb(db).selectFrom('subscription_keys').select(['id', 'secret']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (existing) return existing;
  return sdb(db)
    .insertInto('subscription_keys')
    .values({ secret: randomBytes(32).toString('base64url'), created_at: now.toISOString() })
    .returning(['id', 'secret'])
    .executeTakeFirstOrThrow();
}

function mac(secret: string, id: number, nonce: string): string {
  return createHmac('sha256', secret).update(`besa-subscription:${id}:${nonce}`).digest('base64url');
}

/** The manage / unsubscribe token of a subscription row. */
export function manageToken(secret: string, row: { id: number; token_nonce: string }): string {
  return `${row.id}.${mac(secret, row.id, row.token_nonce)}`;
}

/** The subscription a manage token names, or undefined (malformed, forged or unsubscribed). */
export async function subscriptionIdOfToken(db: Executor, token: string): Promise<number | undefined> {
  const match = /^([1-9]\d{0,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const id = Number(match[1]);
  const row = await sdb(db)
    .selectFrom('subscriptions')
    .innerJoin('subscription_keys', 'subscription_keys.id', 'subscriptions.token_key_id')
    .select(['subscriptions.id', 'subscriptions.token_nonce', 'subscription_keys.secret'])
    .where('subscriptions.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const expected = Buffer.from(mac(row.secret, row.id, row.token_nonce));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
}
