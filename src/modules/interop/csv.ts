import { parse } from 'csv-parse/sync';
import { withoutUnstorable } from '../../lib/forms.js';

/** A CSV file read into a header and rows of text cells; `line` is the row's number as a spreadsheet shows it (the header is row 1). */
export interface CsvTable {
  header: string[];
  rows: { line: number; cells: string[] }[];
  /** The rows (by line) where characters that cannot be stored were removed from a cell. */
  cleaned: number[];
}

/** The problem with a file that cannot be read as CSV at all (shown to the person importing). */
export class CsvError extends Error {}

/**
 * Reads CSV text: a byte-order mark is dropped, quoted fields may hold line breaks and the
 * delimiter, headers are trimmed. Rows that are entirely empty are left out. Characters no text
 * may hold (NUL and the other control characters, lone surrogates: see withoutUnstorable) are
 * removed from every cell, as forms do; `cleaned` names the rows where that happened, for the report.
 */
export function readCsv(text: string, delimiter: ',' | ';'): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, delimiter, relax_column_count: true, info: true, skip_empty_lines: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw new CsvError(error instanceof Error ? error.message : String(error));
  }
  const [first, ...rest] = records;
  if (!first) throw new CsvError('the file is empty');
  const header = first.record.map((h) => withoutUnstorable(h.replace(/^\uFEFF/, '')).trim());
  const rows: CsvTable['rows'] = [];
  const cleaned: number[] = [];
  rest.forEach((r, i) => {
    const cells = r.record.map(withoutUnstorable);
    if (cells.every((c) => c.trim() === '')) return;
    if (cells.some((c, k) => c !== r.record[k])) cleaned.push(i + 2);
    rows.push({ line: i + 2, cells });
  });
  return { header, rows, cleaned };
}

/** A header as matched: lower case, spaces collapsed, so `Commitment  title` finds `Commitment Title`. */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The cell of a row under a header (matched by headerKey), trimmed; '' when the file has no such column. */
export function cellReader(header: string[]): (cells: string[], name: string) => string {
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const key = headerKey(h);
    if (!index.has(key)) index.set(key, i);
  });
  return (cells, name) => {
    const i = index.get(headerKey(name));
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
}

/** A slug from a name: lower-case ASCII letters and digits joined by dashes (accents dropped), at most `max` characters. */
export function slugOf(name: string, max = 60): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return slug || 'imported';
}
