import type { Db, Executor } from '../../db/database.js';
import { FormErrors } from '../../lib/forms.js';
import { hashToken, newToken } from '../../lib/tokens.js';
import { authorize, runCommand, type Actor } from '../audit/index.js';
import { findUserRoles, type SessionUser } from './repository.js';

/**
 * Personal API tokens (table api_tokens, migration 0027): a person makes one on their account page
 * so that their own system can call the write API with their roles. The token is shown once; only
 * its SHA-256 is stored (lib/tokens.ts). Creating and revoking are private changes (audit.record,
 * nothing public). The API module authenticates `Authorization: Bearer …` with `findTokenUser`.
 */

/** The visible prefix of every API token, so that a leaked one is recognised by secret scanners. */
export const API_TOKEN_PREFIX = 'besa_';
export const TOKEN_NAME_MAX = 100;
/** At most this many live tokens per person. */
export const MAX_TOKENS_PER_USER = 20;

export interface ApiTokenRow {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

/** A person's live tokens (not revoked), newest first: name and dates only, never the hash. */
export async function listApiTokens(db: Executor, userId: number): Promise<ApiTokenRow[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at }));
}

export async function findApiToken(db: Executor, userId: number, tokenId: number): Promise<ApiTokenRow | undefined> {
  return (await listApiTokens(db, userId)).find((t) => t.id === tokenId);
}

/** The name typed for a new token: required, at most TOKEN_NAME_MAX characters. */
export function checkTokenName(name: string, errors = new FormErrors()): FormErrors {
  if (!name.trim()) errors.add('name', 'form.error.required');
  else if (name.trim().length > TOKEN_NAME_MAX) errors.add('name', 'form.error.tooLong', { max: TOKEN_NAME_MAX });
  return errors;
}

export class TokenInputError extends Error {
  constructor(readonly errors: FormErrors) {
    super('Invalid token input');
  }
}

/** Makes a token for the acting person; returns it (the only time it exists in clear). */
export async function createApiToken(db: Db, actor: Actor, input: { name: string; expiresAt?: string | null }, now = new Date()): Promise<{ id: number; token: string }> {
  return runCommand(db, actor, async (trx, audit) => {
    authorize(actor, () => actor.userId !== null);
    audit.nothingPublic();
    const errors = checkTokenName(input.name);
    const live = await trx.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', actor.userId!).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
    if (Number(live.n) >= MAX_TOKENS_PER_USER) errors.add('name', 'api.tokens.error.tooMany', { max: MAX_TOKENS_PER_USER });
    if (errors.any) throw new TokenInputError(errors);
    const token = API_TOKEN_PREFIX + newToken();
    const row = await trx
      .insertInto('api_tokens')
      .values({
        user_id: actor.userId!,
        name: input.name.trim(),
        token_hash: hashToken(token),
        created_at: now.toISOString(),
        last_used_at: null,
        revoked_at: null,
        expires_at: input.expiresAt ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit.record('api_token.created', 'api_token', row.id, { user: actor.userId });
    return { id: row.id, token };
  });
}

/** Revokes one of the acting person's own tokens (a token of someone else is not found: false). */
export async function revokeApiToken(db: Db, actor: Actor, tokenId: number, now = new Date()): Promise<boolean> {
  return runCommand(db, actor, async (trx, audit) => {
    authorize(actor, () => actor.userId !== null);
    audit.nothingPublic();
    const result = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: now.toISOString() })
      .where('id', '=', tokenId)
      .where('user_id', '=', actor.userId!)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const changed = Number(result.numUpdatedRows) > 0;
    if (changed) await audit.record('api_token.revoked', 'api_token', tokenId, { user: actor.userId });
    return changed;
  });
}

/**
 * The person a bearer token stands for, with their current roles; undefined for an unknown,
 * revoked or expired token or a disabled person. Notes the day it was last used (at most one
 * write per token and minute).
 */
export async function findTokenUser(db: Executor, token: string, now = new Date()): Promise<(SessionUser & { tokenId: number }) | undefined> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'api_tokens.expires_at', 'api_tokens.last_used_at', 'users.id', 'users.email', 'users.display_name'])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.expires_at && row.expires_at <= now.toISOString()) return undefined;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.token_id).execute();
  }
  return { id: row.id, email: row.email, displayName: row.display_name, roles: await findUserRoles(db, row.id), tokenId: row.token_id };
}
