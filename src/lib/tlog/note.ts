import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed notes (c2sp.org/signed-note), checkpoints (c2sp.org/tlog-checkpoint) and Ed25519
 * cosignatures (c2sp.org/tlog-cosignature, `cosignature/v1`). Pure: no database, no network; used
 * by the log (checkpoints it signs), by `besa witness` and by `besa monitor`.
 *
 * A note is a text ending in "\n", a blank line, then signature lines
 * `— <key name> base64(4-byte key ID || signature)`. A verifier key (vkey) is
 * `<key name>+<hex key ID>+base64(type byte || public key)`.
 */

export class NoteError extends Error {}

/** Signature type bytes (signed-note, "Signature types"). */
export const SIGNATURE_ED25519 = 0x01;
export const SIGNATURE_COSIGNATURE_V1 = 0x04;

/** At least 16 must be accepted (signed-note); more is refused as an oversized note. */
export const MAX_SIGNATURES = 64;
const EM_DASH = '\u2014';

export interface NoteSignature {
  name: string;
  /** The 4-byte key ID, as an unsigned 32-bit number. */
  keyId: number;
  /** The bytes after the key ID (for a cosignature: 8-byte timestamp, then the Ed25519 signature). */
  signature: Buffer;
  /** The whole line, without its newline. */
  line: string;
}

export interface ParsedNote {
  /** The note text, including its final newline. */
  text: string;
  signatures: NoteSignature[];
}

/** A known key: it recognises its own signature lines by name and key ID, and checks them. */
export interface NoteVerifier {
  name: string;
  keyId: number;
  type: number;
  /** The raw public key. */
  publicKey: Buffer;
  /**
   * For a cosignature, the timestamp it signed (POSIX seconds): `timestampText` always (decimal, up to
   * 2^63−1), `timestamp` only when it is a safe JavaScript integer. Returns undefined when the
   * signature does not verify (a cosignature with timestamp 0 never does).
   */
  verify(text: string, signature: Buffer): { timestamp?: number; timestampText?: string } | undefined;
}

export interface VerifiedSignature {
  name: string;
  keyId: number;
  type: number;
  /** Cosignatures only, when the timestamp is a safe integer (below 2^53). */
  timestamp?: number;
  /** Cosignatures only: the signed timestamp in decimal (up to 2^63−1). */
  timestampText?: string;
  line: string;
  /** The public key of the verifier that checked it. */
  publicKey: Buffer;
}

export interface OpenedNote extends ParsedNote {
  verified: VerifiedSignature[];
  /** Lines from keys the caller does not know (ignored, as the specification requires). */
  unknown: NoteSignature[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function strictBase64(text: string, what: string): Buffer {
  if (!BASE64.test(text) || text.length % 4 !== 0) throw new NoteError(`${what} is not standard base64`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) throw new NoteError(`${what} is not canonical base64`);
  return bytes;
}

/** Key names: non-empty, no Unicode spaces, no "+". */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name) && !/[\u0000-\u001f\u007f]/.test(name);
}

/** SHA-256(name || "\n" || type || public key)[:4], as a big-endian uint32. */
export function keyIdFor(name: string, type: number, publicKey: Buffer): number {
  const digest = createHash('sha256').update(Buffer.from(name, 'utf8')).update(Buffer.from([0x0a, type])).update(publicKey).digest();
  return digest.readUInt32BE(0);
}

export function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** `<name>+<hex key ID>+base64(type || public key)`. */
export function formatVkey(name: string, type: number, publicKey: Buffer): string {
  if (!isValidKeyName(name)) throw new NoteError(`key name "${name}" is empty or holds a space or "+"`);
  return `${name}+${keyIdHex(keyIdFor(name, type, publicKey))}+${Buffer.concat([Buffer.from([type]), publicKey]).toString('base64')}`;
}

export interface Vkey {
  name: string;
  keyId: number;
  type: number;
  publicKey: Buffer;
}

