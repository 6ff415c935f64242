import { serializeTranslatable } from '../../lib/translatable.js';
import { defineModule } from '../manifest.js';
import { newsAdminRoutes } from './admin-routes.js';
import { newsFeedSource } from './feed.js';
import { newsHistoryWords, newsRecent } from './history.js';
import { newsPublicRoutes } from './public-routes.js';
import { locateNewsItem, newsSearchRows } from './queries.js';
import { parseTranslatable } from '../../lib/translatable.js';

/** News items and press releases written by the coordinator (issue 12): per locale, drafted from a period, published into the log, a page and a feed. */
export { canManageNews, canManageSomeNews } from './policy.js';

export const manifest = defineModule({
  name: 'news',
  messages: ['news'],
  routes: {
    content: newsPublicRoutes,
    admin: newsAdminRoutes,
  },
  search: {
    kinds: ['news'],
    labels: { news: 'news.search.kind' },
    async documents(db, jurisdiction, body) {
      const rows = await newsSearchRows(db, jurisdiction.id);
      return rows.map((r) => ({
        doc_key: `news:${r.id}`,
        kind: 'news',
        title: serializeTranslatable(parseTranslatable(r.title)),
        path: `/${jurisdiction.slug}/news/${r.id}`,
        body: body(r.title, r.summary, r.body),
        is_demo: r.is_demo === 1 ? 1 : 0,
      }));
    },
  },
  recent: newsRecent,
  history: [
    {
      kind: 'news',
      entityType: 'news_item',
      locate: (db, id) => locateNewsItem(db, id),
      describe: newsHistoryWords,
    },
  ],
  feeds: newsFeedSource,
});
