#!/usr/bin/env node
/**
 * Verifies a Besa transparency log offline, from the downloaded file alone.
 * Plain Node.js (18 or later), no database, no packages: only node:crypto, node:fs and node:url.
 *
 *   node verify-log.mjs log.json                              check the whole log
 *   node verify-log.mjs log.json --previous checkpoint.json   …and that a checkpoint saved earlier (JSON, or a signed note)
 *                                                             is still a prefix of it (nothing removed
 *                                                             or rewritten, even if every later checkpoint
 *                                                             was signed again with the log's own key)
 *   node verify-log.mjs log.json --json                       print the result as JSON
 *
 * log.json is GET /transparency/log.json; checkpoint.json is GET /transparency/checkpoint.
 *
 * Checks, stopping at the first problem and naming the first bad entry:
 *  - entries are numbered 0, 1, 2, … without gaps, and each leaf names its own index;
 *  - each leaf hash is SHA-256(0x00 || leaf) (RFC 9162 §2.1.1);
 *  - the Merkle tree root (RFC 9162 §2.1.1) recomputed for every checkpoint's tree size equals the
 *    signed root, and each checkpoint's Ed25519 signature is valid for the log's public key, over
 *    the text of its note format ("noteFormat"):
 *      2 (since 2026): a C2SP checkpoint (c2sp.org/tlog-checkpoint), "<origin>\n<tree size>\n<root hash base64>\n",
 *        signed as a C2SP signed note (c2sp.org/signed-note) under the key name <origin>; when the
 *        checkpoint carries its "note", that note must be this text with a valid signature line of the key;
 *      1 (older checkpoints, or "noteFormat" absent):
 *        "besa-checkpoint/v1\n<origin>\n<tree size>\n<root hash base64>\n<issued at>\n";
 *  - every entry is covered by a checkpoint;
 *  - the signing keys form a chain: the first checkpoint's key signs until an entry changes keys.
 *    After a "signing_key.rotated" entry at index i, the checkpoint of size i + 1 must exist and be
 *    signed by the previous key, and every later one by the key the entry names; after a
 *    "signing_key.adopted" entry (an instance that took the log over without the previous key) the
 *    named key signs from size i + 1 on, and the output names the adoption;
 *  - with --previous (the JSON of GET /transparency/checkpoint, or the C2SP signed note of
 *    GET /transparency/tlog/checkpoint: witnesses' cosignatures in it are ignored, the log's own
 *    signature line must verify): the saved checkpoint is validly signed by one of the log's keys, its root
 *    equals the root of the first <tree size> entries of the log, and an RFC 9162 §2.1.4
 *    consistency proof from it to the latest checkpoint verifies.
 * Exit code 0 when everything holds, 1 when verification fails, 2 on usage or file errors.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const CHECKPOINT_FORMAT = 'besa-checkpoint/v1';
const NOTE_FORMAT_BESA_V1 = 1;
const NOTE_FORMAT_C2SP = 2;
const SIGNATURE_ED25519 = 0x01;

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const hashLeaf = (text) => sha256(Buffer.from([0]), Buffer.from(text, 'utf8'));
const hashChildren = (l, r) => sha256(Buffer.from([1]), l, r);
const EMPTY_ROOT = sha256();

/** Appends one leaf hash to a compact range (the perfect subtrees along the right edge). */
function appendLeaf(state, leafHash) {
  let hash = leafHash;
  let bits = state.size;
  while (bits % 2 === 1) {
    hash = hashChildren(state.range.pop(), hash);
    bits = Math.floor(bits / 2);
  }
  state.range.push(hash);
  state.size += 1;
}

function rootOf(range) {
  if (range.length === 0) return EMPTY_ROOT;
  let acc = range[range.length - 1];
  for (let i = range.length - 2; i >= 0; i -= 1) acc = hashChildren(range[i], acc);
  return acc;
}