export function parseVkey(text: string): Vkey {
  // Split at the first two "+" only: the base64 key after them may hold "+" itself (as golang.org/x/mod/sumdb/note reads it).
  const trimmed = text.trim();
  const first = trimmed.indexOf('+');
  const second = first < 0 ? -1 : trimmed.indexOf('+', first + 1);
  if (second < 0) throw new NoteError('a verifier key is <name>+<hex key ID>+<base64 key>');
  const [name, hex, key] = [trimmed.slice(0, first), trimmed.slice(first + 1, second), trimmed.slice(second + 1)];
  if (!isValidKeyName(name)) throw new NoteError('the verifier key has no valid name');
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new NoteError('the verifier key ID is not 8 lowercase hex digits');
  const bytes = strictBase64(key, 'the verifier key');
  if (bytes.length < 2) throw new NoteError('the verifier key is empty');
  const type = bytes[0]!;
  const publicKey = bytes.subarray(1);
  if ((type === SIGNATURE_ED25519 || type === SIGNATURE_COSIGNATURE_V1) && publicKey.length !== 32) throw new NoteError('an Ed25519 verifier key is 32 bytes');
  const keyId = Number.parseInt(hex, 16);
  if (keyIdFor(name, type, publicKey) !== keyId) throw new NoteError('the verifier key ID does not match its name and key');
  return { name, keyId, type, publicKey };
}

