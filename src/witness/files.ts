import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createPrivateFile, syncDirectory } from '../lib/durable.js';
import { ed25519PrivateKey, formatVkey, rawEd25519PublicKey, SIGNATURE_COSIGNATURE_V1 } from '../lib/tlog/note.js';

/** A problem the witness's operator can fix (a bad config, a key file others may read, a held lock): printed as is. */
export class WitnessError extends Error {}

/** Creates a 0600 file once, never replacing one (lib/durable.ts). */
export { createPrivateFile };

/** The witness's cosigner vkey (type 0x04, cosignature/v1): what the log operator configures. */
export function witnessVkey(name: string, key: KeyObject): string {
  return formatVkey(name, SIGNATURE_COSIGNATURE_V1, rawEd25519PublicKey(key));
}

/** Makes a new Ed25519 key in `path` (PKCS#8 PEM, mode 0600); refuses when the file exists. */
export function createWitnessKey(path: string): KeyObject {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  if (!createPrivateFile(path, pem)) throw new WitnessError(`${path} already exists: a witness key is never overwritten (choose another --key, or use the key that is there)`);
  return privateKey;
}

/** Reads the witness's key, refusing a file that others than its owner may read. */
export function readWitnessKey(path: string): KeyObject {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    throw new WitnessError(`cannot read the witness key ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (make one with besa witness init)' : (error as Error).message}`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new WitnessError(`the witness key file ${path} may be read by others than its owner (mode ${(mode & 0o777).toString(8)}): run chmod 600 ${path}`);
  }
  try {
    return ed25519PrivateKey(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new WitnessError(`the witness key file ${path} does not hold an Ed25519 private key (PKCS#8 PEM): ${(error as Error).message}`);
  }
}
