/**
 * With JavaScript disabled, a visitor reaches everything by links and plain forms:
 * home → jurisdiction → plan → commitment, the language switcher, and search.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext } from './browser.js';
import { followLink, navigation } from './forms.js';
import { startServer, type TestServer } from './server.js';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await newContext(browser, { javaScriptEnabled: false });
});

beforeEach(async () => {
  await page?.close();
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

const PLAN = '/en/gjakova/plans/2024-2025';
const COMMITMENT = `${PLAN}/commitments/XKGJA0001`;

function pathOf(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

test('from the home page, links lead to the plan and to commitment XKGJA0001', async () => {
  const home = await page.goto(`${server.url}/en/`);
  assert.equal(home?.status(), 200);
  let response = await followLink(page, '/en/gjakova');
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), '/en/gjakova');
  response = await followLink(page, PLAN);
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), PLAN);
  response = await followLink(page, COMMITMENT);
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), COMMITMENT);
  assert.match(await page.locator('h1').first().innerText(), /\S/, 'the commitment page has a heading');
});

test('the language switcher lands on the same page in the other language', async () => {
  await page.goto(server.url + COMMITMENT);
  for (const [locale, path] of [
    ['fr', '/fr/gjakova/plans/2024-2025/commitments/XKGJA0001'],
    ['sr-Cyrl', '/sr-Cyrl/gjakova/plans/2024-2025/commitments/XKGJA0001'],
    ['sq', '/sq/gjakova/plans/2024-2025/commitments/XKGJA0001'],
  ] as const) {
    const response = await followLink(page, path, 'header');
    assert.equal(response.status(), 200);
    assert.equal(pathOf(page), path);
    assert.equal(await page.locator('html').getAttribute('lang'), locale);
  }
});

test('the search form finds "digital" and a result leads to a commitment', async () => {
  await page.goto(`${server.url}/en/`);
  let response = await followLink(page, '/en/search', 'header');
  assert.equal(response.status(), 200);
  const form = page.locator('main form:has([name="q"])').first();
  assert.ok((await form.count()) > 0, 'the search page has a search form in its main content');
  await form.locator('[name="q"]').fill('digital');
  response = await navigation(page, () => form.locator('button[type="submit"], button:not([type]), input[type="submit"]').first().click());
  assert.equal(response.status(), 200);
  const url = new URL(page.url());
  assert.equal(url.pathname, '/en/search');
  assert.equal(url.searchParams.get('q'), 'digital');
  const result = page.locator('main a[href*="/commitments/XKGJA"]').first();
  assert.ok((await result.count()) > 0, 'the results link to at least one commitment');
  const href = (await result.getAttribute('href')) ?? '';
  response = await navigation(page, () => result.click());
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), href.split('#')[0]);
  assert.match(pathOf(page), /^\/en\/gjakova\/plans\/[^/]+\/commitments\/XKGJA\d{4}$/);
});
