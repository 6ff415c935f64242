import { stringify } from 'csv-stringify/sync';

/**
 * Files the interop tests build: OGP's commitment data with every awkward value the issue names,
 * and Decidim's accountability results. Kept here so the unit, CLI and admin tests share them.
 */

export const OGP_HEADER = [
  'Commitment Unique Identifier',
  ' country/locality ',
  'Action Plan Number',
  'Code',
  'National Or Local',
  'Commitment  Title',
  'Full Text',
  'Start Date',
  'End Date',
  'Lead Institution',
  'Supporting Institution(s)',
  'Access to Information',
  'Civic Participation',
  'Public Accountability',
  'Anti-Corruption',
  'Open Contracting',
  'Verifiable',
  'Potential Impact',
  'Potential for Results',
  'Completion (End Of Term)',
  'Did It Open Government (Overall)',
  'Early Results',
  'Action Plan ID',
];

export const OGP_FULL_TEXT = 'Publish every contract, "as signed", within 10 days.\nMilestones:\n1. a register; 2. a portal';

/** Rows of OGP's download: two plans of one country, two localities, a row without a title. */
export function ogpRows(overrides: { firstTitle?: string } = {}): string[][] {
  return [
    ['1001', 'Albania', '4', 'AL0001', 'National', overrides.firstTitle ?? 'Open contracting register', OGP_FULL_TEXT, '2018-09-01', '2020-08-31', 'Ministry of Justice', 'Ministry of Finance; Open Data Albania', '1', '0', '1', '1', '0', 'Yes', 'Moderate', 'Substantial', 'Complete', 'Major', 'ND', '77'],
    ['1002', 'Albania', '4', 'AL0002', 'National', 'Beneficial ownership', 'Who owns companies.', '15/09/2018', '31/12/2019', 'Ministry of Finance', '', '0', '1', '0', '1', '', 'No', 'Minor', 'NR', 'Limited', 'N/A', '', '77'],
    ['1003', 'Albania', '5', 'AL0050', 'National', 'Open budgets', '', 'June 2020', '2022', 'Ministry of Finance', 'N/A', '', '', '', '', '1', '', '', '', '', '', '', '78'],
    ['1004', 'Albania', '5', 'AL0051', 'National', '', 'A row without its title', '2020-07-01', '2022-06-30', 'Ministry of Finance', '', '1', '0', '0', '0', '0', 'ND', 'ND', 'ND', 'ND', 'ND', 'ND', '78'],
    ['2001', 'Elbasan, Albania', '1', 'ALELB0001', 'Local', 'Municipal budget online', 'Budgets in open formats.', '03/04/2021', '30/06/2023', 'Municipality of Elbasan', '', '1', '1', '0', '0', '0', 'Yes', 'Transformative', '', 'Not Started', '', 'NR', '90'],
    ['3001', 'Tirana', '1', 'ALTIR0001', 'Local', 'Participatory planning', 'Residents plan together.', '44197', 'soon', 'Municipality of Tirana', 'Civil society network\nYouth council', '0', '1', '0', '0', '0', '', '', '', '', '', '', '91'],
  ];
}

/** The OGP file: a byte-order mark, CRLF line ends, quoted fields with commas, quotes and line breaks. */
export function ogpCsv(overrides: { firstTitle?: string } = {}): string {
  return `\uFEFF${stringify([OGP_HEADER, ...ogpRows(overrides)], { record_delimiter: 'windows' })}`;
}

export const DECIDIM_HEADER = [
  'id', 'category/id', 'category/name/ca', 'category/name/en', 'scope/id', 'scope/name/ca', 'scope/name/en', 'parent/id',
  'title/ca', 'title/en', 'title/fr', 'description/ca', 'description/en', 'description/fr',
  'start_date', 'end_date', 'status/id', 'status/key', 'status/name/ca', 'status/name/en', 'progress', 'created_at', 'url', 'component/id', 'proposal_urls',
];

/** Decidim's accountability results: two results, three sub-results, one orphan, Catalan columns Besa does not have. */
export function decidimRows(): string[][] {
  return [
    ['11', '', '', '', '', '', '', '', 'Pressupost obert', 'Open budget', 'Budget ouvert', '<p>Pressupost</p>', '<p>Publish the budget &amp; its execution.</p>', '<p>Publier le budget.</p>', '2024-01-01', '2025-12-31', '3', 'ongoing', 'En curs', 'Ongoing', '50', '2024-01-02 10:00:00 UTC', '', '7', ''],
    ['12', '', '', '', '', '', '', '11', 'Dades', 'Budget data online', 'Données budgétaires', '', '<p>Monthly files.</p>', '', '2024-01-01', '2024-06-30', '4', 'completed', 'Completat', 'Completed', '100', '2024-01-02 10:00:00 UTC', '', '7', ''],
    ['13', '', '', '', '', '', '', '11', 'Visor', 'Budget viewer', '', '', '<p>A viewer.</p>', '', '2024-07-01', '2025-12-31', '1', 'not_started', 'No iniciat', 'Not started', '0', '2024-01-02 10:00:00 UTC', '', '7', ''],
    ['14', '', '', '', '', '', '', '', 'Contractes', 'Open contracts', '', '', '<p>Every contract.<br>Every change.</p>', '', '2024-03-01', '2025-03-31', '2', 'planned', 'Planificat', 'Planned', '', '2024-01-02 10:00:00 UTC', '', '7', ''],
    ['15', '', '', '', '', '', '', '14', 'Registre', 'Contract register', '', '', '', '', '2024-03-01', '2024-12-31', '3', 'ongoing', 'En curs', 'Ongoing', '40', '2024-01-02 10:00:00 UTC', '', '7', ''],
    ['16', '', '', '', '', '', '', '999', 'Orfe', 'Orphan', '', '', '', '', '2024-03-01', '2024-12-31', '3', 'ongoing', 'En curs', 'Ongoing', '10', '2024-01-02 10:00:00 UTC', '', '7', ''],
  ];
}

export function decidimCsvFile(): string {
  return stringify([DECIDIM_HEADER, ...decidimRows()], { delimiter: ';' });
}
