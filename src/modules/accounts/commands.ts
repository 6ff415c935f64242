import { hash, verify } from '@node-rs/argon2';
import { sql } from 'kysely';
import type { Db, Executor, Trx } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { translator } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { pick, parseTranslatable } from '../../lib/translatable.js';
import { authorize, ForbiddenError, runCommand, SYSTEM, type Actor, type AuditRecorder } from '../audit/index.js';
import { composeMail, enqueueMail, recipientLocale } from '../mail/send.js';
import { canGrantRole, canManageUsers, canSeeUser, isRole, type Role } from './policy.js';
import {
  CHALLENGE_MINUTES,
  countUsers,
  deleteSessionsOfUser,
  findUserByEmail,
  findUserById,
  insertSession,
  INVITATION_DAYS,
  listRoleRows,
  RESET_TOKEN_HOURS,
  SETUP_TOKEN_HOURS,
} from './repository.js';
import { hashToken, newToken } from '../../lib/tokens.js';
import { admitAttempt, admitSignInAttempt, clearAccountFailures, resetKey, settleSuccessfulAttempt } from './throttle.js';
import { matchTotp, newTotpSecret } from './totp.js';

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
  /** Their language for e-mails: the setup page's. */
  locale?: Locale | undefined;
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
      .values({ email: input.email.trim().toLowerCase(), display_name: input.displayName.trim(), password_hash: passwordHash, created_at: now.toISOString(), locale: input.locale ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('user_roles').values({ user_id: user.id, jurisdiction_id: null, role: 'administrator' }).execute();
    await audit.record('user.created', 'user', user.id, { roles: ['administrator'] });
    return insertSession(trx, user.id, now);
  });
}

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1000;

/** A form field the command found wrong (checked against the database); `message` is a message key. */
export class AccountInputError extends Error {
  constructor(
    readonly field: string,
    readonly messageKey: string,
  ) {
    super(`${field}: ${messageKey}`);
  }
}

/** An invitation or reset link that is unknown, expired or already used (the route shows 410). */
export class LinkInvalidError extends Error {
  constructor() {
    super('This link is expired, used or unknown');
  }
}

export class WrongPasswordError extends Error {
  constructor() {
    super('Wrong password');
  }
}

export class WrongCodeError extends Error {
  constructor() {
    super('Wrong two-factor code');
  }
}

/**
 * How many passwords and two-factor codes were checked since the process started: tests read it to
 * prove that throttling bounds the checks under parallel requests.
 */
export const checkCounts = { passwords: 0, codes: 0 };

async function checkPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  checkCounts.passwords++;
  try {
    return await verify(passwordHash ?? (await dummyHash()), password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** A hash to verify against when the e-mail is unknown, made on first use. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword('besa-timing-equaliser');
  return dummy;
}

export type SignInResult = { kind: 'session'; token: string } | { kind: 'two-factor'; challenge: string } | { kind: 'failed' } | { kind: 'throttled' };

/**
 * Checks a password, throttled per account and per client address: the attempt is counted before
 * the password is checked (admitSignInAttempt), so parallel requests get no more checks than the
 * limit. Returns a session, or a pending two-factor challenge (its token goes in an httpOnly cookie;
 * the state stays here). Unknown, disabled and wrong all answer `failed` in the same time.
 */
export async function signIn(db: Db, email: string, password: string, ip = 'unknown', now = new Date()): Promise<SignInResult> {
  if (!(await admitSignInAttempt(db, email, ip, now))) return { kind: 'throttled' };
  const user = await findUserByEmail(db, email);
  const ok = await checkPassword(user?.password_hash, password);
  if (!user || !ok || user.disabled_at !== null) return { kind: 'failed' };
  await settleSuccessfulAttempt(db, email, ip);
  if (user.totp_secret) {
    // Pending second steps are short-lived: drop the stale ones as new ones are made.
    await db.deleteFrom('login_challenges').where('expires_at', '<=', now.toISOString()).execute();
    const challenge = newToken();
    await db
      .insertInto('login_challenges')
      .values({
        token_hash: hashToken(challenge),
        user_id: user.id,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000).toISOString(),
      })
      .execute();
    return { kind: 'two-factor', challenge };
  }
  return { kind: 'session', token: await insertSession(db, user.id, now) };
}

