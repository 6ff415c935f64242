import type { Executor } from '../../db/database.js';
import type { Translatable } from '../../lib/translatable.js';

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
  kind: 'update' | 'consultation' | 'response' | 'meeting' | 'review';
  title: Translatable;
  /** The page's path without the locale, e.g. `/gjakova/consultations/co-creation-2024`. */
  path: string;
  isDemo: boolean;
}

// STUB (issue 11, subscriptions helper): records the notice inside the caller's transaction; the
// subscribers hear of it through the outbox (at once, or in their daily or weekly digest).
export async function notifySubscribers(_trx: Executor, _notice: Notice): Promise<void> {}
