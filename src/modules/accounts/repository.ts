import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.js';

export const SESSION_DAYS = 14;
export const SETUP_TOKEN_HOURS = 24;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as hashes, so a leaked database holds no usable session or link. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionUser {
  id: number;
  email: string;
  displayName: string;
  roles: { role: string; jurisdictionId: number | null; institutionId: number | null }[];
}

export async function findSessionUser(db: Executor, token: string, now = new Date()): Promise<SessionUser | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.email', 'users.display_name'])
    .where('sessions.id', '=', hashToken(token))
    .where('sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row) return undefined;
  const roles = await db.selectFrom('user_roles').select(['role', 'jurisdiction_id', 'institution_id']).where('user_id', '=', row.id).execute();
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    roles: roles.map((r) => ({ role: r.role, jurisdictionId: r.jurisdiction_id, institutionId: r.institution_id })),
  };
}

export async function insertSession(db: Executor, userId: number, now = new Date()): Promise<string> {
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({
      id: hashToken(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
    })
    .execute();
  return token;
}

export async function deleteSession(db: Executor, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
}

export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
