import type { Db, Executor } from '../../db/database.js';
import { translate } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import type { HistorySource, SearchDocumentDraft, SearchSource } from '../manifest.js';
import { reviewHistoryWords } from './history-words.js';
import { vdb } from './tables.js';

type CycleTable = { reporting_cycles: { id: number; action_plan_id: number; number: number } };

/** Search documents of one jurisdiction: its published reviews (findings) and their recommendations. */
export async function reviewDocuments(db: Executor, jurisdiction: { id: number; slug: string }, body: (...values: (string | null | undefined)[]) => string): Promise<SearchDocumentDraft[]> {
  const reviews = await vdb(db)
    .withTables<CycleTable>()
    .selectFrom('reviews')
    .innerJoin('commitments', 'commitments.id', 'reviews.commitment_id')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .innerJoin('reporting_cycles', 'reporting_cycles.id', 'reviews.cycle_id')
    .select(['reviews.id', 'reviews.findings', 'reviews.is_demo', 'commitments.code', 'commitments.title', 'action_plans.slug as plan', 'reporting_cycles.number'])
    .where('action_plans.jurisdiction_id', '=', jurisdiction.id)
    .where('reviews.status', '=', 'published')
    .orderBy('reviews.id')
    .execute();
  if (reviews.length === 0) return [];
  const recs = await vdb(db)
    .selectFrom('recommendations')
    .select(['id', 'review_id', 'text', 'response_reasons'])
    .where(
      'review_id',
      'in',
      reviews.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  const docs: SearchDocumentDraft[] = [];
  const titleOf = (key: 'reviews.search.reviewTitle' | 'reviews.search.recommendationTitle', code: string, cycle: number) =>
    JSON.stringify(Object.fromEntries(LOCALES.map((l) => [l, translate(l, key, { code, cycle })])));
  for (const r of reviews) {
    const path = `/${jurisdiction.slug}/plans/${r.plan}/monitoring/${r.number}`;
    docs.push({ doc_key: `review:${r.id}`, kind: 'review', title: titleOf('reviews.search.reviewTitle', r.code, r.number), path: `${path}#review-${r.id}`, body: body(r.code, r.title, r.findings), is_demo: r.is_demo === 1 ? 1 : 0 });
    for (const rec of recs.filter((x) => x.review_id === r.id)) {
      docs.push({
        doc_key: `recommendation:${rec.id}`,
        kind: 'recommendation',
        title: titleOf('reviews.search.recommendationTitle', r.code, r.number),
        path: `${path}#recommendation-${rec.id}`,
        body: body(r.code, rec.text, rec.response_reasons),
        is_demo: r.is_demo === 1 ? 1 : 0,
      });
    }
  }
  return docs;
}

/** Published reviews and recommendations; `labels`: the kinds' names in this module's messages. */
export const reviewSearch: SearchSource = {
  kinds: ['review', 'recommendation'],
  labels: { review: 'reviews.search.kind.review', recommendation: 'reviews.search.kind.recommendation' },
  documents: reviewDocuments,
};

async function locateReview(db: Executor, reviewId: number) {
  const row = await vdb(db)
    .selectFrom('reviews')
    .innerJoin('commitments', 'commitments.id', 'reviews.commitment_id')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['jurisdictions.slug', 'jurisdictions.time_zone', 'reviews.is_demo'])
    .where('reviews.id', '=', reviewId)
    .executeTakeFirst();
  return row ? { jurisdictionSlug: row.slug, timeZone: row.time_zone, isDemo: row.is_demo === 1 } : undefined;
}

/** History pages of reviews, recommendations and monitoring reports, in this module's words (`describe`). */
export const reviewHistory: HistorySource[] = [
  { kind: 'review', entityType: 'review', locate: (db: Db, id: number) => locateReview(db, id), describe: reviewHistoryWords('review') },
  {
    kind: 'recommendation',
    entityType: 'recommendation',
    describe: reviewHistoryWords('recommendation'),
    async locate(db: Db, id: number) {
      const rec = await vdb(db).selectFrom('recommendations').select('review_id').where('id', '=', id).executeTakeFirst();
      return rec ? locateReview(db, rec.review_id) : undefined;
    },
  },
  {
    kind: 'monitoring_report',
    entityType: 'monitoring_report',
    describe: reviewHistoryWords('monitoring_report'),
    async locate(db: Db, id: number) {
      const row = await vdb(db)
        .withTables<CycleTable>()
        .selectFrom('monitoring_reports')
        .innerJoin('reporting_cycles', 'reporting_cycles.id', 'monitoring_reports.cycle_id')
        .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
        .select(['jurisdictions.slug', 'jurisdictions.time_zone', 'monitoring_reports.is_demo'])
        .where('monitoring_reports.id', '=', id)
        .executeTakeFirst();
      return row ? { jurisdictionSlug: row.slug, timeZone: row.time_zone, isDemo: row.is_demo === 1 } : undefined;
    },
  },
];
