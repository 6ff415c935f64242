import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_LOCALE, isLocale } from '../../i18n/locales.js';
import { NotFoundError } from '../../plugins/errors.js';
import type { ModuleContext } from '../manifest.js';
import type { VersionedCache } from './cache.js';
import { commitmentShareCard, sharePng } from './share-image.js';
import { childSitemap, hasChildSitemap, robotsTxt, sitemapDocument, sitemapPaths } from './sitemap.js';

const XML = 'application/xml; charset=utf-8';

/** Paths without a language: the sitemap (and its children), robots.txt and the share images. */
export function feedFileRoutes({ db, publicUrl }: ModuleContext, cache: VersionedCache) {
  // fastify-plugin: the public URL is decorated on the app itself, so that every page's context
  // (plugins/locale.ts) can write absolute share links.
  return fp(async function routes(app: FastifyInstance): Promise<void> {
    if (!app.hasDecorator('publicUrl')) app.decorate('publicUrl', publicUrl);

    app.get('/robots.txt', (request, reply) => cache.serve(request, reply, 'robots', 'text/plain; charset=utf-8', async () => robotsTxt(publicUrl)));

    // The path list (a scan and sort of the search index) is read once per content version and
    // shared by the index and every child file; a child past the last is a 404 answered from it.
    const paths = () => cache.memo('sitemap paths', () => sitemapPaths(db));

    app.get('/sitemap.xml', (request, reply) => cache.serve(request, reply, 'sitemap', XML, async () => sitemapDocument(publicUrl, await paths())));

    app.get('/sitemaps/:file', async (request, reply) => {
      const match = /^([1-9]\d{0,5})\.xml$/.exec((request.params as { file: string }).file);
      if (!match) throw new NotFoundError();
      const n = Number(match[1]);
      if (!hasChildSitemap(await paths(), n)) throw new NotFoundError();
      return cache.serve(request, reply, `sitemap ${n}`, XML, async () => {
        const xml = childSitemap(publicUrl, await paths(), n);
        if (xml === undefined) throw new NotFoundError();
        return xml;
      });
    });

    // A commitment's share image (Open Graph, Twitter card), in the language asked (?lang=), else the default.
    app.get('/share/commitments/:file', (request, reply) => {
      const match = /^(\d{1,9})\.png$/.exec((request.params as { file: string }).file);
      if (!match) throw new NotFoundError();
      const lang = (request.query as { lang?: string }).lang;
      const locale = isLocale(lang) ? lang : DEFAULT_LOCALE;
      // The status is derived for the app's day, as the commitment page is (the page cache's clock).
      const today = app.pageCache.today();
      return cache.serve(request, reply, `share ${match[1]} ${locale} ${today}`, 'image/png', async () => {
        const card = await commitmentShareCard(db, Number(match[1]), locale, today);
        if (!card) throw new NotFoundError();
        return sharePng(card);
      });
    });
  });
}
