import { translate } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { renderAtom, tagUri } from '../../lib/atom.js';
import { pickText } from '../../lib/translatable.js';
import type { Executor } from '../../db/database.js';
import type { FeedItem, FeedSource } from '../manifest.js';
import { newsPath } from './domain.js';
import { listNewsForFeed, type NewsJurisdiction } from './queries.js';

/** News in the Atom feeds: the jurisdiction's own news feed, and items for the general feeds (modules/feeds). */

type FeedRow = Awaited<ReturnType<typeof listNewsForFeed>>[number];

function itemOf(r: FeedRow): FeedItem {
  const published = r.publishedAt ?? r.updatedAt;
  return {
    key: `news:${r.id}`,
    title: r.title,
    summary: r.summary,
    path: newsPath(r.slug, r.id),
    published,
    updated: r.correctedAt ?? published,
    isDemo: r.isDemo,
  };
}

/** The manifest's feed source: published news of the instance or of one jurisdiction (plans and commitments have none). */
export const newsFeedSource: FeedSource = {
  async items(db: Executor, scope, limit) {
    if (scope.kind !== 'instance' && scope.kind !== 'jurisdiction') return [];
    const rows = await listNewsForFeed(db, scope.kind === 'jurisdiction' ? scope.id : null, limit);
    return rows.map(itemOf);
  },
};

/**
 * The Atom document of a jurisdiction's news in one language. An empty feed is as new as the moment
 * it is rendered (`now`): the route keeps it until the content changes, as the feeds module does.
 */
export async function newsAtom(db: Executor, jurisdiction: NewsJurisdiction, locale: Locale, publicUrl: string, limit: number, now: Date = new Date()): Promise<string> {
  const base = publicUrl.replace(/\/+$/, '');
  const items = (await listNewsForFeed(db, jurisdiction.id, limit)).map(itemOf);
  const name = pickText(jurisdiction.name, locale) || jurisdiction.slug;
  const pageUrl = `${base}/${locale}/${jurisdiction.slug}/news`;
  const demo = translate(locale, 'ui.demo.tag');
  return renderAtom({
    id: tagUri(publicUrl, `news:${jurisdiction.slug}:${locale}`),
    title: translate(locale, 'news.feed.title', { jurisdiction: name }),
    language: locale,
    selfUrl: `${pageUrl}.atom`,
    pageUrl,
    updated: items.length ? new Date(items.reduce((max, i) => (i.updated > max ? i.updated : max), items[0]!.updated)) : now,
    author: name,
    entries: items.map((i) => {
      const title = pickText(i.title, locale) || translate(locale, 'news.untitled');
      return {
        id: tagUri(publicUrl, i.key),
        title: i.isDemo ? `${title} (${demo})` : title,
        url: `${base}/${locale}${i.path}`,
        published: new Date(i.published),
        updated: new Date(i.updated),
        summary: pickText(i.summary, locale) || undefined,
      };
    }),
  });
}
