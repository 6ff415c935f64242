/**
 * Three `besa witness serve` processes on loopback, fed by a log signed like Besa's: normal growth
 * cosigned by all three; one killed, the other two still cosign and the dead one refuses
 * connections; restarted, it keeps its state; the fork drill is refused by all three.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openNote, parseVkey as parseVkeyText, verifierFromVkey } from '../src/lib/tlog/note.js';
import { addCheckpoint, originPath, startWitnessProcess, TestLog, type WitnessProcess } from './witness-processes.js';

const verifier = (vkey: string) => verifierFromVkey(parseVkeyText(vkey));

describe('three witness processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'besa-witnesses-'));
  const log = new TestLog().grow(10);
  const logs = [{ origin: log.origin, vkeys: [log.vkey] }];
  let witnesses: WitnessProcess[] = [];
  /** The size each witness cosigned last. */
  const last = new Map<string, number>();

  before(async () => {
    witnesses = await Promise.all(['a', 'b', 'c'].map((n) => startWitnessProcess({ dir: join(dir, n), name: `witness-${n}.example.org/besa`, logs, policy: `Witness ${n}` })));
  });

  after(async () => {
    await Promise.all(witnesses.map((w) => w.kill()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Asks every witness in `ws` to cosign the log's current size; returns the note with the log's signature and every cosignature. */
  async function cosignAll(ws: WitnessProcess[]): Promise<string> {
    const size = log.tree.size;
    const lines = await Promise.all(
      ws.map(async (w) => {
        const r = await addCheckpoint(w.url, log.addCheckpointBody(last.get(w.name) ?? 0, size));
        assert.equal(r.status, 200, `${w.name} at size ${size}: ${r.status} ${r.text}`);
        last.set(w.name, size);
        return r.text.trimEnd();
      }),
    );
    const note = log.note(size);
    const cosigned = note + lines.map((l) => `${l}\n`).join('');
    const opened = openNote(cosigned, [verifier(log.vkey), ...ws.map((w) => verifier(w.vkey))]);
    assert.equal(opened.verified.length, 1 + ws.length, 'the log signature and one cosignature per witness verify');
    return cosigned;
  }

  test('normal growth is cosigned by all three', async () => {
    for (const add of [0, 15, 7, 32]) {
      log.grow(add);
      await cosignAll(witnesses);
    }
    for (const w of witnesses) {
      const served = await (await fetch(`${w.url}${originPath(log.origin)}`)).text();
      const opened = openNote(served, [verifier(log.vkey), verifier(w.vkey)]);
      assert.equal(opened.verified.length, 2);
      assert.ok(opened.text.includes(`\n${log.tree.size}\n`));
      const home = await (await fetch(`${w.url}/`)).text();
      assert.ok(home.includes(`${log.origin}: last cosigned size ${log.tree.size}`));
    }
  });

  test('a second process on the same state file is refused', async () => {
    const [a] = witnesses;
    const second = spawn(process.execPath, ['--import', 'tsx', new URL('../src/cli.ts', import.meta.url).pathname, 'witness', 'serve', '--config', a!.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    second.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    second.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => second.once('exit', (c) => resolve(c)));
    assert.equal(code, 1);
    assert.match(output, new RegExp(`another witness \\(process ${a!.child.pid}\\) is using the state file`));
  });

  test('with one witness killed the other two still cosign, and the dead one refuses connections', async () => {
    const dead = witnesses[2]!;
    await dead.kill();
    log.grow(20);
    const note = await cosignAll(witnesses.slice(0, 2));
    assert.equal(openNote(note, [verifier(log.vkey), ...witnesses.map((w) => verifier(w.vkey))]).verified.length, 3, '2 of 3 cosigned');
    await assert.rejects(fetch(`${dead.url}/`), (e: unknown) => e instanceof TypeError && /ECONNREFUSED/.test(String((e as { cause?: unknown }).cause)));
    assert.ok(existsSync(`${dead.stateFile}.lock`), 'a killed witness leaves its lock behind');
    // Restarted: the stale lock is taken over and the state is the one before the crash.
    const restarted = await startWitnessProcess({ dir: dead.dir, name: dead.name, logs });
    witnesses[2] = restarted;
    assert.equal(restarted.vkey, dead.vkey, 'same key');
    const stale = await addCheckpoint(restarted.url, log.addCheckpointBody(0));
    assert.equal(stale.status, 409);
    assert.equal(stale.text, `${last.get(dead.name)}\n`);
    await cosignAll(witnesses);
  });

  test('the fork drill: another history under the log key is refused by all three', async () => {
    const shared = 25;
    const fork = log.fork(shared).grow(log.tree.size - shared + 5, 'hidden');
    const size = log.tree.size;
    for (const w of witnesses) {
      const from = last.get(w.name)!;
      assert.equal(from, size);
      // Same size as the cosigned checkpoint, another root.
      const sameBody = fork.addCheckpointBody(from, size);
      const same = await addCheckpoint(w.url, sameBody);
      assert.equal(same.status, 422, `${w.name}: ${same.text}`);
      // Sent again: refused, recorded once.
      assert.equal((await addCheckpoint(w.url, sameBody)).status, 422);
      // Further on, with the fork's own proof from the witness's size (refused, not recorded: a failed proof proves nothing).
      const furtherBody = fork.addCheckpointBody(from, fork.tree.size);
      const further = await addCheckpoint(w.url, furtherBody);
      assert.equal(further.status, 422, `${w.name}: ${further.text}`);
      // From the shared prefix: not what the witness cosigned last (409, which is not evidence).
      const prefix = await addCheckpoint(w.url, fork.addCheckpointBody(shared, fork.tree.size));
      assert.equal(prefix.status, 409);
      assert.equal(prefix.text, `${size}\n`);
      const evidence = readFileSync(`${w.stateFile}.evidence.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { origin: string; size: number; cosigned: { root: string }; conflicting: { root: string; note: string } });
      assert.equal(evidence.length, 1, `${w.name} kept exactly one line: the two roots for size ${size}`);
      assert.equal(evidence[0]!.origin, log.origin);
      assert.equal(evidence[0]!.size, size);
      assert.equal(evidence[0]!.cosigned.root, log.tree.root(size).toString('base64'));
      assert.equal(evidence[0]!.conflicting.note, fork.note(size));
      // Its served checkpoint is still the public history's.
      const served = await (await fetch(`${w.url}${originPath(log.origin)}`)).text();
      assert.ok(served.includes(log.tree.root().toString('base64')));
      assert.ok(!served.includes(fork.tree.root(size).toString('base64')));
    }
  });

  test('stop ends a witness cleanly: the lock is released', async () => {
    const w = witnesses[0]!;
    await w.stop();
    assert.equal(w.child.exitCode, 0);
    assert.ok(!existsSync(`${w.stateFile}.lock`));
    assert.match(w.output(), /SIGTERM: stopping/);
  });
});
