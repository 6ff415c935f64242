/**
 * `besa export` and `besa import json` as the command line (SQLite files; the round trip itself
 * runs on both databases in round-trip.test.ts): stdout and --output give the same download, a
 * summary line on stderr when it is not a terminal, import into an empty database and export again
 * gives the same bytes but the time, the offline verifier accepts the exported log, and bad options
 * are refused with a message and exit code 1 or 2.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openDatabase, type DatabaseHandle } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { seedDemo, seedIfEmpty } from '../../db/seeds/index.js';
import { UsageError } from '../../lib/usage-error.js';
import { verifyPublishedHistory } from '../transparency/index.js';
import { collector } from '../../../test/opendata-fixture.js';
import { exportCommand, importJsonCommand } from './cli.js';

const run = promisify(execFile);
const cli = new URL('../../../src/cli.ts', import.meta.url).pathname;
const verifier = new URL('../../../scripts/verify-log.mjs', import.meta.url).pathname;

describe('besa export and besa import json [sqlite, as commands]', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let emptyPath: string;

  async function besa(db: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], { env: { PATH: process.env.PATH, BESA_DB: db }, maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'besa-cli-export-'));
    const path = join(dir, 'besa.sqlite');
    handle = openDatabase({ sqlitePath: path });
    await migrateToLatest(handle.db, handle.dialect);
    await seedIfEmpty(handle.db);
    await seedDemo(handle.db);
    emptyPath = join(dir, 'empty.sqlite');
    const empty = openDatabase({ sqlitePath: emptyPath });
    await migrateToLatest(empty.db, empty.dialect);
    await empty.destroy();
  });
  after(async () => {
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The command functions in this process (spawning costs seconds a run on a loaded machine). */
  function io() {
    const out = collector();
    const err: string[] = [];
    const stderr = { isTTY: false, write: (s: string) => err.push(s) } as unknown as NodeJS.WriteStream;
    return { io: { stdout: out.stream, stderr }, out, err };
  }

  test('export to stdout (as a command) and to a file, import into an empty database, export again: the same; the log verifies offline', async () => {
    const db = join(dir, 'besa.sqlite');
    const toStdout = await besa(db, 'export', '--format', 'json');
    assert.equal(toStdout.code, 0, toStdout.stderr);
    assert.match(toStdout.stderr, /^besa export: \d+ rows of the instance \(json\) to standard output in [\d.]+ s\n$/);
    const file = join(dir, 'all.json');
    const a = io();
    await exportCommand(handle.db, { output: file, publicUrl: 'http://127.0.0.1:3000' }, a.io);
    assert.equal(a.out.bytes().length, 0, 'nothing on stdout with --output');
    assert.match(a.err.join(''), /to .*all\.json in/);
    const first = readFileSync(file, 'utf8');
    const strip = (s: string) => s.replace(/"generatedAt":"[^"]+"/, '"generatedAt":""');
    assert.equal(strip(toStdout.stdout), strip(first));

    const empty = openDatabase({ sqlitePath: emptyPath });
    try {
      const b = io();
      await importJsonCommand(empty.db, file, b.io);
      assert.match(b.err.join(''), /besa import json: \d+ rows and \d+ log entries/);
      const c = io();
      await exportCommand(empty.db, { format: 'json', publicUrl: 'http://127.0.0.1:3000' }, c.io);
      assert.equal(strip((await c.out.end()).toString('utf8')), strip(first));
      const check = await verifyPublishedHistory(empty.db);
      assert.equal(check.ok, true, JSON.stringify(check.problem));
      await assert.rejects(importJsonCommand(empty.db, file, io().io), (e: unknown) => e instanceof UsageError && /not empty/.test(e.message));
    } finally {
      await empty.destroy();
    }

    const log = join(dir, 'log.json');
    writeFileSync(log, JSON.stringify((JSON.parse(first) as { log: unknown }).log));
    const verified = await run(process.execPath, [verifier, log, '--json']);
    assert.equal((JSON.parse(verified.stdout) as { ok: boolean }).ok, true);
  });

  test('the CSV edition of a jurisdiction to a file', async () => {
    const zip = join(dir, 'gjakova.csv.zip');
    const a = io();
    await exportCommand(handle.db, { format: 'csv', jurisdiction: 'gjakova', output: zip, publicUrl: 'http://127.0.0.1:3000' }, a.io);
    assert.match(a.err.join(''), /of jurisdiction gjakova \(csv\) to .*gjakova\.csv\.zip/);
    assert.equal(readFileSync(zip).subarray(0, 2).toString('latin1'), 'PK');
  });

  test('bad options are refused (as commands)', async () => {
    const db = join(dir, 'besa.sqlite');
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ format: 'something-else' }));
    const [format, nowhere, other] = await Promise.all([besa(db, 'export', '--format', 'xml'), besa(db, 'export', '--jurisdiction', 'nowhere'), besa(emptyPath, 'import', 'json', join(dir, 'other.json'))]);
    assert.equal(format.code, 1);
    assert.match(format.stderr, /--format must be json, csv, decidim, not "xml"/);
    assert.equal(format.stdout, '');
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.stderr, /no jurisdiction "nowhere"/);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /not a Besa open-data download/);
    await assert.rejects(importJsonCommand(handle.db, join(dir, 'missing.json'), io().io), (e: unknown) => e instanceof UsageError && /cannot read .*missing\.json/.test(e.message));
  });

  test('--format decidim hands the work to the interop module', async () => {
    const a = io();
    try {
      await exportCommand(handle.db, { format: 'decidim', jurisdiction: 'gjakova', publicUrl: 'http://127.0.0.1:3000' }, a.io);
      assert.match(a.err.join(''), /Decidim accountability CSV/);
    } catch (error) {
      // Until the interop part lands, its stub refuses: export called it and passes its word on.
      assert.ok(error instanceof UsageError && /decidim/i.test(error.message));
    }
  });
});
