import type { SearchDocumentDraft, SearchSource } from '../manifest.js';
import { titleJson } from '../search/index.js';

/**
 * Commitments and their milestones. A commitment of a demonstration plan is demonstration data;
 * one of a real plan is not, even when demonstration milestones were added to it (those are
 * labelled themselves).
 */
export const commitmentSearch: SearchSource = {
  kinds: ['commitment', 'milestone'],
  async documents(db, jurisdiction, body) {
    const commitments = await db
      .selectFrom('commitments as c')
      .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
      .select(['c.id', 'c.code', 'c.title', 'c.problem', 'c.status_quo', 'c.action', 'c.contribution', 'c.long_term_goal', 'c.policy_areas', 'p.slug as plan_slug', 'p.is_demo as plan_is_demo'])
      .where('p.jurisdiction_id', '=', jurisdiction.id)
      .orderBy('c.action_plan_id')
      .orderBy('c.position')
      .execute();
    if (commitments.length === 0) return [];
    const institutions = await db
      .selectFrom('commitment_institutions as ci')
      .innerJoin('commitments as c', 'c.id', 'ci.commitment_id')
      .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
      .innerJoin('institutions as i', 'i.id', 'ci.institution_id')
      .select(['ci.commitment_id', 'i.name'])
      .where('p.jurisdiction_id', '=', jurisdiction.id)
      .execute();
    const milestones = await db
      .selectFrom('milestones as m')
      .innerJoin('commitments as c', 'c.id', 'm.commitment_id')
      .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
      .leftJoin('institutions as i', 'i.id', 'm.responsible_institution_id')
      .select(['m.id', 'm.commitment_id', 'm.code', 'm.title', 'm.expected_output', 'm.indicator', 'i.name as responsible_name', 'm.is_demo'])
      .where('p.jurisdiction_id', '=', jurisdiction.id)
      .orderBy('m.commitment_id')
      .orderBy('m.position')
      .execute();

    const namesByCommitment = new Map<number, string[]>();
    for (const ci of institutions) {
      const list = namesByCommitment.get(ci.commitment_id);
      if (list) list.push(ci.name);
      else namesByCommitment.set(ci.commitment_id, [ci.name]);
    }
    const base = `/${encodeURIComponent(jurisdiction.slug)}/plans/`;
    const docs: SearchDocumentDraft[] = [];
    const commitmentsById = new Map<number, { path: string; demo: boolean }>();
    for (const c of commitments) {
      const path = `${base}${encodeURIComponent(c.plan_slug)}/commitments/${encodeURIComponent(c.code)}`;
      const demo = c.plan_is_demo === 1;
      commitmentsById.set(c.id, { path, demo });
      docs.push({
        doc_key: `commitment:${c.id}`,
        kind: 'commitment',
        title: titleJson(c.title),
        path,
        body: body(c.code, c.title, c.title, c.problem, c.status_quo, c.action, c.contribution, c.long_term_goal, c.policy_areas, ...(namesByCommitment.get(c.id) ?? [])),
        is_demo: demo ? 1 : 0,
      });
    }
    for (const m of milestones) {
      const commitment = commitmentsById.get(m.commitment_id);
      if (!commitment) continue;
      docs.push({
        doc_key: `milestone:${m.id}`,
        kind: 'milestone',
        title: titleJson(m.title),
        path: `${commitment.path}#${encodeURIComponent(m.code)}`,
        body: body(m.code, m.title, m.title, m.expected_output, m.indicator, m.responsible_name),
        is_demo: m.is_demo === 1 || commitment.demo ? 1 : 0,
      });
    }
    return docs;
  },
};
