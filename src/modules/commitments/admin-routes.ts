import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import type { Locale } from '../../i18n/locales.js';
import { formList, formValues, unstorableErrors, type FormErrors, type FormValues } from '../../lib/forms.js';
import { parseList, parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage, localesWithText, resolveContentLocale } from '../../ui/admin.js';
import type { PageContext } from '../../ui/context.js';
import { adminContext, requestActor, canManageContent } from '../accounts/index.js';
import {
  COMMITMENT_TEXT_FIELDS,
  createCommitment,
  createMilestone,
  InvalidInputError,
  MILESTONE_TEXT_FIELDS,
  updateCommitment,
  updateMilestone,
  type CommitmentInput,
  type MilestoneInput,
} from './commands.js';
import { currentOgpKey } from './domain.js';
import {
  CommitmentFormPage,
  commitmentEditPath,
  commitmentsPath,
  MilestoneFormPage,
  milestoneEditPath,
  withContent,
  type InstitutionOption,
  type MilestoneListItem,
  type PlanScopeView,
} from './admin-views.js';

/**
 * Administration of a plan's commitments and their milestones, mounted under /{locale}/admin
 * (behind the administrator guard). Each handler loads, authorizes, reads the form, calls one
 * command and redirects, or re-renders the form with its errors.
 */

interface Params {
  locale: string;
  jurisdiction: string;
  plan: string;
  code?: string;
  milestoneCode?: string;
}

interface Scope extends PlanScopeView {
  jurisdiction: { id: number; slug: string; name: Translatable };
  plan: { id: number; slug: string; title: Translatable };
}

const BASE = '/jurisdictions/:jurisdiction/plans/:plan/commitments';

/** The content language being edited: `content` in the form, then in the query, else the page's locale. */
function contentLocaleOf(request: FastifyRequest, ctx: PageContext): Locale {
  const fromBody = (request.body as Record<string, unknown> | undefined)?.content;
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.content;
  return resolveContentLocale(fromBody, resolveContentLocale(fromQuery, ctx.locale));
}

function filledLocales(texts: string[]): Locale[] {
  return localesWithText(...texts.map((t) => parseTranslatable(t)));
}

/** Each translatable field's stored texts, to translate from. */
function referenceTexts(row: Record<string, unknown>, fields: readonly string[]): Record<string, Translatable> {
  return Object.fromEntries(fields.map((field) => [field, parseTranslatable(row[field] as string)]));
}

/**
 * The jurisdiction and plan of the URL. Unknown ones are 404; a user who may not manage the
 * jurisdiction's content gets the 403 page (and undefined is returned).
 */
async function loadScope(db: Db, request: FastifyRequest, reply: FastifyReply, ctx: PageContext): Promise<Scope | undefined> {
  const params = request.params as Params;
  const jurisdiction = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name']).where('slug', '=', params.jurisdiction).executeTakeFirst();
  if (!jurisdiction) throw new NotFoundError();
  if (!canManageContent(request.user, jurisdiction.id)) {
    sendHtml(reply, ForbiddenPage({ ctx }) as string, 403);
    return undefined;
  }
  const plan = await db
    .selectFrom('action_plans')
    .select(['id', 'slug', 'title'])
    .where('jurisdiction_id', '=', jurisdiction.id)
    .where('slug', '=', params.plan)
    .executeTakeFirst();
  if (!plan) throw new NotFoundError();
  return {
    jurisdiction: { id: jurisdiction.id, slug: jurisdiction.slug, name: parseTranslatable(jurisdiction.name) },
    plan: { id: plan.id, slug: plan.slug, title: parseTranslatable(plan.title) },
  };
}

async function loadCommitment(db: Db, scope: Scope, code: string | undefined) {
  if (!code) throw new NotFoundError();
  const row = await db.selectFrom('commitments').selectAll().where('action_plan_id', '=', scope.plan.id).where('code', '=', code).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

async function loadMilestone(db: Db, commitmentId: number, code: string | undefined) {
  if (!code) throw new NotFoundError();
  const row = await db.selectFrom('milestones').selectAll().where('commitment_id', '=', commitmentId).where('code', '=', code).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

async function institutionsOf(db: Db, jurisdictionId: number): Promise<InstitutionOption[]> {
  const rows = await db.selectFrom('institutions').select(['id', 'name']).where('jurisdiction_id', '=', jurisdictionId).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: parseTranslatable(r.name) }));
}

async function milestonesOf(db: Db, commitmentId: number): Promise<MilestoneListItem[]> {
  const rows = await db
    .selectFrom('milestones')
    .select(['code', 'title', 'due_on', 'status', 'weight'])
    .where('commitment_id', '=', commitmentId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ code: r.code, title: parseTranslatable(r.title), dueOn: r.due_on, status: r.status, weight: r.weight }));
}

