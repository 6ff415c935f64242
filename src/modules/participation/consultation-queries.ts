import type { Executor } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { pdb } from './tables.js';

/** A consultation as every part of the module sees it (the consultation files own this shape). */
export interface ConsultationView {
  id: number;
  jurisdictionId: number;
  jurisdictionSlug: string;
  timeZone: string;
  slug: string;
  subject: 'plan' | 'commitment' | 'topic';
  planId: number | null;
  commitmentId: number | null;
  title: Translatable;
  summary: Translatable;
  body: Translatable;
  /** Days in the jurisdiction's calendar, both included. */
  opensOn: string;
  closesOn: string;
  moderation: 'pre' | 'post';
  flagThreshold: number;
  allowsProposals: boolean;
  groupsConsulted: number | null;
  publicMeetings: number | null;
  outcome: Translatable;
  publishedAt: string | null;
  respondedAt: string | null;
  isDemo: boolean;
  /** Where the dates come from when the source gives no exact days (migration 0021); empty otherwise. */
  datesNote?: Translatable;
}

export type ConsultationStatus = 'draft' | 'announced' | 'open' | 'closed' | 'responded';

/** The status on `today` (a day in the jurisdiction's calendar, e.g. `todayIn(timeZone, …)`). */
export function consultationStatus(c: Pick<ConsultationView, 'publishedAt' | 'respondedAt' | 'opensOn' | 'closesOn'>, today: string): ConsultationStatus {
  if (!c.publishedAt) return 'draft';
  if (c.respondedAt) return 'responded';
  if (today < c.opensOn) return 'announced';
  if (today <= c.closesOn) return 'open';
  return 'closed';
}

export function consultationsPath(locale: string, jurisdiction: string): string {
  return `/${locale}/${encodeURIComponent(jurisdiction)}/consultations`;
}

export function consultationPath(locale: string, jurisdiction: string, slug: string): string {
  return `${consultationsPath(locale, jurisdiction)}/${encodeURIComponent(slug)}`;
}

