import { escapeHtml } from '@kitajs/html';
import { formatDate, formatNumber, type MessageKey } from '../../i18n/index.js';
import { pick, pickText } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag, Localized, LocalizedLink, ProgressBar, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import type { Translatable } from '../../lib/translatable.js';
import { Layout } from '../../ui/layout.js';
import { Timeline } from '../../ui/timeline.js';
import { MILESTONE_STATUSES, commitmentStatusOn, planStatusOf, type CommitmentStatus, type PlanDates } from '../commitments/domain.js';
import { NO_PROVENANCE, preciseDate, SourcedText, SourceNotes, type Provenance } from '../provenance/index.js';
import type { CommitmentSummary, PlanDetail, TimelineMilestone } from './queries.js';
import { FollowLink } from '../subscriptions/follow.js';
import { FeedLink, feedLinksOf } from '../feeds/links.js';

export function planPath(ctx: PageContext, jurisdictionSlug: string, planSlug: string): string {
  return `/${ctx.locale}/${jurisdictionSlug}/plans/${planSlug}`;
}

export function statusLabel(ctx: PageContext, status: string): string {
  return ctx.t(`domain.milestoneStatus.${status}` as MessageKey);
}

/** A plan's status on a day, as its label (derived: planStatusOf). */
export function planStatusLabel(ctx: PageContext, plan: PlanDates, today: string): string {
  return ctx.t(`domain.planStatus.${planStatusOf(plan, today)}` as MessageKey);
}

/** A commitment's status on a day: from its milestones, and its dates (commitmentStatusOn). */
export function commitmentStatusToday(c: Pick<CommitmentSummary, 'status' | 'startsOn' | 'endsOn'>, today: string): CommitmentStatus {
  return commitmentStatusOn(c.status, c, today);
}

const STATUS_ORDER: readonly CommitmentStatus[] = [...MILESTONE_STATUSES, 'ended', 'no_milestones'];

