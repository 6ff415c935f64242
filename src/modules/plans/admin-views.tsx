import { escapeHtml } from '@kitajs/html';
import { formatDate } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText } from '../../lib/translatable.js';
import { ContentLanguages, ContentLocaleField, inFormOrder, localesWithText, TranslationReference } from '../../ui/admin.js';
import { Breadcrumbs, DemoTag, Localized } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Checkboxes, CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { ENDORSEMENT_SECTORS, planStatusOf } from '../commitments/domain.js';
import type { JurisdictionRow } from '../jurisdictions/commands.js';
import { adminBase, jurisdictionPath } from '../jurisdictions/admin-views.js';
import type { InstitutionRow } from '../institutions/commands.js';
import type { ActionPlanDetails, PlanCommitmentRow } from './commands.js';

/** Number of vision rows held in the form values (`vision_<i>_id`). */
export function visionRowCount(values: FormValues): number {
  let i = 0;
  while (values[`vision_${i}_id`] !== undefined) i++;
  return i;
}

/** Number of endorsement rows held in the form values (`endorsement_<i>_organization`). */
export function endorsementRowCount(values: FormValues): number {
  let i = 0;
  while (values[`endorsement_${i}_organization`] !== undefined) i++;
  return i;
}

export function planPath(ctx: PageContext, jurisdictionSlug: string, planSlug: string): string {
  return `${jurisdictionPath(ctx, jurisdictionSlug)}/plans/${encodeURIComponent(planSlug)}`;
}

/** Labels of every field, including the repeated ones, for the error summary. */
export function planLabels(ctx: PageContext, values: FormValues): Record<string, string> {
  const { t } = ctx;
  const labels: Record<string, string> = {
    slug: t('plansAdmin.field.slug'),
    title: t('plansAdmin.field.title'),
    starts_on: t('plansAdmin.field.startsOn'),
    ends_on: t('plansAdmin.field.endsOn'),
    submitted_on: t('plansAdmin.field.submittedOn'),
    withdrawn_on: t('plansAdmin.field.withdrawnOn'),
    assessed_on: t('plansAdmin.field.assessedOn'),
    foreword: t('plansAdmin.field.foreword'),
    lead_institutions: t('plansAdmin.field.leadInstitutions'),
    cocreation_groups: t('plansAdmin.field.cocreationGroups'),
    cocreation_public_meetings: t('plansAdmin.field.cocreationPublicMeetings'),
    cocreation_summary: t('plansAdmin.field.cocreationSummary'),
  };
  for (let i = 0; i < visionRowCount(values); i++) {
    const section = t('plansAdmin.vision.section', { number: i + 1 });
    labels[`vision_${i}_question`] = `${section}: ${t('plansAdmin.vision.question')}`;
    labels[`vision_${i}_answer`] = `${section}: ${t('plansAdmin.vision.answer')}`;
    labels[`vision_${i}_position`] = `${section}: ${t('plansAdmin.vision.position')}`;
  }
  labels.vision_new_question = `${t('plansAdmin.vision.new')}: ${t('plansAdmin.vision.question')}`;
  labels.vision_new_answer = `${t('plansAdmin.vision.new')}: ${t('plansAdmin.vision.answer')}`;
  for (let i = 0; i < endorsementRowCount(values); i++) {
    const row = t('plansAdmin.endorsements.row', { number: i + 1 });
    labels[`endorsement_${i}_organization`] = `${row}: ${t('plansAdmin.endorsements.organization')}`;
    labels[`endorsement_${i}_sector`] = `${row}: ${t('plansAdmin.endorsements.sector')}`;
  }
  return labels;
}

export interface PlanFormProps {
  ctx: PageContext;
  jurisdiction: JurisdictionRow;
  /** Absent for a new plan. */
  plan?: ActionPlanDetails | undefined;
  institutions: InstitutionRow[];
  contentLocale: Locale;
  values: FormValues;
  leadInstitutionIds: string[];
  errors?: FormErrors | undefined;
}

