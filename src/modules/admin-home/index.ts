import { defineModule } from '../manifest.js';
import adminHomeMessages from './messages.js';
import { adminHomeRoutes } from './routes.js';
export { adminHomeRoutes } from './routes.js';
export { default as adminHomeMessages } from './messages.js';

/** The administration's home page. */
export const manifest = defineModule({
  name: 'admin-home',
  messages: [adminHomeMessages],
  routes: { admin: ({ db }) => adminHomeRoutes(db) },
});
