import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { translator } from '../../i18n/index.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
import { FormErrors, formValues, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash, takeFlash } from '../../plugins/flash.js';
import { pageContext, sendHtml } from '../../plugins/locale.js';
import type { PageContext } from '../../ui/context.js';
import { isMailAddress } from '../mail/send.js';
import {
  confirmSubscription,
  findManagedSubscription,
  findPendingConfirmation,
  isFrequency,
  requestSubscription,
  unsubscribe,
  updateSubscription,
} from './commands.js';
import { findTopic, parseTopic } from './topics.js';
import { ConfirmPage, ManagePage, MessagePage, SubscribePage, UnsubscribePage } from './views.js';

/**
 * The subscription pages, under /{locale}: the form (`/subscriptions/new?topic=plan:3`), the
 * confirmation link (GET shows a button, POST confirms: mail scanners that follow links confirm
 * nothing) and the manage link (frequency, language, unsubscribe). None is cached: each holds a
 * CSRF token or a personal link. Addresses are never shown, not even back to their owner.
 */

const EMAIL_MAX = 254;

function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
  reply.header('x-robots-tag', 'noindex');
}

function invalidLink(reply: FastifyReply, ctx: PageContext): FastifyReply {
  return sendHtml(reply, MessagePage({ ctx, title: ctx.t('subscriptions.invalid.title'), body: ctx.t('subscriptions.invalid.body') }) as string, 410);
}

function withLocale(request: FastifyRequest, locale: Locale, extra: Partial<PageContext> = {}): PageContext {
  return { ...pageContext(request, extra), locale, t: translator(locale) };
}

export function subscriptionPublicRoutes(db: Db, publicUrl: string) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.addHook('onRequest', async (_request, reply) => noStore(reply));

    app.get('/subscriptions/new', async (request, reply) => {
      const topic = parseTopic((request.query as { topic?: unknown }).topic);
      const view = topic && (await findTopic(db, topic));
      if (!view) throw new NotFoundError();
      const ctx = pageContext(request, { csrfToken: reply.generateCsrf() });
      return sendHtml(reply, SubscribePage({ ctx, view, values: { frequency: 'immediate', locale: ctx.locale } }) as string);
    });

    app.post('/subscriptions/new', { preHandler: app.csrfProtection }, async (request, reply) => {
      const values = formValues(request.body);
      const ctx = pageContext(request);
      const topic = parseTopic(values.topic);
      const view = topic && (await findTopic(db, topic));
      if (!topic || !view) throw new NotFoundError();
      const errors = unstorableErrors(values, new FormErrors(), ['topic']);
      const email = (values.email ?? '').trim();
      if (!email) errors.add('email', 'subscriptions.error.emailRequired');
      else if (email.length > EMAIL_MAX || !isMailAddress(email)) errors.add('email', 'subscriptions.error.email');
      if (!isFrequency(values.frequency)) errors.add('frequency', 'form.error.choice');
      if (!isLocale(values.locale)) errors.add('locale', 'form.error.choice');
      if (values.consent !== 'yes') errors.add('consent', 'subscriptions.error.consent');
      const kept: FormValues = { email: values.email ?? '', frequency: values.frequency ?? '', locale: values.locale ?? '', consent: values.consent ?? '' };
      if (errors.any || !isFrequency(values.frequency) || !isLocale(values.locale)) {
        ctx.csrfToken = reply.generateCsrf();
        return sendHtml(reply, SubscribePage({ ctx, view, values: kept, errors }) as string, 422);
      }
      const result = await requestSubscription(db, { topic, email, frequency: values.frequency, locale: values.locale, clientIp: request.ip }, { publicUrl });
      if (result === 'throttled') {
        return sendHtml(reply, MessagePage({ ctx, title: ctx.t('subscriptions.throttled.title'), body: ctx.t('subscriptions.throttled.body') }) as string, 429);
      }
      // The same answer whether the address was new, unconfirmed or already subscribed.
      return reply.redirect(`/${ctx.locale}/subscriptions/sent`, 303);
    });

    app.get('/subscriptions/sent', async (request, reply) => {
      const ctx = pageContext(request);
      return sendHtml(reply, MessagePage({ ctx, title: ctx.t('subscriptions.sent.title'), body: ctx.t('subscriptions.sent.body') }) as string);
    });

    app.get('/subscriptions/confirm/:token', async (request, reply) => {
      const { token } = request.params as { token: string };
      const ctx = pageContext(request, { csrfToken: reply.generateCsrf() });
      const pending = await findPendingConfirmation(db, token);
      const view = pending && (await findTopic(db, pending.topic));
      if (!view) return invalidLink(reply, ctx);
      return sendHtml(reply, ConfirmPage({ ctx, view, token }) as string);
    });

    app.post('/subscriptions/confirm/:token', { preHandler: app.csrfProtection }, async (request, reply) => {
      const { token } = request.params as { token: string };
      const ctx = pageContext(request);
      const manage = await confirmSubscription(db, token);
      if (!manage) return invalidLink(reply, ctx);
      setFlash(reply, 'subscriptions.flash.confirmed');
      return reply.redirect(`/${ctx.locale}/subscriptions/manage/${manage}`, 303);
    });

    app.get('/subscriptions/manage/:token', async (request, reply) => {
      const { token } = request.params as { token: string };
      const ctx = pageContext(request, { csrfToken: reply.generateCsrf() });
      const subscription = await findManagedSubscription(db, token);
      if (!subscription) return invalidLink(reply, ctx);
      const flash = takeFlash(request, reply);
      if (flash) ctx.flash = ctx.t(flash);
      const view = await findTopic(db, subscription.topic);
      return sendHtml(reply, ManagePage({ ctx, view, token, confirmed: subscription.confirmed, values: { frequency: subscription.frequency, locale: subscription.locale } }) as string);
    });

    app.post('/subscriptions/manage/:token', { preHandler: app.csrfProtection }, async (request, reply) => {
      const { token } = request.params as { token: string };
      const values = formValues(request.body);
      const ctx = pageContext(request);
      const subscription = await findManagedSubscription(db, token);
      if (!subscription) return invalidLink(reply, ctx);
      const errors = unstorableErrors(values);
      if (!isFrequency(values.frequency)) errors.add('frequency', 'form.error.choice');
      if (!isLocale(values.locale)) errors.add('locale', 'form.error.choice');
      if (errors.any || !isFrequency(values.frequency) || !isLocale(values.locale)) {
        ctx.csrfToken = reply.generateCsrf();
        const view = await findTopic(db, subscription.topic);
        const kept = { frequency: values.frequency ?? '', locale: values.locale ?? '' };
        return sendHtml(reply, ManagePage({ ctx, view, token, confirmed: subscription.confirmed, values: kept, errors }) as string, 422);
      }
      await updateSubscription(db, subscription.id, { frequency: values.frequency, locale: values.locale });
      setFlash(reply, 'subscriptions.flash.saved');
      return reply.redirect(`/${values.locale}/subscriptions/manage/${token}`, 303);
    });
  };
}

