/**
 * A whole reporting cycle in the browser, on the seeded Gjakova plan with its demonstration
 * milestones: the administrator (setup link) invites a coordinator and a commitment holder, who
 * accept by the links in their e-mails; the coordinator opens the plan's cycles; the holder files
 * the update of XKGJA0001 (first refused: a delayed milestone without an obstacle, 422, values
 * kept; then with an obstacle and a PDF) with JavaScript disabled; the coordinator publishes it;
 * the public site shows it (commitment page with its evidence, jurisdiction home, history), with
 * and without JavaScript, in two languages. Every page visited passes axe-core and html-validate.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { translate } from '../src/i18n/index.js';
import { isLocale } from '../src/i18n/locales.js';
import { createSetupToken } from '../src/modules/accounts/index.js';
import { deliverToMailbox } from '../src/modules/mail/index.js';
import { rdb } from '../src/modules/reporting/tables.js';
import { axeViolations, assertNoProblems, formatViolations, htmlErrors, launchBrowser, newContext } from './browser.js';
import { fillForm, navigation, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

const L = 'en';
const J = 'gjakova';
const PLAN = '2024-2025';
const CODE = 'XKGJA0001';
const CYCLES = `/${L}/admin/jurisdictions/${J}/plans/${PLAN}/cycles`;
const UPDATE = `${CYCLES}/1/updates/${CODE}`;

const ADMIN = { email: 'admin@example.org', password: 'a long enough passphrase' };
const COORDINATOR = { email: 'coordinator@example.org', name: 'Besnik Gashi', password: 'coordinator passphrase 1' };
const HOLDER = { email: 'holder@example.org', name: 'Drita Berisha', password: 'holder passphrase 22' };

const SUMMARY = 'The transparency portal went live; the procurement register is late.';
const NARRATIVE = 'The register needs a new contract with the software vendor.';
const PDF_NAME = 'procurement-register-minutes.pdf';

/** A minimal valid PDF (one empty page), with a correct cross-reference table. */
function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

let server: TestServer;
let browser: Browser;
let mailDir: string;
const contexts: BrowserContext[] = [];
let admin: Page;
let coordinator: Page;
/** The holder works with JavaScript disabled: the forms are server-rendered. */
let holder: Page;
let holderInstitution: { id: number; slug: string };
let milestones: { id: number; code: string; status: string }[] = [];
let commitmentId = 0;
const problems: string[] = [];
const visited: string[] = [];
const done = new Set<string>();

before(async () => {
  server = await startServer();
  mailDir = mkdtempSync(join(tmpdir(), 'besa-e2e-mail-'));
  browser = await launchBrowser();
  const open = async (options = {}) => {
    const c = await newContext(browser, options);
    contexts.push(c);
    return c.newPage();
  };
  admin = await open();
  coordinator = await open();
  holder = await open({ javaScriptEnabled: false });
  const commitment = await server.db
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select('commitments.id')
    .where('jurisdictions.slug', '=', J)
    .where('action_plans.slug', '=', PLAN)
    .where('commitments.code', '=', CODE)
    .executeTakeFirstOrThrow();
  commitmentId = commitment.id;
  holderInstitution = await server.db
    .selectFrom('commitment_institutions')
    .innerJoin('institutions', 'institutions.id', 'commitment_institutions.institution_id')
    .select(['institutions.id', 'institutions.slug'])
    .where('commitment_institutions.commitment_id', '=', commitment.id)
    // Gjakova's sources name the institutions involved without saying which lead: each of them reports.
    .where('commitment_institutions.role', 'in', ['lead', 'involved'])
    .orderBy('institutions.id')
    .executeTakeFirstOrThrow();
  milestones = await server.db.selectFrom('milestones').select(['id', 'code', 'status']).where('commitment_id', '=', commitment.id).orderBy('code').execute();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  if (mailDir) rmSync(mailDir, { recursive: true, force: true });
});

async function updateStatus(): Promise<string | undefined> {
  const row = await rdb(server.db).selectFrom('progress_updates').select('status').where('commitment_id', '=', commitmentId).executeTakeFirst();
  return row?.status;
}

