import type { Executor } from '../../db/database.js';
import { LONGEST_WINDOW_MINUTES } from './throttle.js';

export interface PrunedAccountRecords {
  loginAttempts: number;
  sessions: number;
  challenges: number;
  passwordResets: number;
  totpSteps: number;
  /** Rows that could not be deleted, per kind (kinds without failures are absent). */
  failed: Partial<Record<PruneKind, number>>;
}

export type PruneKind = 'loginAttempts' | 'sessions' | 'challenges' | 'passwordResets' | 'totpSteps';

/** Where housekeeping reports a kind of records it could not (fully) delete; the server passes its logger. */
export interface PruneLog {
  warn(data: object, message: string): void;
}

const consoleLog: PruneLog = { warn: (data, message) => console.warn(message, data) };

/** The pruning of one kind: the table, its key column and the rows that are done with. */
interface PruneSpec {
  kind: PruneKind;
  /** Deletes every row of the kind that is done with; returns how many. */
  deleteAll(db: Executor): Promise<number>;
  /** The keys of those rows, and a delete of one of them: to isolate a row that cannot go. */
  keys(db: Executor): Promise<unknown[]>;
  deleteOne(db: Executor, key: unknown): Promise<number>;
}

function specs(now: Date): PruneSpec[] {
  const windowEnded = new Date(now.getTime() - LONGEST_WINDOW_MINUTES * 60_000).toISOString();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const nowIso = now.toISOString();
  const deleted = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  return [
    {
      kind: 'loginAttempts',
      deleteAll: async (db) => deleted(await db.deleteFrom('login_attempts').where('window_start', '<=', windowEnded).executeTakeFirst()),
      keys: async (db) => (await db.selectFrom('login_attempts').select('key').where('window_start', '<=', windowEnded).execute()).map((r) => r.key),
      deleteOne: async (db, key) => deleted(await db.deleteFrom('login_attempts').where('key', '=', String(key)).where('window_start', '<=', windowEnded).executeTakeFirst()),
    },
    {
      kind: 'sessions',
      deleteAll: async (db) => deleted(await db.deleteFrom('sessions').where('expires_at', '<=', nowIso).executeTakeFirst()),
      keys: async (db) => (await db.selectFrom('sessions').select('id').where('expires_at', '<=', nowIso).execute()).map((r) => r.id),
      deleteOne: async (db, key) => deleted(await db.deleteFrom('sessions').where('id', '=', String(key)).where('expires_at', '<=', nowIso).executeTakeFirst()),
    },
    {
      kind: 'challenges',
      deleteAll: async (db) => deleted(await db.deleteFrom('login_challenges').where('expires_at', '<=', nowIso).executeTakeFirst()),
      keys: async (db) => (await db.selectFrom('login_challenges').select('token_hash').where('expires_at', '<=', nowIso).execute()).map((r) => r.token_hash),
      deleteOne: async (db, key) => deleted(await db.deleteFrom('login_challenges').where('token_hash', '=', String(key)).where('expires_at', '<=', nowIso).executeTakeFirst()),
    },
    {
      kind: 'passwordResets',
      deleteAll: async (db) => deleted(await db.deleteFrom('password_resets').where('expires_at', '<=', hourAgo).executeTakeFirst()),
      keys: async (db) => (await db.selectFrom('password_resets').select('token_hash').where('expires_at', '<=', hourAgo).execute()).map((r) => r.token_hash),
      deleteOne: async (db, key) => deleted(await db.deleteFrom('password_resets').where('token_hash', '=', String(key)).where('expires_at', '<=', hourAgo).executeTakeFirst()),
    },
    {
      // A used step older than an hour can never match again (codes are checked within ±1 step).
      kind: 'totpSteps',
      deleteAll: async (db) => deleted(await db.deleteFrom('totp_used_steps').where('used_at', '<=', hourAgo).executeTakeFirst()),
      keys: async (db) => (await db.selectFrom('totp_used_steps').select(['user_id', 'step']).where('used_at', '<=', hourAgo).execute()).map((r) => [r.user_id, r.step]),
      deleteOne: async (db, key) => {
        const [userId, step] = key as [number, number];
        return deleted(await db.deleteFrom('totp_used_steps').where('user_id', '=', userId).where('step', '=', step).where('used_at', '<=', hourAgo).executeTakeFirst());
      },
    },
  ];
}

/**
 * Deletes what signing in leaves behind once it can no longer matter: throttling windows that
 * have ended, expired sessions and two-factor challenges, password reset links expired for
 * more than an hour and used two-factor time steps older than an hour. Invitations stay: the
 * administration lists them. Runs hourly in every app process; running it twice is harmless.
 *
 * Each kind is pruned on its own: a kind whose delete fails does not stop the others. Its rows
 * are then deleted one by one, so one bad row stays behind alone; each failing kind is logged once.
 */
export async function pruneAccountRecords(db: Executor, now = new Date(), log: PruneLog = consoleLog): Promise<PrunedAccountRecords> {
  const result: PrunedAccountRecords = { loginAttempts: 0, sessions: 0, challenges: 0, passwordResets: 0, totpSteps: 0, failed: {} };
  for (const spec of specs(now)) {
    try {
      result[spec.kind] = await spec.deleteAll(db);
      continue;
    } catch (error) {
      let firstError: unknown = error;
      let failed = 0;
      try {
        for (const key of await spec.keys(db)) {
          try {
            result[spec.kind] += await spec.deleteOne(db, key);
          } catch (rowError) {
            failed++;
            firstError = rowError;
          }
        }
      } catch (listError) {
        firstError = listError;
        failed = Math.max(failed, 1);
      }
      if (failed > 0) {
        result.failed[spec.kind] = failed;
        log.warn({ kind: spec.kind, failed, deleted: result[spec.kind], err: firstError }, 'pruning account records: some rows could not be deleted');
      }
    }
  }
  return result;
}
