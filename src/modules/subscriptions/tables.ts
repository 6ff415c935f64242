import type { Generated } from 'kysely';
import type { Executor } from '../../db/database.js';

/** Tables of migration 0024 (typed here so the module owns its own storage). */
export type SubscriptionKeyTable = {
  id: Generated<number>;
  secret: string;
  created_at: string;
};

export type SubscriptionTable = {
  id: Generated<number>;
  jurisdiction_id: number;
  topic_type: string;
  topic_id: number;
  /** Private: only the outbox ever sees it. */
  email: string;
  email_hash: string;
  locale: string;
  /** immediate | daily | weekly */
  frequency: string;
  confirm_token_hash: string | null;
  confirm_expires_at: string | null;
  confirmed_at: string | null;
  token_key_id: number;
  token_nonce: string;
  last_digest_at: string | null;
  created_at: string;
  updated_at: string;
};

export type SubscriptionNoticeTable = {
  id: Generated<number>;
  jurisdiction_id: number;
  kind: string;
  /** Translatable JSON. */
  title: string;
  path: string;
  is_demo: number;
  created_at: string;
};

export type SubscriptionNoticeTopicTable = {
  notice_id: number;
  topic_type: string;
  topic_id: number;
};

export type SubscriptionDeliveryTable = {
  notice_id: number;
  email_hash: string;
  subscription_id: number | null;
  delivered_at: string;
};

export type SubscriptionTables = {
  subscription_keys: SubscriptionKeyTable;
  subscriptions: SubscriptionTable;
  subscription_notices: SubscriptionNoticeTable;
  subscription_notice_topics: SubscriptionNoticeTopicTable;
  subscription_deliveries: SubscriptionDeliveryTable;
};

/** The database or transaction, seen with the subscription tables. */
export function sdb(executor: Executor) {
  return executor.withTables<SubscriptionTables>();
}
