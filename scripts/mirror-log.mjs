#!/usr/bin/env node
/**
 * Mirrors a Besa transparency log as C2SP tlog-tiles (c2sp.org/tlog-tiles) and verifies the copy
 * offline. Plain Node.js (18 or later), no packages: only fetch, node:crypto, node:fs, node:path.
 *
 *   node mirror-log.mjs URL DIR [--verify] [--vkey VKEY]   copy the log into DIR, then (--verify) check it
 *   node mirror-log.mjs verify DIR [--vkey VKEY]           check a copy, from its files only
 *   node mirror-log.mjs proof DIR INDEX                     print entry INDEX's inclusion proof, from the files
 *
 * URL is the instance's address (https://besa.example.org), or a tlog prefix ending in
 * /transparency/tlog. The copy fetches <prefix>/checkpoint (a signed note: origin, tree size, root
 * hash), then every hash tile (tile/<L>/<N>[.p/<W>]) and entry bundle (tile/entries/<N>[.p/<W>])
 * that tree size needs, into DIR at the same paths, so DIR can itself be served as the log's prefix.
 * Tiles already in DIR are kept (a tile path always names the same bytes): running it again fetches
 * only what the log added, and checks that the log still extends the checkpoint saved by the run
 * before (the first <its size> entries, from the tiles, give its root; otherwise it stops with exit 1
 * and keeps that checkpoint). The checkpoint is written last, so DIR always holds one whose tiles are there.
 *
 * verify checks, from DIR alone, stopping at the first problem:
 *  - each entry bundle holds as many entries as its level-0 tile has hashes, and each entry hashes
 *    (SHA-256(0x00 || entry), RFC 6962 §2.1) to its hash in that tile;
 *  - each hash of a tile at level L ≥ 1 is the Merkle tree hash of the full tile it stands for at
 *    level L − 1;
 *  - the Merkle tree root of the checkpoint's size, computed from the tiles, is the checkpoint's root;
 *  - with --vkey (the log's verifier key, `<name>+<key ID hex>+<base64 of 0x01 || Ed25519 public key>`,
 *    c2sp.org/signed-note): the checkpoint carries a valid Ed25519 signature by that key.
 * It prints one line (origin, tree size, root) and exits 0 when all of it holds; otherwise it
 * prints the first problem and exits 1. Usage, network and file errors exit 2.
 */
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TILE_WIDTH = 256;
const HASH_SIZE = 32;
const CONCURRENCY = 8;
const FETCH_TIMEOUT_MS = 60_000;

class Problem extends Error {}
class UsageError extends Error {}

/* ---------- RFC 6962 hashing ---------- */

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const hashLeaf = (entry) => sha256(Buffer.from([0]), entry);
const hashChildren = (left, right) => sha256(Buffer.from([1]), left, right);
const EMPTY_ROOT = sha256();

