/**
 * `besa witness` in process (a real HTTP server on 127.0.0.1:0): every status code of C2SP
 * tlog-witness add-checkpoint, a growing log cosigned step by step, the split-view drill,
 * concurrent requests, restart, the lock, and the config and key checks.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { assembleNote, cosignatureVerifier, formatCheckpoint, formatVkey, openNote, parseCheckpoint, parseNote, rawEd25519PublicKey, signNoteLine, parseVkey, verifierFromVkey as noteVerifierFromVkey } from '../lib/tlog/note.js';
import { EMPTY_ROOT, hashLeaf } from '../modules/transparency/merkle.js';
import { addCheckpoint, originPath, TestLog } from '../../test/witness-processes.js';
import { parseWitnessConfig } from './config.js';
import { createWitnessKey, readWitnessKey, WitnessError } from './files.js';
import { formatAddCheckpoint, MAX_PROOF_LINES } from './protocol.js';
import { logVkey } from '../modules/transparency/keys.js';
import { createWitnessServer, MAX_BODY_BYTES, type WitnessServer } from './server.js';
import { MAX_EVIDENCE_BYTES, WitnessStore } from './store.js';
import { witnessMain } from './cli.js';

const NAME = 'witness.example.org/besa-test';
const root = mkdtempSync(join(tmpdir(), 'besa-witness-'));
let counter = 0;

interface Running {
  witness: WitnessServer;
  url: string;
  stateFile: string;
  dir: string;
  keyFile: string;
  logs: TestLog[];
}

/** A witness following `logs`, in its own folder (or `dir`, to restart on the same key and state). */
async function startWitness(logs: TestLog[], dir = join(root, `w${(counter += 1)}`), options: { now?: () => number; syncDirectory?: (path: string) => void; log?: (line: string) => void } = {}): Promise<Running> {
  const keyFile = join(dir, 'key.pem');
  if (!existsSync(keyFile)) createWitnessKey(keyFile);
  const config = parseWitnessConfig(
    { name: NAME, keyFile, host: '127.0.0.1', port: 0, stateFile: 'state.json', policy: 'We cosign only histories that extend what we saw.', logs: logs.map((l) => ({ origin: l.origin, vkeys: [l.vkey] })) },
    'test config',
    dir,
  );
  const store = WitnessStore.open(config.stateFile, { ...(options.syncDirectory ? { syncDirectory: options.syncDirectory } : {}), ...(options.log ? { log: options.log } : {}) });
  const witness = createWitnessServer({ config, key: readWitnessKey(keyFile), store, ...(options.now ? { now: options.now } : {}), ...(options.log ? { log: options.log } : {}) });
  return { witness, url: await witness.listen(), stateFile: config.stateFile, dir, keyFile, logs };
}

function cosignature(w: Running, log: TestLog, size: number, body: string): { timestamp: number } {
  const lines = body.split('\n');
  assert.equal(lines.length, 2, 'one cosignature line and its newline');
  assert.equal(lines[1], '');
  const note = assembleNote(log.checkpointText(size), [lines[0]!]);
  const opened = openNote(note, [verifierFromVkey(w.witness.vkey)]);
  assert.equal(opened.verified.length, 1);
  assert.equal(opened.verified[0]!.type, 0x04);
  return { timestamp: opened.verified[0]!.timestamp! };
}

function evidence(w: Running): Array<{ time: string; origin: string; size: number; cosigned: { root: string; note: string }; conflicting: { root: string; note: string } }> {
  const file = `${w.stateFile}.evidence.jsonl`;
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ReturnType<typeof evidence>[number]);
}

/** A verifier from a vkey whose base64 may hold "+". */
function verifierFromVkey(vkey: string) {
  return noteVerifierFromVkey(parseVkey(vkey));
}

function storedSize(w: Running, origin: string): number | undefined {
  if (!existsSync(w.stateFile)) return undefined;
  const file = JSON.parse(readFileSync(w.stateFile, 'utf8')) as { logs: Record<string, { size: number }> };
  return file.logs[origin]?.size;
}

after(() => rmSync(root, { recursive: true, force: true }));

