import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { FormErrors, formValues } from '../../lib/forms.js';
import { setFlash, takeFlash } from '../../plugins/flash.js';
import { pageContext, requestLocale, sendHtml } from '../../plugins/locale.js';
import { createFirstAdministrator, isSetupTokenValid, SetupClosedError, signIn } from './commands.js';
import { deleteSession, findSessionUser, SESSION_DAYS, type SessionUser } from './repository.js';
import { canAccessAdmin } from './policy.js';
import { LoginPage, MessagePage, SetupPage } from './views.js';

export const SESSION_COOKIE = 'besa_session';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

declare module 'fastify' {
  interface FastifyRequest {
    user?: SessionUser;
  }
}

function setSessionCookie(reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: SESSION_DAYS * 86_400 });
}

/** Only local paths, so a crafted `next` cannot send someone elsewhere. */
function safeNext(next: string | undefined, fallback: string): string {
  return next && /^\/[^/\\]/.test(next) ? next : fallback;
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
    if (!canAccessAdmin(user)) {
      const ctx = pageContext(request);
      return sendHtml(reply, MessagePage({ ctx, title: ctx.t('accounts.forbidden.title'), body: ctx.t('accounts.forbidden.body') }) as string, 403);
    }
    request.user = user;
  };
}

/** Sign in, sign out and the one-time setup link; mounted under /{locale}. */
export function accountRoutes(db: Db) {
  return async function routes(app: FastifyInstance) {
    app.get('/login', async (request, reply) => {
      const query = request.query as { next?: string };
      const ctx = pageContext(request, { csrfToken: reply.generateCsrf(), flash: undefined });
      const flash = takeFlash(request, reply);
      if (flash) ctx.flash = ctx.t(flash);
      return sendHtml(reply, LoginPage({ ctx, values: {}, next: safeNext(query.next, `/${ctx.locale}/admin`) }) as string);
    });

    app.post('/login', { preHandler: app.csrfProtection }, async (request, reply) => {
      const values = formValues(request.body);
      const ctx = pageContext(request);
      const next = safeNext(values.next, `/${ctx.locale}/admin`);
      const errors = new FormErrors();
      if (!EMAIL.test(values.email ?? '')) errors.add('email', 'accounts.error.email');
      if (!values.password) errors.add('password', 'form.error.required');
      const token = errors.any ? undefined : await signIn(db, values.email ?? '', values.password ?? '');
      if (!token) {
        if (!errors.any) errors.add('email', 'accounts.login.failed');
        ctx.csrfToken = reply.generateCsrf();
        return sendHtml(reply, LoginPage({ ctx, values: { email: values.email ?? '' }, errors, next }) as string, 422);
      }
      setSessionCookie(reply, token);
      return reply.redirect(next, 303);
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
      const errors = new FormErrors();
      const displayName = (values.display_name ?? '').trim();
      if (!displayName) errors.add('display_name', 'form.error.required');
      else if (displayName.length > 120) errors.add('display_name', 'form.error.tooLong', { max: 120 });
      if (!EMAIL.test((values.email ?? '').trim()) || (values.email ?? '').length > 254) errors.add('email', 'accounts.error.email');
      if ((values.password ?? '').length < 12) errors.add('password', 'accounts.error.passwordShort');
      else if ((values.password ?? '').length > 1000) errors.add('password', 'form.error.tooLong', { max: 1000 });
      const kept = { display_name: values.display_name ?? '', email: values.email ?? '' };
      if (errors.any) {
        ctx.csrfToken = reply.generateCsrf();
        return sendHtml(reply, SetupPage({ ctx, token, values: kept, errors }) as string, 422);
      }
      try {
        const session = await createFirstAdministrator(db, token, { email: values.email ?? '', displayName, password: values.password ?? '' });
        setSessionCookie(reply, session);
        setFlash(reply, 'accounts.setup.done');
        return reply.redirect(`/${ctx.locale}/admin`, 303);
      } catch (error) {
        if (!(error instanceof SetupClosedError)) throw error;
        return sendHtml(reply, MessagePage({ ctx, title: ctx.t('accounts.setup.invalid.title'), body: ctx.t('accounts.setup.invalid.body') }) as string, 410);
      }
    });
  };
}

/** The page context of an admin page: signed-in user, CSRF token and any flash message. */
export function adminContext(request: FastifyRequest, reply: FastifyReply) {
  const ctx = pageContext(request, {
    user: request.user ? { displayName: request.user.displayName } : undefined,
    csrfToken: reply.generateCsrf(),
  });
  const flash = takeFlash(request, reply);
  if (flash) ctx.flash = ctx.t(flash);
  return ctx;
}
