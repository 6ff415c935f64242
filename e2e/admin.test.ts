/**
 * The administration, end to end, as a person uses it: a setup link creates the first
 * administrator; then a jurisdiction (once with a mistake: 422, error summary, values kept),
 * its text in a second content language, an institution, a plan, a commitment and a milestone,
 * all through the forms; the commitment then shows on the public site.
 * Every admin page visited is checked with axe-core and html-validate.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { createSetupToken } from '../src/modules/accounts/index.js';
import { assertNoProblems, checkPage, launchBrowser, newContext } from './browser.js';
import { fillForm, followLink, navigation, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

const L = 'en';
const ADMIN = `/${L}/admin`;
const J = 'prizren';
const J_ADMIN = `${ADMIN}/jurisdictions/${J}`;
const PLAN = '2025-2027';
const PLAN_ADMIN = `${J_ADMIN}/plans/${PLAN}`;
const CODE = 'XKPRZ0001';
const COMMITMENT_ADMIN = `${PLAN_ADMIN}/commitments/${CODE}`;

const NAME_EN = 'Municipality of Prizren';
const NAME_SQ = 'Komuna e Prizrenit';
const COMMITMENT_TITLE = 'Open council meetings streamed and archived';
const MILESTONE_TITLE = 'Publish the archive of council recordings';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Accessibility and validity problems found on admin pages, reported by the last test. */
const problems: string[] = [];
const visited: string[] = [];
/** Steps that completed, so a later step that depends on a failed one says so instead of piling up errors. */
const done = new Set<string>();

