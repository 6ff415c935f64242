import type { Executor } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import type { PolicyUser } from '../accounts/index.js';
import { canModerateAny, respondedJurisdictions } from './moderation-policy.js';
import { countPendingFor } from './moderation-queries.js';
import { answerable } from './response-queries.js';
import { pdb } from './tables.js';

/**
 * What the administration's start page shows of participation (a second entry of this module for
 * the admin home, which imports nothing else of it): how many contributions wait for the
 * moderator, and the closed consultations whose contributions still need a reasoned response.
 */

export interface ResponseTask {
  jurisdictionSlug: string;
  slug: string;
  title: Translatable;
  answered: number;
  total: number;
  isDemo: boolean;
}

export interface ParticipationHome {
  /** Set for moderators and administrators: contributions waiting in their queue. */
  moderation?: { pending: number } | undefined;
  /** Consultations of the person's jurisdictions with contributions still without a response. */
  responses: ResponseTask[];
}

/** `today`: the instance's day; a consultation is listed once its last day is before it (or its table is published). */
export async function participationHomeOf(db: Executor, user: PolicyUser, today: string): Promise<ParticipationHome> {
  const moderation = canModerateAny(user) ? { pending: await countPendingFor(db, user) } : undefined;
  const scope = respondedJurisdictions(user);
  if (scope !== 'all' && scope.length === 0) return { moderation, responses: [] };
  let q = pdb(db)
    .selectFrom('consultations as k')
    .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
    .innerJoin('contributions as c', 'c.consultation_id', 'k.id')
    .leftJoin('contribution_responses as r', 'r.contribution_id', 'c.id')
    .select((eb) => ['k.id', 'k.slug', 'k.title', 'k.is_demo', 'j.slug as jurisdiction_slug', eb.fn.countAll<number | string>().as('total'), eb.fn.count<number | string>('r.contribution_id').as('answered')])
    .where('k.published_at', 'is not', null)
    .where((eb) => eb.or([eb('k.closes_on', '<', today), eb('k.responded_at', 'is not', null)]))
    .where(answerable('c'))
    .groupBy(['k.id', 'k.slug', 'k.title', 'k.is_demo', 'j.slug'])
    .orderBy('k.closes_on')
    .orderBy('k.id');
  if (scope !== 'all') q = q.where('k.jurisdiction_id', 'in', scope);
  const rows = await q.execute();
  const responses = rows
    .map((r) => ({ jurisdictionSlug: r.jurisdiction_slug, slug: r.slug, title: parseTranslatable(r.title), answered: Number(r.answered), total: Number(r.total), isDemo: r.is_demo === 1 }))
    .filter((r) => r.answered < r.total);
  return { moderation, responses };
}
