import { escapeHtml } from '@kitajs/html';
import { formatDate, type MessageKey } from '../../i18n/index.js';
import { pickText } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag, Localized, LocalizedLink, ProgressBar, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import { NO_PROVENANCE, precisionOf, preciseDate, SourcedText, SourceNotes, type Provenance } from '../provenance/index.js';
import { CommitmentTable, StatusCounts, planPath, planStatusLabel } from '../plans/index.js';
import type { RecentChange } from '../manifest.js';
import type { CurrentPlanStory, DueMilestone, HomeCard, JurisdictionHome } from './queries.js';
import { planStatusOf } from '../commitments/domain.js';
import { FollowLink } from '../subscriptions/follow.js';
import { FeedLink, feedLinksOf } from '../feeds/links.js';

/** Whole days from `from` to `to` (ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function periodText(ctx: PageContext, startsOn: string, endsOn: string): string {
  return ctx.t('plan.periodValue', { start: formatDate(ctx.locale, startsOn), end: formatDate(ctx.locale, endsOn) });
}

/** One jurisdiction on the instance home; `featured` when it is the only one. */
function JurisdictionCard({ ctx, card, today, featured }: { ctx: PageContext; card: HomeCard; today: string; featured: boolean }): JSX.Element {
  const { t, locale } = ctx;
  const href = `/${locale}/${card.slug}`;
  const plan = card.plan;
  const Heading = featured ? 'h2' : 'h3';
  return (
    <article class={featured ? 'home-card featured' : 'home-card'} aria-labelledby={`j-${card.id}`}>
      <Heading id={`j-${card.id}`} class="home-card-title">
        <LocalizedLink ctx={ctx} href={href} value={card.name} empty={card.slug} />
      </Heading>
      <p class="muted">{escapeHtml(t(`domain.jurisdictionKind.${card.kind}` as MessageKey))}</p>
      {plan ? (
        <>
          <p class="plan-title">
            <Localized ctx={ctx} value={plan.summary.title} />
            {plan.hasDemo ? (
              <>
                {' '}
                <DemoTag ctx={ctx} />
              </>
            ) : (
              ''
            )}
          </p>
          <dl class="facts">
            <dt>{escapeHtml(t('plan.period'))}</dt>
            <dd safe>{periodText(ctx, plan.summary.startsOn, plan.summary.endsOn)}</dd>
            <dt>{escapeHtml(t('plan.status'))}</dt>
            <dd>{escapeHtml(planStatusLabel(ctx, plan.summary, today))}</dd>
            <dt>{escapeHtml(t('plan.commitments'))}</dt>
            <dd>{escapeHtml(t('plan.commitmentCount', { count: plan.commitments }))}</dd>
            <dt>{escapeHtml(t('plan.progress'))}</dt>
            <dd>
              {plan.milestones === 0 ? (
                escapeHtml(t('home.card.noMilestones'))
              ) : (
                <ProgressBar ctx={ctx} value={plan.progress} label={`${t('plan.progress')} · ${pickText(card.name, locale) || card.slug}`} />
              )}
            </dd>
            {plan.milestones ? (
              <>
                <dt>{escapeHtml(t('home.card.overdue'))}</dt>
                <dd>{plan.overdue ? <strong class="overdue">{escapeHtml(t('home.card.overdueCount', { count: plan.overdue }))}</strong> : escapeHtml(t('home.card.noneOverdue'))}</dd>
              </>
            ) : (
              ''
            )}
            <dt>{escapeHtml(t('home.card.latest'))}</dt>
            <dd>
              {card.latestUpdate ? (
                <>
                  <time datetime={card.latestUpdate.publishedAt}>{escapeHtml(formatDate(locale, card.latestUpdate.publishedAt, 'long', card.latestUpdate.timeZone))}</time>
                  {': '}
                  <LocalizedLink ctx={ctx} href={`/${locale}${card.latestUpdate.path}#update-${card.latestUpdate.id}`} value={card.latestUpdate.commitment.title} code={card.latestUpdate.commitment.code} />
                </>
              ) : (
                escapeHtml(t('home.card.noUpdates'))
              )}
            </dd>
          </dl>
        </>
      ) : (
        <p>{escapeHtml(t('jurisdiction.noPlan'))}</p>
      )}
      {featured ? (
        <p>
          <a class="button" href={href}>
            {escapeHtml(t('home.card.open', { name: pickText(card.name, locale) || card.slug }))}
          </a>
        </p>
      ) : (
        ''
      )}
    </article>
  );
}

/**
 * The instance home: each jurisdiction as a card (current plan, period, status, progress,
 * commitments, overdue milestones, latest published update). With one jurisdiction its card is
 * the page's centre and leads to it; no redirect, so the page stays cached and "Home" stays home.
 */
