import type { Executor } from '../../db/database.js';
import type { FeedItem, FeedScope, ModuleManifest } from '../manifest.js';
import { newestFirst } from './item.js';

/** How many entries a feed carries: the newest. */
export const FEED_LIMIT = 50;

/**
 * The newest published items of a scope from every module that has `feeds`, whichever module
 * published them (no module named): each gives its newest `limit`, the merge keeps the newest
 * `limit`. A key given twice (two modules, or one module twice) counts once.
 */
export async function collectFeedItems(db: Executor, modules: readonly ModuleManifest[], scope: FeedScope, limit = FEED_LIMIT): Promise<FeedItem[]> {
  const sources = modules.flatMap((m) => (m.feeds ? [m.feeds] : []));
  const lists = await Promise.all(sources.map((s) => s.items(db, scope, limit)));
  const seen = new Set<string>();
  const out: FeedItem[] = [];
  for (const item of lists.flat().sort(newestFirst)) {
    if (seen.has(item.key)) continue;
    seen.add(item.key);
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