/** Counts of commitments per derived status on a day, as a list of tags with numbers. */
export function StatusCounts({ ctx, commitments, today }: { ctx: PageContext; commitments: CommitmentSummary[]; today: string }): JSX.Element {
  const counts = new Map<string, number>();
  for (const c of commitments) {
    const status = commitmentStatusToday(c, today);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const order = STATUS_ORDER.filter((s) => counts.has(s));
  return (
    <ul class="status-counts">
      {order.map((status) => (
        <li>
          <StatusTag status={status} label={statusLabel(ctx, status)} /> <span class="count">{escapeHtml(formatNumber(ctx.locale, counts.get(status) ?? 0))}</span>
        </li>
      ))}
    </ul>
  );
}

export function CommitmentTable({ ctx, base, commitments, caption, today }: { ctx: PageContext; base: string; commitments: CommitmentSummary[]; caption: string; today: string }): JSX.Element {
  const { t } = ctx;
  return (
    <div class="table-scroll">
      <table class="commitments stacked">
        <caption safe>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{escapeHtml(t('plan.table.code'))}</th>
            <th scope="col">{escapeHtml(t('plan.table.title'))}</th>
            <th scope="col">{escapeHtml(t('plan.table.lead'))}</th>
            <th scope="col">{escapeHtml(t('plan.table.status'))}</th>
            <th scope="col">{escapeHtml(t('plan.table.progress'))}</th>
          </tr>
        </thead>
        <tbody>
          {commitments.map((c) => (
            <tr>
              <td class="code" data-label={t('plan.table.code')} safe>
                {c.code}
              </td>
              <th scope="row">
                <LocalizedLink ctx={ctx} href={`${base}/commitments/${c.code}`} value={c.title} />
              </th>
              <td data-label={t('plan.table.lead')}>
                {c.leads.length
                  ? c.leads.map((l, i) => (
                      <>
                        {i > 0 ? ', ' : ''}
                        <Localized ctx={ctx} value={l.name} />
                      </>
                    ))
                  : escapeHtml(t('provenance.leadNotStated'))}
              </td>
              <td data-label={t('plan.table.status')}>
                <StatusTag status={commitmentStatusToday(c, today)} label={statusLabel(ctx, commitmentStatusToday(c, today))} />
                {c.hasDemo ? (
                  <>
                    {' '}
                    <DemoTag ctx={ctx} />
                  </>
                ) : (
                  ''
                )}
              </td>
              <td data-label={t('plan.table.progress')}>
                <ProgressBar ctx={ctx} value={c.progress} label={pickText(c.title, ctx.locale)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The plan page; `hasHistory` when the plan has published changes (entitiesWithHistory), to link
 * to them. Statuses are derived for `today` (the day the page cache renders the page for).
 */
export function PlanPage({
  ctx,
  plan,
  hasHistory,
  today,
  provenance = NO_PROVENANCE,
  visionIds = [],
  consultations = [],
}: {
  ctx: PageContext;
  plan: PlanDetail;
  hasHistory: boolean;
  today: string;
  /** The plan's published consultations (its co-creation among them), newest first. */
  consultations?: readonly { slug: string; title: Translatable; isDemo: boolean }[];
  /** Where each text and fact comes from; `visionIds` are the vision sections' ids, in order. */
  provenance?: Provenance;
  visionIds?: readonly number[];
}): JSX.Element {
  const { t, locale } = ctx;
  const sources = (field: string) => provenance.get('action_plan', plan.id, field);
  const title = pickText(plan.title, locale);
  const base = planPath(ctx, plan.jurisdiction.slug, plan.slug);
  const pagePath = `/${plan.jurisdiction.slug}/plans/${plan.slug}`;
  const share = { description: t('feeds.share.description.plan', { jurisdiction: pickText(plan.jurisdiction.name, locale) }) };
  return (
    <Layout ctx={ctx} title={title} demo={plan.hasDemo} feeds={feedLinksOf(ctx, pagePath)} share={share}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${locale}/`, label: t('ui.nav.home') },
          { href: `/${locale}/${plan.jurisdiction.slug}`, label: pickText(plan.jurisdiction.name, locale) },
          { label: title },
        ]}
      />
      <Localized ctx={ctx} value={plan.title} as="h1" />
      <SourceNotes ctx={ctx} sources={sources('title')} shownLang={pick(plan.title, locale)?.lang} />
      <FollowLink ctx={ctx} topic={{ type: 'plan', id: plan.id }} />
      <FeedLink ctx={ctx} pagePath={pagePath} />
      <section aria-labelledby="glance">
        <h2 id="glance">{escapeHtml(t('plan.atAGlance'))}</h2>
        <dl class="facts">
          <dt>{escapeHtml(t('plan.period'))}</dt>
          <dd>
            {escapeHtml(t('plan.periodValue', { start: preciseDate(ctx, plan.startsOn, sources('starts_on')), end: preciseDate(ctx, plan.endsOn, sources('ends_on')) }))}
            <SourceNotes ctx={ctx} sources={[...sources('starts_on'), ...sources('ends_on')]} />
          </dd>
          <dt>{escapeHtml(t('plan.status'))}</dt>
          <dd>{escapeHtml(planStatusLabel(ctx, plan, today))}</dd>
          {plan.withdrawnOn ? (
            <>
              <dt>{escapeHtml(t('plan.withdrawnOn'))}</dt>
              <dd>{escapeHtml(formatDate(locale, plan.withdrawnOn))}</dd>
            </>
          ) : (
            ''
          )}
          {plan.assessedOn ? (
            <>
              <dt>{escapeHtml(t('plan.assessedOn'))}</dt>
              <dd>{escapeHtml(formatDate(locale, plan.assessedOn))}</dd>
            </>
          ) : (
            ''
          )}
          {plan.submittedOn ? (
            <>
              <dt>{escapeHtml(t('plan.submitted'))}</dt>
              <dd>
                {escapeHtml(preciseDate(ctx, plan.submittedOn, sources('submitted_on')))}
                <SourceNotes ctx={ctx} sources={sources('submitted_on')} />
              </dd>
            </>
          ) : (
            ''
          )}
          <dt>{escapeHtml(t('plan.leadInstitutions'))}</dt>
          <dd>
            {plan.leadInstitutions.length ? (
              <ul class="inline-list">
                {plan.leadInstitutions.map((i) => (
                  <li>
                    <LocalizedLink ctx={ctx} href={`/${locale}/${plan.jurisdiction.slug}/institutions/${i.slug}`} value={i.name} />
                  </li>
                ))}
              </ul>
            ) : (
              escapeHtml(t('ui.none'))
            )}
            <SourceNotes ctx={ctx} sources={sources('lead_institutions')} />
          </dd>
          <dt>{escapeHtml(t('plan.commitments'))}</dt>
          <dd>{escapeHtml(t('plan.commitmentCount', { count: plan.commitments.length }))}</dd>
          <dt>{escapeHtml(t('plan.progress'))}</dt>
          <dd>
            <ProgressBar ctx={ctx} value={plan.progress} label={t('plan.progress')} />
          </dd>
        </dl>
        <p class="hint">{escapeHtml(t('plan.progressNote'))}</p>
        <p>
          <a href={`${base}/standards`}>{escapeHtml(t('standards.link'))}</a>
        </p>
        {plan.commitments.length ? (
          <>
            <h3>{escapeHtml(t('plan.byStatus'))}</h3>
            <StatusCounts ctx={ctx} commitments={plan.commitments} today={today} />
          </>
        ) : (
          ''
        )}
      </section>

      <section aria-labelledby="commitments">
        <h2 id="commitments">{escapeHtml(t('plan.commitments'))}</h2>
        {plan.commitments.length ? (
          <>
            <CommitmentTable ctx={ctx} base={base} commitments={plan.commitments} caption={t('plan.commitmentCount', { count: plan.commitments.length })} today={today} />
            <p>
              <a href={`${base}/timeline`}>{escapeHtml(t('plan.timelineLink'))}</a>
            </p>
            <p>
              <a href={`${base}/monitoring`}>{escapeHtml(t('reviews.planLink'))}</a>
            </p>
          </>
        ) : (
          <p>{escapeHtml(t('plan.noCommitments'))}</p>
        )}
      </section>

      {Object.keys(plan.foreword).length ? (
        <section aria-labelledby="foreword">
          <h2 id="foreword">{escapeHtml(t('plan.foreword'))}</h2>
          <SourcedText ctx={ctx} value={plan.foreword} sources={sources('foreword')} class="prose" />
        </section>
      ) : (
        ''
      )}

      {plan.visionSections.length ? (
        <section aria-labelledby="vision">
          <h2 id="vision">{escapeHtml(t('plan.vision'))}</h2>
          {plan.visionSections.map((v, position) => {
            const id = visionIds[position];
            return (
              <>
                <Localized ctx={ctx} value={v.question} as="h3" />
                <SourcedText ctx={ctx} value={v.answer} sources={id === undefined ? [] : provenance.get('vision_section', id, 'answer')} class="prose" />
              </>
            );
          })}
        </section>
      ) : (
        ''
      )}

      <section aria-labelledby="cocreation">
        <h2 id="cocreation">{escapeHtml(t('plan.cocreation'))}</h2>
        <dl class="facts">
          <dt>{escapeHtml(t('provenance.cocreation.groups'))}</dt>
          <dd>
            {plan.cocreationGroups === null ? t('ui.notSet') : escapeHtml(formatNumber(locale, plan.cocreationGroups))}
            <SourceNotes ctx={ctx} sources={sources('cocreation_groups')} />
          </dd>
          <dt>{escapeHtml(t('provenance.cocreation.meetings'))}</dt>
          <dd>
            {plan.cocreationPublicMeetings === null ? t('ui.notSet') : escapeHtml(formatNumber(locale, plan.cocreationPublicMeetings))}
            <SourceNotes ctx={ctx} sources={sources('cocreation_public_meetings')} />
          </dd>
        </dl>
        {Object.keys(plan.cocreationSummary).length ? <SourcedText ctx={ctx} value={plan.cocreationSummary} sources={sources('cocreation_summary')} class="prose" /> : ''}
        {consultations.length ? (
          <>
            <h3>{escapeHtml(t('consultations.home.title'))}</h3>
            <ul>
              {consultations.map((c) => (
                <li>
                  <LocalizedLink ctx={ctx} href={`/${locale}/${encodeURIComponent(plan.jurisdiction.slug)}/consultations/${encodeURIComponent(c.slug)}`} value={c.title} />
                  {c.isDemo ? <> <DemoTag ctx={ctx} /></> : ''}
                </li>
              ))}
            </ul>
          </>
        ) : (
          ''
        )}
        {plan.endorsements.length ? (
          <>
            <h3>{escapeHtml(t('plan.endorsements'))}</h3>
            <ul>
              {plan.endorsements.map((e) => (
                <li>
                  <span safe>{e.organization}</span> <span class="muted">({escapeHtml(t(`domain.sector.${e.sector}` as MessageKey))})</span>
                </li>
              ))}
            </ul>
            <SourceNotes ctx={ctx} sources={sources('endorsements')} />
          </>
        ) : (
          ''
        )}
      </section>
      <section aria-labelledby="reports" class="report-links">
        <h2 id="reports">{escapeHtml(t('reports.title'))}</h2>
        <p>{escapeHtml(t('reports.block.intro'))}</p>
        <ul>
          {(['plan', 'monitoring'] as const).map((kind) => {
            const report = kind === 'plan' ? `${base}/report` : `${base}/monitoring-report`;
            const name = t(kind === 'plan' ? 'reports.plan' : 'reports.monitoring');
            return (
              <li>
                <a href={report}>{escapeHtml(t('reports.printable', { report: name }))}</a>
                {kind === 'plan' ? (
                  <>
                    {' · '}
                    <a href={`${report}.pdf`} type="application/pdf">{escapeHtml(t('reports.formats.pdf'))}</a>
                    {' · '}
                    <a href={`${report}.docx`}>{escapeHtml(t('reports.formats.docx'))}</a>
                  </>
                ) : (
                  ''
                )}
              </li>
            );
          })}
        </ul>
      </section>
      {hasHistory ? (
        <p class="history-link">
          <a href={`/${locale}/history/plan/${plan.id}`}>{escapeHtml(t('plan.history'))}</a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}

export function PlanTimelinePage({ ctx, plan, milestones }: { ctx: PageContext; plan: PlanDetail; milestones: TimelineMilestone[] }): JSX.Element {
  const { t, locale } = ctx;
  const title = pickText(plan.title, locale);
  const demo = milestones.some((m) => m.isDemo);
  return (
    <Layout ctx={ctx} title={`${t('plan.timeline')} · ${title}`} demo={demo}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${locale}/`, label: t('ui.nav.home') },
          { href: `/${locale}/${plan.jurisdiction.slug}`, label: pickText(plan.jurisdiction.name, locale) },
          { href: planPath(ctx, plan.jurisdiction.slug, plan.slug), label: title },
          { label: t('plan.timeline') },
        ]}
      />
      <h1>{escapeHtml(t('plan.timeline'))}</h1>
      {milestones.length ? (
        <Timeline
          ctx={ctx}
          caption={t('plan.timelineCaption', { plan: title })}
          items={milestones.map((m) => ({ id: m.code, label: `${m.code} ${pickText(m.title, locale)}`.trim(), start: m.startsOn, end: m.dueOn, status: m.status }))}
        />
      ) : (
        <p>{escapeHtml(t('plan.noMilestones'))}</p>
      )}
    </Layout>
  );
}
