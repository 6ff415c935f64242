import type { SearchSource } from '../manifest.js';
import { titleJson } from '../search/index.js';

/** A jurisdiction's action plans: title, foreword, co-creation summary, vision and endorsers. */
export const planSearch: SearchSource = {
  kinds: ['plan'],
  async documents(db, jurisdiction, body) {
    const plans = await db
      .selectFrom('action_plans')
      .select(['id', 'slug', 'title', 'foreword', 'cocreation_summary', 'is_demo'])
      .where('jurisdiction_id', '=', jurisdiction.id)
      .orderBy('id')
      .execute();
    if (plans.length === 0) return [];
    const vision = await db
      .selectFrom('vision_sections as v')
      .innerJoin('action_plans as p', 'p.id', 'v.action_plan_id')
      .select(['v.action_plan_id', 'v.question', 'v.answer'])
      .where('p.jurisdiction_id', '=', jurisdiction.id)
      .orderBy('v.action_plan_id')
      .orderBy('v.position')
      .execute();
    const endorsements = await db
      .selectFrom('endorsements as e')
      .innerJoin('action_plans as p', 'p.id', 'e.action_plan_id')
      .select(['e.action_plan_id', 'e.organization'])
      .where('p.jurisdiction_id', '=', jurisdiction.id)
      .orderBy('e.action_plan_id')
      .orderBy('e.position')
      .execute();
    const base = `/${encodeURIComponent(jurisdiction.slug)}/plans/`;
    return plans.map((plan) => {
      const texts = vision.filter((v) => v.action_plan_id === plan.id).flatMap((v) => [v.question, v.answer]);
      const endorsers = endorsements.filter((e) => e.action_plan_id === plan.id).map((e) => e.organization);
      return {
        doc_key: `plan:${plan.id}`,
        kind: 'plan',
        title: titleJson(plan.title),
        path: base + encodeURIComponent(plan.slug),
        body: body(plan.slug, plan.title, plan.title, plan.foreword, plan.cocreation_summary, ...texts, ...endorsers),
        is_demo: plan.is_demo === 1 ? (1 as const) : (0 as const),
      };
    });
  },
};
