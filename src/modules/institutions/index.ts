import { defineModule } from '../manifest.js';
import { institutionPublicRoutes } from './public-routes.js';
import { institutionAdminRoutes } from './admin-routes.js';
import { institutionSearch } from './search.js';
import { institutionHistory } from './history.js';
export { institutionPublicRoutes } from './public-routes.js';
export { institutionAdminRoutes } from './admin-routes.js';

/** The institutions of a jurisdiction that hold commitments. */
export const manifest = defineModule({
  name: 'institutions',
  messages: ['institution', 'institutionsAdmin'],
  routes: {
    admin: ({ db }) => institutionAdminRoutes(db),
    content: ({ db }) => institutionPublicRoutes(db),
  },
  search: institutionSearch,
  history: [institutionHistory],
});
