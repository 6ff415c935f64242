/**
 * The CSV edition: a ZIP of one file per entity, translatable columns one per locale, and every
 * cell a spreadsheet would run as a formula defused with an apostrophe.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { describeEachDatabase } from '../../../test/db.js';
import { collector, seedOpenData, unzip, type OpenDataFixture } from '../../../test/opendata-fixture.js';
import { ENTITIES } from './entities.js';
import { csvHeader, writeCsvZip } from './export-csv.js';
import { jurisdictionScope } from './export-json.js';

const rows = (file: Buffer | undefined): Record<string, string>[] => parse(file!.toString('utf8'), { columns: true, bom: true }) as Record<string, string>[];

test('a translatable column is one column per stored locale', () => {
  const milestones = ENTITIES.find((e) => e.name === 'milestones')!;
  const header = csvHeader(milestones);
  assert.deepEqual(header.filter((h) => h.startsWith('title_')), ['title_sq', 'title_sr-Latn', 'title_en', 'title_fr']);
  assert.ok(header.includes('is_demo') && !header.includes('title'));
});

describeEachDatabase('open data: CSV ZIP', (get) => {
  let seeded: OpenDataFixture;
  let files: Map<string, Buffer>;

  before(async () => {
    seeded = await seedOpenData(get().db);
    // A slow reader with a small buffer: the writer waits for it (backpressure) and still finishes.
    const out = collector({ highWaterMark: 256, delayMs: 1 });
    await writeCsvZip(get().db, out.stream, { scope: { kind: 'instance' }, publicUrl: 'https://besa.example.org', now: new Date('2026-12-01T00:00:00Z') });
    files = await unzip(await out.end());
  });

  test('one file per entity, the log, and a README', () => {
    assert.deepEqual([...files.keys()].sort(), ['README.txt', 'log_checkpoints.csv', 'log_entries.csv', ...ENTITIES.map((e) => `${e.name}.csv`)].sort());
    const milestones = rows(files.get('milestones.csv'));
    assert.equal(milestones.length, 13);
    assert.ok(milestones.some((m) => m.title_sq && m.title_en));
    assert.ok(milestones.every((m) => m.is_demo === '0' || m.is_demo === '1'));
    const commitments = rows(files.get('commitments.csv'));
    assert.ok(commitments.some((c) => c.ogp_values!.includes('; ') || c.ogp_values === 'access_to_information'), 'lists joined with "; "');
  });

  test('formula-looking texts from a progress update are defused', () => {
    const updates = rows(files.get('progress_updates.csv'));
    const mine = updates.find((u) => Number(u.id) === seeded.publishedUpdateId)!;
    assert.equal(mine.summary_en, "'+Budget published monthly.");
    assert.ok(!updates.some((u) => Number(u.id) === seeded.draftUpdateId), 'no draft');
    const items = rows(files.get('progress_update_items.csv')).filter((i) => Number(i.update_id) === seeded.publishedUpdateId);
    assert.equal(items.length, 2);
    for (const item of items) assert.equal(item.narrative_en, `'=HYPERLINK("http://evil.example")`);
    for (const [name, bytes] of files) {
      if (!name.endsWith('.csv')) continue;
      for (const row of rows(bytes)) for (const [column, cell] of Object.entries(row)) assert.doesNotMatch(cell, /^[=+@\t\r]/, `${name} ${column}`);
    }
  });

  test('the log is in it, entry by entry', async () => {
    const entries = rows(files.get('log_entries.csv'));
    assert.ok(entries.length > 50);
    assert.deepEqual(
      entries.slice(0, 3).map((e) => e.index),
      ['0', '1', '2'],
    );
    assert.ok(rows(files.get('log_checkpoints.csv')).length > 0);
  });

  test("a jurisdiction's ZIP holds its rows only", async () => {
    const scope = await jurisdictionScope(get().db, 'fixture');
    assert.ok(scope);
    const out = collector();
    await writeCsvZip(get().db, out.stream, { scope, publicUrl: 'https://besa.example.org' });
    const mine = await unzip(await out.end());
    assert.deepEqual(rows(mine.get('jurisdictions.csv')).map((j) => j.slug), ['fixture']);
    assert.deepEqual(rows(mine.get('milestones.csv')).map((m) => m.code), ['XKGJA0001.1', 'XKGJA0001.2']);
  });
});