function pathOf(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** A page with JavaScript where pages served to a context without it are replayed for axe. */
let axePage: Page | undefined;

/**
 * axe-core needs JavaScript in the page (its checks run on promises and timers). A page shown
 * with JavaScript disabled is replayed, byte for byte and with its response headers (so its CSP),
 * at the same URL in a context with JavaScript, and checked there.
 */
async function axeOf(page: Page, response: Response) {
  if (page.context() !== holder.context() && !noScript.has(page)) return axeViolations(page);
  if (!axePage) {
    const c = await newContext(browser);
    contexts.push(c);
    axePage = await c.newPage();
  }
  const url = page.url();
  const body = await response.body();
  // The body is already decoded: drop the headers that describe its transfer.
  const headers = Object.fromEntries(Object.entries(await response.allHeaders()).filter(([name]) => !['content-encoding', 'content-length', 'transfer-encoding'].includes(name)));
  await axePage.route(url, (route) => route.fulfill({ status: response.status(), headers, body }), { times: 1 });
  await axePage.goto(url);
  assert.equal(await axePage.title(), await page.title(), `the page replayed for axe is the page shown (${url})`);
  assert.equal(await axePage.locator('main').innerText(), await page.locator('main').innerText(), `the replayed page shows the same content (${url})`);
  return axeViolations(axePage);
}

const noScript = new Set<Page>();

/** axe and html-validate on the page now shown; problems kept for the last test. */
async function check(page: Page, response: Response, label: string): Promise<void> {
  const withoutJs = page.context() === holder.context() || noScript.has(page);
  const where = `${label} (${pathOf(page)}, status ${response.status()}${withoutJs ? ', JavaScript disabled' : ''})`;
  visited.push(where);
  const violations = await axeOf(page, response);
  if (violations.length) problems.push(formatViolations(where, violations));
  const errors = await htmlErrors(await response.text());
  if (errors.length) problems.push(`${errors.length} HTML error(s) on ${where}:\n  ${errors.join('\n  ')}`);
}

async function open(page: Page, path: string, label: string, status = 200): Promise<Response> {
  const response = await navigation(page, () => page.goto(server.url + path));
  assert.equal(response.status(), status, `GET ${path}`);
  await check(page, response, label);
  return response;
}

function requires(t: TestContext, ...steps: string[]): boolean {
  const missing = steps.filter((s) => !done.has(s));
  if (missing.length) t.skip(`needs the earlier step(s): ${missing.join(', ')}`);
  return missing.length === 0;
}

async function invitationPath(email: string): Promise<string> {
  const messages = await deliverToMailbox(server.db, mailDir);
  const message = messages.filter((m) => m.to === email).at(-1);
  assert.ok(message, `an e-mail went to ${email}`);
  const link = /https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/.exec(message.text)?.[0];
  assert.ok(link, `the e-mail to ${email} holds an invitation link:\n${message.text}`);
  return new URL(link).pathname;
}

async function invite(email: string, values: Record<string, string>): Promise<void> {
  await open(admin, `/${L}/admin/users/invite`, 'invite form');
  await fillForm(admin, { email, ...values });
  const response = await submitForm(admin, 'email');
  assert.equal(response.status(), 200, 'the invitation is sent');
  assert.equal(pathOf(admin), `/${L}/admin/users`);
  await check(admin, response, 'people after an invitation');
}

async function accept(page: Page, email: string, person: { name: string; password: string }): Promise<void> {
  const path = await invitationPath(email);
  await open(page, path, 'invitation acceptance');
  await fillForm(page, { display_name: person.name, password: person.password });
  const response = await submitForm(page, 'display_name');
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), `/${L}/admin`);
  await check(page, response, 'admin home after accepting');
}

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await open(page, `/${L}/login`, 'login');
  await fillForm(page, { email: who.email, password: who.password });
  const response = await submitForm(page, 'password');
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), `/${L}/admin`);
  await check(page, response, 'admin home after signing in');
}

/** A fresh context signed out of everything, for the public checks. */
async function publicPage(javaScriptEnabled: boolean): Promise<Page> {
  const c = await newContext(browser, { javaScriptEnabled });
  contexts.push(c);
  const page = await c.newPage();
  if (!javaScriptEnabled) noScript.add(page);
  return page;
}

