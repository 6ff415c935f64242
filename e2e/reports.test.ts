/**
 * The reports' printable pages in a browser, every locale: axe-core and html-validate find nothing
 * (the same pages are in e2e/public-page-list.ts for the full run); printed, the site's header,
 * footer, breadcrumbs and the file links are left out and the report's headings stay; the PDF and
 * DOCX links answer with their files; the pages fit a phone.
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

const PLAN = '/gjakova/plans/2024-2025';
const PAGES = [`${PLAN}/report`, `${PLAN}/monitoring-report`, `${PLAN}/commitments/XKGJA0001/report`];

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
  test(`the printable reports (${locale})`, async () => {
    for (const path of PAGES) {
      const url = `/${locale}${path}`;
      const response = await page.goto(server.url + url);
      assert.ok(response);
      assert.equal(response.status(), 200, url);
      const html = await response.text();
      assert.equal(await page.locator('h1').count(), 1, `${url}: one h1`);
      assert.ok((await page.locator('.report-notice').count()) >= 1, `${url}: demonstration data labelled`);
      assertNoProblems(await checkPage(page, html, url));
    }
  });
}

test('printed, the report leaves out the navigation and keeps its content', async () => {
  await page.goto(`${server.url}/en${PLAN}/report`);
  await page.emulateMedia({ media: 'print' });
  try {
    for (const selector of ['.site-header', '.site-footer', '.breadcrumbs', '.report-files']) {
      assert.equal(await page.locator(selector).first().isVisible(), false, `${selector} hidden in print`);
    }
    assert.equal(await page.locator('article.report h1').isVisible(), true);
    assert.ok((await page.locator('article.report table').count()) >= 3);
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});

test('the file links answer with a PDF and a DOCX', async () => {
  await page.goto(`${server.url}/sq${PLAN}/commitments/XKGJA0002/report`);
  for (const [selector, type] of [
    ['.report-files a[href$=".pdf"]', 'application/pdf'],
    ['.report-files a[href$=".docx"]', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ] as const) {
    const href = await page.locator(selector).getAttribute('href');
    assert.ok(href);
    const res = await fetch(server.url + href);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), type);
    assert.match(res.headers.get('content-disposition') ?? '', /filename="gjakova-2024-2025-XKGJA0002-report-sq\.(pdf|docx)"/);
  }
});

test('the reports fit a 320-pixel screen (400 % zoom)', async () => {
  const small = await newContext(browser, { viewport: { width: 320, height: 800 } });
  try {
    const phone = await small.newPage();
    for (const path of PAGES) {
      await phone.goto(`${server.url}/sr-Cyrl${path}`);
      const scrollWidth = Number(await phone.evaluate('document.documentElement.scrollWidth'));
      assert.ok(scrollWidth <= 320, `${path}: the page is ${scrollWidth}px wide`);
    }
  } finally {
    await small.close();
  }
});