export function HomePage({ ctx, cards, today }: { ctx: PageContext; cards: HomeCard[]; today: string }): JSX.Element {
  const { t } = ctx;
  const single = cards.length === 1;
  return (
    <Layout ctx={ctx} title={t('home.title')} demo={cards.some((c) => c.plan?.hasDemo)} feeds={feedLinksOf(ctx, '/')} share={{ description: t('home.intro') }}>
      <h1>{escapeHtml(t('home.title'))}</h1>
      <p class="lead">{escapeHtml(t('home.intro'))}</p>
      <FeedLink ctx={ctx} pagePath="/" />
      {cards.length === 0 ? (
        <p>{escapeHtml(t('home.empty'))}</p>
      ) : single ? (
        <JurisdictionCard ctx={ctx} card={cards[0]!} today={today} featured />
      ) : (
        <section aria-labelledby="jurisdictions">
          <h2 id="jurisdictions">{escapeHtml(t('home.jurisdictions'))}</h2>
          <ul class="home-cards">
            {cards.map((card) => (
              <li>
                <JurisdictionCard ctx={ctx} card={card} today={today} featured={false} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}

function MilestoneLine({ ctx, slug, story, m, today }: { ctx: PageContext; slug: string; story: CurrentPlanStory; m: DueMilestone; today: string }): JSX.Element {
  const { t, locale } = ctx;
  const late = daysBetween(m.dueOn, today);
  return (
    <li>
      <LocalizedLink ctx={ctx} href={`${planPath(ctx, slug, story.plan.slug)}/commitments/${encodeURIComponent(m.commitmentCode)}#${m.code}`} code={m.code} value={m.title} />{' '}
      <span class="due-date">
        {escapeHtml(t('story.dueOn'))} <time datetime={m.dueOn}>{escapeHtml(formatDate(locale, m.dueOn))}</time>
        {late > 0 ? <strong class="overdue">{escapeHtml(` (${t('story.daysLate', { days: late })})`)}</strong> : ''}
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
  );
}

/**
 * Sentences that say where a plan stands when there are few figures yet, each from stored dates
 * and counts: when implementation starts or started, whether anything has been reported, when the
 * first milestones are (or were) due, or that no milestone is recorded yet.
 */
export function storySentences(ctx: PageContext, story: CurrentPlanStory, today: string, provenance: Provenance = NO_PROVENANCE): string[] {
  const { t, locale } = ctx;
  const status = planStatusOf(story.plan, today);
  const sources = provenance.get('action_plan', story.plan.id, 'starts_on');
  const start = { date: preciseDate(ctx, story.plan.startsOn, sources), precision: precisionOf(sources) };
  const sentences = [t(status === 'announced' ? 'story.startsOn' : 'story.startedOn', start)];
  if (story.publishedUpdates === 0) sentences.push(t('story.nothingReported'));
  if (story.milestoneCount === 0) sentences.push(t('story.noMilestones'));
  else if (story.publishedUpdates === 0 && story.firstDueOn)
    sentences.push(t(story.firstDueOn >= today ? 'story.firstDue' : 'story.firstWasDue', { date: formatDate(locale, story.firstDueOn) }));
  return sentences;
}

/** The newest published changes of a jurisdiction, whichever module published them (manifest `recent`). */
function RecentChanges({ ctx, changes }: { ctx: PageContext; changes: readonly RecentChange[] }): JSX.Element {
  const { t, locale } = ctx;
  return (
    <section class="recent-changes" aria-labelledby="recent-changes-title">
      <h2 id="recent-changes-title">{escapeHtml(t('jurisdiction.recent.title'))}</h2>
      {changes.length === 0 ? (
        <p class="muted">{escapeHtml(t('jurisdiction.recent.none'))}</p>
      ) : (
        <ul class="summary-list">
          {changes.map((c) => (
            <li>
              <LocalizedLink ctx={ctx} href={`/${locale}${c.path}`} value={c.title} code={c.code} /> {c.isDemo ? <DemoTag ctx={ctx} /> : ''}{' '}
              <span class="meta" safe>
                {c.line(ctx)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
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
  const story = j.current;
  const demo = !!story && (story.plan.isDemo || story.commitments.some((c) => c.hasDemo));
  const base = story ? planPath(ctx, j.slug, story.plan.slug) : '';
  // Figures mean something once progress is reported (or recorded); before that, sentences say the plan is new.
  const figures = !!story && (story.publishedUpdates > 0 || (story.progress ?? 0) > 0);
  return (
    <Layout ctx={ctx} title={name} demo={demo} feeds={feedLinksOf(ctx, `/${j.slug}`)} share={{ description: t('feeds.share.description.jurisdiction', { jurisdiction: name }) }}>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${locale}/`, label: t('ui.nav.home') }, { label: name }]} />
      <Localized ctx={ctx} value={j.name} as="h1" />
      <FollowLink ctx={ctx} topic={{ type: 'jurisdiction', id: j.id }} />
      <FeedLink ctx={ctx} pagePath={`/${j.slug}`} />
      {story ? (
        <>
          <section aria-labelledby="promised" class="panel story">
            <h2 id="promised">{escapeHtml(t('story.promised'))}</h2>
            <p class="plan-title">
              <LocalizedLink ctx={ctx} href={base} value={story.plan.title} />
            </p>
            <p>
              {escapeHtml(
                t('story.promisedText', {
                  count: story.commitments.length,
                  start: preciseDate(ctx, story.plan.startsOn, provenance.get('action_plan', story.plan.id, 'starts_on')),
                  end: preciseDate(ctx, story.plan.endsOn, provenance.get('action_plan', story.plan.id, 'ends_on')),
                }),
              )}
            </p>
            {/* Source notes are paragraphs of their own, so they follow the sentence rather than sit in it. */}
            <SourceNotes ctx={ctx} sources={provenance.get('action_plan', story.plan.id, 'ends_on').filter((s) => s.relation === 'conflict')} />
            <p class="muted">{escapeHtml(t('story.status', { status: planStatusLabel(ctx, story.plan, today) }))}</p>
          </section>
          <section aria-labelledby="how-far" class="story">
            <h2 id="how-far">{escapeHtml(t('story.howFar'))}</h2>
            <p class="story-lead">
              {escapeHtml(storySentences(ctx, story, today, provenance).join(' '))}
            </p>
            {figures ? (
              <>
                <p>
                  <ProgressBar ctx={ctx} value={story.progress} label={t('plan.progress')} />
                </p>
                <h3>{escapeHtml(t('plan.byStatus'))}</h3>
                <StatusCounts ctx={ctx} commitments={story.commitments} today={today} />
              </>
            ) : (
              ''
            )}
          </section>
          <section aria-labelledby="late" class="story">
            <h2 id="late">{escapeHtml(t('story.late'))}</h2>
            {story.overdueCount ? (
              <>
                <p>{escapeHtml(t('story.lateCount', { count: story.overdueCount }))}</p>
                <ul class="due-list">
                  {story.overdue.map((m) => (
                    <MilestoneLine ctx={ctx} slug={j.slug} story={story} m={m} today={today} />
                  ))}
                </ul>
                {story.overdueCount > story.overdue.length ? (
                  <p>
                    <a href={`${base}/timeline`}>{escapeHtml(t('story.lateMore', { count: story.overdueCount - story.overdue.length }))}</a>
                  </p>
                ) : (
                  ''
                )}
              </>
            ) : (
              <p>{escapeHtml(t(story.milestoneCount ? 'story.noneLate' : 'story.noneLateYet'))}</p>
            )}
          </section>
          <section aria-labelledby="next" class="story">
            <h2 id="next">{escapeHtml(t('story.next'))}</h2>
            {story.next.length ? (
              <ul class="due-list">
                {story.next.map((m) => (
                  <MilestoneLine ctx={ctx} slug={j.slug} story={story} m={m} today={today} />
                ))}
              </ul>
            ) : (
              <p>{escapeHtml(t(story.milestoneCount ? 'story.noneNext' : 'story.noneNextYet'))}</p>
            )}
          </section>
        </>
      ) : (
        <p>{escapeHtml(t('jurisdiction.noPlan'))}</p>
      )}
      <RecentChanges ctx={ctx} changes={j.recent} />
      {story && story.commitments.length ? (
        <section aria-labelledby="commitments">
          <h2 id="commitments">{escapeHtml(t('plan.commitments'))}</h2>
          <CommitmentTable ctx={ctx} base={base} commitments={story.commitments} caption={t('plan.commitmentCount', { count: story.commitments.length })} today={today} />
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
      <section aria-labelledby="bodies">
        <h2 id="bodies">{escapeHtml(t('bodies.home.title'))}</h2>
        <p>
          <a href={`/${locale}/${j.slug}/bodies`}>{escapeHtml(t('bodies.home.link'))}</a>
        </p>
      </section>
      <section aria-labelledby="consultations">
        <h2 id="consultations">{escapeHtml(t('consultations.home.title'))}</h2>
        <p>
          <a href={`/${locale}/${j.slug}/consultations`}>{escapeHtml(t('consultations.home.link'))}</a>
        </p>
      </section>
      <section aria-labelledby="news">
        <h2 id="news">{escapeHtml(t('news.home.title'))}</h2>
        <p>
          <a href={`/${locale}/${j.slug}/news`}>{escapeHtml(t('news.home.link'))}</a>
        </p>
      </section>
      <section aria-labelledby="open-data">
        <h2 id="open-data">{escapeHtml(t('opendata.home.title'))}</h2>
        <p>
          <a href={`/${locale}/${j.slug}/open-data`}>{escapeHtml(t('opendata.home.link'))}</a>
        </p>
      </section>
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
      {Object.keys(j.description).length || j.website ? (
        <section aria-labelledby="about">
          <h2 id="about">{escapeHtml(t('jurisdiction.about', { name }))}</h2>
          {Object.keys(j.description).length ? <SourcedText ctx={ctx} value={j.description} sources={provenance.get('jurisdiction', j.id, 'description')} class="prose" /> : ''}
          {j.website ? (
            <p>
              <a href={j.website} rel="external">
                {escapeHtml(t('jurisdiction.website'))}
              </a>
            </p>
          ) : (
            ''
          )}
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
