import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { negotiateLocale, type Locale } from '../../i18n/locales.js';
import { FormErrors, formValues, unstorableErrors } from '../../lib/forms.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash, takeFlash } from '../../plugins/flash.js';
import { pageContext, requestLocale, sendHtml } from '../../plugins/locale.js';
import {
  acceptInvitation,
  completeTwoFactor,
  createFirstAdministrator,
  findInvitation,
  isChallengeValid,
  isPasswordResetValid,
  isSetupTokenValid,
  LinkInvalidError,
  PASSWORD_MAX,
  PASSWORD_MIN,
  requestPasswordReset,
  resetPassword,
  SetupClosedError,
  signIn,
} from './commands.js';
import { deleteSession, findSessionUser, SESSION_DAYS, type SessionUser } from './repository.js';
import type { Actor } from '../audit/index.js';
import { actorFor, canAccessAdmin } from './policy.js';
import { InvitationPage, LoginPage, MessagePage, ResetPasswordPage, ResetRequestPage, SetupPage, TwoFactorLoginPage } from './views.js';

export const SESSION_COOKIE = 'besa_session';
/** Holds only a random token naming the pending second sign-in step kept in the database. */
export const CHALLENGE_COOKIE = 'besa_2fa';
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** How long after its answer a reset request is carried out (plus up to as much again, at random). */
export const RESET_DELAY_MS = 50;

export interface AccountRouteOptions {
  /** The public base URL, for links in e-mails (never taken from the request's Host header). */
  publicUrl?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: SessionUser;
  }
}

export function setSessionCookie(reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: SESSION_DAYS * 86_400 });
}

const NEXT_BASE = 'http://next.invalid';

/**
 * Where to go after signing in: only a path of this site that survives URL parsing unchanged, else
 * `fallback`. No control character, space or backslash (browsers drop or turn them into a slash,
 * so `/\t/evil.example` would lead to evil.example), no scheme-relative or absolute address. What is
 * kept comes back percent-encoded by the parser, so it is plain ASCII and always a valid header.
 */
export function safeNext(next: string | undefined, fallback: string): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || /[\u0000-\u0020\u007f\\]/.test(next)) return fallback;
  try {
    const url = new URL(next, NEXT_BASE);
    const kept = url.pathname + url.search + url.hash;
    if (url.origin !== NEXT_BASE || kept.startsWith('//')) return fallback;
    // Unchanged by the parser, but for the percent-encoding of characters beyond ASCII.
    const expected = next.replace(/[^\u0000-\u007f]+/gu, (text) => encodeURIComponent(text));
    return kept === expected ? kept : fallback;
  } catch {
    return fallback;
  }
}

/** The one guard in front of everything under /{locale}/admin. */
export function adminGuard(db: Db) {
  return async function requireAdmin(request: FastifyRequest, reply: FastifyReply) {
    const token = request.cookies[SESSION_COOKIE];
    const user = token ? await findSessionUser(db, token) : undefined;
    const locale = requestLocale(request);
    if (!user) {
      return reply.redirect(`/${locale}/login?next=${encodeURIComponent(request.url)}`, 303);
    }
    // Everyone signed in may look after their own account (password, two-factor, sessions), also
    // without a role; everything else under /admin needs one.
    const ownAccount = request.routeOptions.url?.startsWith('/:locale/admin/account') ?? false;
    if (!canAccessAdmin(user) && !ownAccount) {
      const ctx = pageContext(request);
      return sendHtml(reply, MessagePage({ ctx, title: ctx.t('accounts.forbidden.title'), body: ctx.t('accounts.forbidden.body') }) as string, 403);
    }
    request.user = user;
  };
}

/**
 * `/admin` and anything under it without a language (typed by hand, or half-remembered): the
 * administration in the reader's language, whose guard then leads to sign-in and back. Mounted at the root.
 */
export async function adminWithoutLocaleRoutes(app: FastifyInstance): Promise<void> {
  const toLocalized = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('vary', 'accept-language');
    // Through the URL parser: what goes into Location is percent-encoded ASCII, always a valid header.
    const url = new URL(request.url, NEXT_BASE);
    return reply.redirect(`/${negotiateLocale(request.headers['accept-language'])}${url.pathname}${url.search}`, 302);
  };
  app.get('/admin', toLocalized);
  app.get('/admin/*', toLocalized);
}

/** Adds an error when a new password is too short or too long. */
export function checkNewPassword(errors: FormErrors, field: string, password: string): void {
  if (password.length < PASSWORD_MIN) errors.add(field, 'accounts.error.passwordShort');
  else if (password.length > PASSWORD_MAX) errors.add(field, 'form.error.tooLong', { max: PASSWORD_MAX });
}