function largestPowerOfTwoBelow(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[start:end]) by the RFC's definition, over leaf hashes. */
function mth(leaves, start, end) {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[start];
  const k = largestPowerOfTwoBelow(n);
  return hashChildren(mth(leaves, start, start + k), mth(leaves, start + k, end));
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]). */
function consistencyProof(leaves, m, n) {
  const out = [];
  const subproof = (first, start, end, complete) => {
    const size = end - start;
    if (first === size) {
      if (!complete) out.push(mth(leaves, start, end));
      return;
    }
    const k = largestPowerOfTwoBelow(size);
    if (first <= k) {
      subproof(first, start, start + k, complete);
      out.push(mth(leaves, start + k, end));
    } else {
      subproof(first - k, start + k, end, false);
      out.push(mth(leaves, start, start + k));
    }
  };
  if (m > 0 && m < n) subproof(m, 0, n, true);
  return out;
}

/** RFC 9162 §2.1.4.2. */
function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  if (first > second) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0 && firstRoot.equals(EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = [...proof];
  let p = 1;
  while (p < first) p *= 2;
  if (p === first) path.unshift(firstRoot);
  const half = (x) => Math.floor(x / 2);
  const lsb = (x) => x % 2 === 1;
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!lsb(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

function publicKeyFromRaw(rawBase64) {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(rawBase64, 'base64').toString('base64url') }, format: 'jwk' });
}

function checkpointText(origin, treeSize, rootHash, issuedAt) {
  return `${CHECKPOINT_FORMAT}\n${origin}\n${treeSize}\n${rootHash.toString('base64')}\n${issuedAt}\n`;
}

/** c2sp.org/tlog-checkpoint: origin, tree size, base64 root hash, each line ending in a newline. */
function checkpointNoteText(origin, treeSize, rootHash) {
  return `${origin}\n${treeSize}\n${rootHash.toString('base64')}\n`;
}

/* ---------- C2SP signed notes (c2sp.org/signed-note), Ed25519 only ---------- */

class NoteError extends Error {}

function strictBase64(text, what) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new NoteError(`${what} is not standard base64`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) throw new NoteError(`${what} is not canonical base64`);
  return bytes;
}

/** Key ID: SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian. */
function keyIdFor(name, type, publicKey) {
  return sha256(Buffer.from(`${name}\n`, 'utf8'), Buffer.from([type]), publicKey).readUInt32BE(0);
}

/** Splits a note into its text (ending in a newline) and signature lines { name, keyId, signature }. */
function parseNote(note) {
  if (typeof note !== 'string') throw new NoteError('the note is not text');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new NoteError('the note holds a control character');
  if (!note.endsWith('\n')) throw new NoteError('the note does not end in a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('the note has no blank line before its signatures');
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > 64) throw new NoteError('the note has too many signatures');
  const signatures = lines.map((line) => {
    const match = /^\u2014 ([^ ]+) ([^ ]+)$/u.exec(line);
    if (!match || /[\s+]/u.test(match[1])) throw new NoteError('a signature line is not "— <key name> <base64 signature>"');
    const bytes = strictBase64(match[2], 'a signature');
    if (bytes.length < 5) throw new NoteError('a signature is shorter than its key ID');
    return { name: match[1], keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
  });
  return { text: note.slice(0, split + 1), signatures };
}

/** c2sp.org/tlog-checkpoint note text: origin, size (no leading zeroes), 32-byte base64 root, then optional extension lines. */
function parseCheckpointText(text) {
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3 || lines[0] === '') throw new NoteError('a checkpoint has an origin, a tree size and a root hash');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(lines[1]) || !Number.isSafeInteger(Number(lines[1]))) throw new NoteError('the checkpoint tree size is not a decimal number');
  const root = strictBase64(lines[2], 'the checkpoint root hash');
  if (root.length !== 32) throw new NoteError('the checkpoint root hash is not 32 bytes');
  if (lines.slice(3).some((l) => l === '')) throw new NoteError('a checkpoint extension line is empty');
  return { origin: lines[0], treeSize: Number(lines[1]), rootHash: root };
}

function ed25519Valid(publicKeyBase64, text, signature) {
  try {
    return signature.length === 64 && verify(null, Buffer.from(text, 'utf8'), publicKeyFromRaw(publicKeyBase64), signature);
  } catch {
    return false;
  }
}

