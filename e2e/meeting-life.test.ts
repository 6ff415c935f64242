/**
 * A meeting's life in the browser, on the seeded Gjakova plan: the Forum's secretary schedules a
 * meeting (JavaScript on), sets its agenda and invites guests (JavaScript off); the reminders go
 * out (read from the mail folder); the meeting is held: minutes and attendance, a decision and an
 * action item (JavaScript off); the next meeting is scheduled, held, approves the first minutes and
 * closes the action item (JavaScript on). After each step the public sees it, in English (with
 * JavaScript) and in Albanian (without). Every page visited passes html-validate, and those shown
 * with JavaScript also axe-core.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { insertSession } from '../src/modules/accounts/index.js';
import { deliverToMailbox } from '../src/modules/mail/index.js';
import { remindUpcomingMeetings } from '../src/modules/meetings/index.js';
import { wallClock } from '../src/modules/meetings/domain.js';
import { axeViolations, formatViolations, htmlErrors, launchBrowser, newContext } from './browser.js';
import { fillForm, navigation, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

const J = 'gjakova';
const ADMIN = `/en/admin/jurisdictions/${J}/meetings`;
const MEMBERS = [
  { organisation: 'Youth Centre Gjakova', person: 'Arta Krasniqi', email: 'arta@youth.example.org', consent: true },
  { organisation: 'Women’s Network', person: 'Hidden Member', email: 'network@women.example.org', consent: false },
  { organisation: 'Municipal Assembly', person: null, email: null, consent: false },
];

let server: TestServer;
let browser: Browser;
let mailDir: string;
const contexts: BrowserContext[] = [];
let withJs: Page;
let withoutJs: Page;
let publicJs: Page;
let publicNoJs: Page;
let forumId = 0;
const memberIds: number[] = [];
const problems: string[] = [];
const done = new Set<string>();
let first = 0;
let second = 0;

function daysFromNow(days: number, zone: string): string {
  return wallClock(new Date(Date.now() + days * 86_400_000), zone).date;
}

before(async () => {
  server = await startServer();
  mailDir = mkdtempSync(join(tmpdir(), 'besa-e2e-meetings-mail-'));
  const now = new Date().toISOString();
  const jurisdiction = await server.db.selectFrom('jurisdictions').select('id').where('slug', '=', J).executeTakeFirstOrThrow();
  await server.db.updateTable('jurisdictions').set({ time_zone: 'Europe/Belgrade' }).where('id', '=', jurisdiction.id).execute();
  // The Forum and its members, as the bodies module keeps them (inserted directly here).
  const tables = server.db.withTables<{ bodies: Record<string, unknown> & { id: number; slug: string; jurisdiction_id: number }; body_members: Record<string, unknown> & { id: number } }>();
  const existing = await tables.selectFrom('bodies').select('id').where('jurisdiction_id', '=', jurisdiction.id).where('slug', '=', 'forum').executeTakeFirst();
  forumId =
    existing?.id ??
    (
      await tables
        .insertInto('bodies')
        .values({ jurisdiction_id: jurisdiction.id, kind: 'forum', slug: 'forum', name: JSON.stringify({ en: 'Transparency Forum', sq: 'Forumi i Transparencës' }), created_at: now, updated_at: now } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  for (const [i, m] of MEMBERS.entries()) {
    const row = await tables
      .insertInto('body_members')
      .values({
        body_id: forumId,
        organisation: JSON.stringify({ en: m.organisation }),
        person_name: m.person,
        name_consent_at: m.consent ? now : null,
        email: m.email,
        sector: 'civil_society',
        role: i === 0 ? 'chair' : 'member',
        position: 100 + i,
        created_at: now,
        updated_at: now,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    memberIds.push(row.id);
  }
  // The Forum's secretary, signed in in two browsers: with and without JavaScript.
  const user = await server.db
    .insertInto('users')
    .values({ email: 'secretary@gjakova.example.org', display_name: 'Forum secretary', password_hash: 'x', created_at: now, locale: 'sq' } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await server.db.insertInto('user_roles').values({ user_id: user.id, role: 'forum_secretary', jurisdiction_id: jurisdiction.id, institution_id: null }).execute();
  browser = await launchBrowser();
  const open = async (options = {}, session?: string) => {
    const c = await newContext(browser, options);
    contexts.push(c);
    if (session) await c.addCookies([{ name: 'besa_session', value: session, url: server.url }]);
    return c.newPage();
  };
  withJs = await open({}, await insertSession(server.db, user.id));
  withoutJs = await open({ javaScriptEnabled: false }, await insertSession(server.db, user.id));
  publicJs = await open();
  publicNoJs = await open({ javaScriptEnabled: false });
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  if (mailDir) rmSync(mailDir, { recursive: true, force: true });
});

async function check(page: Page, response: Response, where: string): Promise<string> {
  const html = await response.text();
  const errors = await htmlErrors(html);
  if (errors.length) problems.push(`${errors.length} HTML error(s) on ${where}:\n  ${errors.join('\n  ')}`);
  if (page === withJs || page === publicJs) {
    const violations = await axeViolations(page);
    if (violations.length) problems.push(formatViolations(where, violations));
  }
  return html;
}

async function open(page: Page, path: string, status = 200): Promise<string> {
  const response = await navigation(page, () => page.goto(server.url + path));
  assert.equal(response.status(), status, `GET ${path}`);
  return check(page, response, path);
}

async function submit(page: Page, field: string, values: Record<string, string | string[] | boolean>, status = 200): Promise<string> {
  await fillForm(page, values);
  const response = await submitForm(page, field);
  assert.equal(response.status(), status, `submitting the form with ${field} on ${page.url()}`);
  return check(page, response, `after ${field}`);
}

/** The meeting's public page in English (JavaScript on) and Albanian (JavaScript off). */
async function publicSees(id: number, english: RegExp[], albanian: RegExp[], hidden: RegExp[] = []): Promise<void> {
  const en = await open(publicJs, `/en/${J}/meetings/${id}`);
  const sq = await open(publicNoJs, `/sq/${J}/meetings/${id}`);
  for (const p of english) assert.match(en, p);
  for (const p of albanian) assert.match(sq, p);
  for (const p of hidden) {
    assert.doesNotMatch(en, p);
    assert.doesNotMatch(sq, p);
  }
}

