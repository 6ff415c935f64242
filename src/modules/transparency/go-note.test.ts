/**
 * Besa's signed-note checkpoints against an independent implementation: golang.org/x/mod/sumdb/note,
 * the reference implementation of c2sp.org/signed-note by the specification's authors, from
 * Debian's golang-golang-x-mod-dev, built offline in GOPATH mode (scripts/go-note-check, ADR 0012).
 * The Go program verifies the notes a real Besa app serves, and signs one that Besa's note.ts opens.
 * Without `go` this FAILS (it does not skip): install golang-go and golang-golang-x-mod-dev.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { actorWith } from '../../../test/actors.js';
import { cosignLine, formatCheckpoint, openNote, parseCheckpoint, verifierFromVkey } from '../../lib/tlog/note.js';
import { runCommand, type Actor } from '../audit/index.js';
import { KEY_ROTATED, logVkey, rawPublicKeyOf, useSigningKey } from './keys.js';
import { publishKeyChange } from './rotate.js';

const run = promisify(execFile);
const ADMIN: Actor = actorWith('administrator', { userId: 3 });
const GOPATH = '/usr/share/gocode';
const source = new URL('../../../scripts/go-note-check', import.meta.url).pathname;
const PACKAGES = 'apt-get install -y --no-install-recommends golang-go golang-golang-x-mod-dev';

type CheckpointJson = { treeSize: number; text: string; note: string | null; vkey: string | null; noteFormat: number; origin: string; keyId: number };

describe('signed-note checkpoints, cross-checked with golang.org/x/mod/sumdb/note', () => {
  let dir: string;
  let bin: string;
  let t: TestApp;
  let n = 0;

  /** Runs the Go verifier on a vkey and a note: its exit code and what it printed. */
  async function goVerify(vkey: string, note: string): Promise<{ code: number; out: string; err: string }> {
    n += 1;
    writeFileSync(join(dir, `vkey${n}`), vkey);
    writeFileSync(join(dir, `note${n}`), note);
    try {
      const { stdout, stderr } = await run(bin, ['-vkey', join(dir, `vkey${n}`), '-note', join(dir, `note${n}`)]);
      return { code: 0, out: stdout, err: stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout, err: e.stderr };
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'besa-go-note-'));
    let go: string;
    try {
      go = execFileSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).trim();
    } catch {
      throw new Error(`the Go toolchain is missing: this test checks Besa's notes with Go's reference implementation. On Debian: ${PACKAGES}`);
    }
    if (!existsSync(join(GOPATH, 'src/golang.org/x/mod/sumdb/note/note.go'))) {
      throw new Error(`golang.org/x/mod/sumdb/note is missing from ${GOPATH}. On Debian: ${PACKAGES}`);
    }
    bin = join(dir, 'go-note-check');
    // GOPATH mode, offline: the package comes from Debian's sources, nothing is downloaded.
    execFileSync(go, ['build', '-o', bin, '.'], {
      cwd: source,
      env: { PATH: process.env.PATH, HOME: dir, GO111MODULE: 'off', GOPATH, GOFLAGS: '', GOPROXY: 'off', GOCACHE: join(dir, 'cache'), CGO_ENABLED: '0' },
      stdio: 'pipe',
    });
    t = await openTestApp('sqlite');
  });
  after(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const checkpoint = async (): Promise<CheckpointJson> => (await t.app.inject({ method: 'GET', url: '/transparency/checkpoint' })).json() as CheckpointJson;

  test("Go verifies the checkpoint notes a Besa app serves, with the log's vkey; a changed byte fails", async () => {
    const { db } = t.database;
    for (let i = 0; i < 3; i += 1) {
      await runCommand(db, ADMIN, async (_trx, audit) => {
        await audit.publish('commitment.updated', 'commitment', 1, { changed: ['title'], values: { title: { en: `Budget ${i}` } } });
      });
      const cp = await checkpoint();
      assert.equal(cp.treeSize, i + 1);
      assert.equal(cp.noteFormat, 2);
      assert.ok(cp.note && cp.vkey);
      const ok = await goVerify(cp.vkey, cp.note);
      assert.equal(ok.code, 0, ok.err);
      assert.equal(ok.out, cp.text, 'Go prints the verified text: the C2SP checkpoint');
      assert.deepEqual(parseCheckpoint(ok.out).size, i + 1);
    }
    const cp = await checkpoint();
    // One changed byte in the text (the tree size), or in the signature: Go refuses the note.
    const text = await goVerify(cp.vkey!, cp.note!.replace(`\n${cp.treeSize}\n`, `\n${cp.treeSize + 1}\n`));
    assert.equal(text.code, 1);
    assert.match(text.err, /does not verify|invalid signature/i);
    const sigAt = cp.note!.lastIndexOf(' ') + 10;
    const flipped = cp.note!.slice(0, sigAt) + (cp.note![sigAt] === 'A' ? 'B' : 'A') + cp.note!.slice(sigAt + 1);
    assert.equal((await goVerify(cp.vkey!, flipped)).code, 1);
    // Another key of the same name: Go does not know it, and a note no known key signed is refused.
    assert.equal(verifierFromVkey(cp.vkey!).name, cp.origin);
    const stranger = generateKeyPairSync('ed25519').privateKey;
    assert.equal((await goVerify(logVkey(cp.origin, rawPublicKeyOf(stranger)), cp.note!)).code, 1);
    // A witness's cosignature line added (type 0x04, unknown to this vkey): still verifies, as signed-note requires.
    const cosigned = `${cp.note!}${cosignLine(cp.text, 'witness.example/w1', stranger, 1_767_225_600)}\n`;
    const withWitness = await goVerify(cp.vkey!, cosigned);
    assert.equal(withWitness.code, 0, withWitness.err);
    assert.equal(withWitness.out, cp.text);
  });

  test('after a key rotation: the rotation checkpoint is a note of the old key, later ones of the new key', async () => {
    const { db } = t.database;
    const newKey = generateKeyPairSync('ed25519').privateKey;
    const rotated = await publishKeyChange(db, KEY_ROTATED, newKey);
    useSigningKey(newKey);
    await runCommand(db, ADMIN, async (_trx, audit) => {
      await audit.publish('commitment.updated', 'commitment', 1, { changed: ['title'], values: { title: { en: 'After the rotation' } } });
    });
    const log = (await t.app.inject({ method: 'GET', url: '/transparency/log.json' })).json() as { keys: { id: number; vkey: string }[]; checkpoints: CheckpointJson[] };
    const vkeyOf = (id: number) => log.keys.find((k) => k.id === id)!.vkey;
    const atRotation = log.checkpoints.find((c) => c.treeSize === rotated.entry + 1)!;
    const last = log.checkpoints.at(-1)!;
    assert.equal(atRotation.keyId, 1);
    assert.equal(last.keyId, rotated.keyId);
    assert.notEqual(atRotation.origin, last.origin, "the origin is the signing key's");
    const oldOk = await goVerify(vkeyOf(1), atRotation.note!);
    assert.equal(oldOk.code, 0, oldOk.err);
    const newOk = await goVerify(vkeyOf(rotated.keyId), last.note!);
    assert.equal(newOk.code, 0, newOk.err);
    assert.equal((await goVerify(vkeyOf(1), last.note!)).code, 1, 'the old key does not sign after the rotation');
  });

  test("a note Go signs with note.NewSigner opens with Besa's note.ts", async () => {
    const text = formatCheckpoint('go.example/log', 7, Buffer.alloc(32, 7));
    writeFileSync(join(dir, 'text'), text);
    for (let i = 0; i < 4; i += 1) {
      // Several keys: some vkeys hold "+" in their base64 part, which a verifier must read whole.
      const { stdout } = await run(bin, ['-sign', 'go.example/log', '-text', join(dir, 'text')]);
      const signed = JSON.parse(stdout) as { vkey: string; note: string };
      const opened = openNote(signed.note, [verifierFromVkey(signed.vkey)]);
      assert.equal(opened.text, text);
      assert.equal(opened.verified[0]?.name, 'go.example/log');
      assert.equal(parseCheckpoint(opened.text).size, 7);
      const tampered = signed.note.replace('\n7\n', '\n8\n');
      assert.throws(() => openNote(tampered, [verifierFromVkey(signed.vkey)]), /does not verify/);
    }
  });
});
