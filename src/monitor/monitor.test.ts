/**
 * `besa monitor`: a fake Besa log (node:http on 127.0.0.1:0) serves a C2SP checkpoint and
 * tlog-tiles built from MemoryTree, note.ts and tiles.ts, with leaves shaped like Besa's; the
 * monitor follows it through growth, watch rules, cosignatures, a split view, altered bundles and
 * a dead server, and once as the `besa monitor` command.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  cosignLine,
  formatCheckpoint,
  formatVkey,
  parseSignatureLine,
  rawEd25519PublicKey,
  signatureLine,
  SIGNATURE_COSIGNATURE_V1,
  SIGNATURE_ED25519,
} from '../lib/tlog/note.js';
import { entryBundle, entryBundlesFor as bundlesFor, parseTilePath, TILE_WIDTH } from '../lib/tlog/tiles.js';
import { hashLeaf, MemoryTree } from '../modules/transparency/merkle.js';
import { checkpointNote, checkpointNoteText } from '../modules/transparency/keys.js';
import { leafText } from '../modules/transparency/repository.js';
import { EXIT_COULD_NOT_CHECK, EXIT_FINDINGS, EXIT_MISBEHAVIOUR, EXIT_OK, EXIT_QUORUM, runMonitor, type MonitorOptions } from './monitor.js';
import { formatText } from './report.js';
import { parseRule, RuleError } from './rules.js';
import { readState } from './state.js';
import { parseVkey as readVkey } from '../lib/tlog/note.js';

const ORIGIN = 'besa.test/log';

interface Change {
  action: string;
  entityType: string;
  entityId: number | null;
  summary: Record<string, unknown>;
  occurredAt?: string;
}

/** A leaf as the log writes it (transparency/repository.ts leafText). */
function leaf(index: number, change: Change): Buffer {
  const occurredAt = change.occurredAt ?? new Date(Date.UTC(2026, 0, 1, 10, 0, index)).toISOString();
  return Buffer.from(leafText(index, { ...change, occurredAt, role: 'administrator' }), 'utf8');
}

/** Filler: milestone updates nobody watches. */
function filler(count: number): Change[] {
  return Array.from({ length: count }, (_, i) => ({ action: 'milestone.updated', entityType: 'milestone', entityId: 1000 + (i % 50), summary: { changed: ['due_on'], values: { due_on: '2026-06-30' } } }));
}

function newKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

interface Witness {
  name: string;
  key: KeyObject;
  vkey: string;
}

function newWitness(name: string): Witness {
  const key = newKey();
  return { name, key, vkey: formatVkey(name, SIGNATURE_COSIGNATURE_V1, rawEd25519PublicKey(key)) };
}

/** A Besa log as seen over HTTP: the checkpoint and the tiles of its current leaves. */
class FakeLog {
  leaves: Buffer[] = [];
  requests: string[] = [];
  cosigners: Witness[] = [];
  /** Further signature lines, as they are. */
  extraLines: string[] = [];
  /** Paths answered with this body instead (an altered bundle). */
  override = new Map<string, Buffer>();
  /** Partial bundles answered 404 (a log that deleted them once full). */
  dropPartials = false;
  status = 200;
  server!: Server;
  url = '';
  origin = ORIGIN;
  constructor(public key: KeyObject = newKey()) {}

  get vkey(): string {
    return formatVkey(this.origin, SIGNATURE_ED25519, rawEd25519PublicKey(this.key));
  }

  add(...changes: Change[]): void {
    for (const c of changes) this.leaves.push(leaf(this.leaves.length, c));
  }

  tree(): MemoryTree {
    return new MemoryTree(this.leaves.map((l) => hashLeaf(l)));
  }

  note(): string {
    // As the log builds it (transparency/keys.ts checkpointNote), witnesses' lines after its own.
    const root = this.tree().root();
    const text = checkpointNoteText(this.origin, this.leaves.length, root);
    const signature = sign(null, Buffer.from(text, 'utf8'), this.key).toString('base64');
    const cosignatures = this.cosigners.map((w, i) => cosignLine(text, w.name, w.key, 1_767_000_000 + i));
    return checkpointNote(this.origin, rawEd25519PublicKey(this.key).toString('base64'), this.leaves.length, root, signature, [...cosignatures, ...this.extraLines]);
  }

