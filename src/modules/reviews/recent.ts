import { formatDate, translate } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import { parseTranslatable, pickText, type Translatable } from '../../lib/translatable.js';
import type { RecentChange, RecentSource } from '../manifest.js';
import { vdb } from './tables.js';

type CycleTable = { reporting_cycles: { id: number; action_plan_id: number; number: number; label: string } };

/** "Monitoring report: Cycle 2" (or the cycle's own label) in every language. */
export function reportTitle(number: number, rawLabel: string): Translatable {
  const label = parseTranslatable(rawLabel);
  const out: Translatable = {};
  for (const locale of LOCALES) {
    const cycle = pickText(label, locale) || translate(locale, 'reviews.cycle.defaultLabel', { number });
    out[locale] = translate(locale, 'reviews.report.title', { cycle });
  }
  return out;
}

/**
 * A jurisdiction's monitoring in its recent changes: each published monitoring report, and each
 * government response to a published recommendation, newest first.
 */
export const reviewsRecent: RecentSource = {
  async recent(db, jurisdictionId, limit) {
    const v = vdb(db).withTables<CycleTable>();
    const [reports, responses] = await Promise.all([
      v
        .selectFrom('monitoring_reports')
        .innerJoin('reporting_cycles', 'reporting_cycles.id', 'monitoring_reports.cycle_id')
        .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
        .select(['monitoring_reports.id', 'monitoring_reports.published_at', 'monitoring_reports.is_demo', 'reporting_cycles.number', 'reporting_cycles.label', 'action_plans.slug as plan', 'jurisdictions.slug', 'jurisdictions.time_zone'])
        .where('action_plans.jurisdiction_id', '=', jurisdictionId)
        .where('monitoring_reports.status', '=', 'published')
        .orderBy('monitoring_reports.published_at', 'desc')
        .orderBy('monitoring_reports.id', 'desc')
        .limit(limit)
        .execute(),
      v
        .selectFrom('recommendations')
        .innerJoin('reviews', 'reviews.id', 'recommendations.review_id')
        .innerJoin('reporting_cycles', 'reporting_cycles.id', 'reviews.cycle_id')
        .innerJoin('commitments', 'commitments.id', 'reviews.commitment_id')
        .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
        .select(['recommendations.id', 'recommendations.responded_at', 'reviews.is_demo', 'reporting_cycles.number', 'commitments.code', 'commitments.title', 'action_plans.slug as plan', 'jurisdictions.slug', 'jurisdictions.time_zone'])
        .where('action_plans.jurisdiction_id', '=', jurisdictionId)
        .where('reviews.status', '=', 'published')
        .where('recommendations.responded_at', 'is not', null)
        .orderBy('recommendations.responded_at', 'desc')
        .orderBy('recommendations.id', 'desc')
        .limit(limit)
        .execute(),
    ]);
    const out: RecentChange[] = [];
    for (const r of reports) {
      const at = r.published_at ?? '';
      out.push({
        key: `monitoring-report:${r.id}`,
        at,
        title: reportTitle(r.number, r.label),
        path: `/${r.slug}/plans/${r.plan}/monitoring/${r.number}`,
        isDemo: r.is_demo === 1,
        line: (ctx) => ctx.t('reviews.recent.report', { date: formatDate(ctx.locale, at, 'long', r.time_zone) }),
      });
    }
    for (const r of responses) {
      const at = r.responded_at!;
      out.push({
        key: `recommendation-response:${r.id}`,
        at,
        title: parseTranslatable(r.title),
        code: r.code,
        path: `/${r.slug}/plans/${r.plan}/monitoring/${r.number}#recommendation-${r.id}`,
        isDemo: r.is_demo === 1,
        line: (ctx) => ctx.t('reviews.recent.response', { date: formatDate(ctx.locale, at, 'long', r.time_zone) }),
      });
    }
    return out;
  },
};
