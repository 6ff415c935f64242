import type { Executor } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { currentPlan, listPlanCommitments, listPlans, type CommitmentSummary, type PlanSummary } from '../plans/index.js';
import { listRecentPublishedUpdates, type RecentUpdate } from '../reporting/index.js';

export interface JurisdictionListItem {
  slug: string;
  name: Translatable;
  kind: string;
  countryCode: string;
}

export async function listJurisdictions(db: Executor): Promise<JurisdictionListItem[]> {
  const rows = await db.selectFrom('jurisdictions').select(['slug', 'name', 'kind', 'country_code']).orderBy('slug').execute();
  return rows.map((r) => ({ slug: r.slug, name: parseTranslatable(r.name), kind: r.kind, countryCode: r.country_code }));
}

export interface DueMilestone {
  code: string;
  title: Translatable;
  dueOn: string;
  status: string;
  commitmentCode: string;
  isDemo: boolean;
}

export interface JurisdictionHome {
  id: number;
  slug: string;
  name: Translatable;
  description: Translatable;
  kind: string;
  website: string | null;
  plans: PlanSummary[];
  current?: { plan: PlanSummary; commitments: CommitmentSummary[]; progress: number | null; due: DueMilestone[] } | undefined;
  institutions: { slug: string; name: Translatable }[];
  recentUpdates: RecentUpdate[];
}

/** Open milestones of a plan, soonest first: what is overdue or due next. */
async function dueMilestones(db: Executor, planId: number, limit: number): Promise<DueMilestone[]> {
  const rows = await db
    .selectFrom('milestones')
    .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
    .select(['milestones.code', 'milestones.title', 'milestones.due_on', 'milestones.status', 'milestones.is_demo', 'commitments.code as commitment_code'])
    .where('commitments.action_plan_id', '=', planId)
    .where('milestones.status', 'not in', ['completed', 'cancelled'])
    .orderBy('milestones.due_on')
    .orderBy('milestones.code')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ code: r.code, title: parseTranslatable(r.title), dueOn: r.due_on, status: r.status, commitmentCode: r.commitment_code, isDemo: r.is_demo === 1 }));
}

/** A jurisdiction's home on a day: the current plan is the one being implemented that day (currentPlan). */
export async function findJurisdictionHome(db: Executor, slug: string, today: string): Promise<JurisdictionHome | undefined> {
  const row = await db.selectFrom('jurisdictions').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!row) return undefined;
  const [plans, institutions, recentUpdates] = await Promise.all([
    listPlans(db, row.id),
    db.selectFrom('institutions').select(['slug', 'name']).where('jurisdiction_id', '=', row.id).orderBy('slug').execute(),
    listRecentPublishedUpdates(db, row.id, 5),
  ]);
  const plan = currentPlan(plans, today);
  let current: JurisdictionHome['current'];
  if (plan) {
    const [{ commitments, progress }, due] = await Promise.all([listPlanCommitments(db, plan.id), dueMilestones(db, plan.id, 8)]);
    current = { plan, commitments, progress, due };
  }
  return {
    id: row.id,
    slug: row.slug,
    name: parseTranslatable(row.name),
    description: parseTranslatable(row.description),
    kind: row.kind,
    website: row.website,
    plans,
    current,
    institutions: institutions.map((i) => ({ slug: i.slug, name: parseTranslatable(i.name) })),
    recentUpdates,
  };
}
