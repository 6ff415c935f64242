import type { Executor } from '../../db/database.js';
import { parseList, parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { RATING_NAMES, type RatingName } from './domain.js';
import { vdb } from './tables.js';

/** Read models of the reviews module (public pages only ever see published reviews). */

type CycleTable = { reporting_cycles: { id: number; action_plan_id: number; number: number; label: string; period_start: string; period_end: string; due_on: string; status: string } };

function cdb(db: Executor) {
  return vdb(db).withTables<CycleTable>();
}

export interface FollowUpView {
  id: number;
  note: Translatable;
  status: string;
  createdAt: string;
}

export interface RecommendationView {
  id: number;
  reviewId: number;
  text: Translatable;
  institution: { id: number; slug: string; name: Translatable } | null;
  dueOn: string | null;
  response: string | null;
  reasons: Translatable;
  respondedAt: string | null;
  status: string;
  closedAt: string | null;
  followUps: FollowUpView[];
  /** Where it belongs (for lists across reviews). */
  commitment: { code: string; title: Translatable };
  cycleNumber: number;
  isDemo: boolean;
  published: boolean;
}

export interface ReviewView {
  id: number;
  commitment: { id: number; code: string; title: Translatable };
  cycleNumber: number;
  assessment: string;
  ratings: Record<RatingName, string | null>;
  findings: Translatable;
  links: string[];
  status: string;
  publishedAt: string | null;
  isDemo: boolean;
  recommendations: RecommendationView[];
}

export interface CycleInfo {
  id: number;
  number: number;
  label: Translatable;
  periodStart: string;
  periodEnd: string;
}

async function recommendationsQuery(db: Executor) {
  return vdb(db)
    .withTables<CycleTable>()
    .selectFrom('recommendations')
    .innerJoin('reviews', 'reviews.id', 'recommendations.review_id')
    .innerJoin('commitments', 'commitments.id', 'reviews.commitment_id')
    .innerJoin('reporting_cycles', 'reporting_cycles.id', 'reviews.cycle_id')
    .leftJoin('institutions', 'institutions.id', 'recommendations.institution_id')
    .selectAll('recommendations')
    .select([
      'commitments.code as commitment_code',
      'commitments.title as commitment_title',
      'reporting_cycles.number as cycle_number',
      'reviews.is_demo',
      'reviews.status as review_status',
      'institutions.slug as institution_slug',
      'institutions.name as institution_name',
    ]);
}

type RecRow = Awaited<ReturnType<Awaited<ReturnType<typeof recommendationsQuery>>['execute']>>[number];

async function withFollowUps(db: Executor, rows: RecRow[]): Promise<RecommendationView[]> {
  const ids = rows.map((r) => r.id);
  const followUps = ids.length
    ? await vdb(db).selectFrom('recommendation_follow_ups').selectAll().where('recommendation_id', 'in', ids).orderBy('created_at').orderBy('id').execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    reviewId: r.review_id,
    text: parseTranslatable(r.text),
    institution: r.institution_id !== null && r.institution_slug ? { id: r.institution_id, slug: r.institution_slug, name: parseTranslatable(r.institution_name) } : null,
    dueOn: r.due_on,
    response: r.response,
    reasons: parseTranslatable(r.response_reasons),
    respondedAt: r.responded_at,
    status: r.status,
    closedAt: r.closed_at,
    followUps: followUps.filter((f) => f.recommendation_id === r.id).map((f) => ({ id: f.id, note: parseTranslatable(f.note), status: f.status, createdAt: f.created_at })),
    commitment: { code: r.commitment_code, title: parseTranslatable(r.commitment_title) },
    cycleNumber: r.cycle_number,
    isDemo: r.is_demo === 1,
    published: r.review_status === 'published',
  }));
}

