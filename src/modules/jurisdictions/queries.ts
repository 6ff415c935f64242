import type { Executor } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { progressOf, type WeightedStatus } from '../commitments/domain.js';
import { currentPlan, listPlanCommitments, listPlans, type CommitmentSummary, type PlanSummary } from '../plans/index.js';
import { countPublishedUpdates, listLatestPublishedUpdates, type RecentUpdate } from '../reporting/index.js';
import type { RecentChange, RecentSource } from '../manifest.js';

/** Milestones still open: neither completed nor cancelled. */
const CLOSED = ['completed', 'cancelled'];

/** One jurisdiction on the instance home: its current (or latest) plan and what changed lately. */
export interface HomeCard {
  id: number;
  slug: string;
  name: Translatable;
  kind: string;
  plan?:
    | {
        summary: PlanSummary;
        commitments: number;
        milestones: number;
        progress: number | null;
        /** Open milestones whose due date has passed on the day. */
        overdue: number;
        hasDemo: boolean;
      }
    | undefined;
  latestUpdate?: RecentUpdate | undefined;
}

/**
 * Every jurisdiction with its current plan's figures, for the instance home on a day, in six
 * grouped queries whatever the number of jurisdictions (200+ with `besa generate --scale ogp`):
 * jurisdictions, plans, commitments per plan, milestones per plan and status, overdue per plan,
 * and the newest published update per jurisdiction (two).
 */
export async function listHomeCards(db: Executor, today: string): Promise<HomeCard[]> {
  const [jurisdictions, planRows, latest] = await Promise.all([
    db.selectFrom('jurisdictions').select(['id', 'slug', 'name', 'kind']).orderBy('slug').execute(),
    db
      .selectFrom('action_plans')
      .select(['id', 'jurisdiction_id', 'slug', 'title', 'starts_on', 'ends_on', 'withdrawn_on', 'assessed_on', 'is_demo'])
      .orderBy('starts_on', 'desc')
      .execute(),
    listLatestPublishedUpdates(db),
  ]);
  const plansOf = new Map<number, PlanSummary[]>();
  for (const p of planRows) {
    const list = plansOf.get(p.jurisdiction_id) ?? [];
    list.push({ id: p.id, slug: p.slug, title: parseTranslatable(p.title), startsOn: p.starts_on, endsOn: p.ends_on, withdrawnOn: p.withdrawn_on, assessedOn: p.assessed_on, isDemo: p.is_demo === 1 });
    plansOf.set(p.jurisdiction_id, list);
  }
  const chosen = new Map<number, PlanSummary>();
  for (const j of jurisdictions) {
    const plan = currentPlan(plansOf.get(j.id) ?? [], today);
    if (plan) chosen.set(j.id, plan);
  }
  const planIds = [...chosen.values()].map((p) => p.id);
  const commitmentCounts = new Map<number, number>();
  const statuses = new Map<number, (WeightedStatus & { count: number; demo: boolean })[]>();
  const overdue = new Map<number, number>();
  if (planIds.length) {
    const [commitments, milestones, late] = await Promise.all([
      db
        .selectFrom('commitments')
        .select((eb) => ['action_plan_id', eb.fn.countAll<number>().as('count')])
        .where('action_plan_id', 'in', planIds)
        .groupBy('action_plan_id')
        .execute(),
      db
        .selectFrom('milestones')
        .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
        .select((eb) => [
          'commitments.action_plan_id',
          'milestones.status',
          eb.fn.sum<number>('milestones.weight').as('weight'),
          eb.fn.countAll<number>().as('count'),
          eb.fn.max('milestones.is_demo').as('demo'),
        ])
        .where('commitments.action_plan_id', 'in', planIds)
        .groupBy(['commitments.action_plan_id', 'milestones.status'])
        .execute(),
      db
        .selectFrom('milestones')
        .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
        .select((eb) => ['commitments.action_plan_id', eb.fn.countAll<number>().as('count')])
        .where('commitments.action_plan_id', 'in', planIds)
        .where('milestones.status', 'not in', CLOSED)
        .where('milestones.due_on', '<', today)
        .groupBy('commitments.action_plan_id')
        .execute(),
    ]);
    for (const c of commitments) commitmentCounts.set(c.action_plan_id, Number(c.count));
    for (const m of milestones) {
      const list = statuses.get(m.action_plan_id) ?? [];
      list.push({ status: m.status, weight: Number(m.weight), count: Number(m.count), demo: Number(m.demo) === 1 });
      statuses.set(m.action_plan_id, list);
    }
    for (const o of late) overdue.set(o.action_plan_id, Number(o.count));
  }
  return jurisdictions.map((j) => {
    const plan = chosen.get(j.id);
    const ms = plan ? statuses.get(plan.id) ?? [] : [];
    return {
      id: j.id,
      slug: j.slug,
      name: parseTranslatable(j.name),
      kind: j.kind,
      plan: plan
        ? {
            summary: plan,
            commitments: commitmentCounts.get(plan.id) ?? 0,
            milestones: ms.reduce((n, m) => n + m.count, 0),
            progress: progressOf(ms),
            overdue: overdue.get(plan.id) ?? 0,
            hasDemo: plan.isDemo || ms.some((m) => m.demo),
          }
        : undefined,
      latestUpdate: latest.get(j.id),
    };
  });
}