export type TwoFactorResult = { kind: 'session'; token: string } | { kind: 'failed' } | { kind: 'expired' } | { kind: 'throttled' };

const CHALLENGE_FAILURES = 5;

/**
 * The second step: a 6-digit code for a pending challenge. The try is counted (throttle and the
 * challenge's own limit) before the code is checked. A code is accepted once: its time step is
 * recorded under a unique key in the transaction that makes the session, so of parallel requests
 * with one code only one signs in; the others get the wrong-code answer.
 */
export async function completeTwoFactor(db: Db, challenge: string, code: string, ip = 'unknown', now = new Date()): Promise<TwoFactorResult> {
  const row = await db
    .selectFrom('login_challenges')
    .innerJoin('users', 'users.id', 'login_challenges.user_id')
    .select(['login_challenges.token_hash', 'login_challenges.failures', 'users.id', 'users.email', 'users.totp_secret', 'users.totp_last_step', 'users.disabled_at'])
    .where('login_challenges.token_hash', '=', hashToken(challenge))
    .where('login_challenges.expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row || !row.totp_secret || row.disabled_at !== null) return { kind: 'expired' };
  if (!(await admitSignInAttempt(db, row.email, ip, now))) return { kind: 'throttled' };
  // The challenge's own limit, counted in one conditional write as well.
  const counted = await db
    .updateTable('login_challenges')
    .set({ failures: sql<number>`failures + 1` })
    .where('token_hash', '=', row.token_hash)
    .where('failures', '<', CHALLENGE_FAILURES)
    .returning('failures')
    .executeTakeFirst();
  if (!counted) {
    await db.deleteFrom('login_challenges').where('token_hash', '=', row.token_hash).execute();
    return { kind: 'expired' };
  }
  checkCounts.codes++;
  const step = matchTotp(row.totp_secret, code, now);
  if (step === null || (row.totp_last_step !== null && step <= row.totp_last_step)) {
    if (counted.failures >= CHALLENGE_FAILURES) {
      await db.deleteFrom('login_challenges').where('token_hash', '=', row.token_hash).execute();
      return { kind: 'expired' };
    }
    return { kind: 'failed' };
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const used = await trx.deleteFrom('login_challenges').where('token_hash', '=', row.token_hash).executeTakeFirst();
      if (Number(used.numDeletedRows) !== 1) return { kind: 'expired' } as const;
      await useTotpStep(trx, row.id, step, now);
      await settleSuccessfulAttempt(trx, row.email, ip);
      return { kind: 'session', token: await insertSession(trx, row.id, now) } as const;
    });
  } catch (error) {
    // Another request used this code first (its step is taken): as a wrong code, no session.
    if (isUniqueViolation(error)) return { kind: 'failed' };
    throw error;
  }
}

/**
 * Marks a TOTP time step as used by the account, inside the caller's transaction: a unique key
 * (user, step), so a second use of the same code fails with a unique violation even when both
 * requests run at once. Keeps users.totp_last_step (older codes are refused before this).
 */
async function useTotpStep(trx: Trx, userId: number, step: number, now: Date): Promise<void> {
  await trx.insertInto('totp_used_steps').values({ user_id: userId, step, used_at: now.toISOString() }).execute();
  await trx
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .execute();
}

export async function isChallengeValid(db: Db, challenge: string, now = new Date()): Promise<boolean> {
  const row = await db
    .selectFrom('login_challenges')
    .select('token_hash')
    .where('token_hash', '=', hashToken(challenge))
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return !!row;
}

// ─── Roles ──────────────────────────────────────────────────────────────────────────────

export interface RoleGrant {
  role: Role;
  jurisdictionId: number | null;
  institutionId: number | null;
}

export function roleKey(r: { role: string; jurisdictionId: number | null; institutionId: number | null }): string {
  return `${r.role}|${r.jurisdictionId ?? ''}|${r.institutionId ?? ''}`;
}

