import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { todayIn } from '../../i18n/index.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { findBrand } from '../jurisdictions/index.js';
import { computeChecklist } from './checklist.js';
import { findStandardsPlan, loadStandardsSnapshot } from './queries.js';
import { StandardsPage } from './public-views.js';

/** The public checklist of a plan, under /{locale}: cached like every public page, for the day it is rendered. */
export function standardsPublicRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/plans/:plan/standards', (request, reply) => {
      const { jurisdiction, plan } = request.params as { jurisdiction: string; plan: string };
      return app.pageCache.serve(request, reply, async ({ today }) => {
        const found = await findStandardsPlan(db, jurisdiction, plan);
        if (!found) throw new NotFoundError();
        // Deadlines fall on the jurisdiction's days.
        const day = todayIn(found.jurisdiction.timeZone, today);
        const snapshot = await loadStandardsSnapshot(db, found, day);
        const items = computeChecklist(snapshot, day);
        // Demonstration data anywhere in the evidence: the page says so (and each link carries its tag).
        const demo = snapshot.plan.isDemo || [...snapshot.forums, ...snapshot.forumMeetings, ...snapshot.monitoringMeetings, ...snapshot.monitoringReports].some((x) => x.isDemo);
        return StandardsPage({ ctx: pageContext(request, { brand: await findBrand(db, found.jurisdiction.slug) }), plan: found, items, today: day, demo }) as string;
      });
    });
  };
}
