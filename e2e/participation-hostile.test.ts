/**
 * Contributing in a real browser, with JavaScript on and off: every page of the contribution,
 * flag, confirmation and erasure flow passes axe-core and html-validate in every locale (also a
 * refused form with its error summary); a citizen whose name and text are hostile contributes by
 * keyboard and buttons only, confirms from the message in the outbox, and nothing they typed runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { insertContributionFixture } from '../test/contribution-fixture.js';
import { pdb } from '../src/modules/participation/tables.js';
import { assertNoProblems, checkPage as checkWithAxe, htmlErrors, launchBrowser, LOCALES, newContext } from './browser.js';
import { startServer, type TestServer } from './server.js';

const C = '/gjakova/consultations/open-call';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>\u202Eevil';
const HOSTILE_TEXT = '<script>alert(2)</script> [x](javascript:alert(3)) "><svg onload=alert(4)>';

let server: TestServer;
let browser: Browser;

before(async () => {
  server = await startServer();
  await insertContributionFixture(server.db, { flagThreshold: 3 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function latestLink(to: string, pattern: RegExp): Promise<string> {
  const row = await server.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const match = pattern.exec(row.text_body);
  assert.ok(match, `a link in the message to ${to}`);
  return new URL(match[0]).pathname;
}

for (const javaScript of [true, false]) {
  describe(`contributing with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    let context: BrowserContext;
    let page: Page;
    const dialogs: string[] = [];

    /** axe-core runs in the page, so only with JavaScript on; html-validate always. */
    const checkPage = (p: Page, html: string, where: string) => (javaScript ? checkWithAxe(p, html, where) : htmlErrors(html).then((errors) => errors.map((e) => `${where}: ${e}`)));

    before(async () => {
      context = await newContext(browser, { javaScriptEnabled: javaScript });
      page = await context.newPage();
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
    });
    after(async () => {
      await context?.close();
    });

    /** Presses the form's submit button and checks the page it leads to (the raw response, as served). */
    async function submitAndCheck(where: string, button = page.locator('form[method="post"] button[type="submit"]')): Promise<void> {
      const [response] = await Promise.all([page.waitForNavigation(), button.click()]);
      assert.ok(response, where);
      assertNoProblems(await checkPage(page, await response.text(), where));
    }

    async function check(path: string, status = 200): Promise<void> {
      const response = await page.goto(server.url + path);
      assert.ok(response);
      assert.equal(response.status(), status, path);
      assertNoProblems(await checkPage(page, await response.text(), path));
    }

    test('a hostile contribution by keyboard and buttons: confirmed from the message, shown inert', async () => {
      const email = `hostile-${javaScript ? 'on' : 'off'}@example.org`;
      await page.goto(`${server.url}/en${C}/contribute`);
      await page.getByLabel('Name or pseudonym *').fill(HOSTILE_NAME);
      await page.getByLabel('E-mail address *').fill(email);
      await page.getByLabel('Your comment *').fill(HOSTILE_TEXT);
      // Refused first (no consent): everything typed is still there.
      await submitAndCheck('the refused form', page.getByRole('button', { name: 'Send the comment' }));
      assert.equal(await page.getByLabel('Name or pseudonym *').inputValue(), HOSTILE_NAME);
      assert.equal(await page.getByLabel('Your comment *').inputValue(), HOSTILE_TEXT);
      await page.getByLabel(/I have read the privacy notice/).check();
      await page.getByLabel('Your comment *').press('Tab');
      await page.getByRole('button', { name: 'Send the comment' }).click();
      await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();

      const confirm = await latestLink(email, /https?:\/\/\S+\/contributions\/confirm\/[A-Za-z0-9_-]+/);
      await page.goto(server.url + confirm);
      await page.getByRole('button', { name: 'Confirm my contribution' }).click();
      await page.getByRole('heading', { name: /your contribution is confirmed/ }).waitFor();
      const row = await pdb(server.db).selectFrom('contributions').select(['id', 'status']).where('email', '=', email).executeTakeFirstOrThrow();
      assert.equal(row.status, 'published');

      // The flag page quotes it: shown as text, nothing runs.
      await check(`/en${C}/contributions/${row.id}/flag`);
      assert.ok((await page.content()).includes('&lt;script&gt;alert(2)&lt;/script&gt;') || (await page.content()).includes('&lt;script>alert(2)&lt;/script>'));
      assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script on the page');
      assert.equal(await page.locator('img[src="x"], svg[onload]').count(), 0);
      assert.deepEqual(dialogs, [], 'nothing typed ran');
    });

    if (javaScript) {
      for (const locale of LOCALES) {
        test(`every contribution page passes axe-core and html-validate (${locale})`, async () => {
          await check(`/${locale}${C}/contribute`);
          await check(`/${locale}${C}/contribute?kind=proposal`);
          await check(`/${locale}${C}/contribute/sent`);
          await check(`/${locale}/gjakova/consultations/closed-call/contribute`);
          const email = `pages-${locale}@example.org`;
          await page.goto(`${server.url}/${locale}${C}/contribute`);
          await page.locator('#field-email').fill(email);
          await page.locator('#field-author_name').fill('Besa');
          await page.locator('#field-body').fill('x'.repeat(5001));
          await page.locator('#field-consent').check();
          await submitAndCheck(`the refused form (${locale})`);
          await page.locator('#field-body').fill('A short text');
          await page.locator('form[method="post"] button[type="submit"]').click();
          await page.waitForURL(/\/contribute\/sent$/);
          const confirm = await latestLink(email, /https?:\/\/\S+\/contributions\/confirm\/[A-Za-z0-9_-]+/);
          const erase = await latestLink(email, /https?:\/\/\S+\/privacy\/erase\/[A-Za-z0-9_-]+/);
          await check(confirm.replace(/^\/[^/]+/, `/${locale}`));
          await check(erase.replace(/^\/[^/]+/, `/${locale}`));
          await check(`/${locale}/contributions/confirm/no-such-token`, 410);
          await page.goto(server.url + confirm.replace(/^\/[^/]+/, `/${locale}`));
          await submitAndCheck(`the confirmed page (${locale})`);
          assert.match(page.url(), /\/confirmed$/);
          const row = await pdb(server.db).selectFrom('contributions').select('id').where('email', '=', email).executeTakeFirstOrThrow();
          await check(`/${locale}${C}/contribute?reply=${row.id}`);
          await check(`/${locale}${C}/contributions/${row.id}/flag`);
          await submitAndCheck(`the refused flag (${locale})`);
          await page.locator('#field-reason').selectOption('off_topic');
          await submitAndCheck(`the flag thanks (${locale})`);
          assert.match(page.url(), /\/flag\/sent$/);
        });
      }
    }
  });
}
