import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import ICAL from 'ical.js';
import { describeEachDatabase } from '../../../test/db.js';
import type { Db } from '../../db/database.js';
import { ForbiddenError } from '../audit/index.js';
import { NotFoundError } from '../../plugins/errors.js';
import { BodiesInputError, removeBodyMember } from '../bodies/index.js';
import { searchBody } from '../search/indexer.js';
import {
  approveMinutes,
  cancelMeeting,
  followUpActionItem,
  MeetingStateError,
  recordActionItem,
  recordDecision,
  recordMeetingOutcome,
  remindUpcomingMeetings,
  saveMeetingPreparation,
  scheduleMeeting,
  updateMeeting,
  type MeetingInput,
} from './commands.js';
import { localToUtc } from './domain.js';
import { meetingsCalendar } from './ical.js';
import { manifest } from './index.js';
import { findJurisdiction, findMeetingDetail, listMeetings } from './queries.js';
import { mdb } from './tables.js';
import { insertMeetingsFixture, type MeetingsFixture } from '../../../test/meetings-fixture.js';

const ZONE = 'Europe/Belgrade';

/** The transparency log's table, as far as these tests read it. */
function log(db: Db) {
  return db.withTables<{ transparency_entries: { action: string; entity_type: string; summary: string } }>();
}


function input(f: MeetingsFixture, day: string, overrides: Partial<MeetingInput> = {}): MeetingInput {
  return {
    jurisdictionId: f.jurisdictionId,
    bodyId: f.forumId,
    kind: 'forum',
    contentLocale: 'en',
    title: `Forum ${day}`,
    startsAt: localToUtc(day, '18:00', ZONE),
    endsAt: localToUtc(day, '20:00', ZONE),
    timeZone: ZONE,
    place: 'Town hall, room 3',
    onlineUrl: 'https://meet.example.org/forum',
    stepFreeAccess: 1,
    signLanguage: 0,
    languages: ['sq', 'sr'],
    accessibilityNote: '',
    reportingCycleId: null,
    ...overrides,
  };
}

test('18:00 in Belgrade is 17:00 UTC in January and 16:00 UTC in July', () => {
  assert.equal(localToUtc('2026-01-15', '18:00', ZONE), '2026-01-15T17:00:00.000Z');
  assert.equal(localToUtc('2026-07-15', '18:00', ZONE), '2026-07-15T16:00:00.000Z');
  // A time skipped when the clocks go forward is moved forward by the gap.
  assert.equal(localToUtc('2026-03-29', '02:30', ZONE), '2026-03-29T01:30:00.000Z');
  // A time that happens twice when the clocks go back is the first (summer time) one.
  assert.equal(localToUtc('2026-10-25', '02:30', ZONE), '2026-10-25T00:30:00.000Z');
  assert.equal(localToUtc('2026-10-25', '18:00', ZONE), '2026-10-25T17:00:00.000Z');
  assert.equal(localToUtc('2026-03-29', '18:00', ZONE), '2026-03-29T16:00:00.000Z');
  assert.equal(localToUtc('2026-07-15', '18:00', 'UTC'), '2026-07-15T18:00:00.000Z');
  assert.equal(localToUtc('2026-07-15', '18:00', 'America/New_York'), '2026-07-15T22:00:00.000Z');
});

