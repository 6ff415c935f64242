import { escapeHtml } from '@kitajs/html';
import { formatDate } from '../../i18n/index.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { Breadcrumbs, type Crumb } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { commitmentField } from './commands.js';
import { standardsPath } from './public-views.js';

export interface AssessmentsScope {
  jurisdiction: { slug: string; name: Translatable };
  plan: { slug: string; title: Translatable; submittedOn: string | null };
  commitments: { id: number; code: string; title: Translatable; endsOn: string }[];
  /** The viewer may open the jurisdiction's and plan's admin pages (the breadcrumbs link to them only then). */
  canManageContent: boolean;
}

export function assessmentsPath(locale: string, jurisdiction: string, plan: string): string {
  return `/${locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction)}/plans/${encodeURIComponent(plan)}/standards`;
}

function labelsOf(ctx: PageContext, scope: AssessmentsScope): Record<string, string> {
  const labels: Record<string, string> = { inception_assessed_on: ctx.t('standards.admin.inception') };
  for (const c of scope.commitments) labels[commitmentField(c.id)] = ctx.t('standards.admin.commitment', { code: c.code, end: formatDate(ctx.locale, c.endsOn) });
  return labels;
}

export function AssessmentsPage(props: { ctx: PageContext; scope: AssessmentsScope; values: FormValues; errors?: FormErrors | undefined }): JSX.Element {
  const { ctx, scope, values, errors } = props;
  const { t, locale } = ctx;
  const title = t('standards.admin.title');
  const labels = labelsOf(ctx, scope);
  const jurisdictionAdmin = `/${locale}/admin/jurisdictions/${encodeURIComponent(scope.jurisdiction.slug)}`;
  const crumbs: Crumb[] = [
    { href: `/${locale}/admin`, label: t('ui.nav.admin') },
    ...(scope.canManageContent
      ? [
          { href: jurisdictionAdmin, label: pickText(scope.jurisdiction.name, locale) || scope.jurisdiction.slug },
          { href: `${jurisdictionAdmin}/plans/${encodeURIComponent(scope.plan.slug)}`, label: pickText(scope.plan.title, locale) || scope.plan.slug },
        ]
      : []),
    { label: title },
  ];
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs} />
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {pickText(scope.plan.title, locale) || scope.plan.slug}
      </p>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <p safe>{t('standards.admin.intro')}</p>
      <p>
        <a href={standardsPath(locale, scope.jurisdiction.slug, scope.plan.slug)} safe>
          {t('standards.admin.publicLink')}
        </a>
      </p>
      <form method="post" action={assessmentsPath(locale, scope.jurisdiction.slug, scope.plan.slug)} novalidate>
        <CsrfField ctx={ctx} />
        <TextField
          ctx={ctx}
          name="inception_assessed_on"
          type="date"
          label={labels.inception_assessed_on!}
          hint={scope.plan.submittedOn ? t('standards.admin.submitted', { date: formatDate(locale, scope.plan.submittedOn) }) : t('standards.admin.notSubmitted')}
          values={values}
          errors={errors}
          optional
        />
        {scope.commitments.length ? (
          <fieldset>
            <legend safe>{t('standards.admin.commitmentsLegend')}</legend>
            {scope.commitments.map((c) => (
              <TextField ctx={ctx} name={commitmentField(c.id)} type="date" label={labels[commitmentField(c.id)]!} hint={pickText(c.title, locale)} values={values} errors={errors} optional />
            ))}
          </fieldset>
        ) : (
          ''
        )}
        <div class="form-actions">
          <button type="submit">{escapeHtml(t('form.save'))}</button>
        </div>
      </form>
    </Layout>
  );
}
