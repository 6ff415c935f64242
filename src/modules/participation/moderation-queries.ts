import type { Executor } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import type { PolicyUser } from '../accounts/index.js';
import { moderatedJurisdictions } from './moderation-policy.js';
import { pdb } from './tables.js';

/**
 * The moderation queue's read models: what waits for a moderator (pending: pre-moderation, or
 * hidden by flags until someone decides), and the recently published and hidden contributions (to
 * hide or restore after the fact), of the jurisdictions the person moderates only. The contributor's
 * address is never read here.
 */

export interface QueueItem {
  id: number;
  kind: string;
  /** Null once anonymised. */
  authorName: string | null;
  body: string;
  theme: string | null;
  status: 'pending' | 'published' | 'hidden';
  depth: number;
  createdAt: string;
  publishedAt: string | null;
  hiddenAt: string | null;
  hiddenReason: string | null;
  /** The reasons of the flags no moderator has decided on yet. */
  flags: string[];
  isDemo: boolean;
  consultation: { id: number; slug: string; title: Translatable; moderation: string };
  jurisdiction: { id: number; slug: string; name: Translatable; timeZone: string };
}

export interface ModerationQueue {
  pending: QueueItem[];
  published: QueueItem[];
  hidden: QueueItem[];
}

/** How many recently published and recently hidden contributions the queue lists. */
export const RECENT_LIMIT = 25;

function itemsQuery(db: Executor, scope: 'all' | number[]) {
  let q = pdb(db)
    .selectFrom('contributions as c')
    .innerJoin('consultations as k', 'k.id', 'c.consultation_id')
    .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
    .select([
      'c.id',
      'c.kind',
      'c.author_name',
      'c.body',
      'c.theme',
      'c.status',
      'c.depth',
      'c.created_at',
      'c.published_at',
      'c.hidden_at',
      'c.hidden_reason',
      'c.is_demo',
      'k.id as consultation_id',
      'k.slug as consultation_slug',
      'k.title as consultation_title',
      'k.moderation',
      'j.id as jurisdiction_id',
      'j.slug as jurisdiction_slug',
      'j.name as jurisdiction_name',
      'j.time_zone',
    ]);
  if (scope !== 'all') q = q.where('k.jurisdiction_id', 'in', scope.length ? scope : [-1]);
  return q;
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof itemsQuery>['execute']>>[number];

function toItem(r: ItemRow, flags: Map<number, string[]>): QueueItem {
  return {
    id: r.id,
    kind: r.kind,
    authorName: r.author_name,
    body: r.body,
    theme: r.theme,
    status: r.status as QueueItem['status'],
    depth: r.depth,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    hiddenAt: r.hidden_at,
    hiddenReason: r.hidden_reason,
    flags: flags.get(r.id) ?? [],
    isDemo: r.is_demo === 1,
    consultation: { id: r.consultation_id, slug: r.consultation_slug, title: parseTranslatable(r.consultation_title), moderation: r.moderation },
    jurisdiction: { id: r.jurisdiction_id, slug: r.jurisdiction_slug, name: parseTranslatable(r.jurisdiction_name), timeZone: r.time_zone },
  };
}

async function openFlags(db: Executor, ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!ids.length) return out;
  const rows = await pdb(db)
    .selectFrom('contribution_flags')
    .select(['contribution_id', 'reason'])
    .where('contribution_id', 'in', ids)
    .where('resolved_at', 'is', null)
    .orderBy('id')
    .execute();
  for (const r of rows) out.set(r.contribution_id, [...(out.get(r.contribution_id) ?? []), r.reason]);
  return out;
}

/** The queue of the person: pending first (oldest first), then the recently published and hidden. */
export async function loadModerationQueue(db: Executor, user: PolicyUser): Promise<ModerationQueue> {
  const scope = moderatedJurisdictions(user);
  const [pending, published, hidden] = await Promise.all([
    itemsQuery(db, scope).where('c.status', '=', 'pending').orderBy('c.created_at').orderBy('c.id').execute(),
    itemsQuery(db, scope).where('c.status', '=', 'published').orderBy('c.published_at', 'desc').orderBy('c.id', 'desc').limit(RECENT_LIMIT).execute(),
    itemsQuery(db, scope).where('c.status', '=', 'hidden').orderBy('c.hidden_at', 'desc').orderBy('c.id', 'desc').limit(RECENT_LIMIT).execute(),
  ]);
  const flags = await openFlags(db, [...pending, ...published, ...hidden].map((r) => r.id));
  return { pending: pending.map((r) => toItem(r, flags)), published: published.map((r) => toItem(r, flags)), hidden: hidden.map((r) => toItem(r, flags)) };
}

/** How many contributions wait for the person (the admin home's count). */
export async function countPendingFor(db: Executor, user: PolicyUser): Promise<number> {
  const scope = moderatedJurisdictions(user);
  let q = pdb(db)
    .selectFrom('contributions as c')
    .innerJoin('consultations as k', 'k.id', 'c.consultation_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('c.status', '=', 'pending');
  if (scope !== 'all') q = q.where('k.jurisdiction_id', 'in', scope.length ? scope : [-1]);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** One contribution with its consultation's jurisdiction (for the moderation commands and routes). */
export async function findModeratedContribution(db: Executor, id: number) {
  return pdb(db)
    .selectFrom('contributions as c')
    .innerJoin('consultations as k', 'k.id', 'c.consultation_id')
    .select(['c.id', 'c.status', 'c.email', 'c.locale', 'c.consultation_id', 'c.is_demo', 'k.jurisdiction_id'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}
