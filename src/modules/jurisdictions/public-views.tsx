import { escapeHtml } from '@kitajs/html';
import { formatDate, type MessageKey } from '../../i18n/index.js';
import { pickText } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag, Localized, LocalizedLink, ProgressBar, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import { NO_PROVENANCE, preciseDate, SourcedText, SourceNotes, type Provenance } from '../provenance/index.js';
import { CommitmentTable, StatusCounts, planPath, planStatusLabel } from '../plans/index.js';
import { RecentChanges } from '../reporting/index.js';
import type { JurisdictionHome, JurisdictionListItem } from './queries.js';
import { planStatusOf } from '../commitments/domain.js';

export function HomePage({ ctx, jurisdictions }: { ctx: PageContext; jurisdictions: JurisdictionListItem[] }): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      <h1>{escapeHtml(t('home.title'))}</h1>
      <p class="lead">{escapeHtml(t('home.intro'))}</p>
      <h2>{escapeHtml(t('home.jurisdictions'))}</h2>
      {jurisdictions.length ? (
        <ul class="card-list">
          {jurisdictions.map((j) => (
            <li>
              <LocalizedLink ctx={ctx} href={`/${ctx.locale}/${j.slug}`} value={j.name} />{' '}
              <span class="muted">{escapeHtml(t(`domain.jurisdictionKind.${j.kind}` as MessageKey))}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>{escapeHtml(t('home.empty'))}</p>
      )}
    </Layout>
  );
}

/** The jurisdiction's home; `hasHistory` when it has published changes (entitiesWithHistory), to link to them. */
export function JurisdictionPage({
  ctx,
  j,
  today,
  hasHistory,
  provenance = NO_PROVENANCE,
}: {
  ctx: PageContext;
  j: JurisdictionHome;
  today: string;
  hasHistory: boolean;
  provenance?: Provenance;
}): JSX.Element {
  const { t, locale } = ctx;
  const name = pickText(j.name, locale);
  const current = j.current;
  const demo = !!current && (current.plan.isDemo || current.commitments.some((c) => c.hasDemo));
  return (
    <Layout ctx={ctx} title={name} demo={demo}>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${locale}/`, label: t('ui.nav.home') }, { label: name }]} />
      <Localized ctx={ctx} value={j.name} as="h1" />
      {Object.keys(j.description).length ? <SourcedText ctx={ctx} value={j.description} sources={provenance.get('jurisdiction', j.id, 'description')} class="prose lead" /> : ''}
      {j.website ? (
        <p>
          <a href={j.website} rel="external">
            {escapeHtml(t('jurisdiction.website'))}
          </a>
        </p>
      ) : (
        ''
      )}
      {current ? (
        <>
          <section aria-labelledby="current-plan" class="panel">
            <h2 id="current-plan">
              {escapeHtml(t(planStatusOf(current.plan, today) === 'in_implementation' ? 'jurisdiction.currentPlan' : 'jurisdiction.latestPlan'))}
            </h2>
            <p class="plan-title">
              <LocalizedLink ctx={ctx} href={planPath(ctx, j.slug, current.plan.slug)} value={current.plan.title} />
            </p>
            <dl class="facts">
              <dt>{escapeHtml(t('plan.period'))}</dt>
              <dd>
                {escapeHtml(
                  t('plan.periodValue', {
                    start: preciseDate(ctx, current.plan.startsOn, provenance.get('action_plan', current.plan.id, 'starts_on')),
                    end: preciseDate(ctx, current.plan.endsOn, provenance.get('action_plan', current.plan.id, 'ends_on')),
                  }),
                )}
                <SourceNotes ctx={ctx} sources={provenance.get('action_plan', current.plan.id, 'ends_on').filter((s) => s.relation === 'conflict')} />
              </dd>
              <dt>{escapeHtml(t('plan.status'))}</dt>
              <dd>{escapeHtml(planStatusLabel(ctx, current.plan, today))}</dd>
              <dt>{escapeHtml(t('plan.commitments'))}</dt>
              <dd>{escapeHtml(t('plan.commitmentCount', { count: current.commitments.length }))}</dd>
              <dt>{escapeHtml(t('plan.progress'))}</dt>
              <dd>
                <ProgressBar ctx={ctx} value={current.progress} label={t('plan.progress')} />
              </dd>
            </dl>
            {current.commitments.length ? (
              <>
                <h3>{escapeHtml(t('plan.byStatus'))}</h3>
                <StatusCounts ctx={ctx} commitments={current.commitments} today={today} />
              </>
            ) : (
              ''
            )}
          </section>
          {current.commitments.length ? (
            <section aria-labelledby="commitments">
              <h2 id="commitments">{escapeHtml(t('plan.commitments'))}</h2>
              <CommitmentTable
                ctx={ctx}
                base={planPath(ctx, j.slug, current.plan.slug)}
                commitments={current.commitments}
                caption={t('plan.commitmentCount', { count: current.commitments.length })}
                today={today}
              />
            </section>
          ) : (
            ''
          )}
          <section aria-labelledby="due">
            <h2 id="due">{escapeHtml(t('jurisdiction.due'))}</h2>
            <p>{escapeHtml(t('jurisdiction.dueIntro'))}</p>
            {current.due.length ? (
              <ul class="due-list">
                {current.due.map((m) => (
                  <li>
                    <LocalizedLink ctx={ctx} href={`${planPath(ctx, j.slug, current.plan.slug)}/commitments/${m.commitmentCode}#${m.code}`} code={m.code} value={m.title} />{' '}
                    <span class="due-date">
                      <time datetime={m.dueOn}>{escapeHtml(formatDate(locale, m.dueOn))}</time>
                      {m.dueOn < today ? <strong class="overdue"> ({escapeHtml(t('jurisdiction.overdue'))})</strong> : ''}
                    </span>{' '}
                    <StatusTag status={m.status} label={t(`domain.milestoneStatus.${m.status}` as MessageKey)} />
                    {m.isDemo ? (
                      <>
                        {' '}
                        <DemoTag ctx={ctx} />
                      </>
                    ) : (
                      ''
                    )}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{escapeHtml(t('jurisdiction.noneDue'))}</p>
            )}
          </section>
        </>
      ) : (
        <p>{escapeHtml(t('jurisdiction.noPlan'))}</p>
      )}
      {j.recentUpdates.length ? <RecentChanges ctx={ctx} updates={j.recentUpdates} /> : ''}
      {j.plans.length > 1 ? (
        <section aria-labelledby="plans">
          <h2 id="plans">{escapeHtml(t('jurisdiction.allPlans'))}</h2>
          <ul>
            {j.plans.map((p) => (
              <li>
                <LocalizedLink ctx={ctx} href={planPath(ctx, j.slug, p.slug)} value={p.title} />{' '}
                <span class="muted">{escapeHtml(planStatusLabel(ctx, p, today))}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      {j.institutions.length ? (
        <section aria-labelledby="institutions">
          <h2 id="institutions">{escapeHtml(t('jurisdiction.institutions'))}</h2>
          <ul class="columns">
            {j.institutions.map((i) => (
              <li>
                <LocalizedLink ctx={ctx} href={`/${locale}/${j.slug}/institutions/${i.slug}`} value={i.name} />
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      {hasHistory ? (
        <p class="history-link">
          <a href={`/${locale}/history/jurisdiction/${j.id}`}>{escapeHtml(t('jurisdiction.history'))}</a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}
