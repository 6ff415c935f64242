import type { Executor } from '../../db/database.js';
import { isKeyChange, KEY_ROTATED, listPublicKeys, verifyCheckpoint } from './keys.js';
import { appendToCompactRange, foldRight, hashLeaf, type Hash } from './merkle.js';
import { allCheckpoints, canonicalJson, type Checkpoint } from './repository.js';
import { tdb } from './tables.js';

export interface VerifyResult {
  ok: boolean;
  /** Entries verified: all of them when ok, else those before the first bad entry. */
  treeSize: number;
  /** Checkpoints whose root and signature were checked. */
  checkpointsChecked: number;
  /** The first entry that is missing, altered or out of place, when not ok. */
  firstBadIndex?: number;
  reason?: string;
  /** The key changes met (entry index, new key id, rotated or adopted), in order. */
  keyChanges?: { index: number; keyId: number; kind: 'rotated' | 'adopted' }[];
}

const PAGE = 500;

/**
 * Lets other work run between pages: on SQLite every query completes synchronously, so without
 * this a check of a large log would hold the event loop (and every request) until it ends.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function fail(_entriesRead: number, checkpointsChecked: number, firstBadIndex: number, reason: string): VerifyResult {
  return { ok: false, treeSize: firstBadIndex, checkpointsChecked, firstBadIndex, reason };
}

/**
 * Checks the whole stored log from scratch: every leaf hash is recomputed from the stored leaf
 * text, leaf indexes run 0, 1, 2, … without gaps, each leaf names its own index and agrees with
 * the columns the pages show, every checkpoint's root is recomputed from the leaves and its
 * Ed25519 signature checked in the note format it was signed in (1: `besa-checkpoint/v1`, 2: C2SP
 * checkpoint under the key's origin; a log may hold both, older rows first), every entry is covered by a checkpoint, and the stored subtrees used
 * for proofs equal the recomputed ones. Stops at the first problem and names the first bad entry.
 *
 * The signing keys form a chain (ADR 0010): the first checkpoint's key signs until an entry
 * changes keys. After a `signing_key.rotated` entry at index i the checkpoint of size i + 1 must
 * exist and be signed by the previous key, and every later one by the key the entry names; after
 * a `signing_key.adopted` entry the named key signs from the checkpoint of size i + 1 on. A
 * checkpoint signed by any other key fails, whatever key the database lists.
 */
