/**
 * Consultations in the browser: the public list and pages in every locale (axe-core and
 * html-validate), then a coordinator prepares a consultation (once with mistakes: 422, the error
 * summary, everything typed kept), is warned of its short notice, attaches a document, publishes it
 * behind a confirmation, and a citizen finds it on the public list, with JavaScript on and off.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { hashPassword } from '../src/modules/accounts/index.js';
import { assertNoProblems, checkPage, htmlErrors, launchBrowser, LOCALES, newContext } from './browser.js';
import { fillForm, navigation, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

const L = 'en';
const ADMIN = `/${L}/admin/jurisdictions/gjakova/consultations`;
const COORDINATOR = { email: 'consultations.coordinator@example.org', password: 'a long enough passphrase' };
const PUBLIC = ['/gjakova/consultations', '/gjakova/consultations/co-creation-2024', '/gjakova/consultations/digital-services-demo', '/gjakova/consultations/waste-collection-demo'];
const SLUG = 'market-square-2027';
const TITLE = 'The new market square';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page;
const problems: string[] = [];
const done = new Set<string>();

before(async () => {
  server = await startServer();
  const db = server.db;
  const now = new Date().toISOString();
  const gjakova = await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({ email: COORDINATOR.email, display_name: 'Plan Coordinator', password_hash: await hashPassword(COORDINATOR.password), created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ user_id: user.id, role: 'coordinator', jurisdiction_id: gjakova.id, institution_id: null }).execute();
  browser = await launchBrowser();
  const context = await newContext(browser);
  contexts.push(context);
  page = await context.newPage();
});

after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

function pathOf(p: Page = page): string {
  const url = new URL(p.url());
  return url.pathname + url.search;
}

async function check(p: Page, response: Response, label: string): Promise<void> {
  problems.push(...(await checkPage(p, await response.text(), `${label} (${pathOf(p)}, status ${response.status()})`)));
}

async function open(p: Page, path: string, label: string): Promise<Response> {
  const response = await p.goto(server.url + path);
  assert.ok(response);
  assert.equal(response.status(), 200, `GET ${path}`);
  await check(p, response, label);
  return response;
}

function requires(t: TestContext, ...steps: string[]): boolean {
  const missing = steps.filter((s) => !done.has(s));
  if (missing.length) t.skip(`needs the earlier step(s): ${missing.join(', ')}`);
  return missing.length === 0;
}

describe('consultations: public pages and administration', () => {
  test('the public list and pages pass axe-core and html-validate in every locale; the open consultation comes first', async () => {
    for (const locale of LOCALES) {
      for (const path of PUBLIC) await open(page, `/${locale}${path}`, `${path} (${locale})`);
    }
    await open(page, `/${L}/gjakova/consultations`, 'list');
    const headings = await page.locator('main h2').allInnerTexts();
    assert.equal(headings[0], 'Open now');
    assert.match(await page.locator('main').innerText(), /Which municipal services should go online first\?/);
    await open(page, `/${L}/gjakova/consultations/co-creation-2024`, 'co-creation');
    const text = await page.locator('main').innerText();
    assert.match(text, /Groups consulted\s+6/);
    assert.match(text, /Public meetings held\s+15/);
    assert.match(text, /Notice period\s+not known: the source gives no days/);
    assertNoProblems(problems.splice(0));
  });

  test('the coordinator signs in and opens the consultations of Gjakova', async () => {
    await open(page, `/${L}/login`, 'login');
    await fillForm(page, COORDINATOR);
    const home = await submitForm(page, 'password');
    assert.equal(home.status(), 200);
    const list = await open(page, ADMIN, 'consultations admin');
    assert.equal(list.status(), 200);
    assert.match(await page.locator('main').innerText(), /Call for public consultation on drafting a local action plan/);
    done.add('signed-in');
    assertNoProblems(problems.splice(0));
  });

  test('a consultation with mistakes answers 422 with an error summary and keeps what was typed; corrected, it is saved as a draft with a short-notice warning', async (t) => {
    if (!requires(t, 'signed-in')) return;
    await open(page, `${ADMIN}/new`, 'new consultation');
    const typed = { slug: 'Market Square!', title: TITLE, summary: 'Where should the stalls go?', opens_on: '2027-04-10', closes_on: '2027-04-01' };
    await fillForm(page, { ...typed, subject: 'plan' });
    const refused = await submitForm(page, 'slug');
    assert.equal(refused.status(), 422);
    await check(page, refused, 'new consultation with errors');
    const summary = page.locator('main [role="alert"]').first();
    for (const field of ['slug', 'plan_id', 'closes_on']) assert.ok((await summary.locator(`a[href="#field-${field}"]`).count()) > 0, `the summary links to ${field}`);
    for (const [name, value] of Object.entries(typed)) assert.equal(await page.locator(`main form [name="${name}"]`).first().inputValue(), value, `${name} is kept`);

    await fillForm(page, { slug: SLUG, subject: 'topic', opens_on: '2027-04-01', closes_on: '2027-04-07' });
    const saved = await submitForm(page, 'slug');
    assert.equal(saved.status(), 200);
    assert.equal(pathOf(), `${ADMIN}/${SLUG}/edit`);
    await check(page, saved, 'consultation edit');
    assert.match(await page.locator('main').innerText(), /Short notice\./);
    assert.equal((await page.goto(`${server.url}/${L}/gjakova/consultations/${SLUG}`))?.status(), 404, 'a draft is not public');
    done.add('draft');
    assertNoProblems(problems.splice(0));
  });

  test('a document is attached, and the consultation is published after a confirmation', async (t) => {
    if (!requires(t, 'draft')) return;
    await open(page, `${ADMIN}/${SLUG}/edit`, 'consultation edit');
    await fillForm(page, { document_title: 'Plan of the square', document_url: 'https://example.org/square.pdf' });
    const added = await submitForm(page, 'document_url');
    assert.equal(added.status(), 200);
    assert.match(await page.locator('main').innerText(), /Plan of the square/);
    const button = page.locator(`main form[action="${ADMIN}/${SLUG}/publish"] button`).first();
    const ask = await navigation(page, () => button.click());
    assert.equal(ask.status(), 200);
    await check(page, ask, 'publish confirmation');
    assert.match(await page.locator('h1').innerText(), /Publish/);
    const published = await submitForm(page, 'confirm');
    assert.equal(published.status(), 200);
    assert.equal(pathOf(), `${ADMIN}/${SLUG}/edit`);
    assert.match(await page.locator('main').innerText(), /Published on/);
    done.add('published');
    assertNoProblems(problems.splice(0));
  });

  test('a citizen finds it on the public list and page, with JavaScript on and off', async (t) => {
    if (!requires(t, 'published')) return;
    const citizen = await newContext(browser);
    contexts.push(citizen);
    const p = await citizen.newPage();
    await open(p, `/${L}/gjakova/consultations`, 'list with the new consultation');
    assert.match(await p.locator('main').innerText(), new RegExp(TITLE));
    await open(p, `/${L}/gjakova/consultations/${SLUG}`, 'the new consultation');
    const text = await p.locator('main').innerText();
    assert.match(text, /7 days/);
    assert.match(text, /shorter than the minimum notice of 15 days/);
    assert.ok((await p.locator('main a[href="https://example.org/square.pdf"]').count()) === 1);

    const noScript = await newContext(browser, { javaScriptEnabled: false });
    contexts.push(noScript);
    const q = await noScript.newPage();
    for (const path of [`/fr/gjakova/consultations`, `/fr/gjakova/consultations/${SLUG}`]) {
      const response = await q.goto(server.url + path);
      assert.equal(response?.status(), 200, path);
      const errors = await htmlErrors((await response?.text()) ?? '');
      assert.deepEqual(errors, [], path);
    }
    assert.match(await q.locator('main').innerText(), /Délai de consultation/);
    assertNoProblems(problems.splice(0));
  });
});
