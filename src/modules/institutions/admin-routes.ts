import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { SlugTakenError } from '../../db/errors.js';
import type { Locale } from '../../i18n/locales.js';
import { FormErrors, formValues, optionalText, optionalUrl, requireChoice, requireSlug, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { withLocaleText } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage, resolveContentLocale } from '../../ui/admin.js';
import { adminContext, requestActor, canManageContent } from '../accounts/index.js';
import { INSTITUTION_KINDS } from '../commitments/domain.js';
import { findJurisdictionBySlug, type JurisdictionRow } from '../jurisdictions/commands.js';
import {
  createInstitution,
  findInstitutionBySlug,
  isInstitutionSlugFree,
  updateInstitution,
  type InstitutionInput,
  type InstitutionRow,
} from './commands.js';
import { InstitutionFormPage } from './admin-views.js';

type Fields = Omit<InstitutionInput, 'jurisdictionId'>;

function readInstitutionForm(values: FormValues, contentLocale: Locale, existing?: InstitutionRow): { input: Fields; errors: FormErrors } {
  // Characters that cannot be stored are refused first, for every field (read by a helper or not).
  const errors = unstorableErrors(values);
  const slug = requireSlug(values, errors, 'slug');
  const kind = requireChoice(values, errors, 'kind', INSTITUTION_KINDS);
  const website = optionalUrl(values, errors, 'website');
  if (website && website.length > 500) errors.add('website', 'form.error.tooLong', { max: 500 });
  const name = optionalText(values, errors, 'name', 300);
  if (!name && Object.keys(withLocaleText(existing?.name ?? {}, contentLocale, '')).length === 0) errors.add('name', 'form.error.required');
  const description = optionalText(values, errors, 'description', 20_000);
  return { input: { slug, kind, website, contentLocale, name, description }, errors };
}

function formValuesOf(institution: InstitutionRow, contentLocale: Locale): FormValues {
  return {
    slug: institution.slug,
    kind: institution.kind,
    website: institution.website ?? '',
    name: institution.name[contentLocale] ?? '',
    description: institution.description[contentLocale] ?? '',
  };
}

/** Institutions of a jurisdiction in the administration. Mounted under /{locale}/admin. */
export function institutionAdminRoutes(db: Db) {
  /** Loads the jurisdiction (404 when unknown) and checks the user may manage its content. */
  async function load(request: FastifyRequest, reply: FastifyReply): Promise<{ jurisdiction: JurisdictionRow; institution?: InstitutionRow } | undefined> {
    const params = request.params as { slug: string; institution?: string };
    const jurisdiction = await findJurisdictionBySlug(db, params.slug);
    if (!jurisdiction) throw new NotFoundError();
    let institution: InstitutionRow | undefined;
    if (params.institution !== undefined) {
      institution = await findInstitutionBySlug(db, jurisdiction.id, params.institution);
      if (!institution) throw new NotFoundError();
    }
    if (!canManageContent(request.user, jurisdiction.id)) {
      sendHtml(reply, ForbiddenPage({ ctx: adminContext(request, reply) }) as string, 403);
      return undefined;
    }
    return { jurisdiction, ...(institution ? { institution } : {}) };
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/jurisdictions/:slug/institutions/new', async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale((request.query as { content?: string }).content, ctx.locale);
      return sendHtml(reply, InstitutionFormPage({ ctx, jurisdiction: loaded.jurisdiction, contentLocale, values: { kind: 'government' } }) as string);
    });

    app.post('/jurisdictions/:slug/institutions/new', { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const { jurisdiction } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const { input, errors } = readInstitutionForm(values, contentLocale);
      if (!errors.for('slug') && !(await isInstitutionSlugFree(db, jurisdiction.id, input.slug))) errors.add('slug', 'form.error.taken');
      if (!errors.any) {
        try {
          await createInstitution(db, requestActor(request, jurisdiction.id), { ...input, jurisdictionId: jurisdiction.id });
          setFlash(reply, 'institutionsAdmin.flash.created');
          return reply.redirect(`/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction.slug)}#institutions`, 303);
        } catch (error) {
          if (!(error instanceof SlugTakenError)) throw error;
          errors.add(error.field, 'form.error.taken');
        }
      }
      return sendHtml(reply, InstitutionFormPage({ ctx, jurisdiction, contentLocale, values, errors }) as string, 422);
    });

    app.get('/jurisdictions/:slug/institutions/:institution/edit', async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.institution) return reply;
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale((request.query as { content?: string }).content, ctx.locale);
      return sendHtml(
        reply,
        InstitutionFormPage({ ctx, ...loaded, contentLocale, values: formValuesOf(loaded.institution, contentLocale) }) as string,
      );
    });

    app.post('/jurisdictions/:slug/institutions/:institution/edit', { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.institution) return reply;
      const { jurisdiction, institution } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const { input, errors } = readInstitutionForm(values, contentLocale, institution);
      if (!errors.for('slug') && !(await isInstitutionSlugFree(db, jurisdiction.id, input.slug, institution.id))) errors.add('slug', 'form.error.taken');
      if (!errors.any) {
        try {
          await updateInstitution(db, requestActor(request, jurisdiction.id), { ...input, id: institution.id });
          setFlash(reply, 'institutionsAdmin.flash.updated');
          return reply.redirect(`/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction.slug)}#institutions`, 303);
        } catch (error) {
          if (!(error instanceof SlugTakenError)) throw error;
          errors.add(error.field, 'form.error.taken');
        }
      }
      return sendHtml(reply, InstitutionFormPage({ ctx, jurisdiction, institution, contentLocale, values, errors }) as string, 422);
    });
  };
}
