import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { SlugTakenError } from '../../db/errors.js';
import type { Locale } from '../../i18n/locales.js';
import {
  FormErrors,
  formList,
  formValues,
  optionalDate,
  optionalInteger,
  optionalText,
  requireChoice,
  requireDate,
  requireSlug,
  unstorableErrors,
  type FormValues,
} from '../../lib/forms.js';
import { withLocaleText } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage, resolveContentLocale } from '../../ui/admin.js';
import { adminContext, requestActor, canManageContent } from '../accounts/index.js';
import { ENDORSEMENT_SECTORS } from '../commitments/domain.js';
import { listInstitutions, type InstitutionRow } from '../institutions/commands.js';
import { findJurisdictionBySlug, type JurisdictionRow } from '../jurisdictions/commands.js';
import {
  createActionPlan,
  findActionPlanBySlug,
  isPlanSlugFree,
  listPlanCommitments,
  updateActionPlan,
  type ActionPlanDetails,
  type ActionPlanInput,
  type EndorsementInput,
  type VisionSectionInput,
} from './commands.js';
import { endorsementRowCount, PlanAdminPage, PlanFormPage, visionRowCount } from './admin-views.js';

type Fields = Omit<ActionPlanInput, 'jurisdictionId'>;

/** Empty endorsement rows offered on every form, so new endorsements can be added without JavaScript. */
const BLANK_ENDORSEMENT_ROWS = 3;

function hasAnyText(value: Record<string, string | undefined>): boolean {
  return Object.keys(value).length > 0;
}

interface ReadResult {
  input: Fields;
  errors: FormErrors;
  leadInstitutionIds: string[];
}

/** Reads and checks the plan form; `existing` is the plan being edited, if any. */
function readPlanForm(body: unknown, values: FormValues, contentLocale: Locale, institutions: InstitutionRow[], existing?: ActionPlanDetails): ReadResult {
  // Characters that cannot be stored are refused first, for every field (read by a helper or not).
  const errors = unstorableErrors(values);
  const slug = requireSlug(values, errors, 'slug');
  const title = optionalText(values, errors, 'title', 500);
  if (!title && !hasAnyText(withLocaleText(existing?.title ?? {}, contentLocale, ''))) errors.add('title', 'form.error.required');
  const startsOn = requireDate(values, errors, 'starts_on');
  const endsOn = requireDate(values, errors, 'ends_on');
  if (!errors.for('starts_on') && !errors.for('ends_on') && endsOn < startsOn) errors.add('ends_on', 'form.error.dateOrder');
  const submittedOn = optionalDate(values, errors, 'submitted_on');
  // No status: it is derived from the dates and these two events (planStatusOf).
  const withdrawnOn = optionalDate(values, errors, 'withdrawn_on');
  const assessedOn = optionalDate(values, errors, 'assessed_on');
  if (assessedOn && !errors.for('assessed_on') && !errors.for('ends_on') && endsOn && assessedOn < endsOn) errors.add('assessed_on', 'plansAdmin.error.assessedBeforeEnd');
  const foreword = optionalText(values, errors, 'foreword', 50_000);
  const cocreationGroups = optionalInteger(values, errors, 'cocreation_groups', 0, 100_000);
  const cocreationPublicMeetings = optionalInteger(values, errors, 'cocreation_public_meetings', 0, 100_000);
  const cocreationSummary = optionalText(values, errors, 'cocreation_summary', 20_000);

  const leadInstitutionIds = formList(body, 'lead_institutions');
  const known = new Set(institutions.map((i) => String(i.id)));
  if (leadInstitutionIds.some((id) => !known.has(id))) errors.add('lead_institutions', 'form.error.choice');

  // Vision sections: existing rows (in the order asked for), then the new pair at the end.
  const existingIds = new Set((existing?.visionSections ?? []).map((s) => s.id));
  const rows: { order: number; index: number; section: VisionSectionInput }[] = [];
  const count = visionRowCount(values);
  for (let i = 0; i < count; i++) {
    const id = Number(values[`vision_${i}_id`]);
    if (!existingIds.has(id)) continue; // a stale form: the section is gone
    const question = optionalText(values, errors, `vision_${i}_question`, 2_000);
    const answer = optionalText(values, errors, `vision_${i}_answer`, 20_000);
    const position = optionalInteger(values, errors, `vision_${i}_position`, 1, 999);
    const remove = values[`vision_${i}_remove`] === '1';
    if (!remove) checkPair(errors, `vision_${i}`, question, answer);
    rows.push({ order: position ?? i + 1, index: i, section: { id, question, answer, remove } });
  }
  rows.sort((a, b) => a.order - b.order || a.index - b.index);
  const visionSections = rows.map((r) => r.section);
  const newQuestion = optionalText(values, errors, 'vision_new_question', 2_000);
  const newAnswer = optionalText(values, errors, 'vision_new_answer', 20_000);
  checkPair(errors, 'vision_new', newQuestion, newAnswer);
  if (newQuestion || newAnswer) visionSections.push({ question: newQuestion, answer: newAnswer });

  const endorsements: EndorsementInput[] = [];
  for (let i = 0; i < endorsementRowCount(values); i++) {
    const organization = optionalText(values, errors, `endorsement_${i}_organization`, 300);
    if (!organization) continue;
    const sector = requireChoice(values, errors, `endorsement_${i}_sector`, ENDORSEMENT_SECTORS);
    endorsements.push({ organization, sector });
  }

  return {
    input: {
      slug,
      title,
      startsOn,
      endsOn,
      submittedOn,
      withdrawnOn,
      assessedOn,
      foreword,
      cocreationGroups,
      cocreationPublicMeetings,
      cocreationSummary,
      contentLocale,
      leadInstitutionIds: leadInstitutionIds.map(Number),
      visionSections,
      endorsements,
    },
    errors,
    leadInstitutionIds,
  };
}