/**
 * Checks a role against the database: a commitment holder needs an institution (and takes its
 * jurisdiction); only commitment holders have one. Throws AccountInputError on the form's field
 * names `role`, `jurisdiction`, `institution` (prefixed with `prefix`).
 */
export async function resolveRoleGrant(
  db: Executor,
  input: { role: string; jurisdictionId: number | null; institutionId: number | null },
  prefix = '',
): Promise<RoleGrant> {
  if (!isRole(input.role)) throw new AccountInputError(`${prefix}role`, 'form.error.choice');
  let jurisdictionId = input.jurisdictionId;
  if (jurisdictionId !== null) {
    const j = await db.selectFrom('jurisdictions').select('id').where('id', '=', jurisdictionId).executeTakeFirst();
    if (!j) throw new AccountInputError(`${prefix}jurisdiction`, 'form.error.choice');
  }
  if (input.institutionId !== null) {
    if (input.role !== 'commitment_holder') throw new AccountInputError(`${prefix}institution`, 'accounts.error.institutionOnlyHolder');
    const inst = await db.selectFrom('institutions').select(['id', 'jurisdiction_id']).where('id', '=', input.institutionId).executeTakeFirst();
    if (!inst) throw new AccountInputError(`${prefix}institution`, 'form.error.choice');
    if (jurisdictionId !== null && jurisdictionId !== inst.jurisdiction_id) throw new AccountInputError(`${prefix}institution`, 'accounts.error.institutionElsewhere');
    jurisdictionId = inst.jurisdiction_id;
  } else if (input.role === 'commitment_holder') {
    throw new AccountInputError(`${prefix}institution`, 'accounts.error.institutionRequired');
  }
  return { role: input.role, jurisdictionId, institutionId: input.institutionId };
}

function roleSummary(r: RoleGrant) {
  return { role: r.role, jurisdictionId: r.jurisdictionId, institutionId: r.institutionId };
}

// ─── Invitations ───────────────────────────────────────────────────────────────────────

export interface InvitationInput {
  email: string;
  role: string;
  jurisdictionId: number | null;
  institutionId: number | null;
  /** A suggested name (from the command line); the person chooses theirs. */
  displayName?: string | undefined;
  /** The invited person's language (their e-mails, the invitation link); default: MailContext.locale. */
  locale?: Locale | undefined;
}

export interface MailContext {
  /** The instance's public base URL, for absolute links in e-mails. */
  publicUrl: string;
  /**
   * The language of the page that caused the e-mail: the message is written in the recipient's
   * own language when they have one (users.locale), else in this one.
   */
  locale: Locale;
}

function jurisdictionLabel(name: string | null | undefined, locale: Locale): string {
  if (!name) return '';
  return pick(parseTranslatable(name), locale)?.text ?? '';
}

/**
 * Invites a person by e-mail with one role: stores the link's token hashed (valid 7 days, single use)
 * and queues the e-mail in the same transaction. The actor must be allowed to grant the role there
 * (canGrantRole), unless the system invites (the command line). Returns the link's path.
 *
 * The answer never tells whether the address already has an account (anywhere in the instance):
 * if it has, the role is given to that account at once and the e-mail says so and asks the person
 * to sign in as usual; an account whose access was removed gets nothing (an administrator restores
 * access from the people list). Either way the caller sees the same result.
 */
