import type { Executor } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';

export interface InstitutionDetail {
  id: number;
  slug: string;
  name: Translatable;
  description: Translatable;
  kind: string;
  website: string | null;
  jurisdiction: { slug: string; name: Translatable };
  commitments: { code: string; title: Translatable; planSlug: string; planTitle: Translatable; role: string }[];
  milestones: { code: string; title: Translatable; status: string; dueOn: string; commitmentCode: string; planSlug: string; isDemo: boolean }[];
}

export async function findInstitutionDetail(db: Executor, jurisdictionSlug: string, slug: string): Promise<InstitutionDetail | undefined> {
  const row = await db
    .selectFrom('institutions')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'institutions.jurisdiction_id')
    .selectAll('institutions')
    .select(['jurisdictions.slug as jurisdiction_slug', 'jurisdictions.name as jurisdiction_name'])
    .where('jurisdictions.slug', '=', jurisdictionSlug)
    .where('institutions.slug', '=', slug)
    .executeTakeFirst();
  if (!row) return undefined;
  const [commitments, milestones] = await Promise.all([
    db
      .selectFrom('commitment_institutions')
      .innerJoin('commitments', 'commitments.id', 'commitment_institutions.commitment_id')
      .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
      .select(['commitments.code', 'commitments.title', 'action_plans.slug as plan_slug', 'action_plans.title as plan_title', 'commitment_institutions.role'])
      .where('commitment_institutions.institution_id', '=', row.id)
      .orderBy('action_plans.starts_on', 'desc')
      .orderBy('commitments.code')
      .execute(),
    db
      .selectFrom('milestones')
      .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
      .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
      .select(['milestones.code', 'milestones.title', 'milestones.status', 'milestones.due_on', 'milestones.is_demo', 'commitments.code as commitment_code', 'action_plans.slug as plan_slug'])
      .where('milestones.responsible_institution_id', '=', row.id)
      .orderBy('milestones.due_on')
      .execute(),
  ]);
  return {
    id: row.id,
    slug: row.slug,
    name: parseTranslatable(row.name),
    description: parseTranslatable(row.description),
    kind: row.kind,
    website: row.website,
    jurisdiction: { slug: row.jurisdiction_slug, name: parseTranslatable(row.jurisdiction_name) },
    commitments: commitments.map((c) => ({ code: c.code, title: parseTranslatable(c.title), planSlug: c.plan_slug, planTitle: parseTranslatable(c.plan_title), role: c.role })),
    milestones: milestones.map((m) => ({
      code: m.code,
      title: parseTranslatable(m.title),
      status: m.status,
      dueOn: m.due_on,
      commitmentCode: m.commitment_code,
      planSlug: m.plan_slug,
      isDemo: m.is_demo === 1,
    })),
  };
}
