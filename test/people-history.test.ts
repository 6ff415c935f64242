import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { translate } from '../src/i18n/index.js';
import { LOCALES } from '../src/i18n/locales.js';
import { seedDemo, seedIfEmpty } from '../src/db/seeds/index.js';
import { openTestApp, type TestApp } from './app.js';
import { htmlErrors } from './html.js';

/**
 * The history pages of the people's side (a body, a member, a meeting) say every change in words:
 * no stored field name, no code, no "another detail changed", no person's name, in every language.
 */
describe('history pages of bodies, members and meetings', () => {
  let t: TestApp;
  const pages: string[] = [];
  before(async () => {
    t = await openTestApp('sqlite');
    await seedIfEmpty(t.database.db);
    await seedDemo(t.database.db);
    const log = t.database.db.withTables<{ transparency_entries: { entity_type: string; entity_id: number } }>();
    for (const kind of ['body', 'body_member', 'meeting']) {
      const rows = await log.selectFrom('transparency_entries').select('entity_id').where('entity_type', '=', kind).orderBy('entity_id').execute();
      assert.ok(rows.length > 0, `the demonstration data publishes ${kind} entries`);
      for (const id of new Set(rows.map((r) => r.entity_id))) pages.push(`history/${kind}/${id}`);
    }
  });
  after(() => t.close());

  for (const locale of LOCALES) {
    test(`every change in words [${locale}]`, async () => {
      const other = translate(locale, 'transparency.change.otherField');
      for (const page of pages) {
        const res = await t.app.inject(`/${locale}/${page}`);
        assert.equal(res.statusCode, 200, page);
        const main = /<main[\s\S]*?<\/main>/.exec(res.body)?.[0] ?? '';
        const words = main.replace(/<[^>]+>/g, ' ');
        assert.ok(!words.includes(other), `${page}: ${other}`);
        assert.doesNotMatch(words, /\b(civil_society|political_party|persons_with_disabilities|monitoring_body|working_group|named_person|represented_groups|term_start|action_item|minutes_approved)\b/, page);
        assert.doesNotMatch(words, /Example Chair/, `${page}: a person's name is never in the log`);
        if (locale === 'en' && page === pages[0]) assert.deepEqual(await htmlErrors(res.body), []);
      }
    });
  }
});

describe('history pages of monitoring reviews', () => {
  test('a published review\'s history holds what the body found, in the reader\'s language, besides its ratings', async () => {
    const t = await openTestApp('sqlite');
    try {
      await seedIfEmpty(t.database.db);
      await seedDemo(t.database.db);
      const log = t.database.db.withTables<{ transparency_entries: { entity_type: string; entity_id: number; action: string } }>();
      const row = await log.selectFrom('transparency_entries').select('entity_id').where('entity_type', '=', 'review').where('action', '=', 'review.published').orderBy('entity_id').executeTakeFirstOrThrow();
      const en = await t.app.inject(`/en/history/review/${row.entity_id}`);
      assert.match(en.body, /The inventory is online and matches what the office reported/);
      const sq = await t.app.inject(`/sq/history/review/${row.entity_id}`);
      assert.match(sq.body, /Inventari është në internet/);
    } finally {
      await t.close();
    }
  });
});
