import { formatDate, INTL_LOCALE, type MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { ContentLanguages, ContentLocaleField, inFormOrder, languageName, TranslationReference } from '../../ui/admin.js';
import { Breadcrumbs, Localized, StatusTag, type Crumb } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Checkboxes, CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { CODE_EXAMPLE, NATIONAL_CODE_EXAMPLE } from './commands.js';
import { MILESTONE_STATUSES, OGP_LENSES, OGP_VALUES } from './domain.js';

export interface InstitutionOption {
  id: number;
  name: Translatable;
}

export interface PlanScopeView {
  jurisdiction: { slug: string; name: Translatable };
  plan: { slug: string; title: Translatable };
}

export interface MilestoneListItem {
  code: string;
  title: Translatable;
  dueOn: string;
  status: string;
  weight: number;
}

/** The admin path of a plan's commitments, `/{locale}/admin/jurisdictions/{j}/plans/{p}/commitments`. */
export function commitmentsPath(locale: Locale, jurisdiction: string, plan: string): string {
  return `/${locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction)}/plans/${encodeURIComponent(plan)}/commitments`;
}

export function commitmentEditPath(locale: Locale, jurisdiction: string, plan: string, code: string): string {
  return `${commitmentsPath(locale, jurisdiction, plan)}/${encodeURIComponent(code)}/edit`;
}

export function milestoneEditPath(locale: Locale, jurisdiction: string, plan: string, code: string, milestoneCode: string): string {
  return `${commitmentsPath(locale, jurisdiction, plan)}/${encodeURIComponent(code)}/milestones/${encodeURIComponent(milestoneCode)}/edit`;
}

/** Adds `?content=` when the content language is not the page's own. */
export function withContent(path: string, ctx: PageContext, contentLocale: Locale): string {
  return contentLocale === ctx.locale ? path : `${path}?content=${encodeURIComponent(contentLocale)}`;
}

function sortedByName(ctx: PageContext, institutions: InstitutionOption[]): InstitutionOption[] {
  return [...institutions].sort((a, b) => pickText(a.name, ctx.locale).localeCompare(pickText(b.name, ctx.locale), INTL_LOCALE[ctx.locale]));
}

/** Administration › jurisdiction › plan: the first crumbs of every page here. */
function planCrumbs(ctx: PageContext, scope: PlanScopeView): Crumb[] {
  const jurisdiction = `/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(scope.jurisdiction.slug)}`;
  return [
    { href: `/${ctx.locale}/admin`, label: ctx.t('ui.nav.admin') },
    { href: jurisdiction, label: pickText(scope.jurisdiction.name, ctx.locale) || scope.jurisdiction.slug },
    { href: `${jurisdiction}/plans/${encodeURIComponent(scope.plan.slug)}`, label: pickText(scope.plan.title, ctx.locale) || scope.plan.slug },
  ];
}

export interface CommitmentFormProps {
  ctx: PageContext;
  scope: PlanScopeView;
  /** The stored code when editing (the typed one may differ). */
  existingCode?: string | undefined;
  /** Where the form is sent (without query string). */
  action: string;
  institutions: InstitutionOption[];
  values: FormValues;
  ogpValues: string[];
  /** Role per institution id: 'lead', 'supporting' or ''. */
  roles: Record<number, string>;
  contentLocale: Locale;
  filledLocales: Locale[];
  errors?: FormErrors | undefined;
  milestones?: MilestoneListItem[] | undefined;
  /** Per translatable field, its stored texts when editing (shown to translate from). */
  reference?: Partial<Record<string, Translatable>> | undefined;
}

export function commitmentLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    code: t('commitmentsAdmin.commitment.code'),
    position: t('commitmentsAdmin.commitment.position'),
    title: t('commitmentsAdmin.commitment.title'),
    problem: t('commitmentsAdmin.commitment.problem'),
    status_quo: t('commitmentsAdmin.commitment.statusQuo'),
    action: t('commitmentsAdmin.commitment.action'),
    contribution: t('commitmentsAdmin.commitment.contribution'),
    long_term_goal: t('commitmentsAdmin.commitment.longTermGoal'),
    ogp_values: t('commitmentsAdmin.commitment.ogpValues'),
    ogp_lenses: t('commitmentsAdmin.commitment.ogpLenses'),
    policy_areas: t('commitmentsAdmin.commitment.policyAreas'),
    institutions: t('commitmentsAdmin.commitment.institutions'),
    starts_on: t('commitmentsAdmin.commitment.startsOn'),
    ends_on: t('commitmentsAdmin.commitment.endsOn'),
  };
}

