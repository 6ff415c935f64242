import type { HistorySource, RecentSource, SearchSource } from '../manifest.js';
import { formatDate } from '../../i18n/index.js';
import { parseTranslatable } from '../../lib/translatable.js';
import { pdb } from './tables.js';

/**
 * Published contributions in search (kind `contribution`: the text, a proposal's theme, never the
 * author's name or address) and in a jurisdiction's recent changes ("New comment on …"). They have
 * no history kind: contributions are not entries of the transparency log (a person may have theirs
 * anonymised; the log keeps everything for ever). The responses to them are.
 */

export const contributionSearch: SearchSource = {
  kinds: ['contribution'],
  labels: { contribution: 'contribution.search.kind' },
  async documents(db, jurisdiction, body) {
    const rows = await pdb(db)
      .selectFrom('contributions as c')
      .innerJoin('consultations as k', 'k.id', 'c.consultation_id')
      .select(['c.id', 'c.kind', 'c.body', 'c.theme', 'c.is_demo', 'k.slug', 'k.title'])
      .where('k.jurisdiction_id', '=', jurisdiction.id)
      .where('k.published_at', 'is not', null)
      .where('c.status', '=', 'published')
      .orderBy('c.id')
      .execute();
    return rows.map((r) => ({
      doc_key: `contribution:${r.id}`,
      kind: 'contribution',
      title: r.title,
      path: `/${jurisdiction.slug}/consultations/${encodeURIComponent(r.slug)}#contribution-${r.id}`,
      body: body(r.theme, r.body),
      is_demo: r.is_demo === 1 ? 1 : 0,
    }));
  },
};

export const contributionRecent: RecentSource = {
  async recent(db, jurisdictionId, limit) {
    const rows = await pdb(db)
      .selectFrom('contributions as c')
      .innerJoin('consultations as k', 'k.id', 'c.consultation_id')
      .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
      .select(['c.id', 'c.kind', 'c.depth', 'c.published_at', 'c.is_demo', 'k.slug', 'k.title', 'j.slug as jurisdiction_slug', 'j.time_zone'])
      .where('k.jurisdiction_id', '=', jurisdictionId)
      .where('k.published_at', 'is not', null)
      .where('c.status', '=', 'published')
      .where('c.published_at', 'is not', null)
      .orderBy('c.published_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => {
      const title = parseTranslatable(r.title);
      return {
        key: `contribution:${r.id}`,
        at: r.published_at!,
        title,
        path: `/${r.jurisdiction_slug}/consultations/${encodeURIComponent(r.slug)}#contribution-${r.id}`,
        line: (ctx) => {
          const date = formatDate(ctx.locale, r.published_at!, 'long', r.time_zone);
          return r.kind === 'proposal' ? ctx.t('contribution.recent.proposal', { date }) : r.depth > 0 ? ctx.t('contribution.recent.reply', { date }) : ctx.t('contribution.recent.comment', { date });
        },
        isDemo: r.is_demo === 1,
      };
    });
  },
};

export const contributionHistory: HistorySource[] = [];