before(async () => {
  server = await startServer({ demo: false });
  browser = await launchBrowser();
  context = await newContext(browser);
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

function pathOf(): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** Checks the page now shown (axe + html-validate), remembering any problem for the final test. */
async function check(response: Response, label: string): Promise<void> {
  const where = `${label} (${pathOf()}, status ${response.status()})`;
  visited.push(where);
  problems.push(...(await checkPage(page, await response.text(), where)));
}

async function open(path: string, label: string): Promise<Response> {
  const response = await page.goto(server.url + path);
  assert.ok(response);
  assert.equal(response.status(), 200, `GET ${path}`);
  await check(response, label);
  return response;
}

/** Follows the link to `href` on the current page as a person would; says so if the page lacks it. */
async function go(t: TestContext, href: string, label: string): Promise<Response> {
  const link = page.locator(`main a[href="${href}"]`).first();
  let response: Response;
  if ((await link.count()) > 0) {
    response = await followLink(page, href);
  } else {
    t.diagnostic(`no link to ${href} on ${pathOf()}: opened it directly`);
    const direct = await page.goto(server.url + href);
    assert.ok(direct);
    response = direct;
  }
  assert.equal(response.status(), 200, `GET ${href}`);
  await check(response, label);
  return response;
}

function requires(t: TestContext, ...steps: string[]): boolean {
  const missing = steps.filter((s) => !done.has(s));
  if (missing.length) t.skip(`needs the earlier step(s): ${missing.join(', ')}`);
  return missing.length === 0;
}

async function institutionId(slug: string): Promise<string> {
  const row = await server.db
    .selectFrom('institutions')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'institutions.jurisdiction_id')
    .select('institutions.id')
    .where('jurisdictions.slug', '=', J)
    .where('institutions.slug', '=', slug)
    .executeTakeFirst();
  assert.ok(row, `institution ${slug} exists in the database`);
  return String(row.id);
}

describe('administration', () => {
  test('the setup link creates the first administrator and signs them in', async () => {
    const token = await createSetupToken(server.db);
    await open(`/${L}/setup/${encodeURIComponent(token)}`, 'setup form');
    await fillForm(page, { display_name: 'Arta Krasniqi', email: 'arta@example.org', password: 'a long enough passphrase' });
    const response = await submitForm(page, 'display_name');
    assert.equal(response.status(), 200);
    assert.equal(pathOf(), ADMIN);
    await check(response, 'admin home after setup');
    assert.ok(await page.locator('main [role="status"]').count(), 'a flash message confirms the setup');
    // The setup link works once only.
    const again = await page.goto(`${server.url}/${L}/setup/${encodeURIComponent(token)}`);
    assert.equal(again?.status(), 410);
    done.add('setup');
  });

  test('a jurisdiction form with mistakes answers 422 with an error summary and keeps every value', async (t) => {
    if (!requires(t, 'setup')) return;
    await open(ADMIN, 'admin home');
    await go(t, `${ADMIN}/jurisdictions/new`, 'new jurisdiction form');
    const typed = { slug: 'Prizren City!', country_code: '', name: NAME_EN, description: 'Typed before the mistake.\nSecond line.', website: 'https://prizren.example.org' };
    await fillForm(page, { ...typed, kind: 'local' });
    const response = await submitForm(page, 'slug');
    assert.equal(response.status(), 422);
    await check(response, 'new jurisdiction form with errors');
    const summary = page.locator('main [role="alert"]').first();
    assert.ok((await summary.count()) > 0, 'an error summary with role=alert is on the page');
    assert.ok((await summary.locator('a[href="#field-slug"]').count()) > 0, 'the summary links to the slug field');
    assert.ok((await summary.locator('a[href="#field-country_code"]').count()) > 0, 'the summary links to the country code field');
    // The summary comes before the form.
    const summaryFirst = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): { compareDocumentPosition(o: unknown): number } | null } }).document;
      const s = d.querySelector('main [role="alert"]');
      const f = d.querySelector('main form [name="slug"]');
      return !!s && !!f && (s.compareDocumentPosition(f) & 4) === 4;
    });
    assert.ok(summaryFirst, 'the error summary comes before the form fields');
    for (const [name, value] of Object.entries(typed)) {
      assert.equal(await page.locator(`main form [name="${name}"]`).first().inputValue(), value, `the value of ${name} is kept`);
    }
    assert.equal(await page.locator('main form [name="kind"]').first().inputValue(), 'local', 'the chosen kind is kept');
    assert.equal(await page.locator('#field-slug').getAttribute('aria-invalid'), 'true', 'the slug field is marked invalid');
    // Following an error link puts the focus on its field.
    await summary.locator('a[href="#field-slug"]').click();
    const focusedId = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id);
    assert.equal(focusedId, 'field-slug', 'the error link moves focus to the field');
    done.add('invalid');
  });

  test('the corrected form creates the jurisdiction', async (t) => {
    if (!requires(t, 'invalid')) return;
    await fillForm(page, { slug: J, country_code: 'XK' });
    const response = await submitForm(page, 'slug');
    assert.equal(response.status(), 200);
    assert.equal(pathOf(), J_ADMIN);
    await check(response, 'jurisdiction admin page after create');
    assert.match(await page.locator('main').innerText(), new RegExp(NAME_EN));
    done.add('jurisdiction');
  });

  test('the jurisdiction is edited in a second content language', async (t) => {
    if (!requires(t, 'jurisdiction')) return;
    await go(t, `${J_ADMIN}/edit`, 'edit jurisdiction (English)');
    await go(t, `${J_ADMIN}/edit?content=sq`, 'edit jurisdiction (Albanian content)');
    assert.equal(await page.locator('main form [name="name"]').first().inputValue(), '', 'no Albanian name yet');
    await fillForm(page, { name: NAME_SQ, description: 'Komuna e Prizrenit në jug të Kosovës.' });
    const response = await submitForm(page, 'name');
    assert.equal(response.status(), 200);
    await check(response, 'jurisdiction admin page after edit');
    const row = await server.db.selectFrom('jurisdictions').select('name').where('slug', '=', J).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(row.name), { en: NAME_EN, sq: NAME_SQ }, 'both languages are stored');
    done.add('translated');
  });

  test('an institution is created', async (t) => {
    if (!requires(t, 'jurisdiction')) return;
    await open(J_ADMIN, 'jurisdiction admin page');
    await go(t, `${J_ADMIN}/institutions/new`, 'new institution form');
    await fillForm(page, { slug: 'office-of-information', kind: 'government', name: 'Office of Public Information', description: 'Answers requests for public documents.' });
    const response = await submitForm(page, 'slug');
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, J_ADMIN);
    await check(response, 'jurisdiction admin page after new institution');
    assert.match(await page.locator('main').innerText(), /Office of Public Information/);
    done.add('institution');
  });

  test('an action plan is created', async (t) => {
    if (!requires(t, 'institution')) return;
    await go(t, `${J_ADMIN}/plans/new`, 'new plan form');
    await fillForm(page, {
      slug: PLAN,
      title: 'Prizren open government action plan 2025–2027',
      starts_on: '2025-01-01',
      ends_on: '2027-06-30',
      lead_institutions: [await institutionId('office-of-information')],
    });
    const response = await submitForm(page, 'slug');
    assert.equal(response.status(), 200);
    assert.equal(pathOf(), PLAN_ADMIN);
    await check(response, 'plan admin page after create');
    done.add('plan');
  });

  test('a commitment is created', async (t) => {
    if (!requires(t, 'plan')) return;
    await go(t, `${PLAN_ADMIN}/commitments/new`, 'new commitment form');
    await fillForm(page, {
      code: CODE,
      title: COMMITMENT_TITLE,
      problem: 'Few residents can attend council meetings in person.',
      status_quo: 'Meetings are announced on paper notice boards only.',
      action: 'Stream every council meeting and keep the recordings in a public archive.',
      contribution: 'Anyone can follow and revisit decisions.',
      long_term_goal: 'A council whose work residents can follow and question.',
      ogp_values: ['transparency', 'public_accountability'],
      ogp_lenses: ['inclusion'],
      policy_areas: 'Open parliaments\nDigital governance',
      starts_on: '2025-02-01',
      ends_on: '2026-12-31',
      [`role_${await institutionId('office-of-information')}`]: 'lead',
    });
    const response = await submitForm(page, 'code');
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, `${COMMITMENT_ADMIN}/edit`);
    await check(response, 'commitment edit page after create');
    done.add('commitment');
  });

  test('a milestone is created', async (t) => {
    if (!requires(t, 'commitment')) return;
    // On the commitment's page, "Add a milestone" comes before the long commitment form.
    const addAt = await page.locator('main a[href$="/milestones/new"]').first().boundingBox();
    const formAt = await page.locator('main form[method="post"]').first().boundingBox();
    const addFirst = !!addAt && !!formAt && addAt.y < formAt.y;
    assert.ok(addFirst, '"Add a milestone" is above the commitment form');
    await go(t, `${COMMITMENT_ADMIN}/milestones/new`, 'new milestone form');
    assert.equal(await page.locator('main form [name="code"]').first().inputValue(), `${CODE}.1`, 'the next milestone code is proposed');
    assert.equal(await page.locator('main form select[name="status"]').inputValue(), '', 'no status is pre-selected for a new milestone');
    await fillForm(page, {
      title: MILESTONE_TITLE,
      expected_output: 'An online archive with every recording since 2025.',
      indicator: 'Share of 2025 council meetings with a published recording',
      responsible_institution_id: await institutionId('office-of-information'),
      starts_on: '2025-03-01',
      due_on: '2025-12-31',
      status: 'in_progress',
    });
    const response = await submitForm(page, 'expected_output');
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, `${COMMITMENT_ADMIN}/edit`);
    await check(response, 'commitment edit page after new milestone');
    assert.match(await page.locator('main').innerText(), new RegExp(MILESTONE_TITLE));
    // The plan's page counts it and offers to add the next one.
    await open(PLAN_ADMIN, 'plan admin page with a milestone');
    const row = page.locator('main table tbody tr', { has: page.locator(`th:has-text("${CODE}")`) });
    assert.match(await row.innerText(), /1 milestone/);
    assert.equal(await row.locator(`a[href="${COMMITMENT_ADMIN}/milestones/new"]`).count(), 1, 'the plan page links to add a milestone to the commitment');
    await go(t, `${COMMITMENT_ADMIN}/edit`, 'commitment edit page from the plan page');
    done.add('milestone');
  });

  test('the source of the commitment title is recorded (minutes without a title: 422, kept), then shown', async (t) => {
    if (!requires(t, 'commitment')) return;
    await go(t, `${COMMITMENT_ADMIN}/sources`, 'commitment sources page');
    await fillForm(page, { field: 'title', document: 'minutes', title: '', section: 'Item 3', rendering: 'summary', note: 'Agreed by the Forum.' });
    let response = await submitForm(page, 'section');
    assert.equal(response.status(), 422);
    await check(response, 'commitment sources page with a mistake');
    assert.ok(await page.locator('main a[href="#field-title"]').count(), 'the error summary links to the title field');
    assert.equal(await page.locator('main form [name="section"]').inputValue(), 'Item 3', 'what was typed is kept');
    await fillForm(page, { title: 'Minutes of the Transparency Forum, 12 March 2025' });
    response = await submitForm(page, 'section');
    assert.equal(response.status(), 200);
    await check(response, 'commitment sources page after recording');
    assert.match(await page.locator('main').innerText(), /Minutes of the Transparency Forum, 12 March 2025/);
    done.add('source');
  });

  test('the new commitment and its milestone are on the public site', async (t) => {
    if (!requires(t, 'milestone')) return;
    const planPath = `/${L}/${J}/plans/${PLAN}`;
    let response = await page.goto(server.url + planPath);
    assert.equal(response?.status(), 200, `GET ${planPath}`);
    response = await followLink(page, `${planPath}/commitments/${CODE}`);
    assert.equal(response.status(), 200);
    const main = await page.locator('main').innerText();
    assert.match(main, new RegExp(COMMITMENT_TITLE));
    assert.match(main, new RegExp(MILESTONE_TITLE));
    if (done.has('source')) assert.match(main, /Minutes of the Transparency Forum, 12 March 2025/, 'the recorded source shows on the public page');
    // The Albanian name written in the admin shows on the Albanian public page.
    if (done.has('translated')) {
      const sq = await page.goto(`${server.url}/sq/${J}`);
      assert.equal(sq?.status(), 200);
      assert.match(await page.locator('main h1').first().innerText(), new RegExp(NAME_SQ));
    }
  });

  test('a signed-out visitor is sent to the login page', async () => {
    const fresh = await browser.newContext();
    try {
      const other = await fresh.newPage();
      const response = await navigation(other, () => other.goto(`${server.url}${J_ADMIN}`));
      assert.equal(response.status(), 200);
      assert.equal(new URL(other.url()).pathname, `/${L}/login`);
    } finally {
      await fresh.close();
    }
  });

  test('every admin page visited passes axe-core and html-validate', () => {
    assert.ok(visited.length >= 8, `the flow visited enough admin pages (${visited.length})`);
    assertNoProblems(problems);
  });
});