/**
 * Opens a signed note with the log's keys (each an Ed25519 key named by its origin): lines of
 * other keys (witnesses' cosignatures) are ignored; a line of a log key that does not verify
 * rejects the note; so does a note no log key signed. Returns the keys whose signatures verified.
 */
function openNote(note, keys) {
  const { text, signatures } = parseNote(note);
  const signers = [];
  for (const s of signatures) {
    const key = keys.find((k) => k.origin === s.name && keyIdFor(k.origin, SIGNATURE_ED25519, Buffer.from(k.publicKey, 'base64')) === s.keyId);
    if (!key) continue;
    if (!ed25519Valid(key.publicKey, text, s.signature)) throw new NoteError(`the signature of ${s.name} does not verify`);
    signers.push(key);
  }
  if (signers.length === 0) throw new NoteError('no signature from a key of this log');
  return { text, signers };
}

const noteFormatOf = (checkpoint) => (checkpoint.noteFormat === undefined || checkpoint.noteFormat === null ? NOTE_FORMAT_BESA_V1 : checkpoint.noteFormat);

/** A checkpoint's signature by `key` over the text of its note format; for format 2, its "note" too when it carries one. */
function signatureValid(key, checkpoint, rootHash) {
  try {
    const format = noteFormatOf(checkpoint);
    const signature = Buffer.from(String(checkpoint.signature), 'base64');
    if (format === NOTE_FORMAT_BESA_V1) return ed25519Valid(key.publicKey, checkpointText(key.origin, checkpoint.treeSize, rootHash, checkpoint.issuedAt), signature);
    if (format !== NOTE_FORMAT_C2SP) return false;
    const text = checkpointNoteText(key.origin, checkpoint.treeSize, rootHash);
    if (!ed25519Valid(key.publicKey, text, signature)) return false;
    if (checkpoint.note === undefined || checkpoint.note === null) return true;
    const opened = openNote(checkpoint.note, [key]);
    return opened.text === text;
  } catch {
    return false;
  }
}

const isHash = (s) => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);

/**
 * Verifies a parsed log document, and optionally a previously saved checkpoint against it.
 * Returns { ok, treeSize, checkpointsChecked, firstBadIndex?, reason?, previous? }.
 */
