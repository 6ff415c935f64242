import type { Executor } from '../../db/database.js';

/** Tables of migration 0002 (typed here so the module owns its own storage). */
export type TransparencyEntryTable = {
  leaf_index: number;
  occurred_at: string;
  action: string;
  entity_type: string;
  entity_id: number | null;
  role: string;
  summary: string;
  leaf: string;
  leaf_hash: string;
}

export type TransparencyNodeTable = {
  level: number;
  node_index: number;
  hash: string;
}

export type TransparencyKeyTable = {
  id: number;
  /** Raw 32-byte Ed25519 public key, base64. The private half never is in the database (migration 0029). */
  public_key: string;
  origin: string;
  created_at: string;
}

export type TransparencyCheckpointTable = {
  tree_size: number;
  root_hash: string;
  issued_at: string;
  key_id: number;
  signature: string;
}

/** Migration 0010: the latest check of the log and the content (one row, id 1). */
export type TransparencyVerificationTable = {
  id: number;
  checked_at: string;
  /** 1 when the log and the public content were found intact. */
  intact: number;
  last_intact_at: string | null;
  /** JSON of the first problem found (a HistoryProblem), when not intact. */
  problem: string | null;
}

export type TransparencyTables = {
  transparency_verifications: TransparencyVerificationTable;
  transparency_entries: TransparencyEntryTable;
  transparency_nodes: TransparencyNodeTable;
  transparency_keys: TransparencyKeyTable;
  transparency_checkpoints: TransparencyCheckpointTable;
}

/** The database or transaction, seen with the transparency tables. */
export function tdb(executor: Executor) {
  return executor.withTables<TransparencyTables>();
}
