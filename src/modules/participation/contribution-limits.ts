import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { normaliseAddress } from './privacy.js';
import { pdb } from './tables.js';

/**
 * What keeps robots out without a CAPTCHA: counts per hashed address and per hashed client IP in
 * fixed one-hour windows (participation_buckets). The hashes are HMACs with a key from
 * participation_keys that rotates every day (UTC): neither an address nor an IP is ever stored for
 * them, and once a day's key is deleted (contribution-prune.ts) nothing links the buckets to anyone.
 *
 * The limits can be raised for a load test or a large public meeting where many people share one
 * connection (BESA_PARTICIPATION_PER_IP), never switched off.
 */
export const LIMITS = {
  windowMinutes: 60,
  /** Contributions per address and hour. */
  perAddress: 5,
  /** Contributions per client IP and hour (a school or a library shares one address). */
  perIp: Number(process.env.BESA_PARTICIPATION_PER_IP) > 0 ? Math.floor(Number(process.env.BESA_PARTICIPATION_PER_IP)) : 20,
  /** Flags per client IP and hour. */
  flagsPerIp: 30,
};

export class RateLimitedError extends Error {
  constructor() {
    super('Too many submissions');
  }
}

/** participation_keys with its `day` column (migration 0025: YYYY-MM-DD, unique). */
function kdb(db: Executor) {
  return pdb(db).withTables<{ participation_keys: { day: string | null } }>();
}

/**
 * Today's key (UTC), the one daily key of every rate limit of the public's forms (contributions,
 * flags, subscriptions). Made by the first request of the day; the day is unique, so when two
 * processes make one at once, one insert does nothing and both read the same key.
 */
export async function currentKey(db: Executor, now = new Date()): Promise<string> {
  const day = now.toISOString().slice(0, 10);
  const read = () => kdb(db).selectFrom('participation_keys').select('secret').where('day', '=', day).executeTakeFirst();
  const found = await read();
  if (found) return found.secret;
  await kdb(db)
    .insertInto('participation_keys')
    .values({ day, secret: randomBytes(32).toString('base64url'), created_at: now.toISOString() })
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
  return (await read())!.secret;
}

/** The HMAC of a kind and a value (an address, an IP) with today's key (`key`: already read). */
export async function clientHash(db: Executor, kind: string, value: string, now = new Date(), key?: string): Promise<string> {
  return createHmac('sha256', key ?? (await currentKey(db, now))).update(`${kind}\u0000${value}`, 'utf8').digest('hex');
}

function windowStart(now: Date): string {
  const ms = LIMITS.windowMinutes * 60_000;
  return new Date(Math.floor(now.getTime() / ms) * ms).toISOString();
}

/**
 * Counts one submission for the key and says whether it may go ahead: one conditional upsert that
 * both counts and decides, so parallel requests never get past the limit together.
 */
export async function admit(db: Executor, kind: string, value: string, limit: number, now = new Date(), key?: string): Promise<boolean> {
  const keyHash = await clientHash(db, kind, value, now, key);
  const row = await pdb(db)
    .insertInto('participation_buckets')
    .values({ key_hash: keyHash, window_start: windowStart(now), count: 1 })
    .onConflict((oc) =>
      oc
        .columns(['key_hash', 'window_start'])
        .doUpdateSet({ count: sql<number>`participation_buckets.count + 1` })
        .where(sql<boolean>`participation_buckets.count < ${limit}`),
    )
    .returning('count')
    .executeTakeFirst();
  return row !== undefined;
}

/** A contribution from this address and IP: the IP first (a refused IP does not use up the address's places). */
export async function admitContribution(db: Executor, email: string, ip: string, now = new Date()): Promise<boolean> {
  const key = await currentKey(db, now);
  return (await admit(db, 'contribution-ip', ip, LIMITS.perIp, now, key)) && (await admit(db, 'contribution-address', normaliseAddress(email), LIMITS.perAddress, now, key));
}

export async function admitFlag(db: Executor, ip: string, now = new Date()): Promise<boolean> {
  return admit(db, 'flag-ip', ip, LIMITS.flagsPerIp, now);
}
