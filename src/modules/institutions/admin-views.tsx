import { escapeHtml } from '@kitajs/html';
import type { Locale } from '../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText } from '../../lib/translatable.js';
import { ContentLanguages, ContentLocaleField, inFormOrder, languageName, localesWithText, TranslationReference } from '../../ui/admin.js';
import { Breadcrumbs } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { INSTITUTION_KINDS } from '../commitments/domain.js';
import type { JurisdictionRow } from '../jurisdictions/commands.js';
import { adminBase, jurisdictionPath } from '../jurisdictions/admin-views.js';
import type { InstitutionRow } from './commands.js';

export function institutionLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    slug: t('institutionsAdmin.field.slug'),
    kind: t('institutionsAdmin.field.kind'),
    website: t('institutionsAdmin.field.website'),
    name: t('institutionsAdmin.field.name'),
    description: t('institutionsAdmin.field.description'),
  };
}

export interface InstitutionFormProps {
  ctx: PageContext;
  jurisdiction: JurisdictionRow;
  /** Absent for a new institution. */
  institution?: InstitutionRow | undefined;
  contentLocale: Locale;
  values: FormValues;
  errors?: FormErrors | undefined;
}

/** Create or edit an institution of a jurisdiction, one content language at a time. */
export function InstitutionFormPage({ ctx, jurisdiction, institution, contentLocale, values, errors: unordered }: InstitutionFormProps): JSX.Element {
  const { t } = ctx;
  const labels = institutionLabels(ctx);
  const errors = inFormOrder(unordered, labels);
  const jurisdictionName = pickText(jurisdiction.name, ctx.locale) || jurisdiction.slug;
  const base = jurisdictionPath(ctx, jurisdiction.slug);
  const name = institution ? pickText(institution.name, ctx.locale) || institution.slug : '';
  const title = institution ? t('institutionsAdmin.edit.title', { name }) : t('institutionsAdmin.new.title');
  const action = institution ? `${base}/institutions/${encodeURIComponent(institution.slug)}/edit` : `${base}/institutions/new`;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: adminBase(ctx), label: t('ui.nav.admin') },
          { href: base, label: jurisdictionName },
          { label: title },
        ]}
      />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <ContentLanguages
        ctx={ctx}
        current={contentLocale}
        path={action}
        withText={institution ? localesWithText(institution.name, institution.description) : undefined}
      />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} />
        <TextField ctx={ctx} name="slug" label={labels.slug!} hint={t('institutionsAdmin.field.slugHint')} values={values} errors={errors} />
        <Select
          ctx={ctx}
          name="kind"
          label={labels.kind!}
          values={values}
          errors={errors}
          options={INSTITUTION_KINDS.map((k) => ({ value: k, label: t(`domain.institutionKind.${k}`) }))}
        />
        <TextField ctx={ctx} name="website" type="url" label={labels.website!} values={values} errors={errors} optional />
        <fieldset class="translatable">
          <legend safe>{t('jurisdictionsAdmin.content.legend', { language: languageName(ctx, contentLocale) })}</legend>
          <TranslationReference ctx={ctx} label={labels.name!} value={institution?.name} locale={contentLocale} />
          <TextField ctx={ctx} name="name" label={labels.name!} hint={t('institutionsAdmin.field.nameHint')} values={values} errors={errors} lang={contentLocale} />
          <TranslationReference ctx={ctx} label={labels.description!} value={institution?.description} locale={contentLocale} />
          <TextArea ctx={ctx} name="description" label={labels.description!} values={values} errors={errors} lang={contentLocale} optional rows={6} />
        </fieldset>
        <div class="form-actions">
          <button type="submit">{escapeHtml(t('form.save'))}</button> <a href={`${base}#institutions`}>{escapeHtml(t('form.cancel'))}</a>
        </div>
      </form>
    </Layout>
  );
}