function invalidLink(reply: FastifyReply, ctx: ReturnType<typeof pageContext>, kind: 'invitation' | 'reset'): FastifyReply {
  const page = kind === 'invitation'
    ? MessagePage({ ctx, title: ctx.t('accounts.invitation.invalid.title'), body: ctx.t('accounts.invitation.invalid.body') })
    : MessagePage({ ctx, title: ctx.t('accounts.reset.invalid.title'), body: ctx.t('accounts.reset.invalid.body') });
  return sendHtml(reply, page as string, 410);
}

/** Sign in (with its two-factor step), sign out, invitations, password reset and the setup link; mounted under /{locale}. */
export function accountRoutes(db: Db, options: AccountRouteOptions = {}) {
  const publicUrl = options.publicUrl ?? '';
  return async function routes(app: FastifyInstance) {
    app.get('/login', async (request, reply) => {
      const query = request.query as { next?: string };
      // Already signed in (the public pages' "Sign in" link is the same for everyone): straight on.
      const token = request.cookies[SESSION_COOKIE];
      const user = token ? await findSessionUser(db, token) : undefined;
      if (user) {
        const home = `/${requestLocale(request)}/admin${canAccessAdmin(user) ? '' : '/account'}`;
        return reply.redirect(safeNext(query.next, home), 303);
      }
      const ctx = pageContext(request, { csrfToken: reply.generateCsrf(), flash: undefined });
      const flash = takeFlash(request, reply);
      if (flash) ctx.flash = ctx.t(flash);
      return sendHtml(reply, LoginPage({ ctx, values: {}, next: safeNext(query.next, `/${ctx.locale}/admin`) }) as string);
    });

    // An admin address that names no page: signed out, it leads to sign-in and back like every
    // other admin address (the guard), so a bookmark or a mistyped path does not read as "no
    // administration here"; signed in, it is a 404.
    const guard = adminGuard(db);
    app.get('/admin/*', async (request, reply) => {
      await guard(request, reply);
      if (reply.sent) return reply;
      throw new NotFoundError();
    });

    app.post('/login', { preHandler: app.csrfProtection }, async (request, reply) => {
      const values = formValues(request.body);
      const ctx = pageContext(request);
      const next = safeNext(values.next, `/${ctx.locale}/admin`);
      const errors = unstorableErrors(values, undefined, ['next']);
      if (!EMAIL.test((values.email ?? '').trim())) errors.add('email', 'accounts.error.email');
      if (!values.password) errors.add('password', 'form.error.required');
      const result = errors.any ? undefined : await signIn(db, values.email ?? '', values.password ?? '', request.ip);
      if (result?.kind === 'session') {
        setSessionCookie(reply, result.token);
        return reply.redirect(next, 303);
      }
      if (result?.kind === 'two-factor') {
        reply.setCookie(CHALLENGE_COOKIE, result.challenge, { path: `/`, httpOnly: true, sameSite: 'lax', maxAge: 300 });
        return reply.redirect(`/${ctx.locale}/login/two-factor?next=${encodeURIComponent(next)}`, 303);
      }
      if (result?.kind === 'throttled') errors.add('email', 'accounts.login.throttled');
      else if (result?.kind === 'failed') errors.add('email', 'accounts.login.failed');
      ctx.csrfToken = reply.generateCsrf();
      return sendHtml(reply, LoginPage({ ctx, values: { email: values.email ?? '' }, errors, next }) as string, result?.kind === 'throttled' ? 429 : 422);
    });

    app.get('/login/two-factor', async (request, reply) => {
      const query = request.query as { next?: string };
      const ctx = pageContext(request, { csrfToken: reply.generateCsrf() });
      const challenge = request.cookies[CHALLENGE_COOKIE];
      if (!challenge || !(await isChallengeValid(db, challenge))) {
        setFlash(reply, 'accounts.twoFactor.expired');
        return reply.redirect(`/${ctx.locale}/login`, 303);
      }
      return sendHtml(reply, TwoFactorLoginPage({ ctx, next: safeNext(query.next, `/${ctx.locale}/admin`) }) as string);
    });

    app.post('/login/two-factor', { preHandler: app.csrfProtection }, async (request, reply) => {
      const values = formValues(request.body);
      const ctx = pageContext(request);
      const next = safeNext(values.next, `/${ctx.locale}/admin`);
      const challenge = request.cookies[CHALLENGE_COOKIE] ?? '';
      const errors = unstorableErrors(values, undefined, ['next']);
      const code = (values.code ?? '').replace(/\s+/g, '');
      if (!/^\d{6}$/.test(code)) errors.add('code', 'accounts.error.code');
      const result = errors.any ? undefined : await completeTwoFactor(db, challenge, code, request.ip);
      if (result?.kind === 'session') {
        reply.clearCookie(CHALLENGE_COOKIE, { path: '/' });
        setSessionCookie(reply, result.token);
        return reply.redirect(next, 303);
      }
      if (result?.kind === 'expired') {
        reply.clearCookie(CHALLENGE_COOKIE, { path: '/' });
        setFlash(reply, 'accounts.twoFactor.expired');
        return reply.redirect(`/${ctx.locale}/login`, 303);
      }
      if (result?.kind === 'throttled') errors.add('code', 'accounts.login.throttled');
      else if (result?.kind === 'failed') errors.add('code', 'accounts.twoFactor.wrongCode');
      ctx.csrfToken = reply.generateCsrf();
      return sendHtml(reply, TwoFactorLoginPage({ ctx, errors, next }) as string, result?.kind === 'throttled' ? 429 : 422);
    });

    app.post('/logout', { preHandler: app.csrfProtection }, async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deleteSession(db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      setFlash(reply, 'accounts.loggedOut');
      return reply.redirect(`/${requestLocale(request)}/login`, 303);
    });

    app.get('/setup/:token', async (request, reply) => {
      const { token } = request.params as { token: string };
      const ctx = pageContext(request, { csrfToken: reply.generateCsrf() });
      if (!(await isSetupTokenValid(db, token))) {
        return sendHtml(reply, MessagePage({ ctx, title: ctx.t('accounts.setup.invalid.title'), body: ctx.t('accounts.setup.invalid.body') }) as string, 410);
      }
      return sendHtml(reply, SetupPage({ ctx, token, values: {} }) as string);
    });

    app.post('/setup/:token', { preHandler: app.csrfProtection }, async (request, reply) => {
      const { token } = request.params as { token: string };
      const values = formValues(request.body);
      const ctx = pageContext(request);
      const errors = unstorableErrors(values);
      const displayName = (values.display_name ?? '').trim();
      if (!displayName) errors.add('display_name', 'form.error.required');
      else if (displayName.length > 120) errors.add('display_name', 'form.error.tooLong', { max: 120 });
      if (!EMAIL.test((values.email ?? '').trim()) || (values.email ?? '').length > 254) errors.add('email', 'accounts.error.email');
      checkNewPassword(errors, 'password', values.password ?? '');
      const kept = { display_name: values.display_name ?? '', email: values.email ?? '' };
      if (errors.any) {
        ctx.csrfToken = reply.generateCsrf();
        return sendHtml(reply, SetupPage({ ctx, token, values: kept, errors }) as string, 422);
      }
      try {
        const session = await createFirstAdministrator(db, token, { email: values.email ?? '', displayName, password: values.password ?? '', locale: ctx.locale });
        setSessionCookie(reply, session);
        setFlash(reply, 'accounts.setup.done');
        return reply.redirect(`/${ctx.locale}/admin`, 303);
      } catch (error) {
        if (!(error instanceof SetupClosedError)) throw error;
        return sendHtml(reply, MessagePage({ ctx, title: ctx.t('accounts.setup.invalid.title'), body: ctx.t('accounts.setup.invalid.body') }) as string, 410);
      }
    });

    app.get('/invitations/:token', async (request, reply) => {
      const { token } = request.params as { token: string };
      const ctx = pageContext(request, { csrfToken: reply.generateCsrf() });
      const invitation = await findInvitation(db, token);
      if (!invitation) return invalidLink(reply, ctx, 'invitation');
      return sendHtml(reply, InvitationPage({ ctx, token, email: invitation.email, role: invitation.role, values: { display_name: invitation.display_name ?? '' } }) as string);
    });

    app.post('/invitations/:token', { preHandler: app.csrfProtection }, async (request, reply) => {
      const { token } = request.params as { token: string };
      const values = formValues(request.body);
      const ctx = pageContext(request);
      const invitation = await findInvitation(db, token);
      if (!invitation) return invalidLink(reply, ctx, 'invitation');
      const errors = unstorableErrors(values);
      const displayName = (values.display_name ?? '').trim();
      if (!displayName) errors.add('display_name', 'form.error.required');
      else if (displayName.length > 120) errors.add('display_name', 'form.error.tooLong', { max: 120 });
      checkNewPassword(errors, 'password', values.password ?? '');
      if (errors.any) {
        ctx.csrfToken = reply.generateCsrf();
        const page = InvitationPage({ ctx, token, email: invitation.email, role: invitation.role, values: { display_name: values.display_name ?? '' }, errors });
        return sendHtml(reply, page as string, 422);
      }
      try {
        const session = await acceptInvitation(db, token, { displayName, password: values.password ?? '' });
        setSessionCookie(reply, session);
        setFlash(reply, 'accounts.invitation.done');
        return reply.redirect(`/${ctx.locale}/admin`, 303);
      } catch (error) {
        if (error instanceof LinkInvalidError) return invalidLink(reply, ctx, 'invitation');
        throw error;
      }
    });

    app.get('/password-reset', async (request, reply) => {
      const ctx = pageContext(request, { csrfToken: reply.generateCsrf() });
      return sendHtml(reply, ResetRequestPage({ ctx, values: {} }) as string);
    });

    // The reset link is made and mailed a moment after the answer has gone, for every address:
    // the answer is the same and takes the same time whether or not an account uses the address,
    // and the work for a known address does not run while that answer is still on its way.
    const resetRequests = new WeakMap<FastifyRequest, { email: string; locale: Locale }>();
    const pendingResets = new Set<Promise<void>>();
    const sendResetLink = async (request: FastifyRequest) => {
      const job = resetRequests.get(request);
      if (!job) return;
      resetRequests.delete(request);
      const done = new Promise<void>((resolve) => {
        // Kept alive (not unref'd): closing the app waits for the links already asked for.
        setTimeout(() => {
          requestPasswordReset(db, job.email, { publicUrl, locale: job.locale })
            .catch((error: unknown) => request.log.error({ err: error }, 'password reset request failed'))
            .finally(resolve);
        }, RESET_DELAY_MS + Math.random() * RESET_DELAY_MS);
      });
      pendingResets.add(done);
      void done.finally(() => pendingResets.delete(done));
    };
    // Closing waits for the links already asked for.
    app.addHook('onClose', async () => {
      await Promise.all(pendingResets);
    });

    app.post('/password-reset', { preHandler: app.csrfProtection, onResponse: sendResetLink }, async (request, reply) => {
      const values = formValues(request.body);
      const ctx = pageContext(request);
      const email = (values.email ?? '').trim();
      const errors = unstorableErrors(values);
      if (errors.any || !EMAIL.test(email) || email.length > 254) {
        errors.add('email', 'accounts.error.email');
        ctx.csrfToken = reply.generateCsrf();
        return sendHtml(reply, ResetRequestPage({ ctx, values: { email: values.email ?? '' }, errors }) as string, 422);
      }
      resetRequests.set(request, { email, locale: ctx.locale });
      // The same answer whether or not an account uses the address.
      setFlash(reply, 'accounts.reset.sent');
      return reply.redirect(`/${ctx.locale}/login`, 303);
    });

    app.get('/password-reset/:token', async (request, reply) => {
      const { token } = request.params as { token: string };
      const ctx = pageContext(request, { csrfToken: reply.generateCsrf() });
      if (!(await isPasswordResetValid(db, token))) return invalidLink(reply, ctx, 'reset');
      return sendHtml(reply, ResetPasswordPage({ ctx, token }) as string);
    });

    app.post('/password-reset/:token', { preHandler: app.csrfProtection }, async (request, reply) => {
      const { token } = request.params as { token: string };
      const values = formValues(request.body);
      const ctx = pageContext(request);
      if (!(await isPasswordResetValid(db, token))) return invalidLink(reply, ctx, 'reset');
      const errors = unstorableErrors(values);
      checkNewPassword(errors, 'password', values.password ?? '');
      if (errors.any) {
        ctx.csrfToken = reply.generateCsrf();
        return sendHtml(reply, ResetPasswordPage({ ctx, token, errors }) as string, 422);
      }
      try {
        await resetPassword(db, token, values.password ?? '');
      } catch (error) {
        if (error instanceof LinkInvalidError) return invalidLink(reply, ctx, 'reset');
        throw error;
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      setFlash(reply, 'accounts.reset.done');
      return reply.redirect(`/${ctx.locale}/login`, 303);
    });
  };
}

/**
 * The signed-in person of an admin request as the Actor of a command: their roles, which the command
 * checks, and for the history the label of their highest role on `jurisdictionId`. Only behind the admin guard.
 */
export function requestActor(request: FastifyRequest, jurisdictionId?: number | null): Actor {
  if (!request.user) throw new Error('requestActor needs a signed-in user (admin guard)');
  return actorFor(request.user, jurisdictionId);
}

/** The page context of an admin page: signed-in user, CSRF token and any flash message. */
/**
 * What adminContext took for one reply: a handler may build the context twice (a loader and the
 * route), and a second CSRF secret would not match the token already on the page, nor may the
 * flash message be taken twice.
 */
const takenForReply = new WeakMap<FastifyReply, { csrfToken: string; flash: ReturnType<typeof takeFlash> }>();

export function adminContext(request: FastifyRequest, reply: FastifyReply) {
  let taken = takenForReply.get(reply);
  if (!taken) {
    taken = { csrfToken: reply.generateCsrf(), flash: takeFlash(request, reply) };
    takenForReply.set(reply, taken);
  }
  const ctx = pageContext(request, {
    user: request.user ? { displayName: request.user.displayName, mayAccessAdmin: canAccessAdmin(request.user) } : undefined,
    csrfToken: taken.csrfToken,
  });
  if (taken.flash) ctx.flash = ctx.t(taken.flash);
  return ctx;
}
