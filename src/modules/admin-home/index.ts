import { defineModule } from '../manifest.js';
import { adminHomeRoutes } from './routes.js';
export { adminHomeRoutes } from './routes.js';

/** The administration's home page. */
export const manifest = defineModule({
  name: 'admin-home',
  messages: ['adminHome'],
  routes: { admin: ({ db }) => adminHomeRoutes(db) },
});