describeEachDatabase('meetings: commands, feeds, reminders', (get) => {
  let f: MeetingsFixture;
  let january: number;
  let july: number;

  before(async () => {
    f = await insertMeetingsFixture(get().db);
  });

  test('a forum secretary schedules meetings in January and July; the times are stored in UTC with the zone', async () => {
    const db = get().db;
    january = await scheduleMeeting(db, f.secretary, input(f, '2026-01-15'));
    july = await scheduleMeeting(db, f.actors.coordinator, input(f, '2026-07-15', { title: 'Forum in summer' }));
    const rows = await mdb(db).selectFrom('meetings').select(['id', 'starts_at', 'ends_at', 'time_zone', 'status', 'sequence', 'uid']).orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => [r.starts_at, r.ends_at, r.time_zone, r.status, r.sequence]),
      [
        ['2026-01-15T17:00:00.000Z', '2026-01-15T19:00:00.000Z', ZONE, 'scheduled', 0],
        ['2026-07-15T16:00:00.000Z', '2026-07-15T18:00:00.000Z', ZONE, 'scheduled', 0],
      ],
    );
    assert.notEqual(rows[0]!.uid, rows[1]!.uid);
  });

  test('a commitment holder may not schedule a meeting', async () => {
    await assert.rejects(scheduleMeeting(get().db, f.actors.holder, input(f, '2026-02-15')), ForbiddenError);
  });

  test('the feed parses; every event has UID, DTSTAMP, DTSTART/DTEND in the zone, SUMMARY, LOCATION, URL, STATUS, SEQUENCE', async () => {
    const db = get().db;
    const meetings = await listMeetings(db, f.jurisdictionId);
    const text = meetingsCalendar({ locale: 'en', name: 'Meetings', publicUrl: 'https://besa.example.org', jurisdictionSlug: 'gjakova', meetings });
    const calendar = new ICAL.Component(ICAL.parse(text));
    assert.equal(calendar.getAllSubcomponents('vtimezone')[0]?.getFirstPropertyValue('tzid'), ZONE);
    const events = calendar.getAllSubcomponents('vevent');
    assert.equal(events.length, 2);
    for (const e of events) {
      for (const name of ['uid', 'dtstamp', 'dtstart', 'dtend', 'summary', 'location', 'url', 'status', 'sequence']) assert.ok(e.hasProperty(name), `${name} missing`);
      assert.equal(e.getFirstProperty('dtstart')!.getParameter('tzid'), ZONE);
    }
    const winter = events.find((e) => e.getFirstPropertyValue('summary') === 'Forum 2026-01-15 (Transparency Forum)')!;
    const summer = events.find((e) => e.getFirstPropertyValue('summary') === 'Forum in summer (Transparency Forum)')!;
    assert.equal(String(winter.getFirstPropertyValue('dtstart')), '2026-01-15T18:00:00');
    assert.equal(String(summer.getFirstPropertyValue('dtstart')), '2026-07-15T18:00:00');
    assert.equal(winter.getFirstPropertyValue('location'), 'Town hall, room 3 · https://meet.example.org/forum');
    assert.equal(winter.getFirstPropertyValue('url'), `https://besa.example.org/en/gjakova/meetings/${january}`);
    // The VTIMEZONE lets a calendar turn the local time back into the same instant, summer time included.
    const zone = new ICAL.Timezone(calendar.getFirstSubcomponent('vtimezone')!);
    const start = summer.getFirstPropertyValue('dtstart') as ICAL.Time;
    start.zone = zone;
    assert.equal(start.toJSDate().toISOString(), '2026-07-15T16:00:00.000Z');
  });

  test('reminders go three days ahead to members with an address and to the forum secretary, in their language, once', async () => {
    const db = get().db;
    const now = new Date('2026-01-13T09:00:00Z');
    await db.insertInto('users').values({ email: 'network@women.example.org', display_name: 'network', password_hash: 'x', created_at: now.toISOString(), locale: 'en' } as never).execute();
    assert.equal(await remindUpcomingMeetings(db, now, { publicUrl: 'https://besa.example.org' }), 3);
    const mails = await db.selectFrom('mail_outbox').select(['to_address as recipient', 'subject', 'text_body as body_text']).orderBy('id').execute();
    assert.deepEqual(mails.map((m) => m.recipient).sort(), ['arta@youth.example.org', 'network@women.example.org', 'secretary@gjakova.example.org']);
    const secretary = mails.find((m) => m.recipient === 'secretary@gjakova.example.org')!;
    assert.match(secretary.subject, /^Rappel : Forum 2026-01-15/);
    assert.match(secretary.body_text, /18:00 \(Europe\/Belgrade, UTC\+1\)/);
    assert.match(secretary.body_text, new RegExp(`https://besa.example.org/fr/gjakova/meetings/${january}`));
    const member = mails.find((m) => m.recipient === 'arta@youth.example.org')!;
    assert.match(member.subject, /^Kujtesë: /);
    // A member who also has an account here (in English) gets it in the account's language.
    const network = mails.find((m) => m.recipient === 'network@women.example.org')!;
    assert.match(network.subject, /^Reminder: /);
    // Once per meeting; the July meeting is not yet due.
    assert.equal(await remindUpcomingMeetings(db, new Date('2026-01-14T09:00:00Z')), 0);
  });

  test('nobody is reminded of a demonstration meeting', async () => {
    const db = get().db;
    const demo = await scheduleMeeting(db, f.secretary, input(f, '2026-01-15', { bodyId: f.forumId, isDemo: true, title: 'Demo forum' }));
    assert.equal(await remindUpcomingMeetings(db, new Date('2026-01-13T10:00:00Z')), 0);
    const row = await mdb(db).selectFrom('meetings').select('reminded_at').where('id', '=', demo).executeTakeFirstOrThrow();
    assert.equal(row.reminded_at, null);
    await mdb(db).deleteFrom('meetings').where('id', '=', demo).execute();
  });

  test('moving a meeting keeps its UID, raises SEQUENCE and sends its reminders again', async () => {
    const db = get().db;
    const before = await mdb(db).selectFrom('meetings').selectAll().where('id', '=', january).executeTakeFirstOrThrow();
    assert.ok(before.reminded_at);
    await updateMeeting(db, f.secretary, january, input(f, '2026-01-16'));
    const after = await mdb(db).selectFrom('meetings').selectAll().where('id', '=', january).executeTakeFirstOrThrow();
    assert.equal(after.uid, before.uid);
    assert.equal(after.sequence, before.sequence + 1);
    assert.equal(after.starts_at, '2026-01-16T17:00:00.000Z');
    assert.equal(after.reminded_at, null);
    const meetings = await listMeetings(db, f.jurisdictionId);
    const text = meetingsCalendar({ locale: 'en', name: 'Meetings', publicUrl: 'https://besa.example.org', jurisdictionSlug: 'gjakova', meetings });
    const moved = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').find((e) => e.getFirstPropertyValue('uid') === before.uid)!;
    assert.equal(moved.getFirstPropertyValue('sequence'), 1);
    assert.equal(String(moved.getFirstPropertyValue('dtstart')), '2026-01-16T18:00:00');
    // Editing only the title does not move it.
    await updateMeeting(db, f.secretary, january, input(f, '2026-01-16', { title: 'Forum of January' }));
    assert.equal((await mdb(db).selectFrom('meetings').select('sequence').where('id', '=', january).executeTakeFirstOrThrow()).sequence, 1);
    const count = async () => (await db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const queuedBefore = Number(await count());
    assert.equal(await remindUpcomingMeetings(db, new Date('2026-01-14T09:00:00Z')), 3);
    assert.equal(Number(await count()), queuedBefore + 3);
  });

  test('agenda, documents and guests; a guest name is public only with consent, and never in the log', async () => {
    const db = get().db;
    await saveMeetingPreparation(db, f.secretary, january, {
      contentLocale: 'en',
      agenda: [
        { title: 'Progress of the first cycle', commitmentId: f.commitmentId, reportingCycleId: null },
        { title: 'Any other business', commitmentId: null, reportingCycleId: null },
      ],
      documents: [{ title: 'Draft agenda', url: 'https://gjakova.example.org/agenda.pdf' }],
      guests: [
        { name: 'Besnik Gashi', namePublic: true, organisation: 'University of Gjakova', reason: 'Expert on open data' },
        { name: 'Secret Guest', namePublic: false, organisation: 'Community association', reason: 'Community leader' },
      ],
    });
    const jurisdiction = (await findJurisdiction(db, 'gjakova'))!;
    const m = (await findMeetingDetail(db, jurisdiction, january))!;
    assert.deepEqual(m.agenda.map((a) => a.title.en), ['Progress of the first cycle', 'Any other business']);
    assert.equal(m.agenda[0]!.commitment?.code, 'XKGJA0001');
    assert.deepEqual(m.guests.map((g) => g.name), ['Besnik Gashi', null]);
    const entries = await log(db).selectFrom('transparency_entries').select(['action', 'entity_type', 'summary']).execute();
    assert.ok(entries.some((e) => e.action === 'meeting.agenda_updated' && e.entity_type === 'meeting'));
    const published = JSON.stringify(entries);
    // No guest's name goes to the log, consented or not (the page shows a consented one from its row).
    assert.ok(!published.includes('Besnik Gashi'));
    assert.ok(!published.includes('Secret Guest'));
    assert.match(published, /named\\?":true/);
    assert.ok(!published.includes('@'), 'no e-mail address is published');
  });

  let actionItem: number;
  let february: number;

  test('held: minutes, attendance, a decision and an action item; not before the meeting is held', async () => {
    const db = get().db;
    await assert.rejects(recordDecision(db, f.secretary, january, { contentLocale: 'en', text: 'x', votesFor: null, votesAgainst: null, votesAbstaining: null, commitmentIds: [] }), MeetingStateError);
    await recordMeetingOutcome(db, f.secretary, january, {
      contentLocale: 'en',
      minutes: 'The Forum reviewed the first cycle.',
      attendance: new Map([
        [f.memberIds[0], 'present'],
        [f.memberIds[1], 'excused'],
        [f.memberIds[2], 'absent'],
      ]),
      guests: new Map(),
    });
    await recordDecision(db, f.secretary, january, { contentLocale: 'en', text: 'Publish the budget data monthly.', votesFor: 7, votesAgainst: 1, votesAbstaining: 2, commitmentIds: [f.commitmentId] });
    actionItem = await recordActionItem(db, f.secretary, january, { contentLocale: 'en', text: 'Prepare the open data list.', ownerInstitutionId: f.leadId, ownerMemberId: null, ownerLabel: '', dueOn: '2026-02-28', commitmentId: null });
    const jurisdiction = (await findJurisdiction(db, 'gjakova'))!;
    const m = (await findMeetingDetail(db, jurisdiction, january))!;
    assert.equal(m.status, 'held');
    assert.deepEqual(m.attendance.map((a) => [a.status, a.personName]), [['present', 'Arta Krasniqi'], ['excused', null], ['absent', null]]);
    assert.deepEqual([m.decisions[0]!.votesFor, m.decisions[0]!.votesAgainst, m.decisions[0]!.votesAbstaining], [7, 1, 2]);
    assert.equal(m.actionItems[0]!.owner?.kind, 'institution');
    assert.equal(m.minutesApprovedIn, null);
    assert.ok(!JSON.stringify(await log(db).selectFrom('transparency_entries').select('summary').execute()).includes('Hidden Person'));
  });

  test('the open action item is carried to the next meeting, closed there; the minutes are approved there', async () => {
    const db = get().db;
    february = await scheduleMeeting(db, f.secretary, input(f, '2026-02-12'));
    const jurisdiction = (await findJurisdiction(db, 'gjakova'))!;
    let next = (await findMeetingDetail(db, jurisdiction, february))!;
    assert.deepEqual(next.carried.map((i) => i.id), [actionItem]);
    // Approving needs the approving meeting to be held.
    await assert.rejects(approveMinutes(db, f.secretary, february, january), MeetingStateError);
    await recordMeetingOutcome(db, f.secretary, february, { contentLocale: 'en', minutes: 'Second meeting.', attendance: new Map(), guests: new Map() });
    next = (await findMeetingDetail(db, jurisdiction, february))!;
    assert.deepEqual(next.awaitingApproval.map((a) => a.id), [january]);
    await approveMinutes(db, f.secretary, february, january);
    await assert.rejects(approveMinutes(db, f.secretary, february, january), MeetingStateError);
    await followUpActionItem(db, f.secretary, actionItem, { contentLocale: 'en', note: 'The list is published.', status: 'done', meetingId: february });
    const first = (await findMeetingDetail(db, jurisdiction, january))!;
    assert.equal(first.minutesApprovedIn?.id, february);
    next = (await findMeetingDetail(db, jurisdiction, february))!;
    assert.deepEqual(next.approvedHere.map((a) => a.id), [january]);
    assert.deepEqual(next.carried.map((i) => [i.id, i.status, i.closedInId]), [[actionItem, 'done', february]]);
    assert.equal(next.carried[0]!.notes[0]!.note.en, 'The list is published.');
    // A later meeting no longer carries the closed item.
    const march = await scheduleMeeting(db, f.secretary, input(f, '2026-03-12'));
    assert.deepEqual((await findMeetingDetail(db, jurisdiction, march))!.carried, []);
  });

  test('a cancelled meeting is CANCELLED in the feed with a raised SEQUENCE', async () => {
    const db = get().db;
    const before = (await mdb(db).selectFrom('meetings').select('sequence').where('id', '=', july).executeTakeFirstOrThrow()).sequence;
    await cancelMeeting(db, f.secretary, july);
    await assert.rejects(cancelMeeting(db, f.secretary, july), MeetingStateError);
    const meetings = await listMeetings(db, f.jurisdictionId);
    const text = meetingsCalendar({ locale: 'sq', name: 'Takimet', publicUrl: 'https://besa.example.org', jurisdictionSlug: 'gjakova', meetings });
    const event = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').find((e) => String(e.getFirstPropertyValue('url')).endsWith(`/meetings/${july}`))!;
    assert.equal(event.getFirstPropertyValue('status'), 'CANCELLED');
    assert.equal(event.getFirstPropertyValue('sequence'), before + 1);
  });

  test('search documents: one per meeting with agenda, minutes and decisions; history locates meetings', async () => {
    const db = get().db;
    const docs = await manifest.search.documents(db, { id: f.jurisdictionId, slug: 'gjakova' }, searchBody);
    const first = docs.find((d) => d.doc_key === `meeting:${january}`)!;
    assert.equal(first.kind, 'meeting');
    assert.equal(first.path, `/gjakova/meetings/${january}`);
    for (const word of ['progress', 'reviewed', 'budget', 'open']) assert.ok(first.body.split(' ').includes(word), word);
    assert.deepEqual(await manifest.history[0]!.locate(db, january), { jurisdictionSlug: 'gjakova', timeZone: ZONE, isDemo: false });
    assert.equal(await manifest.history[0]!.locate(db, 999_999), undefined);
  });
});

