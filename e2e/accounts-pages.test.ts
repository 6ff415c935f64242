/**
 * The account and administration pages of the accounts, mail and reporting modules in a browser,
 * in English and in Serbian Cyrillic: axe-core (WCAG 2.x A/AA and best practices) and
 * html-validate on each, including their forms with errors; a wrong password keeps the e-mail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { createFirstAdministrator, createSetupToken, inviteUser } from '../src/modules/accounts/commands.js';
import { generateCycles } from '../src/modules/reporting/commands.js';
import { SYSTEM } from '../src/modules/audit/index.js';
import { assertNoProblems, checkPage, launchBrowser, newContext } from './browser.js';
import { fillForm, navigation, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

const LOCALES = ['en', 'sr-Cyrl'] as const;
const J = 'gjakova';
const PLAN = '2024-2025';
const CODE = 'XKGJA0001';
const ADMIN = { email: 'admin@example.org', password: 'correct horse battery staple' };

let server: TestServer;
let browser: Browser;
let session: string;
let invitationToken: string;
const contexts: BrowserContext[] = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const setup = await createSetupToken(server.db);
  session = await createFirstAdministrator(server.db, setup, { email: ADMIN.email, displayName: 'Arta Krasniqi', password: ADMIN.password });
  const plan = await server.db
    .selectFrom('action_plans')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['action_plans.id', 'jurisdictions.id as jurisdiction_id'])
    .where('jurisdictions.slug', '=', J)
    .where('action_plans.slug', '=', PLAN)
    .executeTakeFirstOrThrow();
  await generateCycles(server.db, SYSTEM, plan.id);
  const invited = await inviteUser(
    server.db,
    SYSTEM,
    { email: 'invited@example.org', role: 'coordinator', jurisdictionId: plan.jurisdiction_id, institutionId: null },
    { publicUrl: server.url, locale: 'en' },
  );
  invitationToken = invited.path.split('/').at(-1)!;
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function page(signedIn: boolean): Promise<Page> {
  const c = await newContext(browser);
  contexts.push(c);
  if (signedIn) await c.addCookies([{ name: 'besa_session', value: session, url: server.url }]);
  return c.newPage();
}

function pathOf(p: Page): string {
  const url = new URL(p.url());
  return url.pathname + url.search;
}

async function visit(p: Page, path: string, problems: string[], status = 200): Promise<Response> {
  const response = await navigation(p, () => p.goto(server.url + path));
  assert.equal(response.status(), status, `GET ${path}`);
  assert.equal(pathOf(p), path, `GET ${path} is not redirected`);
  problems.push(...(await checkPage(p, await response.text(), `${path} (status ${response.status()})`)));
  return response;
}

async function checkShown(p: Page, response: Response, label: string, problems: string[]): Promise<void> {
  problems.push(...(await checkPage(p, await response.text(), `${label} (${pathOf(p)}, status ${response.status()})`)));
}

for (const L of LOCALES) {
  describe(`account and admin pages in ${L}`, () => {
    test('signed-out pages: login, password reset request, invitation acceptance (and their forms with errors)', async () => {
      const problems: string[] = [];
      const p = await page(false);
      await visit(p, `/${L}/login`, problems);
      await visit(p, `/${L}/password-reset`, problems);
      await fillForm(p, { email: 'not an address' });
      let response = await submitForm(p, 'email');
      assert.equal(response.status(), 422, 'a bad address is refused');
      await checkShown(p, response, 'password reset request with an error', problems);
      await visit(p, `/${L}/invitations/${invitationToken}`, problems);
      await fillForm(p, { display_name: 'Someone', password: 'short' });
      response = await submitForm(p, 'display_name');
      assert.equal(response.status(), 422, 'a short password is refused');
      await checkShown(p, response, 'invitation acceptance with an error', problems);
      await visit(p, `/${L}/invitations/not-a-real-token`, problems, 410);
      assertNoProblems(problems);
    });

    test('a wrong password shows the error and keeps the e-mail', async () => {
      const problems: string[] = [];
      const p = await page(false);
      await visit(p, `/${L}/login`, problems);
      await fillForm(p, { email: ADMIN.email, password: 'not the password' });
      const response = await submitForm(p, 'password');
      assert.equal(response.status(), 422);
      await checkShown(p, response, 'login with a wrong password', problems);
      const summary = p.locator('main [role="alert"]').first();
      assert.ok((await summary.count()) > 0, 'an error summary is shown');
      assert.ok((await summary.locator('a[href="#field-email"]').count()) > 0, 'the summary links to the e-mail field');
      assert.equal(await p.locator('main form [name="email"]').inputValue(), ADMIN.email, 'the e-mail is kept');
      assert.equal(await p.locator('main form [name="password"]').inputValue(), '', 'the password is not sent back');
      assertNoProblems(problems);
    });

    test('admin pages: account, two-factor, people, invite, mail, reporting, cycles, update form', async () => {
      const problems: string[] = [];
      const p = await page(true);
      const cycles = `/${L}/admin/jurisdictions/${J}/plans/${PLAN}/cycles`;
      for (const path of [
        `/${L}/admin/account`,
        `/${L}/admin/account/two-factor`,
        `/${L}/admin/users`,
        `/${L}/admin/users/invite`,
        `/${L}/admin/mail`,
        `/${L}/admin/reporting`,
        cycles,
        `${cycles}/1`,
        `${cycles}/1/edit`,
        `${cycles}/1/updates/${CODE}`,
      ]) {
        await visit(p, path, problems);
      }
      // The invitation form with errors.
      await visit(p, `/${L}/admin/users/invite`, problems);
      await fillForm(p, { email: 'nobody', role: 'commitment_holder' });
      const response = await submitForm(p, 'email');
      assert.equal(response.status(), 422);
      await checkShown(p, response, 'invite form with errors', problems);
      assert.equal(await p.locator('main form [name="email"]').inputValue(), 'nobody', 'the typed address is kept');
      assertNoProblems(problems);
    });
  });
}

test('the two-factor setup page (secret shown) passes axe-core and html-validate', async () => {
  const problems: string[] = [];
  const p = await page(true);
  for (const L of LOCALES) {
    await visit(p, `/${L}/admin/account/two-factor`, problems);
    const start = p.locator(`main form[action="/${L}/admin/account/two-factor/start"] button[type="submit"]`);
    if ((await start.count()) > 0) {
      const response = await navigation(p, () => start.click());
      assert.equal(response.status(), 200);
      await checkShown(p, response, 'two-factor setup', problems);
    } else {
      await visit(p, `/${L}/admin/account/two-factor`, problems);
    }
    assert.ok((await p.locator('main form [name="code"]').count()) > 0, 'the setup asks for a code');
  }
  assertNoProblems(problems);
});
