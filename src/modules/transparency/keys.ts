import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { tdb } from './tables.js';

/**
 * The log's Ed25519 signing key. It is made on first need and kept in the database, so every
 * app process sharing the database signs with the same key.
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

/** Parsed keys by their stored private key text (a database holds one or a few keys). */
const signingKeys = new Map<string, SigningKey>();

export function toSigningKey(row: { id: number; origin: string; public_key: string; private_key: string }): SigningKey {
  const cacheKey = `${row.id}\u0000${row.origin}\u0000${row.public_key}\u0000${row.private_key}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = {
      id: row.id,
      origin: row.origin,
      publicKey: row.public_key,
      publicKeyPem: publicKeyFromRaw(row.public_key).export({ format: 'pem', type: 'spki' }).toString(),
      privateKey: createPrivateKey(row.private_key),
    };
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/**
 * The current signing key, made on first need. Inside a command this runs after the command has
 * taken the content-version row lock, so two processes never both make the first key; elsewhere
 * the insert ignores a key another process made first and reads that one back.
 */
export async function ensureSigningKey(executor: Executor): Promise<SigningKey> {
  const t = tdb(executor);
  const existing = await t.selectFrom('transparency_keys').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (existing) return toSigningKey(existing);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  await t
    .insertInto('transparency_keys')
    .values({
      id: 1,
      public_key: raw,
      private_key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      origin: originFor(raw),
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await t.selectFrom('transparency_keys').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  return toSigningKey(row);
}

/** Every public key the log has signed with (never the private halves). */
export async function listPublicKeys(executor: Executor): Promise<PublicKeyInfo[]> {
  const rows = await tdb(executor).selectFrom('transparency_keys').select(['id', 'origin', 'public_key', 'created_at']).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    origin: r.origin,
    publicKey: r.public_key,
    publicKeyPem: publicKeyFromRaw(r.public_key).export({ format: 'pem', type: 'spki' }).toString(),
    createdAt: r.created_at,
  }));
}
