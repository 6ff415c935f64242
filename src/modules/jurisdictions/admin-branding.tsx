import { escapeHtml } from '@kitajs/html';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import type { Locale } from '../../i18n/locales.js';
import { FormErrors, formValues, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { pickText } from '../../lib/translatable.js';
import { BadRequestError, NotFoundError } from '../../plugins/errors.js';
import { verifyCsrf } from '../../plugins/csrf-check.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ContentLanguages, ContentLocaleField, ForbiddenPage, inFormOrder, languageName, resolveContentLocale, TranslationReference } from '../../ui/admin.js';
import { Breadcrumbs } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { adminContext, canManageContent, requestActor } from '../accounts/index.js';
import { adminBase, jurisdictionPath } from './admin-views.js';
import { BrandingInputError, checkColour, checkEmblem, findBranding, MAX_EMBLEM_BYTES, MAX_EMBLEM_PIXELS, updateJurisdictionBranding, type BrandingRow } from './branding.js';
import { findJurisdictionBySlug, type JurisdictionRow } from './commands.js';

/**
 * The portal form of a jurisdiction: /{locale}/admin/jurisdictions/{slug}/branding. A multipart
 * form (the emblem); the role is checked before the body is read, the body is bounded (one file
 * of MAX_EMBLEM_BYTES, a few short fields), and the CSRF token is checked before anything is saved.
 */

function labels(ctx: PageContext): Record<string, string> {
  return {
    portal_name: ctx.t('brandingAdmin.field.portalName'),
    accent_color: ctx.t('brandingAdmin.field.accentColor'),
    emblem: ctx.t('brandingAdmin.field.emblem'),
  };
}

export function BrandingFormPage({
  ctx,
  jurisdiction,
  branding,
  contentLocale,
  values,
  errors: unordered,
}: {
  ctx: PageContext;
  jurisdiction: JurisdictionRow;
  branding: BrandingRow | undefined;
  contentLocale: Locale;
  values: FormValues;
  errors?: FormErrors | undefined;
}): JSX.Element {
  const { t } = ctx;
  const l = labels(ctx);
  const errors = inFormOrder(unordered, l);
  const name = pickText(jurisdiction.name, ctx.locale) || jurisdiction.slug;
  const title = t('brandingAdmin.title', { name });
  const action = `${jurisdictionPath(ctx, jurisdiction.slug)}/branding`;
  const emblemError = errors?.for('emblem');
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: adminBase(ctx), label: t('ui.nav.admin') },
          { href: `${adminBase(ctx)}/jurisdictions`, label: t('jurisdictionsAdmin.list.title') },
          { href: jurisdictionPath(ctx, jurisdiction.slug), label: name },
          { label: t('brandingAdmin.short') },
        ]}
      />
      <h1 safe>{title}</h1>
      <p>{escapeHtml(t('brandingAdmin.intro'))}</p>
      <ErrorSummary ctx={ctx} errors={errors} labels={l} />
      <ContentLanguages ctx={ctx} current={contentLocale} path={action} />
      <form method="post" action={action} enctype="multipart/form-data" novalidate>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} />
        <fieldset class="translatable">
          <legend safe>{t('jurisdictionsAdmin.content.legend', { language: languageName(ctx, contentLocale) })}</legend>
          <TranslationReference ctx={ctx} label={l.portal_name!} value={branding?.portalName} locale={contentLocale} />
          <TextField ctx={ctx} name="portal_name" label={l.portal_name!} hint={t('brandingAdmin.field.portalNameHint')} values={values} errors={errors} lang={contentLocale} optional />
        </fieldset>
        <TextField ctx={ctx} name="accent_color" label={l.accent_color!} hint={t('brandingAdmin.field.accentColorHint')} values={values} errors={errors} optional />
        <div class={emblemError ? 'field field-error' : 'field'}>
          <label for="field-emblem">
            {escapeHtml(l.emblem!)}
            <span class="optional"> {escapeHtml(t('form.optional'))}</span>
          </label>
          <p class="hint" id="hint-emblem" safe>
            {t('brandingAdmin.field.emblemHint', { kb: Math.round(MAX_EMBLEM_BYTES / 1024) })}
          </p>
          {branding?.emblemSha256 ? (
            <p>
              {escapeHtml(t('brandingAdmin.emblem.current'))}{' '}
              <img class="emblem-preview" src={`/brand/${encodeURIComponent(jurisdiction.slug)}/emblem?v=${branding.emblemSha256.slice(0, 16)}`} alt={t('brandingAdmin.emblem.alt', { name })} />
            </p>
          ) : (
            ''
          )}
          {emblemError ? (
            <p class="error-message" id="error-emblem" safe>
              {t(emblemError.message as 'brandingAdmin.error.emblemType', emblemError.values)}
            </p>
          ) : (
            ''
          )}
          <input
            type="file"
            id="field-emblem"
            name="emblem"
            accept="image/png,image/jpeg,image/webp"
            aria-describedby={emblemError ? 'hint-emblem error-emblem' : 'hint-emblem'}
            aria-invalid={emblemError ? 'true' : undefined}
          />
          {branding?.emblemSha256 ? (
            <div class="checkbox">
              <input type="checkbox" id="field-remove_emblem" name="remove_emblem" value="1" checked={values.remove_emblem === '1'} />
              <label for="field-remove_emblem">{escapeHtml(t('brandingAdmin.field.removeEmblem'))}</label>
            </div>
          ) : (
            ''
          )}
        </div>
        <div class="form-actions">
          <button type="submit">{escapeHtml(t('form.save'))}</button> <a href={jurisdictionPath(ctx, jurisdiction.slug)}>{escapeHtml(t('form.cancel'))}</a>
        </div>
      </form>
    </Layout>
  );
}