describe('besa witness: add-checkpoint status codes', () => {
  const log = new TestLog().grow(10);
  let w: Running;
  before(async () => {
    w = await startWitness([log]);
  });
  after(() => w.witness.close());

  test('404 for a log the witness does not follow', async () => {
    const other = new TestLog().grow(3);
    const r = await addCheckpoint(w.url, other.addCheckpointBody(0));
    assert.equal(r.status, 404);
    assert.match(r.text, /unknown origin/);
  });

  test('403 when no signature is from a trusted key, and when a trusted key\'s signature fails', async () => {
    // Same origin, another key: its line is ignored, so no trusted signature remains.
    const impostor = new TestLog();
    const text = log.checkpointText(3);
    const forged = assembleNote(text, [signNoteLine(text, log.origin, impostor.key)]);
    const r1 = await addCheckpoint(w.url, formatAddCheckpoint(0, [], forged));
    assert.equal(r1.status, 403);
    assert.match(r1.text, /no signature from a known key/);
    // The log's own line, its signature bytes changed.
    const good = log.note(3);
    const line = parseNote(good).signatures[0]!;
    const bytes = Buffer.from(line.line.split(' ')[2]!, 'base64');
    bytes[10] = bytes[10]! ^ 0xff;
    const broken = assembleNote(text, [`— ${log.origin} ${bytes.toString('base64')}`]);
    const r2 = await addCheckpoint(w.url, formatAddCheckpoint(0, [], broken));
    assert.equal(r2.status, 403);
    assert.match(r2.text, /does not verify/);
    // A checkpoint signed by the log for another text (size changed after signing).
    const tampered = good.replace(`\n3\n`, '\n4\n');
    assert.equal((await addCheckpoint(w.url, formatAddCheckpoint(0, [], tampered))).status, 403);
  });

  test('400 for an old size above the checkpoint size and for malformed bodies', async () => {
    const r = await addCheckpoint(w.url, formatAddCheckpoint(5, [], log.note(3)));
    assert.equal(r.status, 400);
    assert.match(r.text, /larger than/);
    const note = log.note(3);
    const malformed = [
      `old 01\n\n${note}`,
      `old -1\n\n${note}`,
      `new 0\n\n${note}`,
      `old 0\n${note}`, // no blank line: the origin is read as a proof line
      `old 0\nnot base64!\n\n${note}`,
      `old 0\n${Buffer.alloc(31).toString('base64')}\n\n${note}`,
      `old 0\n\n${note.replace(/\n$/, '')}`, // the note does not end in a newline
      `old 0\n\nbesa-log/x\nnot a size\n${EMPTY_ROOT.toString('base64')}\n\n— x AAAAAAA=\n`,
      `old 0\n\n`,
      'old 0',
      `old ${'9'.repeat(20)}\n\n${note}`,
      `old 1\n${Array.from({ length: MAX_PROOF_LINES + 1 }, () => `${EMPTY_ROOT.toString('base64')}\n`).join('')}\n${note}`,
    ];
    for (const body of malformed) {
      const m = await addCheckpoint(w.url, body);
      assert.equal(m.status, 400, `400 for ${JSON.stringify(body.slice(0, 40))}: got ${m.status} ${m.text}`);
    }
    const latin1 = await fetch(`${w.url}/add-checkpoint`, { method: 'POST', body: Buffer.from([0x6f, 0x6c, 0x64, 0x20, 0x30, 0x0a, 0x0a, 0xff, 0x0a]) });
    assert.equal(latin1.status, 400);
    assert.equal(storedSize(w, log.origin) ?? 0, 0, 'nothing was cosigned');
  });

  test('422: size 0 with another root than the empty tree\'s, a proof from size 0, and the empty tree cosigned', async () => {
    const text = formatCheckpoint(log.origin, 0, hashLeaf('not empty'));
    const r = await addCheckpoint(w.url, formatAddCheckpoint(0, [], assembleNote(text, [signNoteLine(text, log.origin, log.key)])));
    assert.equal(r.status, 422);
    assert.match(r.text, /empty tree/);
    const proofFromZero = formatAddCheckpoint(0, [log.tree.root(1)], log.note(4));
    assert.equal((await addCheckpoint(w.url, proofFromZero)).status, 422);
    const empty = formatCheckpoint(log.origin, 0, EMPTY_ROOT);
    const ok = await addCheckpoint(w.url, formatAddCheckpoint(0, [], assembleNote(empty, [signNoteLine(empty, log.origin, log.key)])));
    assert.equal(ok.status, 200);
    assert.equal(storedSize(w, log.origin), 0);
  });

  test('200 with a cosignature line, then 409 with the size when the old size is not the last cosigned one', async () => {
    const r = await addCheckpoint(w.url, log.addCheckpointBody(0, 6));
    assert.equal(r.status, 200);
    assert.match(r.type, /^text\/plain/);
    assert.match(r.text, /^— witness\.example\.org\/besa-test [A-Za-z0-9+/]+=*\n$/);
    cosignature(w, log, 6, r.text);
    const conflict = await addCheckpoint(w.url, log.addCheckpointBody(4, 8));
    assert.equal(conflict.status, 409);
    assert.equal(conflict.type, 'text/x.tlog.size');
    assert.equal(conflict.text, '6\n');
    const zero = await addCheckpoint(w.url, log.addCheckpointBody(0, 8));
    assert.equal(zero.status, 409, 'old 0 is how a log asks for the size');
    assert.equal(zero.text, '6\n');
  });

  test('422 for a consistency proof that does not verify, or a proof between equal sizes', async () => {
    const body = formatAddCheckpoint(6, log.tree.consistencyProof(5, 8), log.note(8));
    const r = await addCheckpoint(w.url, body);
    assert.equal(r.status, 422);
    assert.match(r.text, /does not verify/);
    const missing = formatAddCheckpoint(6, [], log.note(8));
    assert.equal((await addCheckpoint(w.url, missing)).status, 422);
    const same = formatAddCheckpoint(6, [log.tree.root(6)], log.note(6));
    assert.equal((await addCheckpoint(w.url, same)).status, 422);
    // The same checkpoint again, without a proof: cosigned again.
    assert.equal((await addCheckpoint(w.url, log.addCheckpointBody(6, 6))).status, 200);
    assert.equal(storedSize(w, log.origin), 6);
  });

  test('413 for a body over the limit; 405 and 404 for other methods and paths', async () => {
    const big = await addCheckpoint(w.url, `old 0\n\n${'x'.repeat(MAX_BODY_BYTES + 1)}`);
    assert.equal(big.status, 413);
    const get = await fetch(`${w.url}/add-checkpoint`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const postHome = await fetch(`${w.url}/`, { method: 'POST', body: 'x' });
    assert.equal(postHome.status, 405);
    const putCheckpoint = await fetch(`${w.url}${originPath(log.origin)}`, { method: 'PUT', body: 'x' });
    assert.equal(putCheckpoint.status, 405);
    assert.equal((await fetch(`${w.url}/nothing-here`)).status, 404);
    assert.equal((await fetch(`${w.url}/add-checkpoint/x`, { method: 'POST', body: 'x' })).status, 404);
  });

  test('keep-alive: a client reuses its connection across add-checkpoint requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = request(`${w.url}/add-checkpoint`, { method: 'POST', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      const first = await post(log.addCheckpointBody(0, 6));
      const second = await post(log.addCheckpointBody(0, 6));
      assert.deepEqual([first.status, second.status], [409, 409]);
      assert.equal(first.reused, false);
      assert.equal(second.reused, true, 'the second request went over the first one\'s connection');
    } finally {
      agent.destroy();
    }
  });

  test('GET /<origin hash>/checkpoint: 404 before a cosignature, then the checkpoint with the log\'s and the witness\'s signatures', async () => {
    const other = new TestLog().grow(2);
    const w2 = await startWitness([other]);
    try {
      assert.equal((await fetch(`${w2.url}${originPath(other.origin)}`)).status, 404);
      assert.equal((await fetch(`${w2.url}${originPath('besa-log/unknown')}`)).status, 404);
      assert.equal((await addCheckpoint(w2.url, other.addCheckpointBody(0))).status, 200);
      const response = await fetch(`${w2.url}${originPath(other.origin)}`);
      assert.equal(response.status, 200);
      const note = await response.text();
      const opened = openNote(note, [verifierFromVkey(other.vkey), verifierFromVkey(w2.witness.vkey)]);
      assert.deepEqual(opened.verified.map((v) => v.type).sort(), [0x01, 0x04]);
      assert.equal(parseCheckpoint(opened.text).size, 2);
      assert.ok(parseCheckpoint(opened.text).root.equals(other.tree.root()));
      const home = await (await fetch(`${w2.url}/`)).text();
      assert.match(home, new RegExp(`${NAME.replace(/\./g, '\\.')}`));
      assert.ok(home.includes(w2.witness.vkey));
      assert.match(home, /We cosign only histories that extend what we saw\./);
      assert.ok(home.includes(`${other.origin}: last cosigned size 2`));
    } finally {
      await w2.witness.close();
    }
  });
});

