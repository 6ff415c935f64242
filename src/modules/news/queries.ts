import type { Executor } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { NEWS_PAGE_SIZE, type NewsKind, type NewsStatus } from './domain.js';
import { ndb } from './tables.js';

/** Read models of news for the public pages, the feeds, the administration and search. */

export interface NewsJurisdiction {
  id: number;
  slug: string;
  name: Translatable;
  timeZone: string;
  /** Admin pages: the viewer may open the jurisdiction's admin page. */
  adminLink?: boolean;
}

export interface NewsItemView {
  id: number;
  kind: NewsKind;
  status: NewsStatus;
  title: Translatable;
  summary: Translatable;
  body: Translatable;
  periodFrom: string | null;
  periodTo: string | null;
  generated: boolean;
  publishedAt: string | null;
  correctedAt: string | null;
  withdrawnAt: string | null;
  updatedAt: string;
  isDemo: boolean;
}

type Row = {
  id: number;
  kind: string;
  status: string;
  title: string;
  summary: string;
  body: string;
  period_from: string | null;
  period_to: string | null;
  generated: number;
  published_at: string | null;
  corrected_at: string | null;
  withdrawn_at: string | null;
  updated_at: string;
  is_demo: number;
};

function view(r: Row): NewsItemView {
  return {
    id: r.id,
    kind: r.kind as NewsKind,
    status: r.status as NewsStatus,
    title: parseTranslatable(r.title),
    summary: parseTranslatable(r.summary),
    body: parseTranslatable(r.body),
    periodFrom: r.period_from,
    periodTo: r.period_to,
    generated: r.generated === 1,
    publishedAt: r.published_at,
    correctedAt: r.corrected_at,
    withdrawnAt: r.withdrawn_at,
    updatedAt: r.updated_at,
    isDemo: r.is_demo === 1,
  };
}

export async function findNewsJurisdiction(db: Executor, slug: string): Promise<NewsJurisdiction | undefined> {
  const row = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name', 'time_zone']).where('slug', '=', slug).executeTakeFirst();
  return row ? { id: row.id, slug: row.slug, name: parseTranslatable(row.name), timeZone: row.time_zone } : undefined;
}

/** One page of a jurisdiction's published items, newest first, and how many pages there are. */
export async function listPublishedNews(db: Executor, jurisdictionId: number, page: number): Promise<{ items: NewsItemView[]; pages: number; total: number }> {
  const n = ndb(db);
  const count = await n
    .selectFrom('news_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('jurisdiction_id', '=', jurisdictionId)
    .where('status', '=', 'published')
    .executeTakeFirst();
  const total = Number(count?.n ?? 0);
  const rows = await n
    .selectFrom('news_items')
    .selectAll()
    .where('jurisdiction_id', '=', jurisdictionId)
    .where('status', '=', 'published')
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(NEWS_PAGE_SIZE)
    .offset((page - 1) * NEWS_PAGE_SIZE)
    .execute();
  return { items: rows.map(view), pages: Math.max(1, Math.ceil(total / NEWS_PAGE_SIZE)), total };
}

/** An item of the jurisdiction as the public sees it: published or withdrawn (never a draft). */
export async function findPublicNewsItem(db: Executor, jurisdictionId: number, id: number): Promise<NewsItemView | undefined> {
  const row = await ndb(db).selectFrom('news_items').selectAll().where('id', '=', id).where('jurisdiction_id', '=', jurisdictionId).where('status', 'in', ['published', 'withdrawn']).executeTakeFirst();
  return row ? view(row) : undefined;
}

/** Any item of the jurisdiction (the administration). */
export async function findNewsItem(db: Executor, jurisdictionId: number, id: number): Promise<NewsItemView | undefined> {
  const row = await ndb(db).selectFrom('news_items').selectAll().where('id', '=', id).where('jurisdiction_id', '=', jurisdictionId).executeTakeFirst();
  return row ? view(row) : undefined;
}

/** Every item of the jurisdiction for the administration: drafts first, then the newest. */
export async function listAllNews(db: Executor, jurisdictionId: number): Promise<NewsItemView[]> {
  const rows = await ndb(db).selectFrom('news_items').selectAll().where('jurisdiction_id', '=', jurisdictionId).orderBy('updated_at', 'desc').orderBy('id', 'desc').execute();
  const items = rows.map(view);
  return [...items.filter((i) => i.status === 'draft'), ...items.filter((i) => i.status !== 'draft')];
}

/** Published items for the feeds: one jurisdiction's or every one's, newest first. */
export async function listNewsForFeed(db: Executor, jurisdictionId: number | null, limit: number) {
  let q = ndb(db)
    .selectFrom('news_items')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'news_items.jurisdiction_id')
    .selectAll('news_items')
    .select(['jurisdictions.slug', 'jurisdictions.time_zone'])
    .where('news_items.status', '=', 'published');
  if (jurisdictionId !== null) q = q.where('news_items.jurisdiction_id', '=', jurisdictionId);
  const rows = await q.orderBy('news_items.published_at', 'desc').orderBy('news_items.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...view(r), slug: r.slug, timeZone: r.time_zone }));
}

/** Search rows: every published item of a jurisdiction. */
export async function newsSearchRows(db: Executor, jurisdictionId: number) {
  return ndb(db).selectFrom('news_items').select(['id', 'title', 'summary', 'body', 'is_demo']).where('jurisdiction_id', '=', jurisdictionId).where('status', '=', 'published').execute();
}

/** The history page's facts of an item (drafts have no history). */
export async function locateNewsItem(db: Executor, id: number) {
  const row = await ndb(db)
    .selectFrom('news_items')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'news_items.jurisdiction_id')
    .select(['jurisdictions.slug', 'jurisdictions.time_zone', 'news_items.is_demo', 'news_items.status'])
    .where('news_items.id', '=', id)
    .executeTakeFirst();
  if (!row || row.status === 'draft') return undefined;
  return { jurisdictionSlug: row.slug, timeZone: row.time_zone, isDemo: row.is_demo === 1 };
}
