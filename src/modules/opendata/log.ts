import type { Executor } from '../../db/database.js';
import type { TransparencyTables } from '../transparency/tables.js';
import { checkpointJson, KEY_ENTITY, keyJson, publicKeyFromRaw } from '../transparency/index.js';

/** The log member's format: the same document as GET /transparency/log.json, so scripts/verify-log.mjs reads it as is. */
export { LOG_FORMAT } from '../transparency/index.js';

const PAGE = 1000;

export const tlog = (db: Executor) => db.withTables<TransparencyTables>();

/** A public key as /transparency/log.json lists it. */
export type LogKey = ReturnType<typeof keyJson>;

/** A signed checkpoint as /transparency/log.json lists it. */
export type LogCheckpoint = ReturnType<typeof checkpointJson>;

export interface LogEntry {
  index: number;
  leaf: string;
  leafHash: string;
}

/**
 * The log's size (its latest checkpoint's tree size: every entry of the download is covered by a
 * signed checkpoint) and the public keys that signed its checkpoints (never a private half).
 */
export async function logHead(db: Executor): Promise<{ treeSize: number; keys: LogKey[] }> {
  const t = tlog(db);
  const latest = await t.selectFrom('transparency_checkpoints').select('tree_size').orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
  const treeSize = latest ? Number(latest.tree_size) : 0;
  const rows = await t
    .selectFrom('transparency_keys')
    .select(['id', 'origin', 'public_key', 'created_at'])
    // The keys that signed, and those a key change announced (a rotated-to key signs only later checkpoints).
    .where((eb) =>
      eb.or([
        eb('id', 'in', eb.selectFrom('transparency_checkpoints').select('key_id').where('tree_size', '<=', treeSize)),
        eb('id', 'in', eb.selectFrom('transparency_entries').select('entity_id').where('entity_type', '=', KEY_ENTITY).where('leaf_index', '<', treeSize)),
      ]),
    )
    .orderBy('id')
    .execute();
  return {
    treeSize,
    keys: rows.map((r) =>
      keyJson({ id: Number(r.id), origin: r.origin, publicKey: r.public_key, publicKeyPem: publicKeyFromRaw(r.public_key).export({ format: 'pem', type: 'spki' }).toString(), createdAt: r.created_at }),
    ),
  };
}

/** Checkpoints up to `treeSize`, oldest first, a page at a time. */
export async function* checkpointPages(db: Executor, treeSize: number, keys: readonly LogKey[]): AsyncGenerator<LogCheckpoint[]> {
  const byId = new Map(keys.map((k) => [k.id, k]));
  let after = -1;
  for (;;) {
    const rows = await tlog(db)
      .selectFrom('transparency_checkpoints')
      .selectAll()
      .where('tree_size', '>', after)
      .where('tree_size', '<=', treeSize)
      .orderBy('tree_size')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return;
    yield rows.map((r) =>
      checkpointJson(
        { treeSize: Number(r.tree_size), rootHash: r.root_hash, issuedAt: r.issued_at, keyId: Number(r.key_id), signature: r.signature, noteFormat: Number(r.note_format) },
        byId.get(Number(r.key_id)),
      ),
    );
    after = Number(rows[rows.length - 1]!.tree_size);
    if (rows.length < PAGE) return;
  }
}

/** Entries [0, treeSize), in order, a page at a time. */
export async function* entryPages(db: Executor, treeSize: number): AsyncGenerator<LogEntry[]> {
  for (let start = 0; start < treeSize; start += PAGE) {
    const rows = await tlog(db)
      .selectFrom('transparency_entries')
      .select(['leaf_index', 'leaf', 'leaf_hash'])
      .where('leaf_index', '>=', start)
      .where('leaf_index', '<', Math.min(treeSize, start + PAGE))
      .orderBy('leaf_index')
      .execute();
    yield rows.map((r) => ({ index: Number(r.leaf_index), leaf: r.leaf, leafHash: r.leaf_hash }));
  }
}