export function ed25519PublicKeyObject(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new NoteError('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return Buffer.from(String(publicKey.export({ format: 'jwk' }).x), 'base64url');
}

/** Splits a note into its text and signature lines, checking the format (not the signatures). */
export function parseNote(note: string): ParsedNote {
  if (note.length > 1_000_000) throw new NoteError('the note is too large');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new NoteError('the note holds a control character');
  if (note.includes('\ufffd') && Buffer.from(note, 'utf8').toString('utf8') !== note) throw new NoteError('the note is not valid UTF-8');
  if (!note.endsWith('\n')) throw new NoteError('the note does not end in a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('the note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError(`the note has more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line) => parseSignatureLine(line));
  return { text, signatures };
}

export function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(`${EM_DASH} `)) throw new NoteError('a signature line starts with an em dash and a space');
  const rest = line.slice(2);
  const space = rest.indexOf(' ');
  if (space <= 0) throw new NoteError('a signature line is "— <name> <base64 signature>"');
  const name = rest.slice(0, space);
  const encoded = rest.slice(space + 1);
  if (!isValidKeyName(name)) throw new NoteError('a signature line has an invalid key name');
  const bytes = strictBase64(encoded, 'a signature');
  if (bytes.length < 5) throw new NoteError('a signature is shorter than its key ID');
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4), line };
}

export function signatureLine(name: string, keyId: number, signature: Buffer): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId >>> 0);
  return `${EM_DASH} ${name} ${Buffer.concat([id, signature]).toString('base64')}`;
}

/**
 * Verifies a note against known keys (signed-note, "Signatures"): lines from unknown keys are
 * ignored; a line from a known key that fails to verify rejects the note; a note with no
 * verified signature is rejected.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const parsed = parseNote(note);
  const verified: VerifiedSignature[] = [];
  const unknown: NoteSignature[] = [];
  for (const s of parsed.signatures) {
    // Several known keys may share a name and a key ID (a 32-bit collision): the line is good if any of them verifies it.
    const known = verifiers.filter((v) => v.name === s.name && v.keyId === s.keyId);
    if (known.length === 0) {
      unknown.push(s);
      continue;
    }
    let found: { verifier: NoteVerifier; result: { timestamp?: number; timestampText?: string } } | undefined;
    for (const v of known) {
      if (v.type === SIGNATURE_COSIGNATURE_V1) checkCosignatureTimestamp(s);
      const result = v.verify(parsed.text, s.signature);
      if (result) {
        found = { verifier: v, result };
        break;
      }
    }
    if (!found) throw new NoteError(`the signature of ${s.name} (${keyIdHex(s.keyId)}) does not verify`);
    const { verifier, result } = found;
    verified.push({
      name: s.name,
      keyId: s.keyId,
      type: verifier.type,
      ...(result.timestamp !== undefined ? { timestamp: result.timestamp } : {}),
      ...(result.timestampText !== undefined ? { timestampText: result.timestampText } : {}),
      line: s.line,
      publicKey: verifier.publicKey,
    });
  }
  if (verified.length === 0) throw new NoteError('no signature from a known key');
  return { ...parsed, verified, unknown };
}

const MAX_TIMESTAMP = (1n << 63n) - 1n;

/** Refuses, with a clear message, a cosignature line whose timestamp is 0 or above 2^63−1 (tlog-cosignature). */
function checkCosignatureTimestamp(s: NoteSignature): void {
  if (s.signature.length !== 72) return;
  const stamp = s.signature.readBigUInt64BE(0);
  if (stamp === 0n) throw new NoteError(`the cosignature of ${s.name} (${keyIdHex(s.keyId)}) has timestamp 0, which a witness must not send`);
  if (stamp > MAX_TIMESTAMP) throw new NoteError(`the cosignature of ${s.name} (${keyIdHex(s.keyId)}) has a timestamp above 2^63-1`);
}

/* ---------- Opening a checkpoint ---------- */

export interface CheckpointCosigner {
  name: string;
  keyId: number;
  publicKey: Buffer;
  /** POSIX seconds, when below 2^53. */
  timestamp?: number;
  /** POSIX seconds, in decimal. */
  timestampText: string;
  line: string;
}

export interface OpenedCheckpoint {
  note: OpenedNote;
  body: CheckpointBody;
  /** The log's verified signatures on it. */
  logSignatures: VerifiedSignature[];
  /**
   * The verified cosignatures, one per distinct public key: cosignature/v1 does not sign the
   * witness's name, so a line renamed (key ID recomputed) under a second name is the same witness
   * and is counted once.
   */
  cosigners: CheckpointCosigner[];
}

/**
 * Opens a checkpoint note: at least one of `logVerifiers` must have signed it, its text must be a
 * checkpoint, and the cosignatures by `witnessVerifiers` are returned, one per public key. Any
 * line of a known key that fails to verify rejects the note (openNote).
 */
export function openCheckpoint(note: string, logVerifiers: readonly NoteVerifier[], witnessVerifiers: readonly NoteVerifier[]): OpenedCheckpoint {
  const opened = openNote(note, [...logVerifiers, ...witnessVerifiers]);
  const logSet = new Set(logVerifiers.map((v) => v.publicKey.toString('hex') + v.name + v.keyId));
  const isLog = (s: VerifiedSignature): boolean => s.type === SIGNATURE_ED25519 && logSet.has(s.publicKey.toString('hex') + s.name + s.keyId);
  const logSignatures = opened.verified.filter(isLog);
  if (logSignatures.length === 0) throw new NoteError('the checkpoint bears no signature of the log key');
  const body = parseCheckpoint(opened.text);
  const seen = new Set<string>();
  const cosigners: CheckpointCosigner[] = [];
  for (const s of opened.verified) {
    if (s.type !== SIGNATURE_COSIGNATURE_V1 || s.timestampText === undefined) continue;
    const key = s.publicKey.toString('hex');
    if (seen.has(key)) continue;
    seen.add(key);
    cosigners.push({ name: s.name, keyId: s.keyId, publicKey: s.publicKey, ...(s.timestamp !== undefined ? { timestamp: s.timestamp } : {}), timestampText: s.timestampText, line: s.line });
  }
  return { note: opened, body, logSignatures, cosigners };
}

/* ---------- Ed25519 note signatures (type 0x01) ---------- */

export function ed25519Verifier(name: string, publicKey: Buffer): NoteVerifier {
  const key = ed25519PublicKeyObject(publicKey);
  return {
    name,
    keyId: keyIdFor(name, SIGNATURE_ED25519, publicKey),
    type: SIGNATURE_ED25519,
    publicKey,
    verify(text, signature) {
      if (signature.length !== 64) return undefined;
      try {
        return verify(null, Buffer.from(text, 'utf8'), key, signature) ? {} : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** A verifier from a vkey (type 0x01 or 0x04). */
export function verifierFromVkey(vkey: string | Vkey): NoteVerifier {
  const k = typeof vkey === 'string' ? parseVkey(vkey) : vkey;
  if (k.type === SIGNATURE_ED25519) return ed25519Verifier(k.name, k.publicKey);
  if (k.type === SIGNATURE_COSIGNATURE_V1) return cosignatureVerifier(k.name, k.publicKey);
  throw new NoteError(`signature type 0x${k.type.toString(16).padStart(2, '0')} is not supported`);
}

/** The signature line of `name`'s Ed25519 key over `text`. */
export function signNoteLine(text: string, name: string, privateKey: KeyObject): string {
  if (!isValidKeyName(name)) throw new NoteError(`key name "${name}" is empty or holds a space or "+"`);
  if (!text.endsWith('\n')) throw new NoteError('a note text ends in a newline');
  const id = keyIdFor(name, SIGNATURE_ED25519, rawEd25519PublicKey(privateKey));
  return signatureLine(name, id, sign(null, Buffer.from(text, 'utf8'), privateKey));
}

/** A whole note: text, blank line, signature lines. */
export function assembleNote(text: string, lines: readonly string[]): string {
  return `${text}\n${lines.map((l) => `${l}\n`).join('')}`;
}

/* ---------- Cosignatures (type 0x04, cosignature/v1) ---------- */

export function cosignedMessage(checkpointText: string, timestamp: number | bigint): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`, 'utf8');
}

export function cosignatureVerifier(name: string, publicKey: Buffer): NoteVerifier {
  const key = ed25519PublicKeyObject(publicKey);
  return {
    name,
    keyId: keyIdFor(name, SIGNATURE_COSIGNATURE_V1, publicKey),
    type: SIGNATURE_COSIGNATURE_V1,
    publicKey,
    verify(text, signature) {
      if (signature.length !== 72) return undefined;
      const stamp = signature.readBigUInt64BE(0);
      // A witness must not send timestamp 0; the specification caps timestamps at 2^63−1.
      if (stamp === 0n || stamp > MAX_TIMESTAMP) return undefined;
      try {
        if (!verify(null, cosignedMessage(text, stamp), key, signature.subarray(8))) return undefined;
      } catch {
        return undefined;
      }
      const timestampText = stamp.toString();
      return stamp <= BigInt(Number.MAX_SAFE_INTEGER) ? { timestamp: Number(stamp), timestampText } : { timestampText };
    },
  };
}

/** A cosignature line by `name` on a checkpoint's text, at `timestamp` (POSIX seconds). */
export function cosignLine(checkpointText: string, name: string, privateKey: KeyObject, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp <= 0) throw new NoteError('a cosignature timestamp is a positive number of seconds');
  const id = keyIdFor(name, SIGNATURE_COSIGNATURE_V1, rawEd25519PublicKey(privateKey));
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(timestamp));
  return signatureLine(name, id, Buffer.concat([stamp, sign(null, cosignedMessage(checkpointText, timestamp), privateKey)]));
}

