import { dayIn } from '../../i18n/index.js';
import type { Executor } from '../../db/database.js';
import { parseList, parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { listFiles, REPORTING_INSTITUTION } from './repository.js';
import { rdb } from './tables.js';

/** Read models for public pages: only published updates, never who filed them. */

export interface EvidenceFileView {
  id: number;
  filename: string;
  contentType: string;
  size: number;
  /** The public address of the file: /evidence/{id}/{filename}. */
  url: string;
}

export interface PublishedItem {
  milestoneId: number;
  code: string;
  title: Translatable;
  status: string;
  completion: string;
  narrative: Translatable;
  obstacles: string[];
  obstacleNote: Translatable;
  links: string[];
  files: EvidenceFileView[];
}

export interface PublishedUpdate {
  id: number;
  cycle: { number: number; label: Translatable; periodStart: string; periodEnd: string; dueOn: string };
  summary: Translatable;
  submittedAt: string | null;
  publishedAt: string;
  /** The jurisdiction's time zone (IANA): the times above are shown in it. */
  timeZone: string;
  /** First submission on or before the due date. */
  onTime: boolean;
  /** Files about the commitment as a whole. */
  files: EvidenceFileView[];
  items: PublishedItem[];
}

export function evidenceUrl(id: number, filename: string): string {
  return `/evidence/${id}/${encodeURIComponent(filename)}`;
}

/** Submitted on or before the due day, as the day is counted in the jurisdiction's time zone. */
function onTime(submittedAt: string | null, dueOn: string, timeZone: string): boolean {
  return !!submittedAt && dayIn(submittedAt, timeZone) <= dueOn;
}

/** A commitment's published progress updates, newest period first, with their evidence. */
export async function listPublishedUpdates(db: Executor, commitmentId: number): Promise<PublishedUpdate[]> {
  const updates = await rdb(db)
    .selectFrom('progress_updates')
    .innerJoin('reporting_cycles', 'reporting_cycles.id', 'progress_updates.cycle_id')
    .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select([
      'progress_updates.id',
      'progress_updates.summary',
      'progress_updates.first_submitted_at',
      'progress_updates.published_at',
      'reporting_cycles.number',
      'reporting_cycles.label',
      'reporting_cycles.period_start',
      'reporting_cycles.period_end',
      'reporting_cycles.due_on',
      'jurisdictions.time_zone',
    ])
    .where('progress_updates.commitment_id', '=', commitmentId)
    .where('progress_updates.status', '=', 'published')
    .orderBy('reporting_cycles.period_end', 'desc')
    .orderBy('progress_updates.published_at', 'desc')
    .execute();
  if (updates.length === 0) return [];
  const ids = updates.map((u) => u.id);
  const items = await rdb(db)
    .selectFrom('progress_update_items')
    .innerJoin('milestones', 'milestones.id', 'progress_update_items.milestone_id')
    .select([
      'progress_update_items.update_id',
      'progress_update_items.milestone_id',
      'progress_update_items.status',
      'progress_update_items.completion',
      'progress_update_items.narrative',
      'progress_update_items.obstacles',
      'progress_update_items.obstacle_note',
      'progress_update_items.evidence_links',
      'milestones.code',
      'milestones.title',
    ])
    .where('progress_update_items.update_id', 'in', ids)
    .orderBy('milestones.position')
    .orderBy('milestones.id')
    .execute();
  const files = await listFiles(db, ids);
  const fileView = (f: (typeof files)[number]): EvidenceFileView => ({
    id: f.id,
    filename: f.filename,
    contentType: f.content_type,
    size: f.size,
    url: evidenceUrl(f.id, f.filename),
  });
  return updates.map((u) => ({
    id: u.id,
    cycle: { number: u.number, label: parseTranslatable(u.label), periodStart: u.period_start, periodEnd: u.period_end, dueOn: u.due_on },
    summary: parseTranslatable(u.summary),
    submittedAt: u.first_submitted_at,
    publishedAt: u.published_at ?? '',
    timeZone: u.time_zone,
    onTime: onTime(u.first_submitted_at, u.due_on, u.time_zone),
    files: files.filter((f) => f.update_id === u.id && f.milestone_id === null).map(fileView),
    items: items
      .filter((i) => i.update_id === u.id)
      .map((i) => ({
        milestoneId: i.milestone_id,
        code: i.code,
        title: parseTranslatable(i.title),
        status: i.status,
        completion: i.completion,
        narrative: parseTranslatable(i.narrative),
        obstacles: parseList(i.obstacles),
        obstacleNote: parseTranslatable(i.obstacle_note),
        links: parseList(i.evidence_links),
        files: files.filter((f) => f.update_id === u.id && f.milestone_id === i.milestone_id).map(fileView),
      })),
  }));
}

export interface RecentUpdate {
  id: number;
  publishedAt: string;
  /** The jurisdiction's time zone (IANA). */
  timeZone: string;
  cycle: { number: number; label: Translatable };
  commitment: { code: string; title: Translatable };
  plan: { slug: string; title: Translatable };
  jurisdictionSlug: string;
  /** The public commitment page: /{locale}{path}. */
  path: string;
  /** The update belongs to a demonstration plan. */
  isDemo: boolean;
}

/** Published progress updates with what a link to each and its line need (one query shape for both lists below). */
function publishedUpdatesQuery(db: Executor) {
  return rdb(db)
    .selectFrom('progress_updates')
    .innerJoin('reporting_cycles', 'reporting_cycles.id', 'progress_updates.cycle_id')
    .innerJoin('commitments', 'commitments.id', 'progress_updates.commitment_id')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select([
      'progress_updates.id',
      'progress_updates.published_at',
      'reporting_cycles.number',
      'reporting_cycles.label',
      'commitments.code',
      'commitments.title',
      'action_plans.slug as plan_slug',
      'action_plans.title as plan_title',
      'action_plans.is_demo as plan_is_demo',
      'jurisdictions.id as jurisdiction_id',
      'jurisdictions.slug as jurisdiction_slug',
      'jurisdictions.time_zone',
    ])
    .where('progress_updates.status', '=', 'published');
}

type PublishedUpdateRow = Awaited<ReturnType<ReturnType<typeof publishedUpdatesQuery>['execute']>>[number];

function recentUpdateOf(r: PublishedUpdateRow): RecentUpdate & { jurisdictionId: number } {
  return {
    id: r.id,
    publishedAt: r.published_at ?? '',
    timeZone: r.time_zone,
    cycle: { number: r.number, label: parseTranslatable(r.label) },
    commitment: { code: r.code, title: parseTranslatable(r.title) },
    plan: { slug: r.plan_slug, title: parseTranslatable(r.plan_title) },
    jurisdictionId: r.jurisdiction_id,
    jurisdictionSlug: r.jurisdiction_slug,
    path: `/${r.jurisdiction_slug}/plans/${r.plan_slug}/commitments/${encodeURIComponent(r.code)}`,
    isDemo: r.plan_is_demo === 1,
  };
}

/** The latest published progress updates of a jurisdiction, newest first. */
export async function listRecentPublishedUpdates(db: Executor, jurisdictionId: number, limit = 10): Promise<RecentUpdate[]> {
  const rows = await publishedUpdatesQuery(db)
    .where('action_plans.jurisdiction_id', '=', jurisdictionId)
    .orderBy('progress_updates.published_at', 'desc')
    .orderBy('progress_updates.id', 'desc')
    .limit(Math.max(1, Math.min(limit, 100)))
    .execute();
  return rows.map(recentUpdateOf);
}

/**
 * The newest published progress update of each jurisdiction (for the instance home), in two
 * queries whatever the number of jurisdictions: the newest publication time per jurisdiction,
 * then the updates published at those times (the highest id wins a tie).
 */
export async function listLatestPublishedUpdates(db: Executor): Promise<Map<number, RecentUpdate & { jurisdictionId: number }>> {
  const latest = await rdb(db)
    .selectFrom('progress_updates')
    .innerJoin('commitments', 'commitments.id', 'progress_updates.commitment_id')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select((eb) => ['action_plans.jurisdiction_id', eb.fn.max('progress_updates.published_at').as('published_at')])
    .where('progress_updates.status', '=', 'published')
    .groupBy('action_plans.jurisdiction_id')
    .execute();
  const times = [...new Set(latest.map((r) => r.published_at).filter((t): t is string => !!t))];
  const result = new Map<number, RecentUpdate & { jurisdictionId: number }>();
  if (!times.length) return result;
  const wanted = new Map(latest.map((r) => [r.jurisdiction_id, r.published_at]));
  const rows = await publishedUpdatesQuery(db).where('progress_updates.published_at', 'in', times).orderBy('progress_updates.id', 'desc').execute();
  for (const r of rows) {
    if (wanted.get(r.jurisdiction_id) !== r.published_at || result.has(r.jurisdiction_id)) continue;
    result.set(r.jurisdiction_id, recentUpdateOf(r));
  }
  return result;
}

/** How many progress updates of a plan are published: none means nothing has been reported yet. */
export async function countPublishedUpdates(db: Executor, planId: number): Promise<number> {
  const row = await rdb(db)
    .selectFrom('progress_updates')
    .innerJoin('commitments', 'commitments.id', 'progress_updates.commitment_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('commitments.action_plan_id', '=', planId)
    .where('progress_updates.status', '=', 'published')
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export type Punctuality = 'on_time' | 'late' | 'missing' | 'pending';

export interface PunctualityRow {
  cycle: { number: number; label: Translatable; dueOn: string };
  plan: { slug: string; title: Translatable };
  commitment: { code: string; title: Translatable };
  /** First submission (date and time, UTC), if any. */
  submittedAt: string | null;
  /** The jurisdiction's time zone (IANA): the submission's day is the day there. */
  timeZone: string;
  state: Punctuality;
}

/**
 * For each cycle and each commitment an institution leads: whether its report came on time
 * (first submitted on or before the due date), late, is missing (due date passed), or is not due yet.
 */
export async function listReportPunctuality(db: Executor, institutionId: number, today = new Date().toISOString().slice(0, 10)): Promise<PunctualityRow[]> {
  const rows = await rdb(db)
    .selectFrom('commitment_institutions')
    .innerJoin('commitments', 'commitments.id', 'commitment_institutions.commitment_id')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .innerJoin('reporting_cycles', 'reporting_cycles.action_plan_id', 'action_plans.id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .leftJoin('progress_updates', (join) =>
      join.onRef('progress_updates.cycle_id', '=', 'reporting_cycles.id').onRef('progress_updates.commitment_id', '=', 'commitments.id'),
    )
    .select([
      'reporting_cycles.number',
      'reporting_cycles.label',
      'reporting_cycles.due_on',
      'action_plans.slug as plan_slug',
      'action_plans.title as plan_title',
      'commitments.code',
      'commitments.title',
      'progress_updates.first_submitted_at',
      'jurisdictions.time_zone',
    ])
    .where('commitment_institutions.institution_id', '=', institutionId)
    .where(REPORTING_INSTITUTION)
    .orderBy('reporting_cycles.due_on', 'desc')
    .orderBy('commitments.position')
    .orderBy('commitments.code')
    .execute();
  return rows.map((r) => {
    const submitted = r.first_submitted_at ?? null;
    const state: Punctuality = submitted ? (onTime(submitted, r.due_on, r.time_zone) ? 'on_time' : 'late') : r.due_on < today ? 'missing' : 'pending';
    return {
      cycle: { number: r.number, label: parseTranslatable(r.label), dueOn: r.due_on },
      plan: { slug: r.plan_slug, title: parseTranslatable(r.plan_title) },
      commitment: { code: r.code, title: parseTranslatable(r.title) },
      submittedAt: submitted,
      timeZone: r.time_zone,
      state,
    };
  });
}
