import type { Executor } from '../../db/database.js';
import { serializeTranslatable, type Translatable } from '../../lib/translatable.js';
import { sdb } from './tables.js';

/** What can be followed: a jurisdiction, a plan, a commitment, a consultation or a body. */
export type TopicType = 'jurisdiction' | 'plan' | 'commitment' | 'consultation' | 'body';
export interface Topic {
  type: TopicType;
  id: number;
}

/** One published thing subscribers hear of. */
export interface Notice {
  jurisdictionId: number;
  /** Every topic it belongs to, e.g. the jurisdiction, the plan and the commitment of an update. */
  topics: Topic[];
  kind: 'update' | 'consultation' | 'response' | 'meeting' | 'review' | 'news';
  title: Translatable;
  /** The page's path without the locale, e.g. `/gjakova/consultations/co-creation-2024`. */
  path: string;
  isDemo: boolean;
}

export const NOTICE_KINDS: readonly Notice['kind'][] = ['update', 'consultation', 'response', 'meeting', 'review', 'news'];

/**
 * Records the notice inside the caller's transaction (so it exists only if the publication
 * commits); the subscribers hear of it through the outbox, at once or in their daily or weekly
 * digest (deliver.ts, run on a timer by every process). Cheap: two inserts, whatever the number
 * of subscribers.
 */
export async function notifySubscribers(trx: Executor, notice: Notice): Promise<void> {
  if (!NOTICE_KINDS.includes(notice.kind)) throw new Error(`notifySubscribers: unknown kind ${String(notice.kind)}`);
  if (!notice.path.startsWith('/') || notice.path.startsWith('//') || /[\s\u0000-\u001f]/.test(notice.path)) throw new Error('notifySubscribers: path must be a path of this site');
  const topics = new Map<string, { type: string; id: number }>();
  for (const t of [{ type: 'jurisdiction' as const, id: notice.jurisdictionId }, ...notice.topics]) {
    if (Number.isInteger(t.id) && t.id > 0) topics.set(`${t.type}:${t.id}`, t);
  }
  const row = await sdb(trx)
    .insertInto('subscription_notices')
    .values({
      jurisdiction_id: notice.jurisdictionId,
      kind: notice.kind,
      title: serializeTranslatable(notice.title),
      path: notice.path,
      is_demo: notice.isDemo ? 1 : 0,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sdb(trx)
    .insertInto('subscription_notice_topics')
    .values([...topics.values()].map((t) => ({ notice_id: row.id, topic_type: t.type, topic_id: t.id })))
    .execute();
}
