/**
 * `npm run screenshots`: the pictures of Besa kept in docs/screenshots/ and shown in the README.
 *
 * Starts the real app on a fresh database with Gjakova's plan and the demonstration data (every page
 * that shows it says so), creates the first administrator through the setup link as a newcomer would,
 * then photographs the jurisdiction home, a commitment, its history and the administration's first
 * page, in Albanian (the default language), at 390 pixels (a phone) and 1280 (a laptop).
 *
 *   npm run screenshots [-- --out docs/screenshots] [--locale sq]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Cookie, Page } from 'playwright-core';
import { launchBrowser, newContext } from '../e2e/browser.js';
import { fillForm, navigation, submitForm } from '../e2e/forms.js';
import { startServer } from '../e2e/server.js';
import { createSetupToken } from '../src/modules/accounts/index.js';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/screenshots' }, locale: { type: 'string', default: 'sq' } } });
const out = values.out!;
const L = values.locale!;
const WIDTHS = [390, 1280] as const;

const server = await startServer();
const browser = await launchBrowser();
try {
  mkdirSync(out, { recursive: true });
  const commitment = await server.db.selectFrom('commitments').select(['id', 'code']).orderBy('code').executeTakeFirstOrThrow();
  const pages: { name: string; path: string; admin?: boolean }[] = [
    { name: 'home', path: `/${L}/gjakova` },
    { name: 'commitment', path: `/${L}/gjakova/plans/2024-2025/commitments/${commitment.code}` },
    { name: 'history', path: `/${L}/history/commitment/${commitment.id}` },
    { name: 'admin-home', path: `/${L}/admin`, admin: true },
  ];
  const token = await createSetupToken(server.db);
  let adminCookies: Cookie[] = [];
  for (const width of WIDTHS) {
    const context = await newContext(browser, { viewport: { width, height: width < 600 ? 844 : 900 }, locale: L });
    const page: Page = await context.newPage();
    if (width === WIDTHS[0]) {
      await navigation(page, () => page.goto(`${server.url}/${L}/setup/${token}`));
      await fillForm(page, { display_name: 'Arta Krasniqi', email: 'admin@example.org', password: 'a long enough passphrase' });
      await submitForm(page, 'display_name');
      adminCookies = await context.cookies();
    } else {
      await context.addCookies(adminCookies);
    }
    for (const p of pages) {
      const response = await navigation(page, () => page.goto(server.url + p.path));
      if (response.status() !== 200) throw new Error(`GET ${p.path}: ${response.status()}`);
      const file = join(out, `${p.name}-${width}.png`);
      // A phone shows the whole page in one long picture; a laptop at most its first two screens.
      const height = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
      await page.screenshot({ path: file, fullPage: true, clip: width < 600 ? undefined : { x: 0, y: 0, width, height: Math.min(height, 1800) } });
      console.log(`${file}  (${p.path})`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
