/**
 * Witnessed history end to end, without a browser: a Besa instance on loopback, three witnesses
 * running as separate `besa witness serve` processes, and `besa monitor` following the instance.
 *
 * 1. Normal growth: every new checkpoint is cosigned by all three; the served checkpoint verifies
 *    with the log's vkey and the three witnesses' vkeys; the monitor verifies it.
 * 2. One witness down: the checkpoint is still served, cosigned by 2 of 3, the dead witness is
 *    shown as unreachable, the instance's quorum of 3 is not met; a monitor requiring 3 says so.
 * 3. The split-view drill: the municipality copies its database and publishes something else on
 *    the copy, signed by the same key: two histories sharing a prefix. The witnesses that cosigned
 *    the first refuse the second (and keep it as evidence); the monitor that followed the first,
 *    shown the second, reports the fork with both checkpoints.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { backupSqlite } from '../src/db/backup.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openNote, parseVkey, verifierFromVkey } from '../src/lib/tlog/note.js';
import { runCommand } from '../src/modules/audit/index.js';
import { ensureSigningKey, logVkey } from '../src/modules/transparency/keys.js';
import { tdb } from '../src/modules/transparency/tables.js';
import { witnessesBeingAsked } from '../src/modules/transparency/witnesses/cosign.js';
import { runMonitor } from '../src/monitor/monitor.js';
import { actorWith } from './actors.js';
import { startWitnessProcess, type WitnessProcess } from './witness-processes.js';

const ADMIN = actorWith('administrator', { userId: 1 });

interface Instance {
  handle: DatabaseHandle;
  app: FastifyInstance;
  url: string;
}

async function startInstance(path: string): Promise<Instance> {
  const handle = openDatabase({ sqlitePath: path });
  await migrateToLatest(handle.db, handle.dialect);
  const config = loadConfig({ NODE_ENV: 'test', BESA_DB: path } as NodeJS.ProcessEnv);
  const app = await buildApp({ config, database: handle });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { handle, app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

async function publish(instance: Instance, title: string): Promise<number> {
  await runCommand(instance.handle.db, ADMIN, async (_trx, audit) => {
    await audit.publish('commitment.updated', 'commitment', 7, { changed: ['title'], values: { title: { en: title } } });
  });
  const row = await tdb(instance.handle.db).selectFrom('transparency_checkpoints').select('tree_size').orderBy('tree_size', 'desc').limit(1).executeTakeFirstOrThrow();
  return Number(row.tree_size);
}

/** Waits until the background asking of this process is done and `check` holds (the asking runs after commit). */
async function eventually(instance: Instance, check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await witnessesBeingAsked(instance.handle.db);
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function cosigners(instance: Instance, size: number): Promise<number> {
  const rows = await tdb(instance.handle.db).selectFrom('transparency_cosignatures').select('witness_id').where('tree_size', '=', size).execute();
  return rows.length;
}

async function statusOf(instance: Instance, name: string): Promise<string | null> {
  const row = await tdb(instance.handle.db).selectFrom('transparency_witnesses').select('last_status').where('name', '=', name).executeTakeFirstOrThrow();
  return row.last_status;
}

describe('witnessed history: an instance, three witness processes, a monitor', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'besa-witnessed-'));
  let first: Instance;
  let second: Instance | undefined;
  let witnesses: WitnessProcess[] = [];
  let logKey = '';
  const stateFile = join(dir, 'monitor-state.json');

  before(async () => {
    first = await startInstance(join(dir, 'besa.sqlite'));
    await publish(first, 'Open budget hearings');
    const key = await ensureSigningKey(first.handle.db);
    logKey = logVkey(key.origin, key.publicKey);
    witnesses = await Promise.all(
      ['forum', 'monitoring-body', 'press'].map((who) =>
        startWitnessProcess({ dir: join(dir, who), name: `witness.${who}.gjakova.test/w1`, logs: [{ origin: key.origin, vkeys: [logKey] }], policy: `Cosigns for ${who}.` }),
      ),
    );
    const now = new Date().toISOString();
    await tdb(first.handle.db)
      .insertInto('transparency_witnesses')
      .values(
        witnesses.map((w, i) => ({
          id: i + 1,
          name: w.name,
          public_key: parseVkey(w.vkey).publicKey.toString('base64'),
          url: w.url,
          operator: `Organisation ${i + 1}`,
          policy: JSON.stringify({ en: 'Cosigns a checkpoint only if it extends the last one it saw.' }),
          active: 1,
          is_demo: 0,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await tdb(first.handle.db).updateTable('transparency_witness_settings').set({ quorum: 3 }).where('id', '=', 1).execute();
  });

  after(async () => {
    await Promise.all(witnesses.map((w) => w.stop()));
    for (const instance of [first, second]) {
      if (!instance) continue;
      await instance.app.close();
      await instance.handle.destroy();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('normal growth: each new checkpoint is cosigned by all three; the served note verifies; the monitor verifies it', async () => {
    for (const title of ['Budget published', 'Budget corrected']) {
      const size = await publish(first, title);
      await eventually(first, async () => (await cosigners(first, size)) === 3, `3 cosignatures on size ${size}`);
      const note = await (await fetch(`${first.url}/transparency/tlog/checkpoint`)).text();
      const opened = openNote(note, [verifierFromVkey(logKey), ...witnesses.map((w) => verifierFromVkey(w.vkey))]);
      assert.equal(opened.verified.length, 4, 'the log and three witnesses');
      assert.match(opened.text, new RegExp(`\\n${size}\\n`));
      const json = (await (await fetch(`${first.url}/transparency/checkpoint`)).json()) as { witnessed: { cosigners: number; quorum: number; met: boolean } };
      assert.deepEqual(json.witnessed, { cosigners: 3, quorum: 3, met: true });
    }
    const report = await runMonitor({ url: first.url, stateFile, logKey, witnesses: witnesses.map((w) => w.vkey), quorum: 3, rules: [] });
    assert.equal(report.exitCode, 0, JSON.stringify(report.problems));
    assert.equal(report.quorum.cosigned, 3);
  });

  test('one witness down: still served, cosigned by 2 of 3, the dead one shown unreachable, the quorum not met', async () => {
    await witnesses[2]!.kill();
    const started = Date.now();
    const size = await publish(first, 'Budget approved');
    assert.ok(Date.now() - started < 2_000, 'publishing does not wait for the witnesses');
    await eventually(first, async () => (await cosigners(first, size)) === 2 && (await statusOf(first, witnesses[2]!.name)) === 'unreachable', '2 cosignatures and one unreachable');
    const note = await (await fetch(`${first.url}/transparency/tlog/checkpoint`)).text();
    const opened = openNote(note, [verifierFromVkey(logKey), ...witnesses.map((w) => verifierFromVkey(w.vkey))]);
    assert.equal(opened.verified.length, 3, 'the log and two witnesses');
    const json = (await (await fetch(`${first.url}/transparency/checkpoint`)).json()) as { witnessed: { cosigners: number; quorum: number; met: boolean } };
    assert.deepEqual(json.witnessed, { cosigners: 2, quorum: 3, met: false });
    const page = await (await fetch(`${first.url}/en/transparency`)).text();
    assert.match(page, /2 of 3/, 'the transparency page says 2 of 3');
    // A monitor requiring all three says the quorum is not met (exit 4); requiring two, all is well.
    const strict = await runMonitor({ url: first.url, stateFile, witnesses: witnesses.map((w) => w.vkey), quorum: 3, rules: [] });
    assert.equal(strict.exitCode, 4);
    const lenient = await runMonitor({ url: first.url, stateFile, witnesses: witnesses.map((w) => w.vkey), quorum: 2, rules: [] });
    assert.equal(lenient.exitCode, 0, JSON.stringify(lenient.problems));
  });

  test('the split-view drill: a second history under the same key is refused by the witnesses and reported by the monitor', async () => {
    // The municipality copies its database at the current size: from here two histories share a prefix.
    const copy = join(dir, 'copy.sqlite');
    await backupSqlite(join(dir, 'besa.sqlite'), copy);
    const sizeA = await publish(first, 'Budget spent as planned');
    await eventually(first, async () => (await cosigners(first, sizeA)) === 2, 'the first history cosigned by the two live witnesses');
    const followed = await runMonitor({ url: first.url, stateFile, witnesses: witnesses.slice(0, 2).map((w) => w.vkey), quorum: 2, rules: [] });
    assert.equal(followed.exitCode, 0, JSON.stringify(followed.problems));
    const noteA = followed.checkpoint!.note;

    second = await startInstance(copy);
    const sizeB = await publish(second, 'Budget spent elsewhere');
    assert.equal(sizeB, sizeA, 'both histories have the same size and differ in their last entry');
    await eventually(
      second,
      async () => (await statusOf(second!, witnesses[0]!.name)) === 'refused' && (await statusOf(second!, witnesses[1]!.name)) === 'refused',
      'both live witnesses refuse the second history',
    );
    assert.equal(await cosigners(second, sizeB), 0, 'nobody cosigned the second history');
    const rowB = await tdb(second.handle.db).selectFrom('transparency_checkpoints').select('root_hash').where('tree_size', '=', sizeB).executeTakeFirstOrThrow();
    const rootB = Buffer.from(rowB.root_hash, 'hex').toString('base64');
    for (const w of witnesses.slice(0, 2)) {
      const evidence = readFileSync(`${w.stateFile}.evidence.jsonl`, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { size: number; conflicting: { root: string; note: string } });
      assert.ok(
        evidence.some((e) => e.size === sizeB && e.conflicting.root === rootB && e.conflicting.note.includes(`\n${sizeB}\n${rootB}\n`)),
        'the refused checkpoint is kept as evidence',
      );
    }

    const before = readFileSync(stateFile, 'utf8');
    const shown = await runMonitor({ url: second.url, stateFile, rules: [] });
    assert.equal(shown.exitCode, 2, 'misbehaviour');
    const text = JSON.stringify(shown.problems);
    assert.ok(text.includes(JSON.stringify(noteA).slice(1, -1)) || text.includes(noteA.split('\n')[2]!), 'the report holds the first checkpoint');
    assert.ok(text.includes(shown.checkpoint!.note.split('\n')[2]!), 'and the second');
    assert.notEqual(shown.checkpoint!.note.split('\n')[2], noteA.split('\n')[2], 'two roots for one size');
    assert.equal(readFileSync(stateFile, 'utf8'), before, 'the monitor keeps the state it verified');
  });
});
