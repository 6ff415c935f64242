/**
 * The `besa` command's own argument checks, before any database is opened: a command that needs a
 * file says so, options that belong to another command are refused, both with exit code 2 and a
 * line that names the problem. (Each command's work is tested beside the module that does it.)
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = new URL('./cli.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'besa-cli-'));
const env = { ...process.env, BESA_DB: join(dir, 'besa.sqlite'), DATABASE_URL: '' };

async function besa(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], { env });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('besa command-line arguments', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an import without its file is refused and names the missing file', async () => {
    const result = await besa('import', 'ogp');
    assert.equal(result.code, 2);
    assert.match(result.out, /import ogp needs the file to read/);
  });

  test('an import with two files is refused', async () => {
    const result = await besa('import', 'decidim', 'a.csv', 'b.csv');
    assert.equal(result.code, 2);
    assert.match(result.out, /unexpected argument "b\.csv"/);
  });

  test('--format belongs to export, --plan to export and import decidim', async () => {
    const format = await besa('migrate', '--format', 'json');
    assert.equal(format.code, 2);
    assert.match(format.out, /--format and --output only go with "export"/);
    const plan = await besa('import', 'ogp', 'x.csv', '--plan', 'p');
    assert.equal(plan.code, 2);
    assert.match(plan.out, /--plan only goes with/);
  });

  test('--jurisdiction still goes with user create, and no longer with audit verify', async () => {
    const result = await besa('audit', 'verify', '--jurisdiction', 'gjakova');
    assert.equal(result.code, 2);
    assert.match(result.out, /--jurisdiction only goes with "user create", "export" and "import decidim"/);
  });

  test('help lists export and the three imports', async () => {
    const result = await besa('help');
    assert.equal(result.code, 0);
    for (const line of ['export --format json|csv|decidim', 'import json FILE', 'import ogp FILE', 'import decidim FILE']) assert.ok(result.out.includes(line), line);
  });
});

describe('besa export on a database that has never been migrated', () => {
  test('standard output holds the download alone; the migrations are named on standard error', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'besa-cli-fresh-'));
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, 'export', '--format', 'json'], {
        env: { ...process.env, BESA_DB: join(fresh, 'besa.sqlite'), DATABASE_URL: '' },
        maxBuffer: 64 * 1024 * 1024,
      });
      const download = JSON.parse(stdout) as { format: string };
      assert.equal(download.format, 'besa-open-data/1');
      assert.match(stderr, /Applied migrations: 0001_foundation/);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
