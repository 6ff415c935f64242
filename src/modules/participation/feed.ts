import type { ExpressionBuilder } from 'kysely';
import { formatDate, translate } from '../../i18n/index.js';
import { parseTranslatable } from '../../lib/translatable.js';
import type { FeedItem, FeedScope, FeedSource } from '../manifest.js';
import { inEveryLocale } from '../feeds/item.js';
import { answerable } from './response-queries.js';
import { pdb } from './tables.js';

/** A consultation in a scope: its jurisdiction's; a plan's when it is about the plan or one of its commitments; a commitment's. */
function inScope(scope: FeedScope) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (eb: ExpressionBuilder<any, any>) => {
    if (scope.kind === 'jurisdiction') return eb('k.jurisdiction_id', '=', scope.id);
    if (scope.kind === 'plan') return eb.or([eb('k.plan_id', '=', scope.id), eb('k.commitment_id', 'in', eb.selectFrom('commitments').select('commitments.id').where('commitments.action_plan_id', '=', scope.id))]);
    if (scope.kind === 'commitment') return eb('k.commitment_id', '=', scope.id);
    return eb.lit(true);
  };
}

/**
 * Public participation in the feeds: each published consultation (when it was published), and
 * each published response table ("Responses to N contributions published"). Drafts never; no
 * contributor's name or address, ever.
 */
export const participationFeed: FeedSource = {
  async items(db, scope, limit) {
    const p = pdb(db);
    const [consultations, responses] = await Promise.all([
      p
        .selectFrom('consultations as k')
        .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
        .select(['k.id', 'k.slug', 'k.title', 'k.published_at', 'k.is_demo', 'j.slug as jurisdiction', 'j.time_zone'])
        .where('k.published_at', 'is not', null)
        .where(inScope(scope))
        .orderBy('k.published_at', 'desc')
        .orderBy('k.id', 'desc')
        .limit(limit)
        .execute(),
      p
        .selectFrom('consultations as k')
        .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
        .select((eb) => [
          'k.id',
          'k.slug',
          'k.title',
          'k.responded_at',
          'k.is_demo',
          'j.slug as jurisdiction',
          'j.time_zone',
          eb.selectFrom('contributions as c').innerJoin('contribution_responses as r', 'r.contribution_id', 'c.id').select(eb.fn.countAll<number | string>().as('n')).whereRef('c.consultation_id', '=', 'k.id').where(answerable('c')).as('answered'),
        ])
        .where('k.published_at', 'is not', null)
        .where('k.responded_at', 'is not', null)
        .where(inScope(scope))
        .orderBy('k.responded_at', 'desc')
        .orderBy('k.id', 'desc')
        .limit(limit)
        .execute(),
    ]);
    const out: FeedItem[] = [];
    for (const r of consultations) {
      const at = r.published_at!;
      out.push({
        key: `consultation:${r.id}`,
        title: parseTranslatable(r.title),
        summary: inEveryLocale((locale) => translate(locale, 'consultations.recent.published', { date: formatDate(locale, at, 'long', r.time_zone) })),
        path: `/${r.jurisdiction}/consultations/${encodeURIComponent(r.slug)}`,
        published: at,
        updated: at,
        isDemo: Number(r.is_demo) === 1,
      });
    }
    for (const r of responses) {
      const at = r.responded_at!;
      out.push({
        key: `responses:${r.id}`,
        title: parseTranslatable(r.title),
        summary: inEveryLocale((locale) => translate(locale, 'responses.recent.published', { count: Number(r.answered ?? 0), date: formatDate(locale, at, 'long', r.time_zone) })),
        path: `/${r.jurisdiction}/consultations/${encodeURIComponent(r.slug)}#responses`,
        published: at,
        updated: at,
        isDemo: Number(r.is_demo) === 1,
      });
    }
    return out;
  },
};
