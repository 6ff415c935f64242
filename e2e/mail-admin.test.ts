/**
 * The mail outbox page in a browser: axe-core and html-validate in every language, with queued,
 * failed and sent messages; "retry now" works with JavaScript disabled.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createFirstAdministrator, createSetupToken } from '../src/modules/accounts/commands.js';
import { enqueueMail } from '../src/modules/mail/index.js';
import { assertNoProblems, checkPage, launchBrowser, LOCALES, newContext } from './browser.js';
import { startServer, type TestServer } from './server.js';

let server: TestServer;
let browser: Browser;
let session: string;

before(async () => {
  server = await startServer({ demo: false });
  browser = await launchBrowser();
  const setup = await createSetupToken(server.db);
  session = await createFirstAdministrator(server.db, setup, { email: 'admin@example.org', displayName: 'Admin', password: 'correct horse battery staple' });
  await enqueueMail(server.db, { to: 'queued@example.org', subject: 'Ftesë për Besa', text: 'Hello' });
  await enqueueMail(server.db, { to: 'failed@example.org', subject: 'Rivendosja e fjalëkalimit', text: 'Link' });
  await enqueueMail(server.db, { to: 'sent@example.org', subject: 'Kujtesë', text: 'Due' });
  const [, failed, sent] = await server.db.selectFrom('mail_outbox').select('id').orderBy('id').execute();
  await server.db.updateTable('mail_outbox').set({ status: 'failed', attempts: 8, last_error: 'connect ECONNREFUSED 127.0.0.1:25' }).where('id', '=', failed!.id).execute();
  await server.db.updateTable('mail_outbox').set({ status: 'sent', attempts: 1, sent_at: new Date().toISOString(), text_body: '' }).where('id', '=', sent!.id).execute();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the outbox page passes axe-core and html-validate in every language', async () => {
  const context = await newContext(browser);
  await context.addCookies([{ name: 'besa_session', value: session, url: server.url }]);
  const page = await context.newPage();
  const problems: string[] = [];
  for (const locale of LOCALES) {
    for (const path of [`/${locale}/admin/mail`, `/${locale}/admin/mail?status=sent`]) {
      const response = await page.goto(`${server.url}${path}`);
      assert.equal(response?.status(), 200, path);
      problems.push(...(await checkPage(page, await response!.text(), path)));
    }
  }
  await context.close();
  assertNoProblems(problems);
});

test('retry now works with JavaScript disabled', async () => {
  const context = await newContext(browser, { javaScriptEnabled: false });
  await context.addCookies([{ name: 'besa_session', value: session, url: server.url }]);
  const page = await context.newPage();
  await page.goto(`${server.url}/en/admin/mail`);
  await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: /Retry now/ }).click()]);
  await page.waitForLoadState('load');
  assert.equal(page.url(), `${server.url}/en/admin/mail`);
  assert.match(await page.locator('.flash').innerText(), /queued again/);
  assert.equal(await page.getByRole('button', { name: /Retry now/ }).count(), 0);
  await context.close();
});
