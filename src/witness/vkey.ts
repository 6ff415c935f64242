import { isValidKeyName, keyIdFor, NoteError, SIGNATURE_COSIGNATURE_V1, SIGNATURE_ED25519, type Vkey } from '../lib/tlog/note.js';

/**
 * Parses a verifier key `<name>+<hex key ID>+<base64 key>`. The base64 key may itself hold "+"
 * (signed-note: the name ends at the first "+", the key ID at the second), which
 * `parseVkey` in src/lib/tlog/note.ts refuses today; this one follows the specification.
 */
export function parseVkeyText(text: string): Vkey {
  const t = text.trim();
  const first = t.indexOf('+');
  const second = first < 0 ? -1 : t.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new NoteError('a verifier key is <name>+<hex key ID>+<base64 key>');
  const name = t.slice(0, first);
  const hex = t.slice(first + 1, second);
  const key = t.slice(second + 1);
  if (!isValidKeyName(name)) throw new NoteError('the verifier key has no valid name');
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new NoteError('the verifier key ID is not 8 lowercase hex digits');
  const bytes = Buffer.from(key, 'base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(key) || key.length % 4 !== 0 || bytes.toString('base64') !== key) throw new NoteError('the verifier key is not standard base64');
  if (bytes.length < 2) throw new NoteError('the verifier key is empty');
  const type = bytes[0]!;
  const publicKey = bytes.subarray(1);
  if ((type === SIGNATURE_ED25519 || type === SIGNATURE_COSIGNATURE_V1) && publicKey.length !== 32) throw new NoteError('an Ed25519 verifier key is 32 bytes');
  const keyId = Number.parseInt(hex, 16);
  if (keyIdFor(name, type, publicKey) !== keyId) throw new NoteError('the verifier key ID does not match its name and key');
  return { name, keyId, type, publicKey };
}
