import { formatDate, formatDateTime, type MessageKey } from '../../i18n/index.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag, Localized, LocalizedLink, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import { FollowLink } from '../subscriptions/follow.js';
import { ContributionsSection, type ContributionThread } from './contribution-section.js';
import {
  consultationPath,
  consultationsPath,
  consultationStatus,
  noticeDays,
  type ConsultationDocument,
  type ConsultationJurisdiction,
  type ConsultationStatus,
  type ConsultationView,
} from './consultation-queries.js';
import { ResponseTableSection, type ResponseTableData } from './response-section.js';

/** Public pages of consultations: a jurisdiction's list (open now first) and one consultation. */

/** The tag's look per status (the stylesheet's classes); the word always carries the meaning. */
const STATUS_LOOK: Record<ConsultationStatus, string> = { draft: 'draft', announced: 'pending', open: 'open', closed: 'closed', responded: 'completed' };

export function statusLabel(ctx: PageContext, status: ConsultationStatus): string {
  return ctx.t(`consultations.status.${status}` as MessageKey);
}

export function ConsultationStatusTag({ ctx, status }: { ctx: PageContext; status: ConsultationStatus }): JSX.Element {
  return <StatusTag status={STATUS_LOOK[status]} label={statusLabel(ctx, status)} />;
}

/** "1 March 2026 to 20 March 2026" in the reader's language. */
export function datesText(ctx: PageContext, c: Pick<ConsultationView, 'opensOn' | 'closesOn'>): string {
  return ctx.t('consultations.dates', { opens: formatDate(ctx.locale, c.opensOn), closes: formatDate(ctx.locale, c.closesOn) });
}

/**
 * Dates known only roughly (a consultation held outside Besa whose source gives no days: the dates
 * note says where they come from) give no notice period: counting days between stand-in dates
 * would state a fact no source states.
 */
export function datesKnownToTheDay(c: Pick<ConsultationView, 'datesNote'>): boolean {
  return !c.datesNote || Object.values(c.datesNote).every((text) => !text);
}

export function noticeText(ctx: PageContext, c: Pick<ConsultationView, 'opensOn' | 'closesOn' | 'datesNote'>): string {
  return datesKnownToTheDay(c) ? ctx.t('consultations.notice', { count: noticeDays(c) }) : ctx.t('consultations.notice.unknown');
}

function jurisdictionName(ctx: PageContext, j: ConsultationJurisdiction): string {
  return pickText(j.name, ctx.locale) || j.slug;
}

export interface ConsultationsPageProps {
  ctx: PageContext;
  jurisdiction: ConsultationJurisdiction;
  /** Published consultations, open now first (byPublicOrder). */
  consultations: ConsultationView[];
  /** Published contributions per consultation. */
  counts: Map<number, number>;
  today: string;
}

const GROUPS: ConsultationStatus[] = ['open', 'announced', 'closed', 'responded'];

