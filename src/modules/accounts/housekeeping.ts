import type { Executor } from '../../db/database.js';
import { THROTTLE } from './throttle.js';

export interface PrunedAccountRecords {
  loginAttempts: number;
  sessions: number;
  challenges: number;
  passwordResets: number;
}

/**
 * Deletes what signing in leaves behind once it can no longer matter: throttling windows that
 * have ended, expired sessions and two-factor challenges, and password reset links expired for
 * more than an hour (the hourly limit on reset e-mails counts the recent ones). Invitations stay:
 * the administration lists them. Runs hourly in every app process; running it twice is harmless.
 */
export async function pruneAccountRecords(db: Executor, now = new Date()): Promise<PrunedAccountRecords> {
  const windowEnded = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const nowIso = now.toISOString();
  const loginAttempts = await db.deleteFrom('login_attempts').where('window_start', '<=', windowEnded).executeTakeFirst();
  const sessions = await db.deleteFrom('sessions').where('expires_at', '<=', nowIso).executeTakeFirst();
  const challenges = await db.deleteFrom('login_challenges').where('expires_at', '<=', nowIso).executeTakeFirst();
  const passwordResets = await db.deleteFrom('password_resets').where('expires_at', '<=', hourAgo).executeTakeFirst();
  return {
    loginAttempts: Number(loginAttempts.numDeletedRows),
    sessions: Number(sessions.numDeletedRows),
    challenges: Number(challenges.numDeletedRows),
    passwordResets: Number(passwordResets.numDeletedRows),
  };
}
