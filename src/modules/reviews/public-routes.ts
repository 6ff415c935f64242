import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { findBrand } from '../jurisdictions/index.js';
import { findPublicPlan, findPublishedReport, listOpenRecommendations, listPublishedReports } from './queries.js';
import { MonitoringIndexPage, MonitoringReportPage } from './public-views.js';

/** Public pages: a plan's monitoring reports with its open recommendations, and one cycle's report. */
export function reviewPublicRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/plans/:plan/monitoring', (request, reply) => {
      const { jurisdiction, plan } = request.params as { jurisdiction: string; plan: string };
      return app.pageCache.serve(request, reply, async ({ today }) => {
        const found = await findPublicPlan(db, jurisdiction, plan);
        if (!found) throw new NotFoundError();
        const [reports, open] = await Promise.all([listPublishedReports(db, found.id), listOpenRecommendations(db, { planId: found.id })]);
        return MonitoringIndexPage({ ctx: pageContext(request, { brand: await findBrand(db, jurisdiction) }), plan: found, reports, open, today }) as string;
      });
    });

    app.get('/:jurisdiction/plans/:plan/monitoring/:number', (request, reply) => {
      const { jurisdiction, plan, number } = request.params as { jurisdiction: string; plan: string; number: string };
      if (!/^\d{1,4}$/.test(number)) throw new NotFoundError();
      return app.pageCache.serve(request, reply, async ({ today }) => {
        const found = await findPublicPlan(db, jurisdiction, plan);
        if (!found) throw new NotFoundError();
        const report = await findPublishedReport(db, found.id, Number(number));
        if (!report) throw new NotFoundError();
        return MonitoringReportPage({ ctx: pageContext(request, { brand: await findBrand(db, jurisdiction) }), plan: found, report: report.report, reviews: report.reviews, today }) as string;
      });
    });
  };
}
