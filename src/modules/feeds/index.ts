import { defineModule } from '../manifest.js';
import { contentFeedRoutes, instanceFeedRoutes } from './atom-routes.js';
import { VersionedCache } from './cache.js';
import { feedFileRoutes } from './file-routes.js';

/** Atom feeds, sitemap.xml, robots.txt and share images (issue 12). */
export { feedLinksOf, FeedLink } from './links.js';

/** One store per database: the feeds, sitemaps and share images, kept until the content changes. */
const caches = new WeakMap<object, VersionedCache>();
export function cacheOf(db: object & ConstructorParameters<typeof VersionedCache>[0]): VersionedCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new VersionedCache(db)));
  return cache;
}

export const manifest = defineModule({
  name: 'feeds',
  messages: ['feeds'],
  routes: {
    unlocalized: (context) => feedFileRoutes(context, cacheOf(context.db)),
    public: (context) => instanceFeedRoutes(context, cacheOf(context.db)),
    content: (context) => contentFeedRoutes(context, cacheOf(context.db)),
  },
});
