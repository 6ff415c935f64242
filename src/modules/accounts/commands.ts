import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../../db/database.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { countUsers, findUserByEmail, hashToken, insertSession, newToken, SETUP_TOKEN_HOURS } from './repository.js';

/** argon2id with OWASP's recommended minimum cost (19 MiB, 2 passes). */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/** Creates a one-time link token for the first administrator. Only while no user exists. */
export async function createSetupToken(db: Db, now = new Date()): Promise<string> {
  const token = newToken();
  await runCommand(db, SYSTEM, async (trx, audit) => {
    if ((await countUsers(trx)) > 0) throw new SetupClosedError();
    await trx
      .insertInto('setup_tokens')
      .values({
        token_hash: hashToken(token),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SETUP_TOKEN_HOURS * 3_600_000).toISOString(),
        used_at: null,
      })
      .execute();
    await audit.record('setup.link_created', 'setup', null);
  });
  return token;
}

export class SetupClosedError extends Error {
  constructor() {
    super('An administrator already exists; setup links are closed.');
  }
}

export async function isSetupTokenValid(db: Db, token: string, now = new Date()): Promise<boolean> {
  const row = await db.selectFrom('setup_tokens').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  return !!row && row.used_at === null && row.expires_at > now.toISOString() && (await countUsers(db)) === 0;
}

export interface NewAdministrator {
  email: string;
  displayName: string;
  password: string;
}

/** Uses the setup link once: creates the first administrator and signs them in. */
export async function createFirstAdministrator(db: Db, token: string, input: NewAdministrator, now = new Date()): Promise<string> {
  const passwordHash = await hashPassword(input.password);
  return runCommand(db, SYSTEM, async (trx, audit) => {
    const used = await trx
      .updateTable('setup_tokens')
      .set({ used_at: now.toISOString() })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1 || (await countUsers(trx)) > 0) throw new SetupClosedError();
    const user = await trx
      .insertInto('users')
      .values({ email: input.email.trim().toLowerCase(), display_name: input.displayName.trim(), password_hash: passwordHash, created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('user_roles').values({ user_id: user.id, jurisdiction_id: null, role: 'administrator' }).execute();
    await audit.record('user.created', 'user', user.id, { roles: ['administrator'] });
    return insertSession(trx, user.id, now);
  });
}

/** Checks a password; returns a new session token, or undefined. Takes the same time for unknown e-mails. */
export async function signIn(db: Db, email: string, password: string): Promise<string | undefined> {
  const user = await findUserByEmail(db, email);
  const hashToCheck = user?.password_hash ?? (await dummyHash());
  let ok = false;
  try {
    ok = await verify(hashToCheck, password);
  } catch {
    ok = false;
  }
  if (!user || !ok) return undefined;
  return insertSession(db, user.id);
}

let dummy: Promise<string> | undefined;
/** A hash to verify against when the e-mail is unknown, made on first use. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword('besa-timing-equaliser');
  return dummy;
}