describeEachDatabase('meetings: search title without a title', (get) => {
  test('a meeting without a title is found under the name of its kind, in every language', async () => {
    const db = get().db;
    const f = await insertMeetingsFixture(db);
    const id = await scheduleMeeting(db, f.secretary, input(f, '2026-05-05', { title: '', kind: 'monitoring_review', bodyId: f.monitoringId }));
    const docs = await manifest.search.documents(db, { id: f.jurisdictionId, slug: 'gjakova' }, searchBody);
    const title = JSON.parse(docs.find((d) => d.doc_key === `meeting:${id}`)!.title) as Record<string, string>;
    assert.equal(title.en, 'Monitoring review');
    assert.equal(title.sq, 'Shqyrtim monitorues');
    assert.equal(title.fr, 'Revue de suivi');
  });
});

test('a meeting of a jurisdiction in UTC is written in UTC (no TZID, no VTIMEZONE)', () => {
  const text = meetingsCalendar({
    locale: 'en',
    name: 'Meetings',
    publicUrl: 'https://besa.example.org',
    jurisdictionSlug: 'x',
    meetings: [
      { id: 1, kind: 'forum', title: { en: 'Forum' }, startsAt: '2026-07-15T16:00:00.000Z', endsAt: '2026-07-15T18:00:00.000Z', timeZone: 'UTC', place: {}, onlineUrl: null, status: 'scheduled', uid: 'u@besa', sequence: 0, updatedAt: '2026-07-01T00:00:00.000Z', isDemo: false, body: null },
    ],
  });
  assert.match(text, /\r\nDTSTART:20260715T160000Z\r\n/);
  assert.doesNotMatch(text, /VTIMEZONE|TZID/);
  const event = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
  assert.equal((event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(), '2026-07-15T16:00:00.000Z');
  // No place and no link yet: LOCATION says so.
  assert.equal(event.getFirstPropertyValue('location'), 'Not stated');
});

describeEachDatabase('meetings: links stay within the jurisdiction', (get) => {
  test("a meeting links to no other jurisdiction's commitment, cycle, institution or member, whoever calls the command", async () => {
    const db = get().db;
    const f = await insertMeetingsFixture(db);
    const other = await insertMeetingsFixture(db, 'prizren');
    const id = await scheduleMeeting(db, f.secretary, input(f, '2025-03-12'));
    await recordMeetingOutcome(db, f.secretary, id, { contentLocale: 'en', minutes: 'Held.', attendance: new Map(), guests: new Map() });
    const decision = { contentLocale: 'en' as const, text: 'Decided.', votesFor: null, votesAgainst: null, votesAbstaining: null };
    await assert.rejects(recordDecision(db, f.secretary, id, { ...decision, commitmentIds: [other.commitmentId] }), NotFoundError);
    assert.ok((await recordDecision(db, f.secretary, id, { ...decision, commitmentIds: [f.commitmentId] })) > 0);
    const item = { contentLocale: 'en' as const, text: 'To do.', ownerInstitutionId: null, ownerMemberId: null, ownerLabel: '', dueOn: null, commitmentId: null };
    await assert.rejects(recordActionItem(db, f.secretary, id, { ...item, ownerInstitutionId: other.leadId }), NotFoundError);
    await assert.rejects(recordActionItem(db, f.secretary, id, { ...item, ownerMemberId: other.memberIds[0] }), NotFoundError);
    assert.ok((await recordActionItem(db, f.secretary, id, { ...item, ownerMemberId: f.memberIds[0] })) > 0);
    await assert.rejects(
      saveMeetingPreparation(db, f.secretary, id, { contentLocale: 'en', agenda: [{ title: 'Progress', commitmentId: other.commitmentId, reportingCycleId: null }], documents: [], guests: [] }),
      NotFoundError,
    );
  });
});

describeEachDatabase('meetings: held once begun; approved minutes stay approved only unchanged', (get) => {
  test('a meeting not yet begun cannot be held; minutes changed after their approval wait for approval again', async () => {
    const db = get().db;
    const f = await insertMeetingsFixture(db);
    const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const ahead = await scheduleMeeting(db, f.secretary, input(f, future));
    await assert.rejects(recordMeetingOutcome(db, f.secretary, ahead, { contentLocale: 'en', minutes: 'Too early.', attendance: new Map(), guests: new Map() }), /meetings\.error\.notStarted/);

    const first = await scheduleMeeting(db, f.secretary, input(f, '2025-02-10'));
    const second = await scheduleMeeting(db, f.secretary, input(f, '2025-03-10'));
    await recordMeetingOutcome(db, f.secretary, first, { contentLocale: 'en', minutes: 'First minutes.', attendance: new Map(), guests: new Map() });
    await recordMeetingOutcome(db, f.secretary, second, { contentLocale: 'en', minutes: 'Second minutes.', attendance: new Map(), guests: new Map() });
    await approveMinutes(db, f.secretary, second, first);
    const approved = async () => (await mdb(db).selectFrom('meetings').select(['minutes_approved_in_id']).where('id', '=', first).executeTakeFirstOrThrow()).minutes_approved_in_id;
    assert.equal(await approved(), second);
    // The same minutes saved again (attendance corrected): still approved.
    await recordMeetingOutcome(db, f.secretary, first, { contentLocale: 'en', minutes: 'First minutes.', attendance: new Map(), guests: new Map() });
    assert.equal(await approved(), second);
    // Changed minutes: no longer the approved ones.
    await recordMeetingOutcome(db, f.secretary, first, { contentLocale: 'en', minutes: 'First minutes, corrected.', attendance: new Map(), guests: new Map() });
    assert.equal(await approved(), null);
  });
});

describeEachDatabase('meetings: guests keep their attendance by name', (get) => {
  test('removing the first guest leaves the second guest\'s attendance with them', async () => {
    const db = get().db;
    const f = await insertMeetingsFixture(db);
    const id = await scheduleMeeting(db, f.secretary, input(f, '2025-04-10'));
    const guest = (name: string) => ({ name, namePublic: false, organisation: `${name} association`, reason: 'Invited' });
    await saveMeetingPreparation(db, f.secretary, id, { contentLocale: 'en', agenda: [], documents: [], guests: [guest('Guest One'), guest('Guest Two')] });
    const rows = () => mdb(db).selectFrom('meeting_guests').select(['id', 'name', 'attendance']).where('meeting_id', '=', id).orderBy('id').execute();
    const [, two] = await rows();
    await recordMeetingOutcome(db, f.secretary, id, { contentLocale: 'en', minutes: 'Held.', attendance: new Map(), guests: new Map([[two!.id, 'present']]) });
    await saveMeetingPreparation(db, f.secretary, id, { contentLocale: 'en', agenda: [], documents: [], guests: [guest('Guest Two')] });
    assert.deepEqual((await rows()).map((r) => [r.name, r.attendance]), [['Guest Two', 'present']]);
  });
});

describeEachDatabase('meetings: a member on an attendance roll stays on it', (get) => {
  test('a member who attended is not removed from the body (their term is ended instead); one who never attended is', async () => {
    const db = get().db;
    const f = await insertMeetingsFixture(db);
    const id = await scheduleMeeting(db, f.secretary, input(f, '2025-05-12'));
    await recordMeetingOutcome(db, f.secretary, id, { contentLocale: 'en', minutes: 'Held.', attendance: new Map([[f.memberIds[0], 'present']]), guests: new Map() });
    await assert.rejects(removeBodyMember(db, f.secretary, { memberId: f.memberIds[0] }), BodiesInputError);
    const roll = await mdb(db).selectFrom('meeting_attendance').select('member_id').where('meeting_id', '=', id).execute();
    assert.deepEqual(roll.map((r) => r.member_id), [f.memberIds[0]]);
    await removeBodyMember(db, f.secretary, { memberId: f.memberIds[2] });
    assert.equal(await mdb(db).selectFrom('body_members').select('id').where('id', '=', f.memberIds[2]).executeTakeFirst(), undefined);
  });
});