/**
 * One-click unsubscribe (RFC 8058), without a language in the path (the link in List-Unsubscribe):
 * GET shows a button (in the subscriber's language); POST unsubscribes at once, with no CSRF
 * token: the token in the path is the authority, and a mail client's `List-Unsubscribe=One-Click`
 * POST carries nothing else. The answer is the same whether or not the subscription still existed.
 */
export function subscriptionUnlocalizedRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.addHook('onRequest', async (_request, reply) => noStore(reply));
    // RFC 8058 lets the client send the body as multipart/form-data; nothing in it is read.
    if (!app.hasContentTypeParser('multipart/form-data')) {
      app.addContentTypeParser('multipart/form-data', (_request, payload, done) => {
        payload.resume();
        payload.on('end', () => done(null, {}));
        payload.on('error', (error) => done(error, undefined));
      });
    }

    app.get('/subscriptions/unsubscribe/:token', async (request, reply) => {
      const { token } = request.params as { token: string };
      const subscription = await findManagedSubscription(db, token);
      if (!subscription) {
        const ctx = pageContext(request);
        return sendHtml(reply, MessagePage({ ctx, title: ctx.t('subscriptions.unsubscribed.title'), body: ctx.t('subscriptions.unsubscribed.body') }) as string);
      }
      const ctx = withLocale(request, subscription.locale);
      const view = await findTopic(db, subscription.topic);
      return sendHtml(reply, UnsubscribePage({ ctx, view, token }) as string);
    });

    app.post('/subscriptions/unsubscribe/:token', async (request, reply) => {
      const { token } = request.params as { token: string };
      const subscription = await findManagedSubscription(db, token);
      if (subscription) await unsubscribe(db, subscription.id);
      const ctx = subscription ? withLocale(request, subscription.locale) : pageContext(request);
      return sendHtml(reply, MessagePage({ ctx, title: ctx.t('subscriptions.unsubscribed.title'), body: ctx.t('subscriptions.unsubscribed.body') }) as string);
    });
  };
}
