/**
 * Every public page in every locale: the status is the expected one, <html lang> is the
 * locale, axe-core finds no violation and html-validate finds no error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertNoProblems, checkPage, launchBrowser, LOCALES, newContext } from './browser.js';
import { startServer, type TestServer } from './server.js';
import { PUBLIC_PAGES, preparePublicPages, type PageIds } from './public-page-list.js';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let ids: PageIds;

before(async () => {
  server = await startServer();
  ids = await preparePublicPages(server.db);
  browser = await launchBrowser();
  context = await newContext(browser);
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

for (const locale of LOCALES) {
  describe(`public pages in ${locale}`, () => {
    for (const entry of PUBLIC_PAGES) {
      test(`${entry.label} (${locale})`, async () => {
        const url = `/${locale}${entry.path(ids)}`;
        const response = await page.goto(server.url + url);
        assert.ok(response, `no response for ${url}`);
        assert.equal(response.status(), entry.status, `status of ${url}`);
        assert.match(response.headers()['content-type'] ?? '', /^text\/html/, `content type of ${url}`);
        const html = await response.text();
        assert.equal(await page.locator('html').getAttribute('lang'), locale, `<html lang> of ${url}`);
        const problems = await checkPage(page, html, url);
        assertNoProblems(problems);
      });
    }
  });
}
