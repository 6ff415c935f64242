import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { dayIn, todayIn } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { formList, formValues, unstorableErrors, type FormErrors, type FormValues } from '../../lib/forms.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { pageContext, sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage, localesWithText, resolveContentLocale } from '../../ui/admin.js';
import type { PageContext } from '../../ui/context.js';
import { adminContext, canManageContent, requestActor } from '../accounts/index.js';
import { findBrand } from '../jurisdictions/brand.js';
import { loadContributionThread } from './contribution-section.js';
import {
  addConsultationDocument,
  ConsultationInputError,
  CONSULTATION_TEXT_FIELDS,
  createConsultation,
  publishConsultation,
  recordConsultationOutcome,
  removeConsultationDocument,
  setMinimumNotice,
  updateConsultation,
  type ConsultationInput,
} from './consultation-commands.js';
import { canManageConsultations } from './consultation-policy.js';
import {
  byPublicOrder,
  countContributions,
  findConsultation,
  findConsultationJurisdiction,
  findMinimumNotice,
  findSubject,
  listConsultationDocuments,
  listConsultations,
  listSubjectChoices,
  type ConsultationView,
} from './consultation-queries.js';
import { adminConsultationPath, adminConsultationsPath, ConsultationFormPage, ConsultationsAdminPage, OutcomeFormPage, PublishConsultationPage, withContent, type AdminScope } from './consultation-admin-views.js';
import { ConsultationPage, ConsultationsPage } from './consultation-views.js';
import { loadResponseTable } from './response-section.js';

/**
 * Public pages (content pass, page-cached: the same for every visitor, no form with a CSRF token):
 * /{locale}/{jurisdiction}/consultations and /{locale}/{jurisdiction}/consultations/{slug}. A draft
 * is not found publicly.
 */
export function consultationPublicRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/consultations', (request, reply) => {
      const params = request.params as { jurisdiction: string };
      return app.pageCache.serve(request, reply, async ({ today: cacheDay }) => {
        const jurisdiction = await findConsultationJurisdiction(db, params.jurisdiction);
        if (!jurisdiction) throw new NotFoundError();
        const today = todayIn(jurisdiction.timeZone, cacheDay);
        const list = byPublicOrder(await listConsultations(db, jurisdiction.id, { publishedOnly: true }), today);
        const [counts, brand] = await Promise.all([countContributions(db, list.map((c) => c.id)), findBrand(db, jurisdiction.slug)]);
        const published = new Map([...counts].map(([id, n]) => [id, n.published]));
        return ConsultationsPage({ ctx: pageContext(request, { brand }), jurisdiction, consultations: list, counts: published, today }) as string;
      });
    });

    app.get('/:jurisdiction/consultations/:consultation', (request, reply) => {
      const params = request.params as { jurisdiction: string; consultation: string };
      return app.pageCache.serve(request, reply, async ({ today: cacheDay }) => {
        const jurisdiction = await findConsultationJurisdiction(db, params.jurisdiction);
        if (!jurisdiction) throw new NotFoundError();
        const consultation = await findConsultation(db, jurisdiction.slug, params.consultation);
        if (!consultation || !consultation.publishedAt) throw new NotFoundError();
        const [documents, subject, minimumNotice, thread, responses, brand] = await Promise.all([
          listConsultationDocuments(db, consultation.id),
          findSubject(db, consultation),
          findMinimumNotice(db, jurisdiction.id),
          loadContributionThread(db, consultation),
          loadResponseTable(db, consultation),
          findBrand(db, jurisdiction.slug),
        ]);
        return ConsultationPage({
          ctx: pageContext(request, { brand }),
          jurisdiction,
          consultation,
          documents,
          subject,
          minimumNotice,
          thread,
          responses,
          today: todayIn(jurisdiction.timeZone, cacheDay),
        }) as string;
      });
    });
  };
}

// ---------------------------------------------------------------------------------------------
// Administration, under /{locale}/admin/jurisdictions/{j}/consultations (canManageConsultations).

const BASE = '/jurisdictions/:jurisdiction/consultations';

interface Params {
  jurisdiction: string;
  consultation?: string;
  document?: string;
}

