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
  public_key: string;
  private_key: string;
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

export type TransparencyTables = {
  transparency_entries: TransparencyEntryTable;
  transparency_nodes: TransparencyNodeTable;
  transparency_keys: TransparencyKeyTable;
  transparency_checkpoints: TransparencyCheckpointTable;
}

/** The database or transaction, seen with the transparency tables. */
export function tdb(executor: Executor) {
  return executor.withTables<TransparencyTables>();
}
