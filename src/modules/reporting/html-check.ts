import { HtmlValidate, StaticConfigLoader, type ConfigData } from 'html-validate';

/** html-validate as the browser tests use it (e2e/browser.ts), for the reporting pages' tests. */
const CONFIG: ConfigData = {
  extends: ['html-validate:recommended'],
  rules: {
    'doctype-style': ['error', { style: 'lowercase' }],
    'require-sri': ['error', { target: 'crossorigin' }],
    'void-style': ['error', { style: 'selfclose' }],
    'valid-id': ['error', { relaxed: true }],
    'long-title': 'off',
    'form-dup-name': ['error', { shared: ['radio', 'button', 'reset', 'submit', 'checkbox'] }],
  },
};

let validator: HtmlValidate | undefined;

export async function htmlErrors(html: string): Promise<string[]> {
  validator ??= new HtmlValidate(new StaticConfigLoader(CONFIG));
  const report = await validator.validateString(html, 'page.html');
  return report.results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId} at ${m.line}:${m.column}: ${m.message} …${html.slice(Math.max(0, m.offset - 80), m.offset + 120)}…`));
}
