import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  assembleNote,
  cosignatureVerifier,
  cosignLine,
  ed25519Verifier,
  formatCheckpoint,
  formatVkey,
  NoteError,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseNote,
  parseVkey,
  rawEd25519PublicKey,
  signNoteLine,
  SIGNATURE_COSIGNATURE_V1,
  SIGNATURE_ED25519,
  verifierFromVkey,
} from './note.js';

// The example of c2sp.org/signed-note ("Verifier keys", "Example").
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE = 'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

describe('signed notes (c2sp.org/signed-note)', () => {
  it("verifies the specification's example note with its verifier key", () => {
    const opened = openNote(SPEC_NOTE, [verifierFromVkey(SPEC_VKEY)]);
    assert.equal(opened.text, 'This is an example message.\n');
    assert.deepEqual(opened.verified.map((v) => v.name), ['example.com/foo']);
  });

  it("refuses the specification's example with one letter of the text changed", () => {
    assert.throws(() => openNote(SPEC_NOTE.replace('example message', 'example massage'), [verifierFromVkey(SPEC_VKEY)]), NoteError);
  });

  it('parses the example verifier key and formats it back identically', () => {
    const k = parseVkey(SPEC_VKEY);
    assert.equal(k.type, SIGNATURE_ED25519);
    assert.equal(formatVkey(k.name, k.type, k.publicKey), SPEC_VKEY);
  });

  it('refuses a verifier key whose ID does not match its name and key', () => {
    assert.throws(() => parseVkey(SPEC_VKEY.replace('530d903a', '530d903b')), /does not match/);
    assert.throws(() => parseVkey(SPEC_VKEY.replace('example.com/foo', 'example.com/bar')), /does not match/);
  });

  it('ignores signatures from unknown keys, and refuses a note with none known', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const note = assembleNote('hello\n', [signNoteLine('hello\n', 'other.example/key', privateKey)]);
    assert.throws(() => openNote(note, [verifierFromVkey(SPEC_VKEY)]), /no signature from a known key/);
    const both = SPEC_NOTE + signNoteLine('This is an example message.\n', 'other.example/key', privateKey) + '\n';
    const opened = openNote(both, [verifierFromVkey(SPEC_VKEY)]);
    assert.equal(opened.verified.length, 1);
    assert.equal(opened.unknown.length, 1);
  });

  it('refuses malformed notes: no blank line, control characters, no final newline, bad base64', () => {
    assert.throws(() => parseNote('text\n\u2014 a b\n'), NoteError);
    assert.throws(() => parseNote('te\u0001xt\n\n\u2014 a AAAAAAA=\n'), NoteError);
    assert.throws(() => parseNote(SPEC_NOTE.slice(0, -1)), NoteError);
    assert.throws(() => parseNote('text\n\n\u2014 example.com/foo not*base64\n'), NoteError);
    assert.throws(() => parseNote('text\n\n- example.com/foo AAAAAAA=\n'), NoteError);
  });

  it('signs a note that its own verifier accepts, with the key ID the specification defines', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = rawEd25519PublicKey(publicKey);
    const line = signNoteLine('a text\nof two lines\n', 'log.example/one', privateKey);
    const vkey = formatVkey('log.example/one', SIGNATURE_ED25519, raw);
    assert.equal(openNote(assembleNote('a text\nof two lines\n', [line]), [verifierFromVkey(vkey)]).verified.length, 1);
    assert.equal(ed25519Verifier('log.example/one', raw).keyId, parseVkey(vkey).keyId);
  });
});