/** A question needs its answer and an answer its question, in the language being edited. */
function checkPair(errors: FormErrors, prefix: string, question: string, answer: string): void {
  if (question && !answer) errors.add(`${prefix}_answer`, 'plansAdmin.error.answer');
  if (answer && !question) errors.add(`${prefix}_question`, 'plansAdmin.error.question');
}

function withBlankEndorsements(values: FormValues, from: number): FormValues {
  for (let i = from; i < from + BLANK_ENDORSEMENT_ROWS; i++) {
    values[`endorsement_${i}_organization`] = '';
    values[`endorsement_${i}_sector`] = 'civil_society';
  }
  return values;
}

function formValuesOf(plan: ActionPlanDetails, contentLocale: Locale): FormValues {
  const values: FormValues = {
    slug: plan.slug,
    title: plan.title[contentLocale] ?? '',
    starts_on: plan.startsOn,
    ends_on: plan.endsOn,
    submitted_on: plan.submittedOn ?? '',
    withdrawn_on: plan.withdrawnOn ?? '',
    assessed_on: plan.assessedOn ?? '',
    foreword: plan.foreword[contentLocale] ?? '',
    cocreation_groups: plan.cocreationGroups === null ? '' : String(plan.cocreationGroups),
    cocreation_public_meetings: plan.cocreationPublicMeetings === null ? '' : String(plan.cocreationPublicMeetings),
    cocreation_summary: plan.cocreationSummary[contentLocale] ?? '',
  };
  plan.visionSections.forEach((s, i) => {
    values[`vision_${i}_id`] = String(s.id);
    values[`vision_${i}_question`] = s.question[contentLocale] ?? '';
    values[`vision_${i}_answer`] = s.answer[contentLocale] ?? '';
    values[`vision_${i}_position`] = String(i + 1);
  });
  plan.endorsements.forEach((e, i) => {
    values[`endorsement_${i}_organization`] = e.organization;
    values[`endorsement_${i}_sector`] = e.sector;
  });
  return withBlankEndorsements(values, plan.endorsements.length);
}

