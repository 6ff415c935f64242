import { escapeHtml } from '@kitajs/html';
import { dayIn, formatDate, formatDateTime, formatNumber, INTL_LOCALE, type MessageKey } from '../../i18n/index.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag, Localized, LocalizedLink, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import type { ActionItemView, BodyRef, JurisdictionRef, MeetingDetail, MeetingSummary } from './queries.js';

/** Public pages of meetings: the lists (per jurisdiction, per body) and one meeting. */

export function meetingTitle(ctx: PageContext, m: { title: Translatable; kind: string }): Translatable {
  if (Object.keys(m.title).length) return m.title;
  return { [ctx.locale]: ctx.t(`meetings.kind.${m.kind}` as MessageKey) };
}

/** A language spoken at a meeting (ISO code), named in the reader's language. */
export function spokenLanguage(ctx: PageContext, code: string): string {
  try {
    return new Intl.DisplayNames([INTL_LOCALE[ctx.locale]], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function kindLabel(ctx: PageContext, kind: string): string {
  return ctx.t(`meetings.kind.${kind}` as MessageKey);
}

function statusLabel(ctx: PageContext, status: string): string {
  return ctx.t(`meetings.status.${status}` as MessageKey);
}

/** Upcoming (not yet over today, not held) and past (the rest, latest first). */
export function splitMeetings<T extends { endsAt: string; status: string; timeZone: string }>(meetings: T[], today: string): { upcoming: T[]; past: T[] } {
  const upcoming = meetings.filter((m) => m.status !== 'held' && dayIn(m.endsAt, m.timeZone) >= today);
  const past = meetings.filter((m) => !upcoming.includes(m)).reverse();
  return { upcoming, past };
}

function MeetingTable({ ctx, caption, meetings, base, showBody }: { ctx: PageContext; caption: string; meetings: MeetingSummary[]; base: string; showBody: boolean }): JSX.Element {
  const { t, locale } = ctx;
  if (meetings.length === 0) return <p safe>{t('meetings.list.none')}</p>;
  return (
    <table class="stacked">
      <caption safe>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" safe>{t('meetings.field.when')}</th>
          <th scope="col" safe>{t('meetings.field.title')}</th>
          {showBody ? <th scope="col" safe>{t('meetings.field.body')}</th> : ''}
          <th scope="col" safe>{t('meetings.field.status')}</th>
        </tr>
      </thead>
      <tbody>
        {meetings.map((m) => (
          <tr>
            <td data-label={t('meetings.field.when')} safe>
              {formatDateTime(locale, m.startsAt, m.timeZone, 'medium')}
            </td>
            <td data-label={t('meetings.field.title')}>
              <LocalizedLink ctx={ctx} href={`${base}/meetings/${m.id}`} value={meetingTitle(ctx, m)} /> {m.isDemo ? <DemoTag ctx={ctx} /> : ''}
            </td>
            {showBody ? (
              <td data-label={t('meetings.field.body')}>{m.body ? <LocalizedLink ctx={ctx} href={`${base}/bodies/${m.body.slug}`} value={m.body.name} /> : escapeHtml(kindLabel(ctx, m.kind))}</td>
            ) : (
              ''
            )}
            <td data-label={t('meetings.field.status')}>
              <StatusTag status={m.status} label={statusLabel(ctx, m.status)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The calendar feed link, visible (the page's head also names it, see `feed` of the layout). */
function FeedLink({ ctx, href }: { ctx: PageContext; href: string }): JSX.Element {
  return (
    <p class="feed-link">
      <a href={href} type="text/calendar" safe>
        {ctx.t('meetings.feed.link')}
      </a>{' '}
      <span class="hint" safe>
        {ctx.t('meetings.feed.hint')}
      </span>
    </p>
  );
}

/** /{l}/{j}/meetings and /{l}/{j}/bodies/{body}/meetings. */
export function MeetingsPage({ ctx, jurisdiction, body, meetings, today }: { ctx: PageContext; jurisdiction: JurisdictionRef; body?: BodyRef; meetings: MeetingSummary[]; today: string }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/${jurisdiction.slug}`;
  const jName = pickText(jurisdiction.name, locale) || jurisdiction.slug;
  const bName = body ? pickText(body.name, locale) || body.slug : '';
  const title = body ? t('meetings.list.bodyTitle', { body: bName }) : t('meetings.list.title');
  const feed = body ? `${base}/bodies/${body.slug}/meetings.ics` : `${base}/meetings.ics`;
  const { upcoming, past } = splitMeetings(meetings, today);
  return (
    <Layout ctx={ctx} title={title} demo={meetings.some((m) => m.isDemo)} feeds={[{ href: feed, type: 'text/calendar', title }]}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${locale}/`, label: t('ui.nav.home') },
          { href: base, label: jName },
          ...(body ? [{ href: `${base}/bodies`, label: t('meetings.bodies') }, { href: `${base}/bodies/${body.slug}`, label: bName }] : []),
          { label: body ? t('meetings.list.title') : title },
        ]}
      />
      <h1 safe>{title}</h1>
      <p safe>{t('meetings.list.zone', { zone: jurisdiction.timeZone })}</p>
      <FeedLink ctx={ctx} href={feed} />
      <h2 safe>{t('meetings.list.upcoming')}</h2>
      <MeetingTable ctx={ctx} caption={t('meetings.list.upcoming')} meetings={upcoming} base={base} showBody={!body} />
      <h2 safe>{t('meetings.list.past')}</h2>
      <MeetingTable ctx={ctx} caption={t('meetings.list.past')} meetings={past} base={base} showBody={!body} />
    </Layout>
  );
}

function yesNo(ctx: PageContext, value: number | null): string {
  return value === null ? ctx.t('meetings.access.notStated') : value ? ctx.t('meetings.access.yes') : ctx.t('meetings.access.no');
}

function ActionItemList({ ctx, items, base, showRaised }: { ctx: PageContext; items: ActionItemView[]; base: string; showRaised: boolean }): JSX.Element {
  const { t, locale } = ctx;
  return (
    <ul class="action-items">
      {items.map((i) => (
        <li id={`action-${i.id}`}>
          <Localized ctx={ctx} value={i.text} /> <StatusTag status={i.status} label={t(`meetings.action.status.${i.status}` as MessageKey)} />
          <dl class="facts">
            {i.owner ? (
              <>
                <dt safe>{t('meetings.action.owner')}</dt>
                <dd>
                  {i.owner.kind === 'institution' ? <LocalizedLink ctx={ctx} href={`${base}/institutions/${i.owner.slug}`} value={i.owner.name} /> : <Localized ctx={ctx} value={i.owner.name} />}
                </dd>
              </>
            ) : (
              ''
            )}
            {i.dueOn ? (
              <>
                <dt safe>{t('meetings.action.due')}</dt>
                <dd safe>{formatDate(locale, i.dueOn)}</dd>
              </>
            ) : (
              ''
            )}
            {i.commitment ? (
              <>
                <dt safe>{t('meetings.field.commitment')}</dt>
                <dd>
                  <LocalizedLink ctx={ctx} href={`${base}/plans/${i.commitment.planSlug}/commitments/${i.commitment.code}`} code={i.commitment.code} value={i.commitment.title} />
                </dd>
              </>
            ) : (
              ''
            )}
            {showRaised ? (
              <>
                <dt safe>{t('meetings.action.raisedAt')}</dt>
                <dd>
                  <a href={`${base}/meetings/${i.raisedAt.id}`} safe>
                    {`${pickText(meetingTitle(ctx, i.raisedAt), locale)}, ${formatDate(locale, i.raisedAt.startsAt)}`}
                  </a>
                </dd>
              </>
            ) : (
              ''
            )}
          </dl>
          {i.notes.length ? (
            <ol class="follow-ups">
              {i.notes.map((n) => (
                <li>
                  <span safe>{`${formatDate(locale, n.createdAt)}: ${t(`meetings.action.status.${n.status}` as MessageKey)}`}</span>
                  {Object.keys(n.note).length ? (
                    <>
                      {' — '}
                      <Localized ctx={ctx} value={n.note} />
                    </>
                  ) : (
                    ''
                  )}
                </li>
              ))}
            </ol>
          ) : (
            ''
          )}
        </li>
      ))}
    </ul>
  );
}

/** /{l}/{j}/meetings/{id}: everything public about one meeting. */
export function MeetingPage({ ctx, m }: { ctx: PageContext; m: MeetingDetail }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/${m.jurisdiction.slug}`;
  const jName = pickText(m.jurisdiction.name, locale) || m.jurisdiction.slug;
  const title = pickText(meetingTitle(ctx, m), locale);
  const feed = m.body ? `${base}/bodies/${m.body.slug}/meetings.ics` : `${base}/meetings.ics`;
  const held = m.status === 'held';
  const count = (s: string) => m.attendance.filter((a) => a.status === s).length;
  return (
    <Layout ctx={ctx} title={title} demo={m.isDemo} feeds={[{ href: feed, type: 'text/calendar', title: t('meetings.feed.link') }]}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${locale}/`, label: t('ui.nav.home') },
          { href: base, label: jName },
          m.body ? { href: `${base}/bodies/${m.body.slug}/meetings`, label: t('meetings.list.bodyTitle', { body: pickText(m.body.name, locale) }) } : { href: `${base}/meetings`, label: t('meetings.list.title') },
          { label: title },
        ]}
      />
      <Localized ctx={ctx} value={meetingTitle(ctx, m)} as="h1" />
      <p>
        <StatusTag status={m.status} label={statusLabel(ctx, m.status)} /> {m.isDemo ? <DemoTag ctx={ctx} /> : ''}
      </p>
      <dl class="facts">
        <dt safe>{t('meetings.field.kind')}</dt>
        <dd safe>{kindLabel(ctx, m.kind)}</dd>
        {m.body ? (
          <>
            <dt safe>{t('meetings.field.body')}</dt>
            <dd>
              <LocalizedLink ctx={ctx} href={`${base}/bodies/${m.body.slug}`} value={m.body.name} />
            </dd>
          </>
        ) : (
          ''
        )}
        <dt safe>{t('meetings.field.starts')}</dt>
        <dd safe>{formatDateTime(locale, m.startsAt, m.timeZone)}</dd>
        <dt safe>{t('meetings.field.ends')}</dt>
        <dd safe>{formatDateTime(locale, m.endsAt, m.timeZone)}</dd>
        <dt safe>{t('meetings.field.place')}</dt>
        <dd>
          <Localized ctx={ctx} value={m.place} empty={t('meetings.place.none')} />
        </dd>
        {m.onlineUrl ? (
          <>
            <dt safe>{t('meetings.field.onlineUrl')}</dt>
            <dd>
              <a href={m.onlineUrl} rel="external nofollow" safe>
                {m.onlineUrl}
              </a>
            </dd>
          </>
        ) : (
          ''
        )}
        {m.reportingCycle ? (
          <>
            <dt safe>{t('meetings.field.cycle')}</dt>
            <dd safe>{pickText(m.reportingCycle.label, locale) || t('meetings.cycle.number', { number: m.reportingCycle.number })}</dd>
          </>
        ) : (
          ''
        )}
      </dl>
      <FeedLink ctx={ctx} href={feed} />

      <h2 safe>{t('meetings.access.title')}</h2>
      <dl class="facts">
        <dt safe>{t('meetings.access.stepFree')}</dt>
        <dd safe>{yesNo(ctx, m.stepFreeAccess)}</dd>
        <dt safe>{t('meetings.access.signLanguage')}</dt>
        <dd safe>{yesNo(ctx, m.signLanguage)}</dd>
        <dt safe>{t('meetings.access.languages')}</dt>
        <dd safe>{m.languages.length ? m.languages.map((l) => spokenLanguage(ctx, l)).join(', ') : t('meetings.access.notStated')}</dd>
        {Object.keys(m.accessibilityNote).length ? (
          <>
            <dt safe>{t('meetings.access.note')}</dt>
            <dd>
              <Localized ctx={ctx} value={m.accessibilityNote} />
            </dd>
          </>
        ) : (
          ''
        )}
      </dl>

      <h2 safe>{t('meetings.agenda.title')}</h2>
      {m.agenda.length ? (
        <ol class="agenda">
          {m.agenda.map((a) => (
            <li>
              <Localized ctx={ctx} value={a.title} />
              {a.commitment ? (
                <>
                  {' — '}
                  <LocalizedLink ctx={ctx} href={`${base}/plans/${a.commitment.planSlug}/commitments/${a.commitment.code}`} code={a.commitment.code} value={a.commitment.title} />
                </>
              ) : (
                ''
              )}
              {a.cycle ? (
                <>
                  {' — '}
                  <a href={`${base}/plans/${a.cycle.planSlug}`} safe>
                    {t('meetings.agenda.cycleUpdates', { cycle: pickText(a.cycle.label, locale) || t('meetings.cycle.number', { number: a.cycle.number }) })}
                  </a>
                </>
              ) : (
                ''
              )}
            </li>
          ))}
        </ol>
      ) : (
        <p safe>{t('meetings.agenda.none')}</p>
      )}

      {m.documents.length ? (
        <>
          <h2 safe>{t('meetings.documents.title')}</h2>
          <ul>
            {m.documents.map((d) => (
              <li>
                <a href={d.url} rel="external nofollow" safe>
                  {pickText(d.title, locale) || d.url}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}

      {m.guests.length ? (
        <>
          <h2 safe>{t('meetings.guests.title')}</h2>
          <ul>
            {m.guests.map((g) => (
              <li>
                {g.name ? <span safe>{`${g.name}, `}</span> : ''}
                <Localized ctx={ctx} value={g.organisation} empty={t('meetings.guests.anonymous')} />
                {Object.keys(g.reason).length ? (
                  <>
                    {' — '}
                    <Localized ctx={ctx} value={g.reason} />
                  </>
                ) : (
                  ''
                )}
                {held && g.attendance !== 'invited' ? <span safe>{` (${t(`meetings.attendance.${g.attendance}` as MessageKey)})`}</span> : ''}
              </li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}

      {m.carried.length ? (
        <>
          <h2 safe>{t('meetings.carried.title')}</h2>
          <p safe>{t('meetings.carried.intro')}</p>
          <ActionItemList ctx={ctx} items={m.carried} base={base} showRaised />
        </>
      ) : (
        ''
      )}

      <h2 id="minutes" safe>
        {t('meetings.minutes.title')}
      </h2>
      {held && Object.keys(m.minutes).length ? (
        <>
          <p class="minutes-approval">
            {m.minutesApprovedIn ? (
              <>
                {escapeHtml(t('meetings.minutes.approvedAt'))}{' '}
                <a href={`${base}/meetings/${m.minutesApprovedIn.id}`} safe>
                  {`${pickText(meetingTitle(ctx, m.minutesApprovedIn), locale)}, ${formatDate(locale, m.minutesApprovedIn.startsAt)}`}
                </a>
              </>
            ) : (
              escapeHtml(t('meetings.minutes.notApproved'))
            )}
          </p>
          <Localized ctx={ctx} value={m.minutes} as="div" class="prose" />
        </>
      ) : (
        <p safe>{m.status === 'cancelled' ? t('meetings.minutes.cancelled') : t('meetings.minutes.none')}</p>
      )}

      {m.approvedHere.length ? (
        <>
          <h2 safe>{t('meetings.approvedHere.title')}</h2>
          <ul>
            {m.approvedHere.map((a) => (
              <li>
                <a href={`${base}/meetings/${a.id}`} safe>
                  {`${pickText(meetingTitle(ctx, a), locale)}, ${formatDate(locale, a.startsAt)}`}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}

      {held && m.attendance.length ? (
        <>
          <h2 safe>{t('meetings.attendance.title')}</h2>
          <p safe>{t('meetings.attendance.summary', { present: count('present'), excused: count('excused'), absent: count('absent') })}</p>
          <table class="stacked">
            <caption safe>{t('meetings.attendance.title')}</caption>
            <thead>
              <tr>
                <th scope="col" safe>{t('meetings.attendance.member')}</th>
                <th scope="col" safe>{t('meetings.attendance.role')}</th>
                <th scope="col" safe>{t('meetings.attendance.status')}</th>
              </tr>
            </thead>
            <tbody>
              {m.attendance.map((a) => (
                <tr>
                  <td data-label={t('meetings.attendance.member')}>
                    {a.personName ? <span safe>{`${a.personName}, `}</span> : ''}
                    <Localized ctx={ctx} value={a.organisation} empty={t('meetings.attendance.unnamed')} />
                  </td>
                  <td data-label={t('meetings.attendance.role')} safe>
                    {t(`meetings.role.${a.role}` as MessageKey)}
                  </td>
                  <td data-label={t('meetings.attendance.status')} safe>
                    {a.status ? t(`meetings.attendance.${a.status}` as MessageKey) : t('meetings.attendance.notRecorded')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        ''
      )}

      {m.decisions.length ? (
        <>
          <h2 safe>{t('meetings.decisions.title')}</h2>
          <ol class="decisions">
            {m.decisions.map((d) => (
              <li id={`decision-${d.id}`}>
                <Localized ctx={ctx} value={d.text} />
                {d.votesFor !== null || d.votesAgainst !== null || d.votesAbstaining !== null ? (
                  <p class="votes" safe>
                    {t('meetings.decisions.votes', {
                      for: formatNumber(locale, d.votesFor ?? 0),
                      against: formatNumber(locale, d.votesAgainst ?? 0),
                      abstaining: formatNumber(locale, d.votesAbstaining ?? 0),
                    })}
                  </p>
                ) : (
                  ''
                )}
                {d.commitments.length ? (
                  <p>
                    {escapeHtml(t('meetings.decisions.commitments'))}{' '}
                    {d.commitments.map((c, i) => (
                      <>
                        {i > 0 ? ', ' : ''}
                        <LocalizedLink ctx={ctx} href={`${base}/plans/${c.planSlug}/commitments/${c.code}`} code={c.code} value={c.title} />
                      </>
                    ))}
                  </p>
                ) : (
                  ''
                )}
              </li>
            ))}
          </ol>
        </>
      ) : (
        ''
      )}

      {m.actionItems.length ? (
        <>
          <h2 safe>{t('meetings.action.title')}</h2>
          <ActionItemList ctx={ctx} items={m.actionItems} base={base} showRaised={false} />
        </>
      ) : (
        ''
      )}
      <p>
        <a href={`/${locale}/history/meeting/${m.id}`} safe>
          {t('meetings.history')}
        </a>
      </p>
    </Layout>
  );
}
