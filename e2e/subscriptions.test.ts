/**
 * Following a commitment by e-mail, in the browser, with JavaScript on (English) and off (Albanian):
 * from the commitment page's "Follow by e-mail" link to the form (once refused: no consent and a
 * hostile address, shown escaped with what was typed kept), the confirmation message read from the
 * mail folder, its page (a button: opening the link confirms nothing), the manage page, a published
 * update arriving in the chosen language with List-Unsubscribe headers, and unsubscribing from the
 * page the header names. Every page visited passes axe-core (with JavaScript) and html-validate, and
 * shows no address.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { clearMailbox, deliverToMailbox } from '../src/modules/mail/index.js';
import { deliverImmediateNotices, notifySubscribers } from '../src/modules/subscriptions/index.js';
import { sdb } from '../src/modules/subscriptions/tables.js';
import { assertNoProblems, checkPage, htmlErrors, launchBrowser, newContext } from './browser.js';
import { fillForm, followLink, navigation, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

const COMMITMENT = '/gjakova/plans/2024-2025/commitments/XKGJA0001';
const PUBLIC_URL = 'https://besa.example.org';

let server: TestServer;
let browser: Browser;
let mailDir: string;
const contexts: BrowserContext[] = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mailDir = mkdtempSync(join(tmpdir(), 'besa-e2e-subscriptions-'));
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
  if (mailDir) rmSync(mailDir, { recursive: true, force: true });
});

/** The path (and query) of an absolute link in a message, on the test server. */
function onServer(link: string): string {
  const url = new URL(link);
  return `${server.url}${url.pathname}${url.search}`;
}

for (const { locale, javaScript, email, words } of [
  { locale: 'en', javaScript: true, email: 'browser.follower@example.net', words: { follow: 'Follow by e-mail', update: 'Progress update', unsubscribed: 'You are unsubscribed' } },
  { locale: 'sq', javaScript: false, email: 'ndjekes.pa.js@example.net', words: { follow: 'Ndiqeni me email', update: 'Raport i progresit', unsubscribed: 'Jeni çabonuar' } },
] as const) {
  describe(`following a commitment by e-mail [${locale}, JavaScript ${javaScript ? 'on' : 'off'}]`, () => {
    let page: Page;
    const problems: string[] = [];

    before(async () => {
      const context = await newContext(browser, { javaScriptEnabled: javaScript });
      contexts.push(context);
      page = await context.newPage();
    });

    async function check(response: Response, label: string, status = 200): Promise<string> {
      assert.equal(response.status(), status, `${label}: ${response.status()}`);
      const html = await response.text();
      // axe-core runs in the page: without JavaScript, the HTML is checked alone (html-validate).
      if (javaScript) problems.push(...(await checkPage(page, html, `${label} [${locale}]`)));
      else {
        const errors = await htmlErrors(html);
        if (errors.length) problems.push(`${errors.length} HTML error(s) on ${label} [${locale}]:\n  ${errors.join('\n  ')}`);
      }
      assert.ok(!html.includes(email), `${label} shows the address`);
      return html;
    }

    test('subscribe from the commitment page, confirm from the message, hear of an update, unsubscribe', async () => {
      const commitment = await navigation(page, () => page.goto(`${server.url}/${locale}${COMMITMENT}`));
      assert.equal(commitment.status(), 200);
      const gjakova = await server.db
        .selectFrom('commitments')
        .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
        .select(['commitments.id', 'jurisdictions.id as jurisdictionId'])
        .where('jurisdictions.slug', '=', 'gjakova')
        .where('commitments.code', '=', 'XKGJA0001')
        .executeTakeFirstOrThrow();
      const href = `/${locale}/subscriptions/new?topic=commitment:${gjakova.id}`;
      assert.equal(await page.locator(`main a[href="${href}"]`).first().innerText(), words.follow);
      await check(await followLink(page, href), 'the subscription form');

      // Refused: no consent, and an address that is not one. What was typed comes back, escaped.
      const hostile = '<img src=x onerror=alert(1)>@example.net';
      await fillForm(page, { email: hostile, frequency: 'daily', locale: 'fr' });
      const refused = await check(await submitForm(page, 'email'), 'the refused form', 422);
      assert.ok(refused.includes('class="error-summary"'));
      assert.equal(await page.locator('#field-email').inputValue(), hostile);
      assert.equal(await page.locator('#field-frequency').inputValue(), 'daily');
      assert.equal(await page.locator('img[src="x"]').count(), 0, 'no element made of the input');

      await fillForm(page, { email, frequency: 'immediate', locale, consent: ['yes'] });
      await check(await submitForm(page, 'email'), 'the page after subscribing');
      assert.ok(page.url().endsWith(`/${locale}/subscriptions/sent`));

      await clearMailbox(mailDir);
      const [confirmation] = (await deliverToMailbox(server.db, mailDir)).filter((m) => m.to === email);
      assert.ok(confirmation, 'a confirmation message in the mail folder');
      const link = new RegExp(`https?://\\S+/${locale}/subscriptions/confirm/[A-Za-z0-9_-]+`).exec(confirmation.text)?.[0];
      assert.ok(link, confirmation.text);
      await check(await navigation(page, () => page.goto(onServer(link))), 'the confirmation page');
      const row = () => sdb(server.db).selectFrom('subscriptions').select(['id', 'confirmed_at', 'locale']).where('email', '=', email).executeTakeFirst();
      assert.equal((await row())!.confirmed_at, null, 'opening the link confirms nothing');
      const manage = await check(await navigation(page, () => page.locator('main form button[type="submit"]').click()), 'the manage page');
      assert.ok(manage.includes('class="flash"'));
      assert.ok((await row())!.confirmed_at, 'confirmed by the button');

      // An update is published: the follower hears of it in their language, with one-click unsubscribe.
      await server.db.transaction().execute((trx) =>
        notifySubscribers(trx, {
          jurisdictionId: gjakova.jurisdictionId,
          topics: [{ type: 'commitment', id: gjakova.id }],
          kind: 'update',
          title: { en: 'XKGJA0001 Budget published monthly', sq: 'XKGJA0001 Buxheti publikohet çdo muaj' },
          path: COMMITMENT,
          isDemo: false,
        }),
      );
      await deliverImmediateNotices(server.db, { publicUrl: PUBLIC_URL });
      await clearMailbox(mailDir);
      const [message] = (await deliverToMailbox(server.db, mailDir)).filter((m) => m.to === email);
      assert.ok(message, 'the notification');
      assert.ok(message.subject.startsWith(words.update), message.subject);
      assert.ok(message.text.includes(`${PUBLIC_URL}/${locale}${COMMITMENT}`));
      assert.equal(message.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
      const unsubscribeLink = /^<(https:\/\/\S+)>$/.exec(message.headers['list-unsubscribe'] ?? '')?.[1];
      assert.ok(unsubscribeLink);

      await check(await navigation(page, () => page.goto(onServer(unsubscribeLink))), 'the unsubscribe page');
      assert.equal(await page.locator('html').getAttribute('lang'), locale, 'in the subscriber’s language');
      const done = await check(await navigation(page, () => page.locator('main form button[type="submit"]').click()), 'unsubscribed');
      assert.ok(done.includes(words.unsubscribed));
      assert.equal(await row(), undefined, 'the subscription and its address are deleted');
      assertNoProblems(problems);
    });
  });
}