function largestPowerOfTwoBelow(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH of a list of hashes taken as leaves (RFC 6962 §2.1): also the root of equal perfect subtrees. */
function rootOfHashes(hashes, start = 0, end = hashes.length) {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return hashes[start];
  const k = largestPowerOfTwoBelow(n);
  return hashChildren(rootOfHashes(hashes, start, start + k), rootOfHashes(hashes, start + k, end));
}

/* ---------- Tile paths (c2sp.org/tlog-tiles) ---------- */

function encodeIndex(index) {
  const groups = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

function tilePath(level, index, width) {
  return `tile/${level}/${encodeIndex(index)}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
}

/** Width of tile (level, index) in a tree of `size` leaves; 0 when it does not exist. */
function widthAt(level, index, size) {
  const hashes = Math.floor(size / TILE_WIDTH ** level);
  const start = index * TILE_WIDTH;
  return hashes <= start ? 0 : Math.min(TILE_WIDTH, hashes - start);
}

/** Every tile the tree needs, level 0 first, each with its entry bundle at level 0 (one at a time: a size is not a promise of memory). */
function* tilesFor(size) {
  for (let level = 0; TILE_WIDTH ** level <= size; level++) {
    const hashes = Math.floor(size / TILE_WIDTH ** level);
    for (let index = 0; index * TILE_WIDTH < hashes; index++) {
      const width = Math.min(TILE_WIDTH, hashes - index * TILE_WIDTH);
      yield { level, index, width };
      if (level === 0) yield { level: 'entries', index, width };
    }
  }
}

function parseBundle(bundle, path) {
  const entries = [];
  let at = 0;
  while (at < bundle.length) {
    if (at + 2 > bundle.length) throw new Problem(`${path}: truncated after ${entries.length} entries`);
    const length = bundle.readUInt16BE(at);
    at += 2;
    if (at + length > bundle.length) throw new Problem(`${path}: entry ${entries.length} is truncated`);
    entries.push(bundle.subarray(at, at + length));
    at += length;
  }
  return entries;
}

/* ---------- Checkpoints and signed notes (c2sp.org/signed-note, c2sp.org/tlog-checkpoint) ---------- */

function parseCheckpoint(note) {
  if (note.length > 1_000_000) throw new Problem('checkpoint: longer than any note');
  const text = note.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(note)) throw new Problem('checkpoint: not valid UTF-8');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new Problem('checkpoint: holds control characters');
  const split = text.lastIndexOf('\n\n');
  if (split < 0 || !text.endsWith('\n')) throw new Problem('checkpoint: not a signed note (no blank line before the signatures)');
  const body = text.slice(0, split + 1);
  const signatures = [];
  for (const line of text.slice(split + 2, -1).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/.exec(line);
    if (!m || m[1].includes('+')) throw new Problem(`checkpoint: malformed signature line "${line.slice(0, 80)}"`);
    const bytes = Buffer.from(m[2], 'base64');
    if (bytes.length < 5 || bytes.toString('base64') !== m[2]) throw new Problem('checkpoint: malformed signature');
    signatures.push({ name: m[1], keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) });
  }
  if (signatures.length === 0) throw new Problem('checkpoint: no signature');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3 || lines.some((l) => l === '')) throw new Problem('checkpoint: needs origin, tree size and root hash lines');
  const [origin, sizeText, rootText] = lines;
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new Problem(`checkpoint: bad tree size "${sizeText}"`);
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== HASH_SIZE || root.toString('base64') !== rootText) throw new Problem('checkpoint: the root hash is not 32 bytes in base64');
  return { origin, size: Number(sizeText), root, body: Buffer.from(body, 'utf8'), signatures };
}

function parseVkey(vkey) {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(vkey);
  if (!m) throw new UsageError('--vkey: expected <name>+<key ID, 8 hex digits>+<base64 key>');
  const [, name, idHex, keyB64] = m;
  const key = Buffer.from(keyB64, 'base64');
  if (key.length !== 33 || key[0] !== 0x01) throw new UsageError('--vkey: not an Ed25519 verifier key (type 0x01, 32-byte public key)');
  const expected = sha256(Buffer.from(`${name}\n`, 'utf8'), key).subarray(0, 4);
  if (expected.toString('hex') !== idHex) throw new UsageError('--vkey: its key ID does not match its name and key');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.subarray(1).toString('base64url') }, format: 'jwk' });
  return { name, keyId: Buffer.from(idHex, 'hex'), publicKey };
}

/** The checkpoint must carry a valid signature by the key; one by that key that fails rejects it. */
function checkSignature(checkpoint, vkey) {
  const mine = checkpoint.signatures.filter((s) => s.name === vkey.name && s.keyId.equals(vkey.keyId));
  if (mine.length === 0) throw new Problem(`checkpoint: no signature by ${vkey.name}`);
  for (const s of mine) {
    if (s.signature.length !== 64 || !verifySignature(null, checkpoint.body, vkey.publicKey, s.signature)) {
      throw new Problem(`checkpoint: the signature by ${vkey.name} does not verify`);
    }
  }
}

/* ---------- Reading a copy ---------- */

/** Hashes at any level, read from DIR's tiles for a tree of `size` leaves (each tile read once). */
function tileReader(dir, size) {
  const cache = new Map();
  const tile = (level, index) => {
    const width = widthAt(level, index, size);
    if (width === 0) throw new Problem(`tile ${level}/${index} is not part of a tree of ${size}`);
    const path = tilePath(level, index, width);
    let bytes = cache.get(path);
    if (!bytes) {
      bytes = readFile(dir, path);
      if (bytes.length !== width * HASH_SIZE) throw new Problem(`${path}: ${bytes.length} bytes, expected ${width * HASH_SIZE}`);
      cache.set(path, bytes);
    }
    return { path, width, bytes };
  };
  const hashAt = (level, i) => {
    const t = tile(level, Math.floor(i / TILE_WIDTH));
    const at = (i % TILE_WIDTH) * HASH_SIZE;
    return t.bytes.subarray(at, at + HASH_SIZE);
  };
  /** Hash of the perfect subtree of 2^height leaves numbered `index` at that height. */
  const perfect = (height, index) => {
    const level = Math.floor(height / 8);
    const count = 2 ** (height - level * 8);
    const hashes = [];
    for (let i = 0; i < count; i++) hashes.push(hashAt(level, index * count + i));
    return rootOfHashes(hashes);
  };
  /** MTH(D[start:end]) for a range RFC 6962's recursion reaches. */
  const mth = (start, end) => {
    const n = end - start;
    if (n === 0) return EMPTY_ROOT;
    let height = 0;
    while (2 ** height < n) height++;
    if (2 ** height === n && start % n === 0) return perfect(height, start / n);
    const k = largestPowerOfTwoBelow(n);
    return hashChildren(mth(start, start + k), mth(start + k, end));
  };
  return { tile, hashAt, mth };
}

function readFile(dir, path) {
  try {
    return readFileSync(join(dir, path));
  } catch (error) {
    if (error.code === 'ENOENT') throw new Problem(`${path} is missing`);
    throw error;
  }
}

function readCheckpoint(dir, vkeyText) {
  const checkpoint = parseCheckpoint(readFile(dir, 'checkpoint'));
  if (vkeyText !== undefined) checkSignature(checkpoint, parseVkey(vkeyText));
  return checkpoint;
}

/** Everything verify promises; returns the checkpoint. */
export function verifyCopy(dir, vkeyText) {
  const checkpoint = readCheckpoint(dir, vkeyText);
  const { size } = checkpoint;
  const reader = tileReader(dir, size);
  for (const t of tilesFor(size)) {
    if (t.level === 'entries') {
      const path = tilePath('entries', t.index, t.width);
      const entries = parseBundle(readFile(dir, path), path);
      const hashes = reader.tile(0, t.index);
      if (entries.length !== t.width) throw new Problem(`${path}: ${entries.length} entries, expected ${t.width}`);
      entries.forEach((entry, i) => {
        if (!hashLeaf(entry).equals(reader.hashAt(0, t.index * TILE_WIDTH + i))) {
          throw new Problem(`${path}: entry ${t.index * TILE_WIDTH + i} does not hash to its leaf hash in ${hashes.path}`);
        }
      });
    } else if (t.level > 0) {
      const { path } = reader.tile(t.level, t.index);
      for (let i = 0; i < t.width; i++) {
        const below = t.index * TILE_WIDTH + i;
        const child = reader.tile(t.level - 1, below);
        const hashes = [];
        for (let j = 0; j < TILE_WIDTH; j++) hashes.push(child.bytes.subarray(j * HASH_SIZE, (j + 1) * HASH_SIZE));
        if (!rootOfHashes(hashes).equals(reader.hashAt(t.level, below))) throw new Problem(`${path}: hash ${i} is not the root of ${child.path}`);
      }
    } else {
      reader.tile(0, t.index);
    }
  }
  const root = reader.mth(0, size);
  if (!root.equals(checkpoint.root)) throw new Problem(`the tree of ${size} entries has root ${root.toString('base64')}, the checkpoint says ${checkpoint.root.toString('base64')}`);
  return checkpoint;
}

/** The RFC 6962 audit path of entry `index` in the checkpoint's tree, from the tiles (checked against the root). */
export function proofFromCopy(dir, index) {
  const checkpoint = readCheckpoint(dir);
  const { size } = checkpoint;
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new UsageError(`INDEX must be below the tree size ${size}`);
  const reader = tileReader(dir, size);
  const path = [];
  const walk = (m, start, end) => {
    const n = end - start;
    if (n <= 1) return;
    const k = largestPowerOfTwoBelow(n);
    if (m < k) {
      walk(m, start, start + k);
      path.push(reader.mth(start + k, end));
    } else {
      walk(m - k, start + k, end);
      path.push(reader.mth(start, start + k));
    }
  };
  walk(index, 0, size);
  const leafHash = reader.hashAt(0, index);
  // Fold the path back up to the root (RFC 9162 §2.1.3.2): a proof that does not reach it is not printed.
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) throw new Problem(`the tiles give entry ${index} too long a path`);
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0 || !r.equals(checkpoint.root)) throw new Problem(`the tiles do not lead entry ${index} to the checkpoint's root`);
  return { index, treeSize: size, leafHash: leafHash.toString('hex'), path: path.map((h) => h.toString('hex')), rootHash: checkpoint.root.toString('hex') };
}

/* ---------- Mirroring ---------- */

function prefixOf(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new UsageError(`not an http(s) URL: ${url}`);
  const base = parsed.href.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return base.endsWith('/transparency/tlog') ? base : `${base}/transparency/tlog`;
}

async function get(url) {
  let response;
  try {
    response = await fetch(url, { headers: { 'accept-encoding': 'gzip, identity' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (error) {
    throw new Error(`${url}: ${error.cause?.message ?? error.message}`);
  }
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Writes a file whole or not at all (a temporary name, then rename). */
function writeWhole(dir, path, bytes) {
  const target = join(dir, path);
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, target);
}

export async function mirror(url, dir, vkeyText) {
  const prefix = prefixOf(url);
  const vkey = vkeyText === undefined ? undefined : parseVkey(vkeyText);
  const note = await get(`${prefix}/checkpoint`);
  const checkpoint = parseCheckpoint(note);
  if (vkey) checkSignature(checkpoint, vkey);
  // The checkpoint an earlier run saved: the log must still extend it.
  const previous = existsSync(join(dir, 'checkpoint')) ? parseCheckpoint(readFileSync(join(dir, 'checkpoint'))) : undefined;
  if (previous && checkpoint.size < previous.size) {
    throw new Problem(`the log now has ${checkpoint.size} entries, fewer than the ${previous.size} of the checkpoint saved in ${dir}: entries were removed`);
  }
  const tiles = tilesFor(checkpoint.size);
  let fetched = 0;
  let bytes = 0;
  let failed = false;
  const worker = async () => {
    // The workers share one generator: each takes the next tile not in DIR yet.
    for (const t of tiles) {
      if (failed) return;
      const path = tilePath(t.level, t.index, t.width);
      if (existsSync(join(dir, path))) continue;
      let body;
      try {
        body = await get(`${prefix}/${path}`);
        if (t.level !== 'entries' && body.length !== t.width * HASH_SIZE) throw new Error(`${prefix}/${path}: ${body.length} bytes, expected ${t.width * HASH_SIZE}`);
        writeWhole(dir, path, body);
      } catch (error) {
        failed = true;
        throw error;
      }
      fetched += 1;
      bytes += body.length;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (previous && previous.size > 0 && !tileReader(dir, checkpoint.size).mth(0, previous.size).equals(previous.root)) {
    // The saved checkpoint is kept: it is the evidence.
    throw new Problem(`history was rewritten: the log's first ${previous.size} entries no longer give the root of the checkpoint saved in ${dir}`);
  }
  // The new checkpoint replaces the saved one only once the tiles fetched give its root: a log
  // serving tiles that do not match what it signed leaves the copy's saved checkpoint as it was.
  if (checkpoint.size > 0 && !tileReader(dir, checkpoint.size).mth(0, checkpoint.size).equals(checkpoint.root)) {
    throw new Problem(`the tiles served do not give the root of the log's checkpoint (size ${checkpoint.size}); the checkpoint saved in ${dir} is kept`);
  }
  writeWhole(dir, 'checkpoint', note);
  return { checkpoint, fetched, bytes };
}

/* ---------- Command line ---------- */

function options(args) {
  const out = { positional: [], verify: false, vkey: undefined };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--verify') out.verify = true;
    else if (a === '--vkey') {
      if (args[i + 1] === undefined) throw new UsageError('--vkey needs the log\'s verifier key');
      out.vkey = args[++i];
    } else if (a.startsWith('--vkey=')) out.vkey = a.slice('--vkey='.length);
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else out.positional.push(a);
  }
  return out;
}

const USAGE = `usage: node mirror-log.mjs URL DIR [--verify] [--vkey VKEY]
       node mirror-log.mjs verify DIR [--vkey VKEY]
       node mirror-log.mjs proof DIR INDEX`;

const good = (c) => `ok: ${c.origin}, tree size ${c.size}, root ${c.root.toString('base64')}`;

export async function main(argv) {
  try {
    const o = options(argv.slice(2));
    const [first, second, third] = o.positional;
    if (first === 'verify' && second && !third) {
      console.log(good(verifyCopy(second, o.vkey)));
    } else if (first === 'proof' && second && third && !o.verify && o.vkey === undefined) {
      if (!/^\d{1,15}$/.test(third)) throw new UsageError('INDEX must be a whole number');
      console.log(JSON.stringify(proofFromCopy(second, Number(third)), null, 2));
    } else if (first && second && !third && first !== 'verify' && first !== 'proof') {
      const { checkpoint, fetched, bytes } = await mirror(first, second, o.vkey);
      console.error(`fetched ${fetched} tiles (${bytes} bytes) for tree size ${checkpoint.size} into ${second}`);
      if (o.verify) console.log(good(verifyCopy(second, o.vkey)));
      else console.log(`copied: ${checkpoint.origin}, tree size ${checkpoint.size}, root ${checkpoint.root.toString('base64')} (not verified: add --verify)`);
    } else {
      throw new UsageError(USAGE);
    }
    return 0;
  } catch (error) {
    if (error instanceof Problem) {
      console.log(`FAILED: ${error.message}`);
      return 1;
    }
    console.error(error instanceof UsageError ? error.message : `error: ${error.message}`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv);
}
