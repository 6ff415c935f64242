/**
 * Note formats side by side (ADR 0012): checkpoints signed before migration 0030 (note format 1,
 * `besa-checkpoint/v1`) and after it (format 2, C2SP signed notes) verify together in verify.ts,
 * check.ts and scripts/verify-log.mjs; a saved checkpoint may be the old JSON or a C2SP note;
 * a changed byte in a format-2 note, signature or format label fails; the open-data download
 * carries each checkpoint's format through an import.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describeEachDatabase, openTestDatabase } from '../../../test/db.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { Db } from '../../db/database.js';
import { formatVkey, openNote, parseVkey, SIGNATURE_ED25519, signNoteLine, verifierFromVkey } from '../../lib/tlog/note.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { writeJsonExport } from '../opendata/export-json.js';
import { importOpenData } from '../opendata/import-json.js';
import { collector } from '../../../test/opendata-fixture.js';
import { describeHistoryCheck, verifyExtendsCheckpoint, type HistoryCheck } from './check.js';
import { resignAsFormat1 } from './format1.fixture.js';
import { listPublicKeys, processSigningKey, rawPublicKeyOf, useSigningKey } from './keys.js';
import { allCheckpoints } from './repository.js';
import { checkpointJson, logDocument } from './routes.js';
import { tdb } from './tables.js';
import { verifyTransparencyLog } from './verify.js';

const run = promisify(execFile);
const verifier = new URL('../../../scripts/verify-log.mjs', import.meta.url).pathname;

async function publish(db: Db, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await runCommand(db, SYSTEM, async (_trx, audit) => audit.publish('seed.note', 'jurisdiction', null, { note: `note ${i}` }));
  }
}

async function offline(dir: string, name: string, log: string, ...extra: string[]): Promise<{ code: number; out: string }> {
  const path = join(dir, name);
  writeFileSync(path, log);
  try {
    const { stdout } = await run(process.execPath, [verifier, path, ...extra]);
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

async function logText(db: Db): Promise<string> {
  let text = '';
  for await (const chunk of logDocument(db)) text += chunk;
  return text;
}

async function checkpointsJson(db: Db) {
  const keys = await listPublicKeys(db);
  return (await allCheckpoints(db)).map((c) => checkpointJson(c, keys.find((k) => k.id === c.keyId)));
}

describeEachDatabase('checkpoint note formats 1 and 2 in one log', (get) => {
  let dir: string;
  let key: KeyObject;
  let previousKey: ReturnType<typeof processSigningKey>;
  /** The JSON of the latest checkpoint as saved before the upgrade (no noteFormat field then). */
  let savedV1: Record<string, unknown>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'besa-note-format-'));
    previousKey = processSigningKey();
    key = generateKeyPairSync('ed25519').privateKey;
    useSigningKey(key);
    const db = get().db;
    // A Besa from before migration 0030: three checkpoints signed as besa-checkpoint/v1, no note_format column.
    await publish(db, 3);
    assert.deepEqual(await resignAsFormat1(db, key), [1, 2, 3]);
    const { noteFormat: _n, note: _note, vkey: _v, ...old } = (await checkpointsJson(db)).at(-1)!;
    savedV1 = old;
    // …and nothing after it (migration 0031 undone too).
    await sql`delete from kysely_migration where name = '0031_open_data_indexes'`.execute(db);
    for (const index of ['meetings_minutes_published', 'meetings_jurisdiction_minutes', 'meetings_jurisdiction_created', 'recommendations_responded']) await sql`drop index ${sql.ref(index)}`.execute(db);
    await sql`delete from kysely_migration where name = '0030_witnesses'`.execute(db);
    for (const table of ['transparency_cosignatures', 'transparency_witnesses', 'transparency_witness_settings']) await sql`drop table ${sql.table(table)}`.execute(db);
    await sql`alter table transparency_checkpoints drop column note_format`.execute(db);
    // The upgrade, then two more commands.
    assert.deepEqual(await migrateToLatest(db, get().dialect), ['0030_witnesses', '0031_open_data_indexes']);
    await publish(db, 2);
  });
  after(() => {
    useSigningKey(previousKey.privateKey, previousKey.source);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the old checkpoints keep format 1, new ones are format 2, and the whole log verifies in the app and offline', async () => {
    const db = get().db;
    const rows = await allCheckpoints(db);
    assert.deepEqual(
      rows.map((c) => [c.treeSize, c.noteFormat]),
      [[1, 1], [2, 1], [3, 1], [4, 2], [5, 2]],
    );
    assert.deepEqual(await verifyTransparencyLog(db), { ok: true, treeSize: 5, checkpointsChecked: 5 });
    const json = await checkpointsJson(db);
    assert.equal(json[0]!.format, 'besa-checkpoint/v1');
    assert.equal(json[0]!.note, null);
    assert.match(json[0]!.text!, /^besa-checkpoint\/v1\n/);
    assert.equal(json[4]!.format, 'c2sp.org/tlog-checkpoint');
    assert.equal(openNote(json[4]!.note!, [verifierFromVkey(json[4]!.vkey!)]).text, json[4]!.text);
    const out = await offline(dir, 'mixed.json', await logText(db));
    assert.equal(out.code, 0, out.out);
    assert.match(out.out, /^OK: 5 entries, 5 signed checkpoints verified/);
  });

  test('a saved checkpoint: the old JSON, the new JSON or the C2SP note, in check.ts and verify-log.mjs', async () => {
    const db = get().db;
    const latest = (await checkpointsJson(db)).at(-1)!;
    const log = await logText(db);
    for (const saved of [savedV1, latest, latest.note!]) {
      const result = await verifyExtendsCheckpoint(db, saved);
      assert.equal(result.ok, true, result.reason);
      const file = join(dir, 'saved');
      writeFileSync(file, typeof saved === 'string' ? saved : JSON.stringify(saved));
      const out = await offline(dir, 'log.json', log, '--previous', file);
      assert.equal(out.code, 0, out.out);
      assert.match(out.out, /is consistent with the log of 5 entries/);
    }
    // Format 2 does not sign issuedAt: a changed one still passes, and the time is called recorded, never signed.
    const moved = { ...latest, issuedAt: '2001-01-01T00:00:00.000Z' };
    const movedResult = await verifyExtendsCheckpoint(db, moved);
    assert.equal(movedResult.ok, true, movedResult.reason);
    assert.equal(movedResult.issuedAtSigned, false);
    const words = describeHistoryCheck({ ok: true, checkedAt: '2026-01-01T00:00:00.000Z', log: { ok: true, treeSize: 5, checkpointsChecked: 5 }, previous: movedResult } as HistoryCheck).join('\n');
    assert.match(words, /\(recorded 2001-01-01T00:00:00.000Z\)/);
    assert.doesNotMatch(words, /signed 2001/);
    const v1Words = describeHistoryCheck({ ok: true, checkedAt: '2026-01-01T00:00:00.000Z', log: { ok: true, treeSize: 5, checkpointsChecked: 5 }, previous: await verifyExtendsCheckpoint(db, savedV1) } as HistoryCheck).join('\n');
    assert.match(v1Words, /\(signed /);
    // The note with a witness's line (unknown key) still counts; the log's line changed, or its text, does not.
    const cosigned = `${latest.note!}\u2014 witness.example/w1 ${Buffer.alloc(76, 9).toString('base64')}\n`;
    assert.equal((await verifyExtendsCheckpoint(db, cosigned)).ok, true);
    const changedText = latest.note!.replace('\n5\n', '\n4\n');
    const changed = await verifyExtendsCheckpoint(db, changedText);
    assert.equal(changed.ok, false);
    assert.match(changed.reason ?? '', /signature of the saved checkpoint is not valid/);
    writeFileSync(join(dir, 'bad-note'), changedText);
    const offlineBad = await offline(dir, 'log.json', log, '--previous', join(dir, 'bad-note'));
    assert.equal(offlineBad.code, 1);
    assert.match(offlineBad.out, /signature of the previous checkpoint is not valid/);
    // A note of another key under the log's name: not this log's.
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const forged = `${latest.text!}\n${signNoteLine(latest.text!, latest.origin!, stranger)}\n`;
    assert.match((await verifyExtendsCheckpoint(db, forged)).reason ?? '', /key this log does not publish/);
  });

  test('a changed byte in a format-2 note, signature or format label fails', async () => {
    const db = get().db;
    const doc = JSON.parse(await logText(db)) as { checkpoints: { noteFormat: number; note: string | null; signature: string }[] };
    // The note in log.json: its text (root hash) changed.
    const noted = structuredClone(doc);
    const c4 = noted.checkpoints[3]!;
    const at = c4.note!.indexOf('\n', c4.note!.indexOf('\n') + 1) + 3;
    c4.note = c4.note!.slice(0, at) + (c4.note![at] === 'A' ? 'B' : 'A') + c4.note!.slice(at + 1);
    const badNote = await offline(dir, 'bad-note.json', JSON.stringify(noted));
    assert.equal(badNote.code, 1);
    assert.match(badNote.out, /signature of the checkpoint of size 4 is not valid/);
    // A format-1 checkpoint relabelled as format 2 offline.
    const relabelled = structuredClone(doc);
    relabelled.checkpoints[1]!.noteFormat = 2;
    assert.match((await offline(dir, 'relabelled.json', JSON.stringify(relabelled))).out, /checkpoint of size 2 is not valid/);

    // In the database: a changed signature byte, then a relabelled row.
    const t = tdb(db);
    const row = await t.selectFrom('transparency_checkpoints').selectAll().where('tree_size', '=', 5).executeTakeFirstOrThrow();
    const bytes = Buffer.from(row.signature, 'base64');
    bytes[10] = bytes[10]! ^ 1;
    await t.updateTable('transparency_checkpoints').set({ signature: bytes.toString('base64') }).where('tree_size', '=', 5).execute();
    assert.match((await verifyTransparencyLog(db)).reason ?? '', /signature of the checkpoint of size 5 is not valid/);
    await t.updateTable('transparency_checkpoints').set({ signature: row.signature }).where('tree_size', '=', 5).execute();
    await t.updateTable('transparency_checkpoints').set({ note_format: 1 }).where('tree_size', '=', 5).execute();
    assert.match((await verifyTransparencyLog(db)).reason ?? '', /signature of the checkpoint of size 5 is not valid/);
    await t.updateTable('transparency_checkpoints').set({ note_format: 2 }).where('tree_size', '=', 5).execute();
    assert.equal((await verifyTransparencyLog(db)).ok, true);
  });

  test('the open-data download carries each checkpoint format through an import; an older download without noteFormat imports as format 1', async () => {
    const db = get().db;
    const out = collector({ highWaterMark: 1 << 20, delayMs: 0 });
    await writeJsonExport(db, out.stream, { scope: { kind: 'instance' }, publicUrl: 'https://besa.example.org', now: new Date('2026-12-01T00:00:00Z') });
    const text = (await out.end()).toString('utf8');
    const fresh = await openTestDatabase(get().dialect);
    try {
      await importOpenData(fresh.db, JSON.parse(text));
      assert.deepEqual(
        (await allCheckpoints(fresh.db)).map((c) => c.noteFormat),
        [1, 1, 1, 2, 2],
      );
      assert.equal((await verifyTransparencyLog(fresh.db)).ok, true);
    } finally {
      await fresh.destroy();
    }
    // A download made before note format 2: its checkpoints have no noteFormat and are format 1.
    const old = JSON.parse(text) as { log: { treeSize: number; entries: unknown[]; checkpoints: Record<string, unknown>[] } };
    old.log.checkpoints = old.log.checkpoints.slice(0, 3).map(({ noteFormat: _n, note: _note, vkey: _v, ...c }) => c);
    old.log.entries = old.log.entries.slice(0, 3);
    old.log.treeSize = 3;
    const older = await openTestDatabase(get().dialect);
    try {
      await importOpenData(older.db, old);
      assert.deepEqual(
        (await allCheckpoints(older.db)).map((c) => c.noteFormat),
        [1, 1, 1],
      );
      assert.equal((await verifyTransparencyLog(older.db)).ok, true);
    } finally {
      await older.destroy();
    }
  });
});

test('a vkey whose base64 key holds "+" is read whole (as Go reads it)', () => {
  let vkey = '';
  while (!vkey.split('+').slice(2).join('+').includes('+')) vkey = formatVkey('besa-log/0123456789abcdef', SIGNATURE_ED25519, Buffer.from(rawPublicKeyOf(generateKeyPairSync('ed25519').privateKey), 'base64'));
  const parsed = parseVkey(vkey);
  assert.equal(parsed.name, 'besa-log/0123456789abcdef');
  assert.equal(parsed.publicKey.length, 32);
  assert.equal(formatVkey(parsed.name, parsed.type, parsed.publicKey), vkey);
});
