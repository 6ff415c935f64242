import { Feed } from 'feed';

/**
 * An Atom feed (RFC 4287) as Besa writes every one of its feeds: one place, so that every feed has
 * the same id scheme, language, self link and entry shape. Built with the `feed` library.
 */
export interface AtomFeed {
  /** A stable URI for the feed (its canonical URL is fine). */
  id: string;
  title: string;
  /** BCP 47 language of the titles and summaries (e.g. `sq`, `sr-Cyrl`). */
  language: string;
  /** Absolute URL of the feed itself (rel="self"). */
  selfUrl: string;
  /** Absolute URL of the page the feed follows (rel="alternate"). */
  pageUrl: string;
  /** When the newest entry changed; the feed's `updated`. */
  updated: Date;
  /** Who publishes it (the jurisdiction or the instance). */
  author: string;
  entries: AtomEntry[];
}

export interface AtomEntry {
  /** A stable URI, unique in the instance (e.g. `tag:besa.example,2026:update:12`). */
  id: string;
  title: string;
  /** Absolute URL of the item's page. */
  url: string;
  published: Date;
  updated: Date;
  /** Plain text. */
  summary?: string | undefined;
}

export function renderAtom(feed: AtomFeed): string {
  const out = new Feed({
    id: feed.id,
    title: feed.title,
    language: feed.language,
    link: feed.pageUrl,
    updated: feed.updated,
    generator: 'Besa',
    feedLinks: { atom: feed.selfUrl },
    author: { name: feed.author },
    copyright: '',
  });
  for (const entry of feed.entries) {
    out.addItem({
      id: entry.id,
      // The library writes titles and summaries as type="html": our plain text is escaped once.
      title: escapeHtml(entry.title),
      link: entry.url,
      date: entry.updated,
      published: entry.published,
      description: entry.summary === undefined ? undefined : escapeHtml(entry.summary),
    });
  }
  // The library does not write the feed's language: xml:lang on the root covers every entry.
  return out.atom1().replace('<feed xmlns="http://www.w3.org/2005/Atom">', `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeHtml(feed.language)}">`);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A tag URI (RFC 4151) for an item of this instance: the same item keeps the same id forever. */
export function tagUri(publicUrl: string, key: string): string {
  const host = new URL(publicUrl).hostname;
  return `tag:${host},2024:${key}`;
}
