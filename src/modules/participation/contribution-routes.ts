import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { dayIn } from '../../i18n/index.js';
import { FormErrors, formValues, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext, sendHtml } from '../../plugins/locale.js';
import type { PageContext } from '../../ui/context.js';
import { findBrand } from '../jurisdictions/brand.js';
import {
  confirmContribution,
  ContributionClosedError,
  ContributionInputError,
  findConfirmation,
  findFlaggable,
  findReplyParent,
  flagContribution,
  MAX_DEPTH,
  submitContribution,
  type ContributionKind,
} from './contribution-commands.js';
import { RateLimitedError } from './contribution-limits.js';
import { closedParagraph, ConfirmPage, ContributeFormPage, contributePath, ErasePage, flagPath, FlagFormPage, NoticePage, privacyNoticePath, type QuotedRow } from './contribution-views.js';
import { consultationPath, consultationStatus, findConsultation, type ConsultationView } from './consultation-queries.js';
import { eraseByLink } from './privacy-erase.js';
import { CONFIRM_HOURS, findErasureLink } from './privacy.js';
import { pdb } from './tables.js';

/**
 * The pages of a member of the public, none cached (each carries a CSRF token or a person's result):
 * under a consultation (content pass) the contribution form (`?kind=proposal`, `?reply={id}`), "check
 * your e-mail", the flag form and its thanks, the page after confirming; at fixed paths (public pass)
 * the confirmation link `/contributions/confirm/:token` and the erasure link `/privacy/erase/:token`
 * (GET explains, a POST with CSRF acts: mail scanners that open links change nothing). The `:token`
 * parameters are written as [token] in the request log.
 */

const BASE = '/:jurisdiction/consultations/:slug';

interface Params {
  jurisdiction: string;
  slug: string;
  id?: string;
  token?: string;
}

function positiveId(value: unknown): number | undefined {
  return typeof value === 'string' && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : undefined;
}

/**
 * The published consultation of the path (else a 404) and the page context with its portal; with
 * `brand: false` the portal is read only when a page is rendered (`withBrand`): a POST that ends in
 * a redirect does not read it.
 */
async function loadConsultation(db: Db, request: FastifyRequest, options: { brand?: boolean } = {}): Promise<{ consultation: ConsultationView; ctx: PageContext }> {
  const params = request.params as Params;
  const consultation = await findConsultation(db, params.jurisdiction, params.slug);
  if (!consultation || !consultation.publishedAt) throw new NotFoundError();
  const brand = options.brand === false ? undefined : await findBrand(db, consultation.jurisdictionSlug);
  return { consultation, ctx: pageContext(request, { brand }) };
}

async function withBrand(db: Db, ctx: PageContext, consultation: ConsultationView): Promise<PageContext> {
  ctx.brand ??= await findBrand(db, consultation.jurisdictionSlug);
  return ctx;
}

async function quotedRow(db: Db, id: number): Promise<QuotedRow | undefined> {
  const row = await pdb(db).selectFrom('contributions').select(['id', 'author_name', 'body', 'published_at']).where('id', '=', id).executeTakeFirst();
  return row ? { id: row.id, authorName: row.author_name, body: row.body, publishedAt: row.published_at } : undefined;
}

function statusOf(consultation: ConsultationView, now = new Date()) {
  return consultationStatus(consultation, dayIn(now.toISOString(), consultation.timeZone));
}

function closedPage(reply: FastifyReply, ctx: PageContext, consultation: ConsultationView, status: number, kept?: string): FastifyReply {
  const page = NoticePage({
    kept,
    ctx,
    title: ctx.t('contribution.closed.title'),
    paragraphs: [closedParagraph(ctx, consultation, statusOf(consultation))],
    links: [{ href: consultationPath(ctx.locale, consultation.jurisdictionSlug, consultation.slug), label: ctx.t('contribution.backShort') }],
    demo: consultation.isDemo,
  });
  return sendHtml(reply, page as string, status);
}

