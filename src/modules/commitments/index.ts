import { defineModule } from '../manifest.js';
import commitmentsMessages from './messages.js';
import commitmentsAdminMessages from './admin-messages.js';
import { commitmentPublicRoutes } from './public-routes.js';
import { commitmentAdminRoutes } from './admin-routes.js';
import { commitmentSearch } from './search.js';
import { commitmentHistory, milestoneHistory } from './history.js';
export { commitmentPublicRoutes } from './public-routes.js';
export { commitmentAdminRoutes } from './admin-routes.js';
export { default as commitmentMessages } from './messages.js';
export { default as commitmentAdminMessages } from './admin-messages.js';
export * from './domain.js';

/** Commitments and their milestones. */
export const manifest = defineModule({
  name: 'commitments',
  messages: [commitmentsMessages, commitmentsAdminMessages],
  routes: {
    admin: ({ db }) => commitmentAdminRoutes(db),
    content: ({ db }) => commitmentPublicRoutes(db),
  },
  search: commitmentSearch,
  history: [commitmentHistory, milestoneHistory],
});
