import type { Executor } from '../../db/database.js';
import { commitmentStatusOf, planStatusOf, progressOf, type PlanDates, type WeightedStatus } from '../commitments/domain.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';

export interface JurisdictionRef {
  id: number;
  slug: string;
  name: Translatable;
}

export interface InstitutionRef {
  id: number;
  slug: string;
  name: Translatable;
}

export interface CommitmentSummary {
  id: number;
  code: string;
  title: Translatable;
  startsOn: string;
  endsOn: string;
  status: ReturnType<typeof commitmentStatusOf>;
  progress: number | null;
  leads: InstitutionRef[];
  milestoneCount: number;
  hasDemo: boolean;
}

/** A plan; its status is derived from these dates and events for a day (planStatusOf). */
export interface PlanSummary extends PlanDates {
  id: number;
  slug: string;
  title: Translatable;
  isDemo: boolean;
}

export interface PlanDetail extends PlanSummary {
  jurisdiction: JurisdictionRef;
  submittedOn: string | null;
  foreword: Translatable;
  cocreationGroups: number | null;
  cocreationPublicMeetings: number | null;
  cocreationSummary: Translatable;
  leadInstitutions: InstitutionRef[];
  visionSections: { question: Translatable; answer: Translatable }[];
  endorsements: { organization: string; sector: string }[];
  commitments: CommitmentSummary[];
  progress: number | null;
  hasDemo: boolean;
}

export async function findJurisdictionRef(db: Executor, slug: string): Promise<JurisdictionRef | undefined> {
  const row = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
  return row ? { id: row.id, slug: row.slug, name: parseTranslatable(row.name) } : undefined;
}

function toPlanSummary(row: { id: number; slug: string; title: string; starts_on: string; ends_on: string; withdrawn_on: string | null; assessed_on: string | null; is_demo: number }): PlanSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: parseTranslatable(row.title),
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    withdrawnOn: row.withdrawn_on,
    assessedOn: row.assessed_on,
    isDemo: row.is_demo === 1,
  };
}

export async function listPlans(db: Executor, jurisdictionId: number): Promise<PlanSummary[]> {
  const rows = await db
    .selectFrom('action_plans')
    .select(['id', 'slug', 'title', 'starts_on', 'ends_on', 'withdrawn_on', 'assessed_on', 'is_demo'])
    .where('jurisdiction_id', '=', jurisdictionId)
    .orderBy('starts_on', 'desc')
    .execute();
  return rows.map(toPlanSummary);
}

/**
 * The plan a jurisdiction's home shows on a day: the one being implemented, else the newest that
 * was not withdrawn, else the newest (plans come newest first).
 */
export function currentPlan(plans: PlanSummary[], today: string): PlanSummary | undefined {
  return plans.find((p) => planStatusOf(p, today) === 'in_implementation') ?? plans.find((p) => planStatusOf(p, today) !== 'withdrawn') ?? plans[0];
}

export interface PlanCommitments {
  commitments: CommitmentSummary[];
  /** The plan's progress: the weighted completion of all its milestones. */
  progress: number | null;
}

/** A plan's commitments with derived status and progress, in plan order: three queries whatever the count. */
export async function listPlanCommitments(db: Executor, planId: number): Promise<PlanCommitments> {
  const [commitments, milestones, leads] = await Promise.all([
    db
      .selectFrom('commitments')
      .select(['id', 'code', 'title', 'starts_on', 'ends_on'])
      .where('action_plan_id', '=', planId)
      .orderBy('position')
      .orderBy('code')
      .execute(),
    // One row per commitment and status, read from the covering index milestones_rollup.
    db
      .selectFrom('milestones')
      .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
      .select((eb) => [
        'milestones.commitment_id',
        'milestones.status',
        eb.fn.sum<number>('milestones.weight').as('weight'),
        eb.fn.countAll<number>().as('count'),
        eb.fn.max('milestones.is_demo').as('demo'),
      ])
      .where('commitments.action_plan_id', '=', planId)
      .groupBy(['milestones.commitment_id', 'milestones.status'])
      .execute(),
    db
      .selectFrom('commitment_institutions')
      .innerJoin('institutions', 'institutions.id', 'commitment_institutions.institution_id')
      .innerJoin('commitments', 'commitments.id', 'commitment_institutions.commitment_id')
      .select(['commitment_institutions.commitment_id', 'institutions.id', 'institutions.slug', 'institutions.name'])
      .where('commitments.action_plan_id', '=', planId)
      .where('commitment_institutions.role', '=', 'lead')
      .orderBy('institutions.slug')
      .execute(),
  ]);
  const statuses = new Map<number, (WeightedStatus & { count: number; demo: boolean })[]>();
  const all: WeightedStatus[] = [];
  for (const m of milestones) {
    const row = { status: m.status, weight: Number(m.weight), count: Number(m.count), demo: Number(m.demo) === 1 };
    const list = statuses.get(m.commitment_id) ?? [];
    list.push(row);
    statuses.set(m.commitment_id, list);
    all.push(row);
  }
  const leadMap = new Map<number, InstitutionRef[]>();
  for (const l of leads) {
    const list = leadMap.get(l.commitment_id) ?? [];
    list.push({ id: l.id, slug: l.slug, name: parseTranslatable(l.name) });
    leadMap.set(l.commitment_id, list);
  }
  return {
    progress: progressOf(all),
    commitments: commitments.map((c) => {
      const ms = statuses.get(c.id) ?? [];
      return {
        id: c.id,
        code: c.code,
        title: parseTranslatable(c.title),
        startsOn: c.starts_on,
        endsOn: c.ends_on,
        status: commitmentStatusOf(ms),
        progress: progressOf(ms),
        leads: leadMap.get(c.id) ?? [],
        milestoneCount: ms.reduce((n, m) => n + m.count, 0),
        hasDemo: ms.some((m) => m.demo),
      };
    }),
  };
}

