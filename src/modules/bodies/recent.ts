import { formatDate } from '../../i18n/index.js';
import { parseTranslatable } from '../../lib/translatable.js';
import type { RecentChange, RecentSource } from '../manifest.js';
import { bdb } from './tables.js';

/**
 * A jurisdiction's bodies in its recent changes: each body when it, or its membership, last changed
 * (a member added, changed or removed), newest first.
 */
export const bodiesRecent: RecentSource = {
  async recent(db, jurisdictionId, limit) {
    const b = bdb(db);
    const [bodies, members] = await Promise.all([
      b
        .selectFrom('bodies')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'bodies.jurisdiction_id')
        .select(['bodies.id', 'bodies.slug', 'bodies.name', 'bodies.updated_at', 'bodies.is_demo', 'jurisdictions.slug as jurisdiction', 'jurisdictions.time_zone'])
        .where('bodies.jurisdiction_id', '=', jurisdictionId)
        .execute(),
      b
        .selectFrom('body_members')
        .innerJoin('bodies', 'bodies.id', 'body_members.body_id')
        .select(['body_members.body_id', 'body_members.updated_at', 'body_members.is_demo'])
        .where('bodies.jurisdiction_id', '=', jurisdictionId)
        .execute(),
    ]);
    // Each body's latest member change, and whether that member is demonstration data.
    const latestMember = new Map<number, { at: string; demo: boolean }>();
    for (const m of members) {
      const seen = latestMember.get(m.body_id);
      if (!seen || m.updated_at > seen.at) latestMember.set(m.body_id, { at: m.updated_at, demo: m.is_demo === 1 });
    }
    const out: RecentChange[] = bodies.map((body) => {
      const member = latestMember.get(body.id);
      const byMember = !!member && member.at > body.updated_at;
      const at = byMember ? member.at : body.updated_at;
      return {
        key: `body:${body.id}`,
        at,
        title: parseTranslatable(body.name),
        path: `/${body.jurisdiction}/bodies/${encodeURIComponent(body.slug)}`,
        isDemo: body.is_demo === 1 || (byMember && member.demo),
        line: (ctx) => ctx.t('bodies.recent.changed', { date: formatDate(ctx.locale, at, 'long', body.time_zone) }),
      };
    });
    return out.sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0)).slice(0, limit);
  },
};
