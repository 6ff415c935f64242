import { formatDate, translate } from '../../i18n/index.js';
import { parseTranslatable } from '../../lib/translatable.js';
import type { FeedItem, FeedSource } from '../manifest.js';
import { inEveryLocale } from '../feeds/item.js';
import { reportTitle } from './recent.js';
import { vdb } from './tables.js';

type CycleTable = { reporting_cycles: { id: number; action_plan_id: number; number: number; label: string } };

/**
 * Monitoring in the feeds: each published monitoring report (its plan's feed and up), and each
 * government response to a published recommendation (its commitment's feed and up).
 */
export const reviewsFeed: FeedSource = {
  async items(db, scope, limit) {
    const v = vdb(db).withTables<CycleTable>();
    let reports = v
      .selectFrom('monitoring_reports')
      .innerJoin('reporting_cycles', 'reporting_cycles.id', 'monitoring_reports.cycle_id')
      .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
      .select(['monitoring_reports.id', 'monitoring_reports.published_at', 'monitoring_reports.updated_at', 'monitoring_reports.is_demo', 'reporting_cycles.number', 'reporting_cycles.label', 'action_plans.slug as plan', 'jurisdictions.slug', 'jurisdictions.time_zone'])
      .where('monitoring_reports.status', '=', 'published')
      .where('monitoring_reports.published_at', 'is not', null);
    let responses = v
      .selectFrom('recommendations')
      .innerJoin('reviews', 'reviews.id', 'recommendations.review_id')
      .innerJoin('reporting_cycles', 'reporting_cycles.id', 'reviews.cycle_id')
      .innerJoin('commitments', 'commitments.id', 'reviews.commitment_id')
      .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
      .select(['recommendations.id', 'recommendations.responded_at', 'reviews.is_demo', 'reporting_cycles.number', 'commitments.code', 'commitments.title', 'action_plans.slug as plan', 'jurisdictions.slug', 'jurisdictions.time_zone'])
      .where('reviews.status', '=', 'published')
      .where('recommendations.responded_at', 'is not', null);
    if (scope.kind === 'jurisdiction') {
      reports = reports.where('action_plans.jurisdiction_id', '=', scope.id);
      responses = responses.where('action_plans.jurisdiction_id', '=', scope.id);
    }
    if (scope.kind === 'plan') {
      reports = reports.where('action_plans.id', '=', scope.id);
      responses = responses.where('action_plans.id', '=', scope.id);
    }
    if (scope.kind === 'commitment') responses = responses.where('commitments.id', '=', scope.id);
    const [reportRows, responseRows] = await Promise.all([
      scope.kind === 'commitment' ? Promise.resolve([]) : reports.orderBy('monitoring_reports.published_at', 'desc').orderBy('monitoring_reports.id', 'desc').limit(limit).execute(),
      responses.orderBy('recommendations.responded_at', 'desc').orderBy('recommendations.id', 'desc').limit(limit).execute(),
    ]);
    const out: FeedItem[] = [];
    for (const r of reportRows) {
      const at = r.published_at!;
      out.push({
        key: `monitoring-report:${r.id}`,
        title: reportTitle(r.number, r.label),
        summary: inEveryLocale((locale) => translate(locale, 'reviews.recent.report', { date: formatDate(locale, at, 'long', r.time_zone) })),
        path: `/${r.slug}/plans/${r.plan}/monitoring/${r.number}`,
        published: at,
        updated: r.updated_at > at ? r.updated_at : at,
        isDemo: r.is_demo === 1,
      });
    }
    for (const r of responseRows) {
      const at = r.responded_at!;
      out.push({
        key: `recommendation-response:${r.id}`,
        code: r.code,
        title: parseTranslatable(r.title),
        summary: inEveryLocale((locale) => translate(locale, 'reviews.recent.response', { date: formatDate(locale, at, 'long', r.time_zone) })),
        path: `/${r.slug}/plans/${r.plan}/monitoring/${r.number}#recommendation-${r.id}`,
        published: at,
        updated: at,
        isDemo: r.is_demo === 1,
      });
    }
    return out;
  },
};
