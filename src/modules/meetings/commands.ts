import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import { dayIn, formatDateTime, translate } from '../../i18n/index.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
import { parseTranslatable, pickText, setLocaleText } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { authorize, runCommand, SYSTEM, type Actor } from '../audit/index.js';
import { composeMail, enqueueMail, InvalidMailError, recipientLocale } from '../mail/index.js';
import { refreshSearchDocuments } from '../search/index.js';
import { notifySubscribers } from '../subscriptions/notify.js';
import { CLOSED_ACTION_STATUSES, DEFAULT_REMINDER_DAYS, meetingPath, type ActionStatus, type Attendance, type MeetingKind } from './domain.js';
import { canManageMeetings } from './policy.js';
import { mdb } from './tables.js';

/**
 * Every change to meetings. Each command checks canManageMeetings on the meeting's jurisdiction,
 * changes the rows, publishes the public facts of the change to the transparency log (entity type
 * `meeting`: never a guest's name, never an e-mail address) and refreshes the search documents.
 */

/** The meeting (or something of it) was not in a state that allows this; `key` is a message key. */
export class MeetingStateError extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

export interface MeetingInput {
  jurisdictionId: number;
  bodyId: number | null;
  kind: MeetingKind;
  contentLocale: Locale;
  title: string;
  /** UTC instants (see localToUtc). */
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place: string;
  onlineUrl: string | null;
  stepFreeAccess: 0 | 1 | null;
  signLanguage: 0 | 1 | null;
  languages: string[];
  accessibilityNote: string;
  reportingCycleId: number | null;
  isDemo?: boolean;
}

