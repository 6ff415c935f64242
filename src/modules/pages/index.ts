import { defineModule } from '../manifest.js';
import pagesMessages from './messages.js';
import { pageRoutes } from './routes.js';
export { pageRoutes } from './routes.js';
export { default as pageMessages } from './messages.js';

/** The instance's fixed pages (home, about, accessibility). */
export const manifest = defineModule({
  name: 'pages',
  messages: [pagesMessages],
  routes: { public: () => pageRoutes() },
});