function noReplyPage(reply: FastifyReply, ctx: PageContext, consultation: ConsultationView): FastifyReply {
  const page = NoticePage({
    ctx,
    title: ctx.t('contribution.noReply.title'),
    paragraphs: [ctx.t('contribution.noReply.body', { levels: MAX_DEPTH + 1 })],
    links: [{ href: consultationPath(ctx.locale, consultation.jurisdictionSlug, consultation.slug), label: ctx.t('contribution.backShort') }],
    demo: consultation.isDemo,
  });
  return sendHtml(reply, page as string, 404);
}

/** A confirmation link that adds nothing: expired or used, or the consultation's responses are already published. */
function invalidConfirmation(reply: FastifyReply, ctx: PageContext, reason?: 'responded'): FastifyReply {
  const page =
    reason === 'responded'
      ? NoticePage({ ctx, title: ctx.t('contribution.confirm.responded.title'), paragraphs: [ctx.t('contribution.confirm.responded.body')] })
      : NoticePage({ ctx, title: ctx.t('contribution.confirm.invalid.title'), paragraphs: [ctx.t('contribution.confirm.invalid.body', { hours: CONFIRM_HOURS })] });
  return sendHtml(reply, page as string, 410);
}

export function contributionContentRoutes(db: Db, publicUrl: string) {
  return async function routes(app: FastifyInstance): Promise<void> {
    /** The kind and the reply's parent a request asks for, or a page already sent. */
    async function formTarget(reply: FastifyReply, consultation: ConsultationView, ctx: PageContext, source: Record<string, unknown>) {
      const replyTo = source.reply === undefined || source.reply === '' ? undefined : positiveId(source.reply);
      if (source.reply !== undefined && source.reply !== '' && replyTo === undefined) return { sent: noReplyPage(reply, await withBrand(db, ctx, consultation), consultation) };
      if (replyTo !== undefined) {
        const parent = await findReplyParent(db, consultation.id, replyTo);
        const quoted = parent ? await quotedRow(db, parent.id) : undefined;
        if (!quoted) return { sent: noReplyPage(reply, await withBrand(db, ctx, consultation), consultation) };
        return { kind: 'comment' as ContributionKind, parent: quoted };
      }
      const kind: ContributionKind = source.kind === 'proposal' && consultation.allowsProposals ? 'proposal' : 'comment';
      return { kind, parent: undefined };
    }

    app.get(`${BASE}/contribute`, async (request, reply) => {
      const { consultation, ctx } = await loadConsultation(db, request);
      if (statusOf(consultation) !== 'open') return closedPage(reply, ctx, consultation, 200);
      const target = await formTarget(reply, consultation, ctx, request.query as Record<string, unknown>);
      if ('sent' in target) return target.sent;
      ctx.csrfToken = reply.generateCsrf();
      return sendHtml(reply, ContributeFormPage({ ctx, consultation, kind: target.kind, parent: target.parent, values: {} }) as string);
    });

    app.post(`${BASE}/contribute`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const { consultation, ctx } = await loadConsultation(db, request, { brand: false });
      const values = formValues(request.body);
      if (statusOf(consultation) !== 'open') return closedPage(reply, await withBrand(db, ctx, consultation), consultation, 409, values.body?.trim());
      const target = await formTarget(reply, consultation, ctx, { ...values, ...(request.query as Record<string, unknown>) });
      if ('sent' in target) return target.sent;
      const page = () => withBrand(db, ctx, consultation);
      const sent = contributePath(ctx.locale, consultation, '/sent');
      // The honeypot: a robot that fills every field gets the same answer, and nothing is stored.
      if ((values.website ?? '') !== '') return reply.redirect(sent, 303);
      const kept: FormValues = {
        author_name: values.author_name ?? '',
        email: values.email ?? '',
        theme: values.theme ?? '',
        ogp_value: values.ogp_value ?? '',
        body: values.body ?? '',
        consent: values.consent === 'yes' ? 'yes' : '',
      };
      const render = async (status: number, errors?: FormErrors, limited?: boolean) => {
        await page();
        ctx.csrfToken = reply.generateCsrf();
        return sendHtml(reply, ContributeFormPage({ ctx, consultation, kind: target.kind, parent: target.parent, values: kept, errors, limited }) as string, status);
      };
      try {
        await submitContribution(
          db,
          {
            consultationId: consultation.id,
            parentId: target.parent?.id ?? null,
            kind: target.kind,
            authorName: kept.author_name!,
            email: kept.email!,
            body: kept.body!,
            theme: kept.theme!,
            ogpValue: kept.ogp_value!,
            consent: kept.consent === 'yes',
            locale: ctx.locale,
            formErrors: unstorableErrors(values, new FormErrors(), ['kind', 'reply', 'website', '_csrf']),
          },
          { publicUrl, ip: request.ip, consultation },
        );
      } catch (error) {
        if (error instanceof ContributionInputError) return render(422, error.errors);
        if (error instanceof RateLimitedError) return render(429, undefined, true);
        if (error instanceof ContributionClosedError) return target.parent ? noReplyPage(reply, await page(), consultation) : closedPage(reply, await page(), consultation, 409, kept.body?.trim());
        throw error;
      }
      return reply.redirect(sent, 303);
    });

    app.get(`${BASE}/contribute/sent`, async (request, reply) => {
      const { consultation, ctx } = await loadConsultation(db, request);
      const page = NoticePage({
        ctx,
        title: ctx.t('contribution.sent.title'),
        paragraphs: [ctx.t('contribution.sent.body', { hours: CONFIRM_HOURS }), ctx.t('contribution.sent.spam')],
        links: [
          { href: consultationPath(ctx.locale, consultation.jurisdictionSlug, consultation.slug), label: ctx.t('contribution.backShort') },
          { href: privacyNoticePath(ctx.locale), label: ctx.t('contribution.privacyLink') },
        ],
        demo: consultation.isDemo,
      });
      return sendHtml(reply, page as string);
    });

    async function loadFlaggable(request: FastifyRequest, consultation: ConsultationView): Promise<QuotedRow> {
      const id = positiveId((request.params as Params).id);
      const row = id === undefined ? undefined : await findFlaggable(db, consultation.id, id);
      if (!row || row.status !== 'published') throw new NotFoundError();
      return { id: row.id, authorName: row.author_name, body: row.body, publishedAt: row.published_at };
    }

    app.get(`${BASE}/contributions/:id/flag`, async (request, reply) => {
      const { consultation, ctx } = await loadConsultation(db, request);
      const quoted = await loadFlaggable(request, consultation);
      ctx.csrfToken = reply.generateCsrf();
      return sendHtml(reply, FlagFormPage({ ctx, consultation, quoted, values: {} }) as string);
    });

    app.post(`${BASE}/contributions/:id/flag`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const { consultation, ctx } = await loadConsultation(db, request);
      const quoted = await loadFlaggable(request, consultation);
      const values = formValues(request.body);
      const kept = { reason: values.reason ?? '', details: values.details ?? '' };
      const render = (status: number, errors?: FormErrors, limited?: boolean) => {
        ctx.csrfToken = reply.generateCsrf();
        return sendHtml(reply, FlagFormPage({ ctx, consultation, quoted, values: kept, errors, limited }) as string, status);
      };
      try {
        await flagContribution(
          db,
          { contributionId: quoted.id, consultationId: consultation.id, reason: kept.reason.trim(), details: kept.details, ip: request.ip, formErrors: unstorableErrors(values, new FormErrors(), ['_csrf']) },
          publicUrl,
        );
      } catch (error) {
        if (error instanceof ContributionInputError) return render(422, error.errors);
        if (error instanceof RateLimitedError) return render(429, undefined, true);
        if (error instanceof ContributionClosedError) throw new NotFoundError();
        throw error;
      }
      return reply.redirect(`${flagPath(ctx.locale, consultation, quoted.id)}/sent`, 303);
    });

    app.get(`${BASE}/contributions/:id/flag/sent`, async (request, reply) => {
      const { consultation, ctx } = await loadConsultation(db, request);
      const page = NoticePage({
        ctx,
        title: ctx.t('contribution.flag.sent.title'),
        paragraphs: [ctx.t('contribution.flag.sent.body')],
        links: [{ href: consultationPath(ctx.locale, consultation.jurisdictionSlug, consultation.slug), label: ctx.t('contribution.backShort') }],
        demo: consultation.isDemo,
      });
      return sendHtml(reply, page as string);
    });

    // After confirming: where the contribution is, or that a moderator will look at it first.
    // Where a confirmation leads: what it says comes from the redirect alone (published, or waiting
    // for a moderator), never from the contribution's row, so walking the ids tells nobody which
    // contributions exist or wait.
    app.get(`${BASE}/contributions/:id/confirmed`, async (request, reply) => {
      const { consultation, ctx } = await loadConsultation(db, request);
      const id = positiveId((request.params as Params).id);
      if (id === undefined) throw new NotFoundError();
      const waiting = (request.query as Record<string, unknown>).moderation === 'pending';
      const back = consultationPath(ctx.locale, consultation.jurisdictionSlug, consultation.slug);
      const page =
        !waiting
          ? NoticePage({ ctx, title: ctx.t('contribution.confirmed.title'), paragraphs: [ctx.t('contribution.confirmed.published')], links: [{ href: `${back}#contribution-${id}`, label: ctx.t('contribution.confirmed.see') }], demo: consultation.isDemo })
          : NoticePage({ ctx, title: ctx.t('contribution.confirmed.title'), paragraphs: [ctx.t('contribution.confirmed.pending')], links: [{ href: back, label: ctx.t('contribution.backShort') }], demo: consultation.isDemo });
      return sendHtml(reply, page as string);
    });
  };
}

