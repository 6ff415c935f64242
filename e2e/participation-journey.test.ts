/**
 * The whole participation journey in the browser (issue 11, "What it must show", first bullet), on
 * a fresh server with Gjakova's plan and the demonstration data, on the OPEN demonstration
 * consultation (/gjakova/consultations/digital-services-demo), by links and buttons like a person.
 * It runs for two people groups side by side: one in English with JavaScript ON, one in Albanian
 * with JavaScript OFF (separate browser contexts, distinct names and addresses):
 *
 * 1. a citizen opens the consultation, follows "Comment", sends a comment, sees "check your e-mail",
 *    reads the confirmation message (in the page's language) from the mail folder, opens its link and
 *    presses the button; the comment is on the consultation page, the address nowhere;
 * 2. another citizen replies to it (the "Reply" link) and confirms the same way, then follows the
 *    consultation ("Follow by e-mail") and confirms the subscription from its message;
 * 3. a third person flags the comment. The demonstration consultation hides a contribution after 3
 *    flags, and Besa takes one flag per client (network address): every browser here is 127.0.0.1,
 *    so the coordinator first lowers the consultation's flag threshold to 1 through its admin form
 *    (by the browser); the one flag then holds the comment for a moderator;
 * 4. a moderator opens the admin home, follows the queue link, hides the comment with a reason (the
 *    author is told the reason by e-mail in their language) and then restores it.
 *
 * Then, once for both groups, because a consultation has ONE response table and publishing it makes
 * the consultation "responded" (no more contributions): 5. the coordinator answers every
 * contribution of the consultation on the responses admin page (outcome and reasons; the seeded
 * demonstration contributions and the English group's with JavaScript on, the Albanian group's with
 * JavaScript off, in Albanian) and publishes the table through its confirmation. A response table is
 * published only once the consultation is closed (in Gjakova's day) and no contribution waits for a
 * moderator, so while the consultation is open the responses page offers no publish button and says
 * why; the coordinator then closes it the way the product allows, by setting its closing day to
 * yesterday (Gjakova's calendar) in the consultation's admin edit form, in the browser (the
 * consultation commands accept a past closing day for a published consultation), and publishes.
 * 6. Each subscriber gets the
 * notification of the published responses in their language, with List-Unsubscribe and
 * List-Unsubscribe-Post headers; the public response table shows the outcome and reasons in each
 * language, and its CSV link gives a CSV (BOM, header row in the page's language, the comment's row)
 * with no e-mail address.
 *
 * Every page visited is checked with axe-core (JavaScript on) or html-validate (both), and no page
 * shows any of the addresses used.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { dayIn, translate, type MessageKey } from '../src/i18n/index.js';
import type { Locale } from '../src/i18n/locales.js';
import { insertSession } from '../src/modules/accounts/index.js';
import { deliverToMailbox, type MailboxMessage } from '../src/modules/mail/index.js';
import { pdb } from '../src/modules/participation/tables.js';
import { addDays } from '../src/modules/standards/checklist.js';
import { deliverImmediateNotices } from '../src/modules/subscriptions/index.js';
import { sdb } from '../src/modules/subscriptions/tables.js';
import { assertNoProblems, checkPage, htmlErrors, launchBrowser, newContext } from './browser.js';
import { fillForm, followLink, navigation, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

const SLUG = 'digital-services-demo';
const C = `/gjakova/consultations/${SLUG}`;
const PUBLIC_URL = 'https://besa.example.org';

interface Run {
  locale: Locale;
  javaScript: boolean;
  author: { name: string; email: string; body: string };
  replier: { name: string; email: string; body: string };
  hideReason: string;
  reasons: string;
}

const RUNS: Run[] = [
  {
    locale: 'en',
    javaScript: true,
    author: { name: 'Journey Author', email: 'journey.author@example.net', body: 'Please put the building permit request online first, with its fee.' },
    replier: { name: 'Journey Replier', email: 'journey.replier@example.net', body: 'Agreed, and show how far each request has got.' },
    hideReason: 'Held for a check of a personal detail.',
    reasons: 'The building permit request is among the first five services to go online.',
  },
  {
    locale: 'sq',
    javaScript: false,
    author: { name: 'Autori i Udhëtimit', email: 'autori.udhetimi@example.net', body: 'Ju lutem vendosni në internet fillimisht kërkesën për leje ndërtimi.' },
    replier: { name: 'Përgjigjësi', email: 'pergjigjesi.udhetimi@example.net', body: 'Pajtohem, dhe tregoni se ku ka arritur çdo kërkesë.' },
    hideReason: 'U mbajt për kontrollin e një të dhëne personale.',
    reasons: 'Kërkesa për leje ndërtimi është ndër pesë shërbimet e para që dalin në internet.',
  },
];
const ADDRESSES = RUNS.flatMap((r) => [r.author.email, r.replier.email]);

let server: TestServer;
let browser: Browser;
let mailDir: string;
let session = '';
let consultationId = 0;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
const done = new Set<string>();
/** Per locale: the comment's and the reply's ids. */
const ids: Record<string, { comment: number; reply: number }> = {};

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mailDir = mkdtempSync(join(tmpdir(), 'besa-e2e-journey-'));
  const now = new Date().toISOString();
  const gjakova = await server.db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
  // One person who both moderates and coordinates Gjakova's participation (roles of the jurisdiction).
  const user = await server.db
    .insertInto('users')
    .values({ email: 'journey.staff@example.org', display_name: 'Drita Gashi', password_hash: 'x', created_at: now } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const role of ['moderator', 'coordinator'] as const) {
    await server.db.insertInto('user_roles').values({ user_id: user.id, role, jurisdiction_id: gjakova.id, institution_id: null }).execute();
  }
  session = await insertSession(server.db, user.id);
  consultationId = (await pdb(server.db).selectFrom('consultations').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id;
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  if (mailDir) rmSync(mailDir, { recursive: true, force: true });
});