async function loadMeeting(db: Executor, id: number) {
  const row = await mdb(db).selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

async function checkBody(db: Executor, jurisdictionId: number, bodyId: number | null): Promise<void> {
  if (bodyId === null) return;
  const body = await mdb(db).selectFrom('bodies').select('id').where('id', '=', bodyId).where('jurisdiction_id', '=', jurisdictionId).executeTakeFirst();
  if (!body) throw new NotFoundError();
}

/**
 * Every id a meeting links to belongs to the meeting's jurisdiction (commitments, reporting cycles,
 * institutions) or to its body (members): the routes check their choice lists too, but no caller
 * (seed, script, a later API) may link a meeting to another jurisdiction's things.
 */
async function checkLinks(
  db: Executor,
  jurisdictionId: number,
  bodyId: number | null,
  links: { commitmentIds?: readonly (number | null)[]; cycleIds?: readonly (number | null)[]; institutionIds?: readonly (number | null)[]; memberIds?: readonly (number | null)[] },
): Promise<void> {
  const wanted = (ids: readonly (number | null)[] | undefined) => [...new Set((ids ?? []).filter((id): id is number => id !== null))];
  const commitmentIds = wanted(links.commitmentIds);
  const cycleIds = wanted(links.cycleIds);
  const institutionIds = wanted(links.institutionIds);
  const memberIds = wanted(links.memberIds);
  const count = async (query: Promise<{ n: number | string | bigint } | undefined>) => Number((await query)?.n ?? 0);
  if (commitmentIds.length) {
    const n = await count(
      db.selectFrom('commitments').innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id').select((eb) => eb.fn.countAll<number>().as('n')).where('commitments.id', 'in', commitmentIds).where('action_plans.jurisdiction_id', '=', jurisdictionId).executeTakeFirst(),
    );
    if (n !== commitmentIds.length) throw new NotFoundError();
  }
  if (cycleIds.length) {
    const n = await count(
      db
        .withTables<{ reporting_cycles: { id: number; action_plan_id: number } }>()
        .selectFrom('reporting_cycles')
        .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('reporting_cycles.id', 'in', cycleIds)
        .where('action_plans.jurisdiction_id', '=', jurisdictionId)
        .executeTakeFirst(),
    );
    if (n !== cycleIds.length) throw new NotFoundError();
  }
  if (institutionIds.length) {
    const n = await count(db.selectFrom('institutions').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', institutionIds).where('jurisdiction_id', '=', jurisdictionId).executeTakeFirst());
    if (n !== institutionIds.length) throw new NotFoundError();
  }
  if (memberIds.length) {
    if (bodyId === null) throw new NotFoundError();
    const n = await count(mdb(db).selectFrom('body_members').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', memberIds).where('body_id', '=', bodyId).executeTakeFirst());
    if (n !== memberIds.length) throw new NotFoundError();
  }
}

function flag(value: 0 | 1 | null): number | null {
  return value === null ? null : value;
}

/** Tells the subscribers of the meeting's jurisdiction and body (subscriptions), titled per locale by `title`. */
async function notifyOfMeeting(trx: Executor, id: number, title: (meetingTitle: string, locale: Locale) => string): Promise<void> {
  const meeting = await mdb(trx)
    .selectFrom('meetings')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'meetings.jurisdiction_id')
    .select(['meetings.id', 'meetings.jurisdiction_id', 'meetings.body_id', 'meetings.title', 'meetings.is_demo', 'jurisdictions.slug'])
    .where('meetings.id', '=', id)
    .executeTakeFirstOrThrow();
  const titles = parseTranslatable(meeting.title);
  const locales: Locale[] = ['sq', 'sr-Latn', 'en', 'fr'];
  await notifySubscribers(trx, {
    jurisdictionId: meeting.jurisdiction_id,
    topics: meeting.body_id !== null ? [{ type: 'body', id: meeting.body_id }] : [],
    kind: 'meeting',
    title: Object.fromEntries(locales.map((l) => [l, title(pickText(titles, l), l)])),
    path: meetingPath(meeting.slug, meeting.id),
    isDemo: meeting.is_demo === 1,
  });
}

/** Schedules a meeting; returns its id. */
export async function scheduleMeeting(db: Db, actor: Actor, input: MeetingInput): Promise<number> {
  return runCommand(db, actor, async (trx, audit) => {
    authorize(actor, (user) => canManageMeetings(user, input.jurisdictionId));
    await checkBody(trx, input.jurisdictionId, input.bodyId);
    await checkLinks(trx, input.jurisdictionId, input.bodyId, { cycleIds: [input.reportingCycleId] });
    const now = new Date().toISOString();
    const row = await mdb(trx)
      .insertInto('meetings')
      .values({
        jurisdiction_id: input.jurisdictionId,
        body_id: input.bodyId,
        kind: input.kind,
        title: setLocaleText('{}', input.contentLocale, input.title),
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        time_zone: input.timeZone,
        place: setLocaleText('{}', input.contentLocale, input.place),
        online_url: input.onlineUrl,
        step_free_access: flag(input.stepFreeAccess),
        sign_language: flag(input.signLanguage),
        languages: JSON.stringify(input.languages),
        accessibility_note: setLocaleText('{}', input.contentLocale, input.accessibilityNote),
        reporting_cycle_id: input.reportingCycleId,
        status: 'scheduled',
        uid: `${randomUUID()}@besa`,
        sequence: 0,
        is_demo: input.isDemo ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit.publish('meeting.scheduled', 'meeting', row.id, {
      kind: input.kind,
      body: input.bodyId,
      title: parseTranslatable(setLocaleText('{}', input.contentLocale, input.title)),
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      time_zone: input.timeZone,
    });
    await refreshSearchDocuments(trx, input.jurisdictionId);
    // Whoever follows the jurisdiction or the body hears of the announced meeting.
    await notifyOfMeeting(trx, row.id, (title) => title);
    return row.id;
  });
}

/**
 * Edits a meeting. Moving it (start, end), changing its place or link raises its iCalendar
 * SEQUENCE so calendars update the event; a new start also sends its reminders again.
 */
export async function updateMeeting(db: Db, actor: Actor, id: number, input: MeetingInput): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const current = await loadMeeting(trx, id);
    authorize(actor, (user) => canManageMeetings(user, current.jurisdiction_id));
    await checkBody(trx, current.jurisdiction_id, input.bodyId);
    await checkLinks(trx, current.jurisdiction_id, input.bodyId, { cycleIds: [input.reportingCycleId] });
    const place = setLocaleText(current.place, input.contentLocale, input.place);
    const moved = current.starts_at !== input.startsAt || current.ends_at !== input.endsAt;
    const relocated = current.place !== place || (current.online_url ?? null) !== input.onlineUrl;
    const title = setLocaleText(current.title, input.contentLocale, input.title);
    await mdb(trx)
      .updateTable('meetings')
      .set({
        body_id: input.bodyId,
        kind: input.kind,
        title,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        time_zone: input.timeZone,
        place,
        online_url: input.onlineUrl,
        step_free_access: flag(input.stepFreeAccess),
        sign_language: flag(input.signLanguage),
        languages: JSON.stringify(input.languages),
        accessibility_note: setLocaleText(current.accessibility_note, input.contentLocale, input.accessibilityNote),
        reporting_cycle_id: input.reportingCycleId,
        sequence: moved || relocated ? current.sequence + 1 : current.sequence,
        reminded_at: current.starts_at !== input.startsAt ? null : current.reminded_at,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    const summary: Record<string, unknown> = { title: parseTranslatable(title), kind: input.kind };
    if (moved) Object.assign(summary, { starts_at: input.startsAt, ends_at: input.endsAt, time_zone: input.timeZone });
    if (relocated) summary.place = parseTranslatable(place);
    await audit.publish(moved ? 'meeting.moved' : 'meeting.updated', 'meeting', id, summary);
    await refreshSearchDocuments(trx, current.jurisdiction_id);
  });
}

/** Cancels a scheduled meeting (calendars show it cancelled: STATUS:CANCELLED, SEQUENCE raised). */
export async function cancelMeeting(db: Db, actor: Actor, id: number): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const current = await loadMeeting(trx, id);
    authorize(actor, (user) => canManageMeetings(user, current.jurisdiction_id));
    if (current.status !== 'scheduled') throw new MeetingStateError('meetings.error.notScheduled');
    await mdb(trx)
      .updateTable('meetings')
      .set({ status: 'cancelled', sequence: current.sequence + 1, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    await audit.publish('meeting.cancelled', 'meeting', id, { status: 'cancelled' });
    await refreshSearchDocuments(trx, current.jurisdiction_id);
  });
}

export interface AgendaRow {
  title: string;
  commitmentId: number | null;
  reportingCycleId: number | null;
}
export interface DocumentRow {
  title: string;
  url: string;
}
export interface GuestRow {
  name: string;
  namePublic: boolean;
  organisation: string;
  reason: string;
}
export interface PreparationInput {
  contentLocale: Locale;
  agenda: AgendaRow[];
  documents: DocumentRow[];
  guests: GuestRow[];
}

/**
 * Replaces the agenda, documents and invited guests, in the order given. The text of the other
 * languages stays with the row at the same position (one language is edited at a time).
 */
export async function saveMeetingPreparation(db: Db, actor: Actor, id: number, input: PreparationInput): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const current = await loadMeeting(trx, id);
    authorize(actor, (user) => canManageMeetings(user, current.jurisdiction_id));
    await checkLinks(trx, current.jurisdiction_id, current.body_id, { commitmentIds: input.agenda.map((a) => a.commitmentId), cycleIds: input.agenda.map((a) => a.reportingCycleId) });
    const m = mdb(trx);
    const oldAgenda = await m.selectFrom('meeting_agenda_items').selectAll().where('meeting_id', '=', id).orderBy('position').execute();
    const oldDocuments = await m.selectFrom('meeting_documents').selectAll().where('meeting_id', '=', id).orderBy('position').execute();
    const oldGuests = await m.selectFrom('meeting_guests').selectAll().where('meeting_id', '=', id).orderBy('id').execute();
    await m.deleteFrom('meeting_agenda_items').where('meeting_id', '=', id).execute();
    await m.deleteFrom('meeting_documents').where('meeting_id', '=', id).execute();
    await m.deleteFrom('meeting_guests').where('meeting_id', '=', id).execute();
    const agenda = input.agenda.map((a, i) => ({
      meeting_id: id,
      position: i + 1,
      title: setLocaleText(oldAgenda[i]?.title, input.contentLocale, a.title),
      description: oldAgenda[i]?.description ?? '{}',
      commitment_id: a.commitmentId,
      reporting_cycle_id: a.reportingCycleId,
    }));
    if (agenda.length) await m.insertInto('meeting_agenda_items').values(agenda).execute();
    const documents = input.documents.map((d, i) => ({ meeting_id: id, position: i + 1, title: setLocaleText(oldDocuments[i]?.title, input.contentLocale, d.title), url: d.url }));
    if (documents.length) await m.insertInto('meeting_documents').values(documents).execute();
    // A guest keeps their attendance and their texts in other languages by name, wherever the row moved.
    const previousGuest = (name: string) => oldGuests.find((o) => o.name.trim() === name.trim());
    const guests = input.guests.map((g) => ({
      meeting_id: id,
      name: g.name,
      name_public: g.namePublic ? 1 : 0,
      organisation: setLocaleText(previousGuest(g.name)?.organisation, input.contentLocale, g.organisation),
      reason: setLocaleText(previousGuest(g.name)?.reason, input.contentLocale, g.reason),
      attendance: previousGuest(g.name)?.attendance ?? 'invited',
    }));
    if (guests.length) await m.insertInto('meeting_guests').values(guests).execute();
    await m.updateTable('meetings').set({ updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    // Public facts only: the agenda's titles and documents; guests by organisation, a name only with consent.
    await audit.publish('meeting.agenda_updated', 'meeting', id, {
      agenda: agenda.map((a) => parseTranslatable(a.title)),
      documents: documents.map((d) => ({ title: parseTranslatable(d.title), url: d.url })),
      // A guest's name never goes to the log (consent can be withdrawn, the log cannot forget): the page shows it from the row.
      guests: guests.map((g) => ({ organisation: parseTranslatable(g.organisation), named: g.name_public === 1 })),
    });
    await refreshSearchDocuments(trx, current.jurisdiction_id);
  });
}

export interface OutcomeInput {
  contentLocale: Locale;
  minutes: string;
  /** body_members.id → attendance. */
  attendance: Map<number, Attendance>;
  /** meeting_guests.id → attendance. */
  guests: Map<number, Attendance>;
}

/** Records that a meeting was held: its minutes (one language at a time) and the attendance roll. */
export async function recordMeetingOutcome(db: Db, actor: Actor, id: number, input: OutcomeInput): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const current = await loadMeeting(trx, id);
    authorize(actor, (user) => canManageMeetings(user, current.jurisdiction_id));
    if (current.status === 'cancelled') throw new MeetingStateError('meetings.error.cancelled');
    const m = mdb(trx);
    const now = new Date().toISOString();
    // A meeting is held once it has begun: minutes, attendance (and the approval of earlier
    // minutes at it) cannot come before.
    if (current.starts_at > now) throw new MeetingStateError('meetings.error.notStarted');
    const minutes = setLocaleText(current.minutes, input.contentLocale, input.minutes);
    const hasMinutes = Object.keys(parseTranslatable(minutes)).length > 0;
    // Approved minutes that change are no longer the approved ones: they wait for approval again.
    const reopened = current.minutes_approved_in_id !== null && minutes !== current.minutes;
    await m
      .updateTable('meetings')
      .set({
        status: 'held',
        minutes,
        minutes_published_at: hasMinutes ? current.minutes_published_at ?? now : null,
        ...(reopened ? { minutes_approved_in_id: null, minutes_approved_at: null } : {}),
        sequence: current.status !== 'held' ? current.sequence + 1 : current.sequence,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    if (current.body_id !== null) {
      const members = new Set((await m.selectFrom('body_members').select('id').where('body_id', '=', current.body_id).execute()).map((r) => r.id));
      await m.deleteFrom('meeting_attendance').where('meeting_id', '=', id).execute();
      const rows = [...input.attendance].filter(([memberId]) => members.has(memberId)).map(([member_id, status]) => ({ meeting_id: id, member_id, status }));
      if (rows.length) await m.insertInto('meeting_attendance').values(rows).execute();
    }
    for (const [guestId, status] of input.guests) {
      await m.updateTable('meeting_guests').set({ attendance: status }).where('id', '=', guestId).where('meeting_id', '=', id).execute();
    }
    const count = (s: string) => [...input.attendance.values()].filter((v) => v === s).length;
    await audit.publish(current.status === 'held' ? 'meeting.outcome_updated' : 'meeting.held', 'meeting', id, {
      status: 'held',
      minutes: parseTranslatable(minutes),
      attendance: { present: count('present'), excused: count('excused'), absent: count('absent') },
    });
    await refreshSearchDocuments(trx, current.jurisdiction_id);
  });
}

