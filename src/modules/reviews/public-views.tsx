import { formatDate, type MessageKey } from '../../i18n/index.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag, Localized, LocalizedLink, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import type { PublishedUpdate } from '../reporting/index.js';
import { disagreements, isOverdue, RATING_NAMES, type RatingName } from './domain.js';
import type { CommitmentFindings, PublicPlan, RecommendationView, ReportSummary, ReviewView } from './queries.js';

// ---------------------------------------------------------------------------------------------
// Labels (never codes on a page)

export function assessmentLabel(ctx: PageContext, value: string): string {
  return ctx.t(`reviews.assessment.${value}` as MessageKey);
}

export function ratingName(ctx: PageContext, name: RatingName): string {
  return ctx.t(`reviews.rating.${name}` as MessageKey);
}

export function ratingLabel(ctx: PageContext, name: RatingName, value: string | null): string {
  return value ? ctx.t(`reviews.rating.${name}.${value}` as MessageKey) : ctx.t('reviews.rating.notRated');
}

export function responseLabel(ctx: PageContext, value: string | null): string {
  return value ? ctx.t(`reviews.response.${value}` as MessageKey) : ctx.t('reviews.response.none');
}

export function recommendationStatusLabel(ctx: PageContext, value: string): string {
  return ctx.t(`reviews.recommendationStatus.${value}` as MessageKey);
}

/** A cycle's name: its label in the page's language, else "Cycle N". */
export function cycleTitle(ctx: PageContext, cycle: { number: number; label?: Translatable }): string {
  return (cycle.label && pickText(cycle.label, ctx.locale)) || ctx.t('reviews.cycle.defaultLabel', { number: cycle.number });
}

export function monitoringPath(locale: string, jurisdiction: string, plan: string): string {
  return `/${locale}/${encodeURIComponent(jurisdiction)}/plans/${encodeURIComponent(plan)}/monitoring`;
}

function planCrumbs(ctx: PageContext, plan: PublicPlan) {
  const j = `/${ctx.locale}/${plan.jurisdiction.slug}`;
  return [
    { href: `/${ctx.locale}/`, label: ctx.t('ui.nav.home') },
    { href: j, label: pickText(plan.jurisdiction.name, ctx.locale) || plan.jurisdiction.slug },
    { href: `${j}/plans/${plan.slug}`, label: pickText(plan.title, ctx.locale) || plan.slug },
  ];
}

// ---------------------------------------------------------------------------------------------
// Pieces

/** "Overdue since …" in words (not colour only). */
function DueOn({ ctx, r, today }: { ctx: PageContext; r: RecommendationView; today: string }): JSX.Element {
  if (!r.dueOn) return <span safe>{ctx.t('reviews.recommendation.noDue')}</span>;
  const overdue = isOverdue(r, today);
  return (
    <>
      <span safe>{formatDate(ctx.locale, r.dueOn)}</span>
      {overdue ? (
        <>
          {' '}
          <StatusTag status="overdue" label={ctx.t('reviews.recommendation.overdue')} />
        </>
      ) : (
        ''
      )}
    </>
  );
}

function Owner({ ctx, r, jurisdiction }: { ctx: PageContext; r: RecommendationView; jurisdiction: string }): JSX.Element {
  if (!r.institution) return <span safe>{ctx.t('reviews.recommendation.noOwner')}</span>;
  return <LocalizedLink ctx={ctx} href={`/${ctx.locale}/${jurisdiction}/institutions/${r.institution.slug}`} value={r.institution.name} />;
}

/** One recommendation: its text, owner, due date, the government's response and the follow-up. */
export function RecommendationItem({ ctx, r, jurisdiction, today }: { ctx: PageContext; r: RecommendationView; jurisdiction: string; today: string }): JSX.Element {
  const { t, locale } = ctx;
  return (
    <li class="recommendation" id={`recommendation-${r.id}`}>
      <Localized ctx={ctx} value={r.text} as="div" class="prose" />
      <dl class="facts">
        <dt safe>{t('reviews.recommendation.owner')}</dt>
        <dd>
          <Owner ctx={ctx} r={r} jurisdiction={jurisdiction} />
        </dd>
        <dt safe>{t('reviews.recommendation.due')}</dt>
        <dd>
          <DueOn ctx={ctx} r={r} today={today} />
        </dd>
        <dt safe>{t('reviews.recommendation.status')}</dt>
        <dd>
          <StatusTag status={r.status === 'closed' ? 'completed' : 'in_progress'} label={recommendationStatusLabel(ctx, r.status)} />
          {r.closedAt ? <span safe>{` ${t('reviews.recommendation.closedOn', { date: formatDate(locale, r.closedAt) })}`}</span> : ''}
        </dd>
        <dt safe>{t('reviews.recommendation.response')}</dt>
        <dd>
          <span safe>{responseLabel(ctx, r.response)}</span>
          {r.respondedAt ? <span safe>{` (${formatDate(locale, r.respondedAt)})`}</span> : ''}
        </dd>
        {Object.keys(r.reasons).length ? (
          <>
            <dt safe>{t('reviews.recommendation.reasons')}</dt>
            <Localized ctx={ctx} value={r.reasons} as="dd" />
          </>
        ) : (
          ''
        )}
      </dl>
      {r.followUps.length ? (
        <>
          <p class="follow-up-title">
            <strong safe>{t('reviews.followUp.title')}</strong>
          </p>
          <ol class="follow-ups">
            {r.followUps.map((f) => (
              <li>
                <span class="meta" safe>
                  {`${formatDate(locale, f.createdAt)} · ${t('reviews.followUp.statusAfter', { status: recommendationStatusLabel(ctx, f.status) })}`}
                </span>
                <Localized ctx={ctx} value={f.note} as="div" />
              </li>
            ))}
          </ol>
        </>
      ) : (
        ''
      )}
    </li>
  );
}