function contentLocaleOf(request: FastifyRequest, ctx: PageContext): Locale {
  const fromBody = (request.body as Record<string, unknown> | undefined)?.content;
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.content;
  return resolveContentLocale(fromBody, resolveContentLocale(fromQuery, ctx.locale));
}

async function loadScope(db: Db, request: FastifyRequest, reply: FastifyReply, ctx: PageContext): Promise<AdminScope | undefined> {
  const jurisdiction = await findConsultationJurisdiction(db, (request.params as Params).jurisdiction);
  if (!jurisdiction) throw new NotFoundError();
  if (!canManageConsultations(request.user, jurisdiction.id)) {
    sendHtml(reply, ForbiddenPage({ ctx }) as string, 403);
    return undefined;
  }
  return { jurisdiction, canOpenJurisdiction: canManageContent(request.user, jurisdiction.id) };
}

async function loadConsultation(db: Db, scope: AdminScope, slug: string | undefined): Promise<ConsultationView> {
  const c = slug ? await findConsultation(db, scope.jurisdiction.slug, slug) : undefined;
  if (!c) throw new NotFoundError();
  return c;
}

function today(scope: AdminScope): string {
  return dayIn(new Date().toISOString(), scope.jurisdiction.timeZone);
}

/** An optional whole number: '' is null, anything else not an integer is NaN (refused by the command). */
function optionalNumber(value: string | undefined): number | null {
  const v = (value ?? '').trim();
  if (v === '') return null;
  return /^-?\d{1,9}$/.test(v) ? Number(v) : Number.NaN;
}

function optionalId(value: string | undefined): number | null {
  const v = (value ?? '').trim();
  return v === '' ? null : /^\d{1,9}$/.test(v) ? Number(v) : -1;
}

function readForm(body: unknown, locale: Locale) {
  const values = formValues(body);
  const allowsProposals = formList(body, 'allows_proposals').includes('yes');
  const threshold = optionalNumber(values.flag_threshold);
  const input: ConsultationInput = {
    formErrors: unstorableErrors(values),
    slug: (values.slug ?? '').trim(),
    locale,
    texts: Object.fromEntries(CONSULTATION_TEXT_FIELDS.map((f) => [f, values[f] ?? ''])),
    subject: (values.subject ?? '').trim(),
    planId: optionalId(values.plan_id),
    commitmentId: optionalId(values.commitment_id),
    opensOn: (values.opens_on ?? '').trim(),
    closesOn: (values.closes_on ?? '').trim(),
    moderation: (values.moderation ?? '').trim(),
    flagThreshold: threshold === null ? Number.NaN : threshold,
    allowsProposals,
    groupsConsulted: optionalNumber(values.groups_consulted),
    publicMeetings: optionalNumber(values.public_meetings),
  };
  return { input, values, allowsProposals };
}

function storedValues(c: ConsultationView, locale: Locale): FormValues {
  return {
    slug: c.slug,
    title: c.title[locale] ?? '',
    summary: c.summary[locale] ?? '',
    body: c.body[locale] ?? '',
    subject: c.subject,
    plan_id: c.planId === null ? '' : String(c.planId),
    commitment_id: c.commitmentId === null ? '' : String(c.commitmentId),
    opens_on: c.opensOn,
    closes_on: c.closesOn,
    moderation: c.moderation,
    flag_threshold: String(c.flagThreshold),
    groups_consulted: c.groupsConsulted === null ? '' : String(c.groupsConsulted),
    public_meetings: c.publicMeetings === null ? '' : String(c.publicMeetings),
  };
}