describe('checkpoints (c2sp.org/tlog-checkpoint)', () => {
  it("parses the specification's example checkpoint text", () => {
    const body = parseCheckpoint('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
    assert.equal(body.origin, 'example.com/behind-the-sofa');
    assert.equal(body.size, 20852163);
    assert.equal(body.root.length, 32);
    assert.equal(formatCheckpoint(body.origin, body.size, body.root), 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
  });

  it('refuses sizes with leading zeroes, short roots and missing lines', () => {
    assert.throws(() => parseCheckpoint('o\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'), NoteError);
    assert.throws(() => parseCheckpoint('o\n12\nCsUYapGGPo4dkMgI\n'), NoteError);
    assert.throws(() => parseCheckpoint('o\n12\n'), NoteError);
    assert.throws(() => parseCheckpoint('\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'), NoteError);
  });
});

describe('cosignatures (c2sp.org/tlog-cosignature, cosignature/v1)', () => {
  const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

  it('a cosignature carries its timestamp and verifies over "cosignature/v1", the time line and the checkpoint', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = rawEd25519PublicKey(publicKey);
    const line = cosignLine(text, 'witness.example/w1', privateKey, 1679315147);
    const opened = openNote(assembleNote(text, [line]), [cosignatureVerifier('witness.example/w1', raw)]);
    assert.equal(opened.verified[0]!.timestamp, 1679315147);
    assert.equal(opened.verified[0]!.type, SIGNATURE_COSIGNATURE_V1);
    // The key ID differs from an Ed25519 note signature by the same key (type byte 0x04).
    assert.notEqual(cosignatureVerifier('witness.example/w1', raw).keyId, ed25519Verifier('witness.example/w1', raw).keyId);
    // A changed timestamp breaks the signature.
    const bytes = Buffer.from(line.split(' ')[2]!, 'base64');
    bytes.writeBigUInt64BE(1679315148n, 4);
    const forged = `\u2014 witness.example/w1 ${bytes.toString('base64')}`;
    assert.throws(() => openNote(assembleNote(text, [forged]), [cosignatureVerifier('witness.example/w1', raw)]), NoteError);
  });

  it("parses the specification's example cosigned checkpoint as a note with two signature lines", () => {
    const note = `${text}\n\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n`;
    const parsed = parseNote(note);
    assert.equal(parsed.text, text);
    assert.equal(parsed.signatures.length, 2);
    // The witness line holds a key ID, an 8-byte timestamp (1679315147, the one in the spec's signed message example) and 64 signature bytes.
    assert.equal(parsed.signatures[1]!.signature.length, 72);
    assert.equal(Number(parsed.signatures[1]!.signature.readBigUInt64BE(0)), 1679315147);
  });
});

it('a vkey whose base64 key holds "+" parses (only the first two "+" separate)', async () => {
  const { formatVkey: format, parseVkey: parse, SIGNATURE_ED25519: ED } = await import('./note.js');
  // 0x01 then 0xfb…: base64 "Afv7…" holds "+" and "/" characters.
  const key = Buffer.alloc(32, 0xfb);
  const vkey = format('example.com/log', ED, key);
  assert.ok(vkey.split('+').length > 3, vkey);
  const parsed = parse(vkey);
  assert.equal(parsed.name, 'example.com/log');
  assert.deepEqual(parsed.publicKey, key);
});

describe('cosignature timestamps, key ID collisions and openCheckpoint', () => {
  const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
  const witness = generateKeyPairSync('ed25519');
  const raw = rawEd25519PublicKey(witness.publicKey);
  /** A cosignature line with any 64-bit timestamp, signed for real. */
  function lineAt(stamp: bigint, name = 'witness.example/w1'): string {
    const signature = sign(null, Buffer.from(`cosignature/v1\ntime ${stamp}\n${text}`, 'utf8'), witness.privateKey);
    const head = Buffer.alloc(12);
    head.writeUInt32BE(cosignatureVerifier(name, raw).keyId, 0);
    head.writeBigUInt64BE(stamp, 4);
    return `\u2014 ${name} ${Buffer.concat([head, signature]).toString('base64')}`;
  }

  it('refuses a cosignature with timestamp 0, even when it is signed', () => {
    assert.throws(() => openNote(assembleNote(text, [lineAt(0n)]), [cosignatureVerifier('witness.example/w1', raw)]), /timestamp 0/);
  });

  it('accepts timestamps up to 2^63-1, as text, and gives a number only when it is safe', () => {
    const big = 1n << 60n;
    const opened = openNote(assembleNote(text, [lineAt(big)]), [cosignatureVerifier('witness.example/w1', raw)]);
    assert.equal(opened.verified[0]!.timestampText, big.toString());
    assert.equal(opened.verified[0]!.timestamp, undefined);
    const max = (1n << 63n) - 1n;
    assert.equal(openNote(assembleNote(text, [lineAt(max)]), [cosignatureVerifier('witness.example/w1', raw)]).verified[0]!.timestampText, max.toString());
    assert.throws(() => openNote(assembleNote(text, [lineAt(1n << 63n)]), [cosignatureVerifier('witness.example/w1', raw)]), /2\^63/);
    assert.equal(openNote(assembleNote(text, [lineAt(1679315147n)]), [cosignatureVerifier('witness.example/w1', raw)]).verified[0]!.timestamp, 1679315147);
  });

  it('tries every known key with the same name and key ID', () => {
    const other = generateKeyPairSync('ed25519');
    const real = cosignatureVerifier('witness.example/w1', raw);
    // A forced collision: another key that claims the same name and key ID, listed first.
    const impostor = { ...cosignatureVerifier('witness.example/w1', rawEd25519PublicKey(other.publicKey)), keyId: real.keyId };
    const opened = openNote(assembleNote(text, [lineAt(1679315147n)]), [impostor, real]);
    assert.equal(opened.verified.length, 1);
    assert.deepEqual(opened.verified[0]!.publicKey, raw);
  });

  it('openCheckpoint checks the log signature, parses the body and counts a renamed cosignature once', () => {
    const log = generateKeyPairSync('ed25519');
    const logRaw = rawEd25519PublicKey(log.publicKey);
    const logLine = signNoteLine(text, 'example.com/behind-the-sofa', log.privateKey);
    // cosignature/v1 does not sign the name: the same signature under a second name verifies too.
    const genuine = lineAt(1679315147n, 'witness.example/w1');
    const renamed = lineAt(1679315147n, 'witness.example/w2');
    const witnesses = [cosignatureVerifier('witness.example/w1', raw), cosignatureVerifier('witness.example/w2', raw)];
    const opened = openCheckpoint(assembleNote(text, [logLine, genuine, renamed]), [ed25519Verifier('example.com/behind-the-sofa', logRaw)], witnesses);
    assert.equal(opened.body.size, 20852163);
    assert.equal(opened.logSignatures.length, 1);
    assert.equal(opened.cosigners.length, 1);
    assert.equal(opened.cosigners[0]!.name, 'witness.example/w1');
    assert.equal(opened.cosigners[0]!.timestamp, 1679315147);
    // Without the log's signature it is refused.
    assert.throws(() => openCheckpoint(assembleNote(text, [genuine]), [ed25519Verifier('example.com/behind-the-sofa', logRaw)], witnesses), /log key/);
  });
});
