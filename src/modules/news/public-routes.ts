import type { FastifyInstance } from 'fastify';
import { isLocale } from '../../i18n/locales.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { VersionedCache } from '../feeds/cache.js';
import { findBrand } from '../jurisdictions/index.js';
import type { ModuleContext } from '../manifest.js';
import { NEWS_FEED_SIZE } from './domain.js';
import { newsAtom } from './feed.js';
import { findNewsJurisdiction, findPublicNewsItem, listPublishedNews } from './queries.js';
import { NewsItemPage, NewsListPage } from './public-views.js';

/** One store per database for the news feeds, kept until the content changes (the feeds module's rule). */
const caches = new WeakMap<object, VersionedCache>();
function cacheOf(db: ModuleContext['db']): VersionedCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new VersionedCache(db)));
  return cache;
}

/** Public pages and the Atom feed of a jurisdiction's news, under /{locale}/{jurisdiction}. */
export function newsPublicRoutes({ db, publicUrl }: ModuleContext) {
  const cache = cacheOf(db);
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/news', (request, reply) => {
      const { jurisdiction: slug } = request.params as { jurisdiction: string };
      const raw = (request.query as { page?: string }).page;
      if (raw !== undefined && !/^[1-9]\d{0,5}$/.test(raw)) throw new NotFoundError();
      const page = raw === undefined ? 1 : Number(raw);
      return app.pageCache.serve(request, reply, async () => {
        const jurisdiction = await findNewsJurisdiction(db, slug);
        if (!jurisdiction) throw new NotFoundError();
        const { items, pages } = await listPublishedNews(db, jurisdiction.id, page);
        if (page > pages) throw new NotFoundError();
        return NewsListPage({ ctx: pageContext(request, { brand: await findBrand(db, slug) }), jurisdiction, items, page, pages }) as string;
      });
    });

    app.get('/:jurisdiction/news/:id', (request, reply) => {
      const { jurisdiction: slug, id } = request.params as { jurisdiction: string; id: string };
      if (!/^\d{1,9}$/.test(id)) throw new NotFoundError();
      return app.pageCache.serve(request, reply, async () => {
        const jurisdiction = await findNewsJurisdiction(db, slug);
        if (!jurisdiction) throw new NotFoundError();
        const item = await findPublicNewsItem(db, jurisdiction.id, Number(id));
        if (!item) throw new NotFoundError();
        return NewsItemPage({ ctx: pageContext(request, { brand: await findBrand(db, slug) }), jurisdiction, item }) as string;
      });
    });

    // The jurisdiction's news as Atom (RFC 4287), in the page's language: stored until the content
    // changes, with an ETag (304 when unchanged).
    app.get('/:jurisdiction/news.atom', async (request, reply) => {
      const { locale, jurisdiction: slug } = request.params as { locale: string; jurisdiction: string };
      if (!isLocale(locale)) throw new NotFoundError();
      return cache.serve(request, reply, `news.atom /${locale}/${slug}`, 'application/atom+xml; charset=utf-8', async () => {
        const jurisdiction = await findNewsJurisdiction(db, slug);
        if (!jurisdiction) throw new NotFoundError();
        return newsAtom(db, jurisdiction, locale, publicUrl, NEWS_FEED_SIZE);
      });
    });
  };
}
