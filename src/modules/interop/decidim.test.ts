import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { describeEachDatabase } from '../../../test/db.js';
import { parseTranslatable } from '../../lib/translatable.js';
import { SYSTEM } from '../audit/index.js';
import { verifyPublishedHistory } from '../transparency/index.js';
import { tdb } from '../transparency/tables.js';
import { decidimCsv, decidimHeader, exportText, htmlToText, importedText, statusFromKey, textToHtml } from './decidim.js';
import { importDecidim } from './decidim.js';
import { importOgp } from './ogp.js';
import { stringify } from 'csv-stringify/sync';
import { DECIDIM_HEADER, decidimCsvFile, decidimRows, ogpCsv } from './test-files.js';

/**
 * Decidim's accountability results: a file in Decidim's format imports (results → commitments,
 * sub-results → milestones), exports back in the same shape with the same rows, and Besa's export
 * imported again changes nothing.
 */
describeEachDatabase('interop: Decidim accountability results', (get) => {
  const logSize = async () => Number((await tdb(get().db).selectFrom('transparency_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const records = (text: string) => parse(text, { delimiter: ';', columns: true }) as Record<string, string>[];

  test('results become commitments of the plan, sub-results milestones; other languages and orphans reported', async () => {
    const { db } = get();
    await importOgp(db, SYSTEM, ogpCsv(), { fileName: 'ogp.csv' });
    const report = await importDecidim(db, SYSTEM, decidimCsvFile(), { jurisdiction: 'tirana' }, { fileName: 'results.csv' });
    assert.equal(report.created.commitment, 2);
    assert.equal(report.created.milestone, 3);
    assert.deepEqual(report.skipped, [{ row: 7, reason: 'unknown_parent', detail: '999' }]);
    assert.deepEqual(report.warnings, [{ row: 0, reason: 'ignored_locales', detail: 'ca' }]);

    const commitments = await db
      .selectFrom('commitments')
      .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
      .select(['commitments.id', 'commitments.code', 'commitments.title', 'commitments.action', 'commitments.starts_on', 'commitments.ends_on'])
      .where('jurisdictions.slug', '=', 'tirana')
      .orderBy('commitments.position')
      .execute();
    assert.deepEqual(commitments.map((c) => c.code), ['ALTIR0001', 'ALTIR0002', 'ALTIR0003'], 'codes follow the plan’s own');
    const budget = commitments[1]!;
    assert.deepEqual(parseTranslatable(budget.title), { en: 'Open budget', fr: 'Budget ouvert' });
    assert.equal(parseTranslatable(budget.action).en, 'Publish the budget & its execution.', 'HTML read as text');
    const milestones = await db.selectFrom('milestones').select(['code', 'status', 'due_on', 'completed_on']).where('commitment_id', '=', budget.id).orderBy('position').execute();
    assert.deepEqual(milestones, [
      { code: 'ALTIR0002.1', status: 'completed', due_on: '2024-06-30', completed_on: '2024-06-30' },
      { code: 'ALTIR0002.2', status: 'not_started', due_on: '2025-12-31', completed_on: null },
    ]);
    assert.equal((await verifyPublishedHistory(db)).ok, true);

    const entries = await logSize();
    const again = await importDecidim(db, SYSTEM, decidimCsvFile(), { jurisdiction: 'tirana' }, { fileName: 'results.csv' });
    assert.equal(again.unchanged.commitment + again.unchanged.milestone, 5);
    assert.equal(again.created.commitment + again.created.milestone + again.updated.commitment + again.updated.milestone, 0);
    assert.equal(await logSize(), entries, 'importing again publishes nothing');
  });

  test('the export has Decidim’s columns and gives back the rows imported', async () => {
    const { db } = get();
    const text = await decidimCsv(db, { jurisdiction: 'tirana' });
    const lines = text.split('\r\n');
    assert.equal(lines[0], decidimHeader().join(';'));
    for (const column of ['id', 'parent/id', 'title/en', 'description/en', 'start_date', 'end_date', 'status/id', 'status/key', 'progress', 'category/id', 'scope/id', 'created_at', 'url', 'proposal_urls']) {
      assert.ok(decidimHeader().includes(column), column);
    }
    const exported = new Map(records(text).map((r) => [r.id!, r]));
    const original = decidimRows().map((cells) => Object.fromEntries(DECIDIM_HEADER.map((h, i) => [h, cells[i] ?? ''])));
    for (const row of original.filter((r) => r.id !== '16')) {
      const back = exported.get(row.id!);
      assert.ok(back, `result ${row.id} exported`);
      for (const field of ['parent/id', 'title/en', 'title/fr', 'start_date', 'end_date']) assert.equal(back[field], row[field], `${row.id} ${field}`);
      assert.equal(htmlToText(back['description/en']!), htmlToText(row['description/en']!), `${row.id} description`);
    }
    // Statuses and progress: the sub-results' as given; a result's from its milestones, which agree here.
    for (const id of ['11', '12', '13', '15']) {
      const row = original.find((r) => r.id === id)!;
      assert.equal(exported.get(id)!['status/key'], row['status/key'], `${id} status`);
      assert.equal(exported.get(id)!['status/id'], row['status/id'], `${id} status id`);
      assert.equal(exported.get(id)!.progress, row.progress, `${id} progress`);
    }
    assert.equal(exported.get('11')!['status/name/fr'], 'En cours', 'status names in Besa’s languages');
    assert.equal(exported.get('14')!['status/key'], 'in_progress', 'a result’s status is derived from its milestones in Besa');
    // The commitment that came from OGP's data gets an id above Decidim's, and Besa's own id.
    const fromOgp = [...exported.values()].find((r) => r['title/en'] === 'Participatory planning')!;
    assert.equal(fromOgp.id, '16', 'the next number above every Decidim id imported (15; 16 was the orphan, never imported)');
    assert.match(fromOgp.external_id!, /^besa:commitment:\d+$/);
  });

  test('Besa’s export imported again changes nothing', async () => {
    const { db } = get();
    const entries = await logSize();
    const text = await decidimCsv(db, { jurisdiction: 'tirana' });
    const report = await importDecidim(db, SYSTEM, text, { jurisdiction: 'tirana' }, { fileName: 'export.csv' });
    assert.deepEqual(report.skipped, []);
    assert.equal(report.created.commitment + report.created.milestone + report.updated.commitment + report.updated.milestone, 0);
    assert.equal(report.unchanged.commitment, 3);
    assert.equal(await logSize(), entries);
    assert.equal(await decidimCsv(db, { jurisdiction: 'tirana' }), text, 'the same file again');
  });
});

/** Control characters in Decidim's cells (NUL cannot be stored on PostgreSQL) are removed, and the row named in the report. */
describeEachDatabase('interop: Decidim cells with control characters', (get) => {
  test('NUL and other control characters are removed from titles and descriptions; the report names the row', async () => {
    const { db } = get();
    await importOgp(db, SYSTEM, ogpCsv(), { fileName: 'ogp.csv' });
    const rows = decidimRows();
    const title = DECIDIM_HEADER.indexOf('title/en');
    const description = DECIDIM_HEADER.indexOf('description/en');
    rows[0]![title] = 'Open\u0000 budget\u0008';
    rows[0]![description] = '<p>Publish\u0001 the budget.</p>';
    const report = await importDecidim(db, SYSTEM, stringify([DECIDIM_HEADER, ...rows], { delimiter: ';' }), { jurisdiction: 'tirana' }, { fileName: 'results.csv' });
    assert.deepEqual(report.warnings.filter((w) => w.reason === 'control_characters'), [{ row: 2, reason: 'control_characters' }]);
    const stored = await db.selectFrom('commitments').select(['title', 'action']).where('title', 'like', '%"Open budget"%').executeTakeFirstOrThrow();
    assert.equal(parseTranslatable(stored.title).en, 'Open budget');
    assert.equal(parseTranslatable(stored.action).en, 'Publish the budget.');
    assert.equal((await verifyPublishedHistory(db)).ok, true);
  });
});

/** Titles that a spreadsheet would read as formulas are written with an apostrophe; Besa's export imported again gives them back as they were. */
describeEachDatabase('interop: Decidim export and formulas', (get) => {
  test('a title starting with = is exported as text, and the round trip keeps every title', async () => {
    const { db } = get();
    await importOgp(db, SYSTEM, ogpCsv(), { fileName: 'ogp.csv' });
    const rows = decidimRows();
    const title = DECIDIM_HEADER.indexOf('title/en');
    rows[0]![title] = '=HYPERLINK("http://evil.example","x")';
    rows[1]![title] = "'=1+1 kept with its apostrophe";
    rows[2]![title] = '-5% waste';
    await importDecidim(db, SYSTEM, stringify([DECIDIM_HEADER, ...rows], { delimiter: ';' }), { jurisdiction: 'tirana' }, { fileName: 'results.csv' });
    const text = await decidimCsv(db, { jurisdiction: 'tirana' });
    const titles = (parse(text, { delimiter: ';', columns: true }) as Record<string, string>[]).map((r) => r['title/en']);
    assert.ok(titles.includes(`'=HYPERLINK("http://evil.example","x")`), titles.join(' | '));
    assert.ok(titles.includes("''=1+1 kept with its apostrophe"));
    assert.ok(titles.includes("'-5% waste"));
    assert.ok(titles.every((t) => !/^[=+\-@\t\r]/.test(t ?? '')));
    const entries = Number((await tdb(db).selectFrom('transparency_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const report = await importDecidim(db, SYSTEM, text, { jurisdiction: 'tirana' }, { fileName: 'export.csv' });
    assert.equal(report.updated.commitment + report.updated.milestone + report.created.commitment + report.created.milestone, 0, 'the export imported again changes nothing');
    assert.equal(Number((await tdb(db).selectFrom('transparency_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), entries);
    const stored = await db.selectFrom('milestones').select('title').execute();
    assert.ok(stored.some((m) => parseTranslatable(m.title).en === "'=1+1 kept with its apostrophe"));
  });
});

test('interop: formula protection of the export is undone exactly on import', () => {
  for (const v of ['=x', "'=x", "''=x", "'hello", "''hello", '-1', '@a', 'plain', '']) assert.equal(importedText(exportText(v)), v, v);
});

test('interop: Decidim status keys, HTML and text', () => {
  assert.equal(statusFromKey('ongoing'), 'in_progress');
  assert.equal(statusFromKey('in_progress'), 'in_progress');
  assert.equal(statusFromKey('completed'), 'completed');
  assert.equal(statusFromKey('executed'), 'completed');
  assert.equal(statusFromKey('planned'), 'not_started');
  assert.equal(statusFromKey('not_started'), 'not_started');
  assert.equal(statusFromKey('discarded'), 'cancelled');
  assert.equal(statusFromKey('mystery'), undefined);
  assert.equal(htmlToText('<p>One &amp; two</p><p>Three<br>four</p>'), 'One & two\n\nThree\nfour');
  assert.equal(textToHtml('One & <two>\n\nThree\nfour'), '<p>One &amp; &lt;two&gt;</p><p>Three<br>four</p>');
});
