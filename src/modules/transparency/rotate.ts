import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, unlinkSync } from 'node:fs';
import type { Db } from '../../db/database.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { finishRotationFiles } from './key-files.js';
import { KEY_ADOPTED, KEY_ENTITY, KEY_ROTATED, originFor, privateKeyPem, rawPublicKeyOf, SigningKeyError, useSigningKey, type KeyChangeSummary } from './keys.js';
import { createKeyFile, prepareSigningKey, type SigningKeyConfig } from './signing-key.js';
import { tdb } from './tables.js';

/**
 * Publishes a key change: one entry naming the new public key, alone in its command. For a
 * rotation the current key signs that entry's checkpoint (vouching for the new key) and the new
 * key signs every later one; for an adoption the new key signs it already. Returns the new key's
 * id and the entry's index. The caller makes `newKey` this process's key once this committed
 * (a rotation), or before (an adoption).
 */
export async function publishKeyChange(db: Db, action: typeof KEY_ROTATED | typeof KEY_ADOPTED, newKey: KeyObject): Promise<{ keyId: number; entry: number; previousKeyId: number | null }> {
  return runCommand(db, SYSTEM, async (trx, audit) => {
    const t = tdb(trx);
    const latest = await t.selectFrom('transparency_keys').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
    const last = await t.selectFrom('transparency_entries').select((eb) => eb.fn.max('leaf_index').as('m')).executeTakeFirst();
    const publicKey = rawPublicKeyOf(newKey);
    const previousKeyId = latest ? Number(latest.id) : null;
    const summary: KeyChangeSummary = { keyId: (previousKeyId ?? 0) + 1, publicKey, origin: originFor(publicKey), previousKeyId };
    await audit.publish(action, KEY_ENTITY, summary.keyId, { ...summary });
    return { keyId: summary.keyId, entry: last?.m === null || last?.m === undefined ? 0 : Number(last.m) + 1, previousKeyId };
  });
}

export interface RotationResult {
  previousKeyId: number | null;
  keyId: number;
  origin: string;
  entry: number;
  path: string;
  /** Where the previous key file was kept. */
  kept: string;
}

/**
 * `besa key rotate`: a new key in FILE.next (0600), the entry announcing it signed by the current
 * key, then FILE is kept as FILE.old-<time> and FILE.next takes its place. A crash after the
 * commit and before the renames is finished at the next start (prepareSigningKey).
 */
export async function rotateSigningKey(
  db: Db,
  config: SigningKeyConfig,
  say: (message: string) => void = console.log,
  /** Tests only: run between the steps to stage a race or an error after the commit. */
  hooks: { beforeCreate?: () => void; afterPublish?: () => void } = {},
): Promise<RotationResult> {
  if (config.signingKey) {
    throw new SigningKeyError('the signing key comes from BESA_SIGNING_KEY: rotate with a key file (unset BESA_SIGNING_KEY, put the current key in BESA_SIGNING_KEY_FILE, then run besa key rotate)');
  }
  const current = await prepareSigningKey(config, db, say);
  const path = current.location;
  const next = `${path}.next`;
  if (existsSync(next)) throw new SigningKeyError(`${next} exists: an earlier rotation stopped before its commit. Remove that file (the log never announced its key) and run besa key rotate again.`);
  const { privateKey } = generateKeyPairSync('ed25519');
  hooks.beforeCreate?.();
  if (!createKeyFile(next, privateKeyPem(privateKey))) {
    throw new SigningKeyError(`${next} was created meanwhile: another besa key rotate is running. Let it finish, then check the log's keys at /transparency.`);
  }
  let published;
  try {
    published = await publishKeyChange(db, KEY_ROTATED, privateKey);
    hooks.afterPublish?.();
  } catch (error) {
    // A commit that happened despite the error announced this key: its file must stay.
    // When the database cannot tell, the file stays (a later rotation names it and stops).
    let announced = true;
    try {
      const latest = await tdb(db).selectFrom('transparency_keys').select('public_key').orderBy('id', 'desc').limit(1).executeTakeFirst();
      announced = latest?.public_key === rawPublicKeyOf(privateKey);
    } catch {
      // Unknown: keep the file.
    }
    if (!announced) unlinkSync(next);
    throw error;
  }
  const kept = finishRotationFiles(path);
  useSigningKey(privateKey, { kind: 'file', path });
  return { previousKeyId: published.previousKeyId, keyId: published.keyId, origin: originFor(rawPublicKeyOf(privateKey)), entry: published.entry, path, kept };
}
