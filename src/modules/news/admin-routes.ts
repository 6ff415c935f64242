import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../i18n/locales.js';
import { FormErrors, formValues, isIsoDate, optionalText, requireChoice, requireText, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage, resolveContentLocale } from '../../ui/admin.js';
import { adminContext, canManageContent, requestActor } from '../accounts/index.js';
import type { ModuleContext } from '../manifest.js';
import { createNewsDraft, generateNewsDraft, NewsStateError, publishNewsItem, updateNewsItem, withdrawNewsItem, type NewsInput } from './commands.js';
import { NEWS_KINDS, type NewsKind } from './domain.js';
import { listCycles, type DraftPeriod } from './draft.js';
import { canManageNews } from './policy.js';
import { findNewsItem, findNewsJurisdiction, listAllNews, type NewsItemView, type NewsJurisdiction } from './queries.js';
import { NewsAdminPage, newsAdminPath, NewsConfirmPage, NewsDraftPage, NewsFormPage } from './admin-views.js';

/**
 * News in the administration, under /{locale}/admin/jurisdictions/{j}/news: list, write (one
 * language at a time), draft from a period, publish and withdraw behind a confirmation page.
 * Every page and form asks canManageNews (administrators and coordinators of the jurisdiction).
 */

const BASE = '/jurisdictions/:jurisdiction/news';

function optionalDay(values: FormValues, errors: FormErrors, field: string): string | null {
  const v = (values[field] ?? '').trim();
  if (!v) return null;
  if (!isIsoDate(v)) {
    errors.add(field, 'form.error.date');
    return null;
  }
  return v;
}

/** Both days or neither, the first not after the second. */
function readRange(values: FormValues, errors: FormErrors, fromField: string, toField: string): { from: string | null; to: string | null } {
  const from = optionalDay(values, errors, fromField);
  const to = optionalDay(values, errors, toField);
  if (!errors.for(fromField) && !errors.for(toField)) {
    if (from && !to) errors.add(toField, 'form.error.required');
    else if (to && !from) errors.add(fromField, 'form.error.required');
    else if (from && to && to < from) errors.add(toField, 'news.error.periodOrder');
  }
  return { from, to };
}

function readNewsForm(values: FormValues, jurisdictionId: number, contentLocale: Locale): { input: NewsInput; errors: FormErrors } {
  const errors = unstorableErrors(values);
  const kind = requireChoice(values, errors, 'kind', NEWS_KINDS);
  const title = requireText(values, errors, 'title', 300);
  const summary = optionalText(values, errors, 'summary', 1000);
  const body = requireText(values, errors, 'body', 50_000);
  const { from, to } = readRange(values, errors, 'period_from', 'period_to');
  return { input: { jurisdictionId, kind, contentLocale, title, summary, body, periodFrom: from, periodTo: to }, errors };
}

function itemValues(item: NewsItemView, contentLocale: Locale): FormValues {
  return {
    kind: item.kind,
    title: item.title[contentLocale] ?? '',
    summary: item.summary[contentLocale] ?? '',
    body: item.body[contentLocale] ?? '',
    period_from: item.periodFrom ?? '',
    period_to: item.periodTo ?? '',
  };
}