async function rolesOf(db: Db, commitmentId: number): Promise<Record<number, string>> {
  const rows = await db.selectFrom('commitment_institutions').select(['institution_id', 'role']).where('commitment_id', '=', commitmentId).execute();
  return Object.fromEntries(rows.map((r) => [r.institution_id, r.role]));
}

/** Reads the commitment form; every check is the command's. */
function readCommitmentForm(body: unknown, institutions: InstitutionOption[], locale: Locale) {
  const values = formValues(body);
  // Values and lenses are chosen in two groups and stored together.
  const ogpValues = [...formList(body, 'ogp_values'), ...formList(body, 'ogp_lenses')].map(currentOgpKey);
  const roles: Record<number, string> = {};
  const lead: number[] = [];
  const supporting: number[] = [];
  const involved: number[] = [];
  for (const institution of institutions) {
    const role = (values[`role_${institution.id}`] ?? '').trim();
    if (role === 'lead') lead.push(institution.id);
    else if (role === 'supporting') supporting.push(institution.id);
    else if (role === 'involved') involved.push(institution.id);
    roles[institution.id] = role === 'lead' || role === 'supporting' || role === 'involved' ? role : '';
  }
  const position = (values.position ?? '').trim();
  const input: CommitmentInput = {
    formErrors: unstorableErrors(values),
    code: (values.code ?? '').trim().toUpperCase(),
    position: position === '' ? null : Number(position),
    locale,
    texts: Object.fromEntries(COMMITMENT_TEXT_FIELDS.map((f) => [f, values[f] ?? ''])),
    ogpValues,
    policyAreas: (values.policy_areas ?? '').split(/\r?\n/),
    leadInstitutionIds: lead,
    supportingInstitutionIds: supporting,
    involvedInstitutionIds: involved,
    startsOn: (values.starts_on ?? '').trim(),
    endsOn: (values.ends_on ?? '').trim(),
  };
  return { input, values, ogpValues, roles };
}

/** Reads the milestone form; an empty weight is 1, every check is the command's. */
function readMilestoneForm(body: unknown, locale: Locale) {
  const values = formValues(body);
  const position = (values.position ?? '').trim();
  const weight = (values.weight ?? '').trim();
  const responsible = (values.responsible_institution_id ?? '').trim();
  const optional = (field: string) => {
    const value = (values[field] ?? '').trim();
    return value === '' ? null : value;
  };
  const input: MilestoneInput = {
    formErrors: unstorableErrors(values),
    code: (values.code ?? '').trim().toUpperCase(),
    position: position === '' ? null : Number(position),
    locale,
    texts: Object.fromEntries(MILESTONE_TEXT_FIELDS.map((f) => [f, values[f] ?? ''])),
    responsibleInstitutionId: responsible === '' ? null : Number(responsible),
    startsOn: optional('starts_on'),
    dueOn: (values.due_on ?? '').trim(),
    status: (values.status ?? '').trim(),
    completedOn: optional('completed_on'),
    cancelledOn: optional('cancelled_on'),
    weight: weight === '' ? 1 : Number(weight),
  };
  return { input, values };
}

function commitmentValues(row: { code: string; position: number; policy_areas: string; starts_on: string; ends_on: string } & Record<string, unknown>, locale: Locale): FormValues {
  const values: FormValues = {
    code: row.code,
    position: String(row.position),
    policy_areas: parseList(row.policy_areas).join('\n'),
    starts_on: row.starts_on,
    ends_on: row.ends_on,
  };
  for (const field of COMMITMENT_TEXT_FIELDS) values[field] = parseTranslatable(row[field] as string)[locale] ?? '';
  return values;
}

function milestoneValues(
  row: {
    code: string;
    position: number;
    responsible_institution_id: number | null;
    starts_on: string | null;
    due_on: string;
    status: string;
    completed_on: string | null;
    cancelled_on: string | null;
    weight: number;
  } & Record<string, unknown>,
  locale: Locale,
): FormValues {
  const values: FormValues = {
    code: row.code,
    position: String(row.position),
    responsible_institution_id: row.responsible_institution_id === null ? '' : String(row.responsible_institution_id),
    starts_on: row.starts_on ?? '',
    due_on: row.due_on,
    status: row.status,
    completed_on: row.completed_on ?? '',
    cancelled_on: row.cancelled_on ?? '',
    weight: String(row.weight),
  };
  for (const field of MILESTONE_TEXT_FIELDS) values[field] = parseTranslatable(row[field] as string)[locale] ?? '';
  return values;
}

