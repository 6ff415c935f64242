/**
 * C2SP tlog-tiles paths and arithmetic (c2sp.org/tlog-tiles). Pure: used by the log's tile routes,
 * by `besa monitor` and by anyone mirroring the log.
 *
 * A tile at level L, index N holds up to 256 hashes: at level 0 the leaf hashes of entries
 * N·256 … N·256+255, at level L the roots of the full level-(L−1) tiles below, that is the
 * Merkle tree hashes of the subtrees of 256^L leaves (tree level 8·L). Entry bundles
 * (`tile/entries/N`) hold the entries of the level-0 tile N, each as a big-endian uint16 length
 * then its bytes. Partial tiles (the right edge of the tree) end in `.p/W`, W from 1 to 255.
 */

export const TILE_WIDTH = 256;
export const TILE_HEIGHT = 8;
export const HASH_SIZE = 32;
/** An entry in a bundle is at most this long (uint16 length prefix). */
export const MAX_ENTRY_BYTES = 0xffff;

export interface TileRef {
  /** A hash level 0 … 63, or 'entries' for an entry bundle. */
  level: number | 'entries';
  index: number;
  /** Number of hashes (entries): 256 for a full tile, 1 … 255 for a partial one. */
  width: number;
}

/** `x001/x234/067` for 1234067. */
export function encodeTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError('a tile index is a non-negative integer');
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** The path of a tile below the log's prefix, e.g. `tile/0/x001/234.p/7` or `tile/entries/005`. */
export function tilePath(tile: TileRef): string {
  if (tile.width < 1 || tile.width > TILE_WIDTH || !Number.isInteger(tile.width)) throw new RangeError('a tile width is 1 … 256');
  const level = tile.level === 'entries' ? 'entries' : String(tile.level);
  return `tile/${level}/${encodeTileIndex(tile.index)}${tile.width < TILE_WIDTH ? `.p/${tile.width}` : ''}`;
}

/** Reads a tile path (after the prefix); undefined when it is not one. */
export function parseTilePath(path: string): TileRef | undefined {
  const m = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path);
  if (!m) return undefined;
  const level = m[1] === 'entries' ? 'entries' : Number(m[1]);
  if (level !== 'entries' && level > 63) return undefined;
  const index = Number(m[2]!.replace(/x/g, '').replace(/\//g, ''));
  if (!Number.isSafeInteger(index)) return undefined;
  // One spelling per index: no extra leading groups of zeroes.
  if (encodeTileIndex(index) !== m[2]) return undefined;
  const width = m[3] === undefined ? TILE_WIDTH : Number(m[3]);
  if (width < 1 || (m[3] !== undefined && width > 255)) return undefined;
  return { level, index, width };
}

/** The width of tile `index` at `level` in a tree of `size` leaves; 0 when it does not exist. */
export function tileWidthAt(level: number, index: number, size: number): number {
  const perHash = TILE_WIDTH ** level; // leaves under one hash of this level
  const hashes = Math.floor(size / perHash); // complete hashes available at this level
  const start = index * TILE_WIDTH;
  if (hashes <= start) return 0;
  return Math.min(TILE_WIDTH, hashes - start);
}

/**
 * The entry bundles that cover leaves [from, to) of a tree of `to` leaves: full where the tree has
 * a full tile, partial only at the right edge; `first` is the first leaf of [from, to) in it.
 */
export function entryBundlesFor(from: number, to: number): Array<{ index: number; width: number; first: number }> {
  const out: Array<{ index: number; width: number; first: number }> = [];
  for (let index = Math.floor(from / TILE_WIDTH); ; index += 1) {
    const width = tileWidthAt(0, index, to);
    if (width === 0) break;
    const first = Math.max(from, index * TILE_WIDTH);
    if (first < index * TILE_WIDTH + width) out.push({ index, width, first });
  }
  return out;
}

/** Every tile (full and partial, entry bundles included) a tree of `size` leaves is served as. */
export function tilesForSize(size: number): TileRef[] {
  const tiles: TileRef[] = [];
  for (let level = 0; TILE_WIDTH ** level <= size; level++) {
    const hashes = Math.floor(size / TILE_WIDTH ** level);
    for (let index = 0; index * TILE_WIDTH < hashes; index++) {
      const width = Math.min(TILE_WIDTH, hashes - index * TILE_WIDTH);
      tiles.push({ level, index, width });
      if (level === 0) tiles.push({ level: 'entries', index, width });
    }
  }
  return tiles;
}

/** Splits an entry bundle into its entries. */
export function parseEntryBundle(bundle: Buffer): Buffer[] {
  const entries: Buffer[] = [];
  let at = 0;
  while (at < bundle.length) {
    if (at + 2 > bundle.length) throw new Error('entry bundle: truncated length');
    const length = bundle.readUInt16BE(at);
    at += 2;
    if (at + length > bundle.length) throw new Error('entry bundle: truncated entry');
    entries.push(bundle.subarray(at, at + length));
    at += length;
  }
  return entries;
}

export function entryBundle(entries: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.length > MAX_ENTRY_BYTES) throw new RangeError(`an entry of ${e.length} bytes does not fit an entry bundle (at most ${MAX_ENTRY_BYTES})`);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(e.length);
    parts.push(length, e);
  }
  return Buffer.concat(parts);
}