const t = (locale: Locale, key: string, values?: Record<string, string | number>) => translate(locale, key as MessageKey, values);

async function newPage(javaScript: boolean, signedIn = false): Promise<Page> {
  const context = await newContext(browser, { javaScriptEnabled: javaScript });
  if (signedIn) await context.addCookies([{ name: 'besa_session', value: session, url: server.url }]);
  contexts.push(context);
  return context.newPage();
}

/** Checks a page as served: its status, axe-core (with JavaScript) and html-validate, no address on it. */
async function check(page: Page, response: Response, where: string, javaScript: boolean, status = 200): Promise<string> {
  assert.equal(response.status(), status, `${where}: status ${response.status()}`);
  const html = await response.text();
  if (javaScript) problems.push(...(await checkPage(page, html, where)));
  else problems.push(...(await htmlErrors(html)).map((e) => `${where}: ${e}`));
  for (const address of ADDRESSES) assert.ok(!html.includes(address), `${where} shows an address`);
  return html;
}

async function visit(page: Page, path: string, where: string, javaScript: boolean): Promise<string> {
  return check(page, await navigation(page, () => page.goto(server.url + path)), where, javaScript);
}

/** Delivers the outbox into the mail folder and returns the newest message to `to` whose subject is `subject`. */
async function mailTo(to: string, subject: string | RegExp): Promise<MailboxMessage> {
  const messages = (await deliverToMailbox(server.db, mailDir)).filter((m) => m.to === to && (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject)));
  assert.ok(messages.length > 0, `a message to ${to} with the subject ${String(subject)}`);
  return messages[messages.length - 1]!;
}

/** The path of the absolute link in a message, on the test server. */
function linkIn(message: MailboxMessage, pattern: RegExp): string {
  const found = pattern.exec(message.text)?.[0];
  assert.ok(found, `a link ${String(pattern)} in:\n${message.text}`);
  const url = new URL(found);
  return `${url.pathname}${url.search}`;
}

function requires(tc: TestContext, ...steps: string[]): boolean {
  const missing = steps.filter((s) => !done.has(s));
  if (missing.length) tc.skip(`needs the earlier step(s): ${missing.join(', ')}`);
  return missing.length === 0;
}

