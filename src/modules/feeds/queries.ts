import type { Executor } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import type { FeedScope } from '../manifest.js';

/** What a feed follows: its scope for the modules, its name and the locale-less path of its page. */
export interface FeedSubject {
  scope: FeedScope;
  /** The followed thing's name (empty for the instance: the feed says "Besa"). */
  name: Translatable;
  /** A code shown before the name (a commitment's). */
  code?: string | undefined;
  /** Locale-less path of the page the feed follows ('/' for the instance home). */
  path: string;
  /** The jurisdiction's name, who publishes (empty for the instance). */
  publisher: Translatable;
}

export async function jurisdictionSubject(db: Executor, slug: string): Promise<FeedSubject | undefined> {
  const j = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
  if (!j) return undefined;
  const name = parseTranslatable(j.name);
  return { scope: { kind: 'jurisdiction', id: j.id }, name, path: `/${j.slug}`, publisher: name };
}

export async function planSubject(db: Executor, slug: string, planSlug: string): Promise<FeedSubject | undefined> {
  const p = await db
    .selectFrom('action_plans')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['action_plans.id', 'action_plans.slug', 'action_plans.title', 'jurisdictions.slug as jurisdiction_slug', 'jurisdictions.name as jurisdiction_name'])
    .where('jurisdictions.slug', '=', slug)
    .where('action_plans.slug', '=', planSlug)
    .executeTakeFirst();
  if (!p) return undefined;
  return { scope: { kind: 'plan', id: p.id }, name: parseTranslatable(p.title), path: `/${p.jurisdiction_slug}/plans/${p.slug}`, publisher: parseTranslatable(p.jurisdiction_name) };
}

export async function commitmentSubject(db: Executor, slug: string, planSlug: string, code: string): Promise<FeedSubject | undefined> {
  const c = await db
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['commitments.id', 'commitments.code', 'commitments.title', 'action_plans.slug as plan_slug', 'jurisdictions.slug as jurisdiction_slug', 'jurisdictions.name as jurisdiction_name'])
    .where('jurisdictions.slug', '=', slug)
    .where('action_plans.slug', '=', planSlug)
    .where('commitments.code', '=', code)
    .executeTakeFirst();
  if (!c) return undefined;
  return {
    scope: { kind: 'commitment', id: c.id },
    name: parseTranslatable(c.title),
    code: c.code,
    path: `/${c.jurisdiction_slug}/plans/${c.plan_slug}/commitments/${encodeURIComponent(c.code)}`,
    publisher: parseTranslatable(c.jurisdiction_name),
  };
}

export const INSTANCE_SUBJECT: FeedSubject = { scope: { kind: 'instance' }, name: {}, path: '/', publisher: {} };
