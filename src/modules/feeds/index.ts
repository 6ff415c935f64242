import { defineModule } from '../manifest.js';
import feedsMessages from './messages.js';

/** Atom feeds, sitemap.xml, robots.txt and share images (issue 12). */
export const manifest = defineModule({
  name: 'feeds',
  messages: [feedsMessages],
});
