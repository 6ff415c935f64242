import { defineModule } from '../manifest.js';
import { pageRoutes } from './routes.js';
export { pageRoutes } from './routes.js';

/** The instance's fixed pages (home, about, accessibility). */
export const manifest = defineModule({
  name: 'pages',
  messages: ['pages'],
  routes: { public: () => pageRoutes() },
});
