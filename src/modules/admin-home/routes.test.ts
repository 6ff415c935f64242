import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { DIALECTS } from '../../../test/db.js';
import { insertPeopleFixture, type PeopleFixture, type Person } from '../../../test/people-fixture.js';

for (const dialect of DIALECTS) {
  describe(`the administration's start page says who you are and what you may do [${dialect}]`, () => {
    let t: TestApp;
    let f: PeopleFixture;
    before(async () => {
      t = await openTestApp(dialect);
      f = await insertPeopleFixture(t.database.db);
    });
    after(() => t?.close());

    const home = async (who: Person, locale = 'en') => {
      const res = await t.app.inject({ url: `/${locale}/admin`, cookies: { besa_session: f.sessions[who] } });
      assert.equal(res.statusCode, 200, who);
      return res.body;
    };

    test('each person sees their roles, described with where they hold them', async () => {
      assert.match(await home('holder'), /<li>Commitment holder · Gjakova · Information Office<\/li>/);
      assert.match(await home('coordinator'), /<li>Coordinator · Gjakova<\/li>/);
      assert.match(await home('admin'), /<li>Administrator · All jurisdictions<\/li>/);
      assert.match(await home('holder', 'sq'), /<h2>Rolet tuaja<\/h2>/);
    });

    test('"Jurisdictions you manage" only for those who manage one (or may add the first)', async () => {
      assert.match(await home('admin'), /Jurisdictions you manage/);
      assert.match(await home('otherAdmin'), /Jurisdictions you manage/);
      for (const who of ['coordinator', 'holder', 'secretary'] as const) assert.doesNotMatch(await home(who), /Jurisdictions you manage|You do not manage/, who);
    });

    test('a role without tasks in Besa yet is told so; a role with tasks is not', async () => {
      for (const who of ['secretary', 'monitoring', 'moderator'] as const) assert.match(await home(who), /Your role has no tasks in Besa yet/, who);
      for (const who of ['admin', 'coordinator', 'holder'] as const) assert.doesNotMatch(await home(who), /no tasks in Besa yet/, who);
    });
  });
}