export function verifyLogDocument(log, previous) {
  const fail = (treeSize, checked, firstBadIndex, reason) => ({ ok: false, treeSize, checkpointsChecked: checked, firstBadIndex, reason });
  if (!log || typeof log !== 'object' || !Array.isArray(log.entries) || !Array.isArray(log.checkpoints) || !Array.isArray(log.keys)) {
    return { ok: false, treeSize: 0, checkpointsChecked: 0, reason: 'not a Besa transparency log (entries, checkpoints and keys expected)' };
  }
  const keys = new Map(log.keys.map((k) => [k.id, k]));
  const bySize = new Map();
  for (const c of log.checkpoints) bySize.set(c.treeSize, c);
  const state = { size: 0, range: [] };
  const leafHashes = [];
  let checked = 0;
  let lastGood = 0;
  let signer; // the public key that signs the log at this point
  let pending; // a rotation waiting for its checkpoint
  const keyChanges = [];

  for (const entry of log.entries) {
    const i = state.size;
    if (!entry || entry.index !== i) return fail(i, checked, i, `entry ${i} is missing (found ${entry?.index} in its place)`);
    if (typeof entry.leaf !== 'string') return fail(i, checked, i, `entry ${i} has no leaf text`);
    const leafHash = hashLeaf(entry.leaf);
    if (entry.leafHash !== undefined && entry.leafHash !== leafHash.toString('hex')) return fail(i, checked, i, `entry ${i}: the leaf hash does not match the leaf text`);
    let leaf;
    try {
      leaf = JSON.parse(entry.leaf);
    } catch {
      return fail(i, checked, i, `entry ${i}: the leaf is not JSON`);
    }
    if (leaf?.index !== i) return fail(i, checked, i, `entry ${i} is out of place: its leaf says it is entry ${leaf?.index}`);
    if (leaf.action === 'signing_key.rotated' || leaf.action === 'signing_key.adopted') {
      const named = leaf.summary;
      if (typeof named?.publicKey !== 'string' || typeof named.keyId !== 'number') return fail(i, checked, i, `entry ${i} changes the signing key but names none`);
      const listed = keys.get(named.keyId);
      if (listed && listed.publicKey !== named.publicKey) return fail(i, checked, i, `entry ${i} names key ${named.keyId} with another public key than the log lists`);
      if (leaf.action === 'signing_key.rotated') pending = { index: i, publicKey: named.publicKey };
      else {
        // An adoption vouches for nothing before it: every earlier entry must already be under a checkpoint of the previous key.
        if (lastGood !== i) return fail(i, checked, lastGood, `the key adoption at entry ${i} follows entries from ${lastGood} to ${i - 1} that no checkpoint of the previous key covers`);
        signer = named.publicKey;
      }
      keyChanges.push({ index: i, keyId: named.keyId, kind: leaf.action === 'signing_key.rotated' ? 'rotated' : 'adopted' });
    }
    appendLeaf(state, leafHash);
    leafHashes.push(leafHash);
    const checkpoint = bySize.get(state.size);
    if (checkpoint) {
      const root = rootOf(state.range);
      if (!isHash(checkpoint.rootHash) || root.toString('hex') !== checkpoint.rootHash) {
        return fail(state.size, checked, lastGood, `the entries do not give the root hash signed in the checkpoint of size ${checkpoint.treeSize}: an entry from ${lastGood} to ${checkpoint.treeSize - 1} was changed`);
      }
      const key = keys.get(checkpoint.keyId);
      if (!key || !signatureValid(key, checkpoint, root)) return fail(state.size, checked, lastGood, `the signature of the checkpoint of size ${checkpoint.treeSize} is not valid`);
      if (signer === undefined) signer = key.publicKey;
      if (key.publicKey !== signer) {
        return fail(state.size, checked, lastGood, `the checkpoint of size ${checkpoint.treeSize} is signed by key ${checkpoint.keyId}, which does not sign the log there: a key signs only after the entry that announces it, and that entry's checkpoint is signed by the key before it`);
      }
      checked += 1;
      lastGood = state.size;
    }
    if (pending && state.size === pending.index + 1) {
      if (!checkpoint) return fail(state.size, checked, pending.index, `the key change at entry ${pending.index} has no checkpoint of its own signed by the previous key`);
      signer = pending.publicKey;
      pending = undefined;
    }
  }
  const size = state.size;
  const beyond = log.checkpoints.find((c) => c.treeSize > size);
  if (beyond) return fail(size, checked, size, `entry ${size} is missing: the checkpoint of size ${beyond.treeSize} covers it`);
  if (size > lastGood) return fail(size, checked, lastGood, `entries from ${lastGood} on are not covered by a signed checkpoint`);
  const result = { ok: true, treeSize: size, checkpointsChecked: checked, ...(keyChanges.length > 0 ? { keyChanges } : {}) };

  if (previous) {
    let p = previous;
    if (typeof previous === 'string') {
      // A C2SP checkpoint note: the log's own signature line must verify, its origin be that key's.
      let opened;
      let body;
      try {
        parseNote(previous);
      } catch (error) {
        return { ...result, ok: false, reason: `the previous checkpoint file is neither a Besa checkpoint (JSON) nor a C2SP checkpoint note: ${error.message}` };
      }
      try {
        opened = openNote(previous, log.keys);
      } catch (error) {
        return { ...result, ok: false, reason: /no signature/.test(error.message) ? 'the previous checkpoint was signed with a key this log does not publish' : 'the signature of the previous checkpoint is not valid' };
      }
      try {
        body = parseCheckpointText(opened.text);
      } catch (error) {
        return { ...result, ok: false, reason: `the previous note is not a C2SP checkpoint: ${error.message}` };
      }
      const key = opened.signers.find((k) => k.origin === body.origin);
      if (!key) return { ...result, ok: false, reason: `the previous checkpoint's origin ${body.origin} is not the origin of the log key that signed it` };
      if (body.treeSize < 1) return { ...result, ok: false, reason: 'the previous checkpoint covers no entry' };
      p = { treeSize: body.treeSize, rootHash: body.rootHash.toString('hex'), keyId: key.id };
    } else {
      if (!p || !Number.isInteger(p.treeSize) || p.treeSize < 1 || !isHash(p.rootHash)) return { ...result, ok: false, reason: 'the previous checkpoint file is not a Besa checkpoint' };
      const key = keys.get(p.keyId);
      if (!key || (p.publicKey && p.publicKey !== key.publicKey)) return { ...result, ok: false, reason: 'the previous checkpoint was signed with a key this log does not publish' };
      if (!signatureValid(key, p, Buffer.from(p.rootHash, 'hex'))) return { ...result, ok: false, reason: 'the signature of the previous checkpoint is not valid' };
    }
    const oldRoot = Buffer.from(p.rootHash, 'hex');
    // Only note format 1 signs issuedAt; a format-2 (C2SP) checkpoint's time is recorded beside it, not signed.
    const signed = p.issuedAt !== undefined ? ` (${noteFormatOf(p) === NOTE_FORMAT_BESA_V1 ? 'signed' : 'recorded'} ${p.issuedAt})` : '';
    if (p.treeSize > size) return { ...result, ok: false, firstBadIndex: size, reason: `the log has ${size} entries, fewer than the ${p.treeSize} of the previous checkpoint: entries were removed` };
    const recomputed = mth(leafHashes, 0, p.treeSize);
    const newRoot = rootOf(state.range);
    const proof = consistencyProof(leafHashes, p.treeSize, size);
    const consistent = verifyConsistency(p.treeSize, size, oldRoot, newRoot, proof);
    if (!recomputed.equals(oldRoot) || !consistent) {
      // Which entry differs cannot be told without the old entries: name the range it covered.
      return { ...result, ok: false, reason: `history was rewritten: the first ${p.treeSize} entries no longer give the root of the previous checkpoint${signed}` };
    }
    result.previous = { treeSize: p.treeSize, ...(p.issuedAt !== undefined ? { issuedAt: p.issuedAt } : {}), consistentWith: size };
  }
  return result;
}