  body(path: string): Buffer | undefined {
    if (this.override.has(path)) return this.override.get(path);
    if (path === 'checkpoint') return Buffer.from(this.note(), 'utf8');
    const tile = parseTilePath(path);
    if (!tile) return undefined;
    const size = this.leaves.length;
    if (tile.width < TILE_WIDTH && this.dropPartials) return undefined;
    if (tile.level === 'entries') {
      const start = tile.index * TILE_WIDTH;
      if (start + tile.width > size) return undefined;
      return entryBundle(this.leaves.slice(start, start + tile.width));
    }
    if (tile.level !== 0) return undefined;
    const start = tile.index * TILE_WIDTH;
    if (start + tile.width > size) return undefined;
    return Buffer.concat(this.leaves.slice(start, start + tile.width).map((l) => hashLeaf(l)));
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const path = (request.url ?? '').replace(/^\/transparency\/tlog\//, '');
      this.requests.push(path);
      const body = this.status === 200 ? this.body(path) : undefined;
      response.writeHead(body ? 200 : this.status === 200 ? 404 : this.status, { connection: 'close', 'content-type': path === 'checkpoint' ? 'text/plain; charset=utf-8' : 'application/octet-stream' });
      response.end(body);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

let dir: string;
let counter = 0;
const stateFile = () => join(dir, `state-${++counter}.json`);

function options(log: FakeLog, file: string, more: Partial<MonitorOptions> = {}): MonitorOptions {
  return { url: log.url, stateFile: file, logKey: log.vkey, rules: [], timeoutMs: 5000, ...more };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'besa-monitor-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('besa monitor', () => {
  test('first run verifies from 0; growth is verified incrementally, fetching only the new bundles (full where full, partial at the edge)', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      log.add(...filler(300));
      const file = stateFile();
      const first = await runMonitor(options(log, file));
      assert.equal(first.exitCode, EXIT_OK, JSON.stringify(first.problems));
      assert.equal(first.verifiedSize, 300);
      assert.equal(first.newEntries, 300);
      assert.deepEqual(log.requests, ['checkpoint', 'tile/entries/000', 'tile/entries/001.p/44']);
      const state = await readState(file);
      assert.ok(state);
      assert.equal(state.size, 300);
      assert.equal(state.root, log.tree().root().toString('base64'));
      assert.equal(state.note, log.note());
      // The compact range: one hash per set bit of 300 (256 + 32 + 8 + 4).
      assert.equal(state.range.length, 4);

      // Later runs use the stored key: no --log-key needed.
      log.requests = [];
      log.add(...filler(300));
      const second = await runMonitor(options(log, file, { logKey: undefined }));
      assert.equal(second.exitCode, EXIT_OK, JSON.stringify(second.problems));
      assert.equal(second.previous.size, 300);
      assert.equal(second.verifiedSize, 600);
      assert.equal(second.newEntries, 300);
      // Bundle 0 is not fetched again; bundle 1 is now full; bundle 2 is the right edge.
      assert.deepEqual(log.requests, ['checkpoint', 'tile/entries/001', 'tile/entries/002.p/88']);
      assert.match(formatText(second), /grew from 300 to 600 entries, consistent/);

      // Nothing new: only the checkpoint.
      log.requests = [];
      const third = await runMonitor(options(log, file, { logKey: undefined }));
      assert.equal(third.exitCode, EXIT_OK);
      assert.equal(third.newEntries, 0);
      assert.deepEqual(log.requests, ['checkpoint']);

      // A partial bundle the log no longer serves: the full one is read instead.
      log.add(...filler(2));
      log.requests = [];
      log.dropPartials = true;
      log.add(...filler(166)); // 768: bundle 2 is full now
      const fourth = await runMonitor(options(log, file, { logKey: undefined }));
      assert.equal(fourth.exitCode, EXIT_OK, JSON.stringify(fourth.problems));
      assert.deepEqual(log.requests, ['checkpoint', 'tile/entries/002']);
      assert.equal((await readState(file))!.size, 768);
    } finally {
      await log.stop();
    }
  });

  test('the state: a damaged compact range is refused; a second run at once is refused by the lock', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      log.add(...filler(5));
      const file = stateFile();
      assert.equal((await runMonitor(options(log, file))).exitCode, EXIT_OK);
      const saved = JSON.parse(readFileSync(file, 'utf8'));
      // The lock held by another run.
      writeFileSync(`${file}.lock`, '1\n');
      const locked = await runMonitor(options(log, file));
      assert.equal(locked.exitCode, EXIT_COULD_NOT_CHECK);
      assert.equal(locked.problems[0]!.kind, 'state');
      assert.match(locked.problems[0]!.message, /another besa monitor run holds/);
      rmSync(`${file}.lock`);
      // One hash of the range changed.
      const range = [...saved.range];
      const bytes = Buffer.from(range[0], 'base64');
      bytes[0] = bytes[0]! ^ 1;
      range[0] = bytes.toString('base64');
      writeFileSync(file, JSON.stringify({ ...saved, range }));
      const damaged = await runMonitor(options(log, file));
      assert.equal(damaged.exitCode, EXIT_COULD_NOT_CHECK);
      assert.equal(damaged.problems[0]!.kind, 'state');
      assert.match(damaged.problems[0]!.message, /compact range does not give its root/);
      assert.equal(existsSync(`${file}.lock`), false, 'the lock is released');
    } finally {
      await log.stop();
    }
  });

  test('a response larger than its cap is refused as a network problem (a checkpoint over 1 MiB)', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      log.add(...filler(3));
      log.override.set('checkpoint', Buffer.alloc(2 << 20, 0x41));
      const report = await runMonitor(options(log, stateFile()));
      assert.equal(report.exitCode, EXIT_COULD_NOT_CHECK);
      assert.equal(report.problems[0]!.kind, 'network');
      assert.match(report.problems[0]!.message, /answered more than 1048576 bytes/);
    } finally {
      await log.stop();
    }
  });

  test('one witness key under two names is one witness: refused as configuration, and never counted twice', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      log.add(...filler(3));
      const w1 = newWitness('witness.test/w1');
      // The same key under another name: cosignature/v1 does not sign the name, so w1's line renamed verifies as w2's.
      const w2: Witness = { name: 'witness.test/w2', key: w1.key, vkey: formatVkey('witness.test/w2', SIGNATURE_COSIGNATURE_V1, rawEd25519PublicKey(w1.key)) };
      log.cosigners = [w1, w2];
      const report = await runMonitor(options(log, stateFile(), { witnesses: [w1.vkey, w2.vkey], quorum: 2 }));
      assert.equal(report.exitCode, EXIT_COULD_NOT_CHECK);
      assert.equal(report.problems[0]!.kind, 'usage');
      assert.match(report.problems[0]!.message, /share one public key/);
    } finally {
      await log.stop();
    }
  });

  test('the first run needs --log-key; another key than the stored one is refused', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      log.add(...filler(3));
      const file = stateFile();
      const none = await runMonitor(options(log, file, { logKey: undefined }));
      assert.equal(none.exitCode, EXIT_COULD_NOT_CHECK);
      assert.match(none.problems[0]!.message, /first run needs --log-key/);
      assert.equal(existsSync(file), false);

      assert.equal((await runMonitor(options(log, file))).exitCode, EXIT_OK);
      const other = new FakeLog();
      const refused = await runMonitor(options(log, file, { logKey: other.vkey }));
      assert.equal(refused.exitCode, EXIT_COULD_NOT_CHECK);
      assert.equal(refused.problems[0]!.kind, 'usage');
      assert.match(refused.problems[0]!.message, /differs from the key this state file follows/);

      // A log served under another key than the one followed: not checkable, not adopted.
      const impostor = new FakeLog();
      impostor.leaves = log.leaves;
      await impostor.start();
      try {
        const before = readFileSync(file, 'utf8');
        const report = await runMonitor({ ...options(impostor, file), logKey: undefined });
        assert.equal(report.exitCode, EXIT_COULD_NOT_CHECK);
        assert.equal(report.problems[0]!.kind, 'unknown-key');
        assert.equal(readFileSync(file, 'utf8'), before);
      } finally {
        await impostor.stop();
      }
    } finally {
      await log.stop();
    }
  });

  test('watch rules fire on the right entries and not on others', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      log.add(
        { action: 'commitment.created', entityType: 'commitment', entityId: 12, summary: { changed: ['title', 'action_plan_id'], values: { title: { en: 'Open budget' }, action_plan_id: 1 } } },
        { action: 'commitment.updated', entityType: 'commitment', entityId: 12, summary: { changed: ['title'], values: { title: { en: 'Open budgets' } } } },
        { action: 'commitment.updated', entityType: 'commitment', entityId: 12, summary: { changed: ['ends_on'], values: { ends_on: '2026-12-31' } } },
        { action: 'commitment.updated', entityType: 'commitment', entityId: 13, summary: { changed: ['problem'], values: { problem: { en: 'x' } } } },
        { action: 'milestone.updated', entityType: 'milestone', entityId: 12, summary: { changed: ['title'], values: { title: { en: 'y' } } } },
        { action: 'action_plan.updated', entityType: 'action_plan', entityId: 1, summary: { changed: ['foreword'], values: { foreword: { en: 'z' } } } },
      );
      const rules = ['commitment:12', 'commitment:12:title,problem', 'commitment:*:problem', 'plan:1'].map(parseRule);
      const report = await runMonitor(options(log, stateFile(), { rules }));
      assert.equal(report.exitCode, EXIT_FINDINGS);
      const got = report.findings.map((f) => `${f.index} ${f.rule} ${f.fields.join(',')}`);
      assert.deepEqual(got, [
        '0 commitment:12 title,action_plan_id',
        '0 commitment:12:title,problem title',
        '1 commitment:12 title',
        '1 commitment:12:title,problem title',
        '2 commitment:12 ends_on',
        '3 commitment:*:problem problem',
        '5 plan:1 foreword',
      ]);
      assert.deepEqual(report.findings[2]!.values, { title: { en: 'Open budgets' } });
      const text = formatText(report);
      assert.match(text, /^#1 2026-01-01T10:00:01.000Z commitment.updated commitment 12 title \[commitment:12\]$/m);
      assert.doesNotMatch(text, /milestone/);
    } finally {
      await log.stop();
    }
  });

  test('a finding is reported once: the next run reads only new entries', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      const rules = [parseRule('commitment:12')];
      const file = stateFile();
      log.add({ action: 'commitment.updated', entityType: 'commitment', entityId: 12, summary: { changed: ['title'], values: { title: { en: 'a' } } } });
      assert.equal((await runMonitor(options(log, file, { rules }))).exitCode, EXIT_FINDINGS);
      assert.equal((await runMonitor(options(log, file, { rules }))).exitCode, EXIT_OK);
      log.add(...filler(5));
      assert.equal((await runMonitor(options(log, file, { rules }))).exitCode, EXIT_OK);
    } finally {
      await log.stop();
    }
  });

  test('commitment-text-after-adoption: text changes after the plan\'s adoption day, remembered across runs', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      const rules = [parseRule('commitment-text-after-adoption')];
      const file = stateFile();
      log.add(
        { action: 'action_plan.created', entityType: 'action_plan', entityId: 1, occurredAt: '2024-01-05T09:00:00.000Z', summary: { changed: ['title', 'submitted_on'], values: { title: { en: 'Plan' }, submitted_on: null } } },
        { action: 'action_plan.created', entityType: 'action_plan', entityId: 2, occurredAt: '2024-01-05T09:00:00.000Z', summary: { changed: ['title'], values: { title: { en: 'Draft' } } } },
        { action: 'commitment.created', entityType: 'commitment', entityId: 12, occurredAt: '2024-01-06T09:00:00.000Z', summary: { changed: ['title', 'action_plan_id'], values: { title: { en: 'A' }, action_plan_id: 1 } } },
        { action: 'commitment.created', entityType: 'commitment', entityId: 13, occurredAt: '2024-01-06T09:00:00.000Z', summary: { changed: ['title', 'action_plan_id'], values: { title: { en: 'B' }, action_plan_id: 2 } } },
        // Before adoption: edited freely.
        { action: 'commitment.updated', entityType: 'commitment', entityId: 12, occurredAt: '2024-02-20T09:00:00.000Z', summary: { changed: ['title'], values: { title: { en: 'A2' } } } },
        { action: 'action_plan.updated', entityType: 'action_plan', entityId: 1, occurredAt: '2024-03-01T09:00:00.000Z', summary: { changed: ['submitted_on'], values: { submitted_on: '2024-03-01' } } },
        // The adoption day itself: not after it.
        { action: 'commitment.updated', entityType: 'commitment', entityId: 12, occurredAt: '2024-03-01T15:00:00.000Z', summary: { changed: ['action'], values: { action: { en: 'final' } } } },
      );
      const first = await runMonitor(options(log, file, { rules }));
      assert.equal(first.exitCode, EXIT_OK, JSON.stringify(first.findings));
      assert.deepEqual((await readState(file))!.plans, { '1': { adoptedOn: '2024-03-01', current: '2024-03-01' } });
      assert.deepEqual((await readState(file))!.commitments, { '12': 1, '13': 2 });

      log.add(
        { action: 'commitment.updated', entityType: 'commitment', entityId: 12, occurredAt: '2024-05-02T09:00:00.000Z', summary: { changed: ['problem', 'ends_on'], values: { problem: { sq: 'p' }, ends_on: '2025-01-01' } } },
        { action: 'commitment.updated', entityType: 'commitment', entityId: 12, occurredAt: '2024-05-03T09:00:00.000Z', summary: { changed: ['ends_on'], values: { ends_on: '2025-02-01' } } },
        { action: 'commitment.updated', entityType: 'commitment', entityId: 13, occurredAt: '2024-05-03T09:00:00.000Z', summary: { changed: ['title'], values: { title: { en: 'B2' } } } },
        // Clearing the adoption day does not hide a later change.
        { action: 'action_plan.updated', entityType: 'action_plan', entityId: 1, occurredAt: '2024-06-01T09:00:00.000Z', summary: { changed: ['submitted_on'], values: { submitted_on: null } } },
        { action: 'commitment.updated', entityType: 'commitment', entityId: 12, occurredAt: '2024-06-02T09:00:00.000Z', summary: { changed: ['title'], values: { title: { en: 'quietly' } } } },
      );
      const second = await runMonitor(options(log, file, { rules }));
      assert.equal(second.exitCode, EXIT_FINDINGS);
      assert.deepEqual(
        second.findings.map((f) => `${f.index} ${f.entityType} ${f.entityId} ${f.fields.join(',')}`),
        ['7 commitment 12 problem', '10 action_plan 1 submitted_on', '11 commitment 12 title'],
      );
      assert.equal(second.findings[0]!.note, 'plan 1 was adopted on 2024-03-01');
    } finally {
      await log.stop();
    }
  });

  test('cosignatures are counted with the witnesses\' keys; quorum not met gives exit 4 (and the consistent state is kept)', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      const [a, b, c] = [newWitness('witness.a'), newWitness('witness.b'), newWitness('witness.c')];
      const stranger = newWitness('witness.x');
      log.cosigners = [a, b, stranger];
      log.add(...filler(10));
      const file = stateFile();
      const report = await runMonitor(options(log, file, { witnesses: [a.vkey, b.vkey, c.vkey], quorum: 2 }));
      assert.equal(report.exitCode, EXIT_OK, JSON.stringify(report.problems));
      assert.deepEqual(report.cosigners.map((w) => w.name), ['witness.a', 'witness.b']);
      assert.deepEqual(report.quorum, { required: 2, witnesses: 3, cosigned: 2, met: true });
      assert.equal(report.cosigners[0]!.timestamp, 1_767_000_000);

      // Witnesses and quorum are stored: a later run without them still requires 2.
      log.cosigners = [a];
      log.add(...filler(1));
      const short = await runMonitor(options(log, file, { logKey: undefined }));
      assert.equal(short.exitCode, EXIT_QUORUM);
      assert.deepEqual(short.quorum, { required: 2, witnesses: 3, cosigned: 1, met: false });
      assert.match(formatText(short), /cosigned by 1 of the 3 witness\(es\) named; 2 required/);
      assert.equal((await readState(file))!.size, 11);

      // A forged cosignature (b's name and key ID, signed with another key) is not counted.
      const text = formatCheckpoint(ORIGIN, log.leaves.length, log.tree().root());
      const forged = parseSignatureLine(cosignLine(text, 'witness.b', newKey(), 1_767_000_100));
      log.cosigners = [a, c];
      log.extraLines = [signatureLine('witness.b', readVkey(b.vkey).keyId, forged.signature)];
      const all = await runMonitor(options(log, file, { logKey: undefined, quorum: 3 }));
      assert.equal(all.exitCode, EXIT_QUORUM);
      assert.deepEqual(all.cosigners.map((w) => w.name), ['witness.a', 'witness.c']);
      assert.ok(all.problems.some((p) => p.kind === 'bad-cosignature' && p.message.includes('witness.b')));
      const two = await runMonitor(options(log, file, { logKey: undefined, quorum: 2 }));
      assert.equal(two.exitCode, EXIT_OK);
      assert.match(formatText(two), /warning \(bad-cosignature\)/);
    } finally {
      await log.stop();
    }
  });

  test('split-view drill: two histories sharing a prefix, both signed by the log key → exit 2 with both notes; the state is kept', async () => {
    const key = newKey();
    const first = new FakeLog(key);
    const second = new FakeLog(key);
    const prefix = filler(40);
    first.add(...prefix, { action: 'commitment.updated', entityType: 'commitment', entityId: 12, summary: { changed: ['title'], values: { title: { en: 'Told to the public' } } } });
    second.add(...prefix, { action: 'commitment.updated', entityType: 'commitment', entityId: 12, summary: { changed: ['title'], values: { title: { en: 'Told to the ministry' } } } }, ...filler(3));
    await first.start();
    await second.start();
    try {
      const file = stateFile();
      const seen = await runMonitor(options(first, file, { rules: [parseRule('commitment:12')] }));
      assert.equal(seen.exitCode, EXIT_FINDINGS);
      const before = readFileSync(file, 'utf8');
      const firstNote = first.note();
      const secondNote = second.note();

      // The second history, larger: its entries do not rebuild its root on the first tree.
      const report = await runMonitor({ ...options(second, file, { rules: [parseRule('commitment:12')] }), logKey: undefined });
      assert.equal(report.exitCode, EXIT_MISBEHAVIOUR);
      const problem = report.problems.find((p) => p.kind === 'inconsistent');
      assert.ok(problem, JSON.stringify(report.problems));
      assert.equal(problem.proof!.previous.note, firstNote);
      assert.equal(problem.proof!.current.note, secondNote);
      assert.equal(problem.proof!.previous.size, 41);
      assert.equal(problem.proof!.current.size, 44);
      assert.deepEqual(report.findings, [], 'no finding from an unverified history');
      assert.equal(report.stateWritten, false);
      assert.equal(readFileSync(file, 'utf8'), before, 'state unchanged');
      const text = formatText(report);
      assert.ok(text.includes(firstNote.trimEnd()) && text.includes(secondNote.trimEnd()), text);
      assert.match(text, /Keep both signed notes/);

      // The same size with another root.
      second.leaves = second.leaves.slice(0, 41);
      const fork = await runMonitor({ ...options(second, file), logKey: undefined });
      assert.equal(fork.exitCode, EXIT_MISBEHAVIOUR);
      assert.equal(fork.problems[0]!.kind, 'fork');
      assert.equal(fork.problems[0]!.proof!.current.note, second.note());
      assert.equal(readFileSync(file, 'utf8'), before);

      // A shorter tree than the one verified.
      second.leaves = second.leaves.slice(0, 30);
      const rollback = await runMonitor({ ...options(second, file), logKey: undefined });
      assert.equal(rollback.exitCode, EXIT_MISBEHAVIOUR);
      assert.equal(rollback.problems[0]!.kind, 'rollback');
      assert.equal(readFileSync(file, 'utf8'), before);

      // The honest history still verifies from the kept state.
      first.add(...filler(5));
      assert.equal((await runMonitor({ ...options(first, file), logKey: undefined })).exitCode, EXIT_OK);
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  test('an altered entry bundle → exit 2 (the tiles show the bundle lies); a bad log signature → exit 2', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      log.add(...filler(5));
      const file = stateFile();
      assert.equal((await runMonitor(options(log, file))).exitCode, EXIT_OK);
      const before = readFileSync(file, 'utf8');
      log.add({ action: 'commitment.updated', entityType: 'commitment', entityId: 12, summary: { changed: ['title'], values: { title: { en: 'real' } } } });
      const altered = [...log.leaves];
      altered[5] = leaf(5, { action: 'commitment.updated', entityType: 'commitment', entityId: 12, summary: { changed: ['title'], values: { title: { en: 'fake' } } } });
      log.override.set('tile/entries/000.p/6', entryBundle(altered));
      const report = await runMonitor({ ...options(log, file), logKey: undefined });
      assert.equal(report.exitCode, EXIT_MISBEHAVIOUR);
      assert.equal(report.problems[0]!.kind, 'tampered-entries', JSON.stringify(report.problems));
      assert.equal(readFileSync(file, 'utf8'), before);

      // A bundle that is not a bundle at all.
      log.override.set('tile/entries/000.p/6', Buffer.from([0xff]));
      assert.equal((await runMonitor({ ...options(log, file), logKey: undefined })).problems[0]!.kind, 'tampered-entries');

      // A note whose log signature does not verify (the size changed after signing).
      log.override.clear();
      const note = log.note().replace(/\n6\n/, '\n7\n');
      log.override.set('checkpoint', Buffer.from(note));
      const bad = await runMonitor({ ...options(log, file), logKey: undefined });
      assert.equal(bad.exitCode, EXIT_MISBEHAVIOUR);
      assert.equal(bad.problems[0]!.kind, 'bad-signature');
      assert.equal(readFileSync(file, 'utf8'), before);

      log.override.clear();
      assert.equal((await runMonitor({ ...options(log, file), logKey: undefined })).exitCode, EXIT_OK);
    } finally {
      await log.stop();
    }
  });

  test('an entry the signed history holds that is not a Besa entry (wrong index, not JSON) → exit 2, reported once', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      log.add(...filler(2));
      log.leaves.push(leaf(7, filler(1)[0]!), Buffer.from('not json'));
      const file = stateFile();
      const report = await runMonitor(options(log, file));
      assert.equal(report.exitCode, EXIT_MISBEHAVIOUR);
      assert.deepEqual(report.problems.map((p) => p.kind), ['bad-entry', 'bad-entry']);
      assert.match(report.problems[0]!.message, /entry 2, signed into the log, is not a Besa entry \(it says it is entry 7\)/);
      assert.equal((await readState(file))!.size, 4);
      assert.equal((await runMonitor(options(log, file))).exitCode, EXIT_OK);
    } finally {
      await log.stop();
    }
  });

  test('network failure → exit 1 and the state untouched', async () => {
    const log = new FakeLog();
    await log.start();
    log.add(...filler(3));
    const file = stateFile();
    assert.equal((await runMonitor(options(log, file))).exitCode, EXIT_OK);
    const before = readFileSync(file, 'utf8');
    log.status = 503;
    log.add(...filler(3));
    const unavailable = await runMonitor({ ...options(log, file), logKey: undefined });
    assert.equal(unavailable.exitCode, EXIT_COULD_NOT_CHECK);
    assert.equal(unavailable.problems[0]!.kind, 'network');
    assert.match(unavailable.problems[0]!.message, /answered 503/);
    await log.stop();
    const down = await runMonitor({ ...options(log, file), logKey: undefined });
    assert.equal(down.exitCode, EXIT_COULD_NOT_CHECK);
    assert.equal(down.problems[0]!.kind, 'network');
    assert.match(down.problems[0]!.message, /ECONNREFUSED/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  test('key changes: a rotation read under the old key is followed; otherwise only with --accept-key-change and an announcing entry', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      const key2 = newKey();
      const origin2 = 'besa.test/log-2';
      const vkey2 = formatVkey(origin2, SIGNATURE_ED25519, rawEd25519PublicKey(key2));
      const rotation: Change = { action: 'signing_key.rotated', entityType: 'signing_key', entityId: 2, summary: { keyId: 2, publicKey: rawEd25519PublicKey(key2).toString('base64'), origin: origin2, previousKeyId: 1 } };
      log.add(...filler(3));
      const early = stateFile();
      assert.equal((await runMonitor(options(log, early))).exitCode, EXIT_OK);
      log.add(rotation);
      const seen = stateFile();
      // This monitor saw the checkpoint the old key signed over the rotation entry.
      assert.equal((await runMonitor(options(log, seen))).exitCode, EXIT_OK);
      assert.equal((await readState(seen))!.announcedKeys![0]!.vkey, vkey2);

      log.key = key2;
      log.origin = origin2;
      log.add(...filler(2));
      const followed = await runMonitor({ ...options(log, seen), logKey: undefined });
      assert.equal(followed.exitCode, EXIT_OK, JSON.stringify(followed.problems));
      assert.deepEqual(followed.keyChange, { from: (await readState(early))!.logKey, to: vkey2, index: 3, announced: true });
      assert.equal((await readState(seen))!.logKey, vkey2);
      assert.match(formatText(followed), /key change: the log now signs with besa\.test\/log-2/);

      // The monitor that missed the old key's checkpoint: refused, then taken on request (entry 3 announces it).
      const before = readFileSync(early, 'utf8');
      const missed = await runMonitor({ ...options(log, early), logKey: undefined });
      assert.equal(missed.exitCode, EXIT_COULD_NOT_CHECK);
      assert.equal(missed.problems[0]!.kind, 'unknown-key');
      assert.match(missed.problems[0]!.message, /--accept-key-change/);
      assert.equal(readFileSync(early, 'utf8'), before);

      // A key nobody announced, even with --accept-key-change: refused, state kept.
      const impostor = newKey();
      log.key = impostor;
      log.origin = 'besa.test/log-x';
      const unannounced = await runMonitor({ ...options(log, early), logKey: log.vkey, acceptKeyChange: true });
      assert.equal(unannounced.exitCode, EXIT_COULD_NOT_CHECK);
      assert.match(unannounced.problems[0]!.message, /never announced/);
      assert.equal(readFileSync(early, 'utf8'), before);

      log.key = key2;
      log.origin = origin2;
      const taken = await runMonitor({ ...options(log, early), logKey: vkey2, acceptKeyChange: true });
      assert.equal(taken.exitCode, EXIT_OK, JSON.stringify(taken.problems));
      assert.equal(taken.keyChange?.index, 3);
      assert.equal(taken.keyChange?.announced, false);
      assert.equal((await readState(early))!.logKey, vkey2);
    } finally {
      await log.stop();
    }
  });

  test('watch rules: syntax', () => {
    assert.deepEqual(parseRule('commitment:*:title,description'), { text: 'commitment:*:title,description', kind: 'entity', entityType: 'commitment', entityId: '*', fields: ['title', 'description'] });
    assert.deepEqual(parseRule('plan:3'), { text: 'plan:3', kind: 'entity', entityType: 'action_plan', entityId: 3 });
    assert.equal(parseRule('commitment-text-after-adoption').kind, 'text-after-adoption');
    assert.deepEqual(bundlesFor(600, 600), []);
    assert.deepEqual(bundlesFor(300, 600), [{ index: 1, width: 256, first: 300 }, { index: 2, width: 88, first: 512 }]);
    assert.deepEqual(bundlesFor(0, 256), [{ index: 0, width: 256, first: 0 }]);
    for (const bad of ['commitment', 'commitment:x', 'commitment:1:', 'Commitment:1', 'a:1:b:c', 'commitment:01']) assert.throws(() => parseRule(bad), RuleError, bad);
  });
});