export function ConsultationsPage({ ctx, jurisdiction, consultations, counts, today }: ConsultationsPageProps): JSX.Element {
  const { t, locale } = ctx;
  const title = t('consultations.list.title');
  const name = jurisdictionName(ctx, jurisdiction);
  const demo = consultations.some((c) => c.isDemo);
  return (
    <Layout ctx={ctx} title={`${title} · ${name}`} demo={demo}>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${locale}/`, label: t('ui.nav.home') }, { href: `/${locale}/${encodeURIComponent(jurisdiction.slug)}`, label: name }, { label: title }]} />
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {t('consultations.list.intro')}
      </p>
      <FollowLink ctx={ctx} topic={{ type: 'jurisdiction', id: jurisdiction.id }} />
      {consultations.length === 0 ? (
        <p safe>{t('consultations.list.none')}</p>
      ) : (
        GROUPS.map((status) => {
          const group = consultations.filter((c) => consultationStatus(c, today) === status);
          if (group.length === 0) return '';
          return (
            <section aria-labelledby={`group-${status}`}>
              <h2 id={`group-${status}`} safe>
                {t(`consultations.group.${status}` as MessageKey)}
              </h2>
              <ul class="consultation-list">
                {group.map((c) => (
                  <li class="panel">
                    <h3>
                      <LocalizedLink ctx={ctx} href={consultationPath(locale, jurisdiction.slug, c.slug)} value={c.title} empty={c.slug} />
                    </h3>
                    <p class="meta">
                      <ConsultationStatusTag ctx={ctx} status={status} /> <span safe>{datesText(ctx, c)}</span>
                      {' · '}
                      <span safe>{noticeText(ctx, c)}</span>
                      {' · '}
                      <span safe>{t('consultations.contributionCount', { count: counts.get(c.id) ?? 0 })}</span>
                      {c.isDemo ? (
                        <>
                          {' '}
                          <DemoTag ctx={ctx} />
                        </>
                      ) : (
                        ''
                      )}
                    </p>
                    {Object.keys(c.summary).length ? <Localized ctx={ctx} value={c.summary} as="p" /> : ''}
                  </li>
                ))}
              </ul>
            </section>
          );
        })
      )}
    </Layout>
  );
}

export interface ConsultationPageProps {
  ctx: PageContext;
  jurisdiction: ConsultationJurisdiction;
  consultation: ConsultationView;
  documents: ConsultationDocument[];
  /** The plan or commitment it is about, with its locale-less path. */
  subject?: { title: Translatable; code?: string | undefined; path: string } | undefined;
  minimumNotice: number;
  thread: ContributionThread;
  responses: ResponseTableData;
  today: string;
}

/** A long text in the reader's language (or its fallback), blank lines as paragraphs. */
function LocalizedParagraphs({ ctx, value }: { ctx: PageContext; value: Translatable }): JSX.Element {
  return <Localized ctx={ctx} value={value} as="div" class="prose" />;
}

export function ConsultationPage(props: ConsultationPageProps): JSX.Element {
  const { ctx, jurisdiction, consultation: c, today } = props;
  const { t, locale } = ctx;
  const status = consultationStatus(c, today);
  const title = pickText(c.title, locale) || c.slug;
  const name = jurisdictionName(ctx, jurisdiction);
  const days = noticeDays(c);
  const open = status === 'open';
  const hasFacts = c.groupsConsulted !== null || c.publicMeetings !== null;
  return (
    <Layout ctx={ctx} title={`${title} · ${name}`} demo={c.isDemo}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${locale}/`, label: t('ui.nav.home') },
          { href: `/${locale}/${encodeURIComponent(jurisdiction.slug)}`, label: name },
          { href: consultationsPath(locale, jurisdiction.slug), label: t('consultations.list.title') },
          { label: title },
        ]}
      />
      <h1>
        <Localized ctx={ctx} value={c.title} empty={c.slug} />
      </h1>
      <p class="meta">
        <ConsultationStatusTag ctx={ctx} status={status} />
        {c.isDemo ? (
          <>
            {' '}
            <DemoTag ctx={ctx} />
          </>
        ) : (
          ''
        )}
      </p>
      {Object.keys(c.summary).length ? <Localized ctx={ctx} value={c.summary} as="p" class="lead" /> : ''}
      <dl class="facts">
        <dt safe>{t('consultations.page.subject')}</dt>
        <dd>
          {props.subject ? (
            <>
              <span safe>{t(`consultations.subject.${c.subject}` as MessageKey)}</span>
              {': '}
              <LocalizedLink ctx={ctx} href={`/${locale}${props.subject.path}`} value={props.subject.title} code={props.subject.code} />
            </>
          ) : (
            <span safe>{t(`consultations.subject.${c.subject}` as MessageKey)}</span>
          )}
        </dd>
        <dt safe>{t('consultations.page.dates')}</dt>
        <dd>
          <span safe>{datesText(ctx, c)}</span>
          {c.datesNote && Object.keys(c.datesNote).length ? (
            <>
              <br />
              <Localized ctx={ctx} value={c.datesNote} class="hint" />
            </>
          ) : (
            ''
          )}
        </dd>
        <dt safe>{t('consultations.page.notice')}</dt>
        <dd>
          <span safe>{noticeText(ctx, c)}</span>
          {datesKnownToTheDay(c) && days < props.minimumNotice ? (
            <>
              {' '}
              <span class="muted" safe>
                {t('consultations.notice.belowMinimum', { min: props.minimumNotice })}
              </span>
            </>
          ) : (
            ''
          )}
        </dd>
        <dt safe>{t('consultations.page.moderation')}</dt>
        <dd safe>{t(`consultations.moderation.${c.moderation}.public` as MessageKey)}</dd>
        {c.publishedAt ? (
          <>
            <dt safe>{t('consultations.page.published')}</dt>
            <dd safe>{formatDateTime(locale, c.publishedAt, c.timeZone)}</dd>
          </>
        ) : (
          ''
        )}
      </dl>
      <FollowLink ctx={ctx} topic={{ type: 'consultation', id: c.id }} />
      {Object.keys(c.body).length ? (
        <section aria-labelledby="text">
          <h2 id="text" safe>
            {t('consultations.page.text')}
          </h2>
          <LocalizedParagraphs ctx={ctx} value={c.body} />
        </section>
      ) : (
        ''
      )}
      <section aria-labelledby="documents">
        <h2 id="documents" safe>
          {t('consultations.page.documents')}
        </h2>
        {props.documents.length === 0 ? (
          <p safe>{t('consultations.page.noDocuments')}</p>
        ) : (
          <ul>
            {props.documents.map((d) => (
              <li>
                <a href={d.url} hreflang={d.locale ?? undefined} rel="noopener noreferrer">
                  <Localized ctx={ctx} value={d.title} empty={d.url} />
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      {hasFacts ? (
        <section aria-labelledby="facts">
          <h2 id="facts" safe>
            {t('consultations.page.facts')}
          </h2>
          <dl class="facts">
            {c.groupsConsulted !== null ? (
              <>
                <dt safe>{t('consultations.field.groups_consulted')}</dt>
                <dd safe>{String(c.groupsConsulted)}</dd>
              </>
            ) : (
              ''
            )}
            {c.publicMeetings !== null ? (
              <>
                <dt safe>{t('consultations.field.public_meetings')}</dt>
                <dd safe>{String(c.publicMeetings)}</dd>
              </>
            ) : (
              ''
            )}
          </dl>
        </section>
      ) : (
        ''
      )}
      {Object.keys(c.outcome).length ? (
        <section aria-labelledby="outcome">
          <h2 id="outcome" safe>
            {t('consultations.page.outcome')}
          </h2>
          <LocalizedParagraphs ctx={ctx} value={c.outcome} />
        </section>
      ) : (
        ''
      )}
      <ContributionsSection ctx={ctx} consultation={c} thread={props.thread} open={open} />
      {status === 'closed' || status === 'responded' ? <ResponseTableSection ctx={ctx} consultation={c} data={props.responses} /> : ''}
    </Layout>
  );
}
