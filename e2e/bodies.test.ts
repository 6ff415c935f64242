/**
 * The bodies administration as a forum secretary uses it, in the browser: from the admin home to
 * the bodies, a working group created (once with mistakes: 422, error summary, values kept), a
 * member added with consent to publish their name (once with a wrong e-mail address), then removed
 * behind a confirmation; the public pages show each step, in two locales and without JavaScript.
 * Every page visited is checked with axe-core and html-validate.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { hashPassword } from '../src/modules/accounts/index.js';
import { assertNoProblems, checkPage, htmlErrors, launchBrowser, newContext } from './browser.js';
import { fillForm, followLink, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

const L = 'en';
const ADMIN = `/${L}/admin`;
const BODIES = `${ADMIN}/jurisdictions/gjakova/bodies`;
const SECRETARY = { email: 'forum.secretary@example.org', password: 'a long enough passphrase' };
const GROUP = 'open-data-group';
const GROUP_NAME = 'Open data working group';
const MEMBER_NAME = 'Teuta Example';
const MEMBER_EMAIL = 'teuta.example@example.org';

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
    .values({ email: SECRETARY.email, display_name: 'Forum Secretary', password_hash: await hashPassword(SECRETARY.password), created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ user_id: user.id, role: 'forum_secretary', jurisdiction_id: gjakova.id, institution_id: null }).execute();
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

/** A page opened without JavaScript: axe needs a script, so only its HTML is checked here (e2e/public-pages.test.ts runs axe on these pages). */
async function openWithoutScript(p: Page, path: string, label: string): Promise<string> {
  const response = await p.goto(server.url + path);
  assert.ok(response);
  assert.equal(response.status(), 200, `GET ${path}`);
  const html = await response.text();
  const errors = await htmlErrors(html);
  if (errors.length) problems.push(`${errors.length} HTML error(s) on ${label}:\n  ${errors.join('\n  ')}`);
  return html;
}

function requires(t: TestContext, ...steps: string[]): boolean {
  const missing = steps.filter((s) => !done.has(s));
  if (missing.length) t.skip(`needs the earlier step(s): ${missing.join(', ')}`);
  return missing.length === 0;
}

