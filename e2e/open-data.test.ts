/**
 * The open-data pages in a browser, every locale: axe-core and html-validate find nothing; the
 * downloads answer from the links the page shows (a JSON document and a ZIP, as attachments).
 * e2e/public-pages.test.ts checks both pages again with every page.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertNoProblems, checkPage, launchBrowser, LOCALES, newContext } from './browser.js';
import { startServer, type TestServer } from './server.js';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

before(async () => {
  server = await startServer();
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
  test(`the open-data pages (${locale})`, async () => {
    for (const url of [`/${locale}/open-data`, `/${locale}/gjakova/open-data`]) {
      const response = await page.goto(server.url + url);
      assert.ok(response);
      assert.equal(response.status(), 200, url);
      const html = await response.text();
      assert.ok((await page.locator('a[href="/open-data/gjakova.json"]').count()) === 1, url);
      assertNoProblems(await checkPage(page, html, url));
    }
  });
}

test('the links of the page download a JSON document and a ZIP', async () => {
  for (const [href, type] of [['/open-data/all.json', 'application/json; charset=utf-8'], ['/open-data/gjakova.csv.zip', 'application/zip']] as const) {
    const response = await fetch(server.url + href);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), type);
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="/);
    const body = Buffer.from(await response.arrayBuffer());
    if (type === 'application/zip') assert.equal(body.subarray(0, 2).toString('latin1'), 'PK');
    else assert.equal((JSON.parse(body.toString('utf8')) as { format: string }).format, 'besa-open-data/1');
  }
});