export async function verifyTransparencyLog(db: Executor): Promise<VerifyResult> {
  const t = tdb(db);
  const keys = new Map((await listPublicKeys(db)).map((k) => [k.id, k]));
  const checkpoints = await allCheckpoints(db);
  const bySize = new Map<number, Checkpoint>(checkpoints.map((c) => [c.treeSize, c]));
  const computed = new Map<string, string>();
  let size = 0;
  let range: Hash[] = [];
  let checked = 0;
  let lastGoodCheckpoint = 0;
  /** The public key that signs the log at this point (set by the first checkpoint), and a rotation awaiting its checkpoint. */
  let signer: string | undefined;
  let pending: { index: number; publicKey: string } | undefined;
  const keyChanges: NonNullable<VerifyResult['keyChanges']> = [];

  const checkCheckpoint = (c: Checkpoint, root: Hash): VerifyResult | undefined => {
    const key = keys.get(c.keyId);
    if (root.toString('hex') !== c.rootHash) {
      return fail(size, checked, lastGoodCheckpoint, `the entries do not give the root hash signed in the checkpoint of size ${c.treeSize}: an entry from ${lastGoodCheckpoint} to ${c.treeSize - 1} was changed`);
    }
    if (!key || !verifyCheckpoint(key, c, root)) {
      return fail(size, checked, lastGoodCheckpoint, `the signature of the checkpoint of size ${c.treeSize} is not valid`);
    }
    if (signer === undefined) signer = key.publicKey;
    if (key.publicKey !== signer) {
      return fail(size, checked, lastGoodCheckpoint, `the checkpoint of size ${c.treeSize} is signed by key ${c.keyId}, which does not sign the log there: a key signs only after the entry that announces it, and that entry's checkpoint is signed by the key before it`);
    }
    checked += 1;
    lastGoodCheckpoint = c.treeSize;
    return undefined;
  };

  for (;;) {
    const rows = await t
      .selectFrom('transparency_entries')
      .selectAll()
      .where('leaf_index', '>=', size)
      .orderBy('leaf_index')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const index = Number(row.leaf_index);
      if (index !== size) return fail(size, checked, size, `entry ${size} is missing`);
      const leafHash = hashLeaf(row.leaf);
      if (leafHash.toString('hex') !== row.leaf_hash) return fail(size, checked, size, `entry ${size}: the stored leaf hash does not match the leaf text`);
      let leaf: Record<string, unknown>;
      try {
        leaf = JSON.parse(row.leaf) as Record<string, unknown>;
      } catch {
        return fail(size, checked, size, `entry ${size}: the leaf is not JSON`);
      }
      if (leaf.index !== size) return fail(size, checked, size, `entry ${size} is out of place: its leaf says it is entry ${String(leaf.index)}`);
      const columnsAgree =
        leaf.occurredAt === row.occurred_at &&
        leaf.action === row.action &&
        leaf.entityType === row.entity_type &&
        (leaf.entityId ?? null) === (row.entity_id === null ? null : Number(row.entity_id)) &&
        leaf.role === row.role &&
        canonicalJson(leaf.summary) === row.summary;
      if (!columnsAgree) return fail(size, checked, size, `entry ${size}: the stored columns differ from the hashed leaf`);
      if (isKeyChange(row.action)) {
        const named = leaf.summary as { keyId?: unknown; publicKey?: unknown } | undefined;
        if (typeof named?.publicKey !== 'string' || typeof named.keyId !== 'number') return fail(size, checked, size, `entry ${size} changes the signing key but names none`);
        const listed = keys.get(named.keyId);
        if (listed && listed.publicKey !== named.publicKey) return fail(size, checked, size, `entry ${size} names key ${named.keyId} with another public key than the log lists`);
        if (row.action === KEY_ROTATED) pending = { index: size, publicKey: named.publicKey };
        else {
          // An adoption vouches for nothing before it: every earlier entry must already be under a checkpoint of the previous key.
          if (lastGoodCheckpoint !== size) return fail(size, checked, lastGoodCheckpoint, `the key adoption at entry ${size} follows entries from ${lastGoodCheckpoint} to ${size - 1} that no checkpoint of the previous key covers`);
          signer = named.publicKey;
        }
        keyChanges.push({ index: size, keyId: named.keyId, kind: row.action === KEY_ROTATED ? 'rotated' : 'adopted' });
      }

      const next = appendToCompactRange(size, range, [leafHash]);
      for (const c of next.completed) computed.set(`${c.level}/${c.index}`, c.hash.toString('hex'));
      range = next.range;
      size = next.size;
      const checkpoint = bySize.get(size);
      if (checkpoint) {
        const problem = checkCheckpoint(checkpoint, foldRight(range));
        if (problem) return problem;
      }
      if (pending && size === pending.index + 1) {
        if (!checkpoint) return fail(size, checked, pending.index, `the key change at entry ${pending.index} has no checkpoint of its own signed by the previous key`);
        signer = pending.publicKey;
        pending = undefined;
      }
    }
    if (rows.length < PAGE) break;
    await yieldToEventLoop();
  }

  const beyond = checkpoints.find((c) => c.treeSize > size);
  if (beyond) return fail(size, checked, size, `entry ${size} is missing: the checkpoint of size ${beyond.treeSize} covers it`);
  if (size > lastGoodCheckpoint) return fail(size, checked, lastGoodCheckpoint, `entries from ${lastGoodCheckpoint} on are not covered by a signed checkpoint`);

  // The stored subtrees serve proofs: they must be the ones the leaves give.
  let after: { level: number; index: number } | undefined;
  for (;;) {
    let query = t.selectFrom('transparency_nodes').selectAll().orderBy('level').orderBy('node_index').limit(PAGE);
    if (after) {
      const { level, index } = after;
      query = query.where((eb) => eb.or([eb('level', '>', level), eb.and([eb('level', '=', level), eb('node_index', '>', index)])]));
    }
    const rows = await query.execute();
    for (const row of rows) {
      const level = Number(row.level);
      const index = Number(row.node_index);
      if (computed.get(`${level}/${index}`) !== row.hash) {
        return fail(size, checked, index * 2 ** level, `the stored subtree ${level}/${index} used for proofs does not match entries from ${index * 2 ** level}`);
      }
      computed.delete(`${level}/${index}`);
      after = { level, index };
    }
    if (rows.length < PAGE) break;
    await yieldToEventLoop();
  }
  if (computed.size > 0) {
    const [first] = [...computed.keys()].map((k) => k.split('/').map(Number) as [number, number]).sort((a, b) => a[1] * 2 ** a[0] - b[1] * 2 ** b[0]);
    if (first) return fail(size, checked, first[1] * 2 ** first[0], `the stored subtree ${first[0]}/${first[1]} used for proofs is missing`);
  }

  return { ok: true, treeSize: size, checkpointsChecked: checked, ...(keyChanges.length > 0 ? { keyChanges } : {}) };
}