/* ---------- Checkpoints (tlog-checkpoint) ---------- */

export interface CheckpointBody {
  origin: string;
  size: number;
  root: Buffer;
  /** Extension lines (not used by Besa; kept when read). */
  extensions: string[];
}

export function formatCheckpoint(origin: string, size: number, root: Buffer): string {
  if (origin.length === 0 || origin.includes('\n')) throw new NoteError('a checkpoint origin is one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new NoteError('a tree size is a non-negative integer');
  if (root.length !== 32) throw new NoteError('a root hash is 32 bytes');
  return `${origin}\n${size}\n${root.toString('base64')}\n`;
}

export function parseCheckpoint(text: string): CheckpointBody {
  if (!text.endsWith('\n')) throw new NoteError('a checkpoint text ends in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteError('a checkpoint has an origin, a tree size and a root hash');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new NoteError('the checkpoint origin is empty');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new NoteError('the checkpoint tree size is not a decimal number without leading zeroes');
  const root = strictBase64(rootText, 'the checkpoint root hash');
  if (root.length !== 32) throw new NoteError('the checkpoint root hash is not 32 bytes');
  if (extensions.some((l) => l.length === 0)) throw new NoteError('a checkpoint extension line is empty');
  return { origin, size: Number(sizeText), root, extensions };
}

/** Reads a PKCS#8 Ed25519 private key (PEM). */
export function ed25519PrivateKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new NoteError('the key is not an Ed25519 key');
  return key;
}
