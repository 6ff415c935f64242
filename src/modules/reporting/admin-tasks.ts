import type { Db } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import type { PolicyUser } from '../accounts/index.js';
import { REPORTING_INSTITUTION } from './repository.js';
import { rdb } from './tables.js';

/**
 * What each person must do next in reporting, grouped: the commitment holder's reports to fill in
 * (overdue first), returned to them, submitted (waiting for the coordinator) and published; the
 * coordinator's or administrator's reports waiting for review, overdue from institutions, in
 * progress and published. "Overdue" is derived from the day given, never stored: a report past
 * its cycle's due date and not submitted (nor published).
 */

export interface ReportTask {
  jurisdictionSlug: string;
  /** The jurisdiction's time zone (IANA): its times are shown in it. */
  timeZone: string;
  planSlug: string;
  cycle: { number: number; label: Translatable; dueOn: string };
  commitment: { code: string; title: Translatable };
  /** The update's status, or 'missing' when nothing was saved yet. */
  status: string;
  /** The due date when the report is overdue on the given day, else null. */
  overdueSince: string | null;
  /** When it was last submitted (submitted and published reports). */
  submittedAt: string | null;
  publishedAt: string | null;
  /** The institutions that report on the commitment (filled for the reviewer's overdue list). */
  institutions: Translatable[];
}

export const HOLDER_GROUPS = ['toFill', 'returned', 'submitted', 'published'] as const;
export const REVIEW_GROUPS = ['toReview', 'overdue', 'inProgress', 'published'] as const;
export type HolderGroup = (typeof HOLDER_GROUPS)[number];
export type ReviewGroup = (typeof REVIEW_GROUPS)[number];

export interface ReportingTasks {
  /** Present when the person holds a commitment holder role. */
  holder?: Record<HolderGroup, ReportTask[]>;
  /** Present when the person reviews (coordinator or administrator). */
  review?: Record<ReviewGroup, ReportTask[]>;
}

/** How many published reports each list shows (the most recent). */
export const PUBLISHED_SHOWN = 10;
const LIMIT = 200;

/** A report is overdue on `today` when its due date has passed and it was neither submitted nor published. */
export function overdueSince(status: string, dueOn: string, today: string): string | null {
  return status !== 'submitted' && status !== 'published' && dueOn < today ? dueOn : null;
}

type Row = {
  number: number;
  label: string;
  due_on: string;
  plan_slug: string;
  jurisdiction_slug: string;
  time_zone: string;
  commitment_id: number;
  code: string;
  title: string;
  status: string | null;
  submitted_at: string | null;
  published_at: string | null;
};

function base(db: Db) {
  return rdb(db)
    .selectFrom('reporting_cycles')
    .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .innerJoin('commitments', 'commitments.action_plan_id', 'action_plans.id')
    .leftJoin('progress_updates', (join) => join.onRef('progress_updates.cycle_id', '=', 'reporting_cycles.id').onRef('progress_updates.commitment_id', '=', 'commitments.id'))
    .select([
      'reporting_cycles.number',
      'reporting_cycles.label',
      'reporting_cycles.due_on',
      'action_plans.slug as plan_slug',
      'jurisdictions.slug as jurisdiction_slug',
      'jurisdictions.time_zone',
      'commitments.id as commitment_id',
      'commitments.code',
      'commitments.title',
      'progress_updates.status',
      'progress_updates.submitted_at',
      'progress_updates.published_at',
    ]);
}

type Query = ReturnType<typeof base>;

function toTask(r: Row, today: string): ReportTask {
  const status = r.status ?? 'missing';
  return {
    jurisdictionSlug: r.jurisdiction_slug,
    timeZone: r.time_zone,
    planSlug: r.plan_slug,
    cycle: { number: r.number, label: parseTranslatable(r.label), dueOn: r.due_on },
    commitment: { code: r.code, title: parseTranslatable(r.title) },
    status,
    overdueSince: overdueSince(status, r.due_on, today),
    submittedAt: r.submitted_at,
    publishedAt: r.published_at,
    institutions: [],
  };
}

/** Rows of several queries, each report once, in the order given. */
function unique(rows: Row[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.jurisdiction_slug}/${r.plan_slug}/${r.number}/${r.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Overdue first (oldest due date first), then the rest by due date; then by code. */
function overdueFirst(tasks: ReportTask[]): ReportTask[] {
  return [...tasks].sort(
    (a, b) =>
      Number(b.overdueSince !== null) - Number(a.overdueSince !== null) ||
      a.cycle.dueOn.localeCompare(b.cycle.dueOn) ||
      a.commitment.code.localeCompare(b.commitment.code),
  );
}

function latestPublished(tasks: ReportTask[]): ReportTask[] {
  return [...tasks].sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '')).slice(0, PUBLISHED_SHOWN);
}

/** Runs the query once per scope (each of a holder's institution roles, say) and merges the rows. */
async function collect(scopes: (() => Query)[], shape: (q: Query) => Query): Promise<Row[]> {
  const rows: Row[] = [];
  for (const scope of scopes) rows.push(...(await shape(scope()).execute()));
  return unique(rows);
}

