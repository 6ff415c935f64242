import { LOCALES } from '../../i18n/locales.js';
import { dayIn } from '../../i18n/index.js';
import type { Db, Executor } from '../../db/database.js';
import { parseList, parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { CLOSED_ACTION_STATUSES } from './domain.js';
import { mdb } from './tables.js';
import type { BodiesJurisdictionRef, BodyView } from '../bodies/index.js';

/** Read models of meetings for the public pages, the feeds, the administration and search. */

/** The jurisdiction as the bodies module finds it; admin pages add whether its breadcrumb links to its admin page. */
export type JurisdictionRef = BodiesJurisdictionRef & {
  /** Admin pages: the viewer may open the jurisdiction's admin page (its breadcrumb links there only then). */
  adminLink?: boolean;
};

/** A body as a meeting shows it (the bodies module's read model). */
export type BodyRef = Pick<BodyView, 'id' | 'slug' | 'name' | 'kind' | 'isDemo'>;

/** The jurisdiction and its bodies are the bodies module's to find. */
export { findBodiesJurisdiction as findJurisdiction, findBody, listBodies } from '../bodies/index.js';

export interface MeetingSummary {
  id: number;
  kind: string;
  title: Translatable;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place: Translatable;
  onlineUrl: string | null;
  status: string;
  uid: string;
  sequence: number;
  updatedAt: string;
  isDemo: boolean;
  body: { id: number; slug: string; name: Translatable } | null;
}

/** Meetings of a jurisdiction (of one body when given), earliest first. */
export async function listMeetings(db: Executor, jurisdictionId: number, bodyId?: number): Promise<MeetingSummary[]> {
  let query = mdb(db)
    .selectFrom('meetings')
    .leftJoin('bodies', 'bodies.id', 'meetings.body_id')
    .select([
      'meetings.id',
      'meetings.kind',
      'meetings.title',
      'meetings.starts_at',
      'meetings.ends_at',
      'meetings.time_zone',
      'meetings.place',
      'meetings.online_url',
      'meetings.status',
      'meetings.uid',
      'meetings.sequence',
      'meetings.updated_at',
      'meetings.is_demo',
      'bodies.id as body_id',
      'bodies.slug as body_slug',
      'bodies.name as body_name',
    ])
    .where('meetings.jurisdiction_id', '=', jurisdictionId);
  if (bodyId !== undefined) query = query.where('meetings.body_id', '=', bodyId);
  const rows = await query.orderBy('meetings.starts_at').orderBy('meetings.id').execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: parseTranslatable(r.title),
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    timeZone: r.time_zone,
    place: parseTranslatable(r.place),
    onlineUrl: r.online_url,
    status: r.status,
    uid: r.uid,
    sequence: r.sequence,
    updatedAt: r.updated_at,
    isDemo: r.is_demo === 1,
    body: r.body_id !== null && r.body_slug !== null ? { id: r.body_id, slug: r.body_slug, name: parseTranslatable(r.body_name) } : null,
  }));
}

export interface CommitmentRef {
  id: number;
  code: string;
  title: Translatable;
  planSlug: string;
}

export interface CycleRef {
  id: number;
  number: number;
  label: Translatable;
  planSlug: string;
}

export interface ActionItemView {
  id: number;
  meetingId: number;
  text: Translatable;
  owner: { kind: 'institution'; name: Translatable; slug: string } | { kind: 'member'; name: Translatable } | { kind: 'label'; name: Translatable } | null;
  dueOn: string | null;
  status: string;
  commitment: CommitmentRef | null;
  closedAt: string | null;
  closedInId: number | null;
  raisedAt: { id: number; title: Translatable; startsAt: string; kind: string };
  notes: { note: Translatable; status: string; createdAt: string; meetingId: number | null }[];
}

export interface MemberAttendance {
  memberId: number;
  /** The member's public label: the organisation, and the person's name only with consent. */
  organisation: Translatable;
  personName: string | null;
  role: string;
  status: string | null;
}

