/** News: the kinds and statuses of an item, its paths. Pure: no database, no other module. */

export const NEWS_KINDS = ['news', 'press_release'] as const;
export type NewsKind = (typeof NEWS_KINDS)[number];

/** draft: private; published: public; withdrawn: taken down (its history stays in the log). */
export const NEWS_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type NewsStatus = (typeof NEWS_STATUSES)[number];

/** Items on one page of the public list. */
export const NEWS_PAGE_SIZE = 10;

/** Entries in a news feed. */
export const NEWS_FEED_SIZE = 30;

export function newsPath(jurisdictionSlug: string, id: number): string {
  return `/${jurisdictionSlug}/news/${id}`;
}

export function newsListPath(jurisdictionSlug: string): string {
  return `/${jurisdictionSlug}/news`;
}