function main(argv) {
  const args = argv.slice(2);
  const asJson = args.includes('--json');
  const positional = [];
  let previousPath;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--json') continue;
    if (args[i] === '--previous') previousPath = args[++i];
    else positional.push(args[i]);
  }
  if (positional.length !== 1 || (args.includes('--previous') && !previousPath)) {
    process.stderr.write('usage: node verify-log.mjs <log.json> [--previous <checkpoint.json or checkpoint note>] [--json]\n');
    return 2;
  }
  let log;
  let previous;
  try {
    log = JSON.parse(readFileSync(positional[0], 'utf8'));
    if (previousPath) {
      // The JSON of GET /transparency/checkpoint, or a C2SP signed note (GET /transparency/tlog/checkpoint).
      const text = readFileSync(previousPath, 'utf8');
      previous = text.trimStart().startsWith('{') ? JSON.parse(text) : text;
    }
  } catch (error) {
    process.stderr.write(`cannot read: ${error.message}\n`);
    return 2;
  }
  const result = verifyLogDocument(log, previous);
  if (asJson) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else if (result.ok) {
    process.stdout.write(`OK: ${result.treeSize} entries, ${result.checkpointsChecked} signed checkpoints verified\n`);
    for (const change of result.keyChanges ?? []) {
      process.stdout.write(
        change.kind === 'rotated'
          ? `key ${change.keyId} signs from entry ${change.index}: a rotation, vouched for by the key before it\n`
          : `key ${change.keyId} signs from entry ${change.index}: an adoption, NOT vouched for by the key before it (an import, or a lost key)\n`,
      );
    }
    if (result.previous) process.stdout.write(`OK: the checkpoint of ${result.previous.treeSize} entries${result.previous.issuedAt !== undefined ? ` (${result.previous.issuedAt})` : ''} is consistent with the log of ${result.previous.consistentWith} entries: nothing it covered was rewritten\n`);
  } else {
    process.stdout.write(`FAILED: ${result.reason}\n`);
    if (result.firstBadIndex !== undefined) process.stdout.write(`first bad entry: ${result.firstBadIndex}\n`);
  }
  return result.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = main(process.argv);
}