describe('bodies: administration and public pages', () => {
  test('the forum secretary signs in and finds the bodies from the admin home', async () => {
    await open(page, `/${L}/login`, 'login');
    await fillForm(page, SECRETARY);
    const home = await submitForm(page, 'password');
    assert.equal(home.status(), 200);
    assert.equal(pathOf(), ADMIN);
    await check(page, home, 'admin home');
    const list = await followLink(page, BODIES);
    assert.equal(list.status(), 200);
    await check(page, list, 'bodies list');
    assert.match(await page.locator('main').innerText(), /Municipal Transparency Forum/);
    done.add('list');
  });

  test('a working group with mistakes answers 422 with an error summary and keeps what was typed; corrected, it is created', async (t) => {
    if (!requires(t, 'list')) return;
    const form = await followLink(page, `${BODIES}/new`);
    await check(page, form, 'new body form');
    const typed = { slug: 'Open Data!', name: GROUP_NAME, mandate: 'Follows the publication of open data.', meets_every_days: '30', established_on: '2025-02-01' };
    await fillForm(page, { ...typed, kind: 'working_group', composition_rules: ['civil_society_majority'] });
    const refused = await submitForm(page, 'slug');
    assert.equal(refused.status(), 422);
    await check(page, refused, 'new body form with errors');
    const summary = page.locator('main [role="alert"]').first();
    assert.ok((await summary.locator('a[href="#field-slug"]').count()) > 0, 'the summary links to the address name');
    assert.ok((await summary.locator('a[href="#field-parent_id"]').count()) > 0, 'the summary links to the forum field');
    for (const [name, value] of Object.entries(typed)) assert.equal(await page.locator(`main form [name="${name}"]`).first().inputValue(), value, `${name} is kept`);
    assert.equal(await page.locator('main form [name="kind"]').inputValue(), 'working_group');
    assert.ok(await page.locator('main form [name="composition_rules"][value="civil_society_majority"]').isChecked());

    const forum = await server.db.selectFrom('bodies' as never).select(['id' as never]).where('slug' as never, '=', 'transparency-forum' as never).executeTakeFirstOrThrow();
    await fillForm(page, { slug: GROUP, parent_id: String((forum as { id: number }).id) });
    const created = await submitForm(page, 'slug');
    assert.equal(created.status(), 200);
    assert.equal(pathOf(), `${BODIES}/${GROUP}/edit`);
    await check(page, created, 'the new working group');
    done.add('group');
  });

  test('a member is added with consent to publish their name (after a wrong e-mail address)', async (t) => {
    if (!requires(t, 'group')) return;
    const form = await followLink(page, `${BODIES}/${GROUP}/members/new`);
    await check(page, form, 'new member form');
    await fillForm(page, { organisation: 'Open Knowledge Gjakova', person_name: MEMBER_NAME, name_consent: ['yes'], email: 'not an address', sector: 'civil_society', represented_groups: ['youth', 'women'], role: 'chair' });
    const refused = await submitForm(page, 'organisation');
    assert.equal(refused.status(), 422);
    await check(page, refused, 'new member form with errors');
    assert.equal(await page.locator('main form [name="person_name"]').inputValue(), MEMBER_NAME);
    assert.equal(await page.locator('main form [name="email"]').inputValue(), 'not an address');
    assert.ok(await page.locator('main form [name="name_consent"]').isChecked(), 'the consent stays ticked');
    await fillForm(page, { email: MEMBER_EMAIL });
    const added = await submitForm(page, 'organisation');
    assert.equal(added.status(), 200);
    assert.equal(pathOf(), `${BODIES}/${GROUP}/edit`);
    await check(page, added, 'the working group with its member');
    assert.match(await page.locator('main').innerText(), new RegExp(MEMBER_EMAIL), 'the administration shows the e-mail address');
    done.add('member');
  });

  test('the public sees the working group and its member, in two locales, without JavaScript, never the e-mail address', async (t) => {
    if (!requires(t, 'member')) return;
    const context = await newContext(browser, { javaScriptEnabled: false });
    contexts.push(context);
    const visitor = await context.newPage();
    for (const locale of ['sq', 'fr']) {
      const html = await openWithoutScript(visitor, `/${locale}/gjakova/bodies/${GROUP}`, `public working group [${locale}]`);
      assert.ok(html.includes(MEMBER_NAME), 'the name is published with consent');
      assert.ok(!html.includes(MEMBER_EMAIL), 'never the e-mail address');
      assert.equal(await visitor.locator('main svg[role="img"] title').count(), 2, 'two charts, each named');
      const list = await openWithoutScript(visitor, `/${locale}/gjakova/bodies`, `public bodies [${locale}]`);
      assert.ok(list.includes(`href="/${locale}/gjakova/bodies/${GROUP}"`));
    }
    done.add('public');
  });

  test('the member is removed behind a confirmation', async (t) => {
    if (!requires(t, 'member')) return;
    const member = await server.db.selectFrom('body_members' as never).select(['id' as never]).where('person_name' as never, '=', MEMBER_NAME as never).executeTakeFirstOrThrow();
    const id = (member as { id: number }).id;
    const edit = await followLink(page, `${BODIES}/${GROUP}/members/${id}/edit`);
    await check(page, edit, 'member form');
    const button = page.locator(`main form[action="${BODIES}/${GROUP}/members/${id}/remove"] button`);
    const asked = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/remove')), button.click()]).then(([r]) => r);
    assert.equal(asked.status(), 200);
    await page.waitForLoadState('load');
    await check(page, asked, 'removal confirmation');
    const removed = await submitForm(page, 'confirm');
    assert.equal(removed.status(), 200);
    assert.equal(pathOf(), `${BODIES}/${GROUP}/edit`);
    await check(page, removed, 'the working group after removal');
    assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(MEMBER_NAME));
  });

  test('no accessibility or HTML problem on any page visited', () => {
    assertNoProblems(problems);
  });
});