/** Action plans of a jurisdiction in the administration. Mounted under /{locale}/admin. */
export function planAdminRoutes(db: Db) {
  interface Loaded {
    jurisdiction: JurisdictionRow;
    plan?: ActionPlanDetails;
    institutions: InstitutionRow[];
  }

  /** Loads the jurisdiction and plan (404 when unknown) and checks the user may manage the content. */
  async function load(request: FastifyRequest, reply: FastifyReply): Promise<Loaded | undefined> {
    const params = request.params as { slug: string; plan?: string };
    const jurisdiction = await findJurisdictionBySlug(db, params.slug);
    if (!jurisdiction) throw new NotFoundError();
    let plan: ActionPlanDetails | undefined;
    if (params.plan !== undefined) {
      plan = await findActionPlanBySlug(db, jurisdiction.id, params.plan);
      if (!plan) throw new NotFoundError();
    }
    if (!canManageContent(request.user, jurisdiction.id)) {
      sendHtml(reply, ForbiddenPage({ ctx: adminContext(request, reply) }) as string, 403);
      return undefined;
    }
    const institutions = await listInstitutions(db, jurisdiction.id);
    return { jurisdiction, institutions, ...(plan ? { plan } : {}) };
  }

  function redirectToPlan(reply: FastifyReply, locale: string, jurisdiction: JurisdictionRow, planSlug: string): FastifyReply {
    return reply.redirect(`/${locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction.slug)}/plans/${encodeURIComponent(planSlug)}`, 303);
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/jurisdictions/:slug/plans/new', async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale((request.query as { content?: string }).content, ctx.locale);
      const values = withBlankEndorsements({}, 0);
      return sendHtml(reply, PlanFormPage({ ctx, ...loaded, contentLocale, values, leadInstitutionIds: [] }) as string);
    });

    app.post('/jurisdictions/:slug/plans/new', { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const { jurisdiction, institutions } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const { input, errors, leadInstitutionIds } = readPlanForm(request.body, values, contentLocale, institutions);
      if (!errors.for('slug') && !(await isPlanSlugFree(db, jurisdiction.id, input.slug))) errors.add('slug', 'form.error.taken');
      if (!errors.any) {
        try {
          await createActionPlan(db, requestActor(request, jurisdiction.id), { ...input, jurisdictionId: jurisdiction.id });
          setFlash(reply, 'plansAdmin.flash.created');
          return redirectToPlan(reply, ctx.locale, jurisdiction, input.slug);
        } catch (error) {
          if (!(error instanceof SlugTakenError)) throw error;
          errors.add(error.field, 'form.error.taken');
        }
      }
      return sendHtml(reply, PlanFormPage({ ctx, jurisdiction, institutions, contentLocale, values, leadInstitutionIds, errors }) as string, 422);
    });

    app.get('/jurisdictions/:slug/plans/:plan', async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.plan) return reply;
      const ctx = adminContext(request, reply);
      const commitments = await listPlanCommitments(db, loaded.plan.id);
      const counts = await db
        .selectFrom('milestones')
        .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
        .select(['commitments.code', (eb) => eb.fn.countAll<number | string>().as('count')])
        .where('commitments.action_plan_id', '=', loaded.plan.id)
        .groupBy('commitments.code')
        .execute();
      const milestoneCounts = Object.fromEntries(counts.map((c) => [c.code, Number(c.count)]));
      return sendHtml(
        reply,
        PlanAdminPage({ ctx, jurisdiction: loaded.jurisdiction, plan: loaded.plan, institutions: loaded.institutions, commitments, milestoneCounts, today: app.pageCache.today() }) as string,
      );
    });

    app.get('/jurisdictions/:slug/plans/:plan/edit', async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.plan) return reply;
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale((request.query as { content?: string }).content, ctx.locale);
      return sendHtml(
        reply,
        PlanFormPage({
          ctx,
          ...loaded,
          contentLocale,
          values: formValuesOf(loaded.plan, contentLocale),
          leadInstitutionIds: loaded.plan.leadInstitutionIds.map(String),
        }) as string,
      );
    });

    app.post('/jurisdictions/:slug/plans/:plan/edit', { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.plan) return reply;
      const { jurisdiction, institutions, plan } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const { input, errors, leadInstitutionIds } = readPlanForm(request.body, values, contentLocale, institutions, plan);
      if (!errors.for('slug') && !(await isPlanSlugFree(db, jurisdiction.id, input.slug, plan.id))) errors.add('slug', 'form.error.taken');
      if (!errors.any) {
        try {
          await updateActionPlan(db, requestActor(request, jurisdiction.id), { ...input, id: plan.id });
          setFlash(reply, 'plansAdmin.flash.updated');
          return redirectToPlan(reply, ctx.locale, jurisdiction, input.slug);
        } catch (error) {
          if (!(error instanceof SlugTakenError)) throw error;
          errors.add(error.field, 'form.error.taken');
        }
      }
      return sendHtml(reply, PlanFormPage({ ctx, jurisdiction, plan, institutions, contentLocale, values, leadInstitutionIds, errors }) as string, 422);
    });
  };
}