function Ratings({ ctx, review }: { ctx: PageContext; review: ReviewView }): JSX.Element {
  return (
    <dl class="facts ratings">
      <dt safe>{ctx.t('reviews.field.assessment')}</dt>
      <dd safe>{assessmentLabel(ctx, review.assessment)}</dd>
      {RATING_NAMES.map((n) => (
        <>
          <dt safe>{ratingName(ctx, n)}</dt>
          <dd safe>{ratingLabel(ctx, n, review.ratings[n])}</dd>
        </>
      ))}
    </dl>
  );
}

function ReviewSection({ ctx, review, plan, today }: { ctx: PageContext; review: ReviewView; plan: PublicPlan; today: string }): JSX.Element {
  const { t, locale } = ctx;
  const commitmentHref = `/${locale}/${plan.jurisdiction.slug}/plans/${plan.slug}/commitments/${encodeURIComponent(review.commitment.code)}`;
  return (
    <section class="review" id={`review-${review.id}`} aria-labelledby={`review-${review.id}-title`}>
      <h2 id={`review-${review.id}-title`}>
        <span class="code" safe>
          {review.commitment.code}
        </span>{' '}
        <LocalizedLink ctx={ctx} href={commitmentHref} value={review.commitment.title} />
        {review.isDemo ? (
          <>
            {' '}
            <DemoTag ctx={ctx} />
          </>
        ) : (
          ''
        )}
      </h2>
      <Ratings ctx={ctx} review={review} />
      <h3 safe>{t('reviews.field.findings')}</h3>
      <Localized ctx={ctx} value={review.findings} as="div" class="prose" empty={t('reviews.findings.none')} />
      {review.links.length ? (
        <>
          <h3 safe>{t('reviews.field.links')}</h3>
          <ul>
            {review.links.map((l) => (
              <li>
                <a href={l} rel="nofollow noopener" safe>
                  {l}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
      <h3 safe>{t('reviews.recommendations.title')}</h3>
      {review.recommendations.length ? (
        <ol class="recommendations">
          {review.recommendations.map((r) => (
            <RecommendationItem ctx={ctx} r={r} jurisdiction={plan.jurisdiction.slug} today={today} />
          ))}
        </ol>
      ) : (
        <p safe>{t('reviews.recommendations.none')}</p>
      )}
    </section>
  );
}

/** Open recommendations as a table: commitment, text, owner, due (overdue said in words). */
export function OpenRecommendationsTable({ ctx, recommendations, jurisdiction, plan, today, caption }: { ctx: PageContext; recommendations: RecommendationView[]; jurisdiction: string; plan: string; today: string; caption: string }): JSX.Element {
  const { t, locale } = ctx;
  return (
    <div class="table-scroll">
      <table class="stacked">
        <caption safe>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" safe>{t('reviews.col.commitment')}</th>
            <th scope="col" safe>{t('reviews.col.recommendation')}</th>
            <th scope="col" safe>{t('reviews.recommendation.owner')}</th>
            <th scope="col" safe>{t('reviews.recommendation.due')}</th>
            <th scope="col" safe>{t('reviews.recommendation.response')}</th>
          </tr>
        </thead>
        <tbody>
          {recommendations.map((r) => (
            <tr>
              <th scope="row">
                <a href={`${monitoringPath(locale, jurisdiction, plan)}/${r.cycleNumber}#recommendation-${r.id}`} safe>
                  {r.commitment.code}
                </a>
                {r.isDemo ? (
                  <>
                    {' '}
                    <DemoTag ctx={ctx} />
                  </>
                ) : (
                  ''
                )}
              </th>
              <td data-label={t('reviews.col.recommendation')}>
                <Localized ctx={ctx} value={r.text} />
              </td>
              <td data-label={t('reviews.recommendation.owner')}>
                <Owner ctx={ctx} r={r} jurisdiction={jurisdiction} />
              </td>
              <td data-label={t('reviews.recommendation.due')}>
                <DueOn ctx={ctx} r={r} today={today} />
              </td>
              <td data-label={t('reviews.recommendation.response')} safe>
                {responseLabel(ctx, r.response)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Pages

export function MonitoringIndexPage({ ctx, plan, reports, open, today }: { ctx: PageContext; plan: PublicPlan; reports: ReportSummary[]; open: RecommendationView[]; today: string }): JSX.Element {
  const { t, locale } = ctx;
  const title = t('reviews.index.title');
  const base = monitoringPath(locale, plan.jurisdiction.slug, plan.slug);
  const demo = reports.some((r) => r.isDemo) || open.some((r) => r.isDemo);
  return (
    <Layout ctx={ctx} title={`${title} · ${pickText(plan.title, locale) || plan.slug}`} demo={demo}>
      <Breadcrumbs ctx={ctx} items={[...planCrumbs(ctx, plan), { label: title }]} />
      <h1 safe>{title}</h1>
      <p class="lead">
        <Localized ctx={ctx} value={plan.title} />
      </p>
      <p safe>{t('reviews.index.intro')}</p>
      <section aria-labelledby="reports-title">
        <h2 id="reports-title" safe>{t('reviews.index.reports')}</h2>
        {reports.length === 0 ? (
          <p safe>{t('reviews.index.noReports')}</p>
        ) : (
          <ul class="report-list">
            {reports.map((r) => (
              <li>
                <a href={`${base}/${r.cycle.number}`} safe>
                  {t('reviews.report.title', { cycle: cycleTitle(ctx, r.cycle) })}
                </a>
                {r.isDemo ? (
                  <>
                    {' '}
                    <DemoTag ctx={ctx} />
                  </>
                ) : (
                  ''
                )}
                <span class="meta" safe>
                  {` · ${t('reviews.report.meta', { start: formatDate(locale, r.cycle.periodStart), end: formatDate(locale, r.cycle.periodEnd), published: formatDate(locale, r.publishedAt), count: r.reviewCount })}`}
                </span>
              </li>
            ))}
          </ul>
        )}
        {reports.length > 0 ? (
          // The whole monitoring record as one report (modules/reports), to print or download as PDF or DOCX.
          <p>
            <a href={`/${locale}/${encodeURIComponent(plan.jurisdiction.slug)}/plans/${encodeURIComponent(plan.slug)}/monitoring-report`} safe>
              {t('reports.printable', { report: t('reports.monitoring') })}
            </a>
          </p>
        ) : (
          ''
        )}
      </section>
      <section aria-labelledby="open-title">
        <h2 id="open-title" safe>{t('reviews.index.open')}</h2>
        {open.length === 0 ? (
          <p safe>{t('reviews.index.noOpen')}</p>
        ) : (
          <OpenRecommendationsTable ctx={ctx} recommendations={open} jurisdiction={plan.jurisdiction.slug} plan={plan.slug} today={today} caption={t('reviews.index.openCaption', { count: open.length })} />
        )}
      </section>
    </Layout>
  );
}

export function MonitoringReportPage({ ctx, plan, report, reviews, today }: { ctx: PageContext; plan: PublicPlan; report: ReportSummary; reviews: ReviewView[]; today: string }): JSX.Element {
  const { t, locale } = ctx;
  const title = t('reviews.report.title', { cycle: cycleTitle(ctx, report.cycle) });
  const demo = report.isDemo || reviews.some((r) => r.isDemo);
  return (
    <Layout ctx={ctx} title={`${title} · ${pickText(plan.title, locale) || plan.slug}`} demo={demo}>
      <Breadcrumbs ctx={ctx} items={[...planCrumbs(ctx, plan), { href: monitoringPath(locale, plan.jurisdiction.slug, plan.slug), label: t('reviews.index.title') }, { label: cycleTitle(ctx, report.cycle) }]} />
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {t('reviews.report.meta', { start: formatDate(locale, report.cycle.periodStart), end: formatDate(locale, report.cycle.periodEnd), published: formatDate(locale, report.publishedAt), count: report.reviewCount })}
      </p>
      {report.isDemo ? (
        <p>
          <DemoTag ctx={ctx} />
        </p>
      ) : (
        ''
      )}
      {Object.keys(report.summary).length ? <Localized ctx={ctx} value={report.summary} as="div" class="prose" /> : ''}
      <p class="hint" safe>{t('reviews.report.laterNote')}</p>
      {reviews.map((r) => (
        <ReviewSection ctx={ctx} review={r} plan={plan} today={today} />
      ))}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Side by side on the commitment page

function reportedSummary(ctx: PageContext, update: PublishedUpdate): string {
  return update.items
    .map((i) => `${i.code}: ${ctx.t(`domain.milestoneStatus.${i.status}` as MessageKey)}, ${ctx.t(`reporting.completion.${i.completion}` as MessageKey)}`)
    .join('; ');
}

/**
 * For each cycle, what the holder reported (its published progress update: each milestone's
 * status and completion) beside what the monitoring body found (assessment, completion rating),
 * disagreement said in words; then the commitment's open recommendations.
 */
export function CommitmentMonitoring({ ctx, updates, findings, jurisdiction, plan, today }: { ctx: PageContext; updates: PublishedUpdate[]; findings: CommitmentFindings; jurisdiction: string; plan: string; today: string }): JSX.Element {
  const { t, locale } = ctx;
  if (findings.reviews.length === 0 && findings.openRecommendations.length === 0) return <></>;
  const numbers = [...new Set([...findings.reviews.map((r) => r.cycleNumber), ...updates.map((u) => u.cycle.number)])].sort((a, b) => b - a);
  return (
    <section class="side-by-side" aria-labelledby="side-by-side-title">
      <h2 id="side-by-side-title" safe>{t('reviews.side.title')}</h2>
      <p safe>{t('reviews.side.intro')}</p>
      <div class="table-scroll">
        <table class="stacked">
          <caption safe>{t('reviews.side.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('reviews.side.col.cycle')}</th>
              <th scope="col" safe>{t('reviews.side.col.reported')}</th>
              <th scope="col" safe>{t('reviews.side.col.found')}</th>
              <th scope="col" safe>{t('reviews.side.col.agreement')}</th>
            </tr>
          </thead>
          <tbody>
            {numbers.map((n) => {
              const review = findings.reviews.find((r) => r.cycleNumber === n);
              const update = updates.find((u) => u.cycle.number === n);
              if (!review) {
                return (
                  <tr>
                    <th scope="row" safe>
                      {cycleTitle(ctx, update?.cycle ?? { number: n })}
                    </th>
                    <td data-label={t('reviews.side.col.reported')} safe>
                      {update ? reportedSummary(ctx, update) : t('reviews.side.noUpdate')}
                    </td>
                    <td data-label={t('reviews.side.col.found')} safe>
                      {t('reviews.side.notReviewed')}
                    </td>
                    <td data-label={t('reviews.side.col.agreement')} safe>
                      {t('reviews.side.nothingToCompare')}
                    </td>
                  </tr>
                );
              }
              const found = disagreements(update, { assessment: review.assessment, completion: review.ratings.completion });
              return (
                <tr>
                  <th scope="row">
                    <a href={`${monitoringPath(locale, jurisdiction, plan)}/${n}#review-${review.id}`} safe>
                      {cycleTitle(ctx, update?.cycle ?? { number: n })}
                    </a>
                    {review.isDemo ? (
                      <>
                        {' '}
                        <DemoTag ctx={ctx} />
                      </>
                    ) : (
                      ''
                    )}
                  </th>
                  <td data-label={t('reviews.side.col.reported')} safe>
                    {update ? reportedSummary(ctx, update) : t('reviews.side.noUpdate')}
                  </td>
                  <td data-label={t('reviews.side.col.found')} safe>
                    {`${t('reviews.field.assessment')}: ${assessmentLabel(ctx, review.assessment)}; ${ratingName(ctx, 'completion')}: ${ratingLabel(ctx, 'completion', review.ratings.completion)}`}
                  </td>
                  <td data-label={t('reviews.side.col.agreement')}>
                    {found.length === 0 ? (
                      <span safe>{update ? t('reviews.side.agree') : t('reviews.side.nothingToCompare')}</span>
                    ) : (
                      <ul class="disagreements">
                        {found.map((d) => (
                          <li>
                            <strong safe>{t('reviews.side.disagree')}</strong> <span safe>{t(`reviews.side.disagreement.${d}` as MessageKey)}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h3 safe>{t('reviews.side.open')}</h3>
      {findings.openRecommendations.length === 0 ? (
        <p safe>{t('reviews.index.noOpen')}</p>
      ) : (
        <OpenRecommendationsTable
          ctx={ctx}
          recommendations={findings.openRecommendations}
          jurisdiction={jurisdiction}
          plan={plan}
          today={today}
          caption={t('reviews.index.openCaption', { count: findings.openRecommendations.length })}
        />
      )}
    </section>
  );
}
