import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Executor } from '../../db/database.js';
import { tdb } from './tables.js';
import { assembleNote, formatCheckpoint, formatVkey, keyIdFor, signatureLine, SIGNATURE_ED25519 } from '../../lib/tlog/note.js';

/**
 * The log's Ed25519 signing key. Its private half lives outside the database (a file named by
 * BESA_SIGNING_KEY_FILE, or BESA_SIGNING_KEY in the environment: see signing-key.ts); the
 * database keeps only the public keys the log has signed with (ADR 0010). Every process sharing
 * the database loads the same key at start (prepareSigningKey) and signs with it.
 *
 * A checkpoint (signed tree head) signs exactly this text, UTF-8, every line ending in "\n":
 *
 *   besa-checkpoint/v1
 *   <origin>                     e.g. besa-log/3f2a9c0d1e2b4a5c (from the public key's SHA-256)
 *   <tree size, decimal>
 *   <root hash, standard base64 of the 32 bytes>
 *   <issued at, ISO-8601 UTC>
 *
 * The signature is Ed25519 (RFC 8032) over those bytes, published in standard base64; the public
 * key is published as the raw 32 bytes in base64 and as an SPKI PEM.
 *
 * That was note format 1. Since migration 0030 every new checkpoint is note format 2 (ADR 0012): a
 * C2SP tlog-checkpoint signed note, the Ed25519 signature over `<origin>\n<size>\n<base64 root>\n`
 * (checkpointNoteText below), key name = origin. Rows keep the format they were signed in
 * (transparency_checkpoints.note_format); verifyCheckpoint reads both.
 */
export const CHECKPOINT_FORMAT = 'besa-checkpoint/v1';

export interface SigningKey {
  id: number;
  origin: string;
  /** Raw 32-byte public key, base64. */
  publicKey: string;
  publicKeyPem: string;
  privateKey: KeyObject;
}

export interface PublicKeyInfo {
  id: number;
  origin: string;
  publicKey: string;
  publicKeyPem: string;
  createdAt: string;
}

export function checkpointText(origin: string, treeSize: number, rootHash: Buffer, issuedAt: string): string {
  return `${CHECKPOINT_FORMAT}\n${origin}\n${treeSize}\n${rootHash.toString('base64')}\n${issuedAt}\n`;
}

export function publicKeyFromRaw(rawBase64: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(rawBase64, 'base64').toString('base64url') }, format: 'jwk' });
}

export function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url').toString('base64');
}

export function originFor(rawPublicKeyBase64: string): string {
  return `besa-log/${createHash('sha256').update(Buffer.from(rawPublicKeyBase64, 'base64')).digest('hex').slice(0, 16)}`;
}

/** Note format 1 (`besa-checkpoint/v1`): only for tests that stage checkpoints signed before migration 0030. */
export function signCheckpoint(key: SigningKey, treeSize: number, rootHash: Buffer, issuedAt: string): string {
  return sign(null, Buffer.from(checkpointText(key.origin, treeSize, rootHash, issuedAt), 'utf8'), key.privateKey).toString('base64');
}

