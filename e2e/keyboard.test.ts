/** Keyboard: the skip link is the first tab stop and moves focus to the main content. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext } from './browser.js';
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

interface Focused {
  tag: string;
  id: string;
  href: string | null;
  text: string;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { tagName: string; id: string; textContent: string | null; getAttribute(n: string): string | null } | null } }).document.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? '', id: el?.id ?? '', href: el?.getAttribute('href') ?? null, text: (el?.textContent ?? '').trim() };
  });
}

for (const path of ['/en/', '/sq/gjakova/plans/2024-2025/commitments/XKGJA0001', '/sr-Cyrl/search?q=gjakova', '/fr/login']) {
  test(`skip link on ${path}`, async () => {
    await page.goto(server.url + path);
    await page.keyboard.press('Tab');
    const first = await focused(page);
    assert.equal(first.tag, 'a', `the first tab stop is a link, got ${JSON.stringify(first)}`);
    assert.equal(first.href, '#main', `the first tab stop is the skip link, got ${JSON.stringify(first)}`);
    assert.ok(first.text.length > 0, 'the skip link has text');
    assert.ok(await page.locator('a[href="#main"]').first().isVisible(), 'the skip link is visible when focused');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id === 'main', undefined, { timeout: 5000 }).catch(() => undefined);
    const after = await focused(page);
    assert.equal(after.tag, 'main', `focus moved to <main>, got ${JSON.stringify(after)}`);
    assert.equal(after.id, 'main');
    assert.equal(new URL(page.url()).hash, '#main');
    // The next Tab continues inside the main content, not back at the header.
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } | null } }).document;
      return !!d.activeElement?.closest('main');
    });
    assert.ok(inMain, 'the next tab stop is inside <main>');
  });
}
