import type { Db, Trx } from '../../db/database.js';
import { ensureSigningKey } from './keys.js';
import { fitLeaves } from './leaf-size.js';
import { appendChanges, type Checkpoint, type PublishedChange } from './repository.js';

/**
 * Appends the changes a command published to the transparency log and signs a checkpoint of the
 * new tree. runCommand calls it once per command, at the end of the command's transaction and
 * after the content-version bump (which serializes writers), so the entries, the checkpoint and
 * the change itself commit or roll back together.
 *
 * Every entry fits an entry bundle (at most 65,535 bytes): a larger change is split into several
 * entries by field before the leaves are numbered (leaf-size.ts fitLeaves); one that cannot be
 * split to fit throws LeafTooLargeError before anything is appended, and the command rolls back.
 */
export async function appendToTransparencyLog(trx: Trx, changes: readonly PublishedChange[]): Promise<Checkpoint | undefined> {
  return appendChanges(trx, fitLeaves(changes));
}

/** Makes the log's signing key if there is none yet (setup, `besa migrate`); returns its origin. */
export async function ensureTransparencyKey(db: Db): Promise<{ id: number; origin: string; publicKey: string }> {
  const key = await ensureSigningKey(db);
  return { id: key.id, origin: key.origin, publicKey: key.publicKey };
}
