import type { FastifyInstance } from 'fastify';
import { pageContext } from '../../plugins/locale.js';
import { AccessibilityPage, PrivacyPage } from './views.js';

/** Fixed pages: the accessibility statement and the privacy notice, served through the page cache. */
export function pageRoutes() {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/accessibility', (request, reply) =>
      app.pageCache.serve(request, reply, () => AccessibilityPage({ ctx: pageContext(request) }) as string),
    );
    app.get('/privacy', (request, reply) =>
      app.pageCache.serve(request, reply, () => PrivacyPage({ ctx: pageContext(request) }) as string),
    );
  };
}