export interface DecisionInput {
  contentLocale: Locale;
  text: string;
  votesFor: number | null;
  votesAgainst: number | null;
  votesAbstaining: number | null;
  commitmentIds: number[];
}

/** Records a decision taken at a held meeting; returns its id. */
export async function recordDecision(db: Db, actor: Actor, meetingId: number, input: DecisionInput): Promise<number> {
  return runCommand(db, actor, async (trx, audit) => {
    const current = await loadMeeting(trx, meetingId);
    authorize(actor, (user) => canManageMeetings(user, current.jurisdiction_id));
    if (current.status !== 'held') throw new MeetingStateError('meetings.error.notHeld');
    await checkLinks(trx, current.jurisdiction_id, current.body_id, { commitmentIds: input.commitmentIds });
    const m = mdb(trx);
    const last = await m.selectFrom('meeting_decisions').select((eb) => eb.fn.max('position').as('p')).where('meeting_id', '=', meetingId).executeTakeFirst();
    const text = setLocaleText('{}', input.contentLocale, input.text);
    const row = await m
      .insertInto('meeting_decisions')
      .values({
        meeting_id: meetingId,
        position: Number(last?.p ?? 0) + 1,
        text,
        votes_for: input.votesFor,
        votes_against: input.votesAgainst,
        votes_abstaining: input.votesAbstaining,
        commitment_ids: JSON.stringify(input.commitmentIds),
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit.publish('meeting.decision_recorded', 'meeting', meetingId, {
      decision: row.id,
      text: parseTranslatable(text),
      votes: { for: input.votesFor, against: input.votesAgainst, abstaining: input.votesAbstaining },
      commitments: input.commitmentIds,
    });
    await refreshSearchDocuments(trx, current.jurisdiction_id);
    return row.id;
  });
}

export interface ActionItemInput {
  contentLocale: Locale;
  text: string;
  ownerInstitutionId: number | null;
  ownerMemberId: number | null;
  ownerLabel: string;
  dueOn: string | null;
  commitmentId: number | null;
}

/** Records an action item agreed at a held meeting; it is carried to the body's next meetings until closed. */
export async function recordActionItem(db: Db, actor: Actor, meetingId: number, input: ActionItemInput): Promise<number> {
  return runCommand(db, actor, async (trx, audit) => {
    const current = await loadMeeting(trx, meetingId);
    authorize(actor, (user) => canManageMeetings(user, current.jurisdiction_id));
    if (current.status !== 'held') throw new MeetingStateError('meetings.error.notHeld');
    await checkLinks(trx, current.jurisdiction_id, current.body_id, { commitmentIds: [input.commitmentId], institutionIds: [input.ownerInstitutionId], memberIds: [input.ownerMemberId] });
    const now = new Date().toISOString();
    const text = setLocaleText('{}', input.contentLocale, input.text);
    const row = await mdb(trx)
      .insertInto('action_items')
      .values({
        meeting_id: meetingId,
        text,
        owner_institution_id: input.ownerInstitutionId,
        owner_member_id: input.ownerMemberId,
        owner_label: setLocaleText('{}', input.contentLocale, input.ownerLabel),
        due_on: input.dueOn,
        status: 'open',
        commitment_id: input.commitmentId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit.publish('meeting.action_item_recorded', 'meeting', meetingId, {
      action_item: row.id,
      text: parseTranslatable(text),
      owner_institution: input.ownerInstitutionId,
      due_on: input.dueOn,
      status: 'open',
    });
    await refreshSearchDocuments(trx, current.jurisdiction_id);
    return row.id;
  });
}

export interface FollowUpInput {
  contentLocale: Locale;
  note: string;
  status: ActionStatus;
  /** The meeting where the follow-up is noted (and where the item is closed, when it is). */
  meetingId: number | null;
}

/** Notes a follow-up on an action item and sets its status; done or dropped closes it (at `meetingId`). */
export async function followUpActionItem(db: Db, actor: Actor, itemId: number, input: FollowUpInput): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const m = mdb(trx);
    const item = await m.selectFrom('action_items').selectAll().where('id', '=', itemId).executeTakeFirst();
    if (!item) throw new NotFoundError();
    const raisedAt = await loadMeeting(trx, item.meeting_id);
    authorize(actor, (user) => canManageMeetings(user, raisedAt.jurisdiction_id));
    if (input.meetingId !== null) {
      const at = await loadMeeting(trx, input.meetingId);
      if (at.jurisdiction_id !== raisedAt.jurisdiction_id || (at.id !== raisedAt.id && (at.body_id === null || at.body_id !== raisedAt.body_id))) throw new NotFoundError();
    }
    const now = new Date().toISOString();
    const closing = CLOSED_ACTION_STATUSES.includes(input.status);
    await m
      .updateTable('action_items')
      .set({
        status: input.status,
        closed_at: closing ? item.closed_at ?? now : null,
        closed_in_id: closing ? item.closed_in_id ?? input.meetingId : null,
        updated_at: now,
      })
      .where('id', '=', itemId)
      .execute();
    const note = setLocaleText('{}', input.contentLocale, input.note);
    await m.insertInto('action_item_notes').values({ action_item_id: itemId, meeting_id: input.meetingId, note, status: input.status, created_at: now }).execute();
    await audit.publish(closing ? 'meeting.action_item_closed' : 'meeting.action_item_followed_up', 'meeting', item.meeting_id, {
      action_item: itemId,
      status: input.status,
      note: parseTranslatable(note),
      ...(input.meetingId !== null ? { at_meeting: input.meetingId } : {}),
    });
    await refreshSearchDocuments(trx, raisedAt.jurisdiction_id);
  });
}

/** Approves, at a held meeting, the minutes of an earlier meeting of the same body. */
export async function approveMinutes(db: Db, actor: Actor, approvingId: number, approvedId: number): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const at = await loadMeeting(trx, approvingId);
    authorize(actor, (user) => canManageMeetings(user, at.jurisdiction_id));
    const earlier = await loadMeeting(trx, approvedId);
    if (earlier.jurisdiction_id !== at.jurisdiction_id || earlier.body_id === null || earlier.body_id !== at.body_id) throw new NotFoundError();
    if (at.status !== 'held') throw new MeetingStateError('meetings.error.notHeld');
    if (earlier.status !== 'held' || earlier.starts_at >= at.starts_at || Object.keys(parseTranslatable(earlier.minutes)).length === 0) {
      throw new MeetingStateError('meetings.error.cannotApprove');
    }
    if (earlier.minutes_approved_in_id !== null) throw new MeetingStateError('meetings.error.alreadyApproved');
    await mdb(trx)
      .updateTable('meetings')
      .set({ minutes_approved_in_id: approvingId, minutes_approved_at: new Date().toISOString() })
      .where('id', '=', approvedId)
      .execute();
    await audit.publish('meeting.minutes_approved', 'meeting', approvedId, { approved_at_meeting: approvingId });
    await notifyOfMeeting(trx, approvedId, (title, locale) => translate(locale, 'subscriptions.notice.minutesApproved', { title }));
  });
}

