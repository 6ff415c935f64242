import type { Executor } from '../../db/database.js';
import { formatNumber, type MessageKey } from '../../i18n/index.js';
import { DemoTag, Localized, LocalizedLink, Paragraphs } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { consultationPath, type ConsultationView } from './consultation-queries.js';
import { countAnswered, listResponseRows, publicResponseRow, type ResponseRow } from './response-queries.js';

/**
 * The public response table of a consultation (what was said, what was done, why), the share of
 * contributions answered and the CSV link. Before the coordinator publishes the table only the
 * share answered so far is shown (nothing while there is no contribution). Hidden contributions
 * keep their row and their response, with a "hidden by a moderator" note instead of their text,
 * their author's name and their theme (publicResponseRow drops them before they reach the view);
 * one hidden without ever being published is not in the table at all. Authors appear by the name
 * or pseudonym they gave, "Anonymised" once they asked; never an address.
 */
export interface ResponseTableData {
  answered: number;
  total: number;
  /** The table is published (consultations.responded_at). */
  responded?: boolean;
  /** The rows, once published. */
  rows?: ResponseRow[];
}

export async function loadResponseTable(db: Executor, consultation: ConsultationView): Promise<ResponseTableData> {
  const counts = await countAnswered(db, consultation.id);
  if (!consultation.respondedAt || !consultation.publishedAt) return { ...counts, responded: false };
  return { ...counts, responded: true, rows: (await listResponseRows(db, consultation.id)).map(publicResponseRow) };
}

export function responsesCsvPath(locale: string, jurisdiction: string, slug: string): string {
  return `${consultationPath(locale, jurisdiction, slug)}/responses.csv`;
}

/** "N of M contributions answered (P%)" in the reader's language. */
export function shareText(ctx: PageContext, answered: number, total: number): string {
  const percent = total ? formatNumber(ctx.locale, answered / total, { style: 'percent', maximumFractionDigits: 0 }) : formatNumber(ctx.locale, 0, { style: 'percent' });
  return ctx.t('responses.share', { answered, total, percent });
}

function Said({ ctx, row }: { ctx: PageContext; row: ResponseRow }): JSX.Element {
  const { t } = ctx;
  const kind = row.depth > 0 ? t('moderation.kind.reply') : t(`responses.kind.${row.kind === 'proposal' ? 'proposal' : 'comment'}` as MessageKey);
  const demo = row.isDemo ? (
    <>
      {' '}
      <DemoTag ctx={ctx} />
    </>
  ) : (
    ''
  );
  // Hidden: neither the text nor the author's name nor the theme, only what it was and the note.
  if (row.status === 'hidden') {
    return (
      <>
        <p class="meta">
          <span safe>{kind}</span>
          {demo}
        </p>
        <p>
          <em safe>{t('responses.table.hiddenText')}</em>
        </p>
      </>
    );
  }
  return (
    <>
      <p class="meta">
        <span safe>{kind}</span>
        {row.theme ? <span safe>{` · ${row.theme}`}</span> : ''}
        {' · '}
        {row.authorName ? <span safe>{row.authorName}</span> : <em safe>{t('responses.table.anonymised')}</em>}
        {demo}
      </p>
      <div lang={row.locale}>
        <Paragraphs text={row.body} />
      </div>
    </>
  );
}

export function ResponseTableSection(props: { ctx: PageContext; consultation: ConsultationView; data: ResponseTableData }): JSX.Element {
  const { ctx, consultation, data } = props;
  const { t } = ctx;
  if (!data.total && !data.responded) return '';
  return (
    <section id="responses" class="response-table" aria-labelledby="responses-title">
      <h2 id="responses-title" safe>
        {t('responses.table.title')}
      </h2>
      <p safe>{shareText(ctx, data.answered, data.total)}</p>
      {!data.responded ? (
        <p safe>{t('responses.table.notYet')}</p>
      ) : (
        <>
          <p>
            <a href={responsesCsvPath(ctx.locale, consultation.jurisdictionSlug, consultation.slug)} safe>
              {t('responses.table.csv')}
            </a>
          </p>
          {data.rows?.length ? (
            <table class="stacked">
              <caption safe>{t('responses.table.caption', { count: data.rows.length })}</caption>
              <thead>
                <tr>
                  <th scope="col" safe>{t('responses.col.said')}</th>
                  <th scope="col" safe>{t('responses.col.outcome')}</th>
                  <th scope="col" safe>{t('responses.col.reasons')}</th>
                  <th scope="col" safe>{t('responses.col.shaped')}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((row) => (
                  <tr id={`response-${row.contributionId}`}>
                    <td data-label={t('responses.col.said')}>
                      <Said ctx={ctx} row={row} />
                    </td>
                    <td data-label={t('responses.col.outcome')}>
                      {row.response ? (
                        <span class={`tag outcome-${row.response.outcome}`} safe>
                          {t(`responses.outcome.${row.response.outcome}` as MessageKey)}
                        </span>
                      ) : (
                        <span safe>{t('responses.table.notAnswered')}</span>
                      )}
                    </td>
                    <td data-label={t('responses.col.reasons')}>{row.response ? <Localized ctx={ctx} value={row.response.reasons} as="div" /> : ''}</td>
                    <td data-label={t('responses.col.shaped')}>
                      {row.response?.shaped ? <LocalizedLink ctx={ctx} href={`/${ctx.locale}${row.response.shaped.path}`} value={row.response.shaped.title} code={row.response.shaped.code} /> : <span safe>{t('responses.table.none')}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            ''
          )}
        </>
      )}
    </section>
  );
}
