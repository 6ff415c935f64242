/**
 * The open-data routes on the real app: the downloads stream with Content-Disposition (JSON valid
 * against the JSON Schema with Ajv 2020; the ZIP readable), snapshots computed from the published
 * history, the pages valid HTML in every locale, unknown names 404.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { LOCALES } from '../../i18n/locales.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors } from '../../../test/html.js';
import { seedOpenData, unzip, type OpenDataFixture } from '../../../test/opendata-fixture.js';
import { refreshContentVersion } from '../../db/content-version.js';
import { DownloadCache } from './downloads.js';
import { ENTITIES } from './entities.js';
import { openDataSchema } from './json-schema.js';

describe('open data routes [sqlite]', () => {
  let t: TestApp;
  let seeded: OpenDataFixture;

  before(async () => {
    t = await openTestApp('sqlite');
    seeded = await seedOpenData(t.database.db);
  });
  after(async () => t.close());

  test('the JSON Schema in docs/ is the one the code builds, and a real download validates against it', async () => {
    const file = readFileSync(new URL('../../../docs/open-data/v1.schema.json', import.meta.url), 'utf8');
    assert.equal(file, `${JSON.stringify(openDataSchema(), null, 2)}\n`, 'run: node --import tsx src/modules/opendata/json-schema.ts');
    const served = await t.app.inject({ method: 'GET', url: '/open-data/schema/v1.json' });
    assert.equal(served.statusCode, 200);
    assert.deepEqual(JSON.parse(served.body), openDataSchema());

    const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
    (addFormats as unknown as (a: unknown) => void)(ajv);
    const validate = ajv.compile(openDataSchema());
    for (const url of ['/open-data/all.json', '/open-data/gjakova.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.match(String(res.headers['content-disposition']), /^attachment; filename="besa-open-data-(all|gjakova)-\d{4}-\d{2}-\d{2}\.json"$/);
      const doc = JSON.parse(res.body) as { data: Record<string, unknown[]> };
      assert.equal(validate(doc), true, JSON.stringify(validate.errors?.slice(0, 3)));
      assert.ok(doc.data.milestones!.length > 0);
    }
    // A document with a row missing a field, or a wrong type, fails the schema: it is not a formality.
    const broken = JSON.parse((await t.app.inject({ method: 'GET', url: '/open-data/all.json' })).body) as { data: { milestones: Record<string, unknown>[] } };
    broken.data.milestones[0]!.weight = 'heavy';
    assert.equal(validate(broken), false);
  });

  test('the CSV ZIP of a jurisdiction', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/open-data/fixture.csv.zip' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.match(String(res.headers['content-disposition']), /filename="besa-open-data-fixture-[\d-]+\.csv\.zip"/);
    const files = await unzip(res.rawPayload);
    for (const e of ENTITIES) assert.ok(files.has(`${e.name}.csv`), e.name);
  });

  test('unknown downloads are 404', async () => {
    for (const url of ['/open-data/nowhere.json', '/open-data/all.xml', '/open-data/..%2Fetc.json', '/open-data/fixture/snapshots/2024-2025/99.json', '/open-data/fixture/snapshots/2024-2025/1.pdf']) {
      assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 404, url);
    }
  });

  test("a cycle's snapshot: each milestone as the updates published by its end left it", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/open-data/fixture/snapshots/2024-2025/1.json' });
    assert.equal(res.statusCode, 200);
    const snapshot = JSON.parse(res.body) as { as_of: string; cycle: { number: number }; commitments: { code: string; status: string; progress: number | null; milestones: { code: string; status: string | null; update_id: number | null }[] }[] };
    assert.equal(snapshot.cycle.number, 1);
    assert.equal(snapshot.as_of, '2024-04-01T00:00:00.000Z');
    // The fixture's update for cycle 1 was published today, long after the cycle's end: not in it.
    assert.deepEqual(snapshot.commitments[0]!.milestones.map((m) => m.status), [null, null]);
    const csv = await t.app.inject({ method: 'GET', url: '/open-data/fixture/snapshots/2024-2025/1.csv' });
    assert.equal(csv.statusCode, 200);
    const rows = parse(csv.body, { columns: true, bom: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => [r.milestone_code, r.status]), [['XKGJA0001.1', 'not_reported'], ['XKGJA0001.2', 'not_reported']]);
    // Gjakova's demonstration updates were published on their cycles' days: a snapshot shows them.
    const page = await t.app.inject({ method: 'GET', url: '/en/gjakova/open-data' });
    assert.equal(page.statusCode, 200);
    const links = [...page.body.matchAll(/href="(\/open-data\/gjakova\/snapshots\/[^"]+\.json)"/g)].map((m) => m[1]!);
    assert.ok(links.length > 0, 'the page lists the ended cycles');
    // Published during cycle 2 (moved back in time here), the update shows from cycle 2's snapshot on, with its derived progress.
    await t.database.db.updateTable('progress_updates' as never).set({ published_at: '2024-04-10T09:00:00.000Z' } as never).where('id' as never, '=', seeded.publishedUpdateId as never).execute();
    const second = JSON.parse((await t.app.inject({ method: 'GET', url: '/open-data/fixture/snapshots/2024-2025/2.json' })).body) as typeof snapshot;
    assert.deepEqual(second.commitments[0]!.milestones.map((m) => [m.status, m.update_id]), [['completed', seeded.publishedUpdateId], ['delayed', seeded.publishedUpdateId]]);
    assert.equal(second.commitments[0]!.status, 'delayed');
    assert.equal(second.commitments[0]!.progress, 0.5);
    const first = JSON.parse((await t.app.inject({ method: 'GET', url: '/open-data/fixture/snapshots/2024-2025/1.json' })).body) as typeof snapshot;
    assert.deepEqual(first.commitments[0]!.milestones.map((m) => m.status), [null, null]);
    // A cycle that has not ended has no snapshot.
    assert.equal((await t.app.inject({ method: 'GET', url: '/open-data/gjakova/snapshots/2024-2025/99.json' })).statusCode, 404);
  });

  test("a snapshot ends at local midnight in the jurisdiction's time zone", async () => {
    const db = t.database.db;
    const { time_zone: zone } = await db.selectFrom('jurisdictions').select('time_zone').where('slug', '=', 'fixture').executeTakeFirstOrThrow();
    assert.equal(zone, 'UTC', 'the fixture starts in UTC (the snapshot test above expects midnight UTC)');
    await db.updateTable('jurisdictions').set({ time_zone: 'Europe/Belgrade' }).where('slug', '=', 'fixture').execute();
    try {
      const cycleOne = async () => JSON.parse((await t.app.inject({ method: 'GET', url: '/open-data/fixture/snapshots/2024-2025/1.json' })).body) as { as_of: string; commitments: { milestones: { status: string | null }[] }[] };
      // 00:30 on 1 April in Belgrade (summer time, UTC+2): after cycle 1's last day there, though still 31 March in UTC.
      await db.updateTable('progress_updates' as never).set({ published_at: '2024-03-31T22:30:00.000Z' } as never).where('id' as never, '=', seeded.publishedUpdateId as never).execute();
      const after = await cycleOne();
      assert.equal(after.as_of, '2024-03-31T22:00:00.000Z');
      assert.deepEqual(after.commitments[0]!.milestones.map((m) => m.status), [null, null]);
      // 23:30 on 31 March in Belgrade: within the cycle.
      await db.updateTable('progress_updates' as never).set({ published_at: '2024-03-31T21:30:00.000Z' } as never).where('id' as never, '=', seeded.publishedUpdateId as never).execute();
      assert.deepEqual((await cycleOne()).commitments[0]!.milestones.map((m) => m.status), ['completed', 'delayed']);
    } finally {
      await db.updateTable('jurisdictions').set({ time_zone: 'UTC' }).where('slug', '=', 'fixture').execute();
      await db.updateTable('progress_updates' as never).set({ published_at: '2024-04-10T09:00:00.000Z' } as never).where('id' as never, '=', seeded.publishedUpdateId as never).execute();
    }
  });

  test('a download is made once per content version (at once or later), sent from its file with an ETag and 304', async () => {
    const db = t.database.db;
    await db.updateTable('cache_state').set({ version: 5_000_000 }).where('id', '=', 1).execute();
    await refreshContentVersion(db);
    const made = DownloadCache.made;
    const urls = ['/open-data/all.json', '/open-data/all.json', '/open-data/all.json', '/open-data/fixture.csv.zip', '/open-data/fixture.csv.zip', '/open-data/fixture.json'];
    const first = await Promise.all(urls.map((url) => t.app.inject({ method: 'GET', url })));
    for (const [i, res] of first.entries()) {
      assert.equal(res.statusCode, 200, urls[i]);
      assert.equal(Number(res.headers['content-length']), res.rawPayload.length, `${urls[i]}: sent whole, its length known`);
    }
    assert.equal(DownloadCache.made, made + 3, 'three files (all.json, fixture.csv.zip, fixture.json), each made once');
    assert.equal(new Set(first.slice(0, 3).map((r) => r.headers.etag)).size, 1);
    assert.ok(first[1]!.rawPayload.equals(first[0]!.rawPayload), 'the same bytes, generation time included');
    assert.notEqual(first[5]!.headers.etag, first[0]!.headers.etag);
    await unzip(first[3]!.rawPayload);

    const etag = String(first[0]!.headers.etag);
    const again = await t.app.inject({ method: 'GET', url: '/open-data/all.json' });
    assert.equal(again.headers.etag, etag);
    assert.ok(again.rawPayload.equals(first[0]!.rawPayload));
    const notModified = await t.app.inject({ method: 'GET', url: '/open-data/all.json', headers: { 'if-none-match': etag } });
    assert.equal(notModified.statusCode, 304);
    assert.equal(notModified.body, '');
    assert.equal((await t.app.inject({ method: 'HEAD', url: '/open-data/all.json' })).statusCode, 200);
    assert.equal(DownloadCache.made, made + 3, 'served from the files: nothing made again');

    // A published change: the next request makes the file again, with the change in it.
    const { name } = await db.selectFrom('jurisdictions').select('name').where('slug', '=', 'fixture').executeTakeFirstOrThrow();
    try {
      await db.updateTable('jurisdictions').set({ name: JSON.stringify({ en: 'Fixture renamed for the download test' }) }).where('slug', '=', 'fixture').execute();
      await db.updateTable('cache_state').set({ version: 5_000_001 }).where('id', '=', 1).execute();
      await refreshContentVersion(db);
      const changed = await t.app.inject({ method: 'GET', url: '/open-data/all.json', headers: { 'if-none-match': etag } });
      assert.equal(changed.statusCode, 200, 'the old ETag no longer matches');
      assert.notEqual(changed.headers.etag, etag);
      assert.ok(changed.body.includes('Fixture renamed for the download test'));
      assert.ok(!first[0]!.body.includes('Fixture renamed for the download test'));
      assert.equal(DownloadCache.made, made + 4);
    } finally {
      await db.updateTable('jurisdictions').set({ name }).where('slug', '=', 'fixture').execute();
    }
  });

  test('the pages in every locale are valid HTML and list the downloads and the format', async () => {
    for (const locale of LOCALES) {
      for (const path of ['/open-data', '/gjakova/open-data', '/fixture/open-data']) {
        const res = await t.app.inject({ method: 'GET', url: `/${locale}${path}` });
        assert.equal(res.statusCode, 200, `${locale}${path}`);
        assert.deepEqual(await htmlErrors(res.body), [], `${locale}${path}`);
        assert.match(res.body, /href="\/open-data\/(all|gjakova|fixture)\.json"/);
      }
    }
    const en = await t.app.inject({ method: 'GET', url: '/en/open-data' });
    for (const e of ENTITIES) assert.ok(en.body.includes(`id="entity-${e.name}"`), e.name);
    assert.ok(en.body.includes('href="/open-data/schema/v1.json"'));
    assert.equal((await t.app.inject({ method: 'GET', url: '/en/nowhere/open-data' })).statusCode, 404);
  });
});