/** A proposal for a new commitment's code: the plan's highest code plus one (XKGJA0003 after XKGJA0002). */
async function nextCommitmentCode(db: Db, planId: number): Promise<string> {
  const rows = await db.selectFrom('commitments').select('code').where('action_plan_id', '=', planId).execute();
  let best: { prefix: string; n: number } | undefined;
  for (const r of rows) {
    const match = /^(.*?)(\d{4})$/.exec(r.code);
    if (!match) continue;
    const n = Number(match[2]);
    if (!best || n > best.n) best = { prefix: match[1] ?? '', n };
  }
  return best && best.n < 9999 ? `${best.prefix}${String(best.n + 1).padStart(4, '0')}` : '';
}

/** The next free milestone code of a commitment: its code, a dot and one more than the highest number. */
async function nextMilestoneCode(db: Db, commitment: { id: number; code: string }): Promise<string> {
  const rows = await db.selectFrom('milestones').select('code').where('commitment_id', '=', commitment.id).execute();
  let highest = 0;
  for (const r of rows) {
    if (!r.code.startsWith(`${commitment.code}.`)) continue;
    const n = Number(r.code.slice(commitment.code.length + 1));
    if (Number.isInteger(n) && n > highest) highest = n;
  }
  return `${commitment.code}.${highest + 1}`;
}

