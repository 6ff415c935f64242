import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { SlugTakenError } from '../../db/errors.js';
import { canonicalTimeZone } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { FormErrors, formValues, optionalText, optionalUrl, requireChoice, requireSlug, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { withLocaleText } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage, resolveContentLocale } from '../../ui/admin.js';
import { adminContext, requestActor, canManageContent, canManageJurisdictions } from '../accounts/index.js';
import { JURISDICTION_KINDS } from '../commitments/domain.js';
import {
  createJurisdiction,
  findJurisdictionBySlug,
  isJurisdictionSlugFree,
  jurisdictionContents,
  listJurisdictions,
  updateJurisdiction,
  type JurisdictionInput,
  type JurisdictionRow,
} from './commands.js';
import { JurisdictionAdminPage, JurisdictionFormPage, JurisdictionListPage } from './admin-views.js';
import { brandingAdminRoutes } from './admin-branding.js';

const COUNTRY_CODE = /^[A-Za-z]{2}$/;
/** The time zone the form's hint and error give as an example (Kosovo's). */
export const EXAMPLE_TIME_ZONE = 'Europe/Belgrade';

function forbidden(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendHtml(reply, ForbiddenPage({ ctx: adminContext(request, reply) }) as string, 403);
}

/** Reads and checks the jurisdiction form; `existing` is the record being edited, if any. */
function readJurisdictionForm(values: FormValues, contentLocale: Locale, existing?: JurisdictionRow): { input: JurisdictionInput; errors: FormErrors } {
  // Characters that cannot be stored are refused first, for every field (read by a helper or not).
  const errors = unstorableErrors(values);
  const slug = requireSlug(values, errors, 'slug');
  const kind = requireChoice(values, errors, 'kind', JURISDICTION_KINDS);
  const countryCode = (values.country_code ?? '').trim();
  if (!countryCode) errors.add('country_code', 'form.error.required');
  else if (!COUNTRY_CODE.test(countryCode)) errors.add('country_code', 'jurisdictionsAdmin.error.countryCode');
  const website = optionalUrl(values, errors, 'website');
  if (website && website.length > 500) errors.add('website', 'form.error.tooLong', { max: 500 });
  // An IANA name Intl knows, stored in its canonical spelling; what was typed stays in the form when
  // refused. A form sent without the field (an older page) leaves the zone as it is (UTC when new).
  const typedZone = values.time_zone === undefined ? undefined : values.time_zone.trim();
  const timeZone = typedZone ? canonicalTimeZone(typedZone) : undefined;
  if (typedZone === '') errors.add('time_zone', 'form.error.required');
  else if (typedZone !== undefined && !timeZone) errors.add('time_zone', 'jurisdictionsAdmin.error.timeZone', { example: EXAMPLE_TIME_ZONE });
  const name = optionalText(values, errors, 'name', 200);
  // The name must exist in some language: required here unless another language already has it.
  if (!name && Object.keys(withLocaleText(existing?.name ?? {}, contentLocale, '')).length === 0) errors.add('name', 'form.error.required');
  const description = optionalText(values, errors, 'description', 20_000);
  return { input: { slug, kind, countryCode: countryCode.toUpperCase(), website, timeZone, contentLocale, name, description }, errors };
}

function formValuesOf(j: JurisdictionRow, contentLocale: Locale): FormValues {
  return {
    slug: j.slug,
    kind: j.kind,
    country_code: j.countryCode,
    website: j.website ?? '',
    time_zone: j.timeZone,
    name: j.name[contentLocale] ?? '',
    description: j.description[contentLocale] ?? '',
  };
}

async function loadJurisdiction(db: Db, request: FastifyRequest): Promise<JurisdictionRow> {
  const { slug } = request.params as { slug: string };
  const jurisdiction = await findJurisdictionBySlug(db, slug);
  if (!jurisdiction) throw new NotFoundError();
  return jurisdiction;
}

