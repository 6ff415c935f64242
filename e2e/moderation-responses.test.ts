/**
 * The moderation queue and the reasoned responses in the browser, JavaScript on and off: the
 * moderator finds the queue from the admin home, is refused a hide without a reason (422, error
 * summary, what was typed kept), hides with a reason and restores; the coordinator answers every
 * contribution of the closed consultation (once refused: reasons missing), is refused publishing (no
 * button, the reason said) while one has no outcome, then publishes behind
 * the confirmation; the CSV follows. Every admin page of this part is checked with
 * axe-core and html-validate in every locale.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { hashPassword } from '../src/modules/accounts/index.js';
import { insertTestConsultation, insertTestContribution } from '../test/response-fixture.js';
import { assertNoProblems, checkPage, htmlErrors, launchBrowser, LOCALES, newContext } from './browser.js';
import { fillForm, followLink, navigation, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

const L = 'en';
const ADMIN = `/${L}/admin`;
const QUEUE = `${ADMIN}/moderation`;
const RESPONSES = `${ADMIN}/jurisdictions/gjakova/consultations/e2e-call/responses`;
const MODERATOR = { email: 'moderator.e2e@example.org', password: 'a long enough passphrase' };
const COORDINATOR = { email: 'coordinator.e2e@example.org', password: 'another long passphrase' };

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
const done = new Set<string>();
const ids = { published: 0, pending: 0 };

before(async () => {
  server = await startServer();
  const db = server.db;
  const now = new Date().toISOString();
  const gjakova = await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
  const plan = await db.selectFrom('action_plans').select('id').where('jurisdiction_id', '=', gjakova.id).executeTakeFirstOrThrow();
  for (const [person, role] of [
    [MODERATOR, 'moderator'],
    [COORDINATOR, 'coordinator'],
  ] as const) {
    const user = await db.insertInto('users').values({ email: person.email, display_name: role, password_hash: await hashPassword(person.password), created_at: now }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('user_roles').values({ user_id: user.id, role, jurisdiction_id: gjakova.id, institution_id: null }).execute();
  }
  const consultation = await insertTestConsultation(db, { jurisdictionId: gjakova.id, slug: 'e2e-call', planId: plan.id, closesOn: '2024-03-01' });
  ids.published = await insertTestContribution(db, { consultationId: consultation, body: 'Publish the budget <script>alert(1)</script> monthly.', locale: 'sq', email: 'arta.e2e@example.org' });
  ids.pending = await insertTestContribution(db, { consultationId: consultation, status: 'pending', flags: ['Spam', 'Off topic', 'Rude'], body: 'A flagged comment.', locale: 'fr', email: 'camille.e2e@example.org', authorName: 'Camille' });
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

async function session(person: { email: string; password: string }, javaScript = true): Promise<Page> {
  const context = await newContext(browser, { javaScriptEnabled: javaScript });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${server.url}/${L}/login`);
  await fillForm(page, person);
  const home = await submitForm(page, 'password');
  assert.equal(home.status(), 200);
  return page;
}

async function check(page: Page, response: Response, label: string, javaScript = true): Promise<void> {
  const html = await response.text();
  if (javaScript) problems.push(...(await checkPage(page, html, `${label} (status ${response.status()})`)));
  else {
    const errors = await htmlErrors(html);
    if (errors.length) problems.push(`${label}: ${errors.join('; ')}`);
  }
}

function requires(t: TestContext, ...steps: string[]): boolean {
  const missing = steps.filter((s) => !done.has(s));
  if (missing.length) t.skip(`needs the earlier step(s): ${missing.join(', ')}`);
  return missing.length === 0;
}

describe('moderation and responses in the browser', () => {
  test('the moderator finds the queue from the admin home; the queue passes axe and html-validate in every locale', async () => {
    const page = await session(MODERATOR);
    const queue = await followLink(page, QUEUE);
    assert.equal(queue.status(), 200);
    assert.match(await page.locator('main').innerText(), /Flagged 3 times, because:/);
    assert.ok(!(await queue.text()).includes('@example.org'), 'no address on the queue');
    for (const locale of LOCALES) {
      const response = await page.goto(`${server.url}/${locale}/admin/moderation`);
      assert.ok(response);
      await check(page, response, `queue (${locale})`);
    }
    done.add('queue');
  });

  test('JavaScript off: hiding without a reason is refused (422) with the error summary; with a reason it is hidden; restore publishes again', async (t) => {
    if (!requires(t, 'queue')) return;
    const page = await session(MODERATOR, false);
    await page.goto(server.url + QUEUE);
    const field = `reason_${ids.published}`;
    const refused = await submitForm(page, field);
    assert.equal(refused.status(), 422);
    await check(page, refused, 'queue with an error', false);
    assert.ok((await page.locator(`main [role="alert"] a[href="#field-${field}"]`).count()) > 0);
    await fillForm(page, { [field]: 'Contains a link to an advert.' });
    const hidden = await submitForm(page, field);
    assert.equal(hidden.status(), 200);
    assert.match(await page.locator('main').innerText(), /Hidden because: Contains a link to an advert\./);
    const mail = await server.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'arta.e2e@example.org').execute();
    assert.equal(mail.length, 1);
    assert.match(mail[0]!.subject, /Kontributi juaj u fsheh/, 'in the language the author wrote in');
    const restore = await navigation(page, () => page.locator(`main form[action="${QUEUE}/${ids.published}/approve"] button`).click());
    assert.equal(restore.status(), 200);
    await check(page, restore, 'queue after restoring', false);
    assert.match(await page.locator('main').innerText(), /restored and published again/);
    done.add('hidden');
  });

  test('JavaScript on, by keyboard: the flagged contribution is approved', async (t) => {
    if (!requires(t, 'queue')) return;
    const page = await session(MODERATOR);
    await page.goto(server.url + QUEUE);
    const button = page.locator(`main form[action="${QUEUE}/${ids.pending}/approve"] button`);
    await button.focus();
    const approved = await navigation(page, () => page.keyboard.press('Enter'));
    assert.equal(approved.status(), 200);
    assert.match(await page.locator('main').innerText(), /No contribution waits for a moderator/);
    done.add('approved');
  });

  test('the coordinator answers every contribution (once refused), publishing refused until then, then published behind the confirmation', async (t) => {
    if (!requires(t, 'approved')) return;
    const page = await session(COORDINATOR);
    const list = await followLink(page, RESPONSES);
    assert.equal(list.status(), 200);
    await check(page, list, 'responses');
    assert.match(await page.locator('main').innerText(), /0 of 2 contributions answered \(0%\)/);
    const form = await followLink(page, `${RESPONSES}/${ids.published}`);
    await check(page, form, 'response form');
    await fillForm(page, { outcome: 'partly_accepted' });
    const refused = await submitForm(page, 'reasons');
    assert.equal(refused.status(), 422);
    await check(page, refused, 'response form with errors');
    assert.equal(await page.locator('main form [name="outcome"]').inputValue(), 'partly_accepted', 'the outcome is kept');
    await fillForm(page, { reasons: 'Quarterly rather than monthly.' });
    const saved = await submitForm(page, 'reasons');
    assert.equal(saved.status(), 200);
    // Not all answered: the responses page says why the table cannot be published, and offers no publish button.
    await check(page, saved, 'responses with publishing refused');
    assert.equal(await page.locator(`main form[action="${RESPONSES}/publish"]`).count(), 0, 'no publish button yet');
    assert.match(await page.locator('main #publish-blocked').innerText(), /1 contribution has no outcome yet \(of 2\)/);
    await page.goto(`${server.url}${RESPONSES}/${ids.pending}`);
    await fillForm(page, { outcome: 'out_of_scope', reasons: 'Not about this plan.' });
    assert.equal((await submitForm(page, 'reasons')).status(), 200);
    const ready = await navigation(page, () => page.locator(`main form[action="${RESPONSES}/publish"] button`).click());
    await check(page, ready, 'publishing confirmation');
    const published = await navigation(page, () => page.locator('main form [name="confirm"]').locator('xpath=..').locator('button').click());
    assert.equal(published.status(), 200);
    assert.match(await page.locator('main').innerText(), /response table published/);
    for (const locale of LOCALES) {
      for (const path of [RESPONSES, `${RESPONSES}/${ids.published}`]) {
        const response = await page.goto(server.url + path.replace(`/${L}/`, `/${locale}/`));
        assert.ok(response);
        await check(page, response, `${path} (${locale})`);
      }
    }
    const csv = await page.request.get(`${server.url}/fr/gjakova/consultations/e2e-call/responses.csv`);
    assert.equal(csv.status(), 200);
    const text = await csv.text();
    assert.ok(text.startsWith('\uFEFFNuméro,Type,Thème,Auteur'));
    assert.match(text, /Acceptée en partie/);
    assert.ok(!text.includes('@'));
    done.add('published');
  });

  test('no accessibility or HTML problem on any page visited', () => {
    assertNoProblems(problems);
  });
});
