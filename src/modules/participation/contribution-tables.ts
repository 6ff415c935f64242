import type { Generated } from 'kysely';

/** The contribution tables of migration 0020 (owned by the contribution files of this module). */
export type ContributionTable = {
  id: Generated<number>;
  consultation_id: number;
  parent_id: number | null;
  /** 0, 1 or 2. */
  depth: number;
  /** comment | proposal */
  kind: string;
  /** Public; null once anonymised. */
  author_name: string | null;
  /** PRIVATE: never on a page, feed, export, API response or log line. */
  email: string | null;
  email_hash: string | null;
  locale: string;
  body: string;
  theme: string | null;
  ogp_value: string | null;
  /** unconfirmed | pending | published | hidden */
  status: string;
  confirm_token_hash: string | null;
  confirm_expires_at: string | null;
  confirmed_at: string | null;
  published_at: string | null;
  hidden_at: string | null;
  hidden_reason: string | null;
  flag_count: number;
  anonymised_at: string | null;
  is_demo: number;
  created_at: string;
  updated_at: string;
};

export type ContributionFlagTable = {
  id: Generated<number>;
  contribution_id: number;
  reason: string;
  reporter_hash: string;
  created_at: string;
  resolved_at: string | null;
};

export type ParticipationKeyTable = {
  id: Generated<number>;
  secret: string;
  created_at: string;
};

export type ParticipationBucketTable = {
  key_hash: string;
  window_start: string;
  count: number;
};

export type ContributionTables = {
  contributions: ContributionTable;
  contribution_flags: ContributionFlagTable;
  participation_keys: ParticipationKeyTable;
  participation_buckets: ParticipationBucketTable;
} & ContributionMoreTables;

/** Migration 0022: named secrets of participation (`erasure`: the key of the address hashes). */
export type ParticipationSecretTable = {
  name: string;
  secret: string;
  created_at: string;
};

/** Migration 0022: one-time erasure links (only the token's SHA-256 and the address's erasure hash). */
export type ErasureLinkTable = {
  id: Generated<number>;
  token_hash: string;
  email_hash: string;
  expires_at: string;
  created_at: string;
};

export type ContributionMoreTables = {
  participation_secrets: ParticipationSecretTable;
  erasure_links: ErasureLinkTable;
};