async function publicChecks(page: Page, locale: string): Promise<void> {
  const label = (what: string) => `${what} [${locale}]`;
  const commitmentPath = `/${locale}/${J}/plans/${PLAN}/commitments/${CODE}`;
  await open(page, commitmentPath, label('public commitment page'));
  const updates = page.locator('main .progress-updates');
  assert.equal(await updates.count(), 1, 'the commitment page has a progress updates section');
  assert.ok((await updates.locator('.progress-update').count()) >= 1, 'the published update is on the commitment page');
  const text = await updates.innerText();
  if (locale === L) {
    assert.match(text, new RegExp(SUMMARY.slice(0, 40)), 'the summary is shown');
    assert.match(text, /register needs a new contract/, 'the milestone narrative is shown');
  }
  const evidence = updates.locator(`a[href^="/evidence/"]`);
  assert.ok((await evidence.count()) >= 1, 'the update links its evidence file');
  const href = (await evidence.first().getAttribute('href'))!;
  assert.match(href, /\.pdf$/);
  const download = await page.context().request.get(server.url + href);
  assert.equal(download.status(), 200, `GET ${href}`);
  assert.match(download.headers()['content-type'] ?? '', /application\/pdf/);
  assert.equal((await download.body()).subarray(0, 5).toString('latin1'), '%PDF-');

  // The jurisdiction home lists it under recent changes, linking to the update.
  await open(page, `/${locale}/${J}`, label('jurisdiction home'));
  const recent = page.locator('main .recent-changes');
  assert.equal(await recent.count(), 1, 'the jurisdiction home has recent changes');
  const recentLink = recent.locator(`a[href^="${commitmentPath}#update-"]`);
  assert.ok((await recentLink.count()) >= 1, `recent changes link to ${commitmentPath}#update-…`);
  assert.match(await recent.innerText(), new RegExp(CODE));
}

/** The commitment page links to its history, which shows the publication of the progress update. */
async function historyChecks(page: Page, locale: string, t: TestContext): Promise<void> {
  const label = (what: string) => `${what} [${locale}]`;
  const commitmentPath = `/${locale}/${J}/plans/${PLAN}/commitments/${CODE}`;
  await open(page, commitmentPath, label('public commitment page'));
  const historyHref = `/${locale}/history/commitment/${commitmentId}`;
  const historyLink = page.locator(`main a[href="${historyHref}"]`);
  assert.ok((await historyLink.count()) > 0, `the commitment page links to ${historyHref}`);
  const response = await navigation(page, () => historyLink.first().click());
  assert.equal(response.status(), 200, `GET ${historyHref}`);
  await check(page, response, label('commitment history'));
  const history = await page.locator('main').innerText();
  assert.ok(isLocale(locale));
  const published = translate(locale, 'transparency.action.progressUpdatePublished');
  if (!history.includes(published)) t.diagnostic(`history page text:\n${history.slice(0, 1500)}`);
  assert.ok(history.includes(published), `the history of the commitment (${historyHref}) shows the publication of its progress update ("${published}")`);
}