export function verifyCheckpointSignature(
  publicKeyRawBase64: string,
  origin: string,
  treeSize: number,
  rootHash: Buffer,
  issuedAt: string,
  signatureBase64: string,
): boolean {
  try {
    return verify(null, Buffer.from(checkpointText(origin, treeSize, rootHash, issuedAt), 'utf8'), publicKeyFromRaw(publicKeyRawBase64), Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

/** Log entries that change the signing key (entity type `signing_key`, entity id the new key's id). */
export const KEY_ROTATED = 'signing_key.rotated';
export const KEY_ADOPTED = 'signing_key.adopted';
export const KEY_ENTITY = 'signing_key';

/**
 * What a key-change entry publishes. `signing_key.rotated`: the checkpoint of the tree that ends
 * with this entry is signed by the previous key, which so vouches for the new one; every later
 * checkpoint is signed by the new key. `signing_key.adopted`: an instance took the log over
 * without the previous private key (an open-data import, or a key that was lost): its checkpoint
 * is already signed by the new key, and verifiers name the break.
 */
export interface KeyChangeSummary {
  keyId: number;
  publicKey: string;
  origin: string;
  previousKeyId: number | null;
}

export function isKeyChange(action: string): boolean {
  return action === KEY_ROTATED || action === KEY_ADOPTED;
}

export class SigningKeyError extends Error {}

/** Reads a PKCS#8 Ed25519 private key given as PEM or as base64 DER. */
export function parsePrivateKey(text: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    const trimmed = text.trim();
    key = trimmed.startsWith('-----BEGIN') ? createPrivateKey(trimmed) : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new SigningKeyError(`${where} does not hold a private key (expected an Ed25519 key, PKCS#8 PEM or base64)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`${where} holds a ${key.asymmetricKeyType ?? 'unknown'} key; the log signs with Ed25519`);
  return key;
}

export function privateKeyPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function rawPublicKeyOf(privateKey: KeyObject): string {
  return rawPublicKey(createPublicKey(privateKey));
}

/** Where this process's key came from: a file (re-read when another process rotated it), the environment, or made in memory (tests and tools that never called prepareSigningKey). */
export type KeySource = { kind: 'file'; path: string } | { kind: 'environment' } | { kind: 'memory' };

interface ProcessKey {
  privateKey: KeyObject;
  publicKey: string;
  source: KeySource;
}

let processKey: ProcessKey | undefined;

/** Makes `privateKey` the key this process signs with (prepareSigningKey, `besa key rotate`, tests). */
export function useSigningKey(privateKey: KeyObject, source: KeySource = { kind: 'memory' }): void {
  processKey = { privateKey, publicKey: rawPublicKeyOf(privateKey), source };
}

/**
 * The key this process signs with. A process that never prepared one (a test, a benchmark) gets
 * a key made in memory; the server and the `besa` command always prepare the configured one.
 */
export function processSigningKey(): ProcessKey {
  if (!processKey) useSigningKey(generateKeyPairSync('ed25519').privateKey);
  return processKey!;
}

function describeSource(source: KeySource): string {
  return source.kind === 'file' ? source.path : source.kind === 'environment' ? 'BESA_SIGNING_KEY' : 'the key made in memory';
}

/** Parsed keys by id and public key (a database holds one or a few keys). */
const signingKeys = new Map<string, SigningKey>();

function toSigningKey(id: number, origin: string, publicKey: string, privateKey: KeyObject): SigningKey {
  const cacheKey = `${id}\u0000${publicKey}`;
  let key = signingKeys.get(cacheKey);
  if (!key || key.privateKey !== privateKey) {
    key = { id, origin, publicKey, publicKeyPem: publicKeyFromRaw(publicKey).export({ format: 'pem', type: 'spki' }).toString(), privateKey };
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/**
 * The signing key for the log whose latest key is `row`: this process's key when it is that one.
 * When it is not and the key came from a file, the file (then FILE.next, where a rotation that
 * committed but has not renamed its files keeps the new key) is read again once (`besa key rotate`
 * ran in another process); if it still differs, signing is refused rather than forking the log
 * under a key nobody announced.
 */
export function signingKeyFor(row: { id: number; origin: string; public_key: string }): SigningKey {
  let mine = processSigningKey();
  if (mine.publicKey !== row.public_key && mine.source.kind === 'file') {
    // FILE, then FILE.next: between a rotation's commit and its renames (or after an interrupted
    // rotation) the announced key is still in FILE.next.
    for (const candidate of [mine.source.path, `${mine.source.path}.next`]) {
      try {
        const reread = parsePrivateKey(readFileSync(candidate, 'utf8'), candidate);
        if (rawPublicKeyOf(reread) === row.public_key) {
          useSigningKey(reread, mine.source);
          mine = processSigningKey();
          break;
        }
      } catch {
        // Reported below as a mismatch.
      }
    }
  }
  if (mine.publicKey !== row.public_key) {
    throw new SigningKeyError(
      `the signing key in ${describeSource(mine.source)} (${originFor(mine.publicKey)}) is not the log's current key ${row.id} (${row.origin}): ` +
        'Besa will not sign with it, as that would fork the log under a key it never announced. Restore the key file that holds the current key, ' +
        'or change keys with `besa key rotate` (see "The signing key" in the README).',
    );
  }
  return toSigningKey(row.id, row.origin, row.public_key, mine.privateKey);
}

/** The public key row for this process's key, when the log has none yet: it becomes key 1. */
function firstKeyRow(): { id: number; public_key: string; origin: string; created_at: string } {
  const mine = processSigningKey();
  return { id: 1, public_key: mine.publicKey, origin: originFor(mine.publicKey), created_at: new Date().toISOString() };
}

/**
 * The current signing key. A log without a key registers this process's public key as key 1
 * (the insert ignores a key another process registered first and reads that one back); a log
 * whose latest key is another refuses (signingKeyFor).
 */
export async function ensureSigningKey(executor: Executor): Promise<SigningKey> {
  const t = tdb(executor);
  const existing = await t.selectFrom('transparency_keys').select(['id', 'origin', 'public_key']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (existing) return signingKeyFor({ ...existing, id: Number(existing.id) });
  await t
    .insertInto('transparency_keys')
    .values(firstKeyRow())
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await t.selectFrom('transparency_keys').select(['id', 'origin', 'public_key']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  return signingKeyFor({ ...row, id: Number(row.id) });
}

/** Every public key the log has signed with (never the private halves). */
export async function listPublicKeys(executor: Executor): Promise<PublicKeyInfo[]> {
  const rows = await tdb(executor).selectFrom('transparency_keys').select(['id', 'origin', 'public_key', 'created_at']).orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    origin: r.origin,
    publicKey: r.public_key,
    publicKeyPem: publicKeyFromRaw(r.public_key).export({ format: 'pem', type: 'spki' }).toString(),
    createdAt: r.created_at,
  }));
}

/* ---------- C2SP signed-note checkpoints (note format 2, migration 0030, ADR 0012) ---------- */

/** Checkpoints stored with note_format 2 are C2SP tlog-checkpoint signed notes. */
export const NOTE_FORMAT_BESA_V1 = 1;
export const NOTE_FORMAT_C2SP = 2;

/** The text a note-format-2 checkpoint signs: `<origin>\n<size>\n<base64 root>\n` (c2sp.org/tlog-checkpoint). */
export function checkpointNoteText(origin: string, treeSize: number, rootHash: Buffer): string {
  return formatCheckpoint(origin, treeSize, rootHash);
}

/** The log's signature line on a note-format-2 checkpoint: key name = origin, key ID per signed-note (type 0x01). */
export function checkpointSignatureLine(origin: string, publicKeyRawBase64: string, signatureBase64: string): string {
  return signatureLine(origin, keyIdFor(origin, SIGNATURE_ED25519, Buffer.from(publicKeyRawBase64, 'base64')), Buffer.from(signatureBase64, 'base64'));
}

/** The whole signed note of a note-format-2 checkpoint, with the log's signature and any further lines (cosignatures). */
export function checkpointNote(origin: string, publicKeyRawBase64: string, treeSize: number, rootHash: Buffer, signatureBase64: string, moreLines: readonly string[] = []): string {
  return assembleNote(checkpointNoteText(origin, treeSize, rootHash), [checkpointSignatureLine(origin, publicKeyRawBase64, signatureBase64), ...moreLines]);
}

/** The log's verifier key (vkey) for key `origin`/`publicKey`: what witnesses and monitors are configured with. */
export function logVkey(origin: string, publicKeyRawBase64: string): string {
  return formatVkey(origin, SIGNATURE_ED25519, Buffer.from(publicKeyRawBase64, 'base64'));
}

/** Note format 2: base64 of the 64-byte Ed25519 signature over checkpointNoteText (the value stored in transparency_checkpoints.signature). */
export function signCheckpointNote(key: Pick<SigningKey, 'origin' | 'privateKey'>, treeSize: number, rootHash: Buffer): string {
  return sign(null, Buffer.from(checkpointNoteText(key.origin, treeSize, rootHash), 'utf8'), key.privateKey).toString('base64');
}

/** The text a checkpoint's signature covers, in its note format. */
export function signedCheckpointText(noteFormat: number, origin: string, treeSize: number, rootHash: Buffer, issuedAt: string): string {
  if (noteFormat === NOTE_FORMAT_C2SP) return checkpointNoteText(origin, treeSize, rootHash);
  if (noteFormat === NOTE_FORMAT_BESA_V1) return checkpointText(origin, treeSize, rootHash, issuedAt);
  throw new Error(`unknown checkpoint note format ${noteFormat}`);
}

/**
 * Checks a stored checkpoint's signature in the format it was signed in: format 1 over the
 * `besa-checkpoint/v1` text (with its issue time), format 2 over the C2SP checkpoint text (the
 * issue time is not signed). Any other format fails.
 */
export function verifyCheckpoint(
  key: { publicKey: string; origin: string },
  checkpoint: { noteFormat: number; treeSize: number; issuedAt: string; signature: string },
  rootHash: Buffer,
): boolean {
  if (checkpoint.noteFormat !== NOTE_FORMAT_BESA_V1 && checkpoint.noteFormat !== NOTE_FORMAT_C2SP) return false;
  try {
    const signature = Buffer.from(checkpoint.signature, 'base64');
    if (signature.length !== 64) return false;
    const text = signedCheckpointText(checkpoint.noteFormat, key.origin, checkpoint.treeSize, rootHash, checkpoint.issuedAt);
    return verify(null, Buffer.from(text, 'utf8'), publicKeyFromRaw(key.publicKey), signature);
  } catch {
    return false;
  }
}
