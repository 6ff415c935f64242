import type { Generated } from 'kysely';
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
  /** 1: `besa-checkpoint/v1` text (before migration 0030); 2: C2SP tlog-checkpoint signed note. */
  note_format: Generated<number>;
}

/** Migration 0030: the witnesses asked to cosign checkpoints. */
export type TransparencyWitnessTable = {
  id: Generated<number>;
  /** The witness's key name (schema-less URL). */
  name: string;
  /** Raw 32-byte Ed25519 cosigner public key, base64. */
  public_key: string;
  /** tlog-witness submission prefix. */
  url: string;
  operator: string;
  /** Translatable JSON. */
  policy: string;
  active: number;
  /** 1: demonstration data (`besa seed --demo`): labelled, never contacted. */
  is_demo: number;
  created_at: string;
  updated_at: string;
  last_contact_at: string | null;
  /** cosigned | unreachable | refused | conflict */
  last_status: string | null;
  last_error: string | null;
  cosigned_size: number | null;
}

/** Migration 0030: a witness's tlog-cosignature/v1 on one checkpoint. */
export type TransparencyCosignatureTable = {
  tree_size: number;
  witness_id: number;
  /** POSIX seconds, as signed. */
  timestamp: number;
  /** Base64 of key ID, timestamp and Ed25519 signature: the value of the note signature line. */
  signature: string;
  received_at: string;
}

/** Migration 0030: one row (id 1). */
export type TransparencyWitnessSettingsTable = {
  id: number;
  quorum: number;
  updated_at: string;
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
  transparency_witnesses: TransparencyWitnessTable;
  transparency_cosignatures: TransparencyCosignatureTable;
  transparency_witness_settings: TransparencyWitnessSettingsTable;
}

/** The database or transaction, seen with the transparency tables. */
export function tdb(executor: Executor) {
  return executor.withTables<TransparencyTables>();
}
