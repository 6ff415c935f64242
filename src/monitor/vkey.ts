import { isValidKeyName, keyIdFor, NoteError, SIGNATURE_COSIGNATURE_V1, SIGNATURE_ED25519, type Vkey } from '../lib/tlog/note.js';

/**
 * Reads a verifier key `<name>+<hex key ID>+<base64 type||key>` (c2sp.org/signed-note). A name
 * holds no "+", but standard base64 may: so the text is split at its first two "+" only.
 * (note.ts parseVkey splits at every "+", refusing about half of all keys; this one is used here
 * until it is fixed there.)
 */
export function readVkey(text: string): Vkey {
  const trimmed = text.trim();
  const first = trimmed.indexOf('+');
  const second = first < 0 ? -1 : trimmed.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new NoteError('a verifier key is <name>+<hex key ID>+<base64 key>');
  const name = trimmed.slice(0, first);
  const hex = trimmed.slice(first + 1, second);
  const key = trimmed.slice(second + 1);
  if (!isValidKeyName(name)) throw new NoteError('the verifier key has no valid name');
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new NoteError('the verifier key ID is not 8 lowercase hex digits');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(key) || key.length % 4 !== 0) throw new NoteError('the verifier key is not standard base64');
  const bytes = Buffer.from(key, 'base64');
  if (bytes.toString('base64') !== key) throw new NoteError('the verifier key is not canonical base64');
  if (bytes.length < 2) throw new NoteError('the verifier key is empty');
  const type = bytes[0]!;
  const publicKey = bytes.subarray(1);
  if ((type === SIGNATURE_ED25519 || type === SIGNATURE_COSIGNATURE_V1) && publicKey.length !== 32) throw new NoteError('an Ed25519 verifier key is 32 bytes');
  const keyId = Number.parseInt(hex, 16);
  if (keyIdFor(name, type, publicKey) !== keyId) throw new NoteError('the verifier key ID does not match its name and key');
  return { name, keyId, type, publicKey };
}
