import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { dayIn } from '../../i18n/index.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
import { formValues, unstorableErrors, type FormErrors, type FormValues } from '../../lib/forms.js';
import { parseTranslatable } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage, resolveContentLocale } from '../../ui/admin.js';
import type { PageContext } from '../../ui/context.js';
import { adminContext, canManageContent, requestActor } from '../accounts/index.js';
import { findConsultation } from './consultation-queries.js';
import { canModerateContributions, canRespondToContributions } from './moderation-policy.js';
import { publishResponseTable, ResponseInputError, ResponsesIncompleteError, ResponseTableNotReadyError, saveContributionResponse } from './response-commands.js';
import { responseTableCsv } from './response-csv.js';
import { answerable, countAnswered, findResponseRow, listResponseRows, listShapeChoices, publicResponseRow, publishBlock, type PublishBlock, type ResponseRow } from './response-queries.js';
import { PublishResponsesPage, ResponseFormPage, ResponsesAdminPage, type ResponsesScope } from './response-views.js';
import { responsesAdminPath } from './moderation-views.js';
import { pdb } from './tables.js';

export { moderationAdminRoutes } from './moderation-routes.js';

/**
 * The reasoned responses' pages. Admin pass, under /{locale}/admin/jurisdictions/{j}/consultations/{slug}/responses
 * (canRespondToContributions: the jurisdiction's administrators and coordinators): the list, one
 * form per contribution, publishing the table behind a confirmation. Content pass: the table's CSV,
 * /{locale}/{j}/consultations/{slug}/responses.csv, once the table is published.
 */

const BASE = '/jurisdictions/:jurisdiction/consultations/:slug/responses';

interface Params {
  jurisdiction: string;
  slug: string;
  id?: string;
}

async function loadScope(db: Db, request: FastifyRequest, reply: FastifyReply, ctx: PageContext): Promise<ResponsesScope | undefined> {
  const params = request.params as Params;
  const jurisdiction = await pdb(db).selectFrom('jurisdictions').select(['id', 'slug', 'name']).where('slug', '=', params.jurisdiction).executeTakeFirst();
  if (!jurisdiction) throw new NotFoundError();
  if (!canRespondToContributions(request.user, jurisdiction.id)) {
    sendHtml(reply, ForbiddenPage({ ctx }) as string, 403);
    return undefined;
  }
  const consultation = await findConsultation(db, jurisdiction.slug, params.slug);
  if (!consultation) throw new NotFoundError();
  return {
    jurisdiction: { id: jurisdiction.id, slug: jurisdiction.slug, name: parseTranslatable(jurisdiction.name) },
    consultation,
    canOpenJurisdiction: canManageContent(request.user, jurisdiction.id),
    canModerate: canModerateContributions(request.user, jurisdiction.id),
  };
}

async function loadRow(db: Db, scope: ResponsesScope, id: string | undefined): Promise<ResponseRow> {
  const row = id && /^\d{1,9}$/.test(id) ? await findResponseRow(db, scope.consultation.id, Number(id)) : undefined;
  if (!row) throw new NotFoundError();
  return row;
}

function contentLocaleOf(request: FastifyRequest, ctx: PageContext): Locale {
  const fromBody = (request.body as Record<string, unknown> | undefined)?.content;
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.content;
  return resolveContentLocale(fromBody, resolveContentLocale(fromQuery, ctx.locale));
}

function storedValues(row: ResponseRow, locale: Locale): FormValues {
  if (!row.response) return {};
  const shaped = row.response.milestoneId !== null ? `m:${row.response.milestoneId}` : row.response.commitmentId !== null ? `c:${row.response.commitmentId}` : '';
  return { outcome: row.response.outcome, reasons: row.response.reasons[locale] ?? '', shaped };
}

