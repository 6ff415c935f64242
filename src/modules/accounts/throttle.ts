import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { hashToken } from '../../lib/tokens.js';

/**
 * Throttling in fixed windows: sign-in attempts per account (e-mail address, known or not) and per
 * client address, reset-link requests per address. Keys are stored hashed: the table never holds an
 * address in clear.
 *
 * An attempt is counted BEFORE the password or code is checked, by one conditional write that both
 * counts and decides (admitAttempt), so any number of parallel requests gets at most `limit` checks
 * per window, on SQLite and PostgreSQL alike.
 */
export const THROTTLE = { windowMinutes: 15, perAccount: 5, perAddress: 20 } as const;

/** Reset links per address and hour. */
export const RESET_THROTTLE = { windowMinutes: 60, perAddress: 3 } as const;

/** The longest window of any key: a row older than this no longer counts (housekeeping). */
export const LONGEST_WINDOW_MINUTES = Math.max(THROTTLE.windowMinutes, RESET_THROTTLE.windowMinutes);

export interface ThrottleKey {
  key: string;
  limit: number;
  windowMinutes: number;
}

export function accountKey(email: string): ThrottleKey {
  return { key: hashToken(`email:${email.trim().toLowerCase()}`), limit: THROTTLE.perAccount, windowMinutes: THROTTLE.windowMinutes };
}

export function addressKey(ip: string): ThrottleKey {
  return { key: hashToken(`ip:${ip}`), limit: THROTTLE.perAddress, windowMinutes: THROTTLE.windowMinutes };
}

export function resetKey(email: string): ThrottleKey {
  return { key: hashToken(`reset:${email.trim().toLowerCase()}`), limit: RESET_THROTTLE.perAddress, windowMinutes: RESET_THROTTLE.windowMinutes };
}

function windowStartAfter(now: Date, windowMinutes: number): string {
  return new Date(now.getTime() - windowMinutes * 60_000).toISOString();
}

/**
 * Counts one attempt for the key and says whether it may go ahead: true for the first `limit`
 * attempts of a window, false afterwards (nothing is counted then). One statement, an upsert whose
 * update only happens while the window has ended or the count is below the limit, returning the new
 * count: SQLite runs it alone, PostgreSQL locks the row, so parallel attempts can never both take the
 * last place. The attempt that reaches the limit restarts the window, so the refusal lasts a full
 * window from then.
 */
export async function admitAttempt(db: Executor, { key, limit, windowMinutes }: ThrottleKey, now = new Date()): Promise<boolean> {
  const started = now.toISOString();
  const ended = sql<boolean>`login_attempts.window_start <= ${windowStartAfter(now, windowMinutes)}`;
  const row = await db
    .insertInto('login_attempts')
    .values({ key, window_start: started, count: 1 })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          count: sql<number>`case when ${ended} then 1 else login_attempts.count + 1 end`,
          window_start: sql<string>`case when ${ended} or login_attempts.count + 1 >= ${limit} then ${started} else login_attempts.window_start end`,
        })
        .where(sql<boolean>`${ended} or login_attempts.count < ${limit}`),
    )
    .returning('count')
    .executeTakeFirst();
  return row !== undefined;
}

/** Writes through the API per token and minute (modules/api/write.ts). */
export const API_WRITE_THROTTLE = { windowMinutes: 1, perToken: 30 } as const;

/**
 * Counts one API write for the token, in the database like every throttle here, so the limit holds
 * for the token across all processes (a per-process count would allow it once per process).
 * Returns 0 when it may go ahead, else the seconds to wait (at least 1).
 */
export async function admitApiWrite(db: Executor, tokenId: number, now = new Date()): Promise<number> {
  const key: ThrottleKey = { key: hashToken(`api-write:${tokenId}`), limit: API_WRITE_THROTTLE.perToken, windowMinutes: API_WRITE_THROTTLE.windowMinutes };
  if (await admitAttempt(db, key, now)) return 0;
  const row = await db.selectFrom('login_attempts').select('window_start').where('key', '=', key.key).executeTakeFirst();
  const endsAt = row ? Date.parse(row.window_start) + key.windowMinutes * 60_000 : now.getTime();
  // Another process may have restarted the window a moment after `now`: never more than one window.
  return Math.min(key.windowMinutes * 60, Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)));
}

/** Counts a sign-in attempt (or second step) for the client address, then for the account; false: refused. */
export async function admitSignInAttempt(db: Executor, email: string, ip: string, now = new Date()): Promise<boolean> {
  // The address first: a refused address does not use up the account's attempts.
  return (await admitAttempt(db, addressKey(ip), now)) && (await admitAttempt(db, accountKey(email), now));
}

/** True while either the account or the address has used up its attempts in the current window (read only). */
export async function isThrottled(db: Executor, email: string, ip: string, now = new Date()): Promise<boolean> {
  const keys = [accountKey(email), addressKey(ip)];
  const rows = await db
    .selectFrom('login_attempts')
    .selectAll()
    .where('key', 'in', keys.map((k) => k.key))
    .where('window_start', '>', windowStartAfter(now, THROTTLE.windowMinutes))
    .execute();
  return rows.some((row) => row.count >= (keys.find((k) => k.key === row.key)?.limit ?? Infinity));
}

/**
 * After a successful sign-in: the account's attempts are cleared, and the address gets back the
 * place this attempt took (so people signing in from one shared address do not lock each other out;
 * failures still count in full).
 */
export async function settleSuccessfulAttempt(db: Executor, email: string, ip: string): Promise<void> {
  await clearAccountFailures(db, email);
  await db
    .updateTable('login_attempts')
    .set({ count: sql<number>`count - 1` })
    .where('key', '=', addressKey(ip).key)
    .where('count', '>', 0)
    .execute();
}

/** Clears the account's attempts (a successful sign-in, a new password); never the address's. */
export async function clearAccountFailures(db: Executor, email: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('key', '=', accountKey(email).key).execute();
}

/** Counts one failed attempt for the account and the address (tests and the command line; sign-in counts before checking). */
export async function recordFailure(db: Executor, email: string, ip: string, now = new Date()): Promise<void> {
  await admitAttempt(db, addressKey(ip), now);
  await admitAttempt(db, accountKey(email), now);
}