export function CommitmentFormPage(props: CommitmentFormProps): JSX.Element {
  const { ctx, scope, values, contentLocale } = props;
  const { t } = ctx;
  const labels = commitmentLabels(ctx);
  const errors = inFormOrder(props.errors, labels);
  const editing = props.existingCode !== undefined;
  const title = editing ? t('commitmentsAdmin.commitment.editTitle', { code: props.existingCode ?? '' }) : t('commitmentsAdmin.commitment.newTitle');
  const institutionsError = errors?.for('institutions');
  const lang = contentLocale;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...planCrumbs(ctx, scope), { label: title }]} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      {/* The milestones first, with "Add a milestone" at their top: the commitment's form is long. */}
      {editing && props.milestones ? (
        <MilestoneList ctx={ctx} scope={scope} code={props.existingCode ?? ''} milestones={props.milestones} />
      ) : (
        ''
      )}
      {editing ? (
        <h2 id="commitment-form-title" safe>
          {t('commitmentsAdmin.commitment.formTitle')}
        </h2>
      ) : (
        ''
      )}
      <ContentLanguages ctx={ctx} current={contentLocale} path={props.action} withText={props.filledLocales} />
      <form method="post" action={withContent(props.action, ctx, contentLocale)} novalidate aria-labelledby={editing ? 'commitment-form-title' : undefined}>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} name="content" />
        <TextField ctx={ctx} name="code" label={labels.code!} hint={t('commitmentsAdmin.commitment.codeHint', { example: CODE_EXAMPLE, national: NATIONAL_CODE_EXAMPLE })} values={values} errors={errors} />
        <TextField ctx={ctx} name="position" type="number" label={labels.position!} hint={t('commitmentsAdmin.commitment.positionHint')} values={values} errors={errors} optional />
        <fieldset class="translatable">
          <legend safe>{t('commitmentsAdmin.content.texts', { language: languageName(ctx, contentLocale) })}</legend>
          <TextField ctx={ctx} name="title" label={labels.title!} values={values} errors={errors} lang={lang} />
          <TranslationReference ctx={ctx} label={labels.title!} value={props.reference?.title} locale={contentLocale} />
          <TextArea ctx={ctx} name="problem" label={labels.problem!} values={values} errors={errors} lang={lang} optional />
          <TranslationReference ctx={ctx} label={labels.problem!} value={props.reference?.problem} locale={contentLocale} />
          <TextArea ctx={ctx} name="status_quo" label={labels.status_quo!} values={values} errors={errors} lang={lang} optional />
          <TranslationReference ctx={ctx} label={labels.status_quo!} value={props.reference?.status_quo} locale={contentLocale} />
          <TextArea ctx={ctx} name="action" label={labels.action!} values={values} errors={errors} lang={lang} optional />
          <TranslationReference ctx={ctx} label={labels.action!} value={props.reference?.action} locale={contentLocale} />
          <TextArea ctx={ctx} name="contribution" label={labels.contribution!} values={values} errors={errors} lang={lang} optional />
          <TranslationReference ctx={ctx} label={labels.contribution!} value={props.reference?.contribution} locale={contentLocale} />
          <TextArea ctx={ctx} name="long_term_goal" label={labels.long_term_goal!} values={values} errors={errors} lang={lang} optional />
          <TranslationReference ctx={ctx} label={labels.long_term_goal!} value={props.reference?.long_term_goal} locale={contentLocale} />
        </fieldset>
        <Checkboxes
          ctx={ctx}
          name="ogp_values"
          label={labels.ogp_values!}
          values={values}
          errors={errors}
          selected={props.ogpValues}
          options={OGP_VALUES.map((v) => ({ value: v, label: t(`domain.ogpValue.${v}` as MessageKey) }))}
        />
        <Checkboxes
          ctx={ctx}
          name="ogp_lenses"
          label={labels.ogp_lenses!}
          values={values}
          errors={errors}
          selected={props.ogpValues}
          options={OGP_LENSES.map((v) => ({ value: v, label: t(`domain.ogpValue.${v}` as MessageKey) }))}
        />
        <TextArea ctx={ctx} name="policy_areas" label={labels.policy_areas!} hint={t('commitmentsAdmin.commitment.policyAreasHint')} values={values} errors={errors} rows={4} optional />
        <fieldset class={institutionsError ? 'field field-error' : 'field'} id="field-institutions" aria-describedby="hint-institutions">
          <legend safe>{labels.institutions}</legend>
          <p class="hint" id="hint-institutions" safe>
            {t('commitmentsAdmin.commitment.institutionsHint')}
          </p>
          {institutionsError ? (
            <p class="error-message" safe>
              {t(institutionsError.message as MessageKey, institutionsError.values)}
            </p>
          ) : (
            ''
          )}
          {props.institutions.length === 0 ? (
            <p>
              <span safe>{t('commitmentsAdmin.commitment.noInstitutions')}</span>{' '}
              <a href={`/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(scope.jurisdiction.slug)}/institutions/new`} safe>
                {t('commitmentsAdmin.commitment.addInstitution')}
              </a>
            </p>
          ) : (
            sortedByName(ctx, props.institutions).map((institution) => {
              const role = props.roles[institution.id] ?? '';
              return (
                <div class="field field-inline">
                  <label for={`field-role_${institution.id}`}>
                    <Localized ctx={ctx} value={institution.name} />
                  </label>
                  <select id={`field-role_${institution.id}`} name={`role_${institution.id}`}>
                    <option value="" selected={role === ''} safe>
                      {t('commitmentsAdmin.commitment.roleNone')}
                    </option>
                    <option value="lead" selected={role === 'lead'} safe>
                      {t('domain.role.lead')}
                    </option>
                    <option value="supporting" selected={role === 'supporting'} safe>
                      {t('domain.role.supporting')}
                    </option>
                    <option value="involved" selected={role === 'involved'} safe>
                      {t('provenance.role.involved')}
                    </option>
                  </select>
                </div>
              );
            })
          )}
        </fieldset>
        <TextField ctx={ctx} name="starts_on" type="date" label={labels.starts_on!} hint={t('commitmentsAdmin.dateHint')} values={values} errors={errors} />
        <TextField ctx={ctx} name="ends_on" type="date" label={labels.ends_on!} hint={t('commitmentsAdmin.dateHint')} values={values} errors={errors} />
        <div class="form-actions">
          <button type="submit" safe>{editing ? t('form.save') : t('commitmentsAdmin.commitment.create')}</button>
        </div>
      </form>
      {editing ? (
        <p>
          <a href={`${commitmentsPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug)}/${encodeURIComponent(props.existingCode ?? '')}/sources`} safe>
            {t('provenance.admin.link')}
          </a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}

function MilestoneList({ ctx, scope, code, milestones }: { ctx: PageContext; scope: PlanScopeView; code: string; milestones: MilestoneListItem[] }): JSX.Element {
  const { t } = ctx;
  const base = commitmentsPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug);
  return (
    <section class="milestones" aria-labelledby="milestones-title">
      <h2 id="milestones-title" safe>{t('commitmentsAdmin.milestones.title')}</h2>
      <p>
        <a class="button" href={`${base}/${encodeURIComponent(code)}/milestones/new`} safe>
          {t('commitmentsAdmin.milestones.add')}
        </a>
      </p>
      {milestones.length === 0 ? (
        <p safe>{t('commitmentsAdmin.milestones.none')}</p>
      ) : (
        <table>
          <caption safe>{t('commitmentsAdmin.milestones.caption', { count: milestones.length })}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('commitmentsAdmin.milestone.code')}</th>
              <th scope="col" safe>{t('commitmentsAdmin.milestone.title')}</th>
              <th scope="col" safe>{t('commitmentsAdmin.milestone.dueOn')}</th>
              <th scope="col" safe>{t('commitmentsAdmin.milestone.status')}</th>
              <th scope="col" safe>{t('commitmentsAdmin.milestone.weight')}</th>
              <th scope="col" safe>{t('commitmentsAdmin.milestones.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {milestones.map((m) => (
              <tr>
                <th scope="row" safe>
                  {m.code}
                </th>
                <Localized ctx={ctx} value={m.title} as="td" />
                <td safe>{formatDate(ctx.locale, m.dueOn)}</td>
                <td>
                  <StatusTag status={m.status} label={t(`domain.milestoneStatus.${m.status}` as MessageKey)} />
                </td>
                <td safe>{String(m.weight)}</td>
                <td>
                  <a href={milestoneEditPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, code, m.code)} safe>
                    {t('commitmentsAdmin.milestones.edit', { code: m.code })}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export interface MilestoneFormProps {
  ctx: PageContext;
  scope: PlanScopeView;
  commitment: { code: string; title: Translatable };
  /** The stored code when editing. */
  existingCode?: string | undefined;
  action: string;
  institutions: InstitutionOption[];
  values: FormValues;
  contentLocale: Locale;
  filledLocales: Locale[];
  errors?: FormErrors | undefined;
  /** Per translatable field, its stored texts when editing (shown to translate from). */
  reference?: Partial<Record<string, Translatable>> | undefined;
}

export function milestoneLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    code: t('commitmentsAdmin.milestone.code'),
    position: t('commitmentsAdmin.milestone.position'),
    title: t('commitmentsAdmin.milestone.title'),
    expected_output: t('commitmentsAdmin.milestone.expectedOutput'),
    indicator: t('commitmentsAdmin.milestone.indicator'),
    responsible_institution_id: t('commitmentsAdmin.milestone.responsible'),
    starts_on: t('commitmentsAdmin.milestone.startsOn'),
    due_on: t('commitmentsAdmin.milestone.dueOn'),
    status: t('commitmentsAdmin.milestone.status'),
    completed_on: t('commitmentsAdmin.milestone.completedOn'),
    cancelled_on: t('commitmentsAdmin.milestone.cancelledOn'),
    weight: t('commitmentsAdmin.milestone.weight'),
  };
}

export function MilestoneFormPage(props: MilestoneFormProps): JSX.Element {
  const { ctx, scope, values, contentLocale, commitment } = props;
  const { t } = ctx;
  const labels = milestoneLabels(ctx);
  const errors = inFormOrder(props.errors, labels);
  const editing = props.existingCode !== undefined;
  const title = editing
    ? t('commitmentsAdmin.milestone.editTitle', { code: props.existingCode ?? '' })
    : t('commitmentsAdmin.milestone.newTitle', { code: commitment.code });
  const commitmentPath = commitmentEditPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, commitment.code);
  const lang = contentLocale;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs
        ctx={ctx}
        items={[
          ...planCrumbs(ctx, scope),
          { href: commitmentPath, label: t('commitmentsAdmin.commitment.editTitle', { code: commitment.code }) },
          { label: title },
        ]}
      />
      <h1 safe>{title}</h1>
      <p class="lead">
        <span safe>{commitment.code}</span> · <Localized ctx={ctx} value={commitment.title} />
      </p>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <ContentLanguages ctx={ctx} current={contentLocale} path={props.action} withText={props.filledLocales} />
      <form method="post" action={withContent(props.action, ctx, contentLocale)} novalidate>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} name="content" />
        <TextField ctx={ctx} name="code" label={labels.code!} hint={t('commitmentsAdmin.milestone.codeHint', { prefix: `${commitment.code}.` })} values={values} errors={errors} />
        <TextField ctx={ctx} name="position" type="number" label={labels.position!} hint={t('commitmentsAdmin.milestone.positionHint')} values={values} errors={errors} optional />
        <fieldset class="translatable">
          <legend safe>{t('commitmentsAdmin.content.texts', { language: languageName(ctx, contentLocale) })}</legend>
          <TextField ctx={ctx} name="title" label={labels.title!} values={values} errors={errors} lang={lang} />
          <TranslationReference ctx={ctx} label={labels.title!} value={props.reference?.title} locale={contentLocale} />
          <TextArea ctx={ctx} name="expected_output" label={labels.expected_output!} values={values} errors={errors} lang={lang} rows={3} optional />
          <TranslationReference ctx={ctx} label={labels.expected_output!} value={props.reference?.expected_output} locale={contentLocale} />
          <TextArea ctx={ctx} name="indicator" label={labels.indicator!} values={values} errors={errors} lang={lang} rows={3} optional />
          <TranslationReference ctx={ctx} label={labels.indicator!} value={props.reference?.indicator} locale={contentLocale} />
        </fieldset>
        <Select
          ctx={ctx}
          name="responsible_institution_id"
          label={labels.responsible_institution_id!}
          values={values}
          errors={errors}
          optional
          options={sortedByName(ctx, props.institutions).map((i) => ({ value: String(i.id), label: pickText(i.name, ctx.locale) }))}
        />
        <TextField ctx={ctx} name="starts_on" type="date" label={labels.starts_on!} hint={t('commitmentsAdmin.dateHint')} values={values} errors={errors} optional />
        <TextField ctx={ctx} name="due_on" type="date" label={labels.due_on!} hint={t('commitmentsAdmin.dateHint')} values={values} errors={errors} />
        <Select
          ctx={ctx}
          name="status"
          label={labels.status!}
          values={values}
          errors={errors}
          // A new milestone's status is an answer nobody may assume: the person chooses it.
          placeholder={editing ? undefined : t('commitmentsAdmin.milestone.statusChoose')}
          options={MILESTONE_STATUSES.map((s) => ({ value: s, label: t(`domain.milestoneStatus.${s}` as MessageKey) }))}
        />
        <TextField ctx={ctx} name="completed_on" type="date" label={labels.completed_on!} hint={t('commitmentsAdmin.milestone.completedOnHint')} values={values} errors={errors} optional />
        <TextField ctx={ctx} name="cancelled_on" type="date" label={labels.cancelled_on!} hint={t('commitmentsAdmin.milestone.cancelledOnHint')} values={values} errors={errors} optional />
        <TextField ctx={ctx} name="weight" type="number" label={labels.weight!} hint={t('commitmentsAdmin.milestone.weightHint')} values={values} errors={errors} />
        <div class="form-actions">
          <button type="submit" safe>{editing ? t('form.save') : t('commitmentsAdmin.milestone.create')}</button>{' '}
          <a href={withContent(commitmentPath, ctx, contentLocale)} safe>{t('form.cancel')}</a>
        </div>
      </form>
    </Layout>
  );
}