export async function inviteUser(db: Db, actor: Actor, input: InvitationInput, mail: MailContext, now = new Date()): Promise<{ path: string; expiresAt: string }> {
  const email = input.email.trim().toLowerCase();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString();
  const invitedLocale = input.locale ?? mail.locale;
  const path = `/${invitedLocale}/invitations/${token}`;
  await runCommand(db, actor, async (trx, audit) => {
    authorize(actor, canManageUsers);
    const grant = await resolveRoleGrant(trx, input);
    if (!mayGrant(actor, grant.jurisdictionId)) throw new AccountInputError('jurisdiction', 'accounts.error.notYourJurisdiction');
    const existing = await findUserByEmail(trx, email);
    // Written in the recipient's language: their account's, else the one chosen on the invitation.
    const lang = recipientLocale(existing?.locale, invitedLocale);
    const t = translator(lang);
    const jurisdictionName = grant.jurisdictionId === null ? undefined : (await trx.selectFrom('jurisdictions').select('name').where('id', '=', grant.jurisdictionId).executeTakeFirst())?.name;
    const where = jurisdictionLabel(jurisdictionName, lang);
    const inviter = (actor.userId === null ? undefined : (await findUserById(trx, actor.userId))?.display_name) ?? t('ui.siteName');
    if (existing) {
      if (existing.disabled_at !== null) {
        await audit.record('invitation.skipped', 'user', existing.id, { ...roleSummary(grant), reason: 'access_removed' });
        return;
      }
      const held = (await listRoleRows(trx, existing.id)).some((r) => roleKey(r) === roleKey(grant));
      if (!held) {
        await trx.insertInto('user_roles').values({ user_id: existing.id, role: grant.role, jurisdiction_id: grant.jurisdictionId, institution_id: grant.institutionId }).execute();
        await audit.record('user.roles_changed', 'user', existing.id, { added: [roleSummary(grant)], removed: [], byInvitation: true });
      }
      await enqueueMail(
        trx,
        composeMail(existing.email, lang, {
          subject: t('accounts.mail.roleGiven.subject'),
          text: t('accounts.mail.roleGiven.body', {
            name: existing.display_name,
            inviter,
            role: t(`accounts.role.${grant.role}` as 'accounts.role.administrator'),
            where: where || t('accounts.roles.everywhere'),
            link: `${mail.publicUrl}/${lang}/login`,
          }),
        }),
      );
      return;
    }
    const row = await trx
      .insertInto('invitations')
      .values({
        token_hash: hashToken(token),
        email,
        display_name: input.displayName?.trim() || null,
        role: grant.role,
        jurisdiction_id: grant.jurisdictionId,
        institution_id: grant.institutionId,
        invited_by: actor.userId,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        used_at: null,
        locale: invitedLocale,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit.record('invitation.created', 'invitation', row.id, roleSummary(grant));
    await enqueueMail(
      trx,
      composeMail(email, lang, {
        subject: t('accounts.mail.invitation.subject'),
        text: t('accounts.mail.invitation.body', {
          inviter,
          role: t(`accounts.role.${grant.role}` as 'accounts.role.administrator'),
          where: where || t('accounts.roles.everywhere'),
          link: `${mail.publicUrl}${path}`,
          days: INVITATION_DAYS,
        }),
      }),
    );
  });
  return { path, expiresAt };
}

export async function findInvitation(db: Db, token: string, now = new Date()) {
  return db
    .selectFrom('invitations')
    .select(['id', 'email', 'display_name', 'role'])
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
}

/** Uses an invitation once: creates the account with the invited role and signs the person in. */
export async function acceptInvitation(db: Db, token: string, input: { displayName: string; password: string }, now = new Date()): Promise<string> {
  const passwordHash = await hashPassword(input.password);
  return runCommand(db, SYSTEM, async (trx, audit) => {
    const invitation = await trx
      .selectFrom('invitations')
      .selectAll()
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    if (!invitation) throw new LinkInvalidError();
    const used = await trx.updateTable('invitations').set({ used_at: now.toISOString() }).where('id', '=', invitation.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1 || (await findUserByEmail(trx, invitation.email))) throw new LinkInvalidError();
    const user = await trx
      .insertInto('users')
      .values({ email: invitation.email, display_name: input.displayName.trim(), password_hash: passwordHash, created_at: now.toISOString(), locale: invitation.locale })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('user_roles')
      .values({ user_id: user.id, role: invitation.role, jurisdiction_id: invitation.jurisdiction_id, institution_id: invitation.institution_id })
      .execute();
    await audit.record('user.created', 'user', user.id, { invitation: invitation.id, roles: [invitation.role] });
    return insertSession(trx, user.id, now);
  });
}

// ─── Password reset ─────────────────────────────────────────────────────────────────────

/**
 * Sends a reset link (token hashed, valid 1 hour, single use) if the address belongs to an
 * active account; does nothing visible otherwise, so the answer never tells who has an account.
 * At most RESET_THROTTLE.perAddress links an hour, counted in one conditional write (parallel
 * requests cannot send more). The route runs this after its answer has gone, so the answer takes
 * the same time whether or not an account uses the address.
 */
export async function requestPasswordReset(db: Db, email: string, mail: MailContext, now = new Date()): Promise<void> {
  const user = await findUserByEmail(db, email);
  if (!user || user.disabled_at !== null) return;
  if (!(await admitAttempt(db, resetKey(user.email), now))) return;
  const token = newToken();
  await runCommand(db, SYSTEM, async (trx, audit) => {
    await trx
      .insertInto('password_resets')
      .values({
        token_hash: hashToken(token),
        user_id: user.id,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + RESET_TOKEN_HOURS * 3_600_000).toISOString(),
        used_at: null,
      })
      .execute();
    await audit.record('user.password_reset_requested', 'user', user.id);
    const lang = recipientLocale(user.locale, mail.locale);
    const t = translator(lang);
    await enqueueMail(
      trx,
      composeMail(user.email, lang, {
        subject: t('accounts.mail.reset.subject'),
        text: t('accounts.mail.reset.body', { name: user.display_name, link: `${mail.publicUrl}/${lang}/password-reset/${token}` }),
      }),
    );
  });
}

export async function isPasswordResetValid(db: Db, token: string, now = new Date()): Promise<boolean> {
  const row = await db
    .selectFrom('password_resets')
    .select('user_id')
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return !!row;
}

/** Sets a new password from a reset link, once, and signs out every session of the account. */
export async function resetPassword(db: Db, token: string, password: string, now = new Date()): Promise<void> {
  const passwordHash = await hashPassword(password);
  await runCommand(db, SYSTEM, async (trx, audit) => {
    const reset = await trx
      .selectFrom('password_resets')
      .innerJoin('users', 'users.id', 'password_resets.user_id')
      .select(['password_resets.user_id', 'users.email', 'users.disabled_at'])
      .where('password_resets.token_hash', '=', hashToken(token))
      .where('password_resets.used_at', 'is', null)
      .where('password_resets.expires_at', '>', now.toISOString())
      .executeTakeFirst();
    if (!reset || reset.disabled_at !== null) throw new LinkInvalidError();
    const used = await trx.updateTable('password_resets').set({ used_at: now.toISOString() }).where('token_hash', '=', hashToken(token)).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw new LinkInvalidError();
    // Every other link of this account stops working too.
    await trx.updateTable('password_resets').set({ used_at: now.toISOString() }).where('user_id', '=', reset.user_id).where('used_at', 'is', null).execute();
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', reset.user_id).execute();
    await deleteSessionsOfUser(trx, reset.user_id);
    await trx.deleteFrom('login_challenges').where('user_id', '=', reset.user_id).execute();
    await clearAccountFailures(trx, reset.email);
    await audit.record('user.password_reset', 'user', reset.user_id);
  });
}

// ─── Own account ────────────────────────────────────────────────────────────────────────

async function requireCurrentPassword(trx: Trx, userId: number, password: string): Promise<{ email: string; totp_secret: string | null; totp_pending_secret: string | null; totp_last_step: number | null }> {
  const user = await findUserById(trx, userId);
  if (!user || !(await checkPassword(user.password_hash, password))) throw new WrongPasswordError();
  return user;
}

/** Changes one's password; every other session of the account ends. */
export async function changePassword(db: Db, actor: Actor, userId: number, current: string, next: string, keepSession?: string): Promise<void> {
  const passwordHash = await hashPassword(next);
  await runCommand(db, actor, async (trx, audit) => {
    authorize(actor, () => actor.userId === userId);
    await requireCurrentPassword(trx, userId, current);
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
    await deleteSessionsOfUser(trx, userId, keepSession);
    await trx.updateTable('password_resets').set({ used_at: new Date().toISOString() }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
    await audit.record('user.password_changed', 'user', userId);
  });
}

/** Sets the language one's e-mails are written in (null: the language of the page that causes each). */
export async function setAccountLanguage(db: Db, actor: Actor, userId: number, locale: Locale | null): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    authorize(actor, () => actor.userId === userId);
    await trx.updateTable('users').set({ locale }).where('id', '=', userId).execute();
    await audit.record('user.language_changed', 'user', userId, { locale });
  });
}

