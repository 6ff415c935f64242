import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCursor, MAX_SCAN, pageOf } from './cursor.js';

/** A table of `size` rows with ids 1..size, counting the queries made. */
function table(size: number) {
  const calls: number[] = [];
  return {
    calls,
    fetch: async (after: number, count: number) => {
      calls.push(count);
      const rows: number[] = [];
      for (let id = Math.max(after + 1, 1); id <= size && rows.length < count; id++) rows.push(id);
      return rows;
    },
  };
}

test('a filter that keeps nothing costs a few queries per request, not one per two rows, and pages on with a cursor', async () => {
  const t = table(20_000);
  const page = await pageOf({ after: -1, limit: 1, fetch: t.fetch, positionOf: (r) => r, build: async (rows) => rows, keep: () => false });
  assert.deepEqual(page.items, []);
  assert.ok(t.calls.length <= MAX_SCAN / 500, `${t.calls.length} queries`);
  assert.ok(page.next, 'the scan cap was reached: a cursor to go on');
  assert.equal(decodeCursor(page.next), MAX_SCAN);
  // Following the cursors walks the whole table and ends with null.
  let next: string | null = page.next;
  let requests = 1;
  while (next) {
    const more: { next: string | null } = await pageOf({ after: decodeCursor(next), limit: 1, fetch: t.fetch, positionOf: (r) => r, build: async (rows) => rows, keep: () => false });
    next = more.next;
    requests++;
  }
  assert.equal(requests, 20_000 / MAX_SCAN + 1);
});

test('a sparse filter still finds every kept row exactly once across capped pages', async () => {
  const t = table(3_000);
  const keep = (id: number) => id % 700 === 0;
  const seen: number[] = [];
  let after = -1;
  for (let guard = 0; guard < 100; guard++) {
    const page = await pageOf({ after, limit: 2, fetch: t.fetch, positionOf: (r) => r, build: async (rows) => rows, keep, maxScan: 1_000 });
    seen.push(...page.items);
    if (!page.next) break;
    after = decodeCursor(page.next);
  }
  assert.deepEqual(seen, [700, 1400, 2100, 2800]);
});

test('a token valid through a day works to the end of that day (UTC): it expires at the next day’s 00:00Z', async () => {
  const { validThroughEnd } = await import('../accounts/admin-routes.js');
  assert.equal(validThroughEnd('2030-12-31'), '2031-01-01T00:00:00.000Z');
  assert.equal(validThroughEnd('2032-02-28'), '2032-02-29T00:00:00.000Z');
});
