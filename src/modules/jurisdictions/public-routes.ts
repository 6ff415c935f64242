import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import type { ModuleManifest } from '../manifest.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { provenanceOf } from '../provenance/index.js';
import { entitiesWithHistory, historyKey } from '../transparency/index.js';
import { findBrand } from './branding.js';
import { findJurisdictionHome, listHomeCards } from './queries.js';
import { HomePage, JurisdictionPage } from './public-views.js';

export function jurisdictionPublicRoutes(db: Db, modules: readonly ModuleManifest[] = []) {
  const recentSources = modules.flatMap((m) => (m.recent ? [m.recent] : []));
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/', (request, reply) =>
      app.pageCache.serve(request, reply, async ({ today }) => HomePage({ ctx: pageContext(request), cards: await listHomeCards(db, today), today }) as string),
    );

    app.get('/:jurisdiction', (request, reply) => {
      const { jurisdiction } = request.params as { jurisdiction: string };
      return app.pageCache.serve(request, reply, async ({ today }) => {
        const home = await findJurisdictionHome(db, jurisdiction, today, recentSources);
        if (!home) throw new NotFoundError();
        const [withHistory, provenance, brand] = await Promise.all([
          entitiesWithHistory(db, { jurisdiction: [home.id] }),
          provenanceOf(db, { jurisdiction: [home.id], action_plan: home.plans.map((p) => p.id) }),
          findBrand(db, home.slug),
        ]);
        const hasHistory = withHistory.has(historyKey('jurisdiction', home.id));
        return JurisdictionPage({ ctx: pageContext(request, { brand }), j: home, today, hasHistory, provenance }) as string;
      });
    });
  };
}