export interface MeetingDetail extends MeetingSummary {
  jurisdiction: JurisdictionRef;
  stepFreeAccess: number | null;
  signLanguage: number | null;
  languages: string[];
  accessibilityNote: Translatable;
  reportingCycle: CycleRef | null;
  minutes: Translatable;
  minutesApprovedIn: { id: number; title: Translatable; startsAt: string; kind: string } | null;
  remindedAt: string | null;
  agenda: { id: number; title: Translatable; commitment: CommitmentRef | null; cycle: CycleRef | null }[];
  documents: { title: Translatable; url: string }[];
  /** Every guest; `name` is null unless the guest consented (the admin pages read `privateName`). */
  guests: { id: number; name: string | null; privateName: string; namePublic: boolean; organisation: Translatable; reason: Translatable; attendance: string }[];
  attendance: MemberAttendance[];
  decisions: { id: number; text: Translatable; votesFor: number | null; votesAgainst: number | null; votesAbstaining: number | null; commitments: CommitmentRef[] }[];
  /** Action items raised at this meeting. */
  actionItems: ActionItemView[];
  /** Action items of earlier meetings of the body, open when this meeting began (or closed at it). */
  carried: ActionItemView[];
  /** Earlier meetings of the body whose minutes this meeting approved. */
  approvedHere: { id: number; title: Translatable; startsAt: string; kind: string }[];
  /** Earlier held meetings of the body with minutes not yet approved (the admin's approval buttons). */
  awaitingApproval: { id: number; title: Translatable; startsAt: string; kind: string }[];
}

async function commitmentsById(db: Executor, ids: number[]): Promise<Map<number, CommitmentRef>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select(['commitments.id', 'commitments.code', 'commitments.title', 'action_plans.slug as plan'])
    .where('commitments.id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, title: parseTranslatable(r.title), planSlug: r.plan }]));
}

async function cyclesById(db: Executor, ids: number[]): Promise<Map<number, CycleRef>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('reporting_cycles' as any)
    .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id' as any)
    .select(['reporting_cycles.id as id', 'reporting_cycles.number as number', 'reporting_cycles.label as label', 'action_plans.slug as plan'] as any)
    .where('reporting_cycles.id' as any, 'in', [...new Set(ids)])
    .execute();
  return new Map(
    (rows as unknown as { id: number; number: number; label: string; plan: string }[]).map((r) => [r.id, { id: r.id, number: r.number, label: parseTranslatable(r.label), planSlug: r.plan }]),
  );
}