interface BrandingForm {
  values: FormValues;
  emblem?: { content: Buffer; truncated: boolean } | undefined;
}

/** Reads the form: multipart (fields and at most one emblem, each bounded) or urlencoded. */
async function readBrandingForm(request: FastifyRequest): Promise<BrandingForm> {
  if (!request.isMultipart()) return { values: formValues(request.body) };
  const body: Record<string, string> = {};
  let emblem: BrandingForm['emblem'];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        if (part.fieldname === 'emblem' && (part.filename || content.length)) emblem = { content, truncated: part.file.truncated };
      } else if (typeof part.value === 'string') {
        body[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    if (typeof (error as { statusCode?: unknown })?.statusCode === 'number') throw error;
    throw new BadRequestError('malformed multipart body', { cause: error });
  }
  request.body = body;
  return { values: formValues(body), emblem };
}

const EMBLEM_ERRORS = {
  tooLarge: 'brandingAdmin.error.emblemTooLarge',
  type: 'brandingAdmin.error.emblemType',
  empty: 'brandingAdmin.error.emblemEmpty',
  dimensions: 'brandingAdmin.error.emblemDimensions',
} as const;

async function loadJurisdiction(db: Db, request: FastifyRequest): Promise<JurisdictionRow> {
  const { slug } = request.params as { slug: string };
  const jurisdiction = await findJurisdictionBySlug(db, slug);
  if (!jurisdiction) throw new NotFoundError();
  return jurisdiction;
}

function valuesOf(branding: BrandingRow | undefined, contentLocale: Locale): FormValues {
  return { portal_name: branding?.portalName[contentLocale] ?? '', accent_color: branding?.accentColor ?? '' };
}

/** Mounted under /{locale}/admin, inside the jurisdictions' admin routes. */
export async function brandingAdminRoutes(app: FastifyInstance, db: Db): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: MAX_EMBLEM_BYTES, files: 1, fields: 10, parts: 12, fieldSize: 10_000 },
    throwFileSizeLimit: false,
  });

  app.get('/jurisdictions/:slug/branding', async (request, reply) => {
    const jurisdiction = await loadJurisdiction(db, request);
    if (!canManageContent(request.user, jurisdiction.id)) return sendHtml(reply, ForbiddenPage({ ctx: adminContext(request, reply) }) as string, 403);
    const ctx = adminContext(request, reply);
    const contentLocale = resolveContentLocale((request.query as { content?: string }).content, ctx.locale);
    const branding = await findBranding(db, jurisdiction.id);
    return sendHtml(reply, BrandingFormPage({ ctx, jurisdiction, branding, contentLocale, values: valuesOf(branding, contentLocale) }) as string);
  });

  app.post('/jurisdictions/:slug/branding', async (request, reply) => {
    const jurisdiction = await loadJurisdiction(db, request);
    // The role first: nobody else's upload is read.
    if (!canManageContent(request.user, jurisdiction.id)) return sendHtml(reply, ForbiddenPage({ ctx: adminContext(request, reply) }) as string, 403);
    const form = await readBrandingForm(request);
    verifyCsrf(app, request, reply);
    const ctx = adminContext(request, reply);
    const { values } = form;
    const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
    const errors = unstorableErrors(values);
    const portalName = (values.portal_name ?? '').trim();
    if (portalName.length > 120) errors.add('portal_name', 'form.error.tooLong', { max: 120 });
    const colour = checkColour(values.accent_color ?? '');
    if (!colour.ok) {
      if (colour.reason === 'format') errors.add('accent_color', 'brandingAdmin.error.colourFormat');
      else errors.add('accent_color', 'brandingAdmin.error.contrast', { ratio: (colour.ratio ?? 0).toFixed(2) });
    }
    if (form.emblem) {
      const checked = await checkEmblem(form.emblem.content, form.emblem.truncated);
      if (!checked.ok) errors.add('emblem', EMBLEM_ERRORS[checked.reason], { kb: Math.round(MAX_EMBLEM_BYTES / 1024), pixels: MAX_EMBLEM_PIXELS });
    }
    if (!errors.any) {
      try {
        await updateJurisdictionBranding(db, requestActor(request, jurisdiction.id), {
          jurisdictionId: jurisdiction.id,
          contentLocale,
          portalName,
          accentColor: values.accent_color ?? '',
          emblem: form.emblem,
          removeEmblem: values.remove_emblem === '1',
        });
        setFlash(reply, 'brandingAdmin.flash.saved');
        return reply.redirect(jurisdictionPath(ctx, jurisdiction.slug), 303);
      } catch (error) {
        if (!(error instanceof BrandingInputError)) throw error;
        if (error.field === 'accent_color') errors.add(error.field, 'brandingAdmin.error.colourFormat');
        else if (error.field === 'emblem') errors.add(error.field, 'brandingAdmin.error.emblemType');
        else errors.add(error.field, 'form.error.tooLong', { max: 120 });
      }
    }
    const branding = await findBranding(db, jurisdiction.id);
    return sendHtml(reply, BrandingFormPage({ ctx, jurisdiction, branding, contentLocale, values, errors }) as string, 422);
  });
}
