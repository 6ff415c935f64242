import { precompiled, type Executor } from '../../db/database.js';
import { entryBundle, HASH_SIZE, MAX_ENTRY_BYTES, TILE_HEIGHT, TILE_WIDTH, tileWidthAt, type TileRef } from '../../lib/tlog/tiles.js';
import { tdb } from './tables.js';

/**
 * The log read as C2SP tlog-tiles (c2sp.org/tlog-tiles), from what the appender already stores:
 *
 * - hash tile (0, N): the leaf hashes of entries N·256 … N·256+W−1 (`transparency_entries.leaf_hash`);
 * - hash tile (L ≥ 1, N): the perfect subtrees of 256^L leaves, i.e. tree level 8·L, node indexes
 *   N·256 … N·256+W−1 (`transparency_nodes`, stored for every perfect subtree);
 * - entry bundle N: the stored leaf texts of the entries of level-0 tile N, UTF-8, each after its
 *   big-endian uint16 length.
 *
 * Each read is one range query on a primary key (entries by leaf_index, nodes by (level,
 * node_index)); `servableWidth` decides from the latest checkpoint whether a tile may be served.
 */

/** A stored leaf longer than an entry bundle can carry (uint16 length): the bundle is refused, never truncated. */
export class EntryTooLongError extends Error {
  constructor(
    readonly index: number,
    readonly bytes: number,
  ) {
    super(`entry ${index} is ${bytes} bytes long; an entry bundle holds entries of at most ${MAX_ENTRY_BYTES} bytes`);
  }
}

/** The stored tree is missing rows a tile needs (a damaged database): a server error, never a short tile. */
export class TileIncompleteError extends Error {}

const latestSizeQuery = precompiled((executor: Executor) =>
  tdb(executor).selectFrom('transparency_checkpoints').select('tree_size').orderBy('tree_size', 'desc').limit(1),
);

/** The tree size of the latest checkpoint (0 before the first). Tiles are served for this size only. */
export async function latestTreeSize(executor: Executor): Promise<number> {
  const rows = await latestSizeQuery(executor);
  return rows.length === 0 ? 0 : Number(rows[0]!.tree_size);
}

/**
 * Whether `tile` may be served for a log whose latest checkpoint has `size` leaves: a full tile
 * when complete, a partial tile of any width up to what that size gives the tile (a client may
 * hold an older, smaller checkpoint). Never an empty tile.
 */
export function servable(tile: TileRef, size: number): boolean {
  const available = tileWidthAt(tile.level === 'entries' ? 0 : tile.level, tile.index, size);
  return available > 0 && tile.width <= available;
}

const leafHashesQuery = precompiled((executor: Executor, start: number, end: number) =>
  tdb(executor).selectFrom('transparency_entries').select('leaf_hash').where('leaf_index', '>=', start).where('leaf_index', '<', end).orderBy('leaf_index'),
);

const nodeHashesQuery = precompiled((executor: Executor, level: number, start: number, end: number) =>
  tdb(executor)
    .selectFrom('transparency_nodes')
    .select('hash')
    .where('level', '=', level)
    .where('node_index', '>=', start)
    .where('node_index', '<', end)
    .orderBy('node_index'),
);

const leavesQuery = precompiled((executor: Executor, start: number, end: number) =>
  tdb(executor).selectFrom('transparency_entries').select(['leaf_index', 'leaf']).where('leaf_index', '>=', start).where('leaf_index', '<', end).orderBy('leaf_index'),
);

/** The bytes of hash tile (level, index) of `width` hashes: width·32 bytes. */
export async function readHashTile(executor: Executor, level: number, index: number, width: number): Promise<Buffer> {
  if (!Number.isInteger(level) || level < 0 || level > 63) throw new RangeError('a tile level is 0 … 63');
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new RangeError('a tile width is 1 … 256');
  const start = index * TILE_WIDTH;
  const rows =
    level === 0
      ? (await leafHashesQuery(executor, start, start + width)).map((r) => r.leaf_hash)
      : (await nodeHashesQuery(executor, level * TILE_HEIGHT, start, start + width)).map((r) => r.hash);
  if (rows.length !== width) throw new TileIncompleteError(`tile ${level}/${index}: ${rows.length} of ${width} stored hashes found`);
  const out = Buffer.alloc(width * HASH_SIZE);
  rows.forEach((hex, i) => {
    const hash = Buffer.from(hex, 'hex');
    if (hash.length !== HASH_SIZE) throw new TileIncompleteError(`tile ${level}/${index}: hash ${i} is not ${HASH_SIZE} bytes`);
    hash.copy(out, i * HASH_SIZE);
  });
  return out;
}

/** Entry bundle `index` of `width` entries; EntryTooLongError when one of them cannot be carried. */
export async function readEntryBundle(executor: Executor, index: number, width: number): Promise<Buffer> {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new RangeError('a tile width is 1 … 256');
  const start = index * TILE_WIDTH;
  const rows = await leavesQuery(executor, start, start + width);
  if (rows.length !== width) throw new TileIncompleteError(`entry bundle ${index}: ${rows.length} of ${width} entries found`);
  const leaves = rows.map((row) => {
    const leaf = Buffer.from(row.leaf, 'utf8');
    if (leaf.length > MAX_ENTRY_BYTES) throw new EntryTooLongError(Number(row.leaf_index), leaf.length);
    return leaf;
  });
  return entryBundle(leaves);
}
