import { formatDate, translate } from '../../i18n/index.js';
import type { FeedItem, FeedSource } from '../manifest.js';
import { inEveryLocale } from '../feeds/item.js';
import { meetingPath } from './domain.js';
import { meetingTitleIn } from './recent.js';
import { mdb } from './tables.js';

/**
 * Meetings in the instance's and a jurisdiction's feeds: each meeting when it was announced, and
 * its minutes when they were published (meetings belong to a jurisdiction, not to a plan).
 */
export const meetingsFeed: FeedSource = {
  async items(db, scope, limit) {
    if (scope.kind === 'plan' || scope.kind === 'commitment') return [];
    let base = mdb(db)
      .selectFrom('meetings')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'meetings.jurisdiction_id')
      .select(['meetings.id', 'meetings.title', 'meetings.kind', 'meetings.starts_at', 'meetings.created_at', 'meetings.updated_at', 'meetings.minutes_published_at', 'meetings.is_demo', 'jurisdictions.slug', 'jurisdictions.time_zone']);
    if (scope.kind === 'jurisdiction') base = base.where('meetings.jurisdiction_id', '=', scope.id);
    const [announced, minutes] = await Promise.all([
      // Newest announced first: ids are given in the order meetings are created, and the primary key
      // stops the scan after `limit` rows where created_at (no index) would sort every meeting.
      base.orderBy('meetings.id', 'desc').limit(limit).execute(),
      base.where('meetings.minutes_published_at', 'is not', null).orderBy('meetings.minutes_published_at', 'desc').orderBy('meetings.id', 'desc').limit(limit).execute(),
    ]);
    const out: FeedItem[] = [];
    for (const m of announced) {
      out.push({
        key: `meeting:${m.id}`,
        title: meetingTitleIn(m.title, m.kind),
        summary: inEveryLocale((locale) => translate(locale, 'meetings.recent.announced', { day: formatDate(locale, m.starts_at, 'long', m.time_zone), date: formatDate(locale, m.created_at, 'long', m.time_zone) })),
        path: meetingPath(m.slug, m.id),
        published: m.created_at,
        // A moved or cancelled meeting is the same entry, updated.
        updated: m.updated_at > m.created_at ? m.updated_at : m.created_at,
        isDemo: m.is_demo === 1,
      });
    }
    for (const m of minutes) {
      const at = m.minutes_published_at!;
      out.push({
        key: `meeting-minutes:${m.id}`,
        title: meetingTitleIn(m.title, m.kind),
        summary: inEveryLocale((locale) => translate(locale, 'meetings.recent.minutes', { date: formatDate(locale, at, 'long', m.time_zone) })),
        path: `${meetingPath(m.slug, m.id)}#minutes`,
        published: at,
        updated: at,
        isDemo: m.is_demo === 1,
      });
    }
    return out;
  },
};
