import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { INTL_LOCALE } from '../../i18n/index.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
import { FormErrors, formList, formValues, isIsoDate, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { pick, parseTranslatable } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenError } from '../audit/index.js';
import {
  AccountInputError,
  changePassword,
  disableTwoFactor,
  enableTwoFactor,
  inviteUser,
  removeUserAccess,
  roleKey,
  setAccountLanguage,
  signOutEverywhere,
  startTwoFactorSetup,
  updateUserRoles,
  WrongCodeError,
  WrongPasswordError,
} from './commands.js';
import { canGrantRole, canManageUsers, canSeeUser, ROLES } from './policy.js';
import { countSessionsOfUser, findUserById, listPendingInvitations, listRoleRows, listUsersWithRoles, roleScopes, type RoleRow } from './repository.js';
import { adminContext, checkNewPassword, requestActor, EMAIL, SESSION_COOKIE, type AccountRouteOptions } from './routes.js';
import { formatSecret, totpUri } from './totp.js';
import { createApiToken, findApiToken, listApiTokens, revokeApiToken, TokenInputError } from './api-tokens.js';
import { RevokeTokenPage, type TokenSectionData } from './api-token-views.js';
import { AccountPage, InvitePage, MessagePage, TwoFactorPage, UserPage, UsersPage, type RoleView, type ScopeOptions, type TwoFactorState } from './views.js';

type Ctx = ReturnType<typeof adminContext>;

function forbidden(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const ctx = adminContext(request, reply);
  return sendHtml(reply, MessagePage({ ctx, title: ctx.t('accounts.forbidden.title'), body: ctx.t('accounts.forbidden.body') }) as string, 403);
}

function nameOf(json: string | null, locale: Locale, fallback: string): string {
  return (json && pick(parseTranslatable(json), locale)?.text) || fallback;
}

/** A token valid through day D (as the form asks) works until the end of D in UTC: it expires at the next day's 00:00Z. */
export function validThroughEnd(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();
}

/** "Coordinator · Municipality of Gjakova", "Commitment holder · Gjakova · Directorate of Finance". */
export function describeRole(ctx: Ctx, r: Pick<RoleRow, 'role' | 'jurisdictionId' | 'jurisdictionName' | 'institutionName'>): string {
  const role = ctx.t(`accounts.role.${r.role}` as 'accounts.role.administrator');
  const where = r.jurisdictionId === null ? ctx.t('accounts.roles.everywhere') : nameOf(r.jurisdictionName, ctx.locale, String(r.jurisdictionId));
  const parts = [role, where];
  if (r.institutionName) parts.push(nameOf(r.institutionName, ctx.locale, ''));
  return parts.filter(Boolean).join(' · ');
}

/** The roles a person holds, each described in the page's language (for their own start page). */
export async function describeRolesOf(db: Db, ctx: Ctx, userId: number): Promise<string[]> {
  return (await listRoleRows(db, userId)).map((r) => describeRole(ctx, r));
}

async function scopeOptions(db: Db, ctx: Ctx): Promise<ScopeOptions> {
  const { jurisdictions, institutions } = await roleScopes(db);
  const jName = new Map(jurisdictions.map((j) => [j.id, nameOf(j.name, ctx.locale, j.slug)]));
  return {
    roles: ROLES.map((r) => ({ value: r, label: ctx.t(`accounts.role.${r}` as 'accounts.role.administrator') })),
    jurisdictions: jurisdictions.map((j) => ({ value: String(j.id), label: jName.get(j.id) ?? j.slug })),
    institutions: institutions.map((i) => ({ value: String(i.id), label: `${nameOf(i.name, ctx.locale, i.slug)} · ${jName.get(i.jurisdiction_id) ?? ''}` })),
  };
}

/** Reads an optional id select: '' is null; anything else must be a whole number. */
function optionalId(values: FormValues, errors: FormErrors, field: string): number | null {
  const raw = (values[field] ?? '').trim();
  if (!raw) return null;
  if (!/^\d{1,9}$/.test(raw)) {
    errors.add(field, 'form.error.choice');
    return null;
  }
  return Number(raw);
}

function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC';
}

/**
 * People and roles (administrators) and one's own account (everyone with a role):
 * mounted under /{locale}/admin, behind the admin guard.
 */
