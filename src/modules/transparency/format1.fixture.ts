import type { KeyObject } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { NOTE_FORMAT_BESA_V1, rawPublicKeyOf, signCheckpoint } from './keys.js';
import { tdb } from './tables.js';

/**
 * Tests only: turns the stored checkpoints signed by `privateKey` into what a Besa from before
 * migration 0030 wrote: a `besa-checkpoint/v1` signature (with the issue time) and note format 1.
 * Returns the tree sizes changed.
 */
export async function resignAsFormat1(db: Executor, privateKey: KeyObject): Promise<number[]> {
  const t = tdb(db);
  const publicKey = rawPublicKeyOf(privateKey);
  const key = await t.selectFrom('transparency_keys').select(['id', 'origin']).where('public_key', '=', publicKey).executeTakeFirstOrThrow();
  const rows = await t.selectFrom('transparency_checkpoints').selectAll().where('key_id', '=', key.id).orderBy('tree_size').execute();
  for (const r of rows) {
    const signature = signCheckpoint({ id: Number(key.id), origin: key.origin, publicKey, publicKeyPem: '', privateKey }, Number(r.tree_size), Buffer.from(r.root_hash, 'hex'), r.issued_at);
    await t.updateTable('transparency_checkpoints').set({ signature, note_format: NOTE_FORMAT_BESA_V1 }).where('tree_size', '=', r.tree_size).execute();
  }
  return rows.map((r) => Number(r.tree_size));
}
