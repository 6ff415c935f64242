import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { provenanceOf } from '../provenance/index.js';
import { listPublishedUpdates } from '../reporting/index.js';
import { entitiesWithHistory, historyKey } from '../transparency/index.js';
import { findBrand } from '../jurisdictions/brand.js';
import { findCommitmentFindings } from '../reviews/index.js';
import { findIrmAssessment } from '../interop/index.js';
import { findCommitmentDetail } from './queries.js';
import { CommitmentPage } from './public-views.js';

export function commitmentPublicRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/plans/:plan/commitments/:code', (request, reply) => {
      const { jurisdiction, plan, code } = request.params as { jurisdiction: string; plan: string; code: string };
      return app.pageCache.serve(request, reply, async ({ today }) => {
        const detail = await findCommitmentDetail(db, jurisdiction, plan, code);
        if (!detail) throw new NotFoundError();
        const milestoneIds = detail.milestones.map((m) => m.id);
        const [updates, withHistory, provenance, findings, irm] = await Promise.all([
          listPublishedUpdates(db, detail.id),
          entitiesWithHistory(db, { commitment: [detail.id], milestone: milestoneIds }),
          provenanceOf(db, { commitment: [detail.id] }),
          findCommitmentFindings(db, detail.id),
          findIrmAssessment(db, detail.id),
        ]);
        const history = {
          commitment: withHistory.has(historyKey('commitment', detail.id)),
          milestones: new Set(milestoneIds.filter((id) => withHistory.has(historyKey('milestone', id)))),
        };
        return CommitmentPage({ ctx: pageContext(request, { brand: await findBrand(db, jurisdiction) }), c: detail, updates, history, provenance, findings, irm, today }) as string;
      });
    });
  };
}
