import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { provenanceOf, visionSectionIds } from '../provenance/index.js';
import { entitiesWithHistory, historyKey } from '../transparency/index.js';
import { findBrand } from '../jurisdictions/brand.js';
import { findPlanDetail, listPlanMilestones } from './queries.js';
import { PlanPage, PlanTimelinePage } from './public-views.js';
import { listPlanConsultations } from '../participation/consultation-queries.js';

export function planPublicRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/plans/:plan', (request, reply) => {
      const { jurisdiction, plan } = request.params as { jurisdiction: string; plan: string };
      return app.pageCache.serve(request, reply, async ({ today }) => {
        const detail = await findPlanDetail(db, jurisdiction, plan);
        if (!detail) throw new NotFoundError();
        const [withHistory, visionIds] = await Promise.all([entitiesWithHistory(db, { action_plan: [detail.id] }), visionSectionIds(db, detail.id)]);
        const provenance = await provenanceOf(db, { action_plan: [detail.id], vision_section: visionIds });
        const consultations = await listPlanConsultations(db, detail.id);
        return PlanPage({ ctx: pageContext(request, { brand: await findBrand(db, detail.jurisdiction.slug) }), plan: detail, hasHistory: withHistory.has(historyKey('action_plan', detail.id)), provenance, visionIds, today, consultations }) as string;
      });
    });

    app.get('/:jurisdiction/plans/:plan/timeline', (request, reply) => {
      const { jurisdiction, plan } = request.params as { jurisdiction: string; plan: string };
      return app.pageCache.serve(request, reply, async () => {
        const detail = await findPlanDetail(db, jurisdiction, plan);
        if (!detail) throw new NotFoundError();
        const milestones = await listPlanMilestones(db, detail.id);
        return PlanTimelinePage({ ctx: pageContext(request, { brand: await findBrand(db, detail.jurisdiction.slug) }), plan: detail, milestones }) as string;
      });
    });
  };
}