/** Reviews with their recommendations; `where` narrows the query (published only for public pages). */
async function loadReviews(db: Executor, filter: { cycleId?: number; commitmentId?: number; reviewId?: number; publishedOnly: boolean }): Promise<ReviewView[]> {
  let query = vdb(db)
    .withTables<CycleTable>()
    .selectFrom('reviews')
    .innerJoin('commitments', 'commitments.id', 'reviews.commitment_id')
    .innerJoin('reporting_cycles', 'reporting_cycles.id', 'reviews.cycle_id')
    .selectAll('reviews')
    .select(['commitments.code', 'commitments.title', 'reporting_cycles.number as cycle_number']);
  if (filter.cycleId !== undefined) query = query.where('reviews.cycle_id', '=', filter.cycleId);
  if (filter.commitmentId !== undefined) query = query.where('reviews.commitment_id', '=', filter.commitmentId);
  if (filter.reviewId !== undefined) query = query.where('reviews.id', '=', filter.reviewId);
  if (filter.publishedOnly) query = query.where('reviews.status', '=', 'published');
  const rows = await query.orderBy('reporting_cycles.number', 'desc').orderBy('commitments.position').orderBy('commitments.code').execute();
  if (rows.length === 0) return [];
  const recRows = await (await recommendationsQuery(db))
    .where(
      'recommendations.review_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('recommendations.position')
    .orderBy('recommendations.id')
    .execute();
  const recs = await withFollowUps(db, recRows);
  return rows.map((r) => ({
    id: r.id,
    commitment: { id: r.commitment_id, code: r.code, title: parseTranslatable(r.title) },
    cycleNumber: r.cycle_number,
    assessment: r.assessment,
    ratings: Object.fromEntries(RATING_NAMES.map((n) => [n, r[n]])) as Record<RatingName, string | null>,
    findings: parseTranslatable(r.findings),
    links: parseList(r.evidence_links),
    status: r.status,
    publishedAt: r.published_at,
    isDemo: r.is_demo === 1,
    recommendations: recs.filter((x) => x.reviewId === r.id),
  }));
}

export async function findReview(db: Executor, reviewId: number): Promise<ReviewView | undefined> {
  return (await loadReviews(db, { reviewId, publishedOnly: false }))[0];
}

export async function listCycleReviews(db: Executor, cycleId: number, publishedOnly: boolean): Promise<ReviewView[]> {
  return loadReviews(db, { cycleId, publishedOnly });
}

// ---------------------------------------------------------------------------------------------
// Public

export interface PublicPlan {
  id: number;
  slug: string;
  title: Translatable;
  isDemo: boolean;
  jurisdiction: { id: number; slug: string; name: Translatable; timeZone: string };
}

export async function findPublicPlan(db: Executor, jurisdictionSlug: string, planSlug: string): Promise<PublicPlan | undefined> {
  const row = await db
    .selectFrom('action_plans')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['action_plans.id', 'action_plans.slug', 'action_plans.title', 'action_plans.is_demo', 'jurisdictions.id as jid', 'jurisdictions.slug as jslug', 'jurisdictions.name as jname', 'jurisdictions.time_zone'])
    .where('jurisdictions.slug', '=', jurisdictionSlug)
    .where('action_plans.slug', '=', planSlug)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    slug: row.slug,
    title: parseTranslatable(row.title),
    isDemo: row.is_demo === 1,
    jurisdiction: { id: row.jid, slug: row.jslug, name: parseTranslatable(row.jname), timeZone: row.time_zone },
  };
}

export interface ReportSummary {
  id: number;
  cycle: CycleInfo;
  summary: Translatable;
  publishedAt: string;
  reviewCount: number;
  isDemo: boolean;
}

/** A plan's published monitoring reports, newest cycle first. */
export async function listPublishedReports(db: Executor, planId: number): Promise<ReportSummary[]> {
  const rows = await cdb(db)
    .selectFrom('monitoring_reports')
    .innerJoin('reporting_cycles', 'reporting_cycles.id', 'monitoring_reports.cycle_id')
    .select([
      'monitoring_reports.id',
      'monitoring_reports.summary',
      'monitoring_reports.published_at',
      'monitoring_reports.is_demo',
      'reporting_cycles.id as cycle_id',
      'reporting_cycles.number',
      'reporting_cycles.label',
      'reporting_cycles.period_start',
      'reporting_cycles.period_end',
    ])
    .select((eb) =>
      eb
        .selectFrom('reviews')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('reviews.cycle_id', '=', 'monitoring_reports.cycle_id')
        .where('reviews.status', '=', 'published')
        .as('review_count'),
    )
    .where('reporting_cycles.action_plan_id', '=', planId)
    .where('monitoring_reports.status', '=', 'published')
    .orderBy('reporting_cycles.number', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    cycle: { id: r.cycle_id, number: r.number, label: parseTranslatable(r.label), periodStart: r.period_start, periodEnd: r.period_end },
    summary: parseTranslatable(r.summary),
    publishedAt: r.published_at ?? '',
    reviewCount: Number(r.review_count ?? 0),
    isDemo: r.is_demo === 1,
  }));
}

export async function findPublishedReport(db: Executor, planId: number, number: number): Promise<{ report: ReportSummary; reviews: ReviewView[] } | undefined> {
  const report = (await listPublishedReports(db, planId)).find((r) => r.cycle.number === number);
  if (!report) return undefined;
  return { report, reviews: await listCycleReviews(db, report.cycle.id, true) };
}

