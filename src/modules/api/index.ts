import { defineModule } from '../manifest.js';
import { apiPageRoutes } from './page.js';
import { apiRoutes } from './routes.js';

/**
 * The JSON API under /api/v1 with its OpenAPI 3.1 description (generated from the routes' own
 * schemas), the write route for progress updates with personal tokens, and the /{locale}/api page
 * that explains it (issue 12; docs/adr/0006-api-v1.md). The tokens themselves are the accounts module's.
 */
export { API_PREFIX } from './routes.js';

export const manifest = defineModule({
  name: 'api',
  messages: ['api'],
  routes: {
    unlocalized: (context) => apiRoutes(context),
    public: (context) => apiPageRoutes(context),
  },
});
