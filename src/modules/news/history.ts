import { formatDate, type MessageKey } from '../../i18n/index.js';
import { parseTranslatable, pickText, type Translatable } from '../../lib/translatable.js';
import type { HistoryWords, RecentSource } from '../manifest.js';
import { newsPath } from './domain.js';
import { ndb } from './tables.js';

/** News in the history pages (entity type `news_item`) and in a jurisdiction's recent changes. */

const FIELDS: Record<string, MessageKey> = {
  kind: 'news.field.kind',
  title: 'news.field.title',
  summary: 'news.field.summary',
  body: 'news.field.body',
  period_from: 'news.field.periodFrom',
  period_to: 'news.field.periodTo',
};
const ACTIONS = ['published', 'corrected', 'withdrawn'] as const;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export const newsHistoryWords: HistoryWords = {
  label: 'news.history.label',
  title: 'news.history.title',
  field: (ctx, field) => (FIELDS[field] ? ctx.t(FIELDS[field]) : undefined),
  value: (ctx, field, value) => {
    if (field === 'kind' && (value === 'news' || value === 'press_release')) return ctx.t(`news.kind.${value}`);
    if ((field === 'period_from' || field === 'period_to') && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(ctx.locale, value);
    if (isObject(value)) return pickText(value as Translatable, ctx.locale) || undefined;
    return undefined;
  },
  // A publication's lines: its published texts and facts under their labels; a withdrawal: its title.
  entry: (ctx, entry) => {
    if (entry.action !== 'news_item.published' && entry.action !== 'news_item.withdrawn') return undefined;
    const lines = [];
    for (const [field, key] of Object.entries(FIELDS)) {
      const value = entry.summary[field];
      if (value === undefined || value === null) continue;
      const shown = newsHistoryWords.value!(ctx, field, value);
      if (shown) lines.push({ label: ctx.t(key), value: shown });
    }
    return lines;
  },
  action: (ctx, action) => {
    const name = action.startsWith('news_item.') ? action.slice('news_item.'.length) : '';
    return (ACTIONS as readonly string[]).includes(name) ? ctx.t(`news.history.action.${name}` as MessageKey) : undefined;
  },
};

/** Published items in a jurisdiction's recent changes, newest first. */
export const newsRecent: RecentSource = {
  async recent(db, jurisdictionId, limit) {
    const rows = await ndb(db)
      .selectFrom('news_items')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'news_items.jurisdiction_id')
      .select(['news_items.id', 'news_items.title', 'news_items.kind', 'news_items.published_at', 'news_items.is_demo', 'jurisdictions.slug', 'jurisdictions.time_zone'])
      .where('news_items.jurisdiction_id', '=', jurisdictionId)
      .where('news_items.status', '=', 'published')
      .orderBy('news_items.published_at', 'desc')
      .orderBy('news_items.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => {
      const at = r.published_at ?? '';
      return {
        key: `news:${r.id}`,
        at,
        title: parseTranslatable(r.title),
        path: newsPath(r.slug, r.id),
        isDemo: r.is_demo === 1,
        line: (ctx) => ctx.t(r.kind === 'press_release' ? 'news.recent.pressRelease' : 'news.recent.news', { date: formatDate(ctx.locale, at, 'long', r.time_zone) }),
      };
    });
  },
};
