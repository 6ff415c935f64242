import { escapeHtml } from '@kitajs/html';
import { formatDate, type MessageKey } from '../../i18n/index.js';
import { pick, pickText, type Translatable } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag, Localized, LocalizedLink, ProgressBar, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import { Timeline } from '../../ui/timeline.js';
import { isNotStated, NO_PROVENANCE, NotStated, preciseDate, SourceNotes, SourcedText, type Provenance, type SourceRef } from '../provenance/index.js';
import { ProgressUpdatesTimeline, type PublishedUpdate } from '../reporting/index.js';
import { CommitmentMonitoring, type CommitmentFindings } from '../reviews/index.js';
import { commitmentStatusOn, ogpValuesAndLenses } from './domain.js';
import type { CommitmentDetail, MilestoneView } from './queries.js';
import { FollowLink } from '../subscriptions/follow.js';
import { FeedLink, feedLinksOf } from '../feeds/links.js';
import { IrmAssessment, type IrmAssessmentView } from '../interop/index.js';

/** A text of the commitment with its source; an empty one is shown only when its sources say it is not stated. */
function Section({ ctx, id, title, value, sources }: { ctx: PageContext; id: string; title: string; value: Translatable; sources: readonly SourceRef[] }): JSX.Element {
  if (Object.keys(value).length === 0 && !isNotStated(sources)) return <></>;
  return (
    <section aria-labelledby={id}>
      <h2 id={id} safe>
        {title}
      </h2>
      <SourcedText ctx={ctx} value={value} sources={sources} class="prose" />
    </section>
  );
}

/** A milestone's labels, the same for every milestone of the page: translated and escaped once. */
function milestoneLabels(t: PageContext['t']) {
  return {
    responsible: escapeHtml(t('milestone.responsible')),
    notSet: escapeHtml(t('ui.notSet')),
    start: escapeHtml(t('milestone.start')),
    due: escapeHtml(t('milestone.due')),
    completedOn: escapeHtml(t('milestone.completedOn')),
    cancelledOn: escapeHtml(t('milestone.cancelledOn')),
    expectedOutput: escapeHtml(t('milestone.expectedOutput')),
    indicator: escapeHtml(t('milestone.indicator')),
    weight: escapeHtml(t('milestone.weight')),
  };
}

function Milestone({
  ctx,
  m,
  jurisdiction,
  hasHistory,
  safeLabels,
}: {
  ctx: PageContext;
  m: MilestoneView;
  jurisdiction: string;
  hasHistory: boolean;
  safeLabels: ReturnType<typeof milestoneLabels>;
}): JSX.Element {
  const { t, locale } = ctx;
  return (
    <article class="milestone" id={m.code} aria-labelledby={`${m.code}-title`}>
      <h3 id={`${m.code}-title`}>
        <span class="code" safe>
          {m.code}
        </span>{' '}
        <Localized ctx={ctx} value={m.title} />
      </h3>
      <p>
        <StatusTag status={m.status} label={t(`domain.milestoneStatus.${m.status}` as MessageKey)} />
        {m.isDemo ? (
          <>
            {' '}
            <DemoTag ctx={ctx} />
          </>
        ) : (
          ''
        )}
      </p>
      <dl class="facts">
        <dt>{safeLabels.responsible}</dt>
        <dd>
          {m.responsible ? (
            <LocalizedLink ctx={ctx} href={`/${locale}/${jurisdiction}/institutions/${m.responsible.slug}`} value={m.responsible.name} />
          ) : (
            safeLabels.notSet
          )}
        </dd>
        <dt>{safeLabels.start}</dt>
        <dd>{m.startsOn ? formatDate(locale, m.startsOn) : safeLabels.notSet}</dd>
        <dt>{safeLabels.due}</dt>
        <dd>{escapeHtml(formatDate(locale, m.dueOn))}</dd>
        {m.completedOn ? (
          <>
            <dt>{safeLabels.completedOn}</dt>
            <dd>{escapeHtml(formatDate(locale, m.completedOn))}</dd>
          </>
        ) : (
          ''
        )}
        {m.cancelledOn ? (
          <>
            <dt>{safeLabels.cancelledOn}</dt>
            <dd>{escapeHtml(formatDate(locale, m.cancelledOn))}</dd>
          </>
        ) : (
          ''
        )}
        {Object.keys(m.expectedOutput).length ? (
          <>
            <dt>{safeLabels.expectedOutput}</dt>
            <Localized ctx={ctx} value={m.expectedOutput} as="dd" />
          </>
        ) : (
          ''
        )}
        {Object.keys(m.indicator).length ? (
          <>
            <dt>{safeLabels.indicator}</dt>
            <Localized ctx={ctx} value={m.indicator} as="dd" />
          </>
        ) : (
          ''
        )}
        <dt>{safeLabels.weight}</dt>
        <dd>{escapeHtml(String(m.weight))}</dd>
      </dl>
      {hasHistory ? (
        <p class="history-link meta">
          <a href={`/${locale}/history/milestone/${m.id}`}>{escapeHtml(t('milestone.history', { code: m.code }))}</a>
        </p>
      ) : (
        ''
      )}
    </article>
  );
}

