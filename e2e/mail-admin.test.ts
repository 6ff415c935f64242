/**
 * The mail outbox page in a browser: axe-core and html-validate in every language, with queued,
 * failed and sent messages, for the instance-wide administrator and for the administrator of
 * Gjakova (who sees only the messages to Gjakova's people); "retry now" works with JavaScript disabled.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createFirstAdministrator, createSetupToken } from '../src/modules/accounts/commands.js';
import { insertSession } from '../src/modules/accounts/index.js';
import { enqueueMail } from '../src/modules/mail/index.js';
import { assertNoProblems, checkPage, launchBrowser, LOCALES, newContext } from './browser.js';
import { startServer, type TestServer } from './server.js';

let server: TestServer;
let browser: Browser;
let session: string;
/** The administrator of Gjakova only. */
let gjakovaSession: string;

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

  const now = new Date().toISOString();
  const gjakova = await server.db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
  const person = async (email: string, role: string) => {
    const user = await server.db.insertInto('users').values({ email, display_name: email.split('@')[0] ?? email, password_hash: 'x', created_at: now } as never).returning('id').executeTakeFirstOrThrow();
    await server.db.insertInto('user_roles').values({ user_id: user.id, role, jurisdiction_id: gjakova.id, institution_id: null }).execute();
    return user.id;
  };
  gjakovaSession = await insertSession(server.db, await person('gjakova.admin@example.org', 'administrator'));
  await person('gjakova.coordinator@example.org', 'coordinator');
  await enqueueMail(server.db, { to: 'gjakova.coordinator@example.org', subject: 'Kujtesë për Gjakovën', text: 'Due' });
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

test("the administrator of Gjakova sees only Gjakova people's messages; the page passes axe-core and html-validate in every language", async () => {
  const context = await newContext(browser);
  await context.addCookies([{ name: 'besa_session', value: gjakovaSession, url: server.url }]);
  const page = await context.newPage();
  const problems: string[] = [];
  for (const locale of LOCALES) {
    const path = `/${locale}/admin/mail`;
    const response = await page.goto(`${server.url}${path}`);
    assert.equal(response?.status(), 200, path);
    problems.push(...(await checkPage(page, await response!.text(), path)));
    assert.equal(await page.locator('tbody tr').count(), 1, `${path}: one message`);
  }
  await page.goto(`${server.url}/en/admin/mail`);
  assert.match(await page.locator('tbody').innerText(), /Kujtesë për Gjakovën/);
  assert.match(await page.locator('main').innerText(), /these jurisdictions: Gjakova \(/);
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