export function commitmentAdminRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- New commitment
    app.get(`${BASE}/new`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const contentLocale = contentLocaleOf(request, ctx);
      const action = `${commitmentsPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug)}/new`;
      return sendHtml(
        reply,
        CommitmentFormPage({
          ctx,
          scope,
          action,
          institutions: await institutionsOf(db, scope.jurisdiction.id),
          values: { code: await nextCommitmentCode(db, scope.plan.id) },
          ogpValues: [],
          roles: {},
          contentLocale,
          filledLocales: [],
        }) as string,
      );
    });

    app.post(`${BASE}/new`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const contentLocale = contentLocaleOf(request, ctx);
      const institutions = await institutionsOf(db, scope.jurisdiction.id);
      const form = readCommitmentForm(request.body, institutions, contentLocale);
      try {
        const created = await createCommitment(db, requestActor(request, scope.jurisdiction.id), { ...form.input, actionPlanId: scope.plan.id });
        setFlash(reply, 'commitmentsAdmin.flash.commitmentCreated');
        return reply.redirect(withContent(commitmentEditPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, created.code), ctx, contentLocale), 303);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        const action = `${commitmentsPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug)}/new`;
        return renderCommitmentForm(reply, { ctx, scope, action, institutions, form, contentLocale, filled: [], errors: error.errors });
      }
    });

    // ---- Edit commitment (and its milestones' list)
    app.get(`${BASE}/:code/edit`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const commitment = await loadCommitment(db, scope, (request.params as Params).code);
      const contentLocale = contentLocaleOf(request, ctx);
      return sendHtml(
        reply,
        CommitmentFormPage({
          ctx,
          scope,
          existingCode: commitment.code,
          action: commitmentEditPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, commitment.code),
          institutions: await institutionsOf(db, scope.jurisdiction.id),
          values: commitmentValues(commitment, contentLocale),
          ogpValues: parseList(commitment.ogp_values).map(currentOgpKey),
          roles: await rolesOf(db, commitment.id),
          contentLocale,
          filledLocales: filledLocales(COMMITMENT_TEXT_FIELDS.map((f) => commitment[f])),
          milestones: await milestonesOf(db, commitment.id),
          reference: referenceTexts(commitment, COMMITMENT_TEXT_FIELDS),
        }) as string,
      );
    });

    app.post(`${BASE}/:code/edit`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const commitment = await loadCommitment(db, scope, (request.params as Params).code);
      const contentLocale = contentLocaleOf(request, ctx);
      const institutions = await institutionsOf(db, scope.jurisdiction.id);
      const form = readCommitmentForm(request.body, institutions, contentLocale);
      try {
        const saved = await updateCommitment(db, requestActor(request, scope.jurisdiction.id), { ...form.input, commitmentId: commitment.id });
        setFlash(reply, 'commitmentsAdmin.flash.commitmentUpdated');
        return reply.redirect(withContent(commitmentEditPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, saved.code), ctx, contentLocale), 303);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        return renderCommitmentForm(reply, {
          ctx,
          scope,
          action: commitmentEditPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, commitment.code),
          existingCode: commitment.code,
          institutions,
          form,
          contentLocale,
          filled: filledLocales(COMMITMENT_TEXT_FIELDS.map((f) => commitment[f])),
          errors: error.errors,
          milestones: await milestonesOf(db, commitment.id),
          reference: referenceTexts(commitment, COMMITMENT_TEXT_FIELDS),
        });
      }
    });

    /**
     * The milestone form: new (no `milestone`) or editing one, with the values to show and, after a
     * refused POST, the errors (422).
     */
    async function renderMilestoneForm(
      reply: FastifyReply,
      props: {
        ctx: PageContext;
        scope: Scope;
        commitment: { id: number; code: string; title: string };
        milestone?: Awaited<ReturnType<typeof loadMilestone>>;
        values: FormValues;
        contentLocale: Locale;
        errors?: FormErrors;
      },
    ): Promise<FastifyReply> {
      const { ctx, scope, commitment, milestone } = props;
      const action = milestone
        ? milestoneEditPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, commitment.code, milestone.code)
        : `${commitmentsPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug)}/${encodeURIComponent(commitment.code)}/milestones/new`;
      return sendHtml(
        reply,
        MilestoneFormPage({
          ctx,
          scope,
          commitment: { code: commitment.code, title: parseTranslatable(commitment.title) },
          existingCode: milestone?.code,
          action,
          institutions: await institutionsOf(db, scope.jurisdiction.id),
          values: props.values,
          contentLocale: props.contentLocale,
          filledLocales: milestone ? filledLocales(MILESTONE_TEXT_FIELDS.map((f) => milestone[f])) : [],
          errors: props.errors,
          reference: milestone ? referenceTexts(milestone, MILESTONE_TEXT_FIELDS) : undefined,
        }) as string,
        props.errors ? 422 : 200,
      );
    }

    // ---- New milestone
    app.get(`${BASE}/:code/milestones/new`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const commitment = await loadCommitment(db, scope, (request.params as Params).code);
      // No status is assumed for a new milestone (the form asks for one); the weight 1 is a count, not an answer.
      const values = { code: await nextMilestoneCode(db, commitment), weight: '1' };
      return renderMilestoneForm(reply, { ctx, scope, commitment, values, contentLocale: contentLocaleOf(request, ctx) });
    });

    app.post(`${BASE}/:code/milestones/new`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const commitment = await loadCommitment(db, scope, (request.params as Params).code);
      const contentLocale = contentLocaleOf(request, ctx);
      const form = readMilestoneForm(request.body, contentLocale);
      try {
        await createMilestone(db, requestActor(request, scope.jurisdiction.id), { ...form.input, commitmentId: commitment.id });
        setFlash(reply, 'commitmentsAdmin.flash.milestoneCreated');
        return reply.redirect(withContent(commitmentEditPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, commitment.code), ctx, contentLocale), 303);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        return renderMilestoneForm(reply, { ctx, scope, commitment, values: form.values, contentLocale, errors: error.errors });
      }
    });

    // ---- Edit milestone
    app.get(`${BASE}/:code/milestones/:milestoneCode/edit`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const params = request.params as Params;
      const commitment = await loadCommitment(db, scope, params.code);
      const milestone = await loadMilestone(db, commitment.id, params.milestoneCode);
      const contentLocale = contentLocaleOf(request, ctx);
      return renderMilestoneForm(reply, { ctx, scope, commitment, milestone, values: milestoneValues(milestone, contentLocale), contentLocale });
    });

    app.post(`${BASE}/:code/milestones/:milestoneCode/edit`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const params = request.params as Params;
      const commitment = await loadCommitment(db, scope, params.code);
      const milestone = await loadMilestone(db, commitment.id, params.milestoneCode);
      const contentLocale = contentLocaleOf(request, ctx);
      const form = readMilestoneForm(request.body, contentLocale);
      try {
        await updateMilestone(db, requestActor(request, scope.jurisdiction.id), { ...form.input, milestoneId: milestone.id });
        setFlash(reply, 'commitmentsAdmin.flash.milestoneUpdated');
        return reply.redirect(withContent(commitmentEditPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, commitment.code), ctx, contentLocale), 303);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        return renderMilestoneForm(reply, { ctx, scope, commitment, milestone, values: form.values, contentLocale, errors: error.errors });
      }
    });
  };
}

function renderCommitmentForm(
  reply: FastifyReply,
  props: {
    ctx: PageContext;
    scope: Scope;
    action: string;
    existingCode?: string;
    institutions: InstitutionOption[];
    form: ReturnType<typeof readCommitmentForm>;
    contentLocale: Locale;
    filled: Locale[];
    errors: FormErrors;
    milestones?: MilestoneListItem[];
    reference?: Record<string, Translatable>;
  },
): FastifyReply {
  return sendHtml(
    reply,
    CommitmentFormPage({
      ctx: props.ctx,
      scope: props.scope,
      existingCode: props.existingCode,
      action: props.action,
      institutions: props.institutions,
      values: props.form.values,
      ogpValues: props.form.ogpValues,
      roles: props.form.roles,
      contentLocale: props.contentLocale,
      filledLocales: props.filled,
      errors: props.errors,
      milestones: props.milestones,
      reference: props.reference,
    }) as string,
    422,
  );
}
