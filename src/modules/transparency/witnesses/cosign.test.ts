import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { test } from 'node:test';
import Fastify from 'fastify';
import { describeEachDatabase } from '../../../../test/db.js';
import { actorWith } from '../../../../test/actors.js';
import type { Db } from '../../../db/database.js';
import {
  cosignatureVerifier,
  cosignLine,
  formatVkey,
  openNote,
  parseCheckpoint,
  rawEd25519PublicKey,
  SIGNATURE_COSIGNATURE_V1,
  verifierFromVkey,
} from '../../../lib/tlog/note.js';
import { runCommand } from '../../audit/index.js';
import { checkpointNoteText, logVkey, NOTE_FORMAT_C2SP, processSigningKey } from '../keys.js';
import { EMPTY_ROOT, verifyConsistency } from '../merkle.js';
import { transparencyApiRoutes } from '../routes.js';
import { tdb } from '../tables.js';
import { askWitnesses, witnessesBeingAsked } from './cosign.js';
import { WITNESS_TIMEOUT_MS } from './client.js';
import { witnessRoutes, witnessSummary } from './served.js';
import { startWitnessCatchUp } from './trigger.js';

const ADMIN = actorWith('administrator', { userId: 4 });

type Mode = 'ok' | 'hang' | 'wrong-key' | 'wrong-text';

/**
 * A small tlog-witness for one log (c2sp.org/tlog-witness, add-checkpoint only): it checks the
 * log's signature with the log's vkey, the old size against what it cosigned (409 otherwise),
 * the consistency proof (422), then cosigns.
 */
class FakeWitness {
  readonly key: KeyObject = generateKeyPairSync('ed25519').privateKey;
  readonly publicKey = rawEd25519PublicKey(this.key);
  mode: Mode = 'ok';
  /** What it cosigned last: size and root. */
  state: { size: number; root: Buffer } = { size: 0, root: EMPTY_ROOT };
  readonly requests: Array<{ old: number; proofLines: number; size: number; status: number }> = [];
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;
  private onRequest: (() => void) | undefined;

