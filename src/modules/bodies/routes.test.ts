import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECTS } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors } from '../../../test/html.js';
import { csrfFromSignIn, insertPeopleFixture, type Person } from '../../../test/people-fixture.js';
import { LOCALES } from '../../i18n/locales.js';
import { escapeHtml } from '@kitajs/html';

/**
 * The public pages of bodies in every locale (valid HTML, no e-mail address, names only with
 * consent, rule verdicts with their figures) and the administration of bodies and members, on a
 * database seeded with Gjakova's plan and the demonstration data, on both databases.
 */

const PAGES = ['/gjakova/bodies', '/gjakova/bodies/transparency-forum', '/gjakova/bodies/monitoring-body', '/gjakova/bodies/working-group-digital-services-demo'];
const A = '/en/admin/jurisdictions/gjakova/bodies';

for (const dialect of DIALECTS) {
  describe(`bodies: pages and administration [${dialect}]`, () => {
    let t: TestApp;
    let sessions: Record<Person, string>;
    let csrf: { token: string; cookie: string };

    before(async () => {
      t = await openTestApp(dialect);
      ({ sessions } = await insertPeopleFixture(t.database.db));
      csrf = await csrfFromSignIn(t.app);
    });
    after(async () => {
      await t?.close();
    });

    const get = (url: string, who?: Person) => t.app.inject({ method: 'GET', url, cookies: who ? { besa_session: sessions[who] } : {} });
    const post = (url: string, who: Person, fields: [string, string][]) =>
      t.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams([['_csrf', csrf.token], ...fields]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { _csrf: csrf.cookie, besa_session: sessions[who] },
      });

    test('public pages: valid HTML in every locale, no e-mail address, no name without consent', async () => {
      for (const locale of LOCALES) {
        for (const path of PAGES) {
          const response = await get(`/${locale}${path}`);
          assert.equal(response.statusCode, 200, `${locale}${path}`);
          assert.deepEqual(await htmlErrors(response.body), [], `${locale}${path}`);
          assert.ok(!response.body.includes('@example.org'), `${locale}${path}: an e-mail address`);
          assert.ok(!response.body.includes('Private Example'), `${locale}${path}: a name without consent`);
        }
        const forum = await get(`/${locale}/gjakova/bodies/transparency-forum`);
        assert.ok(forum.body.includes('Example Chair'), 'a name with consent is shown');
        if (locale === 'en') assert.ok(forum.body.includes(escapeHtml('Access for All (demonstration)')), 'a member without consent is shown by their organisation');
        assert.ok(forum.body.includes('role="img"') && forum.body.includes('<title'), 'the chart is named');
        assert.ok(forum.body.includes(`href="/${locale}/gjakova/bodies/transparency-forum/meetings"`));
        assert.ok(forum.body.includes(`href="/${locale}/gjakova/bodies/transparency-forum/meetings.ics"`));
        assert.match(forum.body, new RegExp(`href="/${locale}/history/body/\\d+"`));
        const list = await get(`/${locale}/gjakova/bodies`);
        assert.ok(list.body.includes(`href="/${locale}/gjakova/meetings"`));
      }
    });

    test('rule verdicts with their figures: the demonstration Forum represents every group, the monitoring body has a civil-society majority, the working group does not', async () => {
      const forum = (await get('/en/gjakova/bodies/transparency-forum')).body;
      assert.ok(forum.includes('✓ Met'));
      assert.ok(forum.includes('all 4 groups represented'));
      const monitoring = (await get('/en/gjakova/bodies/monitoring-body')).body;
      assert.ok(monitoring.includes('3 of 5 voting members from civil society'), 'chair + 2 members of 5 voting members');
      assert.ok(monitoring.includes('✓ Met'));
      const group = (await get('/en/gjakova/bodies/working-group-digital-services-demo')).body;
      assert.ok(group.includes('✗ Not met'));
      assert.ok(group.includes('1 of 3 voting members from civil society'));
      assert.ok(group.includes('href="/en/gjakova/bodies/transparency-forum"'), 'the working group links to its forum');
      assert.ok(forum.includes('href="/en/gjakova/bodies/working-group-digital-services-demo"'), 'the forum lists its working group');
      // The Forum's member whose term ended is listed apart and not counted.
      assert.ok(forum.includes('member whose term has ended or not yet begun'));
      assert.equal((await get('/en/gjakova/bodies/no-such-body')).statusCode, 404);
      assert.equal((await get('/en/no-such-place/bodies')).statusCode, 404);
    });

    test('the jurisdiction home links to the bodies', async () => {
      const home = await get('/en/gjakova');
      assert.ok(home.body.includes('href="/en/gjakova/bodies"'));
    });

    test('administration: forum secretaries manage bodies, commitment holders may not; e-mail addresses shown there only', async () => {
      const list = await get(A, 'secretary');
      assert.equal(list.statusCode, 200);
      assert.deepEqual(await htmlErrors(list.body), []);
      assert.equal((await get(A, 'holder')).statusCode, 403);
      assert.equal((await get(A, 'coordinator')).statusCode, 200);
      const forum = await get(`${A}/transparency-forum/edit`, 'secretary');
      assert.equal(forum.statusCode, 200);
      assert.ok(forum.body.includes('forum-chair@example.org'), 'the administration shows the e-mail address');
      assert.deepEqual(await htmlErrors(forum.body), []);
      const home = await get('/en/admin', 'secretary');
      assert.ok(home.body.includes(`href="${A}"`), 'the admin home links a forum secretary to the bodies');
    });

    test('a refused body keeps everything typed and shows the errors; a valid one is created and published', async () => {
      const typed: [string, string][] = [
        ['content', 'en'],
        ['kind', 'working_group'],
        ['parent_id', ''],
        ['slug', 'Budget Group'],
        ['name', 'Budget transparency group'],
        ['mandate', 'Follows the budget commitment.'],
        ['composition_rules', 'civil_society_majority'],
        ['meets_every_days', '30'],
        ['established_on', '2025-01-15'],
      ];
      const refused = await post(`${A}/new`, 'secretary', typed);
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(await htmlErrors(refused.body), []);
      assert.ok(refused.body.includes('class="error-summary"') || refused.body.includes('error-summary'));
      for (const value of ['Budget Group', 'Budget transparency group', 'Follows the budget commitment.', '2025-01-15']) assert.ok(refused.body.includes(value), value);
      assert.match(refused.body, /value="civil_society_majority" checked/);

      const forumId = /<option value="(\d+)"[^>]*>Municipal Transparency Forum<\/option>/.exec(refused.body)?.[1];
      assert.ok(forumId, 'the forum is offered as parent');
      const created = await post(`${A}/new`, 'secretary', typed.map(([k, v]) => [k, k === 'slug' ? 'budget-group' : k === 'parent_id' ? forumId : v] as [string, string]));
      assert.equal(created.statusCode, 303);
      assert.equal(created.headers.location, `${A}/budget-group/edit`);
      const page = await get('/en/gjakova/bodies/budget-group');
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('Budget transparency group'));
    });

    test('members: added with consent, edited, removed behind a confirmation', async () => {
      const refused = await post(`${A}/budget-group/members/new`, 'secretary', [
        ['organisation', ''],
        ['person_name', ''],
        ['email', 'broken'],
        ['sector', 'civil_society'],
        ['role', 'member'],
      ]);
      assert.equal(refused.statusCode, 422);
      assert.ok(refused.body.includes('value="broken"'));
      assert.deepEqual(await htmlErrors(refused.body), []);
      const added = await post(`${A}/budget-group/members/new`, 'secretary', [
        ['organisation', 'Budget Watch'],
        ['person_name', 'Besa Tester'],
        ['name_consent', 'yes'],
        ['email', 'besa.tester@example.org'],
        ['sector', 'civil_society'],
        ['represented_groups', 'women'],
        ['role', 'chair'],
      ]);
      assert.equal(added.statusCode, 303);
      const page = (await get('/en/gjakova/bodies/budget-group')).body;
      assert.ok(page.includes('Besa Tester') && page.includes('Budget Watch'));
      assert.ok(!page.includes('besa.tester@example.org'));
      const admin = (await get(`${A}/budget-group/edit`, 'secretary')).body;
      const memberPath = new RegExp(`href="(${A}/budget-group/members/(\\d+)/edit)"`).exec(admin);
      assert.ok(memberPath);
      const edit = await get(memberPath[1]!, 'secretary');
      assert.equal(edit.statusCode, 200);
      assert.deepEqual(await htmlErrors(edit.body), []);
      assert.match(edit.body, /name="name_consent" value="yes" checked/);
      const remove = `${A}/budget-group/members/${memberPath[2]}/remove`;
      const confirm = await post(remove, 'secretary', []);
      assert.equal(confirm.statusCode, 200);
      assert.deepEqual(await htmlErrors(confirm.body), []);
      assert.ok((await get('/en/gjakova/bodies/budget-group')).body.includes('Besa Tester'), 'not removed before confirming');
      assert.equal((await post(remove, 'holder', [['confirm', 'yes']])).statusCode, 403);
      // A person without consent and without an organisation: "A member (name not published)".
      assert.equal((await post(`${A}/budget-group/members/new`, 'secretary', [['person_name', 'Hidden Person'], ['sector', 'executive'], ['role', 'member']])).statusCode, 303);
      const hidden = (await get('/en/gjakova/bodies/budget-group')).body;
      assert.ok(!hidden.includes('Hidden Person'));
      assert.ok(hidden.includes('A member (name not published)'));
      const removed = await post(remove, 'secretary', [['confirm', 'yes']]);
      assert.equal(removed.statusCode, 303);
      assert.ok(!(await get('/en/gjakova/bodies/budget-group')).body.includes('Besa Tester'));
    });
  });
}