/** Ends every session of the account, this one included. */
export async function signOutEverywhere(db: Db, actor: Actor, userId: number): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    authorize(actor, () => actor.userId === userId);
    await deleteSessionsOfUser(trx, userId);
    await trx.deleteFrom('login_challenges').where('user_id', '=', userId).execute();
    await audit.record('user.signed_out_everywhere', 'user', userId);
  });
}

/** Starts setting up two-factor: makes a secret to confirm with a code (kept if one is pending). */
export async function startTwoFactorSetup(db: Db, actor: Actor, userId: number): Promise<string> {
  return runCommand(db, actor, async (trx) => {
    authorize(actor, () => actor.userId === userId);
    const user = await findUserById(trx, userId);
    if (!user) throw new ForbiddenError();
    if (user.totp_pending_secret) return user.totp_pending_secret;
    const secret = newTotpSecret();
    await trx.updateTable('users').set({ totp_pending_secret: secret }).where('id', '=', userId).execute();
    return secret;
  });
}

/** Turns two-factor on once a code from the app matches the pending secret. */
export async function enableTwoFactor(db: Db, actor: Actor, userId: number, code: string, now = new Date()): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    authorize(actor, () => actor.userId === userId);
    const user = await findUserById(trx, userId);
    if (!user?.totp_pending_secret) throw new WrongCodeError();
    const step = matchTotp(user.totp_pending_secret, code, now);
    if (step === null) throw new WrongCodeError();
    await trx.updateTable('users').set({ totp_secret: user.totp_pending_secret, totp_pending_secret: null, totp_last_step: null }).where('id', '=', userId).execute();
    await trx.deleteFrom('totp_used_steps').where('user_id', '=', userId).execute();
    await useTotpStep(trx, userId, step, now);
    await audit.record('user.two_factor_enabled', 'user', userId);
  });
}

