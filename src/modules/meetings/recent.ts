import { formatDate, translate } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import type { RecentChange, RecentSource } from '../manifest.js';
import { meetingPath } from './domain.js';
import { mdb } from './tables.js';

/** A meeting's title; without one, the name of its kind, in every language. */
export function meetingTitleIn(raw: string, kind: string): Translatable {
  const title = parseTranslatable(raw);
  if (Object.keys(title).length) return title;
  const named: Translatable = {};
  for (const locale of LOCALES) named[locale] = translate(locale, `meetings.kind.${kind}` as never);
  return named;
}

/**
 * A jurisdiction's meetings in its recent changes: each meeting when it was announced (scheduled)
 * and when its minutes were published, newest first.
 */
export const meetingsRecent: RecentSource = {
  async recent(db, jurisdictionId, limit) {
    const base = mdb(db)
      .selectFrom('meetings')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'meetings.jurisdiction_id')
      .select(['meetings.id', 'meetings.title', 'meetings.kind', 'meetings.starts_at', 'meetings.created_at', 'meetings.minutes_published_at', 'meetings.is_demo', 'jurisdictions.slug', 'jurisdictions.time_zone'])
      .where('meetings.jurisdiction_id', '=', jurisdictionId);
    const [announced, minutes] = await Promise.all([
      base.orderBy('meetings.created_at', 'desc').orderBy('meetings.id', 'desc').limit(limit).execute(),
      base.where('meetings.minutes_published_at', 'is not', null).orderBy('meetings.minutes_published_at', 'desc').orderBy('meetings.id', 'desc').limit(limit).execute(),
    ]);
    const out: RecentChange[] = [];
    for (const m of announced) {
      out.push({
        key: `meeting:${m.id}`,
        at: m.created_at,
        title: meetingTitleIn(m.title, m.kind),
        path: meetingPath(m.slug, m.id),
        isDemo: m.is_demo === 1,
        line: (ctx) => ctx.t('meetings.recent.announced', { day: formatDate(ctx.locale, m.starts_at, 'long', m.time_zone), date: formatDate(ctx.locale, m.created_at, 'long', m.time_zone) }),
      });
    }
    for (const m of minutes) {
      const at = m.minutes_published_at!;
      out.push({
        key: `meeting-minutes:${m.id}`,
        at,
        title: meetingTitleIn(m.title, m.kind),
        path: `${meetingPath(m.slug, m.id)}#minutes`,
        isDemo: m.is_demo === 1,
        line: (ctx) => ctx.t('meetings.recent.minutes', { date: formatDate(ctx.locale, at, 'long', m.time_zone) }),
      });
    }
    return out;
  },
};
