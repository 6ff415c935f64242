import { sql } from 'kysely';
import type { Executor } from '../../../db/database.js';
import { NOTE_FORMAT_C2SP } from '../keys.js';
import { tdb } from '../tables.js';

/**
 * What the log side of witnessing reads and writes (tables of migration 0030). The witness list
 * and the quorum are edited by the administration; this side only reads them and writes each
 * witness's contact state and the cosignatures it returned.
 */

/** Statuses of a witness's last contact (`transparency_witnesses.last_status`). */
export type WitnessStatus = 'cosigned' | 'unreachable' | 'refused' | 'conflict';

export interface WitnessRecord {
  id: number;
  name: string;
  /** Raw 32-byte Ed25519 cosigner key, base64. */
  publicKey: string;
  url: string;
  cosignedSize: number | null;
  lastStatus: string | null;
}

/** A note-format-2 checkpoint with the key that signed it. */
export interface NoteCheckpoint {
  treeSize: number;
  root: Buffer;
  issuedAt: string;
  keyId: number;
  /** Base64 Ed25519 signature over checkpointNoteText(origin, treeSize, root). */
  signature: string;
  origin: string;
  /** Raw public key of the signing key, base64. */
  publicKey: string;
}

/** The latest C2SP (note format 2) checkpoint; checkpoints of the older format are never sent to witnesses. */
export async function latestNoteCheckpoint(executor: Executor): Promise<NoteCheckpoint | undefined> {
  const row = await tdb(executor)
    .selectFrom('transparency_checkpoints as c')
    .innerJoin('transparency_keys as k', 'k.id', 'c.key_id')
    .select(['c.tree_size', 'c.root_hash', 'c.issued_at', 'c.key_id', 'c.signature', 'k.origin', 'k.public_key'])
    .where('c.note_format', '=', NOTE_FORMAT_C2SP)
    .orderBy('c.tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    treeSize: Number(row.tree_size),
    root: Buffer.from(row.root_hash, 'hex'),
    issuedAt: row.issued_at,
    keyId: Number(row.key_id),
    signature: row.signature,
    origin: row.origin,
    publicKey: row.public_key,
  };
}

/** The largest tree the log has ever signed a checkpoint for (0 for an empty log). */
export async function largestSignedSize(executor: Executor): Promise<number> {
  const row = await tdb(executor)
    .selectFrom('transparency_checkpoints')
    .select((eb) => eb.fn.max('tree_size').as('size'))
    .executeTakeFirst();
  return row?.size === null || row?.size === undefined ? 0 : Number(row.size);
}

/** Active witnesses that are not demonstration data (the ones Besa contacts). */
export async function contactableWitnesses(executor: Executor): Promise<WitnessRecord[]> {
  const rows = await tdb(executor)
    .selectFrom('transparency_witnesses')
    .select(['id', 'name', 'public_key', 'url', 'cosigned_size', 'last_status'])
    .where('active', '=', 1)
    .where('is_demo', '=', 0)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    publicKey: r.public_key,
    url: r.url,
    cosignedSize: r.cosigned_size === null ? null : Number(r.cosigned_size),
    lastStatus: r.last_status,
  }));
}

/** Ids of the witnesses holding a cosignature on the checkpoint of `treeSize`. */
export async function cosignerIds(executor: Executor, treeSize: number): Promise<Set<number>> {
  const rows = await tdb(executor).selectFrom('transparency_cosignatures').select('witness_id').where('tree_size', '=', treeSize).execute();
  return new Set(rows.map((r) => Number(r.witness_id)));
}

/** Stores a cosignature; one another process stored first for the same (tree size, witness) is kept. */
export async function storeCosignature(executor: Executor, c: { treeSize: number; witnessId: number; timestamp: number; signature: string; receivedAt: string }): Promise<void> {
  await tdb(executor)
    .insertInto('transparency_cosignatures')
    .values({ tree_size: c.treeSize, witness_id: c.witnessId, timestamp: c.timestamp, signature: c.signature, received_at: c.receivedAt })
    .onConflict((oc) => oc.columns(['tree_size', 'witness_id']).doNothing())
    .execute();
}

/**
 * Records the outcome of a contact. `answeredAt`: when the witness answered at all (not for
 * `unreachable`). `cosignedSize`: the size the witness now holds for this log (never lowered).
 */
export async function recordContact(
  executor: Executor,
  witnessId: number,
  outcome: { status: WitnessStatus; error: string | null; answeredAt?: string | undefined; cosignedSize?: number | undefined },
): Promise<void> {
  const size = outcome.cosignedSize;
  await tdb(executor)
    .updateTable('transparency_witnesses')
    .set({
      last_status: outcome.status,
      last_error: outcome.error,
      ...(outcome.answeredAt ? { last_contact_at: outcome.answeredAt } : {}),
      ...(size !== undefined ? { cosigned_size: sql<number>`case when cosigned_size is null or cosigned_size < ${size} then ${size} else cosigned_size end` } : {}),
    })
    .where('id', '=', witnessId)
    .execute();
}

/** Only the size a witness holds (a 409 showed it is ahead of the checkpoint this run asked about). */
export async function recordWitnessSize(executor: Executor, witnessId: number, size: number, answeredAt: string): Promise<void> {
  await tdb(executor)
    .updateTable('transparency_witnesses')
    .set({ last_contact_at: answeredAt, cosigned_size: sql<number>`case when cosigned_size is null or cosigned_size < ${size} then ${size} else cosigned_size end` })
    .where('id', '=', witnessId)
    .execute();
}

export interface StoredCosignature {
  witnessId: number;
  name: string;
  active: boolean;
  isDemo: boolean;
  /** The witness's raw public key, base64. */
  publicKey: string;
  timestamp: number;
  /** Base64 of key ID || timestamp || signature: the value of the note signature line. */
  signature: string;
}

/** Every cosignature stored for the checkpoint of `treeSize`, from active or inactive witnesses, by witness id. */
export async function cosignaturesOn(executor: Executor, treeSize: number): Promise<StoredCosignature[]> {
  const rows = await tdb(executor)
    .selectFrom('transparency_cosignatures as c')
    .innerJoin('transparency_witnesses as w', 'w.id', 'c.witness_id')
    .select(['c.witness_id', 'w.name', 'w.active', 'w.is_demo', 'w.public_key', 'c.timestamp', 'c.signature'])
    .where('c.tree_size', '=', treeSize)
    .orderBy('c.witness_id')
    .execute();
  return rows.map((r) => ({
    witnessId: Number(r.witness_id),
    name: r.name,
    active: Number(r.active) === 1,
    isDemo: Number(r.is_demo) === 1,
    publicKey: r.public_key,
    timestamp: Number(r.timestamp),
    signature: r.signature,
  }));
}

/** How many active witnesses must cosign a checkpoint for it to count as witnessed (0: none required). */
export async function witnessQuorum(executor: Executor): Promise<number> {
  const row = await tdb(executor).selectFrom('transparency_witness_settings').select('quorum').where('id', '=', 1).executeTakeFirst();
  return row ? Number(row.quorum) : 0;
}
