import type { Executor } from '../../db/database.js';
import { hashToken, newToken } from '../../lib/tokens.js';

export const SESSION_DAYS = 14;
export const SETUP_TOKEN_HOURS = 24;

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
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, email: row.email, displayName: row.display_name, roles: await findUserRoles(db, row.id) };
}

/** The roles a person holds (what a command on their behalf checks). */
export async function findUserRoles(db: Executor, userId: number): Promise<SessionUser['roles']> {
  const roles = await db.selectFrom('user_roles').select(['role', 'jurisdiction_id', 'institution_id']).where('user_id', '=', userId).execute();
  return roles.map((r) => ({ role: r.role, jurisdictionId: r.jurisdiction_id, institutionId: r.institution_id }));
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

export const INVITATION_DAYS = 7;
export const RESET_TOKEN_HOURS = 1;
export const CHALLENGE_MINUTES = 5;

/** Users for the administration's list, each with their roles and names of where they hold them. */
export async function listUsersWithRoles(db: Executor) {
  const users = await db.selectFrom('users').select(['id', 'email', 'display_name', 'created_at', 'disabled_at', 'totp_secret']).orderBy('display_name').orderBy('id').execute();
  const roles = await listRoleRows(db);
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    createdAt: u.created_at,
    disabled: u.disabled_at !== null,
    twoFactor: u.totp_secret !== null,
    roles: roles.filter((r) => r.userId === u.id),
  }));
}

export interface RoleRow {
  userId: number;
  role: string;
  jurisdictionId: number | null;
  jurisdictionName: string | null;
  institutionId: number | null;
  institutionName: string | null;
}

export async function listRoleRows(db: Executor, userId?: number): Promise<RoleRow[]> {
  let query = db
    .selectFrom('user_roles')
    .leftJoin('jurisdictions', 'jurisdictions.id', 'user_roles.jurisdiction_id')
    .leftJoin('institutions', 'institutions.id', 'user_roles.institution_id')
    .select([
      'user_roles.user_id',
      'user_roles.role',
      'user_roles.jurisdiction_id',
      'user_roles.institution_id',
      'jurisdictions.name as jurisdiction_name',
      'institutions.name as institution_name',
    ]);
  if (userId !== undefined) query = query.where('user_roles.user_id', '=', userId);
  const rows = await query.orderBy('user_roles.user_id').orderBy('user_roles.role').orderBy('user_roles.jurisdiction_id').orderBy('user_roles.institution_id').execute();
  return rows.map((r) => ({
    userId: r.user_id,
    role: r.role,
    jurisdictionId: r.jurisdiction_id,
    jurisdictionName: r.jurisdiction_name,
    institutionId: r.institution_id,
    institutionName: r.institution_name,
  }));
}

export async function findUserById(db: Executor, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Jurisdictions and institutions to choose from when giving a role. */
export async function roleScopes(db: Executor) {
  const jurisdictions = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name']).orderBy('slug').execute();
  const institutions = await db.selectFrom('institutions').select(['id', 'slug', 'name', 'jurisdiction_id']).orderBy('jurisdiction_id').orderBy('slug').execute();
  return { jurisdictions, institutions };
}

export async function listPendingInvitations(db: Executor, now = new Date()) {
  return db
    .selectFrom('invitations')
    .leftJoin('jurisdictions', 'jurisdictions.id', 'invitations.jurisdiction_id')
    .leftJoin('institutions', 'institutions.id', 'invitations.institution_id')
    .select([
      'invitations.id',
      'invitations.email',
      'invitations.role',
      'invitations.expires_at',
      'invitations.jurisdiction_id',
      'jurisdictions.name as jurisdiction_name',
      'institutions.name as institution_name',
    ])
    .where('invitations.used_at', 'is', null)
    .where('invitations.expires_at', '>', now.toISOString())
    .orderBy('invitations.created_at', 'desc')
    .execute();
}

export async function findValidInvitation(db: Executor, token: string, now = new Date()) {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
}

export async function findValidPasswordReset(db: Executor, token: string, now = new Date()) {
  return db
    .selectFrom('password_resets')
    .innerJoin('users', 'users.id', 'password_resets.user_id')
    .select(['password_resets.user_id', 'users.email'])
    .where('password_resets.token_hash', '=', hashToken(token))
    .where('password_resets.used_at', 'is', null)
    .where('password_resets.expires_at', '>', now.toISOString())
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function deleteSessionsOfUser(db: Executor, userId: number, exceptToken?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptToken) query = query.where('id', '!=', hashToken(exceptToken));
  await query.execute();
}

export async function countSessionsOfUser(db: Executor, userId: number, now = new Date()): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