/** Jurisdictions in the administration: list, create, edit and each one's page. Mounted under /{locale}/admin. */
export function jurisdictionAdminRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // The portal's name, emblem and colour (a multipart form of its own).
    await brandingAdminRoutes(app, db);

    app.get('/jurisdictions', async (request, reply) => {
      const ctx = adminContext(request, reply);
      const all = await listJurisdictions(db);
      const visible = canManageJurisdictions(request.user) ? all : all.filter((j) => canManageContent(request.user, j.id));
      return sendHtml(reply, JurisdictionListPage({ ctx, jurisdictions: visible, canCreate: canManageJurisdictions(request.user) }) as string);
    });

    app.get('/jurisdictions/new', async (request, reply) => {
      if (!canManageJurisdictions(request.user)) return forbidden(request, reply);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale((request.query as { content?: string }).content, ctx.locale);
      return sendHtml(reply, JurisdictionFormPage({ ctx, contentLocale, values: { kind: 'local', time_zone: 'UTC' } }) as string);
    });

    app.post('/jurisdictions/new', { preHandler: app.csrfProtection }, async (request, reply) => {
      if (!canManageJurisdictions(request.user)) return forbidden(request, reply);
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const { input, errors } = readJurisdictionForm(values, contentLocale);
      if (!errors.for('slug') && !(await isJurisdictionSlugFree(db, input.slug))) errors.add('slug', 'form.error.taken');
      if (!errors.any) {
        try {
          await createJurisdiction(db, requestActor(request), input);
          setFlash(reply, 'jurisdictionsAdmin.flash.created');
          return reply.redirect(`/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(input.slug)}`, 303);
        } catch (error) {
          if (!(error instanceof SlugTakenError)) throw error;
          errors.add(error.field, 'form.error.taken');
        }
      }
      return sendHtml(reply, JurisdictionFormPage({ ctx, contentLocale, values, errors }) as string, 422);
    });

    app.get('/jurisdictions/:slug', async (request, reply) => {
      const jurisdiction = await loadJurisdiction(db, request);
      if (!canManageContent(request.user, jurisdiction.id)) return forbidden(request, reply);
      const ctx = adminContext(request, reply);
      const contents = await jurisdictionContents(db, jurisdiction.id, app.pageCache.today());
      return sendHtml(
        reply,
        JurisdictionAdminPage({ ctx, data: { jurisdiction, ...contents, canEdit: canManageJurisdictions(request.user) } }) as string,
      );
    });

    app.get('/jurisdictions/:slug/edit', async (request, reply) => {
      const jurisdiction = await loadJurisdiction(db, request);
      if (!canManageJurisdictions(request.user)) return forbidden(request, reply);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale((request.query as { content?: string }).content, ctx.locale);
      return sendHtml(reply, JurisdictionFormPage({ ctx, jurisdiction, contentLocale, values: formValuesOf(jurisdiction, contentLocale) }) as string);
    });

    app.post('/jurisdictions/:slug/edit', { preHandler: app.csrfProtection }, async (request, reply) => {
      const jurisdiction = await loadJurisdiction(db, request);
      if (!canManageJurisdictions(request.user)) return forbidden(request, reply);
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const { input, errors } = readJurisdictionForm(values, contentLocale, jurisdiction);
      if (!errors.for('slug') && !(await isJurisdictionSlugFree(db, input.slug, jurisdiction.id))) errors.add('slug', 'form.error.taken');
      if (!errors.any) {
        try {
          await updateJurisdiction(db, requestActor(request, jurisdiction.id), { id: jurisdiction.id, ...input });
          setFlash(reply, 'jurisdictionsAdmin.flash.updated');
          return reply.redirect(`/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(input.slug)}`, 303);
        } catch (error) {
          if (!(error instanceof SlugTakenError)) throw error;
          errors.add(error.field, 'form.error.taken');
        }
      }
      return sendHtml(reply, JurisdictionFormPage({ ctx, jurisdiction, contentLocale, values, errors }) as string, 422);
    });
  };
}