export function userAdminRoutes(db: Db, options: AccountRouteOptions = {}) {
  const publicUrl = options.publicUrl ?? '';
  return async function routes(app: FastifyInstance): Promise<void> {
    // ── People and roles ──
    app.get('/users', async (request, reply) => {
      if (!canManageUsers(request.user)) return forbidden(request, reply);
      const ctx = adminContext(request, reply);
      const users = (await listUsersWithRoles(db)).filter((u) => canSeeUser(request.user, u.roles));
      const invitations = (await listPendingInvitations(db)).filter((i) => canSeeUser(request.user, [{ jurisdictionId: i.jurisdiction_id }]));
      return sendHtml(
        reply,
        UsersPage({
          ctx,
          users: users.map((u) => ({ ...u, roles: u.roles.map((r) => describeRole(ctx, r)) })),
          invitations: invitations.map((i) => ({
            email: i.email,
            role: describeRole(ctx, { role: i.role, jurisdictionId: i.jurisdiction_name === null ? null : 0, jurisdictionName: i.jurisdiction_name, institutionName: i.institution_name }),
            expiresOn: formatDate(i.expires_at, ctx.locale),
          })),
        }) as string,
      );
    });

    app.get('/users/invite', async (request, reply) => {
      if (!canManageUsers(request.user)) return forbidden(request, reply);
      const ctx = adminContext(request, reply);
      return sendHtml(reply, InvitePage({ ctx, options: await scopeOptions(db, ctx), values: {} }) as string);
    });

    app.post('/users/invite', { preHandler: app.csrfProtection }, async (request, reply) => {
      if (!canManageUsers(request.user)) return forbidden(request, reply);
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const errors = unstorableErrors(values);
      const email = (values.email ?? '').trim();
      if (!EMAIL.test(email) || email.length > 254) errors.add('email', 'accounts.error.email');
      const role = (values.role ?? '').trim();
      if (!(ROLES as readonly string[]).includes(role)) errors.add('role', role ? 'form.error.choice' : 'form.error.required');
      const jurisdictionId = optionalId(values, errors, 'jurisdiction');
      const institutionId = optionalId(values, errors, 'institution');
      // The invited person's language: their e-mails and the invitation link (default: this page's).
      const language = (values.language ?? '').trim() || ctx.locale;
      if (!isLocale(language)) errors.add('language', 'form.error.choice');
      if (!errors.any && isLocale(language)) {
        try {
          await inviteUser(db, requestActor(request), { email, role, jurisdictionId, institutionId, locale: language }, { publicUrl, locale: ctx.locale });
          setFlash(reply, 'accounts.invite.done');
          return reply.redirect(`/${ctx.locale}/admin/users`, 303);
        } catch (error) {
          if (!(error instanceof AccountInputError)) throw error;
          errors.add(error.field, error.messageKey);
        }
      }
      return sendHtml(reply, InvitePage({ ctx, options: await scopeOptions(db, ctx), values, errors }) as string, 422);
    });

    async function loadUser(request: FastifyRequest) {
      const { id } = request.params as { id: string };
      if (!/^\d{1,9}$/.test(id)) throw new NotFoundError();
      const user = await findUserById(db, Number(id));
      if (!user) throw new NotFoundError();
      return user;
    }

    async function renderUser(request: FastifyRequest, reply: FastifyReply, userId: number, values: FormValues, kept?: string[], errors?: FormErrors, status = 200) {
      const ctx = adminContext(request, reply);
      const user = await findUserById(db, userId);
      if (!user) throw new NotFoundError();
      const rows = await listRoleRows(db, userId);
      const roles: RoleView[] = rows.map((r) => ({ key: roleKey(r), label: describeRole(ctx, r), manageable: canGrantRole(request.user, r.jurisdictionId) }));
      const isSelf = user.id === request.user?.id;
      const page = UserPage({
        ctx,
        user: {
          id: user.id,
          displayName: user.display_name,
          email: user.email,
          disabled: user.disabled_at !== null,
          isSelf,
          canRemove: !isSelf && user.disabled_at === null && rows.every((r) => canGrantRole(request.user, r.jurisdictionId)),
        },
        roles,
        kept: kept ?? roles.map((r) => r.key),
        options: await scopeOptions(db, ctx),
        values,
        errors,
      });
      return sendHtml(reply, page as string, status);
    }

    app.get('/users/:id', async (request, reply) => {
      if (!canManageUsers(request.user)) return forbidden(request, reply);
      const user = await loadUser(request);
      if (!canSeeUser(request.user, await listRoleRows(db, user.id))) return forbidden(request, reply);
      return renderUser(request, reply, user.id, {});
    });

    app.post('/users/:id', { preHandler: app.csrfProtection }, async (request, reply) => {
      if (!canManageUsers(request.user)) return forbidden(request, reply);
      const user = await loadUser(request);
      if (!canSeeUser(request.user, await listRoleRows(db, user.id))) return forbidden(request, reply);
      const values = formValues(request.body);
      const kept = formList(request.body, 'keep');
      const errors = unstorableErrors(values);
      const existing = await listRoleRows(db, user.id);
      const wanted = existing.filter((r) => !canGrantRole(request.user, r.jurisdictionId) || kept.includes(roleKey(r))).map((r) => ({ role: r.role, jurisdictionId: r.jurisdictionId, institutionId: r.institutionId }));
      const newRole = (values.new_role ?? '').trim();
      const newJurisdiction = optionalId(values, errors, 'new_jurisdiction');
      const newInstitution = optionalId(values, errors, 'new_institution');
      if (newRole) {
        if (!(ROLES as readonly string[]).includes(newRole)) errors.add('new_role', 'form.error.choice');
        else wanted.push({ role: newRole, jurisdictionId: newJurisdiction, institutionId: newInstitution });
      } else if (newJurisdiction !== null || newInstitution !== null) {
        errors.add('new_role', 'form.error.required');
      }
      if (!errors.any) {
        try {
          await updateUserRoles(db, requestActor(request), user.id, wanted);
          setFlash(reply, 'accounts.user.saved');
          return reply.redirect(`/${(request.params as { locale: string }).locale}/admin/users/${user.id}`, 303);
        } catch (error) {
          if (error instanceof ForbiddenError) return forbidden(request, reply);
          if (!(error instanceof AccountInputError)) throw error;
          errors.add(error.field, error.messageKey);
        }
      }
      return renderUser(request, reply, user.id, values, kept, errors, 422);
    });

    app.post('/users/:id/remove', { preHandler: app.csrfProtection }, async (request, reply) => {
      if (!canManageUsers(request.user)) return forbidden(request, reply);
      const user = await loadUser(request);
      if (!canSeeUser(request.user, await listRoleRows(db, user.id))) return forbidden(request, reply);
      try {
        await removeUserAccess(db, requestActor(request), user.id);
      } catch (error) {
        if (error instanceof ForbiddenError || error instanceof AccountInputError) return forbidden(request, reply);
        throw error;
      }
      setFlash(reply, 'accounts.user.removed');
      return reply.redirect(`/${(request.params as { locale: string }).locale}/admin/users/${user.id}`, 303);
    });

    // ── One's own account ──
    async function renderAccount(request: FastifyRequest, reply: FastifyReply, errors?: FormErrors, status = 200, tokenSection: Partial<TokenSectionData> = {}) {
      const ctx = adminContext(request, reply);
      const userId = request.user!.id;
      const user = await findUserById(db, userId);
      const data = {
        sessions: await countSessionsOfUser(db, userId),
        twoFactor: !!user?.totp_secret,
        canManageUsers: canManageUsers(request.user),
        language: isLocale(user?.locale) ? user.locale : '',
      };
      const tokens: TokenSectionData = { tokens: await listApiTokens(db, userId), ...tokenSection };
      return sendHtml(reply, AccountPage({ ctx, data, errors, tokens }) as string, status);
    }

    app.get('/account', async (request, reply) => renderAccount(request, reply));

    app.post('/account/password', { preHandler: app.csrfProtection }, async (request, reply) => {
      const values = formValues(request.body);
      const errors = unstorableErrors(values);
      if (!values.current_password) errors.add('current_password', 'form.error.required');
      checkNewPassword(errors, 'new_password', values.new_password ?? '');
      if (!errors.any) {
        try {
          await changePassword(db, requestActor(request), request.user!.id, values.current_password ?? '', values.new_password ?? '', request.cookies[SESSION_COOKIE]);
          setFlash(reply, 'accounts.account.password.done');
          return reply.redirect(`/${(request.params as { locale: string }).locale}/admin/account`, 303);
        } catch (error) {
          if (!(error instanceof WrongPasswordError)) throw error;
          errors.add('current_password', 'accounts.account.password.wrong');
        }
      }
      return renderAccount(request, reply, errors, 422);
    });

    app.post('/account/language', { preHandler: app.csrfProtection }, async (request, reply) => {
      const values = formValues(request.body);
      const errors = unstorableErrors(values);
      // Empty: no language of one's own (each e-mail in the language of the page that causes it).
      const language = (values.language ?? '').trim();
      if (language && !isLocale(language)) errors.add('language', 'form.error.choice');
      if (errors.any) return renderAccount(request, reply, errors, 422);
      await setAccountLanguage(db, requestActor(request), request.user!.id, isLocale(language) ? language : null);
      setFlash(reply, 'accounts.account.language.done');
      return reply.redirect(`/${(request.params as { locale: string }).locale}/admin/account`, 303);
    });

    app.post('/account/sign-out-everywhere', { preHandler: app.csrfProtection }, async (request, reply) => {
      await signOutEverywhere(db, requestActor(request), request.user!.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      setFlash(reply, 'accounts.account.sessions.done');
      return reply.redirect(`/${(request.params as { locale: string }).locale}/login`, 303);
    });

    // ── One's own API tokens (the write API, modules/api): made here, shown once, revoked after a confirmation ──
    app.post('/account/tokens', { preHandler: app.csrfProtection }, async (request, reply) => {
      // Never cached: the answer holds the new token, the only time it is shown.
      reply.header('cache-control', 'no-store');
      const form = formValues(request.body);
      const values: FormValues = { token_name: form.token_name ?? '', token_expires: (form.token_expires ?? '').trim() };
      const errors = unstorableErrors(form);
      const expires = values.token_expires ?? '';
      if (expires && (!isIsoDate(expires) || expires <= new Date().toISOString().slice(0, 10))) errors.add('token_expires', 'api.tokens.error.expires');
      if (!errors.any) {
        try {
          const made = await createApiToken(db, requestActor(request), { name: values.token_name ?? '', expiresAt: expires ? validThroughEnd(expires) : null });
          return await renderAccount(request, reply, undefined, 200, { created: { name: (values.token_name ?? '').trim(), token: made.token } });
        } catch (error) {
          if (!(error instanceof TokenInputError)) throw error;
          for (const e of error.errors.list) errors.add(e.field === 'name' ? 'token_name' : e.field, e.message, e.values);
        }
      }
      return renderAccount(request, reply, errors, 422, { values });
    });

    app.post('/account/tokens/:id/revoke', { preHandler: app.csrfProtection }, async (request, reply) => {
      const id = Number((request.params as { id: string }).id);
      const token = Number.isSafeInteger(id) && id > 0 ? await findApiToken(db, request.user!.id, id) : undefined;
      if (!token) throw new NotFoundError();
      if (formValues(request.body).confirm !== 'yes') return sendHtml(reply, RevokeTokenPage({ ctx: adminContext(request, reply), token }) as string);
      await revokeApiToken(db, requestActor(request), token.id);
      setFlash(reply, 'api.tokens.revoked');
      return reply.redirect(`/${(request.params as { locale: string }).locale}/admin/account`, 303);
    });

    async function twoFactorState(userId: number): Promise<TwoFactorState> {
      const user = await findUserById(db, userId);
      if (user?.totp_secret) return { kind: 'on' };
      if (user?.totp_pending_secret) return { kind: 'setup', secret: user.totp_pending_secret, formattedSecret: formatSecret(user.totp_pending_secret), uri: totpUri(user.totp_pending_secret, user.display_name) };
      return { kind: 'off' };
    }

    async function renderTwoFactor(request: FastifyRequest, reply: FastifyReply, errors?: FormErrors, status = 200) {
      const ctx = adminContext(request, reply);
      return sendHtml(reply, TwoFactorPage({ ctx, state: await twoFactorState(request.user!.id), errors }) as string, status);
    }

    app.get('/account/two-factor', async (request, reply) => renderTwoFactor(request, reply));

    app.post('/account/two-factor/start', { preHandler: app.csrfProtection }, async (request, reply) => {
      await startTwoFactorSetup(db, requestActor(request), request.user!.id);
      return reply.redirect(`/${(request.params as { locale: string }).locale}/admin/account/two-factor`, 303);
    });

    app.post('/account/two-factor/enable', { preHandler: app.csrfProtection }, async (request, reply) => {
      const values = formValues(request.body);
      const errors = unstorableErrors(values);
      const code = (values.code ?? '').replace(/\s+/g, '');
      if (!/^\d{6}$/.test(code)) errors.add('code', 'accounts.error.code');
      if (!errors.any) {
        try {
          await enableTwoFactor(db, requestActor(request), request.user!.id, code);
          setFlash(reply, 'accounts.twoFactor.enabled');
          return reply.redirect(`/${(request.params as { locale: string }).locale}/admin/account`, 303);
        } catch (error) {
          if (!(error instanceof WrongCodeError)) throw error;
          errors.add('code', 'accounts.twoFactor.wrongCode');
        }
      }
      return renderTwoFactor(request, reply, errors, 422);
    });

    app.post('/account/two-factor/disable', { preHandler: app.csrfProtection }, async (request, reply) => {
      const values = formValues(request.body);
      const errors = unstorableErrors(values);
      if (!values.password) errors.add('password', 'form.error.required');
      const code = (values.code ?? '').replace(/\s+/g, '');
      if (!/^\d{6}$/.test(code)) errors.add('code', 'accounts.error.code');
      if (!errors.any) {
        try {
          await disableTwoFactor(db, requestActor(request), request.user!.id, values.password ?? '', code);
          setFlash(reply, 'accounts.twoFactor.disabled');
          return reply.redirect(`/${(request.params as { locale: string }).locale}/admin/account`, 303);
        } catch (error) {
          if (error instanceof WrongPasswordError) errors.add('password', 'accounts.account.password.wrong');
          else if (error instanceof WrongCodeError) errors.add('code', 'accounts.twoFactor.wrongCode');
          else throw error;
        }
      }
      return renderTwoFactor(request, reply, errors, 422);
    });
  };
}
