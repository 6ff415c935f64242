import { createHash } from 'node:crypto';

/**
 * Merkle tree hashing, proofs and proof verification exactly as RFC 9162 §2.1 (Certificate
 * Transparency 2.0) defines them, with SHA-256:
 *
 *   leaf hash  MTH({d0})   = SHA-256(0x00 || d0)
 *   node hash  MTH(D[n])   = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of 2 < n
 *   empty tree MTH({})     = SHA-256()
 *
 * Storage keeps every *perfect* subtree (a power-of-two run of leaves starting at a multiple of its
 * size) as node (level, index), covering leaves [index·2^level, (index+1)·2^level). Every subtree
 * the RFC's recursion visits is a run of such perfect subtrees, so proofs for any tree size are
 * O(log n) lookups, and an append only needs the right edge of the tree (the compact range).
 */

export type Hash = Buffer;

export function sha256(...parts: Buffer[]): Hash {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function hashLeaf(leaf: Buffer | string): Hash {
  return sha256(LEAF_PREFIX, typeof leaf === 'string' ? Buffer.from(leaf, 'utf8') : leaf);
}

export function hashChildren(left: Hash, right: Hash): Hash {
  return sha256(NODE_PREFIX, left, right);
}

export const EMPTY_ROOT: Hash = sha256();

/** The largest power of two strictly smaller than n (n ≥ 2). */
export function largestPowerOfTwoBelow(n: number): number {
  if (n < 2) throw new RangeError('n must be at least 2');
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[0:n]) straight from the RFC's definition: the reference the faster paths are tested against. */
export function rootFromLeafHashes(leafHashes: readonly Hash[], start = 0, end = leafHashes.length): Hash {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leafHashes[start]!;
  const k = largestPowerOfTwoBelow(n);
  return hashChildren(rootFromLeafHashes(leafHashes, start, start + k), rootFromLeafHashes(leafHashes, start + k, end));
}

/* ---------- Perfect subtrees and ranges ---------- */

/** A perfect subtree: covers leaves [index·2^level, (index+1)·2^level). Level 0 is a leaf. */
export interface NodeRef {
  level: number;
  index: number;
}

export interface Range {
  start: number;
  end: number;
}

/**
 * The perfect subtrees that make up [start, end), left to right, for a range the RFC's
 * recursion produces (start is a multiple of the smallest power of two ≥ end − start).
 * MTH of the range is the right fold of their hashes.
 */
export function rangeNodes(start: number, end: number): NodeRef[] {
  const refs: NodeRef[] = [];
  let offset = start;
  let remaining = end - start;
  while (remaining > 0) {
    let size = 1;
    let level = 0;
    while (size * 2 <= remaining) {
      size *= 2;
      level += 1;
    }
    if (offset % size !== 0) throw new RangeError(`range [${start}, ${end}) is not a subtree of the Merkle tree`);
    refs.push({ level, index: offset / size });
    offset += size;
    remaining -= size;
  }
  return refs;
}

/** Right fold of subtree hashes, the way MTH combines a range's perfect subtrees. */
export function foldRight(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_ROOT;
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i -= 1) acc = hashChildren(hashes[i]!, acc);
  return acc;
}

/** The ranges whose MTH form the audit path of leaf m in a tree of size n (RFC 9162 §2.1.3.1), leaf end first. */
export function inclusionProofRanges(m: number, n: number): Range[] {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || m >= n) throw new RangeError('need 0 ≤ index < size');
  const out: Range[] = [];
  const path = (index: number, start: number, end: number): void => {
    const size = end - start;
    if (size <= 1) return;
    const k = largestPowerOfTwoBelow(size);
    if (index < k) {
      path(index, start, start + k);
      out.push({ start: start + k, end });
    } else {
      path(index - k, start + k, end);
      out.push({ start, end: start + k });
    }
  };
  path(m, 0, n);
  return out;
}