/** Turns two-factor off: needs the password and a current code, which is used up like at sign-in. */
export async function disableTwoFactor(db: Db, actor: Actor, userId: number, password: string, code: string, now = new Date()): Promise<void> {
  try {
    await runCommand(db, actor, async (trx, audit) => {
      authorize(actor, () => actor.userId === userId);
      const user = await requireCurrentPassword(trx, userId, password);
      const step = user.totp_secret ? matchTotp(user.totp_secret, code, now) : null;
      if (step === null || (user.totp_last_step !== null && step <= user.totp_last_step)) throw new WrongCodeError();
      await useTotpStep(trx, userId, step, now);
      await trx.updateTable('users').set({ totp_secret: null, totp_pending_secret: null, totp_last_step: null }).where('id', '=', userId).execute();
      await audit.record('user.two_factor_disabled', 'user', userId);
    });
  } catch (error) {
    // The same code used at once by another request (a sign-in, or a second switch-off).
    if (isUniqueViolation(error)) throw new WrongCodeError();
    throw error;
  }
}

// ─── Administration of accounts ─────────────────────────────────────────────────────────

/** May the actor give or take away a role on this jurisdiction (the system: always). */
function mayGrant(actor: Actor, jurisdictionId: number | null): boolean {
  return !!actor.system || canGrantRole(actor, jurisdictionId);
}

/**
 * Sets a person's roles. Roles the acting administrator may not grant (another jurisdiction,
 * or instance-wide ones for a jurisdiction administrator) are kept as they are. Nobody removes
 * their own last administrator role. Giving roles to a person whose access was removed restores it.
 */