/** The reports the person must act on or follow, grouped by what comes next, on `today` (YYYY-MM-DD). */
export async function reportingTasksOf(db: Db, user: PolicyUser, today: string): Promise<ReportingTasks> {
  const roles = user?.roles ?? [];
  const result: ReportingTasks = {};

  const holderRoles = roles.filter((r) => r.role === 'commitment_holder' && r.institutionId !== null);
  if (holderRoles.length) {
    const scopes = holderRoles.map((role) => () => {
      let q = base(db).where('commitments.id', 'in', (eb) =>
        eb.selectFrom('commitment_institutions').select('commitment_institutions.commitment_id').where('commitment_institutions.institution_id', '=', role.institutionId!).where(REPORTING_INSTITUTION),
      );
      if (role.jurisdictionId !== null) q = q.where('action_plans.jurisdiction_id', '=', role.jurisdictionId);
      return q;
    });
    const run = async (shape: (q: Query) => Query) => (await collect(scopes, shape)).map((r) => toTask(r, today));
    // To fill in: nothing saved yet or a draft, in an open cycle whose period has started.
    const toFill = await run((q) =>
      q
        .where('reporting_cycles.status', '=', 'open')
        .where('reporting_cycles.period_start', '<=', today)
        .where((eb) => eb.or([eb('progress_updates.status', 'is', null), eb('progress_updates.status', '=', 'draft')]))
        .orderBy('reporting_cycles.due_on')
        .orderBy('commitments.code')
        .limit(LIMIT),
    );
    const returned = await run((q) => q.where('progress_updates.status', '=', 'returned').orderBy('reporting_cycles.due_on').orderBy('commitments.code').limit(LIMIT));
    const submitted = await run((q) => q.where('progress_updates.status', '=', 'submitted').orderBy('reporting_cycles.due_on').orderBy('commitments.code').limit(LIMIT));
    const published = await run((q) => q.where('progress_updates.status', '=', 'published').orderBy('progress_updates.published_at', 'desc').limit(PUBLISHED_SHOWN));
    result.holder = { toFill: overdueFirst(toFill), returned: overdueFirst(returned), submitted, published: latestPublished(published) };
  }

  const reviewRoles = roles.filter((r) => r.role === 'administrator' || r.role === 'coordinator');
  if (reviewRoles.length) {
    const everywhere = reviewRoles.some((r) => r.jurisdictionId === null);
    const ids = [...new Set(reviewRoles.map((r) => r.jurisdictionId).filter((id): id is number => id !== null))];
    const scopes = [() => (everywhere ? base(db) : base(db).where('action_plans.jurisdiction_id', 'in', ids.length ? ids : [-1]))];
    const run = async (shape: (q: Query) => Query) => (await collect(scopes, shape)).map((r) => toTask(r, today));
    const toReview = await run((q) => q.where('progress_updates.status', '=', 'submitted').orderBy('progress_updates.submitted_at').orderBy('commitments.code').limit(LIMIT));
    const overdue = await run((q) =>
      q
        .where('reporting_cycles.status', '=', 'open')
        .where('reporting_cycles.due_on', '<', today)
        .where((eb) => eb.or([eb('progress_updates.status', 'is', null), eb('progress_updates.status', 'in', ['draft', 'returned'])]))
        .orderBy('reporting_cycles.due_on')
        .orderBy('commitments.code')
        .limit(LIMIT),
    );
    const inProgress = await run((q) =>
      q
        .where('reporting_cycles.status', '=', 'open')
        .where('reporting_cycles.due_on', '>=', today)
        .where('progress_updates.status', 'in', ['draft', 'returned'])
        .orderBy('reporting_cycles.due_on')
        .orderBy('commitments.code')
        .limit(LIMIT),
    );
    const published = await run((q) => q.where('progress_updates.status', '=', 'published').orderBy('progress_updates.published_at', 'desc').limit(PUBLISHED_SHOWN));
    await withInstitutions(db, overdue);
    result.review = { toReview, overdue, inProgress, published: latestPublished(published) };
  }
  return result;
}

/** Fills in the institutions that report on each task's commitment (who is late). */
async function withInstitutions(db: Db, tasks: ReportTask[]): Promise<void> {
  if (tasks.length === 0) return;
  const codes = [...new Set(tasks.map((t) => `${t.jurisdictionSlug}/${t.planSlug}/${t.commitment.code}`))];
  const rows = await db
    .selectFrom('commitment_institutions')
    .innerJoin('institutions', 'institutions.id', 'commitment_institutions.institution_id')
    .innerJoin('commitments', 'commitments.id', 'commitment_institutions.commitment_id')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['jurisdictions.slug as jurisdiction_slug', 'action_plans.slug as plan_slug', 'commitments.code', 'institutions.name'])
    .where(REPORTING_INSTITUTION)
    .where('commitments.code', 'in', [...new Set(tasks.map((t) => t.commitment.code))])
    .orderBy('institutions.id')
    .execute();
  const byKey = new Map<string, Translatable[]>();
  for (const r of rows) {
    const key = `${r.jurisdiction_slug}/${r.plan_slug}/${r.code}`;
    if (!codes.includes(key)) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), parseTranslatable(r.name)]);
  }
  for (const t of tasks) t.institutions = byKey.get(`${t.jurisdictionSlug}/${t.planSlug}/${t.commitment.code}`) ?? [];
}

/** The counts the administration's start page leads with. */
export interface ReportingCounts {
  toFill: number;
  toFillOverdue: number;
  returned: number;
  toReview: number;
  overdue: number;
}

export function countsOf(tasks: ReportingTasks): ReportingCounts {
  return {
    toFill: tasks.holder?.toFill.length ?? 0,
    toFillOverdue: tasks.holder?.toFill.filter((t) => t.overdueSince !== null).length ?? 0,
    returned: tasks.holder?.returned.length ?? 0,
    toReview: tasks.review?.toReview.length ?? 0,
    overdue: tasks.review?.overdue.length ?? 0,
  };
}