export interface DueMilestone {
  code: string;
  title: Translatable;
  dueOn: string;
  status: string;
  commitmentCode: string;
  isDemo: boolean;
}

/** What the jurisdiction's home says about its current plan, every figure from stored data. */
export interface CurrentPlanStory {
  plan: PlanSummary;
  commitments: CommitmentSummary[];
  progress: number | null;
  /** Milestones of the plan, all statuses. */
  milestoneCount: number;
  /** Published progress updates of the plan: 0 means nothing has been reported yet. */
  publishedUpdates: number;
  /** The earliest due date of any milestone of the plan. */
  firstDueOn: string | null;
  /** Open milestones past their due date on the day, most overdue first (at most 10), and how many in all. */
  overdue: DueMilestone[];
  overdueCount: number;
  /** Open milestones due on the day or later, soonest first (at most 5). */
  next: DueMilestone[];
}

export interface JurisdictionHome {
  id: number;
  slug: string;
  name: Translatable;
  description: Translatable;
  kind: string;
  website: string | null;
  plans: PlanSummary[];
  current?: CurrentPlanStory | undefined;
  institutions: { slug: string; name: Translatable }[];
  /** The newest published changes of every module (manifest `recent`), newest first. */
  recent: RecentChange[];
}

function openMilestones(db: Executor, planId: number) {
  return db
    .selectFrom('milestones')
    .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
    .select(['milestones.code', 'milestones.title', 'milestones.due_on', 'milestones.status', 'milestones.is_demo', 'commitments.code as commitment_code'])
    .where('commitments.action_plan_id', '=', planId)
    .where('milestones.status', 'not in', CLOSED)
    .orderBy('milestones.due_on')
    .orderBy('milestones.code');
}

function toDue(r: { code: string; title: string; due_on: string; status: string; is_demo: number; commitment_code: string }): DueMilestone {
  return { code: r.code, title: parseTranslatable(r.title), dueOn: r.due_on, status: r.status, commitmentCode: r.commitment_code, isDemo: r.is_demo === 1 };
}

/** The current plan's story on a day: what was promised, how far, what is late, what is next. */
export async function currentPlanStory(db: Executor, plan: PlanSummary, today: string): Promise<CurrentPlanStory> {
  const [{ commitments, progress }, overdue, overdueCount, next, span, publishedUpdates] = await Promise.all([
    listPlanCommitments(db, plan.id),
    openMilestones(db, plan.id).where('milestones.due_on', '<', today).limit(10).execute(),
    db
      .selectFrom('milestones')
      .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('commitments.action_plan_id', '=', plan.id)
      .where('milestones.status', 'not in', CLOSED)
      .where('milestones.due_on', '<', today)
      .executeTakeFirst(),
    openMilestones(db, plan.id).where('milestones.due_on', '>=', today).limit(5).execute(),
    db
      .selectFrom('milestones')
      .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
      .select((eb) => [eb.fn.min('milestones.due_on').as('first'), eb.fn.countAll<number>().as('count')])
      .where('commitments.action_plan_id', '=', plan.id)
      .executeTakeFirst(),
    countPublishedUpdates(db, plan.id),
  ]);
  return {
    plan,
    commitments,
    progress,
    milestoneCount: Number(span?.count ?? 0),
    publishedUpdates,
    firstDueOn: (span?.first as string | null | undefined) ?? null,
    overdue: overdue.map(toDue),
    overdueCount: Number(overdueCount?.count ?? 0),
    next: next.map(toDue),
  };
}

/** How many recent changes a jurisdiction's home shows. */
const RECENT_CHANGES = 6;

/** The newest `limit` published changes of a jurisdiction across modules (each module's newest `limit`, merged). */
export async function listRecentChanges(db: Executor, jurisdictionId: number, sources: readonly RecentSource[], limit: number): Promise<RecentChange[]> {
  const lists = await Promise.all(sources.map((source) => source.recent(db, jurisdictionId, limit)));
  return lists
    .flat()
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.key.localeCompare(b.key)))
    .slice(0, limit);
}

/** A jurisdiction's home on a day: the current plan is the one being implemented that day (currentPlan). */
export async function findJurisdictionHome(db: Executor, slug: string, today: string, recentSources: readonly RecentSource[] = []): Promise<JurisdictionHome | undefined> {
  const row = await db.selectFrom('jurisdictions').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!row) return undefined;
  const [plans, institutions, recent] = await Promise.all([
    listPlans(db, row.id),
    db.selectFrom('institutions').select(['slug', 'name']).where('jurisdiction_id', '=', row.id).orderBy('slug').execute(),
    listRecentChanges(db, row.id, recentSources, RECENT_CHANGES),
  ]);
  const plan = currentPlan(plans, today);
  return {
    id: row.id,
    slug: row.slug,
    name: parseTranslatable(row.name),
    description: parseTranslatable(row.description),
    kind: row.kind,
    website: row.website,
    plans,
    current: plan ? await currentPlanStory(db, plan, today) : undefined,
    institutions: institutions.map((i) => ({ slug: i.slug, name: parseTranslatable(i.name) })),
    recent,
  };
}
