/**
 * What an import did: counts per kind of record and every row skipped or warned about, with its
 * number in the file and a reason code. The command line prints it in English (formatReport); the
 * admin page shows it in the reader's language (messages `interop.reason.<code>`).
 */

export const RECORD_KINDS = ['jurisdiction', 'institution', 'action_plan', 'commitment', 'milestone', 'irm_assessment'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const REASONS = [
  'missing_title',
  'missing_place',
  'missing_plan',
  'missing_code',
  'bad_code',
  'duplicate_code',
  'duplicate_row',
  'no_dates',
  'bad_date',
  'dates_from_plan',
  'end_before_start',
  'unknown_kind',
  'missing_id',
  'unknown_parent',
  'too_deep',
  'unknown_status',
  'ignored_locales',
  'slash_order_guessed',
  'ignored_columns',
  'missing_columns',
  'control_characters',
] as const;
export type Reason = (typeof REASONS)[number];

export interface ReportLine {
  /** The row's number as a spreadsheet shows it (the header is row 1); 0 for the file as a whole. */
  row: number;
  reason: Reason;
  /** What the reason names: a column, the text read, … */
  detail?: string;
}

export interface ImportReport {
  rows: number;
  created: Record<RecordKind, number>;
  updated: Record<RecordKind, number>;
  unchanged: Record<RecordKind, number>;
  skipped: ReportLine[];
  warnings: ReportLine[];
}

export function emptyReport(): ImportReport {
  const zero = () => Object.fromEntries(RECORD_KINDS.map((k) => [k, 0])) as Record<RecordKind, number>;
  return { rows: 0, created: zero(), updated: zero(), unchanged: zero(), skipped: [], warnings: [] };
}

const ENGLISH: Record<Reason, string> = {
  missing_title: 'no commitment title',
  missing_place: 'no country or locality',
  missing_plan: 'no action plan (neither Action Plan ID nor Action Plan Number)',
  missing_code: 'no commitment code',
  bad_code: 'a code that cannot be used in an address',
  duplicate_code: 'the code is already used in this plan by another row',
  duplicate_row: 'the same identifier as an earlier row',
  no_dates: 'no dates, neither the commitment’s nor any in its plan',
  bad_date: 'a date that cannot be read, kept empty',
  dates_from_plan: 'no date of its own: the plan’s dates are used',
  end_before_start: 'the end date is before the start date: the dates are swapped',
  unknown_kind: '“National Or Local” is neither: taken as national',
  missing_id: 'no id',
  unknown_parent: 'its parent is neither in the file nor imported before',
  too_deep: 'a result of a result’s result: Besa has commitments and milestones only',
  unknown_status: 'a status key Besa does not know: the status is taken from the progress',
  ignored_locales: 'columns in languages Besa does not have, left out',
  slash_order_guessed: 'dates like 03/04/2019 could be read either way: read month first',
  ignored_columns: 'columns Besa does not read, left out',
  missing_columns: 'not the expected file: columns missing',
  control_characters: 'control characters that cannot be stored, removed',
};

export function reasonInEnglish(line: ReportLine): string {
  return `${ENGLISH[line.reason]}${line.detail ? ` (${line.detail})` : ''}`;
}

const KIND_WORDS: Record<RecordKind, string> = {
  jurisdiction: 'jurisdictions',
  institution: 'institutions',
  action_plan: 'plans',
  commitment: 'commitments',
  milestone: 'milestones',
  irm_assessment: 'IRM assessments',
};

/** The report in English, one line each, for the command line. */
export function formatReport(report: ImportReport): string {
  const lines = [`Read ${report.rows} rows.`];
  for (const kind of RECORD_KINDS) {
    const c = report.created[kind];
    const u = report.updated[kind];
    const n = report.unchanged[kind];
    if (c + u + n === 0) continue;
    lines.push(`${KIND_WORDS[kind]}: ${c} created, ${u} updated, ${n} unchanged`);
  }
  lines.push(`Skipped ${report.skipped.length} rows.`);
  for (const s of report.skipped) lines.push(`  row ${s.row}: ${reasonInEnglish(s)}`);
  if (report.warnings.length) {
    lines.push(`Warnings: ${report.warnings.length}.`);
    for (const w of report.warnings) lines.push(`  ${w.row ? `row ${w.row}` : 'file'}: ${reasonInEnglish(w)}`);
  }
  return `${lines.join('\n')}\n`;
}