// ---------------------------------------------------------------------------------------------
// Reminders

export interface MeetingReminderLog {
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface MeetingReminderOptions {
  daysBefore?: number;
  publicUrl?: string;
  /** The language of recipients without one of their own (members have none stored). */
  locale?: string;
  log?: MeetingReminderLog;
}

interface Recipient {
  email: string;
  locale: Locale;
}

/** Who is reminded of a meeting: the body's current members with an address, and the jurisdiction's forum secretaries. */
async function reminderRecipients(db: Executor, meeting: { jurisdiction_id: number; body_id: number | null; starts_at: string; time_zone: string }, fallback: Locale): Promise<Recipient[]> {
  const out: Recipient[] = [];
  const seen = new Set<string>();
  const add = (email: string | null, locale: Locale) => {
    const key = email?.trim().toLowerCase();
    if (!key || seen.has(key)) return;
    seen.add(key);
    out.push({ email: email!.trim(), locale });
  };
  if (meeting.body_id !== null) {
    // The meeting's own day, in its zone: whose term covers it.
    const day = dayIn(meeting.starts_at, meeting.time_zone);
    const members = await mdb(db)
      .selectFrom('body_members')
      .select(['email', 'term_start', 'term_end'])
      .where('body_id', '=', meeting.body_id)
      .where('email', 'is not', null)
      .orderBy('position')
      .orderBy('id')
      .execute();
    // A member who also has an account here gets the reminder in that account's language.
    const emails = [...new Set(members.map((m) => m.email!.trim().toLowerCase()))];
    const accounts = emails.length ? await db.selectFrom('users').select(['email', 'locale']).where('email', 'in', emails).execute() : [];
    const languageOf = new Map(accounts.map((a) => [a.email.toLowerCase(), a.locale]));
    for (const m of members) {
      if (m.term_end && m.term_end < day) continue;
      if (m.term_start && m.term_start > day) continue;
      add(m.email, recipientLocale(languageOf.get(m.email!.trim().toLowerCase()), fallback));
    }
  }
  const secretaries = await db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select(['users.email', 'users.locale'])
    .where('user_roles.role', '=', 'forum_secretary')
    .where('users.disabled_at', 'is', null)
    .where((eb) => eb.or([eb('user_roles.jurisdiction_id', 'is', null), eb('user_roles.jurisdiction_id', '=', meeting.jurisdiction_id)]))
    .orderBy('users.id')
    .execute();
  for (const s of secretaries) add(s.email, recipientLocale(s.locale, fallback));
  return out;
}

/**
 * Queues the reminders of meetings starting within `daysBefore` days (3 unless told): one e-mail
 * per recipient, in the recipient's language, once per meeting (reminded_at; a moved meeting is
 * reminded again). Claiming the meeting decides between processes. Returns the e-mails queued.
 */
export async function remindUpcomingMeetings(db: Db, now: Date = new Date(), options: MeetingReminderOptions = {}): Promise<number> {
  const daysBefore = options.daysBefore ?? DEFAULT_REMINDER_DAYS;
  const fallback = options.locale && isLocale(options.locale) ? options.locale : 'sq';
  const base = (options.publicUrl ?? '').replace(/\/+$/, '');
  const until = new Date(now.getTime() + daysBefore * 86_400_000).toISOString();
  const due = await mdb(db)
    .selectFrom('meetings')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'meetings.jurisdiction_id')
    .select(['meetings.id', 'jurisdictions.slug as jurisdictionSlug'])
    .where('meetings.status', '=', 'scheduled')
    .where('meetings.reminded_at', 'is', null)
    // Demonstration meetings are invented: nobody is reminded of them.
    .where('meetings.is_demo', '=', 0)
    .where('meetings.starts_at', '>', now.toISOString())
    .where('meetings.starts_at', '<=', until)
    .orderBy('meetings.starts_at')
    .execute();
  let queued = 0;
  for (const d of due) {
    try {
      queued += await runCommand(db, SYSTEM, async (trx, audit) => {
        const claimed = await mdb(trx)
          .updateTable('meetings')
          .set({ reminded_at: now.toISOString() })
          .where('id', '=', d.id)
          .where('reminded_at', 'is', null)
          .where('status', '=', 'scheduled')
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) return 0;
        const meeting = await loadMeeting(trx, d.id);
        const body = meeting.body_id === null ? undefined : await mdb(trx).selectFrom('bodies').select('name').where('id', '=', meeting.body_id).executeTakeFirst();
        let sent = 0;
        for (const r of await reminderRecipients(trx, meeting, fallback)) {
          const title = pickText(parseTranslatable(meeting.title), r.locale) || translate(r.locale, `meetings.kind.${meeting.kind}` as never);
          const values = {
            title,
            body: body ? pickText(parseTranslatable(body.name), r.locale) : '',
            when: formatDateTime(r.locale, meeting.starts_at, meeting.time_zone),
            place: [pickText(parseTranslatable(meeting.place), r.locale), meeting.online_url ?? ''].filter(Boolean).join(' · ') || '—',
            link: `${base}/${r.locale}/${d.jurisdictionSlug}/meetings/${meeting.id}`,
          };
          try {
            await enqueueMail(
              trx,
              composeMail(r.email, r.locale, {
                subject: translate(r.locale, 'meetings.mail.reminder.subject', values),
                text: translate(r.locale, 'meetings.mail.reminder.text', values),
              }),
            );
            sent += 1;
          } catch (error) {
            // A stored address today's check refuses is left out; the others are reminded.
            if (!(error instanceof InvalidMailError)) throw error;
          }
        }
        await audit.record('meeting.reminded', 'meeting', meeting.id, { recipients: sent });
        return sent;
      });
    } catch (error) {
      options.log?.error({ err: error, meetingId: d.id }, 'meeting reminder could not be queued; the others go on');
    }
  }
  return queued;
}

