import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECTS } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors } from '../../../test/html.js';
import { insertReportingFixture, sessionFor, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { LOCALES } from '../../i18n/locales.js';
import { sdb } from './tables.js';
import { insertStandardsFixture } from './test-fixture.js';

const PUBLIC = '/gjakova/plans/2024-2025/standards';
const ADMIN = '/en/admin/jurisdictions/gjakova/plans/2024-2025/standards';

for (const dialect of DIALECTS) {
  describe(`standards pages [${dialect}]`, () => {
    let t: TestApp;
    let f: ReportingFixture;
    // The app's clock: 31 December 2024, the day before the forum's six-month deadline.
    before(async () => {
      t = await openTestApp(dialect, {}, { now: () => new Date('2024-12-31T10:00:00.000Z') });
      f = await insertReportingFixture(t.database.db);
      await insertStandardsFixture(t.database.db, f);
    });
    after(() => t.close());

    test('the checklist page in every locale: valid HTML, each item with its status, reasons and evidence links', async () => {
      for (const locale of LOCALES) {
        const res = await t.app.inject({ method: 'GET', url: `/${locale}${PUBLIC}` });
        assert.equal(res.statusCode, 200, locale);
        assert.deepEqual(await htmlErrors(res.body), [], locale);
        for (const id of ['forum', 'forumMeetings', 'forumRhythm', 'monitoring', 'updates', 'endorsements', 'responses', 'inception', 'endAssessments']) {
          assert.match(res.body, new RegExp(`id="standard-${id}"`), `${locale}: ${id}`);
        }
        assert.match(res.body, new RegExp(`href="/${locale}/gjakova/bodies/forum"`), `${locale}: the forum is linked`);
      }
      const en = (await t.app.inject({ method: 'GET', url: `/en${PUBLIC}` })).body;
      const section = (id: string) => en.slice(en.indexOf(`id="standard-${id}"`), en.indexOf('</section>', en.indexOf(`id="standard-${id}"`)));
      assert.match(section('forumMeetings'), /standard-due_soon/);
      assert.match(section('forumMeetings'), /1 January 2025/);
      assert.match(section('forum'), /standard-met/);
      assert.match(section('endorsements'), /standard-not_met/);
      assert.match(section('responses'), /standard-not_applicable/);
      assert.match(section('monitoring'), /href="\/en\/gjakova\/plans\/2024-2025\/monitoring\/1"/);
      assert.match(section('endAssessments'), /<caption>/);
    });

    test('the plan page links to its checklist', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/en/gjakova/plans/2024-2025' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /href="\/en\/gjakova\/plans\/2024-2025\/standards"/);
    });

    test('an unknown plan: 404', async () => {
      assert.equal((await t.app.inject({ method: 'GET', url: '/en/gjakova/plans/nope/standards' })).statusCode, 404);
    });

    test('the assessments page: coordinators record the days, keeping what they typed on error; holders are refused', async () => {
      const holder = await sessionFor(t.database.db, f.users.holder);
      assert.equal((await t.app.inject({ method: 'GET', url: ADMIN, cookies: { besa_session: holder } })).statusCode, 403);

      const coordinator = await sessionFor(t.database.db, f.users.coordinator);
      const page = await t.app.inject({ method: 'GET', url: ADMIN, cookies: { besa_session: coordinator } });
      assert.equal(page.statusCode, 200);
      assert.deepEqual(await htmlErrors(page.body), []);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token && cookie);
      const post = (fields: [string, string][]) =>
        t.app.inject({
          method: 'POST',
          url: ADMIN,
          payload: new URLSearchParams([['_csrf', token], ...fields]).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          cookies: { besa_session: coordinator, _csrf: cookie },
        });

      const refused = await post([['inception_assessed_on', '2025-02-01'], [`commitment_${f.commitmentId}`, 'soon']]);
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(await htmlErrors(refused.body), []);
      assert.match(refused.body, /class="error-summary"/);
      assert.match(refused.body, /value="2025-02-01"/);
      assert.match(refused.body, /value="soon"/);

      const saved = await post([['inception_assessed_on', '2024-03-10'], [`commitment_${f.commitmentId}`, '']]);
      assert.equal(saved.statusCode, 303);
      const plan = await sdb(t.database.db).selectFrom('action_plans').select('inception_assessed_on').where('id', '=', f.planId).executeTakeFirstOrThrow();
      assert.equal(plan.inception_assessed_on, '2024-03-10');
      const shown = (await t.app.inject({ method: 'GET', url: `/en${PUBLIC}` })).body;
      assert.match(shown, /published on 10 March 2024, by the deadline of 15 March 2024/);

      const noCsrf = await t.app.inject({ method: 'POST', url: ADMIN, payload: 'inception_assessed_on=', headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { besa_session: coordinator } });
      assert.equal(noCsrf.statusCode, 403);
    });
  });
}
