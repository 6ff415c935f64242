import type { Executor } from '../../db/database.js';
import { hashToken } from './repository.js';

/**
 * Login throttling in fixed windows, per account (e-mail address, known or not) and per client
 * address. Keys are stored hashed: the table never holds an address in clear.
 */
export const THROTTLE = { windowMinutes: 15, perAccount: 5, perAddress: 20 } as const;

function keysOf(email: string, ip: string): { key: string; limit: number }[] {
  return [
    { key: hashToken(`email:${email.trim().toLowerCase()}`), limit: THROTTLE.perAccount },
    { key: hashToken(`ip:${ip}`), limit: THROTTLE.perAddress },
  ];
}

function windowStartAfter(now: Date): string {
  return new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString();
}

/** True while either the account or the address has used up its failures in the current window. */
export async function isThrottled(db: Executor, email: string, ip: string, now = new Date()): Promise<boolean> {
  const keys = keysOf(email, ip);
  const rows = await db
    .selectFrom('login_attempts')
    .selectAll()
    .where('key', 'in', keys.map((k) => k.key))
    .where('window_start', '>', windowStartAfter(now))
    .execute();
  return rows.some((row) => row.count >= (keys.find((k) => k.key === row.key)?.limit ?? Infinity));
}

/**
 * Counts one failed attempt. The failure that reaches a limit restarts the window, so the refusal
 * lasts the full window from then.
 */
export async function recordFailure(db: Executor, email: string, ip: string, now = new Date()): Promise<void> {
  for (const { key, limit } of keysOf(email, ip)) {
    const row = await db.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();
    if (!row || row.window_start <= windowStartAfter(now)) {
      await db
        .insertInto('login_attempts')
        .values({ key, window_start: now.toISOString(), count: 1 })
        .onConflict((oc) => oc.column('key').doUpdateSet({ window_start: now.toISOString(), count: 1 }))
        .execute();
    } else {
      const count = row.count + 1;
      await db
        .updateTable('login_attempts')
        .set({ count, ...(count >= limit ? { window_start: now.toISOString() } : {}) })
        .where('key', '=', key)
        .execute();
    }
  }
}

/** A successful sign-in clears the account's failures (never the address's). */
export async function clearAccountFailures(db: Executor, email: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('key', '=', keysOf(email, '')[0]!.key).execute();
}