export function responseAdminRoutes(db: Db, publicUrl: string) {
  return async function routes(app: FastifyInstance): Promise<void> {
    async function renderForm(reply: FastifyReply, ctx: PageContext, scope: ResponsesScope, row: ResponseRow, values: FormValues, contentLocale: Locale, errors?: FormErrors) {
      const choices = await listShapeChoices(db, scope.consultation);
      return sendHtml(reply, ResponseFormPage({ ctx, scope, row, choices, values, contentLocale, errors }) as string, errors ? 422 : 200);
    }

    app.get(BASE, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const rows = await listResponseRows(db, scope.consultation.id);
      const today = dayIn(new Date().toISOString(), scope.consultation.timeZone);
      const block = await publishBlock(db, scope.consultation, today);
      return sendHtml(reply, ResponsesAdminPage({ ctx, scope, rows, today, block }) as string);
    });

    // Publishing asks for confirmation first; with `confirm=yes` it publishes, or says why it cannot.
    app.post(`${BASE}/publish`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const c = scope.consultation;
      const back = responsesAdminPath(ctx.locale, scope.jurisdiction.slug, c.slug);
      if (c.respondedAt) return reply.redirect(back, 303);
      const counts = await countAnswered(db, c.id);
      const page = async (status: number, block: PublishBlock | undefined) => {
        const withAddress = Number(
          (
            await pdb(db)
              .selectFrom('contributions')
              .select((eb) => eb.fn.countAll<number | string>().as('n'))
              .where('consultation_id', '=', c.id)
              .where(answerable('contributions'))
              .where('email', 'is not', null)
              .executeTakeFirst()
          )?.n ?? 0,
        );
        const shown = block?.reason === 'incomplete' ? block : counts;
        return sendHtml(reply, PublishResponsesPage({ ctx, scope, answered: shown.answered, total: shown.total, withAddress, block }) as string, status);
      };
      // Refused while the consultation is a draft, not closed yet, has contributions waiting for a moderator, or unanswered ones: nothing is set.
      const block = await publishBlock(db, c, dayIn(new Date().toISOString(), c.timeZone));
      if (formValues(request.body).confirm !== 'yes') return page(200, block);
      if (block) return page(422, block);
      try {
        await publishResponseTable(db, requestActor(request, scope.jurisdiction.id), { consultationId: c.id }, publicUrl);
      } catch (error) {
        if (error instanceof ResponsesIncompleteError) return page(422, { reason: 'incomplete', answered: error.answered, total: error.total });
        if (error instanceof ResponseTableNotReadyError) return page(422, error.block);
        throw error;
      }
      setFlash(reply, 'responses.flash.published');
      return reply.redirect(back, 303);
    });

    app.get(`${BASE}/:id`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const row = await loadRow(db, scope, (request.params as Params).id);
      const contentLocale = contentLocaleOf(request, ctx);
      return renderForm(reply, ctx, scope, row, storedValues(row, contentLocale), contentLocale);
    });

    app.post(`${BASE}/:id`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const row = await loadRow(db, scope, (request.params as Params).id);
      const contentLocale = contentLocaleOf(request, ctx);
      const values = formValues(request.body);
      try {
        await saveContributionResponse(
          db,
          requestActor(request, scope.jurisdiction.id),
          {
            consultationId: scope.consultation.id,
            contributionId: row.contributionId,
            formErrors: unstorableErrors(values, undefined, ['content', 'confirm']),
            outcome: (values.outcome ?? '').trim(),
            locale: contentLocale,
            reasons: values.reasons ?? '',
            shaped: values.shaped ?? '',
          },
          publicUrl,
        );
      } catch (error) {
        if (!(error instanceof ResponseInputError)) throw error;
        return renderForm(reply, ctx, scope, row, values, contentLocale, error.errors);
      }
      setFlash(reply, 'responses.flash.saved');
      const back = responsesAdminPath(ctx.locale, scope.jurisdiction.slug, scope.consultation.slug);
      return reply.redirect(`${back}${contentLocale === ctx.locale ? '' : `?content=${encodeURIComponent(contentLocale)}`}#contribution-${row.contributionId}`, 303);
    });
  };
}

export function responseContentRoutes(db: Db, publicUrl = '') {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/consultations/:slug/responses.csv', async (request, reply) => {
      const { locale, jurisdiction, slug } = request.params as { locale: string; jurisdiction: string; slug: string };
      if (!isLocale(locale)) throw new NotFoundError();
      const consultation = await findConsultation(db, jurisdiction, slug);
      if (!consultation || !consultation.publishedAt || !consultation.respondedAt) throw new NotFoundError();
      const rows = (await listResponseRows(db, consultation.id)).map(publicResponseRow);
      const file = `${consultation.jurisdictionSlug}-${consultation.slug}-responses-${locale}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(responseTableCsv(rows, locale, publicUrl));
    });
  };
}
