import { resolve } from 'node:path';

/**
 * A node:test reporter that counts the tests that really ran, per file, and writes the counts
 * as JSON. Node reports each test file as a test of its own, so a file with no test in it
 * still counts as one passing test there; this reporter leaves those file-level entries out.
 * Node 20 names that entry by the file's absolute path, Node 22 and 24 by the path given on
 * the command line (relative to the working directory).
 */
export default async function* countReporter(source) {
  const files = {};
  const entry = (file) => (files[file ?? '?'] ??= { pass: 0, fail: 0, skip: 0 });
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.details?.type === 'suite') continue;
    if (data.nesting === 0 && data.file && (data.name === data.file || resolve(data.name) === data.file)) {
      // The file itself: a failure here is a file that could not load or run.
      if (event.type === 'test:fail') entry(data.file).fail += 1;
      else entry(data.file);
      continue;
    }
    const counts = entry(data.file);
    if (data.skip || data.todo) counts.skip += 1;
    else if (event.type === 'test:pass') counts.pass += 1;
    else counts.fail += 1;
  }
  yield `${JSON.stringify(files)}\n`;
}
