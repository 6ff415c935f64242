/**
 * News in the browser, on the seeded Gjakova plan with its demonstration data: a coordinator writes
 * a press release (a refused form first), adds its Albanian text, publishes it behind the
 * confirmation page and the public sees it on the news page, the item page and the Atom feed;
 * a draft is generated from a period. Every page visited passes axe-core and html-validate, the
 * admin and public pages in every locale.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { insertSession } from '../src/modules/accounts/index.js';
import { assertNoProblems, checkPage, launchBrowser, LOCALES, newContext } from './browser.js';
import { fillForm, followLink, navigation, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

const J = 'gjakova';
const ADMIN = `/en/admin/jurisdictions/${J}/news`;

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let coordinator: Page;
let visitor: Page;
const problems: string[] = [];
let id = 0;

before(async () => {
  server = await startServer();
  const now = new Date().toISOString();
  const jurisdiction = await server.db.selectFrom('jurisdictions').select('id').where('slug', '=', J).executeTakeFirstOrThrow();
  await server.db.updateTable('jurisdictions').set({ time_zone: 'Europe/Belgrade' }).where('id', '=', jurisdiction.id).execute();
  const user = await server.db
    .insertInto('users')
    .values({ email: 'coordinator@gjakova.example.org', display_name: 'Information Office', password_hash: 'x', created_at: now } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await server.db.insertInto('user_roles').values({ user_id: user.id, role: 'coordinator', jurisdiction_id: jurisdiction.id, institution_id: null }).execute();
  browser = await launchBrowser();
  const c1 = await newContext(browser);
  const c2 = await newContext(browser);
  contexts.push(c1, c2);
  await c1.addCookies([{ name: 'besa_session', value: await insertSession(server.db, user.id), url: server.url }]);
  coordinator = await c1.newPage();
  visitor = await c2.newPage();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function open(page: Page, path: string, status = 200): Promise<string> {
  const response = await navigation(page, () => page.goto(server.url + path));
  assert.equal(response.status(), status, `GET ${path}`);
  const html = await response.text();
  problems.push(...(await checkPage(page, html, path)));
  return html;
}

async function submit(page: Page, field: string, values: Record<string, string>, status = 200): Promise<string> {
  await fillForm(page, values);
  const response = await submitForm(page, field);
  assert.equal(response.status(), status, `submitting the form with ${field} on ${page.url()}`);
  const html = await response.text();
  problems.push(...(await checkPage(page, html, `after ${field} on ${page.url()}`)));
  return html;
}

test('the coordinator writes a press release; a refused form keeps what was typed', async () => {
  await open(coordinator, ADMIN);
  await followLink(coordinator, `${ADMIN}/new`);
  const refused = await submit(coordinator, 'title', { kind: 'press_release', title: '', summary: 'Three hearings in March.', body: 'The budget hearings open on 3 March.' }, 422);
  assert.match(refused, /There is a problem|error-summary/);
  assert.match(refused, /Three hearings in March\./);
  const saved = await submit(coordinator, 'title', {
    title: 'Budget hearings open',
    body: 'The budget hearings open on 3 March.\n\nProgram: https://gjakova.example.org/budget',
    period_from: '2025-03-01',
    period_to: '2025-03-31',
  });
  assert.match(saved, /Draft saved\./);
  id = Number(/\/news\/(\d+)$/.exec(new URL(coordinator.url()).pathname)![1]);
  assert.ok(id > 0);
});

test('the Albanian text, then publishing behind the confirmation', async () => {
  await followLink(coordinator, `${ADMIN}/${id}?content=sq`);
  await submit(coordinator, 'title', { title: 'Dëgjimet buxhetore hapen', summary: 'Tri dëgjime në mars.', body: 'Dëgjimet buxhetore hapen më 3 mars.' });
  await followLink(coordinator, `${ADMIN}/${id}/publish`);
  const confirm = await coordinator.content();
  assert.match(confirm, /Budget hearings open/);
  const published = await submit(coordinator, '_csrf', {});
  assert.match(published, /Published\./);
});

test('the public sees it: the news page, the item, the feed', async () => {
  const list = await open(visitor, `/en/${J}/news`);
  assert.match(list, new RegExp(`href="/en/${J}/news/${id}"`));
  assert.match(list, /Press release/);
  assert.match(list, /Demonstration/, 'the seeded press release is labelled');
  const item = await open(visitor, `/en/${J}/news/${id}`);
  assert.match(item, /Budget hearings open/);
  assert.match(item, /<a href="https:\/\/gjakova\.example\.org\/budget">/);
  assert.match(item, /Europe\/Belgrade/);
  const sq = await open(visitor, `/sq/${J}/news/${id}`);
  assert.match(sq, /Dëgjimet buxhetore hapen/);
  const feed = await visitor.request.get(`${server.url}/sq/${J}/news.atom`);
  assert.equal(feed.status(), 200);
  assert.match(await feed.text(), /Dëgjimet buxhetore hapen/);
});

test('a draft generated from a period', async () => {
  await open(coordinator, `${ADMIN}/draft`);
  const draft = await submit(coordinator, 'from', { kind: 'news', from: '2024-01-01', to: '2025-12-31' });
  assert.match(draft, /GENERATED TEXT/);
});

test('every page in every locale passes axe-core and html-validate', async () => {
  for (const locale of LOCALES) {
    await open(visitor, `/${locale}/${J}/news`);
    await open(visitor, `/${locale}/${J}/news/${id}`);
    await open(coordinator, `/${locale}/admin/jurisdictions/${J}/news`);
    await open(coordinator, `/${locale}/admin/jurisdictions/${J}/news/new`);
    await open(coordinator, `/${locale}/admin/jurisdictions/${J}/news/draft`);
    await open(coordinator, `/${locale}/admin/jurisdictions/${J}/news/${id}`);
    await open(coordinator, `/${locale}/admin/jurisdictions/${J}/news/${id}/withdraw`);
  }
  assertNoProblems(problems);
});
