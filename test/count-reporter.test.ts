/**
 * scripts/count-reporter.mjs on the Node that runs this test (CI runs it on 20, 22 and 24, which
 * name a test file's own entry differently): a file with no test counts zero, so that
 * scripts/test.mjs fails it, and a file's real tests are counted, suites and skips apart.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const root = fileURLToPath(new URL('..', import.meta.url));

test('count-reporter counts the tests that ran, per file, and zero for a file without tests', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'besa-count-'));
  try {
    const report = join(scratch, 'counts.json');
    const [empty, three] = ['test/runner-fixtures/no-test.ts', 'test/runner-fixtures/three-tests.ts'] as const;
    const files = [empty, three];
    // Inside `node --test`, NODE_TEST_CONTEXT would make the inner run report to this one instead.
    const { NODE_TEST_CONTEXT: _inner, ...env } = process.env;
    const code = await new Promise<number | null>((done) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--test', `--test-reporter=${join(root, 'scripts', 'count-reporter.mjs')}`, `--test-reporter-destination=${report}`, ...files],
        { cwd: root, stdio: 'ignore', env: { ...env, NODE_ENV: 'test' } },
      );
      child.on('exit', done);
    });
    assert.equal(code, 0);
    const counts = JSON.parse(readFileSync(report, 'utf8'));
    assert.deepEqual(counts, {
      [resolve(root, empty)]: { pass: 0, fail: 0, skip: 0 },
      [resolve(root, three)]: { pass: 2, fail: 0, skip: 1 },
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
