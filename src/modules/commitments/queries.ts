import { precompiled, type Executor } from '../../db/database.js';
import { parseList, parseTranslatableShared, type Translatable } from '../../lib/translatable.js';
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

/*
 * The commitment page's queries, compiled once (precompiled): the page is read far more often
 * than anything else, and building a query costs more than running it on SQLite. Only the
 * columns the page shows are read.
 */
const commitmentRow = precompiled((db: Executor, jurisdictionSlug: string, planSlug: string, code: string) =>
  db
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select([
      'commitments.id',
      'commitments.code',
      'commitments.title',
      'commitments.problem',
      'commitments.status_quo',
      'commitments.action',
      'commitments.contribution',
      'commitments.long_term_goal',
      'commitments.ogp_values',
      'commitments.policy_areas',
      'commitments.starts_on',
      'commitments.ends_on',
      'jurisdictions.slug as jurisdiction_slug',
      'jurisdictions.name as jurisdiction_name',
      'action_plans.slug as plan_slug',
      'action_plans.title as plan_title',
    ])
    .where('jurisdictions.slug', '=', jurisdictionSlug)
    .where('action_plans.slug', '=', planSlug)
    .where('commitments.code', '=', code),
);

const institutionRows = precompiled((db: Executor, commitmentId: number) =>
  db
    .selectFrom('commitment_institutions')
    .innerJoin('institutions', 'institutions.id', 'commitment_institutions.institution_id')
    .select(['institutions.slug', 'institutions.name', 'commitment_institutions.role'])
    .where('commitment_institutions.commitment_id', '=', commitmentId)
    .orderBy('commitment_institutions.role')
    .orderBy('institutions.slug'),
);

const milestoneRows = precompiled((db: Executor, commitmentId: number) =>
  db
    .selectFrom('milestones')
    .leftJoin('institutions', 'institutions.id', 'milestones.responsible_institution_id')
    .select([
      'milestones.id',
      'milestones.code',
      'milestones.title',
      'milestones.expected_output',
      'milestones.indicator',
      'milestones.starts_on',
      'milestones.due_on',
      'milestones.status',
      'milestones.completed_on',
      'milestones.cancelled_on',
      'milestones.weight',
      'milestones.is_demo',
      'institutions.slug as responsible_slug',
      'institutions.name as responsible_name',
    ])
    .where('milestones.commitment_id', '=', commitmentId)
    .orderBy('milestones.position')
    .orderBy('milestones.code'),
);

/** Everything the commitment page shows, in three queries. */
export async function findCommitmentDetail(db: Executor, jurisdictionSlug: string, planSlug: string, code: string): Promise<CommitmentDetail | undefined> {
  const [row] = await commitmentRow(db, jurisdictionSlug, planSlug, code);
  if (!row) return undefined;
  const [institutions, milestones] = await Promise.all([institutionRows(db, row.id), milestoneRows(db, row.id)]);
  const ms: MilestoneView[] = milestones.map((m) => ({
    id: Number(m.id),
    code: m.code,
    title: parseTranslatableShared(m.title),
    expectedOutput: parseTranslatableShared(m.expected_output),
    indicator: parseTranslatableShared(m.indicator),
    responsible: m.responsible_slug ? { slug: m.responsible_slug, name: parseTranslatableShared(m.responsible_name) } : null,
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
    jurisdiction: { slug: row.jurisdiction_slug, name: parseTranslatableShared(row.jurisdiction_name) },
    plan: { slug: row.plan_slug, title: parseTranslatableShared(row.plan_title) },
    title: parseTranslatableShared(row.title),
    problem: parseTranslatableShared(row.problem),
    statusQuo: parseTranslatableShared(row.status_quo),
    action: parseTranslatableShared(row.action),
    contribution: parseTranslatableShared(row.contribution),
    longTermGoal: parseTranslatableShared(row.long_term_goal),
    ogpValues: parseList(row.ogp_values),
    policyAreas: parseList(row.policy_areas),
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    institutions: institutions.map((i) => ({ slug: i.slug, name: parseTranslatableShared(i.name), role: i.role })),
    milestones: ms,
    status: commitmentStatusOf(ms),
    progress: progressOf(ms),
  };
}
