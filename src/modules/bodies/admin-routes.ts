import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { dayIn } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { formList, formValues, unstorableErrors, type FormErrors, type FormValues } from '../../lib/forms.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage, localesWithText, resolveContentLocale } from '../../ui/admin.js';
import type { PageContext } from '../../ui/context.js';
import { adminContext, canManageContent, requestActor } from '../accounts/index.js';
import { addBodyMember, BodiesInputError, BODY_TEXT_FIELDS, createBody, removeBodyMember, updateBody, updateBodyMember, type BodyInput, type MemberInput } from './commands.js';
import { canManageBodies } from './policy.js';
import { countAttendance, findAdminMember, findBody, findJurisdiction, listAdminMembers, listBodies, type AdminMember, type BodyView, type JurisdictionRef } from './queries.js';
import { adminBodiesPath, adminBodyPath, adminMemberPath, BodiesAdminPage, BodyFormPage, MemberFormPage, RemoveMemberPage, withContent } from './admin-views.js';
import { bdb } from './tables.js';

/**
 * Administration of a jurisdiction's bodies and members, under /{locale}/admin/jurisdictions/{j}/bodies
 * (canManageBodies: administrators, coordinators and forum secretaries of the jurisdiction). Each
 * handler loads, authorizes, reads the form, calls one command and redirects, or re-renders the
 * form with its errors and everything typed.
 */

const BASE = '/jurisdictions/:jurisdiction/bodies';

interface Params {
  jurisdiction: string;
  body?: string;
  member?: string;
}

function contentLocaleOf(request: FastifyRequest, ctx: PageContext): Locale {
  const fromBody = (request.body as Record<string, unknown> | undefined)?.content;
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.content;
  return resolveContentLocale(fromBody, resolveContentLocale(fromQuery, ctx.locale));
}

interface Scope {
  jurisdiction: JurisdictionRef;
  canOpenJurisdiction: boolean;
}

async function loadScope(db: Db, request: FastifyRequest, reply: FastifyReply, ctx: PageContext): Promise<Scope | undefined> {
  const jurisdiction = await findJurisdiction(db, (request.params as Params).jurisdiction);
  if (!jurisdiction) throw new NotFoundError();
  if (!canManageBodies(request.user, jurisdiction.id)) {
    sendHtml(reply, ForbiddenPage({ ctx }) as string, 403);
    return undefined;
  }
  return { jurisdiction, canOpenJurisdiction: canManageContent(request.user, jurisdiction.id) };
}

async function loadBody(db: Db, scope: Scope, slug: string | undefined): Promise<BodyView> {
  const body = slug ? await findBody(db, scope.jurisdiction.id, slug) : undefined;
  if (!body) throw new NotFoundError();
  return body;
}

async function loadMember(db: Db, body: BodyView, id: string | undefined): Promise<AdminMember> {
  const n = Number(id);
  const member = Number.isInteger(n) && n > 0 ? await findAdminMember(db, body.id, n) : undefined;
  if (!member) throw new NotFoundError();
  return member;
}

function today(scope: Scope): string {
  return dayIn(new Date().toISOString(), scope.jurisdiction.timeZone);
}

function optionalText(values: FormValues, field: string): string | null {
  const v = (values[field] ?? '').trim();
  return v === '' ? null : v;
}

function readBodyForm(body: unknown, locale: Locale) {
  const values = formValues(body);
  const rules = formList(body, 'composition_rules');
  const rhythm = (values.meets_every_days ?? '').trim();
  const parent = (values.parent_id ?? '').trim();
  const input: BodyInput = {
    formErrors: unstorableErrors(values),
    kind: (values.kind ?? '').trim(),
    parentId: parent === '' ? null : /^\d{1,9}$/.test(parent) ? Number(parent) : -1,
    slug: (values.slug ?? '').trim(),
    locale,
    texts: Object.fromEntries(BODY_TEXT_FIELDS.map((f) => [f, values[f] ?? ''])),
    compositionRules: rules,
    meetsEveryDays: rhythm === '' ? null : Number(rhythm),
    establishedOn: optionalText(values, 'established_on'),
  };
  return { input, values, rules };
}

function bodyValues(b: BodyView, locale: Locale): FormValues {
  return {
    kind: b.kind,
    parent_id: b.parentId === null ? '' : String(b.parentId),
    slug: b.slug,
    name: b.name[locale] ?? '',
    mandate: b.mandate[locale] ?? '',
    rules: b.rules[locale] ?? '',
    meets_every_days: b.meetsEveryDays === null ? '' : String(b.meetsEveryDays),
    established_on: b.establishedOn ?? '',
  };
}

