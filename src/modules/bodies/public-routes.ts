import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { todayIn } from '../../i18n/index.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { findBrand } from '../jurisdictions/index.js';
import { findBody, findJurisdiction, listBodies, listPublicMembers } from './queries.js';
import { BodiesPage, BodyPage } from './public-views.js';

/** /{locale}/{jurisdiction}/bodies and /{locale}/{jurisdiction}/bodies/{body}: cached like every public page. */
export function bodiesPublicRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/bodies', (request, reply) => {
      const params = request.params as { jurisdiction: string };
      return app.pageCache.serve(request, reply, async ({ today }) => {
        const jurisdiction = await findJurisdiction(db, params.jurisdiction);
        if (!jurisdiction) throw new NotFoundError();
        const bodies = await listBodies(db, jurisdiction.id);
        const [members, brand] = await Promise.all([listPublicMembers(db, bodies.map((b) => b.id)), findBrand(db, jurisdiction.slug)]);
        return BodiesPage({ ctx: pageContext(request, { brand }), jurisdiction, bodies, members, today: todayIn(jurisdiction.timeZone, today) }) as string;
      });
    });

    app.get('/:jurisdiction/bodies/:body', (request, reply) => {
      const params = request.params as { jurisdiction: string; body: string };
      return app.pageCache.serve(request, reply, async ({ today }) => {
        const jurisdiction = await findJurisdiction(db, params.jurisdiction);
        if (!jurisdiction) throw new NotFoundError();
        const body = await findBody(db, jurisdiction.id, params.body);
        if (!body) throw new NotFoundError();
        const all = await listBodies(db, jurisdiction.id);
        const [members, brand] = await Promise.all([listPublicMembers(db, [body.id]), findBrand(db, jurisdiction.slug)]);
        return BodyPage({
          ctx: pageContext(request, { brand }),
          jurisdiction,
          body,
          parent: all.find((b) => b.id === body.parentId),
          groups: all.filter((b) => b.parentId === body.id),
          members: members.get(body.id) ?? [],
          today: todayIn(jurisdiction.timeZone, today),
        }) as string;
      });
    });
  };
}
