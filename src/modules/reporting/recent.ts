import { formatDate } from '../../i18n/index.js';
import type { RecentSource } from '../manifest.js';
import { cycleName } from './public-views.js';
import { listRecentPublishedUpdates } from './queries.js';

/** Published progress updates, in a jurisdiction's recent changes: each links to where its commitment page shows it. */
export const reportingRecent: RecentSource = {
  async recent(db, jurisdictionId, limit) {
    const updates = await listRecentPublishedUpdates(db, jurisdictionId, limit);
    return updates.map((u) => ({
      key: `update:${u.id}`,
      at: u.publishedAt,
      title: u.commitment.title,
      code: u.commitment.code,
      path: `${u.path}#update-${u.id}`,
      isDemo: u.isDemo,
      line: (ctx) => ctx.t('reporting.recent.item', { cycle: cycleName(ctx, u.cycle), date: formatDate(ctx.locale, u.publishedAt, 'long', u.timeZone) }),
    }));
  },
};
