/**
 * Every public page in every locale: the status is the expected one, <html lang> is the
 * locale, axe-core finds no violation and html-validate finds no error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertNoProblems, checkPage, launchBrowser, LOCALES, newContext } from './browser.js';
import { startServer, type TestServer } from './server.js';
import { SYSTEM } from '../src/modules/audit/index.js';
import { updateJurisdictionBranding } from '../src/modules/jurisdictions/branding.js';
import { insertReportingFixture, TINY_PNG } from '../test/reporting-fixture.js';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let institutionSlug = '';

before(async () => {
  server = await startServer();
  const institution = await server.db
    .selectFrom('institutions')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'institutions.jurisdiction_id')
    .select('institutions.slug')
    .where('jurisdictions.slug', '=', 'gjakova')
    .orderBy('institutions.id')
    .executeTakeFirst();
  assert.ok(institution, 'the seeded database holds an institution of Gjakova');
  institutionSlug = institution.slug;
  // A second, branded jurisdiction (test data: Gjakova ships with no portal name, emblem or colour):
  // the home shows two cards, and its pages carry the portal's header; its milestones are overdue.
  const town = await insertReportingFixture(server.db, 'brandtown');
  await updateJurisdictionBranding(server.db, SYSTEM, { jurisdictionId: town.jurisdictionId, contentLocale: 'en', portalName: 'Brandtown Open Government', accentColor: '#1d4f91', emblem: { content: TINY_PNG } });
  browser = await launchBrowser();
  context = await newContext(browser);
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

const PAGES: { path: () => string; status: number }[] = [
  { path: () => '/', status: 200 },
  { path: () => '/gjakova', status: 200 },
  { path: () => '/gjakova/plans/2024-2025', status: 200 },
  { path: () => '/gjakova/plans/2024-2025/commitments/XKGJA0001', status: 200 },
  { path: () => '/gjakova/plans/2024-2025/commitments/XKGJA0002', status: 200 },
  { path: () => '/gjakova/plans/2024-2025/commitments/XKGJA0003', status: 200 },
  { path: () => `/gjakova/institutions/${institutionSlug}`, status: 200 },
  { path: () => '/search?q=gjakova', status: 200 },
  { path: () => '/search?q=dakovica', status: 200 },
  { path: () => '/transparency', status: 200 },
  { path: () => '/accessibility', status: 200 },
  { path: () => '/privacy', status: 200 },
  { path: () => '/login', status: 200 },
  { path: () => '/no-such-place', status: 404 },
  { path: () => '/brandtown', status: 200 },
  { path: () => '/brandtown/plans/2024-2025/commitments/XKGJA0001', status: 200 },
];

const LABELS = ['/', '/gjakova', '/gjakova/plans/2024-2025', 'commitment XKGJA0001', 'commitment XKGJA0002', 'commitment XKGJA0003', 'an institution', '/search?q=gjakova', '/search?q=dakovica', '/transparency', '/accessibility', '/privacy', '/login', '404 /no-such-place', 'branded /brandtown', 'branded commitment'];

for (const locale of LOCALES) {
  describe(`public pages in ${locale}`, () => {
    PAGES.forEach((entry, i) => {
      test(`${LABELS[i]} (${locale})`, async () => {
        const url = `/${locale}${entry.path()}`;
        const response = await page.goto(server.url + url);
        assert.ok(response, `no response for ${url}`);
        assert.equal(response.status(), entry.status, `status of ${url}`);
        assert.match(response.headers()['content-type'] ?? '', /^text\/html/, `content type of ${url}`);
        const html = await response.text();
        assert.equal(await page.locator('html').getAttribute('lang'), locale, `<html lang> of ${url}`);
        const problems = await checkPage(page, html, url);
        assertNoProblems(problems);
      });
    });
  });
}