function selectConsultations(db: Executor) {
  return pdb(db)
    .selectFrom('consultations as c')
    .innerJoin('jurisdictions as j', 'j.id', 'c.jurisdiction_id')
    .selectAll('c')
    .select(['j.slug as jurisdiction_slug', 'j.time_zone as time_zone']);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectConsultations>['executeTakeFirstOrThrow']>>;

export function consultationView(r: Row): ConsultationView {
  return {
    id: r.id,
    jurisdictionId: r.jurisdiction_id,
    jurisdictionSlug: r.jurisdiction_slug,
    timeZone: r.time_zone,
    slug: r.slug,
    subject: r.subject as ConsultationView['subject'],
    planId: r.plan_id,
    commitmentId: r.commitment_id,
    title: parseTranslatable(r.title),
    summary: parseTranslatable(r.summary),
    body: parseTranslatable(r.body),
    opensOn: r.opens_on,
    closesOn: r.closes_on,
    moderation: r.moderation === 'pre' ? 'pre' : 'post',
    flagThreshold: r.flag_threshold,
    allowsProposals: r.allows_proposals === 1,
    groupsConsulted: r.groups_consulted,
    publicMeetings: r.public_meetings,
    outcome: parseTranslatable(r.outcome),
    publishedAt: r.published_at,
    respondedAt: r.responded_at,
    isDemo: Number(r.is_demo) === 1,
    datesNote: parseTranslatable(r.dates_note),
  };
}

/** A consultation by its jurisdiction's slug and its own, drafts included (callers decide who may see a draft). */
export async function findConsultation(db: Executor, jurisdictionSlug: string, slug: string): Promise<ConsultationView | undefined> {
  const row = await selectConsultations(db).where('j.slug', '=', jurisdictionSlug).where('c.slug', '=', slug).executeTakeFirst();
  return row ? consultationView(row) : undefined;
}

export async function findConsultationById(db: Executor, id: number): Promise<ConsultationView | undefined> {
  const row = await selectConsultations(db).where('c.id', '=', id).executeTakeFirst();
  return row ? consultationView(row) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Read models of the consultation pages (public list and page, admin list and forms)

/** The default minimum notice period in days, where a jurisdiction set none. */
export const DEFAULT_MIN_NOTICE_DAYS = 15;

/** The notice period: the days from opening to closing, both included. */
export function noticeDays(c: Pick<ConsultationView, 'opensOn' | 'closesOn'>): number {
  const opens = Date.parse(`${c.opensOn}T00:00:00Z`);
  const closes = Date.parse(`${c.closesOn}T00:00:00Z`);
  if (Number.isNaN(opens) || Number.isNaN(closes)) return 0;
  return Math.round((closes - opens) / 86_400_000) + 1;
}

/** True when the notice period is shorter than the jurisdiction's minimum (the coordinator is warned). */
export function isShortNotice(c: Pick<ConsultationView, 'opensOn' | 'closesOn'>, minimum: number): boolean {
  return noticeDays(c) < minimum;
}

/** The jurisdiction's minimum notice period in days (15 unless set on the consultations admin page). */
export async function findMinimumNotice(db: Executor, jurisdictionId: number): Promise<number> {
  const row = await pdb(db).selectFrom('consultation_settings').select('min_notice_days').where('jurisdiction_id', '=', jurisdictionId).executeTakeFirst();
  return row ? Number(row.min_notice_days) : DEFAULT_MIN_NOTICE_DAYS;
}

/** A jurisdiction's consultations, newest opening first; `publishedOnly` leaves the drafts out (public pages). */
export async function listConsultations(db: Executor, jurisdictionId: number, options: { publishedOnly: boolean }): Promise<ConsultationView[]> {
  let query = selectConsultations(db).where('c.jurisdiction_id', '=', jurisdictionId);
  if (options.publishedOnly) query = query.where('c.published_at', 'is not', null);
  const rows = await query.orderBy('c.opens_on', 'desc').orderBy('c.id', 'desc').execute();
  return rows.map(consultationView);
}

/** The order of the public list: open now, then announced, closed, responded (drafts last, admin only). */
const STATUS_ORDER: Record<ConsultationStatus, number> = { open: 0, announced: 1, closed: 2, responded: 3, draft: 4 };

export function byPublicOrder(list: readonly ConsultationView[], today: string): ConsultationView[] {
  return [...list].sort((a, b) => {
    const d = STATUS_ORDER[consultationStatus(a, today)] - STATUS_ORDER[consultationStatus(b, today)];
    if (d !== 0) return d;
    // Open and announced: the soonest closing or opening first; closed and responded: the latest first.
    const status = consultationStatus(a, today);
    if (status === 'open') return a.closesOn < b.closesOn ? -1 : a.closesOn > b.closesOn ? 1 : a.id - b.id;
    if (status === 'announced') return a.opensOn < b.opensOn ? -1 : a.opensOn > b.opensOn ? 1 : a.id - b.id;
    return a.closesOn < b.closesOn ? 1 : a.closesOn > b.closesOn ? -1 : b.id - a.id;
  });
}

export interface ConsultationDocument {
  id: number;
  title: Translatable;
  url: string;
  locale: string | null;
  position: number;
}

export async function listConsultationDocuments(db: Executor, consultationId: number): Promise<ConsultationDocument[]> {
  const rows = await pdb(db).selectFrom('consultation_documents').selectAll().where('consultation_id', '=', consultationId).orderBy('position').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, title: parseTranslatable(r.title), url: r.url, locale: r.locale, position: r.position }));
}

/** Contributions per consultation: the published ones (public), and all of them that await or passed moderation (admin). */
export interface ContributionCounts {
  published: number;
  pending: number;
  hidden: number;
}

