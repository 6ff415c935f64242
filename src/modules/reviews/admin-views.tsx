import { escapeHtml } from '@kitajs/html';
import { formatDate, type MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { languageName } from '../../ui/admin.js';
import { Breadcrumbs, DemoTag, Localized, StatusTag, type Crumb } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { ASSESSMENTS, isOverdue, RATING_NAMES, RATINGS, RESPONSES } from './domain.js';
import type { AdminCycle, CycleInfo, RecommendationView, ReviewView } from './queries.js';
import { assessmentLabel, cycleTitle, RecommendationItem, ratingLabel, ratingName, recommendationStatusLabel, responseLabel } from './public-views.js';

/** The languages content is written in (Serbian Cyrillic is derived from the Latin script). */
export const CONTENT_LOCALES: readonly Locale[] = ['sq', 'sr-Latn', 'en', 'fr'];

export interface AdminScope {
  jurisdiction: { id: number; slug: string; name: Translatable };
  plan: { id: number; slug: string; title: Translatable };
}

export function adminMonitoringPath(locale: string, jurisdiction: string, plan: string): string {
  return `/${locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction)}/plans/${encodeURIComponent(plan)}/monitoring`;
}

export function adminRecommendationsPath(locale: string, jurisdiction: string): string {
  return `/${locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction)}/recommendations`;
}

function crumbs(ctx: PageContext, scope: AdminScope): Crumb[] {
  return [
    { href: `/${ctx.locale}/admin`, label: ctx.t('ui.nav.admin') },
    { href: adminMonitoringPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug), label: `${ctx.t('reviews.admin.title')} · ${pickText(scope.plan.title, ctx.locale) || scope.plan.slug}` },
  ];
}

/** One textarea per content language for a translatable field (`{name}_{locale}`). */
function PerLocale(props: { ctx: PageContext; name: string; label: string; values: FormValues; errors?: FormErrors | undefined; rows?: number }): JSX.Element {
  return (
    <fieldset class="per-locale">
      <legend safe>{props.label}</legend>
      {CONTENT_LOCALES.map((l) => (
        <TextArea ctx={props.ctx} name={`${props.name}_${l}`} label={languageName(props.ctx, l)} values={props.values} errors={props.errors} lang={l} optional rows={props.rows ?? 4} />
      ))}
    </fieldset>
  );
}

export function perLocaleLabels(ctx: PageContext, name: string, label: string): Record<string, string> {
  return Object.fromEntries(CONTENT_LOCALES.map((l) => [`${name}_${l}`, `${label} (${languageName(ctx, l)})`]));
}