export async function findPlanDetail(db: Executor, jurisdictionSlug: string, planSlug: string): Promise<PlanDetail | undefined> {
  const jurisdiction = await findJurisdictionRef(db, jurisdictionSlug);
  if (!jurisdiction) return undefined;
  const row = await db
    .selectFrom('action_plans')
    .selectAll()
    .where('jurisdiction_id', '=', jurisdiction.id)
    .where('slug', '=', planSlug)
    .executeTakeFirst();
  if (!row) return undefined;
  const [leads, vision, endorsements, { commitments: list, progress }] = await Promise.all([
    db
      .selectFrom('action_plan_lead_institutions')
      .innerJoin('institutions', 'institutions.id', 'action_plan_lead_institutions.institution_id')
      .select(['institutions.id', 'institutions.slug', 'institutions.name'])
      .where('action_plan_id', '=', row.id)
      .orderBy('action_plan_lead_institutions.position')
      .execute(),
    db.selectFrom('vision_sections').select(['question', 'answer']).where('action_plan_id', '=', row.id).orderBy('position').execute(),
    db.selectFrom('endorsements').select(['organization', 'sector']).where('action_plan_id', '=', row.id).orderBy('position').execute(),
    listPlanCommitments(db, row.id),
  ]);
  return {
    ...toPlanSummary(row),
    jurisdiction,
    submittedOn: row.submitted_on,
    foreword: parseTranslatable(row.foreword),
    cocreationGroups: row.cocreation_groups,
    cocreationPublicMeetings: row.cocreation_public_meetings,
    cocreationSummary: parseTranslatable(row.cocreation_summary),
    leadInstitutions: leads.map((l) => ({ id: l.id, slug: l.slug, name: parseTranslatable(l.name) })),
    visionSections: vision.map((v) => ({ question: parseTranslatable(v.question), answer: parseTranslatable(v.answer) })),
    endorsements,
    commitments: list,
    progress,
    hasDemo: row.is_demo === 1 || list.some((c) => c.hasDemo),
  };
}

export interface TimelineMilestone {
  code: string;
  commitmentCode: string;
  title: Translatable;
  startsOn: string | null;
  dueOn: string;
  status: string;
  completedOn: string | null;
  isDemo: boolean;
}

/** Every milestone of a plan, for the plan timeline. */
export async function listPlanMilestones(db: Executor, planId: number): Promise<TimelineMilestone[]> {
  const rows = await db
    .selectFrom('milestones')
    .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
    .select([
      'milestones.code',
      'commitments.code as commitment_code',
      'milestones.title',
      'milestones.starts_on',
      'milestones.due_on',
      'milestones.status',
      'milestones.completed_on',
      'milestones.is_demo',
    ])
    .where('commitments.action_plan_id', '=', planId)
    .orderBy('commitments.position')
    .orderBy('commitments.code')
    .orderBy('milestones.position')
    .orderBy('milestones.code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    commitmentCode: r.commitment_code,
    title: parseTranslatable(r.title),
    startsOn: r.starts_on,
    dueOn: r.due_on,
    status: r.status,
    completedOn: r.completed_on,
    isDemo: r.is_demo === 1,
  }));
}
