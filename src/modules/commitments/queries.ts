import type { Executor } from '../../db/database.js';
import { parseList, parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { commitmentStatusOf, progressOf } from './domain.js';

export interface InstitutionLink {
  slug: string;
  name: Translatable;
  role: string;
}

export interface MilestoneView {
  id: number;
  code: string;
  title: Translatable;
  expectedOutput: Translatable;
  indicator: Translatable;
  responsible: { slug: string; name: Translatable } | null;
  startsOn: string | null;
  dueOn: string;
  status: string;
  completedOn: string | null;
  cancelledOn: string | null;
  weight: number;
  isDemo: boolean;
}

export interface CommitmentDetail {
  id: number;
  code: string;
  jurisdiction: { slug: string; name: Translatable };
  plan: { slug: string; title: Translatable };
  title: Translatable;
  problem: Translatable;
  statusQuo: Translatable;
  action: Translatable;
  contribution: Translatable;
  longTermGoal: Translatable;
  ogpValues: string[];
  policyAreas: string[];
  startsOn: string;
  endsOn: string;
  institutions: InstitutionLink[];
  milestones: MilestoneView[];
  status: ReturnType<typeof commitmentStatusOf>;
  progress: number | null;
}

/** Everything the commitment page shows, in four queries. */
export async function findCommitmentDetail(db: Executor, jurisdictionSlug: string, planSlug: string, code: string): Promise<CommitmentDetail | undefined> {
  const row = await db
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .selectAll('commitments')
    .select(['jurisdictions.slug as jurisdiction_slug', 'jurisdictions.name as jurisdiction_name', 'action_plans.slug as plan_slug', 'action_plans.title as plan_title'])
    .where('jurisdictions.slug', '=', jurisdictionSlug)
    .where('action_plans.slug', '=', planSlug)
    .where('commitments.code', '=', code)
    .executeTakeFirst();
  if (!row) return undefined;
  const [institutions, milestones] = await Promise.all([
    db
      .selectFrom('commitment_institutions')
      .innerJoin('institutions', 'institutions.id', 'commitment_institutions.institution_id')
      .select(['institutions.slug', 'institutions.name', 'commitment_institutions.role'])
      .where('commitment_institutions.commitment_id', '=', row.id)
      .orderBy('commitment_institutions.role')
      .orderBy('institutions.slug')
      .execute(),
    db
      .selectFrom('milestones')
      .leftJoin('institutions', 'institutions.id', 'milestones.responsible_institution_id')
      .selectAll('milestones')
      .select(['institutions.slug as responsible_slug', 'institutions.name as responsible_name'])
      .where('milestones.commitment_id', '=', row.id)
      .orderBy('milestones.position')
      .orderBy('milestones.code')
      .execute(),
  ]);
  const ms: MilestoneView[] = milestones.map((m) => ({
    id: Number(m.id),
    code: m.code,
    title: parseTranslatable(m.title),
    expectedOutput: parseTranslatable(m.expected_output),
    indicator: parseTranslatable(m.indicator),
    responsible: m.responsible_slug ? { slug: m.responsible_slug, name: parseTranslatable(m.responsible_name) } : null,
    startsOn: m.starts_on,
    dueOn: m.due_on,
    status: m.status,
    completedOn: m.completed_on,
    cancelledOn: m.cancelled_on,
    weight: m.weight,
    isDemo: m.is_demo === 1,
  }));
  return {
    id: row.id,
    code: row.code,
    jurisdiction: { slug: row.jurisdiction_slug, name: parseTranslatable(row.jurisdiction_name) },
    plan: { slug: row.plan_slug, title: parseTranslatable(row.plan_title) },
    title: parseTranslatable(row.title),
    problem: parseTranslatable(row.problem),
    statusQuo: parseTranslatable(row.status_quo),
    action: parseTranslatable(row.action),
    contribution: parseTranslatable(row.contribution),
    longTermGoal: parseTranslatable(row.long_term_goal),
    ogpValues: parseList(row.ogp_values),
    policyAreas: parseList(row.policy_areas),
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    institutions: institutions.map((i) => ({ slug: i.slug, name: parseTranslatable(i.name), role: i.role })),
    milestones: ms,
    status: commitmentStatusOf(ms),
    progress: progressOf(ms),
  };
}
