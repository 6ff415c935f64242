import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { finishRotationFiles, syncDirectory } from './key-files.js';
import { ensureSigningKey, originFor, parsePrivateKey, privateKeyPem, rawPublicKeyOf, SigningKeyError, useSigningKey, type KeySource } from './keys.js';
import { tdb } from './tables.js';
import { createPrivateFile } from '../../lib/durable.js';

/** Where the log's private key comes from (src/config.ts reads these from the environment). */
export interface SigningKeyConfig {
  /** BESA_SIGNING_KEY_FILE: the key file (default: signing-key.pem beside the SQLite file, or ./besa-signing-key.pem with PostgreSQL). */
  signingKeyFile: string;
  /** BESA_SIGNING_KEY: the key itself (PKCS#8 PEM or base64), instead of a file. */
  signingKey: string | undefined;
}

export interface PreparedKey {
  keyId: number;
  origin: string;
  publicKey: string;
  /** The key file's absolute path, or `BESA_SIGNING_KEY`. */
  location: string;
  created: boolean;
}

type Say = (message: string) => void;

/** What the column holds once the key moved out, until migration 0029 drops it. */
const MOVED_OUT = 'moved out of the database into the signing key file';

/**
 * Creates the key file, readable by its owner only, all at once or not at all (lib/durable.ts
 * createPrivateFile): two processes starting together never both make a key; the loser reads the
 * winner's whole file. Returns false when the file already existed.
 */
export const createKeyFile = createPrivateFile;

/** Reads a key file, refusing one that others than its owner may read. */
export function readKeyFile(path: string): KeyObject {
  const mode = statSync(path).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new SigningKeyError(`the signing key file ${path} may be read by others than its owner (mode ${(mode & 0o777).toString(8)}): run chmod 600 ${path}`);
  }
  return parsePrivateKey(readFileSync(path, 'utf8'), path);
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The configured key: BESA_SIGNING_KEY when set, else the key file, made (0600) when missing.
 * Makes it this process's signing key.
 */
export function loadSigningKey(config: SigningKeyConfig): { key: KeyObject; source: KeySource; location: string; created: boolean } {
  if (config.signingKey) {
    const key = parsePrivateKey(config.signingKey, 'BESA_SIGNING_KEY');
    useSigningKey(key, { kind: 'environment' });
    return { key, source: { kind: 'environment' }, location: 'BESA_SIGNING_KEY', created: false };
  }
  const path = resolve(config.signingKeyFile);
  let created = false;
  if (!exists(path)) created = createKeyFile(path, privateKeyPem(generateKeyPairSync('ed25519').privateKey));
  const key = readKeyFile(path);
  const source: KeySource = { kind: 'file', path };
  useSigningKey(key, source);
  return { key, source, location: path, created };
}

/**
 * Before migration 0029: a database from before Besa 0029 keeps the log's private key in
 * transparency_keys.private_key. This writes it to the key file (0600) when that file does not
 * exist yet, says so, and clears the column (0029 then drops it, and refuses to run while a key
 * is still there). A file or BESA_SIGNING_KEY holding another key stops the start: nothing is overwritten.
 */
export async function moveSigningKeyOutOfDatabase(config: SigningKeyConfig, db: Executor, say: Say = console.log): Promise<string | undefined> {
  let rows: { id: number; private_key: string }[];
  try {
    rows = (await sql<{ id: number; private_key: string }>`select id, private_key from transparency_keys order by id desc`.execute(db)).rows;
  } catch {
    return undefined; // A new database, or one migration 0029 already cleaned.
  }
  const stored = rows.find((r) => typeof r.private_key === 'string' && r.private_key.startsWith('-----BEGIN'));
  if (!stored) return undefined;
  const key = parsePrivateKey(stored.private_key, 'the database');
  const publicKey = rawPublicKeyOf(key);
  let location: string;
  if (config.signingKey) {
    if (rawPublicKeyOf(parsePrivateKey(config.signingKey, 'BESA_SIGNING_KEY')) !== publicKey) {
      throw new SigningKeyError(`BESA_SIGNING_KEY holds another key than the log's key ${stored.id} (${originFor(publicKey)}) kept in the database: unset it so the database's key moves into ${resolve(config.signingKeyFile)}, or set it to that key`);
    }
    location = 'BESA_SIGNING_KEY';
  } else {
    const path = resolve(config.signingKeyFile);
    const created = createKeyFile(path, privateKeyPem(key));
    if (!created && rawPublicKeyOf(readKeyFile(path)) !== publicKey) {
      throw new SigningKeyError(`${path} already holds another key than the log's key ${stored.id} (${originFor(publicKey)}) kept in the database: move that file away (or set BESA_SIGNING_KEY_FILE to another path) so the database's key can move out`);
    }
    location = path;
  }
  // SQLite would otherwise keep the old text in its free pages: secure_delete overwrites it with zeros.
  const sqlite = !(db.getExecutor().adapter instanceof PostgresAdapter);
  if (sqlite) await sql`pragma secure_delete = on`.execute(db);
  try {
    await sql`update transparency_keys set private_key = ${MOVED_OUT} where private_key like ${'-----BEGIN%'}`.execute(db);
  } finally {
    if (sqlite) await sql`pragma secure_delete = off`.execute(db);
  }
  say(
    `The log's signing key moved out of the database into ${location}. Back it up now, apart from the database backups: ` +
      'without it Besa cannot sign the log on, and anyone holding it can sign in the log\'s name. ' +
      'Older database backups still hold this key: run besa key rotate once the server runs, so that key no longer signs.',
  );
  return location;
}

/**
 * Once per start, after the migrations and before the app serves (the cluster primary calls it
 * before forking): loads the configured key (making the file when missing), finishes a rotation
 * interrupted after its commit, registers the key when the log has none yet, and checks that it
 * is the log's current key; a different key stops the start with the reason.
 */
export async function prepareSigningKey(config: SigningKeyConfig, db: Executor, say: Say = console.log): Promise<PreparedKey> {
  let loaded = loadSigningKey(config);
  if (loaded.source.kind === 'file') {
    const next = `${loaded.location}.next`;
    const latest = await tdb(db).selectFrom('transparency_keys').select(['id', 'public_key']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (latest && exists(next) && rawPublicKeyOf(loaded.key) !== latest.public_key && rawPublicKeyOf(readKeyFile(next)) === latest.public_key) {
      const kept = finishRotationFiles(loaded.location);
      say(`signing key: finished the rotation to key ${latest.id} that stopped before its files were swapped (the previous key is kept in ${kept})`);
      loaded = loadSigningKey(config);
    }
  }
  const key = await ensureSigningKey(db);
  say(`signing key: ${loaded.location}${loaded.created ? ' (created)' : ''}, key ${key.id} (${key.origin})`);
  return { keyId: key.id, origin: key.origin, publicKey: key.publicKey, location: loaded.location, created: loaded.created };
}