/**
 * The commitment page. `history` says which of the commitment and its milestones (by id) have
 * published changes (entitiesWithHistory): only those get a link to their history page.
 */
export function CommitmentPage({
  ctx,
  c,
  updates,
  history,
  provenance = NO_PROVENANCE,
  findings,
  irm,
  today,
}: {
  ctx: PageContext;
  c: CommitmentDetail;
  updates: PublishedUpdate[];
  history: { commitment: boolean; milestones: ReadonlySet<number> };
  provenance?: Provenance;
  /** The monitoring body's published reviews and open recommendations (side by side with the reports). */
  findings?: CommitmentFindings;
  /** The IRM assessment from OGP's data, when imported (modules/interop). */
  irm?: IrmAssessmentView | undefined;
  /** The day the status is derived for (the day the page cache renders the page for). */
  today: string;
}): JSX.Element {
  const sources = (field: string) => provenance.get('commitment', c.id, field);
  const { t, locale } = ctx;
  const status = commitmentStatusOn(c.status, c, today);
  const ogp = ogpValuesAndLenses(c.ogpValues);
  const ogpList = (keys: string[]) =>
    keys.length ? (
      <ul class="inline-list">
        {keys.map((v) => (
          <li>{escapeHtml(t(`domain.ogpValue.${v}` as MessageKey))}</li>
        ))}
      </ul>
    ) : (
      escapeHtml(t('ui.none'))
    );
  const safeMilestoneLabels = milestoneLabels(t);
  const title = pickText(c.title, locale);
  const planHref = `/${locale}/${c.jurisdiction.slug}/plans/${c.plan.slug}`;
  const leads = c.institutions.filter((i) => i.role === 'lead');
  const supporting = c.institutions.filter((i) => i.role === 'supporting');
  const involved = c.institutions.filter((i) => i.role === 'involved');
  const institutionList = (list: typeof leads) =>
    list.length ? (
      <ul class="inline-list">
        {list.map((i) => (
          <li>
            <LocalizedLink ctx={ctx} href={`/${locale}/${c.jurisdiction.slug}/institutions/${i.slug}`} value={i.name} />
          </li>
        ))}
      </ul>
    ) : (
      t('ui.none')
    );
  const pagePath = `/${c.jurisdiction.slug}/plans/${c.plan.slug}/commitments/${encodeURIComponent(c.code)}`;
  const statusText = t(`domain.milestoneStatus.${status}` as MessageKey);
  const progressText = c.progress === null ? t('ui.none') : t('ui.progress', { percent: c.progress });
  const share = {
    title: `${c.code} ${title}`,
    description: t('feeds.share.description.commitment', { status: statusText, progress: progressText, plan: pickText(c.plan.title, locale) }),
    type: 'article' as const,
    // The share image (modules/feeds): the progress drawn as the page shows it, in the page's language.
    image: ctx.publicUrl
      ? { url: `${ctx.publicUrl}/share/commitments/${c.id}.png?lang=${locale}`, alt: t('feeds.share.alt', { code: c.code, title, status: statusText, progress: progressText }), width: 1200, height: 630 }
      : undefined,
  };
  return (
    <Layout ctx={ctx} title={`${c.code} ${title}`} demo={c.milestones.some((m) => m.isDemo)} feeds={feedLinksOf(ctx, pagePath)} share={share}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${locale}/`, label: t('ui.nav.home') },
          { href: `/${locale}/${c.jurisdiction.slug}`, label: pickText(c.jurisdiction.name, locale) },
          { href: planHref, label: pickText(c.plan.title, locale) },
          { label: c.code },
        ]}
      />
      <p class="eyebrow" safe>
        {c.code}
      </p>
      <Localized ctx={ctx} value={c.title} as="h1" />
      <SourceNotes ctx={ctx} sources={sources('title')} shownLang={pick(c.title, locale)?.lang} />
      <FollowLink ctx={ctx} topic={{ type: 'commitment', id: c.id }} />
      <FeedLink ctx={ctx} pagePath={pagePath} />
      <dl class="facts">
        <dt>{escapeHtml(t('commitment.status'))}</dt>
        <dd>
          <StatusTag status={status} label={t(`domain.milestoneStatus.${status}` as MessageKey)} />
        </dd>
        <dt>{escapeHtml(t('commitment.progress'))}</dt>
        <dd>
          <ProgressBar ctx={ctx} value={c.progress} label={t('commitment.progress')} />
        </dd>
        <dt>{escapeHtml(t('commitment.period'))}</dt>
        <dd>
          {escapeHtml(t('plan.periodValue', { start: preciseDate(ctx, c.startsOn, sources('starts_on')), end: preciseDate(ctx, c.endsOn, sources('ends_on')) }))}
          <SourceNotes ctx={ctx} sources={[...sources('starts_on'), ...sources('ends_on')].filter((s) => s.relation === 'conflict')} />
        </dd>
        {involved.length ? (
          <>
            <dt>{escapeHtml(t('provenance.involved'))}</dt>
            <dd>
              {institutionList(involved)}
              <SourceNotes ctx={ctx} sources={sources('institutions')} />
            </dd>
          </>
        ) : (
          ''
        )}
        {leads.length || !involved.length ? (
          <>
            <dt>{escapeHtml(t('commitment.lead'))}</dt>
            <dd>{institutionList(leads)}</dd>
          </>
        ) : (
          ''
        )}
        {supporting.length || !involved.length ? (
          <>
            <dt>{escapeHtml(t('commitment.supporting'))}</dt>
            <dd>{institutionList(supporting)}</dd>
          </>
        ) : (
          ''
        )}
        <dt>{escapeHtml(t('commitment.ogpValues'))}</dt>
        <dd>
          {ogpList(ogp.values)}
          <SourceNotes ctx={ctx} sources={sources('ogp_values')} />
        </dd>
        {ogp.lenses.length ? (
          <>
            <dt>{escapeHtml(t('commitment.ogpLenses'))}</dt>
            <dd>{ogpList(ogp.lenses)}</dd>
          </>
        ) : (
          ''
        )}
        {!c.policyAreas.length && isNotStated(sources('policy_areas')) ? (
          <>
            <dt>{escapeHtml(t('commitment.policyAreas'))}</dt>
            <dd>
              <NotStated ctx={ctx} sources={sources('policy_areas')} />
            </dd>
          </>
        ) : (
          ''
        )}
        {c.policyAreas.length ? (
          <>
            <dt>{escapeHtml(t('commitment.policyAreas'))}</dt>
            <dd>
              <ul class="inline-list">
                {c.policyAreas.map((p) => (
                  <li safe>{p}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : (
          ''
        )}
      </dl>
      <Section ctx={ctx} id="problem" title={t('commitment.problem')} value={c.problem} sources={sources('problem')} />
      <Section ctx={ctx} id="status-quo" title={t('commitment.statusQuo')} value={c.statusQuo} sources={sources('status_quo')} />
      <Section ctx={ctx} id="action" title={t('commitment.action')} value={c.action} sources={sources('action')} />
      <Section ctx={ctx} id="contribution" title={t('commitment.contribution')} value={c.contribution} sources={sources('contribution')} />
      <Section ctx={ctx} id="long-term-goal" title={t('commitment.longTermGoal')} value={c.longTermGoal} sources={sources('long_term_goal')} />
      <IrmAssessment ctx={ctx} assessment={irm} />
      <section aria-labelledby="milestones">
        <h2 id="milestones">{escapeHtml(t('commitment.milestones'))}</h2>
        {c.milestones.length ? (
          <>
            <p>{escapeHtml(t('commitment.milestoneCount', { count: c.milestones.length }))}</p>
            <Timeline
              ctx={ctx}
              caption={t('commitment.timelineCaption', { code: c.code })}
              items={c.milestones.map((m) => ({ id: m.code, label: m.code, start: m.startsOn, end: m.dueOn, status: m.status }))}
            />
            {c.milestones.map((m) => (
              <Milestone ctx={ctx} m={m} jurisdiction={c.jurisdiction.slug} hasHistory={history.milestones.has(m.id)} safeLabels={safeMilestoneLabels} />
            ))}
          </>
        ) : (
          <p>{escapeHtml(t('commitment.noMilestones'))}</p>
        )}
      </section>
      <ProgressUpdatesTimeline ctx={ctx} updates={updates} />
      {findings ? <CommitmentMonitoring ctx={ctx} updates={updates} findings={findings} jurisdiction={c.jurisdiction.slug} plan={c.plan.slug} today={today} /> : ''}
      <section aria-labelledby="reports" class="report-links">
        <h2 id="reports">{escapeHtml(t('reports.title'))}</h2>
        <p>{escapeHtml(t('reports.block.introCommitment'))}</p>
        <ul>
          <li>
            <a href={`${planHref}/commitments/${encodeURIComponent(c.code)}/report`}>{escapeHtml(t('reports.printable', { report: t('reports.commitment') }))}</a>
            {' · '}
            <a href={`${planHref}/commitments/${encodeURIComponent(c.code)}/report.pdf`} type="application/pdf">
              {escapeHtml(t('reports.formats.pdf'))}
            </a>
            {' · '}
            <a href={`${planHref}/commitments/${encodeURIComponent(c.code)}/report.docx`}>{escapeHtml(t('reports.formats.docx'))}</a>
          </li>
        </ul>
      </section>
      {history.commitment ? (
        <p class="history-link">
          <a href={`/${locale}/history/commitment/${c.id}`}>{escapeHtml(t('commitment.history'))}</a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}
