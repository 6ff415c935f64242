/**
 * `besa import ogp FILE` and `besa import decidim FILE --jurisdiction J`, run as the command line:
 * the report names every skipped row and why; the second run reports everything unchanged. Each
 * run starts a process, so SQLite only (the imports run on both databases in ogp.test.ts and
 * decidim.test.ts). The Decidim export is written to a stream as `besa export --format decidim` does.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openDatabase, type DatabaseHandle } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { UsageError } from '../../lib/usage-error.js';
import { writeDecidimExport } from './cli.js';
import { decidimCsvFile, ogpCsv } from './test-files.js';

const run = promisify(execFile);
const cli = new URL('../../../src/cli.ts', import.meta.url).pathname;

describe('besa import ogp|decidim [sqlite, as a command]', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let env: NodeJS.ProcessEnv;

  async function besa(...args: string[]): Promise<{ code: number; out: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], { env });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'besa-cli-import-'));
    const path = join(dir, 'besa.sqlite');
    handle = openDatabase({ sqlitePath: path });
    await migrateToLatest(handle.db, handle.dialect);
    env = { PATH: process.env.PATH, BESA_DB: path };
    writeFileSync(join(dir, 'ogp.csv'), ogpCsv());
    writeFileSync(join(dir, 'results.csv'), decidimCsvFile());
  });
  after(async () => {
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('import ogp: a report of what was made and of every row skipped; again, everything unchanged', async () => {
    const first = await besa('import', 'ogp', join(dir, 'ogp.csv'));
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, /Read 6 rows\./);
    assert.match(first.out, /commitments: 5 created, 0 updated, 0 unchanged/);
    assert.match(first.out, /Skipped 1 rows\.\n {2}row 5: no commitment title/);
    assert.match(first.out, /row 7: a date that cannot be read, kept empty \(End Date: soon\)/);
    assert.doesNotMatch(first.out, /\[=*-*\]|░/, 'no progress bar when standard error is not a terminal');

    const second = await besa('import', 'ogp', join(dir, 'ogp.csv'));
    assert.equal(second.code, 0, second.out);
    assert.match(second.out, /commitments: 0 created, 0 updated, 5 unchanged/);
    assert.match(second.out, /jurisdictions: 0 created, 0 updated, 3 unchanged/);
    assert.equal(Number((await handle.db.selectFrom('commitments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 5);
  });

  test('import decidim needs a jurisdiction that exists; then imports', async () => {
    const none = await besa('import', 'decidim', join(dir, 'results.csv'));
    assert.equal(none.code, 1, none.out);
    assert.match(none.out, /needs --jurisdiction/);
    const unknown = await besa('import', 'decidim', join(dir, 'results.csv'), '--jurisdiction', 'atlantis');
    assert.notEqual(unknown.code, 0, unknown.out);
    assert.match(unknown.out, /no jurisdiction “atlantis”/);
    const ok = await besa('import', 'decidim', join(dir, 'results.csv'), '--jurisdiction', 'tirana');
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /commitments: 2 created/);
    assert.match(ok.out, /milestones: 3 created/);
    assert.match(ok.out, /row 7: its parent is neither in the file nor imported before \(999\)/);
  });

  test('writeDecidimExport writes the CSV to the stream; without a jurisdiction it is a usage error', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeDecidimExport(handle.db, out, { jurisdiction: 'tirana' });
    const text = Buffer.concat(chunks).toString('utf8');
    assert.match(text, /^id;category\/id;/);
    assert.match(text, /;Open budget;/);
    await assert.rejects(writeDecidimExport(handle.db, new PassThrough(), {}), UsageError);
  });
});