/** Create or edit an action plan: the plan's facts always, its text in one content language. */
export function PlanFormPage(props: PlanFormProps): JSX.Element {
  const { ctx, jurisdiction, plan, institutions, contentLocale, values, leadInstitutionIds } = props;
  const { t } = ctx;
  const labels = planLabels(ctx, values);
  const errors = inFormOrder(props.errors, labels);
  const base = jurisdictionPath(ctx, jurisdiction.slug);
  const jurisdictionName = pickText(jurisdiction.name, ctx.locale) || jurisdiction.slug;
  const planTitle = plan ? pickText(plan.title, ctx.locale) || plan.slug : '';
  const title = plan ? t('plansAdmin.edit.title', { title: planTitle }) : t('plansAdmin.new.title');
  const action = plan ? `${planPath(ctx, jurisdiction.slug, plan.slug)}/edit` : `${base}/plans/new`;
  const sectionsById = new Map((plan?.visionSections ?? []).map((s) => [String(s.id), s]));
  const withText = plan
    ? localesWithText(plan.title, plan.foreword, plan.cocreationSummary, ...plan.visionSections.flatMap((s) => [s.question, s.answer]))
    : undefined;
  const lang = contentLocale;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: adminBase(ctx), label: t('ui.nav.admin') },
          { href: base, label: jurisdictionName },
          ...(plan ? [{ href: planPath(ctx, jurisdiction.slug, plan.slug), label: planTitle }] : []),
          { label: plan ? t('plansAdmin.edit') : t('plansAdmin.new.title') },
        ]}
      />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <ContentLanguages ctx={ctx} current={contentLocale} path={action} withText={withText} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} />

        <fieldset>
          <legend>{escapeHtml(t('plansAdmin.group.plan'))}</legend>
          <TextField ctx={ctx} name="slug" label={labels.slug!} hint={t('plansAdmin.field.slugHint')} values={values} errors={errors} />
          <TranslationReference ctx={ctx} label={labels.title!} value={plan?.title} locale={contentLocale} />
          <TextField ctx={ctx} name="title" label={labels.title!} values={values} errors={errors} lang={lang} />
          <TextField ctx={ctx} name="starts_on" type="date" label={labels.starts_on!} hint={t('plansAdmin.field.dateHint')} values={values} errors={errors} />
          <TextField ctx={ctx} name="ends_on" type="date" label={labels.ends_on!} hint={t('plansAdmin.field.dateHint')} values={values} errors={errors} />
          <TextField ctx={ctx} name="submitted_on" type="date" label={labels.submitted_on!} hint={t('plansAdmin.field.dateHint')} values={values} errors={errors} optional />
          <p class="hint">{escapeHtml(t('plansAdmin.field.statusDerived'))}</p>
          <TextField ctx={ctx} name="withdrawn_on" type="date" label={labels.withdrawn_on!} hint={t('plansAdmin.field.withdrawnOnHint')} values={values} errors={errors} optional />
          <TextField ctx={ctx} name="assessed_on" type="date" label={labels.assessed_on!} hint={t('plansAdmin.field.assessedOnHint')} values={values} errors={errors} optional />
          <TranslationReference ctx={ctx} label={labels.foreword!} value={plan?.foreword} locale={contentLocale} />
          <TextArea ctx={ctx} name="foreword" label={labels.foreword!} values={values} errors={errors} lang={lang} optional rows={8} />
          {institutions.length ? (
            <Checkboxes
              ctx={ctx}
              name="lead_institutions"
              label={labels.lead_institutions!}
              values={values}
              errors={errors}
              options={institutions.map((i) => ({ value: String(i.id), label: pickText(i.name, ctx.locale) || i.slug }))}
              selected={leadInstitutionIds}
            />
          ) : (
            <p class="hint">
              {escapeHtml(t('plansAdmin.field.leadInstitutionsNone'))} <a href={`${base}/institutions/new`}>{escapeHtml(t('jurisdictionsAdmin.page.newInstitution'))}</a>
            </p>
          )}
        </fieldset>

        <fieldset>
          <legend>{escapeHtml(t('plansAdmin.group.cocreation'))}</legend>
          <TextField ctx={ctx} name="cocreation_groups" type="number" label={labels.cocreation_groups!} values={values} errors={errors} optional />
          <TextField ctx={ctx} name="cocreation_public_meetings" type="number" label={labels.cocreation_public_meetings!} values={values} errors={errors} optional />
          <TranslationReference ctx={ctx} label={labels.cocreation_summary!} value={plan?.cocreationSummary} locale={contentLocale} />
          <TextArea ctx={ctx} name="cocreation_summary" label={labels.cocreation_summary!} values={values} errors={errors} lang={lang} optional rows={6} />
        </fieldset>

        <fieldset>
          <legend>{escapeHtml(t('plansAdmin.group.vision'))}</legend>
          <p class="hint">{escapeHtml(t('plansAdmin.vision.intro'))}</p>
          {Array.from({ length: visionRowCount(values) }, (_, i) => {
            const section = sectionsById.get(values[`vision_${i}_id`] ?? '');
            return (
              <fieldset class="repeated">
                <legend>{escapeHtml(t('plansAdmin.vision.section', { number: i + 1 }))}</legend>
                <input type="hidden" name={`vision_${i}_id`} value={values[`vision_${i}_id`] ?? ''} />
                <TranslationReference ctx={ctx} label={t('plansAdmin.vision.question')} value={section?.question} locale={contentLocale} />
                <TextField ctx={ctx} name={`vision_${i}_question`} label={t('plansAdmin.vision.question')} values={values} errors={errors} lang={lang} optional />
                <TranslationReference ctx={ctx} label={t('plansAdmin.vision.answer')} value={section?.answer} locale={contentLocale} />
                <TextArea ctx={ctx} name={`vision_${i}_answer`} label={t('plansAdmin.vision.answer')} values={values} errors={errors} lang={lang} optional rows={6} />
                <TextField
                  ctx={ctx}
                  name={`vision_${i}_position`}
                  type="number"
                  label={t('plansAdmin.vision.position')}
                  hint={t('plansAdmin.vision.positionHint')}
                  values={values}
                  errors={errors}
                  optional
                />
                <div class="checkbox">
                  <input type="checkbox" id={`field-vision_${i}_remove`} name={`vision_${i}_remove`} value="1" checked={values[`vision_${i}_remove`] === '1'} />
                  <label for={`field-vision_${i}_remove`}>{escapeHtml(t('plansAdmin.vision.remove'))}</label>
                </div>
              </fieldset>
            );
          })}
          <fieldset class="repeated">
            <legend>{escapeHtml(t('plansAdmin.vision.new'))}</legend>
            <p class="hint">{escapeHtml(t('plansAdmin.vision.newHint'))}</p>
            <TextField ctx={ctx} name="vision_new_question" label={t('plansAdmin.vision.question')} values={values} errors={errors} lang={lang} optional />
            <TextArea ctx={ctx} name="vision_new_answer" label={t('plansAdmin.vision.answer')} values={values} errors={errors} lang={lang} optional rows={6} />
          </fieldset>
        </fieldset>

        <fieldset>
          <legend>{escapeHtml(t('plansAdmin.group.endorsements'))}</legend>
          <p class="hint">{escapeHtml(t('plansAdmin.endorsements.intro'))}</p>
          {Array.from({ length: endorsementRowCount(values) }, (_, i) => (
            <fieldset class="repeated endorsement">
              <legend>{escapeHtml(t('plansAdmin.endorsements.row', { number: i + 1 }))}</legend>
              <TextField ctx={ctx} name={`endorsement_${i}_organization`} label={t('plansAdmin.endorsements.organization')} values={values} errors={errors} optional />
              <Select
                ctx={ctx}
                name={`endorsement_${i}_sector`}
                label={t('plansAdmin.endorsements.sector')}
                values={values}
                errors={errors}
                options={ENDORSEMENT_SECTORS.map((s) => ({ value: s, label: t(`domain.sector.${s}`) }))}
              />
            </fieldset>
          ))}
        </fieldset>

        <div class="form-actions">
          <button type="submit">{escapeHtml(t('form.save'))}</button>{' '}
          <a href={plan ? planPath(ctx, jurisdiction.slug, plan.slug) : `${base}#plans`}>{escapeHtml(t('form.cancel'))}</a>
        </div>
      </form>
      {plan ? (
        <p>
          <a href={`${planPath(ctx, jurisdiction.slug, plan.slug)}/sources`}>{escapeHtml(t('provenance.admin.link'))}</a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}

export interface PlanPageProps {
  ctx: PageContext;
  jurisdiction: JurisdictionRow;
  plan: ActionPlanDetails;
  institutions: InstitutionRow[];
  commitments: PlanCommitmentRow[];
  /** Number of milestones per commitment code (none: absent). */
  milestoneCounts?: Record<string, number>;
  /** The day statuses are derived for. */
  today: string;
}

/** The plan in the administration: its facts, and its commitments with links to edit them. */
export function PlanAdminPage({ ctx, jurisdiction, plan, institutions, commitments, milestoneCounts = {}, today }: PlanPageProps): JSX.Element {
  const { t, locale } = ctx;
  const base = jurisdictionPath(ctx, jurisdiction.slug);
  const path = planPath(ctx, jurisdiction.slug, plan.slug);
  const jurisdictionName = pickText(jurisdiction.name, locale) || jurisdiction.slug;
  const planTitle = pickText(plan.title, locale) || plan.slug;
  const institutionsById = new Map(institutions.map((i) => [i.id, i]));
  const leads = plan.leadInstitutionIds.map((id) => institutionsById.get(id)).filter((i): i is InstitutionRow => !!i);
  return (
    <Layout ctx={ctx} title={planTitle} admin>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: adminBase(ctx), label: t('ui.nav.admin') },
          { href: base, label: jurisdictionName },
          { label: planTitle },
        ]}
      />
      <Localized ctx={ctx} value={plan.title} as="h1" empty={plan.slug} />
      {plan.isDemo ? (
        <p>
          <DemoTag ctx={ctx} />
        </p>
      ) : (
        ''
      )}
      <p>
        <a href={`${path}/edit`}>{escapeHtml(t('plansAdmin.edit'))}</a>
      </p>
      <dl class="summary-list">
        <dt>{escapeHtml(t('plansAdmin.field.slug'))}</dt>
        <dd>
          <code safe>{plan.slug}</code>
        </dd>
        <dt>{escapeHtml(t('plansAdmin.page.period'))}</dt>
        <dd safe>{t('plansAdmin.page.periodValue', { start: formatDate(locale, plan.startsOn), end: formatDate(locale, plan.endsOn) })}</dd>
        <dt>{escapeHtml(t('plansAdmin.field.status'))}</dt>
        <dd>{escapeHtml(t(`domain.planStatus.${planStatusOf(plan, today)}`))}</dd>
        <dt>{escapeHtml(t('plansAdmin.field.submittedOn'))}</dt>
        <dd safe>{plan.submittedOn ? formatDate(locale, plan.submittedOn) : t('plansAdmin.page.notSubmitted')}</dd>
        <dt>{escapeHtml(t('plansAdmin.field.leadInstitutions'))}</dt>
        <dd>
          {leads.length ? (
            <ul>
              {leads.map((i) => (
                <Localized ctx={ctx} value={i.name} as="li" empty={i.slug} />
              ))}
            </ul>
          ) : (
            escapeHtml(t('ui.none'))
          )}
        </dd>
        <dt>{escapeHtml(t('plansAdmin.group.cocreation'))}</dt>
        <dd>
          {plan.cocreationGroups !== null ? <span>{escapeHtml(t('plansAdmin.page.groups', { count: plan.cocreationGroups }))}</span> : ''}
          {plan.cocreationGroups !== null && plan.cocreationPublicMeetings !== null ? ' · ' : ''}
          {plan.cocreationPublicMeetings !== null ? <span>{escapeHtml(t('plansAdmin.page.meetings', { count: plan.cocreationPublicMeetings }))}</span> : ''}
          {plan.cocreationGroups === null && plan.cocreationPublicMeetings === null ? t('ui.notSet') : ''}
        </dd>
        <dt>{escapeHtml(t('plansAdmin.group.vision'))}</dt>
        <dd>{escapeHtml(t('plansAdmin.page.visionCount', { count: plan.visionSections.length }))}</dd>
        <dt>{escapeHtml(t('plansAdmin.group.endorsements'))}</dt>
        <dd>
          {plan.endorsements.length ? (
            <ul>
              {plan.endorsements.map((e) => (
                <li>
                  <span safe>{e.organization}</span> ({escapeHtml(t(`domain.sector.${e.sector}` as 'domain.sector.other'))})
                </li>
              ))}
            </ul>
          ) : (
            escapeHtml(t('ui.none'))
          )}
        </dd>
      </dl>

      <h2 id="commitments">{escapeHtml(t('plansAdmin.page.commitments'))}</h2>
      <p>
        <a class="button" href={`${path}/commitments/new`}>
          {escapeHtml(t('plansAdmin.page.newCommitment'))}
        </a>{' '}
        <a href={`${path}/cycles`}>{escapeHtml(t('reporting.cycles.title'))}</a>{' '}
        <a href={`${path}/standards`}>{escapeHtml(t('standards.admin.title'))}</a>{' '}
        <a href={`${path}/monitoring`}>{escapeHtml(t('reviews.admin.title'))}</a>
      </p>
      {commitments.length === 0 ? (
        <p>{escapeHtml(t('plansAdmin.page.noCommitments'))}</p>
      ) : (
        <table aria-labelledby="commitments">
          <thead>
            <tr>
              <th scope="col">{escapeHtml(t('plansAdmin.col.code'))}</th>
              <th scope="col">{escapeHtml(t('jurisdictionsAdmin.col.title'))}</th>
              <th scope="col">{escapeHtml(t('jurisdictionsAdmin.col.period'))}</th>
              <th scope="col">{escapeHtml(t('plansAdmin.col.milestones'))}</th>
              <th scope="col">{escapeHtml(t('jurisdictionsAdmin.col.actions'))}</th>
            </tr>
          </thead>
          <tbody>
            {commitments.map((c) => (
              <tr>
                <th scope="row">
                  <code safe>{c.code}</code>
                </th>
                <Localized ctx={ctx} value={c.title} as="td" />
                <td safe>{t('plansAdmin.page.periodValue', { start: formatDate(locale, c.startsOn, 'short'), end: formatDate(locale, c.endsOn, 'short') })}</td>
                <td safe>{t('plansAdmin.page.milestoneCount', { count: milestoneCounts[c.code] ?? 0 })}</td>
                <td>
                  <ul class="plain">
                    <li>
                      <a href={`${path}/commitments/${encodeURIComponent(c.code)}/edit`}>
                        {escapeHtml(t('jurisdictionsAdmin.edit'))}
                        <span class="visually-hidden" safe>{` ${c.code}`}</span>
                      </a>
                    </li>
                    <li>
                      <a href={`${path}/commitments/${encodeURIComponent(c.code)}/milestones/new`}>
                        {escapeHtml(t('commitmentsAdmin.milestones.add'))}
                        <span class="visually-hidden" safe>{` (${c.code})`}</span>
                      </a>
                    </li>
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
