/**
 * Feeds and sharing against the real server with Gjakova's plan and the demonstration data: each
 * page's visible "Atom feed" link leads to a feed a reader parses, in the page's language; the
 * commitment's share image named by its og:image is a 1200×630 image a browser draws; the sitemap
 * and robots.txt answer.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, LOCALES, newContext } from './browser.js';
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

const COMMITMENT = '/gjakova/plans/2024-2025/commitments/XKGJA0001';

for (const locale of LOCALES) {
  test(`the feed links of the home, jurisdiction, plan and commitment pages lead to parsing feeds (${locale})`, async () => {
    for (const path of ['/', '/gjakova', '/gjakova/plans/2024-2025', COMMITMENT]) {
      await page.goto(`${server.url}/${locale}${path}`);
      const head = await page.locator('head link[rel="alternate"][type="application/atom+xml"]').getAttribute('href');
      const visible = page.locator('main a[type="application/atom+xml"]');
      assert.equal(await visible.count(), 1, `${path}: one visible feed link`);
      assert.equal(await visible.getAttribute('href'), head, `${path}: the visible link is the head's`);
      const response = await page.request.get(server.url + head);
      assert.equal(response.status(), 200);
      assert.equal(response.headers()['content-type'], 'application/atom+xml; charset=utf-8');
      const errors: string[] = [];
      const doc = new DOMParser({ errorHandler: { error: (e: string) => errors.push(e), fatalError: (e: string) => errors.push(e) } }).parseFromString(await response.text(), 'application/xml');
      assert.deepEqual(errors, [], `${head} parses`);
      assert.equal(doc.documentElement!.getAttribute('xml:lang'), locale);
    }
  });
}

test('the commitment’s og:image is a 1200×630 image the browser draws, in the page’s language', async () => {
  for (const locale of ['sq', 'sr-Cyrl'] as const) {
    await page.goto(`${server.url}/${locale}${COMMITMENT}`);
    const image = await page.locator('meta[property="og:image"]').getAttribute('content');
    assert.ok(image);
    const url = new URL(image);
    assert.equal(url.searchParams.get('lang'), locale);
    await page.goto(server.url + url.pathname + url.search);
    const size = await page.evaluate(() => {
      const img = document.images[0]!;
      return [img.naturalWidth, img.naturalHeight];
    });
    assert.deepEqual(size, [1200, 630]);
  }
});

test('sitemap.xml and robots.txt answer', async () => {
  const sitemap = await page.request.get(`${server.url}/sitemap.xml`);
  assert.equal(sitemap.status(), 200);
  const body = await sitemap.text();
  assert.match(body, /<urlset /);
  assert.ok(body.includes(`/sq${COMMITMENT}</loc>`));
  const robots = await page.request.get(`${server.url}/robots.txt`);
  assert.match(await robots.text(), /^Sitemap: /m);
});