/**
 * The meeting's day comes: its start and end move `daysAgo` days back, in the database (time
 * passing, not anyone's edit): a meeting is held, and its minutes written, once it has begun.
 */
async function letTimePass(id: number, daysAgo: number): Promise<void> {
  const start = new Date(Date.now() - daysAgo * 86_400_000);
  const meetings = server.db.withTables<{ meetings: { id: number; starts_at: string; ends_at: string } }>();
  await meetings.updateTable('meetings').set({ starts_at: start.toISOString(), ends_at: new Date(start.getTime() + 2 * 3_600_000).toISOString() }).where('id', '=', id).execute();
}

function requires(t: TestContext, ...steps: string[]): boolean {
  const missing = steps.filter((s) => !done.has(s));
  if (missing.length) t.skip(`needs the earlier step(s): ${missing.join(', ')}`);
  return missing.length === 0;
}

test('the secretary schedules a meeting (JavaScript on); the public lists it with its calendar feed', async () => {
  await open(withJs, `/en/admin`);
  assert.ok(await withJs.locator(`main a[href="${ADMIN}"]`).count(), 'the start page links to the meetings');
  await open(withJs, ADMIN);
  await open(withJs, `${ADMIN}/new`);
  const day = daysFromNow(2, 'Europe/Belgrade');
  const html = await submit(withJs, 'start_date', {
    body: String(forumId),
    kind: 'forum',
    title: 'Forum: progress of the first cycle',
    place: 'Town hall, room 3',
    start_date: day,
    start_time: '18:00',
    end_date: day,
    end_time: '20:00',
    step_free: '1',
    languages: ['sq', 'sr'],
  });
  assert.match(html, /The meeting has been scheduled/);
  first = Number(/\/meetings\/(\d+)$/.exec(new URL(withJs.url()).pathname)![1]);
  const list = await open(publicJs, `/en/${J}/meetings`);
  assert.match(list, /Forum: progress of the first cycle/);
  assert.match(list, new RegExp(`href="/en/${J}/meetings.ics"`));
  const listSq = await open(publicNoJs, `/sq/${J}/bodies/forum/meetings`);
  assert.match(listSq, /Takimet e ardhshme/);
  const feed = await fetch(`${server.url}/en/${J}/meetings.ics`);
  assert.match(feed.headers.get('content-type') ?? '', /^text\/calendar/);
  assert.match(await feed.text(), /DTSTART;TZID=Europe\/Belgrade:\d{8}T180000/);
  done.add('scheduled');
});

test('agenda and guests (JavaScript off); a guest is named only with consent', async (t) => {
  if (!requires(t, 'scheduled')) return;
  await open(withoutJs, `${ADMIN}/${first}/agenda`);
  const html = await submit(withoutJs, 'agenda_title_0', {
    agenda_title_0: 'Progress reports of the first cycle',
    agenda_title_1: 'Creating a working group on open data',
    doc_title_0: 'Draft agenda',
    doc_url_0: 'https://gjakova.example.org/agenda.pdf',
    guest_name_0: 'Besnik Gashi',
    guest_public_0: '1',
    guest_org_0: 'University of Gjakova',
    guest_reason_0: 'Open data expert',
    guest_name_1: 'Unnamed Guest',
    guest_org_1: 'Roma community association',
  });
  assert.match(html, /The agenda, documents and guests have been saved/);
  await publicSees(first, [/Progress reports of the first cycle/, /Besnik Gashi/, /Roma community association/, /Europe\/Belgrade, UTC\+[12]/], [/Rendi i ditës/, /Besnik Gashi/], [/Unnamed Guest/]);
  done.add('agenda');
});