/** Opens the consultation page, follows `href`, sends the contribution and confirms it from its message. */
async function contribute(page: Page, run: Run, person: Run['author'], href: string, label: string): Promise<number> {
  const { locale, javaScript } = run;
  await visit(page, `/${locale}${C}`, `the consultation page [${locale}]`, javaScript);
  await check(page, await followLink(page, href), `the ${label} form [${locale}]`, javaScript);
  await fillForm(page, { author_name: person.name, email: person.email, body: person.body });
  await page.locator('main form #field-consent').check();
  const sent = await check(page, await submitForm(page, 'body'), `the ${label}: sent [${locale}]`, javaScript);
  assert.ok(page.url().endsWith(`/${locale}${C}/contribute/sent`), page.url());
  assert.ok(sent.includes(t(locale, 'contribution.sent.title')), 'check your e-mail, in the page’s language');

  const message = await mailTo(person.email, t(locale, 'contribution.mail.confirm.subject'));
  assert.ok(message.text.includes(t(locale, 'contribution.mail.confirm.greeting', { name: person.name })), 'the message is in the page’s language');
  const confirm = linkIn(message, new RegExp(`https?://\\S+/${locale}/contributions/confirm/[A-Za-z0-9_-]+`));
  const confirmPage = await visit(page, confirm, `the ${label}'s confirmation page [${locale}]`, javaScript);
  assert.ok(confirmPage.includes(t(locale, 'contribution.confirm.button')));
  const row = () => pdb(server.db).selectFrom('contributions').select(['id', 'status']).where('email', '=', person.email).executeTakeFirstOrThrow();
  assert.equal((await row()).status, 'unconfirmed', 'opening the link publishes nothing');
  const confirmed = await navigation(page, () => page.locator('main form button[type="submit"]').click());
  await check(page, confirmed, `the ${label} confirmed [${locale}]`, javaScript);
  assert.match(page.url(), /\/confirmed$/);
  const { id, status } = await row();
  assert.equal(status, 'published');

  const consultation = await visit(page, `/${locale}${C}`, `the consultation page with the ${label} [${locale}]`, javaScript);
  assert.ok(consultation.includes(person.body), `the ${label} shows on the consultation page`);
  assert.ok(consultation.includes(person.name));
  return id;
}