describe('besa witness: a growing log, the split-view drill, concurrency, restart and the lock', () => {
  test('a growing log is cosigned step by step; each cosignature verifies with the witness vkey and carries the time', async () => {
    const log = new TestLog();
    const w = await startWitness([log]);
    try {
      let old = 0;
      for (const add of [0, 1, 1, 1, 2, 3, 5, 8, 51, 28, 156]) {
        log.grow(add);
        const start = Math.floor(Date.now() / 1000);
        const r = await addCheckpoint(w.url, log.addCheckpointBody(old));
        const end = Math.ceil(Date.now() / 1000);
        assert.equal(r.status, 200, `size ${log.tree.size}: ${r.text}`);
        const { timestamp } = cosignature(w, log, log.tree.size, r.text);
        assert.ok(timestamp >= start && timestamp <= end, `timestamp ${timestamp} within ${start}–${end}`);
        // On disk before the answer.
        assert.equal(storedSize(w, log.origin), log.tree.size);
        old = log.tree.size;
      }
      assert.equal(old, 256);
      // The cosignature also verifies with the vkey parsed as a cosigner key.
      const k = parseVkey(w.witness.vkey);
      assert.equal(k.name, NAME);
      assert.equal(k.type, 0x04);
      assert.ok(cosignatureVerifier(k.name, k.publicKey));
    } finally {
      await w.witness.close();
    }
  });

  test('split view: after cosigning one history the witness refuses the other (422, evidence kept) and never cosigns two roots for a size', async () => {
    const history = new TestLog().grow(10, 'public');
    const fork = history.fork(10).grow(10, 'hidden');
    history.grow(10, 'public');
    assert.ok(!history.tree.root(15).equals(fork.tree.root(15)), 'the two histories differ after entry 10');
    assert.ok(history.tree.root(10).equals(fork.tree.root(10)), 'and share the first 10 entries');
    const w = await startWitness([history]);
    const cosigned = new Map<number, string>();
    const record = (size: number, tree: TestLog, status: number) => {
      if (status !== 200) return;
      const root = tree.tree.root(size).toString('base64');
      assert.equal(cosigned.get(size) ?? root, root, `two roots cosigned for size ${size}`);
      cosigned.set(size, root);
    };
    try {
      let r = await addCheckpoint(w.url, history.addCheckpointBody(0, 10));
      record(10, history, r.status);
      assert.equal(r.status, 200);
      r = await addCheckpoint(w.url, history.addCheckpointBody(10, 15));
      record(15, history, r.status);
      assert.equal(r.status, 200);

      // The fork at the same size: another root.
      const sameSize = fork.addCheckpointBody(15, 15);
      r = await addCheckpoint(w.url, sameSize);
      record(15, fork, r.status);
      assert.equal(r.status, 422);
      assert.match(r.text, /another root hash for size 15/);
      // Sent again: refused again, recorded once.
      assert.equal((await addCheckpoint(w.url, sameSize)).status, 422);
      // The fork further on, with its own (honest for the fork) proof from 15: refused, but a
      // failed proof proves nothing (anyone can send one), so it is not recorded.
      const further = fork.addCheckpointBody(15, 20);
      r = await addCheckpoint(w.url, further);
      record(20, fork, r.status);
      assert.equal(r.status, 422);
      // With the shared prefix's size: not the last cosigned size, so 409 (no evidence).
      r = await addCheckpoint(w.url, fork.addCheckpointBody(10, 20));
      record(20, fork, r.status);
      assert.equal(r.status, 409);
      assert.equal(r.text, '15\n');

      const kept = evidence(w);
      assert.equal(kept.length, 1, 'one line: the two roots signed for size 15; not the repeat, the failed proof or the 409');
      const e = kept[0]!;
      assert.equal(e.origin, history.origin);
      assert.equal(e.size, 15);
      assert.equal(e.cosigned.root, history.tree.root(15).toString('base64'));
      assert.equal(e.conflicting.root, fork.tree.root(15).toString('base64'));
      assert.ok(Date.parse(e.time) > Date.now() - 60_000);
      // Self-contained: both notes carry the log's signature, for one size, with two roots.
      for (const [note, tree] of [[e.cosigned.note, history], [e.conflicting.note, fork]] as const) {
        const opened = openNote(note, [verifierFromVkey(history.vkey)]);
        const c = parseCheckpoint(opened.text);
        assert.equal(c.size, 15);
        assert.ok(c.root.equals(tree.tree.root(15)));
      }

      // The witness still follows the public history.
      r = await addCheckpoint(w.url, history.addCheckpointBody(15, 20));
      record(20, history, r.status);
      assert.equal(r.status, 200);
      // And the fork at any size stays refused.
      for (const size of [20, 21]) {
        if (size > fork.tree.size) fork.grow(size - fork.tree.size, 'hidden');
        r = await addCheckpoint(w.url, fork.addCheckpointBody(20, size));
        record(size, fork, r.status);
        assert.equal(r.status, 422);
      }
      const served = await (await fetch(`${w.url}${originPath(history.origin)}`)).text();
      assert.ok(parseCheckpoint(parseNote(served).text).root.equals(history.tree.root(20)));
    } finally {
      await w.witness.close();
    }
  });

  test('20 concurrent add-checkpoint requests leave a consistent state (no rollback)', async () => {
    const log = new TestLog().grow(200);
    const w = await startWitness([log]);
    try {
      // A chain 0 → 10 → 20 → … → 200, all sent at once.
      const sizes = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
      const results = await Promise.all(sizes.map((size) => addCheckpoint(w.url, log.addCheckpointBody(size - 10, size))));
      const ok = sizes.filter((_, i) => results[i]!.status === 200);
      assert.ok(ok.length >= 1, 'at least one is cosigned');
      for (const [i, r] of results.entries()) assert.ok(r.status === 200 || r.status === 409, `request ${i}: ${r.status} ${r.text}`);
      const highest = Math.max(...ok);
      assert.equal(storedSize(w, log.origin), highest, 'the state holds the largest size cosigned, never a smaller one');
      // The spec's race: two requests from the same old size; exactly one wins, the state is the winner's.
      for (let round = 0; round < 5; round += 1) {
        const from = storedSize(w, log.origin)!;
        log.grow(20);
        const pair = await Promise.all([addCheckpoint(w.url, log.addCheckpointBody(from, from + 5)), addCheckpoint(w.url, log.addCheckpointBody(from, from + 20))]);
        const statuses = pair.map((p) => p.status).sort();
        assert.deepEqual(statuses, [200, 409]);
        const winner = pair[0]!.status === 200 ? from + 5 : from + 20;
        assert.equal(storedSize(w, log.origin), winner);
        assert.equal(pair.find((p) => p.status === 409)!.text, `${winner}\n`);
      }
    } finally {
      await w.witness.close();
    }
  });

  test('a restart keeps the state; the lock refuses a second witness on the same state file', async () => {
    const log = new TestLog().grow(30);
    const first = await startWitness([log]);
    assert.equal((await addCheckpoint(first.url, log.addCheckpointBody(0, 20))).status, 200);
    const held = readFileSync(`${first.stateFile}.lock`, 'utf8');
    assert.match(held, new RegExp(`^${process.pid} [0-9a-f]{32}\n$`));
    // Another live process holds it: refused.
    writeFileSync(`${first.stateFile}.lock`, `${process.ppid} 00\n`);
    assert.throws(() => WitnessStore.open(first.stateFile), (e: unknown) => e instanceof WitnessError && /another witness \(process \d+\) is using the state file/.test(e.message));
    writeFileSync(`${first.stateFile}.lock`, held);
    await first.witness.close();
    assert.ok(!existsSync(`${first.stateFile}.lock`), 'a clean stop releases the lock');

    const second = await startWitness([log], first.dir);
    try {
      const r = await addCheckpoint(second.url, log.addCheckpointBody(0, 30));
      assert.equal(r.status, 409);
      assert.equal(r.text, '20\n');
      assert.equal((await addCheckpoint(second.url, log.addCheckpointBody(20, 30))).status, 200);
      const fork = log.fork(10).grow(10, 'other');
      assert.equal((await addCheckpoint(second.url, fork.addCheckpointBody(30, 20))).status, 400);
    } finally {
      await second.witness.close();
    }

    // A lock left by a process that is gone (a crash) is taken over.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(`${first.stateFile}.lock`, `${dead}\n`);
    const third = WitnessStore.open(first.stateFile);
    assert.equal(third.get(log.origin)?.size, 30);
    await third.close();
  });

  test('a lock holding our own pid is stale (PID 1 restarted in a container); a witness whose lock was taken over stops writing', async () => {
    const log = new TestLog().grow(30);
    const w = await startWitness([log]);
    try {
      assert.equal((await addCheckpoint(w.url, log.addCheckpointBody(0, 10))).status, 200);
      // Our own pid in the lock (left by the previous run of this pid): taken over.
      const next = WitnessStore.open(w.stateFile);
      assert.equal(next.get(log.origin)?.size, 10);
      // The first store no longer holds the lock: it refuses to write the state (500), the file keeps size 10.
      const r = await addCheckpoint(w.url, log.addCheckpointBody(10, 20));
      assert.equal(r.status, 500);
      assert.equal(storedSize(w, log.origin), 10);
      await next.close();
      assert.ok(!existsSync(`${w.stateFile}.lock`));
    } finally {
      await w.witness.close();
    }
  });

  test('stale locks taken over by several processes at once: at most one opens', async () => {
    const dir = join(root, 'race');
    const file = join(dir, 'state.json');
    createWitnessKey(join(dir, 'key.pem'));
    const store = new URL('./store.ts', import.meta.url).pathname;
    const go = join(dir, 'go');
    // Each child says it is ready, waits for "go", tries to open, and stays alive a moment (its lock is then live).
    const script = `import { existsSync, writeFileSync } from 'node:fs'; import { WitnessStore } from ${JSON.stringify(store)};
      writeFileSync(${JSON.stringify(dir)} + '/ready-' + process.pid, '');
      while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 5));
      let out = 'refused'; try { WitnessStore.open(${JSON.stringify(file)}); out = 'opened'; } catch {}
      console.log(out); await new Promise((r) => setTimeout(r, 1500));`;
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    for (let round = 0; round < 3; round += 1) {
      rmSync(go, { force: true });
      for (const f of readdirSync(dir)) if (f.startsWith('ready-')) rmSync(join(dir, f));
      writeFileSync(`${file}.lock`, `${dead} 00\n`);
      const children = Array.from({ length: 4 }, () => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]).then((o) => o.stdout.trim()));
      while (readdirSync(dir).filter((f) => f.startsWith('ready-')).length < 4) await new Promise((r) => setTimeout(r, 20));
      writeFileSync(go, '');
      const outcomes = await Promise.all(children);
      assert.ok(outcomes.filter((o) => o === 'opened').length <= 1, `round ${round}: ${outcomes.join(', ')}`);
      assert.ok(outcomes.includes('opened'), `round ${round}: one takes the stale lock over (${outcomes.join(', ')})`);
    }
  });

  test('a directory fsync that fails after the rename: 500, and memory is never older than the disk', async () => {
    const log = new TestLog().grow(30);
    let fail = false;
    const w = await startWitness([log], undefined, {
      syncDirectory: () => {
        if (fail) {
          fail = false;
          throw new Error('EIO: fsync of the directory failed');
        }
      },
    });
    try {
      assert.equal((await addCheckpoint(w.url, log.addCheckpointBody(0, 10))).status, 200);
      fail = true;
      assert.equal((await addCheckpoint(w.url, log.addCheckpointBody(10, 20))).status, 500);
      assert.equal(storedSize(w, log.origin), 20, 'the rename happened');
      // The witness decides from size 20 (what the disk holds), not 10.
      const r = await addCheckpoint(w.url, log.addCheckpointBody(10, 30));
      assert.equal(r.status, 409);
      assert.equal(r.text, '20\n');
      assert.equal((await addCheckpoint(w.url, log.addCheckpointBody(20, 30))).status, 200);
    } finally {
      await w.witness.close();
    }
  });

  test('cosignature timestamps never go back for a log, even when the clock does', async () => {
    const log = new TestLog().grow(30);
    const clock = [2_000_000_000, 1_000_000_000, 1_500_000_000];
    const w = await startWitness([log], undefined, { now: () => clock.shift()! });
    try {
      const stamps = [];
      for (const [old, size] of [[0, 10], [10, 20], [20, 30]] as const) {
        const r = await addCheckpoint(w.url, log.addCheckpointBody(old, size));
        assert.equal(r.status, 200);
        stamps.push(cosignature(w, log, size, r.text).timestamp);
      }
      assert.deepEqual(stamps, [2_000_000_000, 2_000_000_000, 2_000_000_000]);
    } finally {
      await w.witness.close();
    }
  });

  test('origins such as "__proto__" and "constructor" are followed like any other', async () => {
    const logs = ['__proto__', 'constructor'].map((origin) => {
      const key = generateKeyPairSync('ed25519').privateKey;
      const l = new TestLog(key).grow(20);
      Object.defineProperty(l, 'origin', { value: origin });
      Object.defineProperty(l, 'vkey', { value: logVkey(origin, rawEd25519PublicKey(key).toString('base64')) });
      return l;
    });
    const w = await startWitness(logs);
    try {
      for (const l of logs) {
        assert.equal((await addCheckpoint(w.url, l.addCheckpointBody(0, 10))).status, 200, l.origin);
        assert.equal((await addCheckpoint(w.url, l.addCheckpointBody(10, 20))).status, 200, l.origin);
        assert.equal(storedSize(w, l.origin), 20);
      }
    } finally {
      await w.witness.close();
    }
    const again = WitnessStore.open(w.stateFile);
    assert.deepEqual(again.origins().sort(), ['__proto__', 'constructor']);
    assert.equal(again.get('__proto__')?.size, 20);
    assert.equal(again.get('constructor')?.size, 20);
    await again.close();
  });

  test('a wrong proof with a real checkpoint is refused (422) and records nothing; the evidence file is capped', async () => {
    const log = new TestLog().grow(20);
    const logged: string[] = [];
    const w = await startWitness([log], undefined, { log: (line) => logged.push(line) });
    try {
      assert.equal((await addCheckpoint(w.url, log.addCheckpointBody(0, 10))).status, 200);
      // The checkpoint the witness serves, with one proof line between equal sizes.
      assert.equal((await addCheckpoint(w.url, formatAddCheckpoint(10, [EMPTY_ROOT], log.note(10)))).status, 422);
      // A real newer checkpoint with a made-up proof.
      assert.equal((await addCheckpoint(w.url, formatAddCheckpoint(10, [EMPTY_ROOT, EMPTY_ROOT], log.note(20)))).status, 422);
      assert.deepEqual(evidence(w), []);
      // A full evidence file: a split view is refused and logged, not appended.
      writeFileSync(`${w.stateFile}.evidence.jsonl`, `${'x'.repeat(MAX_EVIDENCE_BYTES)}\n`);
    } finally {
      await w.witness.close();
    }
    const full = await startWitness([log], w.dir, { log: (line) => logged.push(line) });
    try {
      const fork = log.fork(5).grow(5, 'hidden');
      assert.equal((await addCheckpoint(full.url, fork.addCheckpointBody(10, 10))).status, 422);
      assert.equal(statSync(`${w.stateFile}.evidence.jsonl`).size, MAX_EVIDENCE_BYTES + 1);
      assert.ok(logged.some((l) => /evidence file .* is full/.test(l)), logged.join('\n'));
    } finally {
      await full.witness.close();
    }
  });

  test('a damaged state file stops the start', () => {
    const dir = join(root, 'damaged');
    const file = join(dir, 'state.json');
    createWitnessKey(join(dir, 'key.pem'));
    writeFileSync(file, '{"format":"besa-witness-state/v1","logs":{"x":{"size":3}}}');
    assert.throws(() => WitnessStore.open(file), /state file .* is damaged .*restore it from a backup/);
    assert.ok(!existsSync(`${file}.lock`), 'the lock is released');
  });
});