type MeetingRow = Awaited<ReturnType<typeof meetingRow>>;
function meetingRow(db: Executor, id: number) {
  return mdb(db).selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Action items of the given meetings (with owner, commitment, notes), oldest first. */
async function actionItemsOf(db: Executor, meetings: Map<number, { id: number; title: Translatable; startsAt: string; kind: string }>): Promise<ActionItemView[]> {
  const ids = [...meetings.keys()];
  if (ids.length === 0) return [];
  const m = mdb(db);
  const items = await m.selectFrom('action_items').selectAll().where('meeting_id', 'in', ids).orderBy('id').execute();
  if (items.length === 0) return [];
  const notes = await m.selectFrom('action_item_notes').selectAll().where('action_item_id', 'in', items.map((i) => i.id)).orderBy('id').execute();
  const institutionIds = items.map((i) => i.owner_institution_id).filter((x): x is number => x !== null);
  const institutions = institutionIds.length
    ? new Map((await db.selectFrom('institutions').select(['id', 'slug', 'name']).where('id', 'in', institutionIds).execute()).map((r) => [r.id, r]))
    : new Map();
  const memberIds = items.map((i) => i.owner_member_id).filter((x): x is number => x !== null);
  const members = memberIds.length ? new Map((await m.selectFrom('body_members').selectAll().where('id', 'in', memberIds).execute()).map((r) => [r.id, r])) : new Map();
  const commitments = await commitmentsById(db, items.map((i) => i.commitment_id).filter((x): x is number => x !== null));
  return items.map((i) => {
    let owner: ActionItemView['owner'] = null;
    const inst = i.owner_institution_id !== null ? institutions.get(i.owner_institution_id) : undefined;
    const member = i.owner_member_id !== null ? members.get(i.owner_member_id) : undefined;
    const label = parseTranslatable(i.owner_label);
    if (inst) owner = { kind: 'institution', name: parseTranslatable(inst.name), slug: inst.slug };
    else if (member) owner = { kind: 'member', name: memberLabel(member) };
    else if (Object.keys(label).length) owner = { kind: 'label', name: label };
    return {
      id: i.id,
      meetingId: i.meeting_id,
      text: parseTranslatable(i.text),
      owner,
      dueOn: i.due_on,
      status: i.status,
      commitment: i.commitment_id !== null ? commitments.get(i.commitment_id) ?? null : null,
      closedAt: i.closed_at,
      closedInId: i.closed_in_id,
      raisedAt: meetings.get(i.meeting_id)!,
      notes: notes.filter((n) => n.action_item_id === i.id).map((n) => ({ note: parseTranslatable(n.note), status: n.status, createdAt: n.created_at, meetingId: n.meeting_id })),
    };
  });
}

/** A member's public name: the organisation, or the person's name with consent; with both, both. */
export function memberLabel(member: { organisation: string; person_name: string | null; name_consent_at: string | null }): Translatable {
  const organisation = parseTranslatable(member.organisation);
  const person = member.name_consent_at && member.person_name ? member.person_name : null;
  if (!person) return organisation;
  if (Object.keys(organisation).length === 0) return Object.fromEntries(LOCALES.map((locale) => [locale, person]));
  const out: Translatable = {};
  for (const [locale, text] of Object.entries(organisation)) out[locale as keyof Translatable] = `${person} (${text})`;
  return out;
}

/** Everything about one meeting of a jurisdiction; undefined when it does not exist there. */
export async function findMeetingDetail(db: Db | Executor, jurisdiction: JurisdictionRef, id: number): Promise<MeetingDetail | undefined> {
  const row = await meetingRow(db, id);
  if (!row || row.jurisdiction_id !== jurisdiction.id) return undefined;
  const m = mdb(db);
  const body = row.body_id !== null ? await m.selectFrom('bodies').select(['id', 'slug', 'name']).where('id', '=', row.body_id).executeTakeFirst() : undefined;
  const agenda = await m.selectFrom('meeting_agenda_items').selectAll().where('meeting_id', '=', id).orderBy('position').execute();
  const documents = await m.selectFrom('meeting_documents').selectAll().where('meeting_id', '=', id).orderBy('position').execute();
  const guests = await m.selectFrom('meeting_guests').selectAll().where('meeting_id', '=', id).orderBy('id').execute();
  const decisions = await m.selectFrom('meeting_decisions').selectAll().where('meeting_id', '=', id).orderBy('position').execute();
  const decisionCommitments = decisions.map((d) => parseList(d.commitment_ids).map(Number)).flat();
  const commitments = await commitmentsById(db, [...agenda.map((a) => a.commitment_id).filter((x): x is number => x !== null), ...decisionCommitments.filter(Number.isInteger)]);
  const cycles = await cyclesById(db, [row.reporting_cycle_id, ...agenda.map((a) => a.reporting_cycle_id)].filter((x): x is number => x !== null));

  // The body's meetings, for the roll, carried action items and minutes approvals.
  const bodyMeetings = row.body_id !== null ? await m.selectFrom('meetings').select(['id', 'title', 'starts_at', 'kind', 'status', 'minutes', 'minutes_approved_in_id']).where('body_id', '=', row.body_id).orderBy('starts_at').execute() : [];
  const ref = (r: { id: number; title: string; starts_at: string; kind: string }) => ({ id: r.id, title: parseTranslatable(r.title), startsAt: r.starts_at, kind: r.kind });
  const refs = new Map(bodyMeetings.map((r) => [r.id, ref(r)]));
  refs.set(row.id, ref(row));
  const earlier = bodyMeetings.filter((b) => b.starts_at < row.starts_at && b.id !== row.id);
  const startOf = new Map(bodyMeetings.map((b) => [b.id, b.starts_at]));

  let attendance: MemberAttendance[] = [];
  if (row.body_id !== null) {
    // The meeting's own day, in its zone: whose term covers it.
    const day = dayIn(row.starts_at, row.time_zone);
    const members = await m.selectFrom('body_members').selectAll().where('body_id', '=', row.body_id).orderBy('position').orderBy('id').execute();
    const marks = new Map((await m.selectFrom('meeting_attendance').select(['member_id', 'status']).where('meeting_id', '=', id).execute()).map((a) => [a.member_id, a.status]));
    attendance = members
      .filter((mb) => marks.has(mb.id) || ((!mb.term_start || mb.term_start <= day) && (!mb.term_end || mb.term_end >= day)))
      .map((mb) => ({
        memberId: mb.id,
        organisation: parseTranslatable(mb.organisation),
        personName: mb.name_consent_at ? mb.person_name : null,
        role: mb.role,
        status: marks.get(mb.id) ?? null,
      }));
  }

  const raisedHere = await actionItemsOf(db, new Map([[row.id, refs.get(row.id)!]]));
  const earlierItems = await actionItemsOf(db, new Map(earlier.map((e) => [e.id, refs.get(e.id)!])));
  const carried = earlierItems.filter((i) => {
    if (!CLOSED_ACTION_STATUSES.includes(i.status)) return true;
    if (i.closedInId === row.id) return true;
    const closedAtStart = i.closedInId !== null ? startOf.get(i.closedInId) : undefined;
    if (closedAtStart !== undefined) return closedAtStart > row.starts_at;
    return i.closedAt !== null && i.closedAt > row.starts_at;
  });
  const approvedIn = row.minutes_approved_in_id !== null ? await meetingRow(db, row.minutes_approved_in_id) : undefined;

  return {
    id: row.id,
    kind: row.kind,
    title: parseTranslatable(row.title),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    timeZone: row.time_zone,
    place: parseTranslatable(row.place),
    onlineUrl: row.online_url,
    status: row.status,
    uid: row.uid,
    sequence: row.sequence,
    updatedAt: row.updated_at,
    isDemo: row.is_demo === 1,
    body: body ? { id: body.id, slug: body.slug, name: parseTranslatable(body.name) } : null,
    jurisdiction,
    stepFreeAccess: row.step_free_access,
    signLanguage: row.sign_language,
    languages: parseList(row.languages),
    accessibilityNote: parseTranslatable(row.accessibility_note),
    reportingCycle: row.reporting_cycle_id !== null ? cycles.get(row.reporting_cycle_id) ?? null : null,
    minutes: parseTranslatable(row.minutes),
    minutesApprovedIn: approvedIn ? ref(approvedIn) : null,
    remindedAt: row.reminded_at,
    agenda: agenda.map((a) => ({
      id: a.id,
      title: parseTranslatable(a.title),
      commitment: a.commitment_id !== null ? commitments.get(a.commitment_id) ?? null : null,
      cycle: a.reporting_cycle_id !== null ? cycles.get(a.reporting_cycle_id) ?? null : null,
    })),
    documents: documents.map((d) => ({ title: parseTranslatable(d.title), url: d.url })),
    guests: guests.map((g) => ({
      id: g.id,
      name: g.name_public ? g.name : null,
      privateName: g.name,
      namePublic: g.name_public === 1,
      organisation: parseTranslatable(g.organisation),
      reason: parseTranslatable(g.reason),
      attendance: g.attendance,
    })),
    attendance,
    decisions: decisions.map((d) => ({
      id: d.id,
      text: parseTranslatable(d.text),
      votesFor: d.votes_for,
      votesAgainst: d.votes_against,
      votesAbstaining: d.votes_abstaining,
      commitments: parseList(d.commitment_ids)
        .map((c) => commitments.get(Number(c)))
        .filter((c): c is CommitmentRef => !!c),
    })),
    actionItems: raisedHere,
    carried,
    approvedHere: bodyMeetings.filter((b) => b.minutes_approved_in_id === row.id).map(ref),
    awaitingApproval: earlier.filter((b) => b.status === 'held' && b.minutes_approved_in_id === null && Object.keys(parseTranslatable(b.minutes)).length > 0).map(ref),
  };
}

/** For the forms: commitments of the jurisdiction's plans, and their reporting cycles. */
export async function formChoices(db: Executor, jurisdictionId: number) {
  const commitments = await db
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select(['commitments.id', 'commitments.code', 'commitments.title'])
    .where('action_plans.jurisdiction_id', '=', jurisdictionId)
    .orderBy('commitments.code')
    .execute();
  const cycles = (await db
    .selectFrom('reporting_cycles' as any)
    .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id' as any)
    .select(['reporting_cycles.id as id', 'reporting_cycles.number as number', 'reporting_cycles.label as label', 'action_plans.slug as plan', 'action_plans.title as planTitle'] as any)
    .where('action_plans.jurisdiction_id', '=', jurisdictionId)
    .orderBy('action_plans.slug' as any)
    .orderBy('reporting_cycles.number' as any)
    .execute()) as unknown as { id: number; number: number; label: string; plan: string; planTitle: string }[];
  const institutions = await db.selectFrom('institutions').select(['id', 'name', 'slug']).where('jurisdiction_id', '=', jurisdictionId).orderBy('slug').execute();
  return {
    commitments: commitments.map((c) => ({ id: c.id, code: c.code, title: parseTranslatable(c.title) })),
    cycles: cycles.map((c) => ({ id: c.id, number: c.number, label: parseTranslatable(c.label), plan: c.plan, planTitle: parseTranslatable(c.planTitle) })),
    institutions: institutions.map((i) => ({ id: i.id, slug: i.slug, name: parseTranslatable(i.name) })),
  };
}

/** The members of a body, for the admin's roll and owner choices (private fields stay in the admin). */
export async function listMembers(db: Executor, bodyId: number) {
  const rows = await mdb(db).selectFrom('body_members').selectAll().where('body_id', '=', bodyId).orderBy('position').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, label: memberLabel(r), role: r.role, termStart: r.term_start, termEnd: r.term_end }));
}