/** The ranges whose MTH form the consistency proof between sizes m and n (RFC 9162 §2.1.4.1). */
export function consistencyProofRanges(m: number, n: number): Range[] {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || m > n) throw new RangeError('need 0 ≤ first ≤ second');
  const out: Range[] = [];
  if (m === 0 || m === n) return out;
  const subproof = (first: number, start: number, end: number, complete: boolean): void => {
    const size = end - start;
    if (first === size) {
      if (!complete) out.push({ start, end });
      return;
    }
    const k = largestPowerOfTwoBelow(size);
    if (first <= k) {
      subproof(first, start, start + k, complete);
      out.push({ start: start + k, end });
    } else {
      subproof(first - k, start + k, end, false);
      out.push({ start, end: start + k });
    }
  };
  subproof(m, 0, n, true);
  return out;
}

/** The right edge of a tree of size n: its perfect subtrees from left to right (one per set bit of n). */
export function compactRangeNodes(n: number): NodeRef[] {
  return rangeNodes(0, n);
}

/**
 * Appends leaves to a compact range (the hashes of compactRangeNodes(size), left to right).
 * Returns the new compact range and every perfect subtree completed on the way, to be stored.
 */
export function appendToCompactRange(
  size: number,
  range: readonly Hash[],
  leafHashes: readonly Hash[],
): { size: number; range: Hash[]; completed: Array<NodeRef & { hash: Hash }> } {
  const stack = [...range];
  const completed: Array<NodeRef & { hash: Hash }> = [];
  let n = size;
  for (const leaf of leafHashes) {
    let hash = leaf;
    let level = 0;
    let index = n;
    // Each trailing 1 bit of n is a left sibling waiting on the stack.
    let bits = n;
    while (bits % 2 === 1) {
      hash = hashChildren(stack.pop()!, hash);
      level += 1;
      index = Math.floor(index / 2);
      bits = Math.floor(bits / 2);
      completed.push({ level, index, hash });
    }
    stack.push(hash);
    n += 1;
  }
  return { size: n, range: stack, completed };
}

/* ---------- In-memory tree (tests, the verifier) ---------- */

/** Every perfect subtree of a list of leaf hashes, for proofs without a database. */
export class MemoryTree {
  private readonly levels: Hash[][] = [[]];

  constructor(leafHashes: readonly Hash[] = []) {
    for (const h of leafHashes) this.append(h);
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  append(leafHash: Hash): void {
    this.levels[0]!.push(leafHash);
    let level = 0;
    let index = this.levels[0]!.length - 1;
    while (index % 2 === 1) {
      const below = this.levels[level]!;
      const parent = hashChildren(below[index - 1]!, below[index]!);
      level += 1;
      index = (index - 1) / 2;
      (this.levels[level] ??= []).push(parent);
    }
  }

  node(ref: NodeRef): Hash {
    const hash = this.levels[ref.level]?.[ref.index];
    if (!hash) throw new RangeError(`no node ${ref.level}/${ref.index}`);
    return hash;
  }

  rangeHash(range: Range): Hash {
    return foldRight(rangeNodes(range.start, range.end).map((r) => this.node(r)));
  }

  root(size = this.size): Hash {
    if (size > this.size) throw new RangeError('size beyond the tree');
    return this.rangeHash({ start: 0, end: size });
  }

  inclusionProof(index: number, size = this.size): Hash[] {
    return inclusionProofRanges(index, size).map((r) => this.rangeHash(r));
  }

  consistencyProof(first: number, second = this.size): Hash[] {
    return consistencyProofRanges(first, second).map((r) => this.rangeHash(r));
  }
}

/* ---------- Verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ---------- */

const half = (x: number) => Math.floor(x / 2);

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
const lsb = (x: number) => x % 2 === 1;

/** RFC 9162 §2.1.3.2: does the audit path prove leafHash is leaf `index` of the tree with this root? */
export function verifyInclusion(index: number, size: number, leafHash: Hash, proof: readonly Hash[], root: Hash): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: does the proof show the tree of size `first` is a prefix of the tree of size `second`? */
export function verifyConsistency(first: number, second: number, firstRoot: Hash, secondRoot: Hash, proof: readonly Hash[]): boolean {
  if (!Number.isInteger(first) || !Number.isInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  // The empty tree is a prefix of every tree; there is nothing to prove.
  if (first === 0) return proof.length === 0 && firstRoot.equals(EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = [...proof];
  if (isPowerOfTwo(first)) path.unshift(firstRoot);
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}
