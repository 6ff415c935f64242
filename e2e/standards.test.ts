/**
 * The OGP standards checklist in a browser, every locale: axe-core and html-validate find nothing,
 * with a demonstration forum and meeting present (evidence links with their demonstration tags)
 * and Gjakova's end-of-commitment table. e2e/public-pages.test.ts checks it again with every page.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertNoProblems, checkPage, launchBrowser, LOCALES, newContext } from './browser.js';
import { startServer, type TestServer } from './server.js';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

before(async () => {
  server = await startServer();
  const x = server.db as unknown as Kysely<any>;
  const j = await x.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const stamp = { created_at: now, updated_at: now };
  const forum = await x
    .insertInto('bodies')
    .values({ jurisdiction_id: j.id, kind: 'forum', slug: 'checklist-test-forum', name: JSON.stringify({ en: 'Test forum <demo>' }), mandate: '{}', rules: JSON.stringify({ en: 'Rules' }), composition_rules: '[]', meets_every_days: 31, position: 9, is_demo: 1, ...stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  await x.insertInto('body_members').values({ body_id: forum.id, organisation: JSON.stringify({ en: 'A CSO' }), sector: 'civil_society', represented_groups: '[]', role: 'member', position: 0, is_demo: 1, ...stamp }).execute();
  await x
    .insertInto('meetings')
    .values({ jurisdiction_id: j.id, body_id: forum.id, kind: 'forum', title: '{}', starts_at: '2025-02-03T09:00:00.000Z', ends_at: '2025-02-03T11:00:00.000Z', time_zone: 'Europe/Belgrade', place: '{}', languages: '[]', accessibility_note: '{}', status: 'held', uid: 'checklist-test@besa.invalid', sequence: 0, minutes: '{}', is_demo: 1, ...stamp })
    .execute();
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
  test(`the standards checklist (${locale})`, async () => {
    const url = `/${locale}/gjakova/plans/2024-2025/standards`;
    const response = await page.goto(server.url + url);
    assert.ok(response);
    assert.equal(response.status(), 200);
    const html = await response.text();
    assert.equal(await page.locator('section.standard').count(), 9);
    assert.ok((await page.locator('.tag-demo').count()) >= 1, 'demonstration evidence is labelled');
    assert.equal(await page.locator('table caption').count(), 1);
    assertNoProblems(await checkPage(page, html, url));
  });
}

test('the checklist fits a 390-pixel phone and 320 CSS pixels (400 % zoom), its table stacked', async () => {
  for (const width of [390, 320]) {
    const small = await newContext(browser, { viewport: { width, height: 800 } });
    try {
      const phone = await small.newPage();
      await phone.goto(`${server.url}/sq/gjakova/plans/2024-2025/standards`);
      const scrollWidth = Number(await phone.evaluate('document.documentElement.scrollWidth'));
      assert.ok(scrollWidth <= width, `${width}px: the page is ${scrollWidth}px wide`);
      assert.equal(await phone.locator('table.stacked thead').evaluate((el: unknown) => (globalThis as unknown as { getComputedStyle(e: unknown): { position: string } }).getComputedStyle(el).position), 'absolute', `${width}px: the header row is hidden visually`);
    } finally {
      await small.close();
    }
  }
});
