import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { htmlErrors } from '../test/html.js';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium; Playwright cannot download browsers on these machines. */
export const CHROMIUM = process.env.BESA_CHROMIUM || '/usr/bin/chromium';

export const LOCALES = ['sq', 'sr-Latn', 'sr-Cyrl', 'en', 'fr'] as const;

/** Headless Chromium with a fresh temporary profile (Playwright's default user-data dir). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, ...options });
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

/**
 * Runs axe-core with its default rules (WCAG 2.x A/AA and best practices) on the page as it is.
 * axe is evaluated through the DevTools protocol, which the page's CSP (no inline scripts)
 * does not govern, so the page keeps its real CSP while it is checked.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type AxeResult = {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string; failureSummary?: string }[] }[];
    };
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResult> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), html: n.html.slice(0, 200), summary: n.failureSummary ?? '' })),
    }));
  });
}

export function formatViolations(where: string, violations: AxeViolation[]): string {
  return violations
    .map((v) => `axe ${v.id} (${v.impact}) on ${where}: ${v.help}\n${v.nodes.map((n) => `    at ${n.target}: ${n.html}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n')}`)
    .join('\n');
}


/** Fails the current test with every problem found, readably (no diff of arrays). */
export function assertNoProblems(problems: string[]): void {
  if (problems.length) throw new Error(`\n${problems.join('\n')}`);
}

/** Checks the page now shown with axe, and the HTML it was served as with html-validate. */
export async function checkPage(page: Page, html: string, where: string): Promise<string[]> {
  const problems: string[] = [];
  const violations = await axeViolations(page);
  if (violations.length) problems.push(formatViolations(where, violations));
  const errors = await htmlErrors(html);
  if (errors.length) problems.push(`${errors.length} HTML error(s) on ${where}:\n  ${errors.join('\n  ')}`);
  return problems;
}


export { htmlErrors };