/** Where a meeting is and whether it is demonstration data (history pages). */
export async function locateMeeting(db: Executor, id: number) {
  const row = await mdb(db)
    .selectFrom('meetings')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'meetings.jurisdiction_id')
    .select(['jurisdictions.slug', 'jurisdictions.time_zone', 'meetings.is_demo'])
    .where('meetings.id', '=', id)
    .executeTakeFirst();
  return row ? { jurisdictionSlug: row.slug, timeZone: row.time_zone, isDemo: row.is_demo === 1 } : undefined;
}

/** The texts search finds a meeting by: title, agenda, minutes, decisions (one query per table). */
export async function meetingSearchRows(db: Executor, jurisdictionId: number) {
  const m = mdb(db);
  const meetings = await m.selectFrom('meetings').select(['id', 'title', 'kind', 'minutes', 'is_demo']).where('jurisdiction_id', '=', jurisdictionId).orderBy('id').execute();
  if (meetings.length === 0) return [];
  const ids = meetings.map((r) => r.id);
  const agenda = await m.selectFrom('meeting_agenda_items').select(['meeting_id', 'title']).where('meeting_id', 'in', ids).orderBy('position').execute();
  const decisions = await m.selectFrom('meeting_decisions').select(['meeting_id', 'text']).where('meeting_id', 'in', ids).orderBy('position').execute();
  const items = await m.selectFrom('action_items').select(['meeting_id', 'text']).where('meeting_id', 'in', ids).orderBy('id').execute();
  return meetings.map((r) => ({
    ...r,
    texts: [...agenda.filter((a) => a.meeting_id === r.id).map((a) => a.title), ...decisions.filter((d) => d.meeting_id === r.id).map((d) => d.text), ...items.filter((i) => i.meeting_id === r.id).map((i) => i.text)],
  }));
}

export type { MeetingRow };