test('the reminders reach the members with an address and the secretary, in the mail folder', async (t) => {
  if (!requires(t, 'scheduled')) return;
  assert.equal(await remindUpcomingMeetings(server.db, new Date(), { publicUrl: server.url }), 3);
  const messages = await deliverToMailbox(server.db, mailDir);
  const reminders = messages.filter((m) => /Forum: progress of the first cycle/.test(m.subject));
  assert.deepEqual(reminders.map((m) => m.to).sort(), ['arta@youth.example.org', 'network@women.example.org', 'secretary@gjakova.example.org']);
  assert.ok(reminders.every((m) => m.text.includes(`/meetings/${first}`)));
  const admin = await open(withJs, `${ADMIN}/${first}`);
  assert.doesNotMatch(admin, /Reminders sent<\/dt>\s*<dd>Not yet/);
  done.add('reminded');
});

test('held (JavaScript off): minutes, attendance, a decision and an action item; the public sees them', async (t) => {
  if (!requires(t, 'scheduled')) return;
  await letTimePass(first, 3);
  await open(withoutJs, `${ADMIN}/${first}/outcome`);
  let html = await submit(withoutJs, 'minutes', {
    minutes: 'The Forum heard the progress reports and agreed to set up a working group.',
    [`att_${memberIds[0]}`]: 'present',
    [`att_${memberIds[1]}`]: 'excused',
    [`att_${memberIds[2]}`]: 'absent',
  });
  assert.match(html, /The minutes and attendance have been saved/);
  // A decision refused first (no text): the error summary, the votes kept.
  html = await submit(withoutJs, 'decision_text', { decision_text: '', votes_for: '9' }, 422);
  assert.match(html, /There is a problem|error-summary/);
  assert.match(html, /value="9"/);
  html = await submit(withoutJs, 'decision_text', { decision_text: 'A working group on open data is set up.', votes_for: '9', votes_against: '1', votes_abstaining: '2', decision_commitments: 'XKGJA0001' });
  assert.match(html, /The decision has been recorded/);
  html = await submit(withoutJs, 'action_text', { action_text: 'Propose the members of the working group.', owner_label: 'Forum secretariat', due_on: daysFromNow(20, 'UTC') });
  assert.match(html, /The action item has been recorded/);
  await publicSees(
    first,
    [/Held/, /The Forum heard the progress reports/, /1 present, 1 excused, 1 absent/, /Arta Krasniqi/, /A working group on open data is set up/, /Votes: 9 for, 1 against, 2 abstaining/, /Propose the members of the working group/, /These minutes are not yet approved/],
    [/I mbajtur/, /Procesverbali/, /Vendimet/, /Detyrat/, /Ky procesverbal ende nuk është miratuar/],
    [/Hidden Member/],
  );
  done.add('held');
});

test('the next meeting carries the action item, approves the minutes and closes the item (JavaScript on)', async (t) => {
  if (!requires(t, 'held')) return;
  await open(withJs, `${ADMIN}/new`);
  const day = daysFromNow(30, 'Europe/Belgrade');
  await submit(withJs, 'start_date', { body: String(forumId), kind: 'forum', title: 'Forum: the working group', start_date: day, start_time: '18:00', end_date: day, end_time: '20:00' });
  second = Number(/\/meetings\/(\d+)$/.exec(new URL(withJs.url()).pathname)![1]);
  await publicSees(second, [/Action items carried from earlier meetings/, /Propose the members of the working group/], [/Detyrat e bartura nga takimet e mëparshme/]);
  await letTimePass(second, 1);
  await open(withJs, `${ADMIN}/${second}/outcome`);
  await submit(withJs, 'minutes', { minutes: 'The minutes of the previous meeting were read.', [`att_${memberIds[0]}`]: 'present' });
  // Approving the first meeting's minutes at this one.
  const approve = withJs.locator(`main form[action="${ADMIN}/${second}/approve"] button`);
  assert.equal(await approve.count(), 1);
  let response = await navigation(withJs, () => approve.click());
  assert.match(await check(withJs, response, 'after approval'), /The minutes have been approved/);
  // Closing the carried action item here.
  const item = withJs.locator('main form.follow-up-form').first();
  await item.locator('select[name="status"]').selectOption('done');
  await item.locator('input[name="note"]').fill('Three organisations proposed members.');
  response = await navigation(withJs, () => item.locator('button').click());
  assert.match(await check(withJs, response, 'after the follow-up'), /The follow-up has been recorded/);
  await publicSees(first, [/These minutes were approved at the meeting of/, new RegExp(`href="/en/${J}/meetings/${second}"`)], [/Ky procesverbal u miratua në takimin e/]);
  await publicSees(second, [/Minutes approved at this meeting/, /Done/, /Three organisations proposed members/], [/E kryer/]);
  done.add('approved');
});

test('every page visited passes html-validate (and axe-core where JavaScript runs)', () => {
  assert.deepEqual(problems, []);
});
