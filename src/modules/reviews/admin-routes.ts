import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import type { MessageKey } from '../../i18n/index.js';
import { formValues, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import type { PageContext } from '../../ui/context.js';
import { adminContext, requestActor } from '../accounts/index.js';
import { ForbiddenPage } from '../../ui/admin.js';
import { addFollowUp, publishMonitoringReport, respondToRecommendation, ReviewInputError, ReviewWorkflowError, saveRecommendation, saveReview } from './commands.js';
import { RATING_NAMES } from './domain.js';
import { canOpenRecommendations, canRespondToRecommendation, canWriteReviews } from './policy.js';
import { findCycleByNumber, findRecommendation, findReport, findReview, listAdminCycles, listCycleReviews, listJurisdictionRecommendations, type ReviewView } from './queries.js';
import {
  adminMonitoringPath,
  adminRecommendationsPath,
  CONTENT_LOCALES,
  CyclePage,
  CyclesPage,
  RecommendationEditPage,
  RecommendationPage,
  RecommendationsPage,
  ReviewPage,
  type AdminScope,
} from './admin-views.js';
import { vdb } from './tables.js';

const M = '/jurisdictions/:jurisdiction/plans/:plan/monitoring';
const R = '/jurisdictions/:jurisdiction/recommendations';

interface Params {
  jurisdiction: string;
  plan: string;
  number?: string;
  code?: string;
  id?: string;
}

function forbidden(reply: FastifyReply, ctx: PageContext): FastifyReply {
  return sendHtml(reply, ForbiddenPage({ ctx }) as string, 403);
}

/** `{name}_{locale}` fields as a translatable value. */
function readTranslatable(form: FormValues, name: string): Translatable {
  const out: Translatable = {};
  for (const l of CONTENT_LOCALES) {
    const text = (form[`${name}_${l}`] ?? '').trim();
    if (text) out[l] = text;
  }
  return out;
}

function translatableValues(value: Translatable, name: string): FormValues {
  return Object.fromEntries(CONTENT_LOCALES.map((l) => [`${name}_${l}`, value[l] ?? '']));
}

async function loadJurisdiction(db: Db, slug: string) {
  const j = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
  if (!j) throw new NotFoundError();
  return { id: j.id, slug: j.slug, name: parseTranslatable(j.name) };
}

async function loadScope(db: Db, request: FastifyRequest): Promise<AdminScope> {
  const params = request.params as Params;
  const jurisdiction = await loadJurisdiction(db, params.jurisdiction);
  const plan = await db.selectFrom('action_plans').select(['id', 'slug', 'title']).where('jurisdiction_id', '=', jurisdiction.id).where('slug', '=', params.plan).executeTakeFirst();
  if (!plan) throw new NotFoundError();
  return { jurisdiction, plan: { id: plan.id, slug: plan.slug, title: parseTranslatable(plan.title) } };
}

async function loadCycle(db: Db, scope: AdminScope, number: string | undefined) {
  if (!number || !/^\d{1,4}$/.test(number)) throw new NotFoundError();
  const cycle = await findCycleByNumber(db, scope.plan.id, Number(number));
  if (!cycle) throw new NotFoundError();
  return cycle;
}

async function loadCommitment(db: Db, scope: AdminScope, code: string | undefined) {
  if (!code) throw new NotFoundError();
  const c = await db.selectFrom('commitments').select(['id', 'code', 'title']).where('action_plan_id', '=', scope.plan.id).where('code', '=', code).executeTakeFirst();
  if (!c) throw new NotFoundError();
  return { id: c.id, code: c.code, title: parseTranslatable(c.title) };
}

async function institutionsOf(db: Db, jurisdictionId: number) {
  const rows = await db.selectFrom('institutions').select(['id', 'name']).where('jurisdiction_id', '=', jurisdictionId).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: parseTranslatable(r.name) }));
}

function reviewValues(review: ReviewView | undefined): FormValues {
  if (!review) return {};
  return {
    assessment: review.assessment,
    ...Object.fromEntries(RATING_NAMES.map((n) => [n, review.ratings[n] ?? ''])),
    ...translatableValues(review.findings, 'findings'),
    links: review.links.join('\n'),
  };
}

