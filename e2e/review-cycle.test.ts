/**
 * A monitoring review in the browser, on the seeded Gjakova plan with its demonstration data: a
 * monitoring member opens the administration, follows the start page's card to the plan's
 * reviews, writes the review of XKGJA0001 for cycle 1 (first refused: no assessment, the typed
 * findings kept; then saved) with JavaScript on, adds a recommendation with JavaScript off,
 * publishes the cycle's monitoring report through its confirmation page, and the public report
 * shows it in two languages. Every page visited passes axe-core and html-validate.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { insertSession } from '../src/modules/accounts/index.js';
import { vdb } from '../src/modules/reviews/tables.js';
import { checkPage, launchBrowser, newContext } from './browser.js';
import { fillForm, followLink, navigation, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

const A = '/en/admin';
const MON = `${A}/jurisdictions/gjakova/plans/2024-2025/monitoring`;
const REVIEW = `${MON}/1/reviews/XKGJA0001`;
const FINDINGS = 'Two of four services are online; the others have no evidence yet.';
const RECOMMENDATION = 'Publish the list of services still on paper, with dates.';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let withJs: Page;
let withoutJs: Page;
const problems: string[] = [];

async function checked(page: Page, response: Response, where: string): Promise<void> {
  problems.push(...(await checkPage(page, await response.text(), where)));
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const now = new Date().toISOString();
  const jurisdiction = await server.db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
  const user = await server.db
    .insertInto('users')
    .values({ email: 'monitor@example.org', display_name: 'Arta Krasniqi', password_hash: 'x', created_at: now } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await server.db.insertInto('user_roles').values({ user_id: user.id, role: 'monitoring_member', jurisdiction_id: jurisdiction.id, institution_id: null }).execute();
  const session = await insertSession(server.db, user.id);
  for (const javaScriptEnabled of [true, false]) {
    const c = await newContext(browser, { javaScriptEnabled });
    await c.addCookies([{ name: 'besa_session', value: session, url: server.url }]);
    contexts.push(c);
  }
  withJs = await contexts[0]!.newPage();
  withoutJs = await contexts[1]!.newPage();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

test('a monitoring member enters a review and a recommendation, then publishes the report', async () => {
  const home = await navigation(withJs, () => withJs.goto(`${server.url}${A}`));
  assert.equal(home.status(), 200);
  await checked(withJs, home, 'the administration start page');
  let response = await followLink(withJs, MON);
  assert.equal(response.status(), 200);
  await checked(withJs, response, 'the reviews of the plan');
  response = await followLink(withJs, `${MON}/1`);
  assert.equal(response.status(), 200);
  response = await followLink(withJs, REVIEW);
  assert.equal(response.status(), 200);
  await checked(withJs, response, 'the review form');

  // Refused: no assessment chosen. The findings typed are kept, the summary links to the radio group.
  await fillForm(withJs, { completion: 'limited', findings_en: FINDINGS });
  response = await submitForm(withJs, 'findings_en');
  assert.equal(response.status(), 422);
  await checked(withJs, response, 'the review form with its errors');
  assert.ok((await withJs.locator('main .error-summary a[href="#field-assessment"]').count()) > 0, 'the error summary links to the assessment');
  assert.equal(await withJs.locator('main [name="findings_en"]').inputValue(), FINDINGS);

  await fillForm(withJs, { assessment: 'major_delays', completion: 'limited', verifiability: 'verifiable', links: 'https://gjakovaportal.rks-gov.net/' });
  response = await submitForm(withJs, 'findings_en');
  assert.equal(response.status(), 200);
  assert.equal(new URL(withJs.url()).pathname, REVIEW);
  assert.match(await withJs.locator('main').innerText(), /The review is saved/);
  const review = await vdb(server.db).selectFrom('reviews').selectAll().where('assessment', '=', 'major_delays').executeTakeFirstOrThrow();
  assert.equal(review.status, 'draft');

  // The recommendation, without JavaScript: the forms are server-rendered.
  response = await navigation(withoutJs, () => withoutJs.goto(`${server.url}${REVIEW}`));
  assert.equal(response.status(), 200);
  await fillForm(withoutJs, { text_en: RECOMMENDATION, due_on: '2026-03-31' });
  response = await submitForm(withoutJs, 'text_en');
  assert.equal(response.status(), 200);
  assert.ok((await withoutJs.locator('main li.recommendation', { hasText: RECOMMENDATION }).count()) > 0, 'the recommendation is listed under the review');

  // Not public yet.
  const before = await withJs.request.get(`${server.url}/en/gjakova/plans/2024-2025/monitoring/1`);
  assert.equal(before.status(), 404);

  // Publish: the cycle page's form leads to a confirmation page, whose button publishes.
  response = await navigation(withJs, () => withJs.goto(`${server.url}${MON}/1`));
  await fillForm(withJs, { summary_en: 'The first cycle, reviewed.' });
  response = await submitForm(withJs, 'summary_en');
  assert.equal(response.status(), 200);
  await checked(withJs, response, 'the publishing confirmation');
  assert.match(await withJs.locator('main').innerText(), /Confirm: publish the monitoring report/);
  response = await submitForm(withJs, 'confirm');
  assert.equal(response.status(), 200);
  assert.match(await withJs.locator('main').innerText(), /The monitoring report is published/);

  for (const [locale, label] of [
    ['en', 'Major delays'],
    ['fr', 'Retards importants'],
  ] as const) {
    response = await navigation(withJs, () => withJs.goto(`${server.url}/${locale}/gjakova/plans/2024-2025/monitoring/1`));
    assert.equal(response.status(), 200);
    await checked(withJs, response, `the published report (${locale})`);
    const text = await withJs.locator('main').innerText();
    assert.ok(text.includes(label), `${locale}: the assessment in words`);
    assert.ok(text.includes(RECOMMENDATION), `${locale}: the recommendation`);
  }
  assert.deepEqual(problems, []);
});