export async function updateUserRoles(
  db: Db,
  actor: Actor,
  userId: number,
  wanted: { role: string; jurisdictionId: number | null; institutionId: number | null }[],
): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    authorize(actor, canManageUsers);
    const user = await findUserById(trx, userId);
    if (!user) throw new ForbiddenError();
    const existing = await listRoleRows(trx, userId);
    // Only people the actor may see: who holds a role on a jurisdiction they administer.
    authorize(actor, (by) => canSeeUser(by, existing));
    const wantedKeys = new Set(wanted.map(roleKey));
    const removed = existing.filter((r) => mayGrant(actor, r.jurisdictionId) && !wantedKeys.has(roleKey(r)));
    const existingKeys = new Set(existing.map(roleKey));
    const added: RoleGrant[] = [];
    for (const w of wanted.filter((x) => !existingKeys.has(roleKey(x)))) {
      const grant = await resolveRoleGrant(trx, w, 'new_');
      if (!mayGrant(actor, grant.jurisdictionId)) throw new AccountInputError('new_jurisdiction', 'accounts.error.notYourJurisdiction');
      if (!existingKeys.has(roleKey(grant)) && !added.some((a) => roleKey(a) === roleKey(grant))) added.push(grant);
    }
    if (userId === actor.userId) {
      const remaining = existing.filter((r) => !removed.includes(r)).concat(added.map((a) => ({ ...a, userId, jurisdictionName: null, institutionName: null })));
      if (!remaining.some((r) => r.role === 'administrator')) throw new AccountInputError('keep', 'accounts.error.ownAdmin');
    }
    for (const r of removed) {
      let q = trx.deleteFrom('user_roles').where('user_id', '=', userId).where('role', '=', r.role);
      q = r.jurisdictionId === null ? q.where('jurisdiction_id', 'is', null) : q.where('jurisdiction_id', '=', r.jurisdictionId);
      q = r.institutionId === null ? q.where('institution_id', 'is', null) : q.where('institution_id', '=', r.institutionId);
      await q.execute();
    }
    for (const a of added) {
      await trx.insertInto('user_roles').values({ user_id: userId, role: a.role, jurisdiction_id: a.jurisdictionId, institution_id: a.institutionId }).execute();
    }
    if (user.disabled_at !== null && existing.length - removed.length + added.length > 0) {
      await trx.updateTable('users').set({ disabled_at: null }).where('id', '=', userId).execute();
    }
    if (removed.length || added.length) {
      await audit.record('user.roles_changed', 'user', userId, { added: added.map(roleSummary), removed: removed.map((r) => ({ role: r.role, jurisdictionId: r.jurisdictionId, institutionId: r.institutionId })) });
    }
  });
}

