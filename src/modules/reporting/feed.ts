import { formatDate, translate } from '../../i18n/index.js';
import { parseTranslatable, pickText } from '../../lib/translatable.js';
import type { FeedItem, FeedSource } from '../manifest.js';
import { inEveryLocale } from '../feeds/item.js';
import { rdb } from './tables.js';

/** Published progress updates in the feeds: in their commitment's, plan's, jurisdiction's and the instance's. */
export const reportingFeed: FeedSource = {
  async items(db, scope, limit) {
    let query = rdb(db)
      .selectFrom('progress_updates')
      .innerJoin('reporting_cycles', 'reporting_cycles.id', 'progress_updates.cycle_id')
      .innerJoin('commitments', 'commitments.id', 'progress_updates.commitment_id')
      .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
      .select((eb) => [
        // Demonstration when its plan is, or when it reports on a demonstration milestone (the demo seed's updates).
        eb
          .exists(
            eb
              .selectFrom('progress_update_items')
              .innerJoin('milestones', 'milestones.id', 'progress_update_items.milestone_id')
              .select('progress_update_items.id')
              .whereRef('progress_update_items.update_id', '=', 'progress_updates.id')
              .where('milestones.is_demo', '=', 1),
          )
          .as('reports_demo'),
        'progress_updates.id',
        'progress_updates.published_at',
        'progress_updates.updated_at',
        'reporting_cycles.number',
        'reporting_cycles.label',
        'commitments.code',
        'commitments.title',
        'action_plans.slug as plan_slug',
        'action_plans.is_demo',
        'jurisdictions.slug as jurisdiction_slug',
        'jurisdictions.time_zone',
      ])
      .where('progress_updates.status', '=', 'published')
      .where('progress_updates.published_at', 'is not', null);
    if (scope.kind === 'jurisdiction') query = query.where('action_plans.jurisdiction_id', '=', scope.id);
    if (scope.kind === 'plan') query = query.where('action_plans.id', '=', scope.id);
    if (scope.kind === 'commitment') query = query.where('commitments.id', '=', scope.id);
    const rows = await query.orderBy('progress_updates.published_at', 'desc').orderBy('progress_updates.id', 'desc').limit(limit).execute();
    return rows.map((r): FeedItem => {
      const published = r.published_at!;
      const label = parseTranslatable(r.label);
      return {
        key: `update:${r.id}`,
        code: r.code,
        title: parseTranslatable(r.title),
        summary: inEveryLocale((locale) =>
          translate(locale, 'reporting.recent.item', {
            cycle: pickText(label, locale) || translate(locale, 'reporting.cycle.defaultLabel', { number: r.number }),
            date: formatDate(locale, published, 'long', r.time_zone),
          }),
        ),
        path: `/${r.jurisdiction_slug}/plans/${r.plan_slug}/commitments/${encodeURIComponent(r.code)}#update-${r.id}`,
        published,
        updated: r.updated_at > published ? r.updated_at : published,
        isDemo: r.is_demo === 1 || Number(r.reports_demo) === 1 || r.reports_demo === true,
      };
    });
  },
};