export async function countContributions(db: Executor, consultationIds: readonly number[]): Promise<Map<number, ContributionCounts>> {
  const out = new Map<number, ContributionCounts>();
  if (consultationIds.length === 0) return out;
  const rows = await pdb(db)
    .selectFrom('contributions')
    .select(['consultation_id', 'status', (eb) => eb.fn.countAll().as('n')])
    .where('consultation_id', 'in', [...consultationIds])
    .where('status', 'in', ['published', 'pending', 'hidden'])
    .groupBy(['consultation_id', 'status'])
    .execute();
  for (const r of rows) {
    const counts = out.get(r.consultation_id) ?? { published: 0, pending: 0, hidden: 0 };
    counts[r.status as keyof ContributionCounts] = Number(r.n);
    out.set(r.consultation_id, counts);
  }
  return out;
}

/** The plans and commitments of a jurisdiction a consultation may be about (the admin form's choices, and the page's link). */
export interface SubjectChoice {
  id: number;
  slug: string;
  title: Translatable;
  /** A commitment's code and its plan's slug. */
  code?: string;
  planSlug?: string;
}

export async function listSubjectChoices(db: Executor, jurisdictionId: number): Promise<{ plans: SubjectChoice[]; commitments: SubjectChoice[] }> {
  const [plans, commitments] = await Promise.all([
    db.selectFrom('action_plans').select(['id', 'slug', 'title']).where('jurisdiction_id', '=', jurisdictionId).orderBy('starts_on', 'desc').orderBy('id').execute(),
    db
      .selectFrom('commitments')
      .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
      .select(['commitments.id', 'commitments.code', 'commitments.title', 'action_plans.slug as plan_slug'])
      .where('action_plans.jurisdiction_id', '=', jurisdictionId)
      .orderBy('commitments.code')
      .execute(),
  ]);
  return {
    plans: plans.map((p) => ({ id: p.id, slug: p.slug, title: parseTranslatable(p.title) })),
    commitments: commitments.map((c) => ({ id: c.id, slug: c.code, code: c.code, title: parseTranslatable(c.title), planSlug: c.plan_slug })),
  };
}

/** The subject's page: the plan or the commitment the consultation is about, when there is one. */
export async function findSubject(db: Executor, c: ConsultationView): Promise<(SubjectChoice & { path: string }) | undefined> {
  if (c.subject === 'plan' && c.planId !== null) {
    const p = await db.selectFrom('action_plans').select(['id', 'slug', 'title']).where('id', '=', c.planId).executeTakeFirst();
    return p ? { id: p.id, slug: p.slug, title: parseTranslatable(p.title), path: `/${c.jurisdictionSlug}/plans/${encodeURIComponent(p.slug)}` } : undefined;
  }
  if (c.subject === 'commitment' && c.commitmentId !== null) {
    const m = await db
      .selectFrom('commitments')
      .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
      .select(['commitments.id', 'commitments.code', 'commitments.title', 'action_plans.slug as plan_slug'])
      .where('commitments.id', '=', c.commitmentId)
      .executeTakeFirst();
    return m
      ? { id: m.id, slug: m.code, code: m.code, title: parseTranslatable(m.title), planSlug: m.plan_slug, path: `/${c.jurisdictionSlug}/plans/${encodeURIComponent(m.plan_slug)}/commitments/${encodeURIComponent(m.code)}` }
      : undefined;
  }
  return undefined;
}

/** The jurisdiction of the consultation pages. */
export interface ConsultationJurisdiction {
  id: number;
  slug: string;
  name: Translatable;
  timeZone: string;
}

export async function findConsultationJurisdiction(db: Executor, slug: string): Promise<ConsultationJurisdiction | undefined> {
  const row = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name', 'time_zone']).where('slug', '=', slug).executeTakeFirst();
  return row ? { id: row.id, slug: row.slug, name: parseTranslatable(row.name), timeZone: row.time_zone || 'UTC' } : undefined;
}

/**
 * The published consultations on a plan (or on one of its commitments), for a link from the plan's
 * page: newest opening first.
 */
export async function listPlanConsultations(db: Executor, planId: number): Promise<ConsultationView[]> {
  const rows = await selectConsultations(db).where('c.plan_id', '=', planId).where('c.published_at', 'is not', null).orderBy('c.opens_on', 'desc').orderBy('c.id', 'desc').execute();
  return rows.map(consultationView);
}