/** Removes a person's access: every role and session goes, and they can no longer sign in. */
export async function removeUserAccess(db: Db, actor: Actor, userId: number, now = new Date()): Promise<void> {
  if (userId === actor.userId) throw new AccountInputError('user', 'accounts.error.removeSelf');
  await runCommand(db, actor, async (trx, audit) => {
    const user = await findUserById(trx, userId);
    if (!user) throw new ForbiddenError();
    authorize(actor, canManageUsers);
    const roles = await listRoleRows(trx, userId);
    // Every role must be one the actor may take away; a person without roles, only an instance-wide administrator.
    const mayRemove = roles.length === 0 ? mayGrant(actor, null) : roles.every((r) => mayGrant(actor, r.jurisdictionId));
    if (!mayRemove) throw new ForbiddenError();
    await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
    await deleteSessionsOfUser(trx, userId);
    await trx.deleteFrom('login_challenges').where('user_id', '=', userId).execute();
    await trx.updateTable('password_resets').set({ used_at: now.toISOString() }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
    await trx.updateTable('users').set({ disabled_at: now.toISOString() }).where('id', '=', userId).execute();
    await audit.record('user.access_removed', 'user', userId, { roles: roles.map((r) => r.role) });
  });
}

// ─── Command line ───────────────────────────────────────────────────────────────────────

export interface CreateUserOptions {
  email: string;
  displayName: string;
  role: string;
  jurisdictionSlug?: string | undefined;
  institutionSlug?: string | undefined;
  /** Given: the account is created at once with this password. Absent: an invitation is made. */
  password?: string | undefined;
  /** For the invitation e-mail's absolute link (defaults to a path only). */
  publicUrl?: string | undefined;
  /** The person's language: their e-mails and the invitation link (`--locale`; default Albanian). */
  locale?: Locale | undefined;
}

export type CreateUserResult = { kind: 'created'; userId: number } | { kind: 'invited'; path: string; expiresAt: string };

/** Thrown by createUserCommand with a sentence for the terminal. */
export class CreateUserError extends Error {}

/**
 * `besa user create`: invites a person (returns the invitation link's path; the e-mail is queued)
 * or, with a password, creates the account directly. Roles are checked like in the administration.
 */
export async function createUserCommand(db: Db, options: CreateUserOptions): Promise<CreateUserResult> {
  const email = options.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new CreateUserError(`Not an e-mail address: "${options.email}"`);
  if (!isRole(options.role)) throw new CreateUserError(`Unknown role "${options.role}"; use one of: administrator, coordinator, commitment_holder, forum_secretary, monitoring_member, moderator`);
  let jurisdictionId: number | null = null;
  if (options.jurisdictionSlug) {
    const j = await db.selectFrom('jurisdictions').select('id').where('slug', '=', options.jurisdictionSlug).executeTakeFirst();
    if (!j) throw new CreateUserError(`No jurisdiction with the slug "${options.jurisdictionSlug}"`);
    jurisdictionId = j.id;
  }
  let institutionId: number | null = null;
  if (options.institutionSlug) {
    let q = db.selectFrom('institutions').select(['id', 'jurisdiction_id']).where('slug', '=', options.institutionSlug);
    if (jurisdictionId !== null) q = q.where('jurisdiction_id', '=', jurisdictionId);
    const found = await q.execute();
    if (found.length === 0) throw new CreateUserError(`No institution with the slug "${options.institutionSlug}"${options.jurisdictionSlug ? ` in ${options.jurisdictionSlug}` : ''}`);
    if (found.length > 1) throw new CreateUserError(`Several institutions have the slug "${options.institutionSlug}": add --jurisdiction`);
    institutionId = found[0]!.id;
  }
  const input = { role: options.role, jurisdictionId, institutionId };
  try {
    // The command line is run by the instance's operator: it may say that the address is taken.
    if (await findUserByEmail(db, email)) throw new AccountInputError('email', 'accounts.error.emailTaken');
    if (options.password === undefined) {
      const invited = await inviteUser(db, SYSTEM, { email, displayName: options.displayName, ...input, locale: options.locale }, { publicUrl: options.publicUrl ?? '', locale: options.locale ?? 'sq' });
      return { kind: 'invited', ...invited };
    }
    if (options.password.length < PASSWORD_MIN) throw new CreateUserError(`The password needs at least ${PASSWORD_MIN} characters`);
    const displayName = options.displayName.trim();
    if (!displayName) throw new CreateUserError('A display name is needed (--name)');
    const passwordHash = await hashPassword(options.password);
    const userId = await runCommand(db, SYSTEM, async (trx, audit) => {
      const grant = await resolveRoleGrant(trx, input);
      if (await findUserByEmail(trx, email)) throw new AccountInputError('email', 'accounts.error.emailTaken');
      const user = await trx.insertInto('users').values({ email, display_name: displayName, password_hash: passwordHash, created_at: new Date().toISOString(), locale: options.locale ?? null }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('user_roles').values({ user_id: user.id, role: grant.role, jurisdiction_id: grant.jurisdictionId, institution_id: grant.institutionId }).execute();
      await audit.record('user.created', 'user', user.id, { roles: [grant.role] });
      return user.id;
    });
    return { kind: 'created', userId };
  } catch (error) {
    if (error instanceof AccountInputError) throw new CreateUserError(CLI_MESSAGES[error.messageKey] ?? `${error.field}: ${error.messageKey}`);
    throw error;
  }
}

const CLI_MESSAGES: Record<string, string> = {
  'accounts.error.emailTaken': 'A user with this e-mail address exists already: change their roles in the administration instead',
  'accounts.error.institutionRequired': 'A commitment holder needs an institution (--institution)',
  'accounts.error.institutionOnlyHolder': 'Only a commitment holder has an institution',
  'accounts.error.institutionElsewhere': 'The institution is not in that jurisdiction',
};

export type { AuditRecorder };