/** Published recommendations still open: of a plan, or of one commitment. */
export async function listOpenRecommendations(db: Executor, where: { planId?: number; commitmentId?: number }): Promise<RecommendationView[]> {
  let query = (await recommendationsQuery(db)).where('reviews.status', '=', 'published').where('recommendations.status', '=', 'open');
  if (where.planId !== undefined) query = query.where('commitments.action_plan_id', '=', where.planId);
  if (where.commitmentId !== undefined) query = query.where('reviews.commitment_id', '=', where.commitmentId);
  const rows = await query.orderBy('recommendations.due_on').orderBy('commitments.code').orderBy('recommendations.id').execute();
  return withFollowUps(db, rows);
}

/** The monitoring body's findings on one commitment: its published reviews (newest cycle first) and its open recommendations. */
export interface CommitmentFindings {
  reviews: ReviewView[];
  openRecommendations: RecommendationView[];
}

export async function findCommitmentFindings(db: Executor, commitmentId: number): Promise<CommitmentFindings> {
  const [reviews, openRecommendations] = await Promise.all([loadReviews(db, { commitmentId, publishedOnly: true }), listOpenRecommendations(db, { commitmentId })]);
  return { reviews, openRecommendations };
}

// ---------------------------------------------------------------------------------------------
// Administration

export interface AdminCycle extends CycleInfo {
  reviews: number;
  reportStatus: string | null;
  commitments: number;
}

export async function listAdminCycles(db: Executor, planId: number): Promise<AdminCycle[]> {
  const cycles = await cdb(db).selectFrom('reporting_cycles').selectAll().where('action_plan_id', '=', planId).orderBy('number').execute();
  const counts = await vdb(db)
    .selectFrom('reviews')
    .select(['cycle_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'cycle_id',
      'in',
      cycles.length ? cycles.map((c) => c.id) : [-1],
    )
    .groupBy('cycle_id')
    .execute();
  const reports = await vdb(db).selectFrom('monitoring_reports').select(['cycle_id', 'status']).where('cycle_id', 'in', cycles.length ? cycles.map((c) => c.id) : [-1]).execute();
  const total = await db.selectFrom('commitments').select((eb) => eb.fn.countAll<number>().as('n')).where('action_plan_id', '=', planId).executeTakeFirstOrThrow();
  return cycles.map((c) => ({
    id: c.id,
    number: c.number,
    label: parseTranslatable(c.label),
    periodStart: c.period_start,
    periodEnd: c.period_end,
    reviews: Number(counts.find((x) => x.cycle_id === c.id)?.n ?? 0),
    reportStatus: reports.find((r) => r.cycle_id === c.id)?.status ?? null,
    commitments: Number(total.n),
  }));
}

export async function findCycleByNumber(db: Executor, planId: number, number: number): Promise<CycleInfo | undefined> {
  const c = await cdb(db).selectFrom('reporting_cycles').selectAll().where('action_plan_id', '=', planId).where('number', '=', number).executeTakeFirst();
  return c ? { id: c.id, number: c.number, label: parseTranslatable(c.label), periodStart: c.period_start, periodEnd: c.period_end } : undefined;
}

export async function findReport(db: Executor, cycleId: number) {
  return vdb(db).selectFrom('monitoring_reports').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst();
}

/** Recommendations of a jurisdiction (drafts too: for the administration), open first. */
export async function listJurisdictionRecommendations(db: Executor, jurisdictionId: number): Promise<(RecommendationView & { planSlug: string })[]> {
  const rows = await (await recommendationsQuery(db))
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select('action_plans.slug as plan_slug')
    .where('action_plans.jurisdiction_id', '=', jurisdictionId)
    .orderBy('recommendations.status', 'desc')
    .orderBy('recommendations.due_on')
    .orderBy('recommendations.id')
    .execute();
  const views = await withFollowUps(db, rows);
  return views.map((v, i) => ({ ...v, planSlug: rows[i]!.plan_slug }));
}

export async function findRecommendation(db: Executor, id: number): Promise<(RecommendationView & { planSlug: string; jurisdictionId: number }) | undefined> {
  const rows = await (await recommendationsQuery(db))
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select(['action_plans.slug as plan_slug', 'action_plans.jurisdiction_id'])
    .where('recommendations.id', '=', id)
    .execute();
  if (rows.length === 0) return undefined;
  const [view] = await withFollowUps(db, rows);
  return { ...view!, planSlug: rows[0]!.plan_slug, jurisdictionId: rows[0]!.jurisdiction_id };
}
