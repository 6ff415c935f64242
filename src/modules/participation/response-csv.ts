import { translate, type MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { formulaSafe } from '../../lib/spreadsheet.js';
import { pickText } from '../../lib/translatable.js';
import type { ResponseRow } from './response-queries.js';

/**
 * The response table as CSV (RFC 4180): comma-separated, CRLF line ends, a field quoted when it
 * holds a comma, a quote, CR or LF (quotes doubled), UTF-8 with a byte order mark so spreadsheets
 * read Albanian and Serbian letters right. A field starting with = + - @, a tab or CR gets a
 * leading apostrophe, so a spreadsheet never runs it as a formula. The header row is in the
 * reader's language; no address, no e-mail; demonstration rows are marked in their own column. A
 * hidden contribution's row says "hidden by a moderator" in place of its author and text, and has
 * no theme.
 */

/** One field: formula-safe, then quoted if it must be. */
export function csvField(value: string): string {
  const safe = formulaSafe(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows to CSV text with its byte order mark. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export const CSV_COLUMNS = ['number', 'kind', 'theme', 'author', 'contribution', 'outcome', 'reasons', 'shaped', 'link', 'demo'] as const;

/** The response table of a consultation as CSV in `locale` (links absolute under `publicUrl`). */
export function responseTableCsv(rows: readonly ResponseRow[], locale: Locale, publicUrl: string): string {
  const t = (key: string, values?: Record<string, string | number>) => translate(locale, key as MessageKey, values);
  const base = publicUrl.replace(/\/+$/, '');
  const header = CSV_COLUMNS.map((c) => t(`responses.csv.${c}`));
  const body = rows.map((r) => [
    String(r.contributionId),
    r.depth > 0 ? t('moderation.kind.reply') : t(`responses.kind.${r.kind === 'proposal' ? 'proposal' : 'comment'}`),
    // A hidden contribution: neither its theme, nor its author's name, nor its text.
    r.status === 'hidden' ? '' : (r.theme ?? ''),
    r.status === 'hidden' ? t('responses.table.hiddenText') : (r.authorName ?? t('responses.table.anonymised')),
    r.status === 'hidden' ? t('responses.table.hiddenText') : r.body,
    r.response ? t(`responses.outcome.${r.response.outcome}`) : t('responses.table.notAnswered'),
    r.response ? pickText(r.response.reasons, locale) : '',
    r.response?.shaped?.code ?? '',
    r.response?.shaped ? `${base}/${locale}${r.response.shaped.path}` : '',
    r.isDemo ? t('responses.csv.yes') : t('responses.csv.no'),
  ]);
  return toCsv([header, ...body]);
}