export function consultationAdminRoutes(db: Db, _publicUrl: string) {
  return async function routes(app: FastifyInstance): Promise<void> {
    async function renderList(reply: FastifyReply, ctx: PageContext, scope: AdminScope, settings?: { values: FormValues; errors: FormErrors }): Promise<FastifyReply> {
      const list = await listConsultations(db, scope.jurisdiction.id, { publishedOnly: false });
      const [counts, minimumNotice] = await Promise.all([countContributions(db, list.map((c) => c.id)), findMinimumNotice(db, scope.jurisdiction.id)]);
      return sendHtml(
        reply,
        ConsultationsAdminPage({ ctx, scope, consultations: list, counts, minimumNotice, today: today(scope), settingsValues: settings?.values, settingsErrors: settings?.errors }) as string,
        settings ? 422 : 200,
      );
    }

    async function renderForm(
      reply: FastifyReply,
      props: {
        ctx: PageContext;
        scope: AdminScope;
        consultation?: ConsultationView;
        values: FormValues;
        allowsProposals: boolean;
        contentLocale: Locale;
        errors?: FormErrors;
        documentValues?: FormValues;
        documentErrors?: FormErrors;
      },
    ): Promise<FastifyReply> {
      const { ctx, scope, consultation: c } = props;
      const action = c ? `${adminConsultationPath(ctx.locale, scope.jurisdiction.slug, c.slug)}/edit` : `${adminConsultationsPath(ctx.locale, scope.jurisdiction.slug)}/new`;
      const [choices, minimumNotice, documents] = await Promise.all([
        listSubjectChoices(db, scope.jurisdiction.id),
        findMinimumNotice(db, scope.jurisdiction.id),
        c ? listConsultationDocuments(db, c.id) : Promise.resolve([]),
      ]);
      return sendHtml(
        reply,
        ConsultationFormPage({
          ...props,
          action,
          choices,
          minimumNotice,
          documents,
          filledLocales: c ? localesWithText(c.title, c.summary, c.body) : [],
          today: today(scope),
        }) as string,
        props.errors || props.documentErrors ? 422 : 200,
      );
    }

    // ---- The list, and the minimum notice period
    app.get(BASE, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      return renderList(reply, ctx, scope);
    });

    app.post(`${BASE}/settings`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const values = formValues(request.body);
      const n = optionalNumber(values.min_notice_days);
      try {
        await setMinimumNotice(db, requestActor(request, scope.jurisdiction.id), { jurisdictionId: scope.jurisdiction.id, days: n === null ? Number.NaN : n, formErrors: unstorableErrors(values) });
      } catch (error) {
        if (!(error instanceof ConsultationInputError)) throw error;
        return renderList(reply, ctx, scope, { values, errors: error.errors });
      }
      setFlash(reply, 'consultations.flash.settings');
      return reply.redirect(adminConsultationsPath(ctx.locale, scope.jurisdiction.slug), 303);
    });

    // ---- New consultation (a draft)
    app.get(`${BASE}/new`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      return renderForm(reply, { ctx, scope, values: { subject: 'topic', moderation: 'post', flag_threshold: '3' }, allowsProposals: true, contentLocale: contentLocaleOf(request, ctx) });
    });

    app.post(`${BASE}/new`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const contentLocale = contentLocaleOf(request, ctx);
      const form = readForm(request.body, contentLocale);
      try {
        const created = await createConsultation(db, requestActor(request, scope.jurisdiction.id), { ...form.input, jurisdictionId: scope.jurisdiction.id });
        setFlash(reply, 'consultations.flash.created');
        return reply.redirect(withContent(`${adminConsultationPath(ctx.locale, scope.jurisdiction.slug, created.slug)}/edit`, ctx, contentLocale), 303);
      } catch (error) {
        if (!(error instanceof ConsultationInputError)) throw error;
        return renderForm(reply, { ctx, scope, values: form.values, allowsProposals: form.allowsProposals, contentLocale, errors: error.errors });
      }
    });

    // ---- Edit (with its status, publish button and documents)
    app.get(`${BASE}/:consultation/edit`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const consultation = await loadConsultation(db, scope, (request.params as Params).consultation);
      const contentLocale = contentLocaleOf(request, ctx);
      return renderForm(reply, { ctx, scope, consultation, values: storedValues(consultation, contentLocale), allowsProposals: consultation.allowsProposals, contentLocale });
    });

    app.post(`${BASE}/:consultation/edit`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const consultation = await loadConsultation(db, scope, (request.params as Params).consultation);
      const contentLocale = contentLocaleOf(request, ctx);
      const form = readForm(request.body, contentLocale);
      try {
        const saved = await updateConsultation(db, requestActor(request, scope.jurisdiction.id), { ...form.input, consultationId: consultation.id });
        setFlash(reply, 'consultations.flash.updated');
        return reply.redirect(withContent(`${adminConsultationPath(ctx.locale, scope.jurisdiction.slug, saved.slug)}/edit`, ctx, contentLocale), 303);
      } catch (error) {
        if (!(error instanceof ConsultationInputError)) throw error;
        return renderForm(reply, { ctx, scope, consultation, values: form.values, allowsProposals: form.allowsProposals, contentLocale, errors: error.errors });
      }
    });

    // ---- Publish: a confirmation page first; with `confirm=yes` it publishes.
    app.post(`${BASE}/:consultation/publish`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const consultation = await loadConsultation(db, scope, (request.params as Params).consultation);
      if (formValues(request.body).confirm !== 'yes') {
        const minimumNotice = await findMinimumNotice(db, scope.jurisdiction.id);
        return sendHtml(reply, PublishConsultationPage({ ctx, scope, consultation, minimumNotice }) as string);
      }
      await publishConsultation(db, requestActor(request, scope.jurisdiction.id), { consultationId: consultation.id });
      setFlash(reply, 'consultations.flash.published');
      return reply.redirect(`${adminConsultationPath(ctx.locale, scope.jurisdiction.slug, consultation.slug)}/edit`, 303);
    });

    // ---- Documents
    app.post(`${BASE}/:consultation/documents`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const consultation = await loadConsultation(db, scope, (request.params as Params).consultation);
      const contentLocale = contentLocaleOf(request, ctx);
      const values = formValues(request.body);
      try {
        await addConsultationDocument(db, requestActor(request, scope.jurisdiction.id), {
          consultationId: consultation.id,
          formErrors: unstorableErrors(values),
          locale: contentLocale,
          title: values.document_title ?? '',
          url: values.document_url ?? '',
          documentLocale: (values.document_locale ?? '').trim() || null,
        });
      } catch (error) {
        if (!(error instanceof ConsultationInputError)) throw error;
        return renderForm(reply, {
          ctx,
          scope,
          consultation,
          values: storedValues(consultation, contentLocale),
          allowsProposals: consultation.allowsProposals,
          contentLocale,
          documentValues: values,
          documentErrors: error.errors,
        });
      }
      setFlash(reply, 'consultations.flash.documentAdded');
      return reply.redirect(`${adminConsultationPath(ctx.locale, scope.jurisdiction.slug, consultation.slug)}/edit`, 303);
    });

    app.post(`${BASE}/:consultation/documents/:document/remove`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const params = request.params as Params;
      const consultation = await loadConsultation(db, scope, params.consultation);
      const id = Number(params.document);
      if (!Number.isInteger(id) || id <= 0) throw new NotFoundError();
      await removeConsultationDocument(db, requestActor(request, scope.jurisdiction.id), { consultationId: consultation.id, documentId: id });
      setFlash(reply, 'consultations.flash.documentRemoved');
      return reply.redirect(`${adminConsultationPath(ctx.locale, scope.jurisdiction.slug, consultation.slug)}/edit`, 303);
    });

    // ---- Outcome
    app.get(`${BASE}/:consultation/outcome`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const consultation = await loadConsultation(db, scope, (request.params as Params).consultation);
      const contentLocale = contentLocaleOf(request, ctx);
      return sendHtml(reply, OutcomeFormPage({ ctx, scope, consultation, values: { outcome: consultation.outcome[contentLocale] ?? '' }, contentLocale }) as string);
    });

    app.post(`${BASE}/:consultation/outcome`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const consultation = await loadConsultation(db, scope, (request.params as Params).consultation);
      const contentLocale = contentLocaleOf(request, ctx);
      const values = formValues(request.body);
      try {
        await recordConsultationOutcome(db, requestActor(request, scope.jurisdiction.id), { consultationId: consultation.id, locale: contentLocale, outcome: values.outcome ?? '', formErrors: unstorableErrors(values) });
      } catch (error) {
        if (!(error instanceof ConsultationInputError)) throw error;
        return sendHtml(reply, OutcomeFormPage({ ctx, scope, consultation, values, contentLocale, errors: error.errors }) as string, 422);
      }
      setFlash(reply, 'consultations.flash.outcome');
      return reply.redirect(withContent(`${adminConsultationPath(ctx.locale, scope.jurisdiction.slug, consultation.slug)}/edit`, ctx, contentLocale), 303);
    });
  };
}