function readMemberForm(body: unknown, locale: Locale) {
  const values = formValues(body);
  const groups = formList(body, 'represented_groups');
  const consent = formList(body, 'name_consent').includes('yes');
  const input: MemberInput = {
    formErrors: unstorableErrors(values),
    locale,
    organisation: values.organisation ?? '',
    personName: values.person_name ?? '',
    nameConsent: consent,
    email: values.email ?? '',
    sector: (values.sector ?? '').trim(),
    representedGroups: groups,
    role: (values.role ?? '').trim(),
    termStart: optionalText(values, 'term_start'),
    termEnd: optionalText(values, 'term_end'),
  };
  return { input, values, groups, consent };
}

function memberValues(m: AdminMember, locale: Locale): FormValues {
  return {
    organisation: m.organisation[locale] ?? '',
    person_name: m.storedName ?? '',
    email: m.email ?? '',
    sector: m.sector,
    role: m.role,
    term_start: m.termStart ?? '',
    term_end: m.termEnd ?? '',
  };
}

export function bodiesAdminRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const forumsOf = async (jurisdictionId: number) => (await listBodies(db, jurisdictionId)).filter((b) => b.kind === 'forum');

    async function renderBodyForm(
      reply: FastifyReply,
      props: { ctx: PageContext; scope: Scope; body?: BodyView; values: FormValues; rules: string[]; contentLocale: Locale; errors?: FormErrors },
    ): Promise<FastifyReply> {
      const { ctx, scope, body } = props;
      const action = body ? adminBodyPath(ctx.locale, scope.jurisdiction.slug, body.slug) : `${adminBodiesPath(ctx.locale, scope.jurisdiction.slug)}/new`;
      return sendHtml(
        reply,
        BodyFormPage({
          ctx,
          scope,
          canOpenJurisdiction: scope.canOpenJurisdiction,
          body,
          action,
          forums: await forumsOf(scope.jurisdiction.id),
          values: props.values,
          compositionRules: props.rules,
          contentLocale: props.contentLocale,
          filledLocales: body ? localesWithText(body.name, body.mandate, body.rules) : [],
          errors: props.errors,
          members: body ? await listAdminMembers(db, body.id) : undefined,
          today: today(scope),
        }) as string,
        props.errors ? 422 : 200,
      );
    }

    // ---- The list
    app.get(BASE, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const bodies = await listBodies(db, scope.jurisdiction.id);
      const counts = new Map<number, number>();
      if (bodies.length) {
        const rows = await bdb(db)
          .selectFrom('body_members')
          .select(['body_id', (eb) => eb.fn.countAll().as('n')])
          .where(
            'body_id',
            'in',
            bodies.map((b) => b.id),
          )
          .groupBy('body_id')
          .execute();
        for (const r of rows) counts.set(r.body_id, Number(r.n));
      }
      return sendHtml(reply, BodiesAdminPage({ ctx, scope, canOpenJurisdiction: scope.canOpenJurisdiction, bodies, memberCounts: counts }) as string);
    });

    // ---- New body
    app.get(`${BASE}/new`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      return renderBodyForm(reply, { ctx, scope, values: {}, rules: [], contentLocale: contentLocaleOf(request, ctx) });
    });

    app.post(`${BASE}/new`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const contentLocale = contentLocaleOf(request, ctx);
      const form = readBodyForm(request.body, contentLocale);
      try {
        const created = await createBody(db, requestActor(request, scope.jurisdiction.id), { ...form.input, jurisdictionId: scope.jurisdiction.id });
        setFlash(reply, 'bodies.flash.created');
        return reply.redirect(withContent(adminBodyPath(ctx.locale, scope.jurisdiction.slug, created.slug), ctx, contentLocale), 303);
      } catch (error) {
        if (!(error instanceof BodiesInputError)) throw error;
        return renderBodyForm(reply, { ctx, scope, values: form.values, rules: form.rules, contentLocale, errors: error.errors });
      }
    });

    // ---- Edit a body (and its members' list)
    app.get(`${BASE}/:body/edit`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const body = await loadBody(db, scope, (request.params as Params).body);
      const contentLocale = contentLocaleOf(request, ctx);
      return renderBodyForm(reply, { ctx, scope, body, values: bodyValues(body, contentLocale), rules: body.compositionRules, contentLocale });
    });

    app.post(`${BASE}/:body/edit`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const body = await loadBody(db, scope, (request.params as Params).body);
      const contentLocale = contentLocaleOf(request, ctx);
      const form = readBodyForm(request.body, contentLocale);
      try {
        const saved = await updateBody(db, requestActor(request, scope.jurisdiction.id), { ...form.input, bodyId: body.id });
        setFlash(reply, 'bodies.flash.updated');
        return reply.redirect(withContent(adminBodyPath(ctx.locale, scope.jurisdiction.slug, saved.slug), ctx, contentLocale), 303);
      } catch (error) {
        if (!(error instanceof BodiesInputError)) throw error;
        return renderBodyForm(reply, { ctx, scope, body, values: form.values, rules: form.rules, contentLocale, errors: error.errors });
      }
    });

    // ---- Members
    function renderMemberForm(
      reply: FastifyReply,
      props: { ctx: PageContext; scope: Scope; body: BodyView; member?: AdminMember; values: FormValues; groups: string[]; consent: boolean; contentLocale: Locale; errors?: FormErrors },
    ): FastifyReply {
      const { ctx, scope, body, member } = props;
      const action = member ? adminMemberPath(ctx.locale, scope.jurisdiction.slug, body.slug, member.id) : `${adminBodiesPath(ctx.locale, scope.jurisdiction.slug)}/${encodeURIComponent(body.slug)}/members/new`;
      return sendHtml(
        reply,
        MemberFormPage({ ...props, canOpenJurisdiction: scope.canOpenJurisdiction, action }) as string,
        props.errors ? 422 : 200,
      );
    }

    app.get(`${BASE}/:body/members/new`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const body = await loadBody(db, scope, (request.params as Params).body);
      return renderMemberForm(reply, { ctx, scope, body, values: {}, groups: [], consent: false, contentLocale: contentLocaleOf(request, ctx) });
    });

    app.post(`${BASE}/:body/members/new`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const body = await loadBody(db, scope, (request.params as Params).body);
      const contentLocale = contentLocaleOf(request, ctx);
      const form = readMemberForm(request.body, contentLocale);
      try {
        await addBodyMember(db, requestActor(request, scope.jurisdiction.id), { ...form.input, bodyId: body.id });
        setFlash(reply, 'bodies.flash.memberAdded');
        return reply.redirect(withContent(adminBodyPath(ctx.locale, scope.jurisdiction.slug, body.slug), ctx, contentLocale), 303);
      } catch (error) {
        if (!(error instanceof BodiesInputError)) throw error;
        return renderMemberForm(reply, { ctx, scope, body, values: form.values, groups: form.groups, consent: form.consent, contentLocale, errors: error.errors });
      }
    });

    app.get(`${BASE}/:body/members/:member/edit`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const params = request.params as Params;
      const body = await loadBody(db, scope, params.body);
      const member = await loadMember(db, body, params.member);
      const contentLocale = contentLocaleOf(request, ctx);
      return renderMemberForm(reply, { ctx, scope, body, member, values: memberValues(member, contentLocale), groups: [...member.representedGroups], consent: !!member.nameConsentAt, contentLocale });
    });

    app.post(`${BASE}/:body/members/:member/edit`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const params = request.params as Params;
      const body = await loadBody(db, scope, params.body);
      const member = await loadMember(db, body, params.member);
      const contentLocale = contentLocaleOf(request, ctx);
      const form = readMemberForm(request.body, contentLocale);
      try {
        await updateBodyMember(db, requestActor(request, scope.jurisdiction.id), { ...form.input, memberId: member.id });
        setFlash(reply, 'bodies.flash.memberUpdated');
        return reply.redirect(withContent(adminBodyPath(ctx.locale, scope.jurisdiction.slug, body.slug), ctx, contentLocale), 303);
      } catch (error) {
        if (!(error instanceof BodiesInputError)) throw error;
        return renderMemberForm(reply, { ctx, scope, body, member, values: form.values, groups: form.groups, consent: form.consent, contentLocale, errors: error.errors });
      }
    });

    // Removing asks for confirmation first (the confirmation page); with `confirm=yes` it removes.
    app.post(`${BASE}/:body/members/:member/remove`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request, reply, ctx);
      if (!scope) return reply;
      const params = request.params as Params;
      const body = await loadBody(db, scope, params.body);
      const member = await loadMember(db, body, params.member);
      const action = `${adminBodiesPath(ctx.locale, scope.jurisdiction.slug)}/${encodeURIComponent(body.slug)}/members/${member.id}/remove`;
      const attended = await countAttendance(db, member.id);
      const page = (status: number) => sendHtml(reply, RemoveMemberPage({ ctx, scope, canOpenJurisdiction: scope.canOpenJurisdiction, body, member, action, attended }) as string, status);
      if (formValues(request.body).confirm !== 'yes') return page(200);
      try {
        await removeBodyMember(db, requestActor(request, scope.jurisdiction.id), { memberId: member.id });
      } catch (error) {
        // On an attendance roll meanwhile: the page says so, with the way to end their term.
        if (error instanceof BodiesInputError) return page(409);
        throw error;
      }
      setFlash(reply, 'bodies.flash.memberRemoved');
      return reply.redirect(adminBodyPath(ctx.locale, scope.jurisdiction.slug, body.slug), 303);
    });
  };
}