export function newsAdminRoutes({ db, publicUrl }: ModuleContext) {
  async function load(request: FastifyRequest, reply: FastifyReply): Promise<{ jurisdiction: NewsJurisdiction; item?: NewsItemView } | undefined> {
    const params = request.params as { jurisdiction: string; id?: string };
    const found = await findNewsJurisdiction(db, params.jurisdiction);
    if (!found) throw new NotFoundError();
    // The role first, then the item: someone who may not manage this jurisdiction's news gets 403
    // for every id alike, so they cannot tell which drafts exist.
    if (!canManageNews(request.user, found.id)) {
      sendHtml(reply, ForbiddenPage({ ctx: adminContext(request, reply) }) as string, 403);
      return undefined;
    }
    const jurisdiction: NewsJurisdiction = { ...found, adminLink: canManageContent(request.user, found.id) };
    let item: NewsItemView | undefined;
    if (params.id !== undefined) {
      // Looked up within the jurisdiction of the URL: another jurisdiction's item is 404 here.
      if (!/^\d{1,9}$/.test(params.id)) throw new NotFoundError();
      item = await findNewsItem(db, jurisdiction.id, Number(params.id));
      if (!item) throw new NotFoundError();
    }
    return { jurisdiction, ...(item ? { item } : {}) };
  }

  function contentLocaleOf(request: FastifyRequest, reply: FastifyReply): Locale {
    const ctx = adminContext(request, reply);
    const requested = (request.query as { content?: string }).content ?? (request.body as { content_locale?: string } | undefined)?.content_locale;
    return resolveContentLocale(requested, ctx.locale);
  }

  function refused(error: unknown, reply: FastifyReply, to: string): FastifyReply {
    if (!(error instanceof NewsStateError)) throw error;
    setFlash(reply, error.key);
    return reply.redirect(to, 303);
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(BASE, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const ctx = adminContext(request, reply);
      return sendHtml(reply, NewsAdminPage({ ctx, jurisdiction: loaded.jurisdiction, items: await listAllNews(db, loaded.jurisdiction.id) }) as string);
    });

    app.get(`${BASE}/new`, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const ctx = adminContext(request, reply);
      return sendHtml(reply, NewsFormPage({ ctx, jurisdiction: loaded.jurisdiction, contentLocale: contentLocaleOf(request, reply), values: { kind: 'news' } }) as string);
    });

    app.post(`${BASE}/new`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const { jurisdiction } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = contentLocaleOf(request, reply);
      const { input, errors } = readNewsForm(values, jurisdiction.id, contentLocale);
      if (!errors.any) {
        const id = await createNewsDraft(db, requestActor(request, jurisdiction.id), input);
        setFlash(reply, 'news.flash.saved');
        return reply.redirect(`${newsAdminPath(ctx, jurisdiction.slug)}/${id}?content=${encodeURIComponent(contentLocale)}`, 303);
      }
      return sendHtml(reply, NewsFormPage({ ctx, jurisdiction, contentLocale, values, errors }) as string, 422);
    });

    app.get(`${BASE}/draft`, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const ctx = adminContext(request, reply);
      const cycles = await listCycles(db, loaded.jurisdiction.id);
      return sendHtml(reply, NewsDraftPage({ ctx, jurisdiction: loaded.jurisdiction, cycles, values: { kind: 'press_release' } }) as string);
    });

    app.post(`${BASE}/draft`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const { jurisdiction } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const cycles = await listCycles(db, jurisdiction.id);
      const errors = unstorableErrors(values);
      const kind: NewsKind = requireChoice(values, errors, 'kind', NEWS_KINDS);
      const cycleValue = (values.cycle ?? '').trim();
      const cycle = cycleValue ? cycles.find((c) => String(c.id) === cycleValue) : undefined;
      if (cycleValue && !cycle) errors.add('cycle', 'form.error.choice');
      const range = readRange(values, errors, 'from', 'to');
      let period: DraftPeriod | undefined;
      if (!errors.any) {
        if (cycle && range.from) errors.add('cycle', 'news.error.cycleOrRange');
        else if (cycle) period = { kind: 'cycle', cycleId: cycle.id };
        else if (range.from && range.to) period = { kind: 'range', from: range.from, to: range.to };
        else errors.add('cycle', 'news.error.cycleOrRange');
      }
      if (period && !errors.any) {
        const id = await generateNewsDraft(db, requestActor(request, jurisdiction.id), { jurisdiction, period, kind, publicUrl });
        setFlash(reply, 'news.flash.generated');
        return reply.redirect(`${newsAdminPath(ctx, jurisdiction.slug)}/${id}`, 303);
      }
      return sendHtml(reply, NewsDraftPage({ ctx, jurisdiction, cycles, values, errors }) as string, 422);
    });

    app.get(`${BASE}/:id`, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.item) return reply;
      const ctx = adminContext(request, reply);
      const contentLocale = contentLocaleOf(request, reply);
      return sendHtml(reply, NewsFormPage({ ctx, jurisdiction: loaded.jurisdiction, item: loaded.item, contentLocale, values: itemValues(loaded.item, contentLocale) }) as string);
    });

    app.post(`${BASE}/:id`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.item) return reply;
      const { jurisdiction, item } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = contentLocaleOf(request, reply);
      const to = `${newsAdminPath(ctx, jurisdiction.slug)}/${item.id}?content=${encodeURIComponent(contentLocale)}`;
      const { input, errors } = readNewsForm(values, jurisdiction.id, contentLocale);
      if (!errors.any) {
        try {
          await updateNewsItem(db, requestActor(request, jurisdiction.id), item.id, input);
        } catch (error) {
          return refused(error, reply, to);
        }
        setFlash(reply, item.status === 'published' ? 'news.flash.corrected' : 'news.flash.saved');
        return reply.redirect(to, 303);
      }
      return sendHtml(reply, NewsFormPage({ ctx, jurisdiction, item, contentLocale, values, errors }) as string, 422);
    });

    for (const action of ['publish', 'withdraw'] as const) {
      app.get(`${BASE}/:id/${action}`, async (request, reply) => {
        const loaded = await load(request, reply);
        if (!loaded?.item) return reply;
        const ctx = adminContext(request, reply);
        const wanted = action === 'publish' ? 'draft' : 'published';
        if (loaded.item.status !== wanted) {
          setFlash(reply, action === 'publish' ? 'news.error.notDraft' : 'news.error.notPublished');
          return reply.redirect(`${newsAdminPath(ctx, loaded.jurisdiction.slug)}/${loaded.item.id}`, 303);
        }
        return sendHtml(reply, NewsConfirmPage({ ctx, jurisdiction: loaded.jurisdiction, item: loaded.item, action }) as string);
      });

      app.post(`${BASE}/:id/${action}`, { preHandler: app.csrfProtection }, async (request, reply) => {
        const loaded = await load(request, reply);
        if (!loaded?.item) return reply;
        const ctx = adminContext(request, reply);
        const to = `${newsAdminPath(ctx, loaded.jurisdiction.slug)}/${loaded.item.id}`;
        try {
          await (action === 'publish' ? publishNewsItem : withdrawNewsItem)(db, requestActor(request, loaded.jurisdiction.id), loaded.item.id);
        } catch (error) {
          return refused(error, reply, to);
        }
        setFlash(reply, action === 'publish' ? 'news.flash.published' : 'news.flash.withdrawn');
        return reply.redirect(to, 303);
      });
    }
  };
}
