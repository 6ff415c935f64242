/**
 * Spreadsheet formula injection (CWE-1236): a CSV cell that starts with `=`, `+`, `-`, `@`, a tab or
 * a carriage return is read as a formula by Excel, LibreOffice and Google Sheets. Every CSV Besa
 * writes (open data, response tables, the Decidim export) passes its text cells through here; the
 * leading apostrophe makes the spreadsheet show the text as it is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function formulaSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