for (const run of RUNS) {
  const { locale, javaScript } = run;
  describe(`the journey [${locale}, JavaScript ${javaScript ? 'on' : 'off'}]`, () => {
    test('1. a citizen comments, confirms by e-mail and sees the comment', async () => {
      const page = await newPage(javaScript);
      const comment = await contribute(page, run, run.author, `/${locale}${C}/contribute`, 'comment');
      ids[locale] = { comment, reply: 0 };
      done.add(`${locale}:comment`);
    });

    test('2. another citizen replies and confirms, then follows the consultation and confirms the subscription', async (tc) => {
      if (!requires(tc, `${locale}:comment`)) return;
      const page = await newPage(javaScript);
      ids[locale]!.reply = await contribute(page, run, run.replier, `/${locale}${C}/contribute?reply=${ids[locale]!.comment}`, 'reply');
      const depth = await pdb(server.db).selectFrom('contributions').select(['parent_id']).where('id', '=', ids[locale]!.reply).executeTakeFirstOrThrow();
      assert.equal(depth.parent_id, ids[locale]!.comment, 'a reply to the comment');

      const follow = `/${locale}/subscriptions/new?topic=consultation:${consultationId}`;
      assert.equal(await page.locator(`main a[href="${follow}"]`).first().innerText(), t(locale, 'subscriptions.follow'));
      await check(page, await followLink(page, follow), `the subscription form [${locale}]`, javaScript);
      assert.equal(await page.locator('main form [name="locale"]').inputValue(), locale, 'the page’s language by default');
      await fillForm(page, { email: run.replier.email, frequency: 'immediate', consent: ['yes'] });
      await check(page, await submitForm(page, 'email'), `subscription requested [${locale}]`, javaScript);
      assert.ok(page.url().endsWith(`/${locale}/subscriptions/sent`), page.url());

      // The subject in the subscriber's language, naming the consultation by its title in that language.
      const message = await mailTo(run.replier.email, t(locale, 'subscriptions.mail.confirm.subject', { topic: await titleIn(locale) }));
      const confirm = linkIn(message, new RegExp(`https?://\\S+/${locale}/subscriptions/confirm/[A-Za-z0-9_-]+`));
      await visit(page, confirm, `the subscription's confirmation page [${locale}]`, javaScript);
      const manage = await check(page, await navigation(page, () => page.locator('main form button[type="submit"]').click()), `the subscription confirmed [${locale}]`, javaScript);
      assert.ok(manage.includes('class="flash"'));
      const row = await sdb(server.db).selectFrom('subscriptions').select(['confirmed_at', 'locale']).where('email', '=', run.replier.email).executeTakeFirstOrThrow();
      assert.ok(row.confirmed_at, 'confirmed by the button');
      assert.equal(row.locale, locale);
      done.add(`${locale}:subscribed`);
    });

    test('3. a third person flags the comment, which is held for a moderator', async (tc) => {
      if (!requires(tc, `${locale}:comment`)) return;
      if (!done.has('threshold')) {
        // The coordinator lowers the flag threshold of the demonstration consultation to 1 (see the header).
        const admin = await newPage(true, true);
        await visit(admin, `/en/admin/jurisdictions/gjakova/consultations`, 'the consultations admin list', true);
        const edit = `/en/admin/jurisdictions/gjakova/consultations/${SLUG}/edit`;
        await check(admin, await followLink(admin, edit), 'the consultation edit form', true);
        await fillForm(admin, { flag_threshold: '1' });
        await check(admin, await submitForm(admin, 'flag_threshold'), 'the consultation saved', true);
        assert.equal((await pdb(server.db).selectFrom('consultations').select('flag_threshold').where('id', '=', consultationId).executeTakeFirstOrThrow()).flag_threshold, 1);
        done.add('threshold');
      }
      const page = await newPage(javaScript);
      await visit(page, `/${locale}${C}`, `the consultation page before flagging [${locale}]`, javaScript);
      const flag = `/${locale}${C}/contributions/${ids[locale]!.comment}/flag`;
      await check(page, await followLink(page, flag), `the flag form [${locale}]`, javaScript);
      await fillForm(page, { reason: 'personal_data' });
      const sent = await check(page, await submitForm(page, 'reason'), `flag sent [${locale}]`, javaScript);
      assert.ok(page.url().endsWith(`${flag}/sent`), page.url());
      assert.ok(sent.includes(t(locale, 'contribution.flag.sent.title')));
      const row = await pdb(server.db).selectFrom('contributions').select(['status', 'flag_count']).where('id', '=', ids[locale]!.comment).executeTakeFirstOrThrow();
      assert.equal(row.flag_count, 1);
      assert.equal(row.status, 'pending', 'held until a moderator decides');
      const consultation = await visit(page, `/${locale}${C}`, `the consultation page with the comment held [${locale}]`, javaScript);
      assert.ok(!consultation.includes(run.author.body), 'the held comment’s text is not shown');
      assert.ok(consultation.includes(t(locale, 'contribution.section.hidden')));
      done.add(`${locale}:flagged`);
    });

    test('4. a moderator hides the comment with a reason (the author is told in their language), then restores it', async (tc) => {
      if (!requires(tc, `${locale}:flagged`)) return;
      const page = await newPage(javaScript, true);
      await visit(page, `/${locale}/admin`, `the admin home [${locale}]`, javaScript);
      const queue = `/${locale}/admin/moderation`;
      await check(page, await followLink(page, queue), `the moderation queue [${locale}]`, javaScript);
      const id = ids[locale]!.comment;
      await fillForm(page, { [`reason_${id}`]: run.hideReason });
      const hidden = await check(page, await submitForm(page, `reason_${id}`), `hidden [${locale}]`, javaScript);
      assert.ok(hidden.includes(run.hideReason), 'the queue shows the reason');
      assert.equal((await pdb(server.db).selectFrom('contributions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'hidden');

      const told = await mailTo(run.author.email, new RegExp(`^${escapeRegExp(t(locale, 'moderation.mail.hidden.subject', { consultation: '' }))}`));
      assert.ok(told.text.includes(run.hideReason), 'the author is told the reason');

      const restored = await navigation(page, () => page.locator(`main form[action="${queue}/${id}/approve"] button`).click());
      await check(page, restored, `restored [${locale}]`, javaScript);
      assert.equal((await pdb(server.db).selectFrom('contributions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'published');
      const consultation = await visit(page, `/${locale}${C}`, `the consultation page with the comment restored [${locale}]`, javaScript);
      assert.ok(consultation.includes(run.author.body), 'the comment shows again');
      done.add(`${locale}:moderated`);
    });
  });
}

/** The consultation's title in one language, as stored. */
async function titleIn(locale: Locale): Promise<string> {
  const row = await pdb(server.db).selectFrom('consultations').select('title').where('id', '=', consultationId).executeTakeFirstOrThrow();
  const title = (JSON.parse(row.title) as Record<string, string>)[locale];
  assert.ok(title, `a title in ${locale}`);
  return title;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the coordinator responds; the subscribers hear of it', () => {
  test('5. the coordinator answers every contribution and publishes the response table through its confirmation', async (tc) => {
    if (!requires(tc, ...RUNS.map((r) => `${r.locale}:moderated`))) return;
    const [en, sq] = RUNS as [Run, Run];
    const mine = new Set([ids.sq!.comment, ids.sq!.reply]);
    // JavaScript on, English: the seeded demonstration contributions and the English group's.
    const page = await newPage(true, true);
    await visit(page, '/en/admin', 'the admin home (coordinator)', true);
    await check(page, await followLink(page, '/en/admin/jurisdictions/gjakova/consultations'), 'the consultations admin list (coordinator)', true);
    const edit = `/en/admin/jurisdictions/gjakova/consultations/${SLUG}/edit`;
    await check(page, await followLink(page, edit), 'the consultation edit form (coordinator)', true);
    const responses = `/en/admin/jurisdictions/gjakova/consultations/${SLUG}/responses`;
    await check(page, await followLink(page, responses), 'the responses admin page', true);
    // Still open: no publish button, and the page says why.
    assert.equal(await page.locator(`main form[action="${responses}/publish"]`).count(), 0, 'no publish button while the consultation is open');
    assert.ok((await page.locator('main #publish-blocked').innerText()).includes(t('en', 'responses.publish.refusedTitle')));
    // The contributions that get a response: published, or hidden after they were published.
    const all = await pdb(server.db)
      .selectFrom('contributions')
      .select('id')
      .where('consultation_id', '=', consultationId)
      .where((eb) => eb.or([eb('status', '=', 'published'), eb.and([eb('status', '=', 'hidden'), eb('published_at', 'is not', null)])]))
      .execute();
    assert.ok(all.length >= 9, `the seeded and the journey's contributions (${all.length})`);
    for (const { id } of all.filter((c) => !mine.has(c.id))) {
      await check(page, await followLink(page, `${responses}/${id}`), `the response form of #${id}`, true);
      const outcome = id === ids.en!.comment ? 'accepted' : 'not_accepted';
      await fillForm(page, { outcome, reasons: id === ids.en!.comment ? en.reasons : `Answer to contribution ${id}: not for this plan.` });
      await check(page, await submitForm(page, 'reasons'), `saved #${id}`, true);
      if (!page.url().endsWith(responses)) await visit(page, responses, 'the responses admin page', true);
    }
    // JavaScript off, Albanian: the Albanian group's contributions.
    const off = await newPage(false, true);
    const responsesSq = responses.replace('/en/', '/sq/');
    await visit(off, responsesSq, 'the responses admin page [sq]', false);
    for (const id of mine) {
      await check(off, await followLink(off, `${responsesSq}/${id}`), `the response form of #${id} [sq]`, false);
      await fillForm(off, { outcome: id === ids.sq!.comment ? 'partly_accepted' : 'out_of_scope', reasons: id === ids.sq!.comment ? sq.reasons : 'Jashtë temës së kësaj konsultimi.' });
      await check(off, await submitForm(off, 'reasons'), `saved #${id} [sq]`, false);
      if (!off.url().endsWith(responsesSq)) await visit(off, responsesSq, 'the responses admin page [sq]', false);
    }
    // Every contribution is answered, but the consultation is still open: still no publish button.
    assert.equal(await off.locator(`main form[action="${responsesSq}/publish"]`).count(), 0, 'no publish button while the consultation is open');
    assert.ok((await off.locator('main #publish-blocked').innerText()).includes(t('sq', 'responses.publish.refusedTitle')));
    // The coordinator closes the consultation: its closing day becomes yesterday (Gjakova's calendar), in the edit form.
    const zone = (await server.db.selectFrom('jurisdictions').select('time_zone').where('slug', '=', 'gjakova').executeTakeFirstOrThrow()).time_zone || 'UTC';
    const yesterday = addDays(dayIn(new Date().toISOString(), zone), -1);
    const editSq = edit.replace('/en/', '/sq/');
    await visit(off, editSq, 'the consultation edit form [sq]', false);
    await fillForm(off, { closes_on: yesterday });
    await check(off, await submitForm(off, 'closes_on'), 'the consultation closed [sq]', false);
    assert.equal((await pdb(server.db).selectFrom('consultations').select('closes_on').where('id', '=', consultationId).executeTakeFirstOrThrow()).closes_on, yesterday);
    await check(off, await followLink(off, responsesSq), 'the responses admin page, consultation closed [sq]', false);
    const confirm = await navigation(off, () => off.locator(`main form[action="${responsesSq}/publish"] button`).click());
    await check(off, confirm, 'the publishing confirmation [sq]', false);
    const published = await navigation(off, () => off.locator('main form:has([name="confirm"]) button').click());
    await check(off, published, 'the response table published [sq]', false);
    const row = await pdb(server.db).selectFrom('consultations').select('responded_at').where('id', '=', consultationId).executeTakeFirstOrThrow();
    assert.ok(row.responded_at, 'the response table is published');
    done.add('published');
  });

  for (const run of RUNS) {
    const { locale, javaScript } = run;
    test(`6. [${locale}, JavaScript ${javaScript ? 'on' : 'off'}] the subscriber is told in their language; the response table and its CSV show the answer`, async (tc) => {
      if (!requires(tc, 'published', `${locale}:subscribed`)) return;
      await deliverImmediateNotices(server.db, { publicUrl: PUBLIC_URL });
      // "[Demonstration] Response to contributions: {title}", all in the subscriber's language.
      const subject = `${t(locale, 'subscriptions.notice.demoSubject')} ${t(locale, 'subscriptions.notice.kind.response')}: ${await titleIn(locale)}`;
      const message = await mailTo(run.replier.email, subject);
      assert.ok(message.text.includes(`${PUBLIC_URL}/${locale}${C}`), 'the link to the consultation in their language');
      assert.equal(message.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
      assert.match(message.headers['list-unsubscribe'] ?? '', /^<https:\/\/\S+\/subscriptions\/unsubscribe\/\S+>$/);

      // The comment's author is told what became of it, in the language they wrote in.
      const answer = await mailTo(run.author.email, t(locale, 'responses.mail.subject', { consultation: await titleIn(locale) }));
      assert.ok(answer.text.includes(run.reasons), 'the reasons, in the author’s message');

      const page = await newPage(javaScript);
      const html = await visit(page, `/${locale}${C}`, `the consultation page with the response table [${locale}]`, javaScript);
      const table = page.locator('main #responses');
      assert.ok((await table.count()) > 0, 'the response table');
      const text = await table.innerText();
      const outcome = locale === 'en' ? 'accepted' : 'partly_accepted';
      assert.ok(text.includes(t(locale, `responses.outcome.${outcome}`)), 'the outcome, in the page’s language');
      assert.ok(text.includes(run.reasons), 'the reasons');
      assert.ok(html.includes(run.author.body));

      const csvPath = `/${locale}${C}/responses.csv`;
      assert.ok((await page.locator(`main a[href="${csvPath}"]`).count()) > 0, 'the CSV link');
      const csv = await page.request.get(server.url + csvPath);
      assert.equal(csv.status(), 200);
      assert.match(csv.headers()['content-type'] ?? '', /text\/csv/);
      const body = await csv.text();
      assert.ok(body.startsWith('\uFEFF'), 'a byte order mark');
      const header = body.slice(1).split(/\r?\n/)[0]!;
      assert.ok(header.startsWith(`${t(locale, 'responses.csv.number')},${t(locale, 'responses.csv.kind')}`), `the header row in the page’s language: ${header}`);
      const line = body.split(/\r?\n/).find((l) => l.includes(run.author.body));
      assert.ok(line, 'the comment’s row');
      assert.ok(line.includes(t(locale, `responses.outcome.${outcome}`)) && line.includes(run.reasons), line);
      assert.ok(!body.includes('@'), 'no e-mail address in the CSV');
    });
  }

  test('no accessibility or HTML problem on any page visited', () => {
    assertNoProblems(problems);
  });
});
