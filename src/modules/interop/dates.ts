/**
 * Dates as other systems write them, read into ISO days. OGP's data mixes formats: ISO
 * (`2019-06-30`, also with a time), day/month/year and month/day/year with slashes, dots or dashes,
 * a month and a year (`June 2019`), a year alone (`2019`), and spreadsheet serial numbers (`43646`).
 *
 * A month or a year alone is a period: a start date takes its first day, an end date its last.
 * `a/b/yyyy` is read day first when a > 12, month first when b > 12; when both are 12 or less the
 * file's own habit decides (see `slashOrder`), and without one, month first (OGP's downloads are
 * made in the United States).
 */

export type Edge = 'start' | 'end';
export type SlashOrder = 'dmy' | 'mdy';

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An ISO day when the numbers make a real date (years 1900–2199). */
function day(year: number, month: number, d: number): string | undefined {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || d < 1 || d > lastDay(year, month)) return undefined;
  return `${year}-${pad(month)}-${pad(d)}`;
}

const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** What a slashed date says about the file's order: `dmy` when its first number is over 12, `mdy` when its second is. */
export function slashHint(text: string): SlashOrder | undefined {
  const m = SLASHED.exec(text.trim());
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > 12 && b <= 12) return 'dmy';
  if (b > 12 && a <= 12) return 'mdy';
  return undefined;
}

/** The order a file writes its slashed dates in, from the values that tell (the majority), or undefined. */
export function slashOrder(values: Iterable<string>): SlashOrder | undefined {
  let dmy = 0;
  let mdy = 0;
  for (const v of values) {
    const hint = slashHint(v);
    if (hint === 'dmy') dmy++;
    else if (hint === 'mdy') mdy++;
  }
  if (dmy === 0 && mdy === 0) return undefined;
  return dmy >= mdy ? 'dmy' : 'mdy';
}

export type DateReading = { kind: 'empty' } | { kind: 'date'; iso: string } | { kind: 'bad'; text: string };

/** Reads one cell as an ISO day; `edge` says which end of a month or year to take. */
export function readDate(raw: string | undefined, edge: Edge, order: SlashOrder = 'mdy'): DateReading {
  const text = (raw ?? '').trim();
  if (!text) return { kind: 'empty' };
  const bad = { kind: 'bad', text } as const;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (m) {
    const iso = day(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? { kind: 'date', iso } : bad;
  }
  m = SLASHED.exec(text);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const year = Number(m[3]);
    const dayFirst = a > 12 ? true : b > 12 ? false : order === 'dmy';
    const iso = dayFirst ? day(year, b, a) : day(year, a, b);
    return iso ? { kind: 'date', iso } : bad;
  }
  m = /^(\d{4})$/.exec(text);
  if (m) {
    const iso = edge === 'start' ? day(Number(m[1]), 1, 1) : day(Number(m[1]), 12, 31);
    return iso ? { kind: 'date', iso } : bad;
  }
  m = /^(\d{4})-(\d{1,2})$/.exec(text);
  if (m) return monthReading(Number(m[1]), Number(m[2]), edge) ?? bad;
  // "June 2019", "Jun. 2019", "June, 2019"
  m = /^([A-Za-z]+)\.?,?\s+(\d{4})$/.exec(text);
  if (m) {
    const month = MONTHS[m[1]!.toLowerCase()];
    return (month && monthReading(Number(m[2]), month, edge)) || bad;
  }
  // "30 June 2019", "June 30, 2019"
  m = /^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$/.exec(text) ?? null;
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    const iso = month ? day(Number(m[3]), month, Number(m[1])) : undefined;
    return iso ? { kind: 'date', iso } : bad;
  }
  m = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(text);
  if (m) {
    const month = MONTHS[m[1]!.toLowerCase()];
    const iso = month ? day(Number(m[3]), month, Number(m[2])) : undefined;
    return iso ? { kind: 'date', iso } : bad;
  }
  // A spreadsheet's serial day number (1900 system: day 1 is 1900-01-01, with its false 29 February).
  m = /^(\d{5})(?:\.0+)?$/.exec(text);
  if (m) {
    const serial = Number(m[1]);
    if (serial >= 20000 && serial <= 80000) {
      const date = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000);
      return { kind: 'date', iso: date.toISOString().slice(0, 10) };
    }
  }
  return bad;
}

function monthReading(year: number, month: number, edge: Edge): DateReading | undefined {
  const iso = day(year, month, edge === 'start' ? 1 : month >= 1 && month <= 12 ? lastDay(year, month) : 1);
  return iso ? { kind: 'date', iso } : undefined;
}
