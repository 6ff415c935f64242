import type { Db } from '../database.js';
import { SYSTEM } from '../../modules/audit/index.js';
import {
  approveMinutes,
  followUpActionItem,
  recordActionItem,
  recordDecision,
  recordMeetingOutcome,
  saveMeetingPreparation,
  scheduleMeeting,
  type MeetingInput,
} from '../../modules/meetings/commands.js';
import { localToUtc, wallClock, type MeetingKind } from '../../modules/meetings/domain.js';
import { mdb } from '../../modules/meetings/tables.js';
import { serializeTranslatable, type Translatable } from '../../lib/translatable.js';
import { GJAKOVA_SLUG } from './gjakova.js';

/**
 * Demonstration meetings of Gjakova's Transparency Forum and monitoring body (`besa seed --demo`):
 * the plan states no real meeting, so these are invented, every one is_demo = 1 and shown with the
 * demonstration tag. Two past Forum meetings (minutes, attendance, a decision, action items, one
 * still open and carried, the first minutes approved at the second), a past monitoring review, and
 * upcoming meetings of both. Nothing is added when the bodies (a forum and a monitoring body)
 * are missing or demonstration meetings exist already. Returns the number of meetings added.
 */
export async function seedDemoMeetings(db: Db, now = new Date()): Promise<number> {
  const jurisdiction = await db.selectFrom('jurisdictions').select(['id', 'time_zone']).where('slug', '=', GJAKOVA_SLUG).executeTakeFirst();
  if (!jurisdiction) return 0;
  const m = mdb(db);
  const bodies = await m.selectFrom('bodies').select(['id', 'kind']).where('jurisdiction_id', '=', jurisdiction.id).where('kind', 'in', ['forum', 'monitoring_body']).orderBy('id').execute();
  const forum = bodies.find((b) => b.kind === 'forum');
  const monitoring = bodies.find((b) => b.kind === 'monitoring_body');
  if (!forum || !monitoring) return 0;
  const existing = await m.selectFrom('meetings').select('id').where('jurisdiction_id', '=', jurisdiction.id).where('is_demo', '=', 1).executeTakeFirst();
  if (existing) return 0;

  const zone = jurisdiction.time_zone;
  const commitment = await db
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select(['commitments.id'])
    .where('action_plans.jurisdiction_id', '=', jurisdiction.id)
    .orderBy('commitments.code')
    .executeTakeFirst();
  const institution = await db.selectFrom('institutions').select('id').where('jurisdiction_id', '=', jurisdiction.id).where('slug', '=', 'information-office').executeTakeFirst();

  /** A meeting `days` from today at 18:00–20:00 local time (16:00–18:00 for the monitoring body). */
  const meeting = (kind: MeetingKind, bodyId: number, days: number, hour: string, endHour: string): MeetingInput => {
    const { date } = wallClock(new Date(now.getTime() + days * 86_400_000), zone);
    return {
      jurisdictionId: jurisdiction.id,
      bodyId,
      kind,
      contentLocale: 'sq',
      title: '',
      startsAt: localToUtc(date, hour, zone),
      endsAt: localToUtc(date, endHour, zone),
      timeZone: zone,
      place: 'Komuna e Gjakovës, salla e mbledhjeve',
      onlineUrl: null,
      stepFreeAccess: 1,
      signLanguage: 0,
      languages: ['sq', 'sr'],
      accessibilityNote: '',
      reportingCycleId: null,
      isDemo: true,
    };
  };
  const both = async (id: number, text: Translatable, table: 'meeting_decisions' | 'action_items') => {
    await m.updateTable(table).set({ text: serializeTranslatable(text) }).where('id', '=', id).execute();
  };

  const members = async (bodyId: number) => (await m.selectFrom('body_members').select('id').where('body_id', '=', bodyId).orderBy('position').orderBy('id').execute()).map((r) => r.id);
  const roll = (ids: number[]) => new Map(ids.map((id, i) => [id, (i % 5 === 3 ? 'excused' : i % 7 === 5 ? 'absent' : 'present') as 'present' | 'excused' | 'absent']));

  // The Forum, two months ago.
  const first = await scheduleMeeting(db, SYSTEM, meeting('forum', forum.id, -56, '18:00', '20:00'));
  await saveMeetingPreparation(db, SYSTEM, first, {
    contentLocale: 'sq',
    agenda: [
      { title: 'Progresi i zotimeve të planit të veprimit', commitmentId: commitment?.id ?? null, reportingCycleId: null },
      { title: 'Krijimi i grupeve punuese tematike', commitmentId: null, reportingCycleId: null },
    ],
    documents: [],
    guests: [{ name: 'Demonstration guest', namePublic: false, organisation: 'Universiteti i Gjakovës', reason: 'Ekspert për të dhëna të hapura' }],
  });
  await saveMeetingPreparation(db, SYSTEM, first, {
    contentLocale: 'en',
    agenda: [
      { title: 'Progress of the action plan’s commitments', commitmentId: commitment?.id ?? null, reportingCycleId: null },
      { title: 'Setting up thematic working groups', commitmentId: null, reportingCycleId: null },
    ],
    documents: [],
    guests: [{ name: 'Demonstration guest', namePublic: false, organisation: 'University of Gjakova', reason: 'Open data expert' }],
  });
  const forumMembers = await members(forum.id);
  await recordMeetingOutcome(db, SYSTEM, first, { contentLocale: 'sq', minutes: 'Forumi shqyrtoi progresin e zotimeve dhe vendosi të krijojë një grup punues për të dhëna të hapura. (Të dhëna demonstruese.)', attendance: roll(forumMembers), guests: new Map() });
  await recordMeetingOutcome(db, SYSTEM, first, { contentLocale: 'en', minutes: 'The Forum reviewed the progress of the commitments and decided to set up a working group on open data. (Demonstration data.)', attendance: roll(forumMembers), guests: new Map() });
  const decision = await recordDecision(db, SYSTEM, first, { contentLocale: 'en', text: 'x', votesFor: Math.max(forumMembers.length - 2, 1), votesAgainst: 0, votesAbstaining: 1, commitmentIds: commitment ? [commitment.id] : [] });
  await both(decision, { en: 'Set up a working group on open data.', sq: 'Krijohet një grup punues për të dhëna të hapura.' }, 'meeting_decisions');
  const done = await recordActionItem(db, SYSTEM, first, { contentLocale: 'en', text: 'x', ownerInstitutionId: institution?.id ?? null, ownerMemberId: null, ownerLabel: '', dueOn: wallClock(new Date(now.getTime() - 35 * 86_400_000), zone).date, commitmentId: null });
  await both(done, { en: 'Publish the list of the municipality’s data sets.', sq: 'Publikohet lista e grupeve të të dhënave të komunës.' }, 'action_items');
  const open = await recordActionItem(db, SYSTEM, first, { contentLocale: 'en', text: 'x', ownerInstitutionId: null, ownerMemberId: forumMembers[0] ?? null, ownerLabel: '', dueOn: wallClock(new Date(now.getTime() + 20 * 86_400_000), zone).date, commitmentId: commitment?.id ?? null });
  await both(open, { en: 'Propose the members of the open data working group.', sq: 'Propozohen anëtarët e grupit punues për të dhëna të hapura.' }, 'action_items');

  // The Forum, a month later: approves the first minutes, closes one action item, the other stays open.
  const second = await scheduleMeeting(db, SYSTEM, meeting('forum', forum.id, -26, '18:00', '20:00'));
  await recordMeetingOutcome(db, SYSTEM, second, { contentLocale: 'sq', minutes: 'Procesverbali i takimit të kaluar u miratua. (Të dhëna demonstruese.)', attendance: roll(forumMembers), guests: new Map() });
  await recordMeetingOutcome(db, SYSTEM, second, { contentLocale: 'en', minutes: 'The minutes of the previous meeting were approved. (Demonstration data.)', attendance: roll(forumMembers), guests: new Map() });
  await approveMinutes(db, SYSTEM, second, first);
  await followUpActionItem(db, SYSTEM, done, { contentLocale: 'en', note: 'The list is on the municipal website.', status: 'done', meetingId: second });
  await followUpActionItem(db, SYSTEM, open, { contentLocale: 'en', note: 'Two organisations have proposed members so far.', status: 'in_progress', meetingId: second });

  // The monitoring body's review, six weeks ago, and its next one.
  const review = await scheduleMeeting(db, SYSTEM, meeting('monitoring_review', monitoring.id, -42, '16:00', '18:00'));
  const monitoringMembers = await members(monitoring.id);
  await recordMeetingOutcome(db, SYSTEM, review, { contentLocale: 'en', minutes: 'The commitment holders presented their progress reports; the body asked for evidence on the delayed milestone. (Demonstration data.)', attendance: roll(monitoringMembers), guests: new Map() });
  await recordMeetingOutcome(db, SYSTEM, review, { contentLocale: 'sq', minutes: 'Bartësit e zotimeve paraqitën raportet e progresit; organi kërkoi dëshmi për pikëreferimin e vonuar. (Të dhëna demonstruese.)', attendance: roll(monitoringMembers), guests: new Map() });

  // Upcoming.
  const next = await scheduleMeeting(db, SYSTEM, meeting('forum', forum.id, 5, '18:00', '20:00'));
  await saveMeetingPreparation(db, SYSTEM, next, {
    contentLocale: 'en',
    agenda: [
      { title: 'Approval of the minutes of the previous meeting', commitmentId: null, reportingCycleId: null },
      { title: 'Open action items', commitmentId: null, reportingCycleId: null },
    ],
    documents: [],
    guests: [],
  });
  await scheduleMeeting(db, SYSTEM, meeting('monitoring_review', monitoring.id, 48, '16:00', '18:00'));
  return 5;
}
