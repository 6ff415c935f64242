import { defineModule } from '../manifest.js';
import { commitmentPublicRoutes } from './public-routes.js';
import { commitmentAdminRoutes } from './admin-routes.js';
import { commitmentSearch } from './search.js';
import { commitmentHistory, milestoneHistory } from './history.js';
export { commitmentPublicRoutes } from './public-routes.js';
export { commitmentAdminRoutes } from './admin-routes.js';
export * from './domain.js';

/** Commitments and their milestones. */
export const manifest = defineModule({
  name: 'commitments',
  messages: ['commitment', 'commitmentsAdmin', 'domain', 'milestone'],
  routes: {
    admin: ({ db }) => commitmentAdminRoutes(db),
    content: ({ db }) => commitmentPublicRoutes(db),
  },
  search: commitmentSearch,
  history: [commitmentHistory, milestoneHistory],
});