describe('besa monitor [as a command]', () => {
  const run = promisify(execFile);
  const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
  // Where `besa` would make its SQLite database: the monitor must never open one.
  const database = join(tmpdir(), `besa-monitor-no-db-${process.pid}.sqlite`);

  async function besa(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, 'monitor', ...args], { env: { PATH: process.env.PATH, BESA_DB: database } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  test('exit statuses 0, 3, 2 and 1 from the command line; --json is one document; no database is made', async () => {
    const log = new FakeLog();
    await log.start();
    try {
      log.add(...filler(4));
      const file = join(dir, 'cli-state.json');
      const first = await besa(log.url, '--state', file, '--log-key', log.vkey);
      assert.equal(first.code, 0, first.stderr + first.stdout);
      assert.match(first.stdout, /verified: besa\.test\/log at 4 entries|grew from 0 to 4 entries/);
      assert.equal(existsSync(database), false, 'no database made');

      log.add({ action: 'commitment.updated', entityType: 'commitment', entityId: 12, summary: { changed: ['title'], values: { title: { en: 'x' } } } });
      const found = await besa(log.url, '--state', file, '--watch', 'commitment:12:title', '--json');
      assert.equal(found.code, 3, found.stderr);
      const doc = JSON.parse(found.stdout) as { verifiedSize: number; findings: Array<{ index: number }>; exitCode: number; checkpoint: { note: string } };
      assert.equal(doc.verifiedSize, 5);
      assert.deepEqual(doc.findings.map((f) => f.index), [4]);
      assert.equal(doc.exitCode, 3);
      assert.equal(doc.checkpoint.note, log.note());

      const quiet = await besa(log.url, '--state', file, '--quiet');
      assert.deepEqual([quiet.code, quiet.stdout], [0, '']);

      log.leaves = log.leaves.slice(0, 3);
      const rollback = await besa(log.url, '--state', file);
      assert.equal(rollback.code, 2);
      assert.match(rollback.stdout, /PROBLEM \(rollback\)/);

      const usage = await besa(log.url);
      assert.equal(usage.code, 1);
      assert.match(usage.stderr, /--state FILE is required/);
      assert.equal(existsSync(database), false, 'no database made');
    } finally {
      await log.stop();
    }
  });
});