describe('a reporting cycle, end to end', () => {
  test('the administrator signs in by the setup link and invites a coordinator and a commitment holder', async () => {
    const token = await createSetupToken(server.db);
    await open(admin, `/${L}/setup/${encodeURIComponent(token)}`, 'setup form');
    await fillForm(admin, { display_name: 'Arta Krasniqi', email: ADMIN.email, password: ADMIN.password });
    const response = await submitForm(admin, 'display_name');
    assert.equal(response.status(), 200);
    assert.equal(pathOf(admin), `/${L}/admin`);
    await check(admin, response, 'admin home after setup');
    const gjakova = await server.db.selectFrom('jurisdictions').select('id').where('slug', '=', J).executeTakeFirstOrThrow();
    await invite(COORDINATOR.email, { role: 'coordinator', jurisdiction: String(gjakova.id), institution: '' });
    await invite(HOLDER.email, { role: 'commitment_holder', jurisdiction: '', institution: String(holderInstitution.id) });
    const listed = await admin.locator('main').innerText();
    assert.match(listed, /coordinator@example\.org|c\S*@example\.org/, 'the pending invitations are listed');
    done.add('invited');
  });

  test('both accept their invitations and choose passwords', async (t) => {
    if (!requires(t, 'invited')) return;
    await accept(coordinator, COORDINATOR.email, COORDINATOR);
    await accept(holder, HOLDER.email, HOLDER);
    const roles = await server.db
      .selectFrom('user_roles')
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .select(['users.email', 'user_roles.role', 'user_roles.institution_id'])
      .where('users.email', 'in', [COORDINATOR.email, HOLDER.email])
      .orderBy('users.email')
      .execute();
    assert.deepEqual(
      roles.map((r) => [r.email, r.role, r.institution_id]),
      [
        [COORDINATOR.email, 'coordinator', null],
        [HOLDER.email, 'commitment_holder', holderInstitution.id],
      ],
    );
    done.add('accepted');
  });

  test('the coordinator signs in and opens the reporting cycles of the plan', async (t) => {
    if (!requires(t, 'accepted')) return;
    await coordinator.context().clearCookies();
    await signIn(coordinator, COORDINATOR);
    await open(coordinator, `/${L}/admin/reporting`, 'reporting overview (coordinator)');
    const cyclesLink = coordinator.locator(`main a[href="${CYCLES}"]`);
    assert.ok((await cyclesLink.count()) > 0, 'the overview links to the plan’s cycles');
    let response = await navigation(coordinator, () => cyclesLink.first().click());
    assert.equal(response.status(), 200);
    await check(coordinator, response, 'cycles page (none yet)');
    const generate = coordinator.locator(`main form[action="${CYCLES}/generate"] button[type="submit"]`);
    assert.equal(await generate.count(), 1, 'the coordinator may generate the cycles');
    response = await navigation(coordinator, () => generate.click());
    assert.equal(response.status(), 200);
    assert.equal(pathOf(coordinator), CYCLES);
    await check(coordinator, response, 'cycles page after generating');
    assert.ok((await coordinator.locator(`main table a[href="${CYCLES}/1"]`).count()) > 0, 'cycle 1 is listed');
    await open(coordinator, `${CYCLES}/1`, 'cycle 1 (coordinator)');
    await open(coordinator, `${CYCLES}/1/edit`, 'cycle 1 edit form');
    done.add('cycles');
  });

  test('the commitment holder (no JavaScript) is refused without an obstacle, keeps what was typed, then submits with a PDF', async (t) => {
    if (!requires(t, 'cycles')) return;
    await holder.context().clearCookies();
    await signIn(holder, { email: HOLDER.email, password: HOLDER.password });
    await open(holder, `/${L}/admin/reporting`, 'reporting overview (holder)');
    const task = holder.locator(`main a[href="${UPDATE}"]`);
    assert.ok((await task.count()) > 0, `the holder's overview links to ${UPDATE}`);
    let response = await navigation(holder, () => task.first().click());
    assert.equal(response.status(), 200);
    await check(holder, response, 'update form (holder)');

    const needing = milestones.filter((m) => m.status === 'delayed' || m.status === 'not_started');
    const delayed = milestones.find((m) => m.status === 'delayed') ?? milestones[0]!;
    assert.ok(needing.length >= 1, 'the demo data has a delayed milestone');
    // No completion level is pre-filled: the holder chooses one for every milestone.
    // Nor a status: the published one is shown beside the choice.
    for (const m of milestones) {
      assert.equal(await holder.locator(`main form [name="m${m.id}_completion"]`).inputValue(), '', `no completion pre-filled for ${m.code}`);
      assert.equal(await holder.locator(`main form [name="m${m.id}_status"]`).inputValue(), '', `no status pre-filled for ${m.code}`);
    }
    const typed: Record<string, string> = {
      summary: SUMMARY,
      ...Object.fromEntries(milestones.map((m) => [`m${m.id}_status`, m.status])),
      ...Object.fromEntries(milestones.map((m) => [`m${m.id}_completion`, m.status === 'completed' ? 'complete' : m.status === 'not_started' ? 'not_started' : 'substantial'])),
      [`m${delayed.id}_status`]: 'delayed',
      [`m${delayed.id}_completion`]: 'limited',
      [`m${delayed.id}_narrative`]: NARRATIVE,
      [`m${delayed.id}_links`]: 'https://gjakova.example.org/procurement/register',
    };
    await fillForm(holder, typed);
    const submitButton = holder.locator('main form button[name="action"][value="submit"]');
    assert.equal(await submitButton.count(), 1, 'the form has a submit button');
    response = await navigation(holder, () => submitButton.click());
    assert.equal(response.status(), 422, 'a delayed milestone without an obstacle is refused');
    await check(holder, response, 'update form with errors');
    const summary = holder.locator('main [role="alert"]').first();
    assert.ok((await summary.count()) > 0, 'an error summary is shown');
    assert.ok((await summary.locator(`a[href="#field-m${delayed.id}_obstacles"]`).count()) > 0, 'the summary links to the obstacles of the delayed milestone');
    for (const [name, value] of Object.entries(typed)) {
      assert.equal(await holder.locator(`main form [name="${name}"]`).first().inputValue(), value, `the value of ${name} is kept`);
    }

    // Every milestone that needs one gets an obstacle; the delayed one a PDF.
    for (const m of needing) await fillForm(holder, { [`m${m.id}_obstacles`]: ['procurement'] });
    await holder.locator(`#field-m${delayed.id}_files`).setInputFiles({ name: PDF_NAME, mimeType: 'application/pdf', buffer: minimalPdf() });
    response = await navigation(holder, () => holder.locator('main form button[name="action"][value="submit"]').click());
    assert.equal(response.status(), 200, 'the update is submitted');
    assert.equal(pathOf(holder), UPDATE);
    await check(holder, response, 'update page after submitting');
    assert.ok((await holder.locator('main .flash, main [role="status"]').count()) > 0, 'a flash confirms the submission');
    assert.ok((await holder.locator(`main a[href$="/${PDF_NAME}"]`).count()) > 0, 'the file is listed');
    // The submitted report reads as a document: no form control, and it says what happens next.
    assert.equal(await holder.locator('main input, main select, main textarea').count(), 0, 'no form control (no file picker) in the submitted report');
    assert.match(await holder.locator('main').innerText(), /The coordinator will review it/);
    assert.equal(await updateStatus(), 'submitted');
    await open(holder, `/${L}/admin/reporting`, 'reporting overview (holder, after submitting)');
    assert.ok((await holder.locator(`main section[aria-labelledby="group-submitted"] a[href="${UPDATE}"]`).count()) > 0, 'the holder sees it waiting for the coordinator');
    assert.equal(await holder.locator(`main section[aria-labelledby="group-to-fill"] a[href="${UPDATE}"]`).count(), 0, 'no longer to fill in');
    done.add('submitted');
  });

  test('the coordinator finds it waiting for review, confirms what becomes public, and publishes the update', async (t) => {
    if (!requires(t, 'submitted')) return;
    await open(coordinator, `/${L}/admin/reporting`, 'reporting overview (coordinator, a report to review)');
    assert.ok((await coordinator.locator(`main section[aria-labelledby="group-to-review"] a[href="${UPDATE}"]`).count()) > 0, 'the submitted report waits for the coordinator’s review');
    assert.equal(await coordinator.locator('main section[aria-labelledby="group-to-fill"]').count(), 0, 'a coordinator has no "to fill in" list');
    await open(coordinator, `${CYCLES}/1`, 'cycle 1 with a submitted update');
    const link = coordinator.locator(`main a[href="${UPDATE}"]`);
    assert.ok((await link.count()) > 0, 'the cycle links to the update');
    let response = await navigation(coordinator, () => link.first().click());
    assert.equal(response.status(), 200);
    await check(coordinator, response, 'update review page');
    assert.match(await coordinator.locator('main').innerText(), new RegExp(`Submitted by ${HOLDER.name} on .*: review and publish or return it`));
    const publish = coordinator.locator(`main form[action="${UPDATE}/publish"] button[type="submit"]`);
    assert.equal(await publish.count(), 1, 'the coordinator may publish');
    response = await navigation(coordinator, () => publish.click());
    assert.equal(response.status(), 200);
    await check(coordinator, response, 'publishing confirmation');
    const asked = await coordinator.locator('main').innerText();
    assert.match(asked, /Published entries cannot be removed/);
    assert.match(asked, new RegExp(`The evidence files: ${PDF_NAME.replace(/\./g, '\\.')}`));
    assert.equal(await updateStatus(), 'submitted', 'nothing is published before the confirmation');
    const confirm = coordinator.locator(`main form[action="${UPDATE}/publish"]:has(input[name="confirm"][value="yes"]) button[type="submit"]`);
    assert.equal(await confirm.count(), 1, 'the confirmation page has its Publish button');
    assert.ok((await coordinator.locator(`main a[href="${UPDATE}"]`).count()) > 0, 'and a way back (Cancel)');
    response = await navigation(coordinator, () => confirm.click());
    assert.equal(response.status(), 200);
    assert.equal(pathOf(coordinator), UPDATE);
    await check(coordinator, response, 'update page after publishing');
    assert.equal(await updateStatus(), 'published');
    done.add('published');
  });

  test('the public site shows the published update and its evidence, and the jurisdiction home lists it (en)', async (t) => {
    if (!requires(t, 'published')) return;
    await publicChecks(await publicPage(true), L);
  });

  test('the public site shows it in Albanian too', async (t) => {
    if (!requires(t, 'published')) return;
    await publicChecks(await publicPage(true), 'sq');
  });

  test('the public checks pass with JavaScript disabled', async (t) => {
    if (!requires(t, 'published')) return;
    const page = await publicPage(false);
    await publicChecks(page, L);
    await publicChecks(page, 'sq');
  });

  test('the history page linked from the commitment page shows the publication (en, sq, and without JavaScript)', async (t) => {
    if (!requires(t, 'published')) return;
    await historyChecks(await publicPage(true), L, t);
    await historyChecks(await publicPage(true), 'sq', t);
    await historyChecks(await publicPage(false), L, t);
  });

  test('every page visited passes axe-core and html-validate', () => {
    assert.ok(visited.length >= 15, `the flow visited enough pages (${visited.length})`);
    assertNoProblems(problems);
  });
});