/** A radio group in a fieldset; `optional` adds "Not rated". */
function Radios(props: { ctx: PageContext; name: string; legend: string; options: { value: string; label: string }[]; values: FormValues; errors?: FormErrors | undefined; optional?: boolean }): JSX.Element {
  const { ctx, name } = props;
  const current = props.values[name] ?? '';
  const error = props.errors?.for(name);
  const options = props.optional ? [{ value: '', label: ctx.t('reviews.rating.notRated') }, ...props.options] : props.options;
  return (
    <fieldset class={error ? 'field field-error radios' : 'field radios'} id={`field-${name}`}>
      <legend safe>{props.legend}</legend>
      {error ? (
        <p class="error-message" safe>
          {ctx.t(error.message as MessageKey, error.values)}
        </p>
      ) : (
        ''
      )}
      {options.map((o, i) => (
        <div class="radio">
          <input type="radio" id={`field-${name}-${i}`} name={name} value={o.value} checked={o.value === current} />
          <label for={`field-${name}-${i}`} safe>
            {o.label}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------
// Cycles

export function CyclesPage({ ctx, scope, cycles }: { ctx: PageContext; scope: AdminScope; cycles: AdminCycle[] }): JSX.Element {
  const { t, locale } = ctx;
  const title = t('reviews.admin.title');
  const base = adminMonitoringPath(locale, scope.jurisdiction.slug, scope.plan.slug);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${locale}/admin`, label: t('ui.nav.admin') }, { label: title }]} />
      <h1 safe>{title}</h1>
      <p class="lead">
        <Localized ctx={ctx} value={scope.plan.title} />
      </p>
      <p>
        <a href={adminRecommendationsPath(locale, scope.jurisdiction.slug)} safe>
          {t('reviews.admin.recommendationsLink')}
        </a>
      </p>
      {cycles.length === 0 ? (
        <p safe>{t('reviews.admin.noCycles')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption safe>{t('reviews.admin.cyclesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col" safe>{t('reviews.side.col.cycle')}</th>
                <th scope="col" safe>{t('reviews.admin.col.period')}</th>
                <th scope="col" safe>{t('reviews.admin.col.reviews')}</th>
                <th scope="col" safe>{t('reviews.admin.col.report')}</th>
              </tr>
            </thead>
            <tbody>
              {cycles.map((c) => (
                <tr>
                  <th scope="row">
                    <a href={`${base}/${c.number}`} safe>
                      {cycleTitle(ctx, c)}
                    </a>
                  </th>
                  <td safe>{`${formatDate(locale, c.periodStart)} – ${formatDate(locale, c.periodEnd)}`}</td>
                  <td safe>{t('reviews.admin.reviewCount', { count: c.reviews, total: c.commitments })}</td>
                  <td safe>{t(`reviews.reportStatus.${c.reportStatus ?? 'none'}` as MessageKey)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export interface CycleCommitmentRow {
  code: string;
  title: Translatable;
  review: { assessment: string; status: string; recommendations: number } | null;
}

export function CyclePage(props: {
  ctx: PageContext;
  scope: AdminScope;
  cycle: CycleInfo;
  rows: CycleCommitmentRow[];
  reportStatus: string | null;
  values: FormValues;
  errors?: FormErrors | undefined;
  confirm?: boolean;
}): JSX.Element {
  const { ctx, scope, cycle, rows } = props;
  const { t, locale } = ctx;
  const title = t('reviews.admin.cycleTitle', { cycle: cycleTitle(ctx, cycle) });
  const base = `${adminMonitoringPath(locale, scope.jurisdiction.slug, scope.plan.slug)}/${cycle.number}`;
  const reviewed = rows.filter((r) => r.review);
  const published = props.reportStatus === 'published';
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs(ctx, scope), { label: cycleTitle(ctx, cycle) }]} />
      <h1 safe>{title}</h1>
      <p class="lead" safe>{t(`reviews.reportStatus.${props.reportStatus ?? 'none'}` as MessageKey)}</p>
      {published ? (
        <p>
          <a href={`/${locale}/${scope.jurisdiction.slug}/plans/${scope.plan.slug}/monitoring/${cycle.number}`} safe>
            {t('reviews.admin.viewPublic')}
          </a>
        </p>
      ) : (
        ''
      )}
      <div class="table-wrap">
        <table>
          <caption safe>{t('reviews.admin.cycleCaption')}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('reviews.col.commitment')}</th>
              <th scope="col" safe>{t('reviews.field.assessment')}</th>
              <th scope="col" safe>{t('reviews.admin.col.status')}</th>
              <th scope="col" safe>{t('reviews.recommendations.title')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">
                  <a href={`${base}/reviews/${encodeURIComponent(r.code)}`} safe>
                    {t(r.review ? 'reviews.admin.editReview' : 'reviews.admin.writeReview', { code: r.code })}
                  </a>{' '}
                  <Localized ctx={ctx} value={r.title} />
                </th>
                <td safe>{r.review ? assessmentLabel(ctx, r.review.assessment) : t('reviews.admin.noReview')}</td>
                <td>{escapeHtml(r.review ? t(`reviews.reviewStatus.${r.review.status}` as MessageKey) : '—')}</td>
                <td safe>{String(r.review?.recommendations ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!published && reviewed.length ? (
        <section aria-labelledby="publish-title">
          <h2 id="publish-title" safe>{props.confirm ? t('reviews.admin.confirmTitle') : t('reviews.admin.publishTitle')}</h2>
          {props.confirm ? (
            <div class="notice notice-warning">
              <p safe>{t('reviews.admin.confirmLead', { count: reviewed.length })}</p>
              <ul>
                {reviewed.map((r) => (
                  <li safe>{`${r.code}: ${assessmentLabel(ctx, r.review!.assessment)}`}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p class="hint" safe>{t('reviews.admin.publishHint')}</p>
          )}
          <ErrorSummary ctx={ctx} errors={props.errors} labels={perLocaleLabels(ctx, 'summary', t('reviews.field.summary'))} />
          <form method="post" action={`${base}/publish`} novalidate>
            <CsrfField ctx={ctx} />
            {props.confirm ? <input type="hidden" name="confirm" value="yes" /> : ''}
            <PerLocale ctx={ctx} name="summary" label={t('reviews.field.summary')} values={props.values} errors={props.errors} />
            <div class="form-actions">
              <button type="submit" safe>{props.confirm ? t('reviews.admin.confirmPublish') : t('reviews.admin.publish')}</button>
            </div>
          </form>
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Review form

export function reviewLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    assessment: t('reviews.field.assessment'),
    ...Object.fromEntries(RATING_NAMES.map((n) => [n, ratingName(ctx, n)])),
    ...perLocaleLabels(ctx, 'findings', t('reviews.field.findings')),
    links: t('reviews.field.links'),
  };
}

export function recommendationLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return { ...perLocaleLabels(ctx, 'text', t('reviews.col.recommendation')), institution: t('reviews.recommendation.owner'), due_on: t('reviews.recommendation.due') };
}

export function ReviewPage(props: {
  ctx: PageContext;
  scope: AdminScope;
  cycle: CycleInfo;
  commitment: { code: string; title: Translatable };
  review: ReviewView | undefined;
  reportPublished: boolean;
  institutions: { id: number; name: Translatable }[];
  values: FormValues;
  errors?: FormErrors | undefined;
  recValues: FormValues;
  recErrors?: FormErrors | undefined;
  today: string;
}): JSX.Element {
  const { ctx, scope, cycle, commitment, review } = props;
  const { t, locale } = ctx;
  const title = t('reviews.admin.reviewTitle', { code: commitment.code, cycle: cycleTitle(ctx, cycle) });
  const action = `${adminMonitoringPath(locale, scope.jurisdiction.slug, scope.plan.slug)}/${cycle.number}/reviews/${encodeURIComponent(commitment.code)}`;
  const labels = reviewLabels(ctx);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs(ctx, scope), { href: `${adminMonitoringPath(locale, scope.jurisdiction.slug, scope.plan.slug)}/${cycle.number}`, label: cycleTitle(ctx, cycle) }, { label: commitment.code }]} />
      <h1 safe>{title}</h1>
      <p class="lead">
        <Localized ctx={ctx} value={commitment.title} />
        {review?.isDemo ? (
          <>
            {' '}
            <DemoTag ctx={ctx} />
          </>
        ) : (
          ''
        )}
      </p>
      <div class="notice">
        <p safe>{props.reportPublished ? t('reviews.admin.publishedNotice') : t('reviews.admin.draftNotice')}</p>
      </div>
      <ErrorSummary ctx={ctx} errors={props.errors} labels={labels} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <Radios ctx={ctx} name="assessment" legend={labels.assessment!} options={ASSESSMENTS.map((a) => ({ value: a, label: assessmentLabel(ctx, a) }))} values={props.values} errors={props.errors} />
        {RATING_NAMES.map((n) => (
          <Radios ctx={ctx} name={n} legend={ratingName(ctx, n)} options={RATINGS[n].map((v) => ({ value: v, label: ratingLabel(ctx, n, v) }))} values={props.values} errors={props.errors} optional />
        ))}
        <PerLocale ctx={ctx} name="findings" label={t('reviews.field.findings')} values={props.values} errors={props.errors} rows={6} />
        <TextArea ctx={ctx} name="links" label={labels.links!} hint={t('reviews.field.linksHint')} values={props.values} errors={props.errors} optional rows={3} />
        <div class="form-actions">
          <button type="submit" safe>{t('form.save')}</button>
        </div>
      </form>
      {review ? (
        <section aria-labelledby="recommendations-title">
          <h2 id="recommendations-title" safe>{t('reviews.recommendations.title')}</h2>
          {review.recommendations.length ? (
            <ol class="recommendations">
              {review.recommendations.map((r) => (
                <>
                  <RecommendationItem ctx={ctx} r={r} jurisdiction={scope.jurisdiction.slug} today={props.today} />
                  <li class="actions">
                    <a href={`${action}/recommendations/${r.id}`} safe>
                      {t('reviews.admin.editRecommendation', { number: r.id })}
                    </a>
                  </li>
                </>
              ))}
            </ol>
          ) : (
            <p safe>{t('reviews.recommendations.none')}</p>
          )}
          <h3 safe>{t('reviews.admin.addRecommendation')}</h3>
          <RecommendationForm ctx={ctx} action={`${action}/recommendations`} institutions={props.institutions} values={props.recValues} errors={props.recErrors} published={review.status === 'published'} />
        </section>
      ) : (
        <p class="hint" safe>{t('reviews.admin.recommendationsAfterReview')}</p>
      )}
    </Layout>
  );
}

export function RecommendationForm(props: { ctx: PageContext; action: string; institutions: { id: number; name: Translatable }[]; values: FormValues; errors?: FormErrors | undefined; published: boolean }): JSX.Element {
  const { ctx } = props;
  const { t } = ctx;
  const labels = recommendationLabels(ctx);
  return (
    <>
      <ErrorSummary ctx={ctx} errors={props.errors} labels={labels} />
      {props.published ? <p class="hint" safe>{t('reviews.admin.recommendationPublishedNotice')}</p> : ''}
      <form method="post" action={props.action} novalidate>
        <CsrfField ctx={ctx} />
        <PerLocale ctx={ctx} name="text" label={t('reviews.col.recommendation')} values={props.values} errors={props.errors} />
        <Select
          ctx={ctx}
          name="institution"
          label={labels.institution!}
          values={props.values}
          errors={props.errors}
          optional
          options={props.institutions.map((i) => ({ value: String(i.id), label: pickText(i.name, ctx.locale) || String(i.id) }))}
        />
        <TextField ctx={ctx} name="due_on" type="date" label={labels.due_on!} values={props.values} errors={props.errors} optional />
        <div class="form-actions">
          <button type="submit" safe>{t('form.save')}</button>
        </div>
      </form>
    </>
  );
}

export function RecommendationEditPage(props: {
  ctx: PageContext;
  scope: AdminScope;
  cycle: CycleInfo;
  code: string;
  action: string;
  institutions: { id: number; name: Translatable }[];
  values: FormValues;
  errors?: FormErrors | undefined;
  published: boolean;
}): JSX.Element {
  const { ctx, scope, cycle } = props;
  const { t, locale } = ctx;
  const title = t('reviews.admin.editRecommendationTitle', { code: props.code });
  const reviewHref = `${adminMonitoringPath(locale, scope.jurisdiction.slug, scope.plan.slug)}/${cycle.number}/reviews/${encodeURIComponent(props.code)}`;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs(ctx, scope), { href: reviewHref, label: props.code }, { label: title }]} />
      <h1 safe>{title}</h1>
      <RecommendationForm ctx={ctx} action={props.action} institutions={props.institutions} values={props.values} errors={props.errors} published={props.published} />
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Recommendations of a jurisdiction: responses and follow-up

export function RecommendationsPage({ ctx, jurisdiction, items, today }: { ctx: PageContext; jurisdiction: { slug: string; name: Translatable }; items: (RecommendationView & { canRespond: boolean; canFollowUp: boolean })[]; today: string }): JSX.Element {
  const { t, locale } = ctx;
  const title = t('reviews.admin.recommendationsTitle');
  const base = adminRecommendationsPath(locale, jurisdiction.slug);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${locale}/admin`, label: t('ui.nav.admin') }, { label: title }]} />
      <h1 safe>{title}</h1>
      <p class="lead">
        <Localized ctx={ctx} value={jurisdiction.name} />
      </p>
      {items.length === 0 ? (
        <p safe>{t('reviews.admin.noRecommendations')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption safe>{t('reviews.admin.recommendationsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col" safe>{t('reviews.col.commitment')}</th>
                <th scope="col" safe>{t('reviews.col.recommendation')}</th>
                <th scope="col" safe>{t('reviews.recommendation.due')}</th>
                <th scope="col" safe>{t('reviews.recommendation.response')}</th>
                <th scope="col" safe>{t('reviews.recommendation.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr>
                  <th scope="row">
                    <a href={`${base}/${r.id}`} safe>
                      {t('reviews.admin.openRecommendation', { code: r.commitment.code, cycle: r.cycleNumber })}
                    </a>
                  </th>
                  <td>
                    <Localized ctx={ctx} value={r.text} />
                  </td>
                  <td>
                    <span>{escapeHtml(r.dueOn ? formatDate(locale, r.dueOn) : '—')}</span>
                    {isOverdue(r, today) ? (
                      <>
                        {' '}
                        <StatusTag status="overdue" label={t('reviews.recommendation.overdue')} />
                      </>
                    ) : (
                      ''
                    )}
                  </td>
                  <td safe>{responseLabel(ctx, r.response)}</td>
                  <td safe>{`${recommendationStatusLabel(ctx, r.status)}${r.published ? '' : ` (${t('reviews.reviewStatus.draft')})`}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export function RecommendationPage(props: {
  ctx: PageContext;
  jurisdiction: { slug: string; name: Translatable };
  r: RecommendationView;
  canRespond: boolean;
  canFollowUp: boolean;
  responseValues: FormValues;
  responseErrors?: FormErrors | undefined;
  followValues: FormValues;
  followErrors?: FormErrors | undefined;
  today: string;
}): JSX.Element {
  const { ctx, jurisdiction, r } = props;
  const { t, locale } = ctx;
  const base = `${adminRecommendationsPath(locale, jurisdiction.slug)}/${r.id}`;
  const title = t('reviews.admin.recommendationTitle', { code: r.commitment.code, cycle: r.cycleNumber });
  const responseLabels = { response: t('reviews.recommendation.response'), ...perLocaleLabels(ctx, 'reasons', t('reviews.recommendation.reasons')) };
  const followLabels = { ...perLocaleLabels(ctx, 'note', t('reviews.followUp.note')), status: t('reviews.followUp.status') };
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${locale}/admin`, label: t('ui.nav.admin') }, { href: adminRecommendationsPath(locale, jurisdiction.slug), label: t('reviews.admin.recommendationsTitle') }, { label: title }]} />
      <h1 safe>{title}</h1>
      {r.published ? '' : <p class="notice" safe>{t('reviews.admin.draftRecommendation')}</p>}
      <ul class="recommendations">
        <RecommendationItem ctx={ctx} r={r} jurisdiction={jurisdiction.slug} today={props.today} />
      </ul>
      {props.canRespond ? (
        <section aria-labelledby="response-title">
          <h2 id="response-title" safe>{t('reviews.admin.responseTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={props.responseErrors} labels={responseLabels} />
          <form method="post" action={`${base}/response`} novalidate>
            <CsrfField ctx={ctx} />
            <Radios ctx={ctx} name="response" legend={responseLabels.response} options={RESPONSES.map((v) => ({ value: v, label: responseLabel(ctx, v) }))} values={props.responseValues} errors={props.responseErrors} />
            <PerLocale ctx={ctx} name="reasons" label={t('reviews.recommendation.reasons')} values={props.responseValues} errors={props.responseErrors} />
            <div class="form-actions">
              <button type="submit" safe>{t('reviews.admin.saveResponse')}</button>
            </div>
          </form>
        </section>
      ) : (
        ''
      )}
      {props.canFollowUp ? (
        <section aria-labelledby="follow-up-title">
          <h2 id="follow-up-title" safe>{t('reviews.admin.followUpTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={props.followErrors} labels={followLabels} />
          <form method="post" action={`${base}/follow-ups`} novalidate>
            <CsrfField ctx={ctx} />
            <PerLocale ctx={ctx} name="note" label={t('reviews.followUp.note')} values={props.followValues} errors={props.followErrors} />
            <Radios
              ctx={ctx}
              name="status"
              legend={followLabels.status}
              options={['open', 'closed'].map((v) => ({ value: v, label: t(`reviews.followUp.after.${v}` as MessageKey) }))}
              values={props.followValues}
              errors={props.followErrors}
            />
            <div class="form-actions">
              <button type="submit" safe>{t('reviews.admin.addFollowUp')}</button>
            </div>
          </form>
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}