  constructor(
    readonly name: string,
    private readonly logVkey: () => string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/w`;
  }

  get vkey(): string {
    return formatVkey(this.name, SIGNATURE_COSIGNATURE_V1, this.publicKey);
  }

  /** Resolves at the next request the witness receives. */
  nextRequest(): Promise<void> {
    return new Promise((resolve) => (this.onRequest = resolve));
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    this.onRequest?.();
    this.onRequest = undefined;
    if (this.mode === 'hang') return; // never answers
    const answer = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    if (req.method !== 'POST' || req.url !== '/w/add-checkpoint') return answer(404, 'not found\n');
    const body = Buffer.concat(chunks).toString('utf8');
    const split = body.indexOf('\n\n');
    const head = body.slice(0, split).split('\n');
    const note = body.slice(split + 2);
    const old = Number(/^old (\d+)$/.exec(head[0] ?? '')?.[1] ?? NaN);
    const proof = head.slice(1).map((l) => Buffer.from(l, 'base64'));
    let opened;
    try {
      opened = openNote(note, [verifierFromVkey(this.logVkey())]);
    } catch {
      return answer(403, 'bad signature\n');
    }
    const checkpoint = parseCheckpoint(opened.text);
    const record = (status: number) => this.requests.push({ old, proofLines: proof.length, size: checkpoint.size, status });
    if (!Number.isInteger(old) || old > checkpoint.size) return (record(400), answer(400, 'bad old size\n'));
    if (old !== this.state.size) return (record(409), answer(409, `${this.state.size}\n`, 'text/x.tlog.size'));
    if (old === 0 ? proof.length > 0 : old === checkpoint.size ? !checkpoint.root.equals(this.state.root) : !verifyConsistency(old, checkpoint.size, this.state.root, checkpoint.root, proof)) {
      return (record(422), answer(422, 'inconsistent\n'));
    }
    this.state = { size: checkpoint.size, root: checkpoint.root };
    record(200);
    const now = Math.floor(Date.now() / 1000);
    if (this.mode === 'wrong-key') return answer(200, `${cosignLine(opened.text, this.name, generateKeyPairSync('ed25519').privateKey, now)}\n`);
    if (this.mode === 'wrong-text') {
      // A valid-looking cosignature by the right key, on another checkpoint text.
      const other = `${checkpoint.origin}\n${checkpoint.size + 1}\n${checkpoint.root.toString('base64')}\n`;
      return answer(200, `${cosignLine(other, this.name, this.key, now)}\n`);
    }
    return answer(200, `${cosignLine(opened.text, this.name, this.key, now)}\n`);
  }
}

/** The log's vkey (key name = origin). */
async function currentLogVkey(db: Db): Promise<string> {
  const key = await tdb(db).selectFrom('transparency_keys').select(['origin', 'public_key']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  return logVkey(key.origin, key.public_key);
}

/**
 * Checkpoints of the older format re-signed as C2SP notes (note format 2), as the log signs them
 * once checkpoints switch format; rows already in format 2 are left alone.
 */
async function asNoteCheckpoints(db: Db): Promise<void> {
  const t = tdb(db);
  const rows = await t
    .selectFrom('transparency_checkpoints as c')
    .innerJoin('transparency_keys as k', 'k.id', 'c.key_id')
    .select(['c.tree_size', 'c.root_hash', 'k.origin'])
    .where('c.note_format', '<>', NOTE_FORMAT_C2SP)
    .execute();
  for (const r of rows) {
    const text = checkpointNoteText(r.origin, Number(r.tree_size), Buffer.from(r.root_hash, 'hex'));
    const signature = sign(null, Buffer.from(text, 'utf8'), processSigningKey().privateKey).toString('base64');
    await t.updateTable('transparency_checkpoints').set({ signature, note_format: NOTE_FORMAT_C2SP }).where('tree_size', '=', r.tree_size).execute();
  }
}

let published = 0;
async function publish(db: Db): Promise<void> {
  published += 1;
  await runCommand(db, ADMIN, async (_trx, audit) => {
    await audit.publish('commitment.updated', 'commitment', 1, { changed: ['title'], values: { title: { en: `Title ${published}` } } });
  });
  await asNoteCheckpoints(db);
}

async function addWitness(db: Db, w: FakeWitness): Promise<number> {
  const now = new Date().toISOString();
  const last = await tdb(db).selectFrom('transparency_witnesses').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  const row = await tdb(db)
    .insertInto('transparency_witnesses')
    .values({
      id: Number(last?.id ?? 0) + 1,
      name: w.name,
      public_key: w.publicKey.toString('base64'),
      url: w.url,
      operator: 'Test operator',
      policy: JSON.stringify({ en: 'Cosigns every consistent checkpoint.' }),
      active: 1,
      is_demo: 0,
      created_at: now,
      updated_at: now,
      last_contact_at: null,
      last_status: null,
      last_error: null,
      cosigned_size: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

async function witnessRow(db: Db, id: number) {
  return tdb(db).selectFrom('transparency_witnesses').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function latestSize(db: Db): Promise<number> {
  const row = await tdb(db).selectFrom('transparency_checkpoints').select('tree_size').orderBy('tree_size', 'desc').limit(1).executeTakeFirstOrThrow();
  return Number(row.tree_size);
}

async function cosignatureCount(db: Db, witnessId: number): Promise<number> {
  return (await tdb(db).selectFrom('transparency_cosignatures').select('tree_size').where('witness_id', '=', witnessId).execute()).length;
}

/** Witnesses of earlier tests are no longer asked. */
async function retireAll(db: Db, witnesses: FakeWitness[]): Promise<void> {
  await tdb(db).updateTable('transparency_witnesses').set({ active: 0 }).execute();
  for (const w of witnesses) await w.stop();
}

async function served(db: Db, path: string) {
  const app = Fastify();
  await app.register(transparencyApiRoutes(db));
  await app.register(witnessRoutes(db));
  try {
    return await app.inject({ method: 'GET', url: path });
  } finally {
    await app.close();
  }
}

describeEachDatabase('witnesses: asking, storing, serving cosignatures', (get) => {
  const vkey = () => currentLogVkey(get().db);
  let logKey = '';
  const fake = (name: string) => new FakeWitness(name, () => logKey);

  test('no C2SP checkpoint yet: the cosigned checkpoint is a plain 404', async () => {
    const response = await served(get().db, '/transparency/tlog/checkpoint');
    assert.equal(response.statusCode, 404);
    assert.match(response.headers['content-type'] as string, /^text\/plain/);
    assert.match(response.body, /no checkpoint/);
  });

  test('publish: three witnesses cosign; the served note verifies with the log key and the three cosigner keys', async (t) => {
    const { db } = get();
    await publish(db);
    logKey = await vkey();
    const witnesses = [fake('witness.test/a'), fake('witness.test/b'), fake('witness.test/c')];
    t.after(() => retireAll(db, witnesses));
    for (const w of witnesses) await w.start();
    const ids = [];
    for (const w of witnesses) ids.push(await addWitness(db, w));
    await publish(db);
    await askWitnesses(db);
    const size = await latestSize(db);
    for (const [i, id] of ids.entries()) {
      const row = await witnessRow(db, id);
      assert.equal(row.last_status, 'cosigned', `witness ${i}: ${row.last_error}`);
      assert.equal(Number(row.cosigned_size), size);
      assert.ok(row.last_contact_at);
      assert.equal(witnesses[i]!.state.size, size);
    }
    const response = await served(db, '/transparency/tlog/checkpoint');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^text\/plain; charset=utf-8/);
    assert.equal(response.headers['cache-control'], 'no-cache');
    const opened = openNote(response.body, [verifierFromVkey(logKey), ...witnesses.map((w) => verifierFromVkey(w.vkey))]);
    assert.equal(opened.verified.length, 4);
    assert.deepEqual(opened.verified.filter((v) => v.type === SIGNATURE_COSIGNATURE_V1).map((v) => v.name).sort(), ['witness.test/a', 'witness.test/b', 'witness.test/c']);
    assert.equal(parseCheckpoint(opened.text).size, size);

    // The JSON checkpoint names them and the quorum.
    await tdb(db).updateTable('transparency_witness_settings').set({ quorum: 2 }).where('id', '=', 1).execute();
    const json = JSON.parse((await served(db, '/transparency/checkpoint')).body) as {
      treeSize: number;
      cosignatures: Array<{ witness: string; keyId: string; timestamp: string; line: string }>;
      witnessed: { cosigners: number; quorum: number; met: boolean };
    };
    assert.equal(json.treeSize, size);
    assert.deepEqual(json.witnessed, { cosigners: 3, quorum: 2, met: true });
    assert.deepEqual(json.cosignatures.map((c) => c.witness), ['witness.test/a', 'witness.test/b', 'witness.test/c']);
    const a = json.cosignatures[0]!;
    assert.equal(a.keyId, verifierFromVkey(witnesses[0]!.vkey).keyId.toString(16).padStart(8, '0'));
    assert.ok(Math.abs(Date.parse(a.timestamp) - Date.now()) < 60_000);
    assert.ok(response.body.includes(`${a.line}\n`));

    const summary = await witnessSummary(db);
    assert.equal(summary.checkpoint?.treeSize, size);
    assert.equal(summary.quorum, 2);
    const b = summary.witnesses.find((w) => w.name === 'witness.test/b')!;
    assert.equal(b.vkey, witnesses[1]!.vkey);
    assert.equal(b.lastStatus, 'cosigned');
    assert.equal(b.operator, 'Test operator');
    assert.deepEqual(b.policy, { en: 'Cosigns every consistent checkpoint.' });
    assert.ok(b.cosignedAt && b.cosignedAt === json.cosignatures[1]!.timestamp);

    // A witness made inactive is no longer asked, but its cosignature is still served.
    await tdb(db).updateTable('transparency_witnesses').set({ active: 0 }).where('id', '=', ids[2]!).execute();
    const again = await served(db, '/transparency/tlog/checkpoint');
    assert.equal(openNote(again.body, witnesses.map((w) => verifierFromVkey(w.vkey))).verified.length, 3);
    const json2 = JSON.parse((await served(db, '/transparency/checkpoint')).body) as { witnessed: { cosigners: number; met: boolean } };
    assert.deepEqual(json2.witnessed, { cosigners: 2, quorum: 2, met: true });
    await tdb(db).updateTable('transparency_witness_settings').set({ quorum: 0 }).where('id', '=', 1).execute();
  });

  test('a witness that is down is marked unreachable, the checkpoint is served with two; the periodic catch-up cosigns once it is back', async (t) => {
    const { db } = get();
    const witnesses = [fake('witness.test/d'), fake('witness.test/e'), fake('witness.test/f')];
    t.after(() => retireAll(db, witnesses));
    for (const w of witnesses) await w.start();
    const ids = [];
    for (const w of witnesses) ids.push(await addWitness(db, w));
    const down = witnesses[2]!;
    await down.stop();
    await publish(db);
    await askWitnesses(db);
    const size = await latestSize(db);
    const row = await witnessRow(db, ids[2]!);
    assert.equal(row.last_status, 'unreachable');
    assert.match(row.last_error ?? '', /could not reach the witness/);
    assert.equal(row.last_contact_at, null, 'it never answered');
    assert.doesNotMatch(row.last_error ?? '', /at |Error|\n/, 'no stack trace');
    const response = await served(db, '/transparency/tlog/checkpoint');
    const opened = openNote(response.body, [verifierFromVkey(logKey), ...witnesses.map((w) => verifierFromVkey(w.vkey))]);
    assert.equal(opened.verified.length, 3, 'the log and two witnesses');
    assert.ok(!opened.verified.some((v) => v.name === down.name));

    // Back on the same port: the next catch-up pass asks it.
    await down.start();
    const messages: string[] = [];
    const log = { info: (_o: object, m: string) => messages.push(m), warn: (_o: object, m: string) => messages.push(m) };
    const stop = startWitnessCatchUp(db, log, 50);
    t.after(stop);
    const deadline = Date.now() + 10_000;
    while ((await cosignatureCount(db, ids[2]!)) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await stop();
    assert.equal(await cosignatureCount(db, ids[2]!), 1);
    assert.equal((await witnessRow(db, ids[2]!)).last_status, 'cosigned');
    assert.equal(down.state.size, size);
    assert.ok(messages.includes('witness cosigned the checkpoint'), messages.join(' | '));
    const full = openNote((await served(db, '/transparency/tlog/checkpoint')).body, witnesses.map((w) => verifierFromVkey(w.vkey)));
    assert.equal(full.verified.length, 3);
  });

  test('a witness behind (409 with its size) is asked again from that size, with a consistency proof, and cosigns', async (t) => {
    const { db } = get();
    const behind = fake('witness.test/behind');
    t.after(() => retireAll(db, [behind]));
    await behind.start();
    // It cosigned an earlier checkpoint of this log, which Besa did not record.
    const earlier = await tdb(db).selectFrom('transparency_checkpoints').select(['tree_size', 'root_hash']).orderBy('tree_size').limit(1).executeTakeFirstOrThrow();
    behind.state = { size: Number(earlier.tree_size), root: Buffer.from(earlier.root_hash, 'hex') };
    const id = await addWitness(db, behind);
    await publish(db);
    await publish(db);
    await askWitnesses(db);
    const size = await latestSize(db);
    // Its first contact (whichever checkpoint it was about): 409 with its size, then again from it.
    const asked = behind.requests.slice(0, 2);
    assert.deepEqual(
      asked.map((r) => [r.old, r.status]),
      [
        [0, 409],
        [Number(earlier.tree_size), 200],
      ],
    );
    assert.ok(asked[1]!.proofLines > 0, 'a consistency proof was sent');
    const row = await witnessRow(db, id);
    assert.equal(row.last_status, 'cosigned');
    assert.equal(Number(row.cosigned_size), size);
    assert.equal(await cosignatureCount(db, id), new Set(behind.requests.filter((r) => r.status === 200).map((r) => r.size)).size, 'one cosignature per checkpoint it cosigned');
  });

  test('a witness holding a bigger tree than the log ever signed: conflict, nothing stored', async (t) => {
    const { db } = get();
    const ahead = fake('witness.test/ahead');
    t.after(() => retireAll(db, [ahead]));
    await ahead.start();
    ahead.state = { size: 1_000_000, root: EMPTY_ROOT };
    const id = await addWitness(db, ahead);
    await publish(db);
    await askWitnesses(db);
    const row = await witnessRow(db, id);
    assert.equal(row.last_status, 'conflict');
    assert.match(row.last_error ?? '', /1000000 entries .* larger than any checkpoint the log has signed/);
    assert.equal(await cosignatureCount(db, id), 0);
  });

  test('a cosignature by another key, or on another text, is refused and nothing is stored', async (t) => {
    const { db } = get();
    const otherKey = fake('witness.test/other-key');
    otherKey.mode = 'wrong-key';
    const otherText = fake('witness.test/other-text');
    otherText.mode = 'wrong-text';
    t.after(() => retireAll(db, [otherKey, otherText]));
    for (const w of [otherKey, otherText]) await w.start();
    const ids = [await addWitness(db, otherKey), await addWitness(db, otherText)];
    await publish(db);
    await askWitnesses(db);
    const [a, b] = [await witnessRow(db, ids[0]!), await witnessRow(db, ids[1]!)];
    assert.equal(a.last_status, 'refused');
    assert.match(a.last_error ?? '', /no cosignature by its key/);
    assert.equal(b.last_status, 'refused');
    assert.match(b.last_error ?? '', /does not verify on this checkpoint/);
    assert.equal(a.cosigned_size, null);
    assert.equal(await cosignatureCount(db, ids[0]!), 0);
    assert.equal(await cosignatureCount(db, ids[1]!), 0);
    const opened = openNote((await served(db, '/transparency/tlog/checkpoint')).body, [verifierFromVkey(logKey)]);
    assert.equal(opened.unknown.length, 0, 'only the log signs the latest checkpoint');
  });

  test('a witness that never answers does not delay the command; it is marked unreachable after the timeout', async (t) => {
    const { db } = get();
    const hang = fake('witness.test/hang');
    hang.mode = 'hang';
    t.after(() => retireAll(db, [hang]));
    await hang.start();
    const id = await addWitness(db, hang);
    const asked = hang.nextRequest();
    const started = performance.now();
    await runCommand(db, ADMIN, async (_trx, audit) => {
      await audit.publish('commitment.updated', 'commitment', 1, { changed: ['title'], values: { title: { en: 'While a witness hangs' } } });
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1_000, `the command took ${Math.round(elapsed)} ms`);
    // The witness is being asked in the background, after the command answered.
    await Promise.race([asked, new Promise((_, reject) => setTimeout(() => reject(new Error('the witness was not asked')), 3_000))]);
    assert.equal((await witnessRow(db, id)).last_status, null, 'still waiting for it');
    await witnessesBeingAsked(db);
    const row = await witnessRow(db, id);
    assert.equal(row.last_status, 'unreachable');
    assert.equal(row.last_error, `no answer within ${WITNESS_TIMEOUT_MS / 1000} s`);
    await asNoteCheckpoints(db);
  });
});

test('a cosignature verifier sees the fake witness key as type 0x04', () => {
  const w = new FakeWitness('witness.test/x', () => '');
  assert.equal(verifierFromVkey(w.vkey).keyId, cosignatureVerifier(w.name, w.publicKey).keyId);
});

test('in the whole app, /transparency/tlog/checkpoint is served by the witnesses route (not the JSON catch-all)', async () => {
  const { openTestApp } = await import('../../../../test/app.js');
  const t = await openTestApp('sqlite');
  try {
    const before = await t.app.inject({ method: 'GET', url: '/transparency/tlog/checkpoint' });
    assert.equal(before.statusCode, 404);
    assert.match(before.headers['content-type'] as string, /^text\/plain/);
    await publish(t.database.db);
    const after = await t.app.inject({ method: 'GET', url: '/transparency/tlog/checkpoint' });
    assert.equal(after.statusCode, 200);
    const opened = openNote(after.body, [verifierFromVkey(await currentLogVkey(t.database.db))]);
    assert.equal(opened.verified.length, 1);
    await witnessesBeingAsked(t.database.db);
  } finally {
    await t.close();
  }
});
