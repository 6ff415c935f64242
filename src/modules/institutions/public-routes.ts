import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { provenanceOf } from '../provenance/index.js';
import { listReportPunctuality } from '../reporting/index.js';
import { entitiesWithHistory, historyKey } from '../transparency/index.js';
import { findBrand } from '../jurisdictions/brand.js';
import { findInstitutionDetail } from './queries.js';
import { InstitutionPage } from './public-views.js';

export function institutionPublicRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/institutions/:institution', (request, reply) => {
      const { jurisdiction, institution } = request.params as { jurisdiction: string; institution: string };
      return app.pageCache.serve(request, reply, async () => {
        const detail = await findInstitutionDetail(db, jurisdiction, institution);
        if (!detail) throw new NotFoundError();
        const [punctuality, withHistory, provenance] = await Promise.all([
          listReportPunctuality(db, detail.id),
          entitiesWithHistory(db, { institution: [detail.id] }),
          provenanceOf(db, { institution: [detail.id] }),
        ]);
        return InstitutionPage({ ctx: pageContext(request, { brand: await findBrand(db, jurisdiction) }), i: detail, punctuality, hasHistory: withHistory.has(historyKey('institution', detail.id)), provenance }) as string;
      });
    });
  };
}
