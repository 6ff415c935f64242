import type { Executor } from '../../db/database.js';
import type { HistorySource, RecentSource, SearchDocumentDraft, SearchSource } from '../manifest.js';
import { searchBody, upsertSearchDocument } from '../search/index.js';
import { formatDate } from '../../i18n/index.js';
import { parseTranslatable } from '../../lib/translatable.js';
import { pdb } from './tables.js';

/**
 * Published contributions in search (kind `contribution`: the text, a proposal's theme, never the
 * author's name or address) and in a jurisdiction's recent changes ("New comment on …"). They have
 * no history kind: contributions are not entries of the transparency log (a person may have theirs
 * anonymised; the log keeps everything for ever). The responses to them are.
 */

type DocumentRow = { id: number; body: string; theme: string | null; is_demo: number; slug: string; title: string };

function contributionDocument(r: DocumentRow, jurisdictionSlug: string, body: (...values: (string | null | undefined)[]) => string): SearchDocumentDraft {
  return {
    doc_key: `contribution:${r.id}`,
    kind: 'contribution',
    title: r.title,
    path: `/${jurisdictionSlug}/consultations/${encodeURIComponent(r.slug)}#contribution-${r.id}`,
    body: body(r.theme, r.body),
    is_demo: r.is_demo === 1 ? 1 : 0,
  };
}

/**
 * Adds (or rewrites) the search document of one contribution just published, the very document the
 * jurisdiction's full refresh builds for it (contributionSearch below): a confirmation writes one
 * row instead of rebuilding the jurisdiction's documents, which grow with every contribution.
 * Hiding, restoring and erasing go through the full refresh.
 */
export async function indexContribution(trx: Executor, contributionId: number): Promise<void> {
  const r = await pdb(trx)
    .selectFrom('contributions as c')
    .innerJoin('consultations as k', 'k.id', 'c.consultation_id')
    .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
    .select(['c.id', 'c.body', 'c.theme', 'c.is_demo', 'c.status', 'k.slug', 'k.title', 'k.published_at', 'k.jurisdiction_id', 'j.slug as jurisdiction_slug'])
    .where('c.id', '=', contributionId)
    .executeTakeFirst();
  if (!r || r.status !== 'published' || !r.published_at) return;
  const doc = { ...contributionDocument(r, r.jurisdiction_slug, searchBody), jurisdiction_id: r.jurisdiction_id };
  await upsertSearchDocument(trx, doc);
}

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
    return rows.map((r) => contributionDocument(r, jurisdiction.slug, body));
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
