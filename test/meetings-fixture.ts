import type { Db } from '../src/db/database.js';
import { insertReportingFixture, actorOf, type ReportingFixture } from './reporting-fixture.js';
import { SYSTEM, type Actor } from '../src/modules/audit/index.js';
import { recordActionItem, recordMeetingOutcome, scheduleMeeting } from '../src/modules/meetings/commands.js';
import { localToUtc } from '../src/modules/meetings/domain.js';
import { seedDemoMeetings } from '../src/db/seeds/meetings-demo.js';

/** Test data for meetings: the reporting fixture, Gjakova's zone, a forum with three members, a forum secretary. */
export interface MeetingsFixture extends ReportingFixture {
  forumId: number;
  monitoringId: number;
  memberIds: [number, number, number];
  secretary: Actor;
  secretaryId: number;
}

export async function insertMeetingsFixture(db: Db, slug = 'gjakova'): Promise<MeetingsFixture> {
  const f = await insertReportingFixture(db, slug);
  await db.updateTable('jurisdictions').set({ time_zone: 'Europe/Belgrade' }).where('id', '=', f.jurisdictionId).execute();
  const now = new Date().toISOString();
  const m = db.withTables<{ bodies: Record<string, unknown> & { id: number } }>();
  const body = async (kind: string, bodySlug: string, name: string) =>
    (
      await m
        .insertInto('bodies')
        .values({ jurisdiction_id: f.jurisdictionId, kind, slug: bodySlug, name: JSON.stringify({ en: name, sq: name }), created_at: now, updated_at: now } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id as number;
  const forumId = await body('forum', 'forum', 'Transparency Forum');
  const monitoringId = await body('monitoring_body', 'monitoring-body', 'Monitoring body');
  const member = async (values: Record<string, unknown>) =>
    (
      await db
        .withTables<{ body_members: Record<string, unknown> & { id: number } }>()
        .insertInto('body_members')
        .values({ body_id: forumId, organisation: '{}', sector: 'civil_society', role: 'member', represented_groups: '[]', created_at: now, updated_at: now, ...values } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const memberIds: [number, number, number] = [
    await member({ organisation: JSON.stringify({ en: 'Youth Centre', sq: 'Qendra e Rinisë' }), person_name: 'Arta Krasniqi', name_consent_at: now, email: 'arta@youth.example.org', role: 'chair', position: 1 }),
    await member({ organisation: JSON.stringify({ en: 'Women’s Network' }), person_name: 'Hidden Person', email: 'network@women.example.org', position: 2 }),
    await member({ organisation: JSON.stringify({ en: 'Directorate of Finance' }), sector: 'executive', position: 3 }),
  ];
  const user = await db
    .insertInto('users')
    .values({ email: `secretary@${slug}.example.org`, display_name: 'secretary', password_hash: 'x', created_at: now, locale: 'fr' } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ user_id: user.id, role: 'forum_secretary', jurisdiction_id: f.jurisdictionId, institution_id: null }).execute();
  return { ...f, forumId, monitoringId, memberIds, secretary: await actorOf(db, user.id, f.jurisdictionId), secretaryId: user.id };
}

/** A meeting of a jurisdiction as the system schedules it (for the command and role matrices). */
export function meetingInputFor(jurisdictionId: number, bodyId: number | null, day: string, timeZone = 'UTC') {
  return {
    jurisdictionId,
    bodyId,
    kind: 'forum' as const,
    contentLocale: 'en' as const,
    title: `Meeting of ${day}`,
    startsAt: localToUtc(day, '18:00', timeZone),
    endsAt: localToUtc(day, '20:00', timeZone),
    timeZone,
    place: 'Town hall',
    onlineUrl: null,
    stepFreeAccess: null,
    signLanguage: null,
    languages: [],
    accessibilityNote: '',
    reportingCycleId: null,
  };
}

/**
 * A meeting of the jurisdiction's body `matrix-forum` (made on first use), scheduled, or held, or
 * held with an open action item (returns the item's id), or held after an earlier held meeting
 * whose minutes await approval (returns the later meeting's id; the earlier one is id − 1).
 */
export async function preparedMeeting(db: Db, jurisdictionId: number, n: number, state: 'scheduled' | 'held' | 'item' | 'approvable'): Promise<number> {
  const bodies = db.withTables<{ bodies: Record<string, unknown> & { id: number; slug: string; jurisdiction_id: number } }>();
  let body = await bodies.selectFrom('bodies').select('id').where('jurisdiction_id', '=', jurisdictionId).where('slug', '=', 'matrix-forum').executeTakeFirst();
  if (!body) {
    const now = new Date().toISOString();
    body = await bodies
      .insertInto('bodies')
      .values({ jurisdiction_id: jurisdictionId, kind: 'forum', slug: 'matrix-forum', name: JSON.stringify({ en: 'Forum' }), created_at: now, updated_at: now } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
  }
  const day = (offset: number) => new Date(Date.UTC(2015, 0, 1) + (2 * n + offset) * 86_400_000).toISOString().slice(0, 10);
  const held = async (offset: number) => {
    const id = await scheduleMeeting(db, SYSTEM, meetingInputFor(jurisdictionId, body!.id, day(offset)));
    await recordMeetingOutcome(db, SYSTEM, id, { contentLocale: 'en', minutes: `Minutes ${n}`, attendance: new Map(), guests: new Map() });
    return id;
  };
  if (state === 'scheduled') return scheduleMeeting(db, SYSTEM, meetingInputFor(jurisdictionId, body.id, day(0)));
  if (state === 'approvable') {
    await held(0);
    return held(1);
  }
  const id = await held(0);
  if (state === 'held') return id;
  return recordActionItem(db, SYSTEM, id, { contentLocale: 'en', text: `Action ${n}`, ownerInstitutionId: null, ownerMemberId: null, ownerLabel: 'Secretariat', dueOn: null, commitmentId: null });
}

/**
 * For the public pages' browser checks: Gjakova's forum and monitoring body (when the bodies'
 * demonstration seed has not made them) with a few members, and the demonstration meetings.
 * Returns a held meeting of the forum (minutes, attendance, decision, action items) and its next
 * upcoming one (carried action items).
 */
export async function prepareMeetingPages(db: Db): Promise<{ heldMeeting: number; upcomingMeeting: number }> {
  const jurisdiction = await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
  // Gjakova's seed holds its Forum and monitoring body, `besa seed --demo` their members and meetings.
  await seedDemoMeetings(db);
  const tables = db.withTables<{ bodies: { id: number; kind: string; jurisdiction_id: number } }>();
  const forum = await tables.selectFrom('bodies').select('id').where('jurisdiction_id', '=', jurisdiction.id).where('kind', '=', 'forum').orderBy('id').executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const meetings = await db.withTables<{ meetings: { id: number; body_id: number | null; status: string; starts_at: string } }>().selectFrom('meetings').select(['id', 'status', 'starts_at']).where('body_id', '=', forum.id).orderBy('starts_at').execute();
  const held = meetings.find((m) => m.status === 'held');
  const upcoming = meetings.find((m) => m.status === 'scheduled' && m.starts_at > now);
  if (!held || !upcoming) throw new Error('the demonstration meetings of the forum are missing');
  return { heldMeeting: held.id, upcomingMeeting: upcoming.id };
}