export function privacyPublicRoutes(db: Db, publicUrl: string) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/contributions/confirm/:token', async (request, reply) => {
      const { token } = request.params as Params;
      const ctx = pageContext(request);
      const found = await findConfirmation(db, token ?? '');
      if (found.state === 'invalid') return invalidConfirmation(reply, ctx, found.reason);
      ctx.csrfToken = reply.generateCsrf();
      return sendHtml(reply, ConfirmPage({ ctx, action: `/${ctx.locale}/contributions/confirm/${token}` }) as string);
    });

    app.post('/contributions/confirm/:token', { preHandler: app.csrfProtection }, async (request, reply) => {
      const { token } = request.params as Params;
      const ctx = pageContext(request);
      const result = await confirmContribution(db, token ?? '', publicUrl);
      if (result.state === 'invalid') return invalidConfirmation(reply, ctx, result.reason);
      const c = result.consultation;
      const waiting = result.status === 'published' ? '' : '?moderation=pending';
      return reply.redirect(`${consultationPath(ctx.locale, c.jurisdictionSlug, c.slug)}/contributions/${result.contributionId}/confirmed${waiting}`, 303);
    });

    app.get('/privacy/erase/:token', async (request, reply) => {
      const { token } = request.params as Params;
      const ctx = pageContext(request);
      if (!(await findErasureLink(db, token ?? ''))) {
        return sendHtml(reply, NoticePage({ ctx, title: ctx.t('contribution.erase.invalid.title'), paragraphs: [ctx.t('contribution.erase.invalid.body')] }) as string, 410);
      }
      ctx.csrfToken = reply.generateCsrf();
      return sendHtml(reply, ErasePage({ ctx, action: `/${ctx.locale}/privacy/erase/${token}` }) as string);
    });

    app.post('/privacy/erase/:token', { preHandler: app.csrfProtection }, async (request, reply) => {
      const { token } = request.params as Params;
      const ctx = pageContext(request);
      const result = await eraseByLink(db, token ?? '');
      if (!result) return sendHtml(reply, NoticePage({ ctx, title: ctx.t('contribution.erase.invalid.title'), paragraphs: [ctx.t('contribution.erase.invalid.body')] }) as string, 410);
      const page = NoticePage({
        ctx,
        title: ctx.t('contribution.erase.done.title'),
        paragraphs: [ctx.t('contribution.erase.done.body', { contributions: result.anonymised + result.deleted, subscriptions: result.subscriptions })],
        links: [{ href: privacyNoticePath(ctx.locale), label: ctx.t('contribution.privacyLink') }],
      });
      return sendHtml(reply, page as string);
    });
  };
}

