import { escapeHtml } from '@kitajs/html';
import type { MessageKey } from '../../i18n/index.js';
import { LOCALE_NAMES, type Locale } from '../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { Breadcrumbs } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { PROVENANCE_FIELDS, RENDERINGS, SOURCE_DOCUMENTS, type SourceRef } from './domain.js';
import { SourceNotes } from './views.js';

/** The label of each field an admin may name, from the modules' own labels. */
export const FIELD_LABELS: Record<string, MessageKey> = {
  title: 'plansAdmin.field.title',
  problem: 'commitment.problem',
  status_quo: 'commitment.statusQuo',
  action: 'commitment.action',
  contribution: 'commitment.contribution',
  long_term_goal: 'commitment.longTermGoal',
  ogp_values: 'commitment.ogpValues',
  policy_areas: 'commitment.policyAreas',
  starts_on: 'plansAdmin.field.startsOn',
  ends_on: 'plansAdmin.field.endsOn',
  institutions: 'provenance.field.institutions',
  submitted_on: 'plansAdmin.field.submittedOn',
  lead_institutions: 'plansAdmin.field.leadInstitutions',
  foreword: 'plansAdmin.field.foreword',
  cocreation_groups: 'plansAdmin.field.cocreationGroups',
  cocreation_public_meetings: 'plansAdmin.field.cocreationPublicMeetings',
  cocreation_summary: 'plansAdmin.field.cocreationSummary',
  endorsements: 'plan.endorsements',
};

/** Documents an admin names (the seed's own kinds first, then what admins usually have). */
const ADMIN_DOCUMENTS = ['document', 'link', 'minutes', ...SOURCE_DOCUMENTS.filter((d) => !['document', 'link', 'minutes'].includes(d))];

export interface SourcesPageProps {
  ctx: PageContext;
  entityType: 'action_plan' | 'commitment';
  /** What the page is about: the plan's title, or the commitment's code and title. */
  name: string;
  crumbs: { href?: string; label: string }[];
  action: string;
  recorded: { field: string; sources: SourceRef[] }[];
  values: FormValues;
  errors?: FormErrors | undefined;
}

export function SourcesPage({ ctx, entityType, name, crumbs, action, recorded, values, errors }: SourcesPageProps): JSX.Element {
  const { t } = ctx;
  const title = t('provenance.admin.title', { name });
  const fields = PROVENANCE_FIELDS[entityType];
  const labels: Record<string, string> = {
    field: t('provenance.admin.field'),
    document: t('provenance.admin.document'),
    title: t('provenance.admin.docTitle'),
    url: t('provenance.admin.url'),
    section: t('provenance.admin.section'),
    rendering: t('provenance.admin.rendering'),
    language: t('provenance.admin.language'),
    note: t('provenance.admin.note'),
  };
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs, { label: t('provenance.admin.crumb') }]} />
      <h1 safe>{title}</h1>
      <p safe>{t('provenance.admin.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <h2 safe>{t('provenance.admin.recorded')}</h2>
      {recorded.length ? (
        <dl class="facts">
          {recorded.map((r) => (
            <>
              <dt>{escapeHtml(t(FIELD_LABELS[r.field] ?? 'provenance.admin.field'))}</dt>
              <dd>
                <SourceNotes ctx={ctx} sources={r.sources} />
              </dd>
            </>
          ))}
        </dl>
      ) : (
        <p safe>{t('provenance.admin.none')}</p>
      )}
      <h2 safe>{t('provenance.admin.add')}</h2>
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <Select ctx={ctx} name="field" label={labels.field!} values={values} errors={errors} options={fields.map((f) => ({ value: f, label: t(FIELD_LABELS[f] ?? 'provenance.admin.field') }))} />
        <Select
          ctx={ctx}
          name="document"
          label={labels.document!}
          values={values}
          errors={errors}
          options={ADMIN_DOCUMENTS.map((d) => ({ value: d, label: t(`provenance.document.${d}` as MessageKey) }))}
        />
        <TextField ctx={ctx} name="title" label={labels.title!} values={values} errors={errors} optional />
        <TextField ctx={ctx} name="url" type="url" label={labels.url!} hint={t('provenance.admin.urlHint')} values={values} errors={errors} optional />
        <TextField ctx={ctx} name="section" label={labels.section!} values={values} errors={errors} optional />
        <Select
          ctx={ctx}
          name="rendering"
          label={labels.rendering!}
          values={values}
          errors={errors}
          placeholder={t('provenance.admin.renderingChoose')}
          options={RENDERINGS.map((r) => ({ value: r, label: t(`provenance.rendering.${r}` as MessageKey) }))}
        />
        <Select
          ctx={ctx}
          name="language"
          label={labels.language!}
          hint={t('provenance.admin.languageHint')}
          values={values}
          errors={errors}
          optional
          options={(['sq', 'sr-Latn', 'en', 'fr'] as Locale[]).map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
        />
        <TextArea ctx={ctx} name="note" label={labels.note!} values={values} errors={errors} optional rows={3} />
        <div class="form-actions">
          <button type="submit" safe>
            {t('provenance.admin.submit')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** The fields of a record that have sources, in the order of the form's fields. */
export function recordedByField(entityType: 'action_plan' | 'commitment', get: (field: string) => SourceRef[]): { field: string; sources: SourceRef[] }[] {
  return PROVENANCE_FIELDS[entityType].map((field) => ({ field, sources: get(field) })).filter((r) => r.sources.length > 0);
}

export function sourcesPageName(locale: Locale, title: Translatable, code?: string): string {
  return code ? `${code} ${pickText(title, locale)}` : pickText(title, locale);
}