describe('besa witness: keys, config and the command', () => {
  test('init makes a 0600 key and never overwrites it; a key others may read is refused', async () => {
    const dir = join(root, 'init');
    const out: string[] = [];
    const err: string[] = [];
    assert.equal(await witnessMain(['init', '--name', NAME, '--key', join(dir, 'k.pem')], (l) => out.push(l), (l) => err.push(l)), 0);
    assert.equal(statSync(join(dir, 'k.pem')).mode & 0o777, 0o600);
    const vkey = /^vkey: (\S+)$/m.exec(out.join('\n'))?.[1];
    assert.ok(vkey);
    const parsed = parseVkey(vkey);
    assert.equal(parsed.type, 0x04);
    assert.equal(parsed.name, NAME);
    const pem = readFileSync(join(dir, 'k.pem'), 'utf8');
    assert.equal(await witnessMain(['init', '--name', NAME, '--key', join(dir, 'k.pem')], () => undefined, (l) => err.push(l)), 1);
    assert.match(err.join('\n'), /already exists: a witness key is never overwritten/);
    assert.equal(readFileSync(join(dir, 'k.pem'), 'utf8'), pem);
    assert.equal(await witnessMain(['init', '--name', 'has space', '--key', join(dir, 'k2.pem')], () => undefined, (l) => err.push(l)), 1);
    assert.equal(await witnessMain(['init', '--name', NAME], () => undefined, (l) => err.push(l)), 2);
    chmodSync(join(dir, 'k.pem'), 0o644);
    assert.throws(() => readWitnessKey(join(dir, 'k.pem')), /may be read by others than its owner \(mode 644\): run chmod 600/);
  });

  test('serve refuses a bad config, naming the field and why', async () => {
    const log = new TestLog();
    const base = { name: NAME, keyFile: 'k.pem', host: '127.0.0.1', port: 0, stateFile: 's.json', logs: [{ origin: log.origin, vkeys: [log.vkey] }] };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...base, name: 'a b' }, /name: "a b" is not a valid key name/],
      [{ ...base, port: 70000 }, /port: must be a whole number/],
      [{ ...base, keyFile: undefined }, /keyFile: missing/],
      [{ ...base, colour: 'red' }, /colour: unknown field/],
      [{ ...base, logs: 'x' }, /logs: missing or not a list/],
      [{ ...base, logs: [{ origin: log.origin, vkeys: ['nonsense'] }] }, /logs\[0\]\.vkeys\[0\]: a verifier key is/],
      [{ ...base, logs: [{ origin: log.origin, vkeys: [] }] }, /logs\[0\]\.vkeys: must be a non-empty list/],
      [{ ...base, logs: [{ origin: '', vkeys: [log.vkey] }] }, /logs\[0\]\.origin/],
      [{ ...base, logs: [base.logs[0], base.logs[0]] }, /logs\[1\]\.origin: .* is listed twice/],
      [{ ...base, logs: [{ origin: log.origin, vkeys: [parseAndRetype(log.vkey)] }] }, /logs\[0\]\.vkeys\[0\]: is a key of type 0x04/],
    ];
    for (const [raw, message] of cases) assert.throws(() => parseWitnessConfig(raw, 'w.json', root), (e: unknown) => e instanceof WitnessError && message.test(e.message) && e.message.startsWith('w.json: '));
    const dir = join(root, 'bad-config');
    createWitnessKey(join(dir, 'k.pem'));
    writeFileSync(join(dir, 'w.json'), JSON.stringify({ ...base, port: 'eighty' }));
    const err: string[] = [];
    assert.equal(await witnessMain(['serve', '--config', join(dir, 'w.json')], () => undefined, (l) => err.push(l)), 1);
    assert.match(err.join('\n'), /w\.json: port: must be a whole number/);
    writeFileSync(join(dir, 'w.json'), '{ not json');
    assert.equal(await witnessMain(['serve', '--config', join(dir, 'w.json')], () => undefined, (l) => err.push(l)), 1);
    assert.match(err.join('\n'), /not valid JSON/);
  });

  test('besa witness runs without a database: init through the real command opens none', async () => {
    const dir = join(root, 'cli');
    const env = { ...process.env, BESA_DB: join(dir, 'besa.sqlite'), DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: 'not a port' };
    const cli = new URL('../cli.ts', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'witness', 'init', '--name', NAME, '--key', join(dir, 'key.pem')], { env });
    assert.match(stdout, /^vkey: witness\.example\.org\/besa-test\+[0-9a-f]{8}\+/m);
    assert.equal(statSync(join(dir, 'key.pem')).mode & 0o777, 0o600);
    assert.ok(!existsSync(join(dir, 'besa.sqlite')), 'no SQLite file was made');
  });
});

/** The same key as a cosigner (type 0x04) vkey: refused where a log key is expected. */
function parseAndRetype(vkey: string): string {
  const k = parseVkey(vkey);
  return formatVkey(k.name, 0x04, k.publicKey);
}

test('a vkey whose base64 key holds "+" is read (the name ends at the first "+", the key ID at the second)', () => {
  let vkey = '';
  for (let i = 0; i < 200 && !vkey.split('+').slice(2).join('+').includes('+'); i += 1) vkey = new TestLog().vkey;
  assert.ok(vkey.split('+').length > 3, 'found a key whose base64 holds "+"');
  const k = parseVkey(vkey);
  assert.equal(formatVkey(k.name, k.type, k.publicKey), vkey);
  assert.throws(() => parseVkey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')), /key ID does not match/);
});
