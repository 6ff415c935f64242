import { HtmlValidate, StaticConfigLoader, type ConfigData } from 'html-validate';
import { escapeHtml } from '@kitajs/html';
import { translate } from '../src/i18n/index.js';
import type { Locale } from '../src/i18n/locales.js';

/** html-validate as every test holds Besa's pages to it (browser tests and route tests alike). */
const HTML_VALIDATE_CONFIG: ConfigData = {
  extends: ['html-validate:recommended'],
  rules: {
    // Our templates write the lower-case `<!doctype html>`, which HTML defines as equivalent.
    'doctype-style': ['error', { style: 'lowercase' }],
    // Stylesheets and scripts are same-origin files we ship; SRI guards third-party resources,
    // so require it for cross-origin resources only (there are none).
    'require-sri': ['error', { target: 'crossorigin' }],
    // @kitajs/html, our renderer, writes void elements self-closed (`<meta … />`); HTML allows
    // both forms, so hold the pages to the renderer's one consistent style.
    'void-style': ['error', { style: 'selfclose' }],
    // Milestone codes are OGP's own (`XKGJA0001.2`) and serve as fragment ids so links can point
    // at a milestone. HTML allows any id without spaces; the strict mode only forbids the dot
    // for the sake of unescaped CSS selectors, which we do not write.
    'valid-id': ['error', { relaxed: true }],
    // <title> carries the full commitment title (OGP's titles often exceed 70 characters): a
    // descriptive title is what WCAG 2.4.2 asks for; the 70-character limit is a search-engine
    // display hint, not a validity or accessibility rule.
    'long-title': 'off',
    // A group of checkboxes shares one name (ogp_values, lead_institutions): that is how HTML
    // submits a multiple choice, read with formList(). Radios and buttons are shared by default.
    'form-dup-name': ['error', { shared: ['radio', 'button', 'reset', 'submit', 'checkbox'] }],
  },
};

let validator: HtmlValidate | undefined;

/** Validates a page's HTML as sent by the server; returns one line per error. */
export async function htmlErrors(html: string): Promise<string[]> {
  validator ??= new HtmlValidate(new StaticConfigLoader(HTML_VALIDATE_CONFIG));
  const report = await validator.validateString(html, 'page.html');
  const lines = html.split('\n');
  const all = report.results.flatMap((result) =>
    result.messages
      .filter((m) => m.severity === 2)
      .map((m) => `html-validate ${m.ruleId} at ${m.line}:${m.column}: ${m.message}\n    …${(lines[m.line - 1] ?? '').slice(Math.max(0, m.column - 80), m.column + 120)}…`),
  );
  return all.length > 12 ? [...all.slice(0, 12), `… and ${all.length - 12} more`] : all;
}

/**
 * Whether a page states a plan's status: in a facts list (`<dd>In implementation</dd>`, plan pages) or
 * in the jurisdiction home's sentence ("Status: In implementation.").
 */
export function saysStatus(body: string, locale: Locale, status: string): boolean {
  return body.includes(`<dd>${escapeHtml(status)}</dd>`) || body.includes(escapeHtml(translate(locale, 'story.status', { status })));
}
