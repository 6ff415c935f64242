import { escapeHtml } from '@kitajs/html';
import { formatDate, formatDateTime, type MessageKey } from '../../i18n/index.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { Localized, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import type { EvidenceFileView, PublishedUpdate, PunctualityRow } from './queries.js';

export function cycleName(ctx: PageContext, cycle: { number: number; label: Translatable }): string {
  return pickText(cycle.label, ctx.locale) || ctx.t('reporting.cycle.defaultLabel', { number: cycle.number });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function Evidence({ ctx, links, files }: { ctx: PageContext; links: string[]; files: EvidenceFileView[] }): JSX.Element {
  if (links.length === 0 && files.length === 0) return <></>;
  return (
    <>
      <dt>{escapeHtml(ctx.t('reporting.timeline.evidence'))}</dt>
      <dd>
        <ul class="evidence-list">
          {links.map((link) => (
            <li>
              <a href={link} rel="nofollow noopener" safe>
                {hostOf(link)}
              </a>
            </li>
          ))}
          {files.map((f) => (
            <li>
              <a href={f.url} type={f.contentType} safe>
                {f.filename}
              </a>{' '}
              <span class="muted" safe>
                {ctx.t('reporting.fileSize', { size: Math.max(1, Math.round(f.size / 1024)) })}
              </span>
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}

/**
 * A commitment's published progress updates, newest period first: per update its cycle, when it
 * was submitted (on time or late) and published, and per milestone its reported status,
 * completion, narrative, obstacles and evidence. Headings start at level 2 (`headingLevel` 2).
 */
export function ProgressUpdatesTimeline({ ctx, updates }: { ctx: PageContext; updates: PublishedUpdate[] }): JSX.Element {
  const { t, locale } = ctx;
  return (
    <section class="progress-updates" aria-labelledby="progress-updates-title">
      <h2 id="progress-updates-title">{escapeHtml(t('reporting.timeline.title'))}</h2>
      {updates.length === 0 ? (
        <p class="muted">{escapeHtml(t('reporting.timeline.none'))}</p>
      ) : (
        <ol class="update-timeline">
          {updates.map((u) => (
            <li>
              <article class="progress-update" id={`update-${u.id}`} aria-labelledby={`update-${u.id}-title`}>
                <h3 id={`update-${u.id}-title`} safe>
                  {t('reporting.timeline.updateTitle', {
                    cycle: cycleName(ctx, u.cycle),
                    start: formatDate(locale, u.cycle.periodStart),
                    end: formatDate(locale, u.cycle.periodEnd),
                  })}
                </h3>
                <p class="meta">
                  <span safe>{t('reporting.timeline.published', { date: formatDateTime(locale, u.publishedAt, u.timeZone) })}</span>
                  {u.submittedAt ? (
                    <>
                      {' · '}
                      <span safe>{t('reporting.timeline.submitted', { date: formatDate(locale, u.submittedAt, 'long', u.timeZone), due: formatDate(locale, u.cycle.dueOn) })}</span>{' '}
                      <StatusTag status={u.onTime ? 'on_time' : 'late'} label={t(u.onTime ? 'reporting.punctuality.on_time' : 'reporting.punctuality.late')} />
                    </>
                  ) : (
                    ''
                  )}
                </p>
                {Object.keys(u.summary).length ? <Localized ctx={ctx} value={u.summary} as="div" class="prose" /> : ''}
                {u.files.length ? (
                  <dl class="facts">
                    <Evidence ctx={ctx} links={[]} files={u.files} />
                  </dl>
                ) : (
                  ''
                )}
                {u.items.map((item) => (
                  <section class="update-item" aria-labelledby={`update-${u.id}-${item.milestoneId}`}>
                    <h4 id={`update-${u.id}-${item.milestoneId}`}>
                      <span class="code" safe>
                        {item.code}
                      </span>{' '}
                      <Localized ctx={ctx} value={item.title} />
                    </h4>
                    <dl class="facts">
                      <dt>{escapeHtml(t('reporting.timeline.status'))}</dt>
                      <dd>
                        <StatusTag status={item.status} label={t(`domain.milestoneStatus.${item.status}` as MessageKey)} />
                      </dd>
                      <dt>{escapeHtml(t('reporting.timeline.completion'))}</dt>
                      <dd>{escapeHtml(t(`reporting.completion.${item.completion}` as MessageKey))}</dd>
                      {Object.keys(item.narrative).length ? (
                        <>
                          <dt>{escapeHtml(t('reporting.timeline.narrative'))}</dt>
                          <Localized ctx={ctx} value={item.narrative} as="dd" />
                        </>
                      ) : (
                        ''
                      )}
                      {item.obstacles.length ? (
                        <>
                          <dt>{escapeHtml(t('reporting.timeline.obstacles'))}</dt>
                          <dd>
                            <ul class="inline-list">
                              {item.obstacles.map((o) => (
                                <li>{escapeHtml(t(`reporting.obstacle.${o}` as MessageKey))}</li>
                              ))}
                            </ul>
                            {Object.keys(item.obstacleNote).length ? <Localized ctx={ctx} value={item.obstacleNote} as="p" /> : ''}
                          </dd>
                        </>
                      ) : (
                        ''
                      )}
                      <Evidence ctx={ctx} links={item.links} files={item.files} />
                    </dl>
                  </section>
                ))}
              </article>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Per cycle and commitment an institution leads: on time, late, missing or not yet due. */
export function ReportPunctuality({ ctx, rows }: { ctx: PageContext; rows: PunctualityRow[] }): JSX.Element {
  const { t, locale } = ctx;
  const due = rows.filter((r) => r.state !== 'pending');
  const onTime = due.filter((r) => r.state === 'on_time').length;
  return (
    <section class="report-punctuality" aria-labelledby="report-punctuality-title">
      <h2 id="report-punctuality-title">{escapeHtml(t('reporting.punctuality.title'))}</h2>
      {rows.length === 0 ? (
        <p class="muted">{escapeHtml(t('reporting.punctuality.none'))}</p>
      ) : (
        <>
          <p safe>{t('reporting.punctuality.summary', { onTime, total: due.length })}</p>
          <div class="table-wrap">
            <table class="punctuality stacked">
              <caption safe>{t('reporting.punctuality.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{escapeHtml(t('reporting.punctuality.col.commitment'))}</th>
                  <th scope="col">{escapeHtml(t('reporting.punctuality.col.cycle'))}</th>
                  <th scope="col">{escapeHtml(t('reporting.punctuality.col.due'))}</th>
                  <th scope="col">{escapeHtml(t('reporting.punctuality.col.submitted'))}</th>
                  <th scope="col">{escapeHtml(t('reporting.punctuality.col.result'))}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <th scope="row">
                      <span class="code" safe>
                        {r.commitment.code}
                      </span>{' '}
                      <Localized ctx={ctx} value={r.commitment.title} />
                    </th>
                    <td data-label={t('reporting.punctuality.col.cycle')} safe>
                      {cycleName(ctx, r.cycle)}
                    </td>
                    <td data-label={t('reporting.punctuality.col.due')} safe>
                      {formatDate(locale, r.cycle.dueOn)}
                    </td>
                    <td data-label={t('reporting.punctuality.col.submitted')} safe>
                      {r.submittedAt ? formatDate(locale, r.submittedAt, 'long', r.timeZone) : t('ui.none')}
                    </td>
                    <td data-label={t('reporting.punctuality.col.result')}>
                      <StatusTag status={r.state} label={t(`reporting.punctuality.${r.state}` as MessageKey)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