export function reviewAdminRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- Cycles of a plan with their review counts
    app.get(M, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request);
      if (!canWriteReviews(request.user, scope.jurisdiction.id)) return forbidden(reply, ctx);
      return sendHtml(reply, CyclesPage({ ctx, scope, cycles: await listAdminCycles(db, scope.plan.id) }) as string);
    });

    // ---- One cycle: its commitments with their review status; publishing the report
    async function renderCycle(reply: FastifyReply, ctx: PageContext, scope: AdminScope, number: string | undefined, extra: { values?: FormValues; errors?: ReviewInputError['errors']; confirm?: boolean; status?: number } = {}) {
      const cycle = await loadCycle(db, scope, number);
      const commitments = await db.selectFrom('commitments').select(['id', 'code', 'title']).where('action_plan_id', '=', scope.plan.id).orderBy('position').orderBy('code').execute();
      const reviews = await listCycleReviews(db, cycle.id, false);
      const report = await findReport(db, cycle.id);
      const rows = commitments.map((c) => {
        const r = reviews.find((x) => x.commitment.id === c.id);
        return { code: c.code, title: parseTranslatable(c.title), review: r ? { assessment: r.assessment, status: r.status, recommendations: r.recommendations.length } : null };
      });
      const values = extra.values ?? translatableValues(parseTranslatable(report?.summary), 'summary');
      return sendHtml(reply, CyclePage({ ctx, scope, cycle, rows, reportStatus: report?.status ?? null, values, errors: extra.errors, confirm: extra.confirm }) as string, extra.status ?? 200);
    }

    app.get(`${M}/:number`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request);
      if (!canWriteReviews(request.user, scope.jurisdiction.id)) return forbidden(reply, ctx);
      return renderCycle(reply, ctx, scope, (request.params as Params).number);
    });

    app.post(`${M}/:number/publish`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request);
      if (!canWriteReviews(request.user, scope.jurisdiction.id)) return forbidden(reply, ctx);
      const number = (request.params as Params).number;
      const cycle = await loadCycle(db, scope, number);
      const form = formValues(request.body);
      const values = translatableValues(readTranslatable(form, 'summary'), 'summary');
      const refused = unstorableErrors(form);
      if (refused.any) return renderCycle(reply, ctx, scope, number, { values, errors: refused, status: 422 });
      const here = `${adminMonitoringPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug)}/${cycle.number}`;
      // Publishing is for good: the first POST shows what becomes public and asks to confirm.
      if (form.confirm !== 'yes') return renderCycle(reply, { ...ctx, path: here.slice(`/${ctx.locale}`.length) }, scope, number, { values, confirm: true });
      try {
        await publishMonitoringReport(db, requestActor(request, scope.jurisdiction.id), { cycleId: cycle.id, summary: readTranslatable(form, 'summary') });
        setFlash(reply, 'reviews.flash.published');
      } catch (error) {
        if (error instanceof ReviewInputError) return renderCycle(reply, ctx, scope, number, { values, errors: error.errors, confirm: true, status: 422 });
        if (!(error instanceof ReviewWorkflowError)) throw error;
        setFlash(reply, error.key as MessageKey);
      }
      return reply.redirect(here, 303);
    });

    // ---- The review of a commitment in a cycle, and its recommendations
    async function renderReview(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, extra: { values?: FormValues; errors?: ReviewInputError['errors']; recValues?: FormValues; recErrors?: ReviewInputError['errors']; status?: number } = {}) {
      const scope = await loadScope(db, request);
      const params = request.params as Params;
      const cycle = await loadCycle(db, scope, params.number);
      const commitment = await loadCommitment(db, scope, params.code);
      const row = await vdb(db).selectFrom('reviews').select('id').where('cycle_id', '=', cycle.id).where('commitment_id', '=', commitment.id).executeTakeFirst();
      const review = row ? await findReview(db, row.id) : undefined;
      const report = await findReport(db, cycle.id);
      return sendHtml(
        reply,
        ReviewPage({
          ctx,
          scope,
          cycle,
          commitment,
          review,
          reportPublished: report?.status === 'published',
          institutions: await institutionsOf(db, scope.jurisdiction.id),
          values: extra.values ?? reviewValues(review),
          errors: extra.errors,
          recValues: extra.recValues ?? {},
          recErrors: extra.recErrors,
          today: app.pageCache.today(),
        }) as string,
        extra.status ?? 200,
      );
    }

    async function authorizeWrite(request: FastifyRequest, reply: FastifyReply) {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request);
      return { ctx, scope, allowed: canWriteReviews(request.user, scope.jurisdiction.id) };
    }

    app.get(`${M}/:number/reviews/:code`, async (request, reply) => {
      const { ctx, allowed } = await authorizeWrite(request, reply);
      if (!allowed) return forbidden(reply, ctx);
      return renderReview(request, reply, ctx);
    });

    app.post(`${M}/:number/reviews/:code`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const { ctx, scope, allowed } = await authorizeWrite(request, reply);
      if (!allowed) return forbidden(reply, ctx);
      const params = request.params as Params;
      const cycle = await loadCycle(db, scope, params.number);
      const commitment = await loadCommitment(db, scope, params.code);
      const form = formValues(request.body);
      const values: FormValues = { ...form };
      const refused = unstorableErrors(form);
      if (refused.any) return renderReview(request, reply, ctx, { values, errors: refused, status: 422 });
      try {
        await saveReview(db, requestActor(request, scope.jurisdiction.id), {
          cycleId: cycle.id,
          commitmentId: commitment.id,
          assessment: (form.assessment ?? '').trim(),
          ratings: Object.fromEntries(RATING_NAMES.map((n) => [n, (form[n] ?? '').trim() || null])),
          findings: readTranslatable(form, 'findings'),
          links: (form.links ?? '').split(/\r?\n/),
        });
        setFlash(reply, 'reviews.flash.reviewSaved');
        return reply.redirect(`${adminMonitoringPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug)}/${cycle.number}/reviews/${encodeURIComponent(commitment.code)}`, 303);
      } catch (error) {
        if (!(error instanceof ReviewInputError)) throw error;
        return renderReview(request, reply, ctx, { values, errors: error.errors, status: 422 });
      }
    });

    function readRecommendation(form: FormValues) {
      const institution = (form.institution ?? '').trim();
      return { text: readTranslatable(form, 'text'), institutionId: /^\d{1,9}$/.test(institution) ? Number(institution) : null, dueOn: form.due_on ?? '', badInstitution: institution !== '' && !/^\d{1,9}$/.test(institution) };
    }

    async function reviewIdOf(scope: AdminScope, params: Params): Promise<{ reviewId: number | undefined; cycleNumber: number; code: string }> {
      const cycle = await loadCycle(db, scope, params.number);
      const commitment = await loadCommitment(db, scope, params.code);
      const row = await vdb(db).selectFrom('reviews').select('id').where('cycle_id', '=', cycle.id).where('commitment_id', '=', commitment.id).executeTakeFirst();
      return { reviewId: row?.id, cycleNumber: cycle.number, code: commitment.code };
    }

    app.post(`${M}/:number/reviews/:code/recommendations`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const { ctx, scope, allowed } = await authorizeWrite(request, reply);
      if (!allowed) return forbidden(reply, ctx);
      const { reviewId, cycleNumber, code } = await reviewIdOf(scope, request.params as Params);
      if (reviewId === undefined) throw new NotFoundError();
      const form = formValues(request.body);
      const refused = unstorableErrors(form);
      if (refused.any) return renderReview(request, reply, ctx, { recValues: form, recErrors: refused, status: 422 });
      const input = readRecommendation(form);
      try {
        await saveRecommendation(db, requestActor(request, scope.jurisdiction.id), { reviewId, text: input.text, institutionId: input.badInstitution ? -1 : input.institutionId, dueOn: input.dueOn });
        setFlash(reply, 'reviews.flash.recommendationSaved');
        return reply.redirect(`${adminMonitoringPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug)}/${cycleNumber}/reviews/${encodeURIComponent(code)}`, 303);
      } catch (error) {
        if (!(error instanceof ReviewInputError)) throw error;
        return renderReview(request, reply, ctx, { recValues: form, recErrors: error.errors, status: 422 });
      }
    });

    async function renderRecommendationEdit(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, scope: AdminScope, extra: { values?: FormValues; errors?: ReviewInputError['errors']; status?: number } = {}) {
      const params = request.params as Params;
      const { reviewId, code } = await reviewIdOf(scope, params);
      const cycle = await loadCycle(db, scope, params.number);
      const rec = params.id && /^\d{1,9}$/.test(params.id) ? await findRecommendation(db, Number(params.id)) : undefined;
      if (!rec || rec.reviewId !== reviewId) throw new NotFoundError();
      const values = extra.values ?? { ...translatableValues(rec.text, 'text'), institution: rec.institution ? String(rec.institution.id) : '', due_on: rec.dueOn ?? '' };
      const action = `${adminMonitoringPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug)}/${cycle.number}/reviews/${encodeURIComponent(code)}/recommendations/${rec.id}`;
      return sendHtml(
        reply,
        RecommendationEditPage({ ctx, scope, cycle, code, action, institutions: await institutionsOf(db, scope.jurisdiction.id), values, errors: extra.errors, published: rec.published }) as string,
        extra.status ?? 200,
      );
    }

    app.get(`${M}/:number/reviews/:code/recommendations/:id`, async (request, reply) => {
      const { ctx, scope, allowed } = await authorizeWrite(request, reply);
      if (!allowed) return forbidden(reply, ctx);
      return renderRecommendationEdit(request, reply, ctx, scope);
    });

    app.post(`${M}/:number/reviews/:code/recommendations/:id`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const { ctx, scope, allowed } = await authorizeWrite(request, reply);
      if (!allowed) return forbidden(reply, ctx);
      const params = request.params as Params;
      const { reviewId, cycleNumber, code } = await reviewIdOf(scope, params);
      const rec = params.id && /^\d{1,9}$/.test(params.id) ? await findRecommendation(db, Number(params.id)) : undefined;
      if (!rec || reviewId === undefined || rec.reviewId !== reviewId) throw new NotFoundError();
      const form = formValues(request.body);
      const refused = unstorableErrors(form);
      if (refused.any) return renderRecommendationEdit(request, reply, ctx, scope, { values: form, errors: refused, status: 422 });
      const input = readRecommendation(form);
      try {
        await saveRecommendation(db, requestActor(request, scope.jurisdiction.id), { reviewId, recommendationId: rec.id, text: input.text, institutionId: input.badInstitution ? -1 : input.institutionId, dueOn: input.dueOn });
        setFlash(reply, 'reviews.flash.recommendationSaved');
        return reply.redirect(`${adminMonitoringPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug)}/${cycleNumber}/reviews/${encodeURIComponent(code)}`, 303);
      } catch (error) {
        if (!(error instanceof ReviewInputError)) throw error;
        return renderRecommendationEdit(request, reply, ctx, scope, { values: form, errors: error.errors, status: 422 });
      }
    });

    // ---- Recommendations of a jurisdiction: the government's responses and the follow-up
    app.get(R, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const jurisdiction = await loadJurisdiction(db, (request.params as Params).jurisdiction);
      const user = request.user;
      if (!canOpenRecommendations(user, jurisdiction.id)) return forbidden(reply, ctx);
      const all = await listJurisdictionRecommendations(db, jurisdiction.id);
      const items = all
        .map((r) => ({ ...r, canRespond: canRespondToRecommendation(user, jurisdiction.id, r.institution?.id ?? null), canFollowUp: canWriteReviews(user, jurisdiction.id) }))
        // Drafts are the monitoring body's own: the government sees a recommendation once published.
        .filter((r) => r.canFollowUp || (r.canRespond && r.published));
      return sendHtml(reply, RecommendationsPage({ ctx, jurisdiction, items, today: app.pageCache.today() }) as string);
    });

    async function loadRec(request: FastifyRequest) {
      const params = request.params as Params;
      const jurisdiction = await loadJurisdiction(db, params.jurisdiction);
      const rec = params.id && /^\d{1,9}$/.test(params.id) ? await findRecommendation(db, Number(params.id)) : undefined;
      if (!rec || rec.jurisdictionId !== jurisdiction.id) throw new NotFoundError();
      const user = request.user;
      const canFollowUp = canWriteReviews(user, jurisdiction.id);
      // A draft is not shown to those who only answer (the same 404 as an unknown one).
      if (!rec.published && !canFollowUp) throw new NotFoundError();
      const mayRespond = canRespondToRecommendation(user, jurisdiction.id, rec.institution?.id ?? null);
      return { jurisdiction, rec, mayRespond, canRespond: rec.published && mayRespond, canFollowUp };
    }

    async function renderRec(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, extra: { responseValues?: FormValues; responseErrors?: ReviewInputError['errors']; followValues?: FormValues; followErrors?: ReviewInputError['errors']; status?: number } = {}) {
      const { jurisdiction, rec, canRespond, canFollowUp } = await loadRec(request);
      if (!canRespond && !canFollowUp) return forbidden(reply, ctx);
      return sendHtml(
        reply,
        RecommendationPage({
          ctx,
          jurisdiction,
          r: rec,
          canRespond,
          canFollowUp,
          responseValues: extra.responseValues ?? { response: rec.response ?? '', ...translatableValues(rec.reasons, 'reasons') },
          responseErrors: extra.responseErrors,
          followValues: extra.followValues ?? {},
          followErrors: extra.followErrors,
          today: app.pageCache.today(),
        }) as string,
        extra.status ?? 200,
      );
    }

    app.get(`${R}/:id`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      return renderRec(request, reply, ctx);
    });

    app.post(`${R}/:id/response`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const { jurisdiction, rec, mayRespond } = await loadRec(request);
      if (!mayRespond) return forbidden(reply, ctx);
      const form = formValues(request.body);
      const refused = unstorableErrors(form);
      if (refused.any) return renderRec(request, reply, ctx, { responseValues: form, responseErrors: refused, status: 422 });
      try {
        await respondToRecommendation(db, requestActor(request, jurisdiction.id), { recommendationId: rec.id, response: (form.response ?? '').trim(), reasons: readTranslatable(form, 'reasons') });
        setFlash(reply, 'reviews.flash.responseSaved');
        return reply.redirect(`${adminRecommendationsPath(ctx.locale, jurisdiction.slug)}/${rec.id}`, 303);
      } catch (error) {
        if (error instanceof ReviewWorkflowError) {
          setFlash(reply, error.key as MessageKey);
          return reply.redirect(`${adminRecommendationsPath(ctx.locale, jurisdiction.slug)}/${rec.id}`, 303);
        }
        if (!(error instanceof ReviewInputError)) throw error;
        return renderRec(request, reply, ctx, { responseValues: form, responseErrors: error.errors, status: 422 });
      }
    });

    app.post(`${R}/:id/follow-ups`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const { jurisdiction, rec, canFollowUp } = await loadRec(request);
      if (!canFollowUp) return forbidden(reply, ctx);
      const form = formValues(request.body);
      const refused = unstorableErrors(form);
      if (refused.any) return renderRec(request, reply, ctx, { followValues: form, followErrors: refused, status: 422 });
      try {
        await addFollowUp(db, requestActor(request, jurisdiction.id), { recommendationId: rec.id, note: readTranslatable(form, 'note'), status: (form.status ?? '').trim() });
        setFlash(reply, 'reviews.flash.followUpSaved');
        return reply.redirect(`${adminRecommendationsPath(ctx.locale, jurisdiction.slug)}/${rec.id}`, 303);
      } catch (error) {
        if (!(error instanceof ReviewInputError)) throw error;
        return renderRec(request, reply, ctx, { followValues: form, followErrors: error.errors, status: 422 });
      }
    });
  };
}
