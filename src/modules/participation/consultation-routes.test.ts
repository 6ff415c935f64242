import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { escapeHtml } from '@kitajs/html';
import { DIALECTS } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors } from '../../../test/html.js';
import { csrfFromSignIn, insertPeopleFixture, type Person } from '../../../test/people-fixture.js';
import { LOCALES } from '../../i18n/locales.js';
import { pdb } from './tables.js';

/**
 * The consultation pages on a database seeded with Gjakova's plan and the demonstration data, on
 * both databases: the public list and pages in every locale (valid HTML, demonstration labelled,
 * drafts not found), and the administration (roles, refusals keeping what was typed, hostile
 * input, publishing with a confirmation, documents, outcome, the minimum notice period).
 */

const A = '/en/admin/jurisdictions/gjakova/consultations';
const PUBLIC = ['/gjakova/consultations', '/gjakova/consultations/co-creation-2024', '/gjakova/consultations/digital-services-demo', '/gjakova/consultations/waste-collection-demo'];

for (const dialect of DIALECTS) {
  describe(`consultations: pages and administration [${dialect}]`, () => {
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

    const form = (over: Record<string, string> = {}): [string, string][] =>
      Object.entries({
        content: 'en',
        slug: 'parks-2027',
        title: 'Parks for everyone',
        summary: 'Which parks need benches?',
        body: 'The draft plan for parks.',
        subject: 'topic',
        plan_id: '',
        commitment_id: '',
        opens_on: '2027-03-01',
        closes_on: '2027-03-31',
        moderation: 'post',
        flag_threshold: '3',
        allows_proposals: 'yes',
        groups_consulted: '',
        public_meetings: '',
        ...over,
      });

    test('public pages: valid HTML in every locale, notice period and facts shown, demonstration labelled, no e-mail address', async () => {
      for (const locale of LOCALES) {
        for (const path of PUBLIC) {
          const response = await get(`/${locale}${path}`);
          assert.equal(response.statusCode, 200, `${locale}${path}`);
          assert.deepEqual(await htmlErrors(response.body), [], `${locale}${path}`);
          assert.ok(!/[\w.+-]+@[\w-]+\.[\w.]+/.test(response.body.replace(/mailto:[^"]*/g, '')), `${locale}${path}: an e-mail address`);
        }
      }
      const cocreation = (await get('/en/gjakova/consultations/co-creation-2024')).body;
      assert.ok(cocreation.includes('<dd>6</dd>'), 'the 6 groups the plan states');
      assert.ok(cocreation.includes('<dd>15</dd>'), 'the 15 public meetings the plan states');
      // The plan gives no days for the call: no notice period is counted between the stand-in dates.
      assert.ok(!cocreation.includes('334 days'), 'no notice period between stand-in dates');
      assert.ok(cocreation.includes('not known: the source gives no days'), 'the notice period is said to be unknown');
      assert.ok(cocreation.includes('The plan gives no dates for the call'), 'where the dates come from');
      assert.ok(cocreation.includes('Closed'), 'closed');
      assert.ok(cocreation.includes('href="https://opengovpartnership.org/documents/action-plan-gjakova-kosovo-2024-2025"'), 'the plan as its document');
      assert.ok(cocreation.includes('href="/en/gjakova/plans/2024-2025"'), 'links the plan it was about');
      const fr = (await get('/fr/gjakova/consultations/co-creation-2024')).body;
      assert.ok(fr.includes(escapeHtml("Appel à consultation publique pour l'élaboration d'un plan d'action local")), 'the plan’s own title in French');

      const open = (await get('/en/gjakova/consultations/digital-services-demo')).body;
      assert.ok(open.includes('demonstration data'), 'the demonstration is labelled');
      assert.ok(open.includes('22 days'), 'notice period of the open demonstration');
      assert.ok(open.includes('href="/en/gjakova/plans/2024-2025/commitments/XKGJA0001"'), 'links its commitment');

      const list = (await get('/en/gjakova/consultations')).body;
      const openAt = list.indexOf('Open now');
      const closedAt = list.indexOf('id="group-closed"');
      assert.ok(openAt > 0 && closedAt > openAt, 'open now comes first');
      assert.ok(list.indexOf('digital-services-demo') < list.indexOf('co-creation-2024'), 'the open consultation is listed before the closed ones');
      const seeded = await pdb(t.database.db).selectFrom('consultations').select('id').where('slug', '=', 'co-creation-2024').executeTakeFirstOrThrow();
      for (const locale of LOCALES) {
        const history = await get(`/${locale}/history/consultation/${seeded.id}`);
        assert.equal(history.statusCode, 200, `${locale} history`);
        assert.deepEqual(await htmlErrors(history.body), [], `${locale} history`);
      }
      assert.ok((await get(`/en/history/consultation/${seeded.id}`)).body.includes('Groups consulted'), 'the history names the fields');
      assert.equal((await get('/en/gjakova/consultations/no-such-consultation')).statusCode, 404);
      assert.equal((await get('/en/no-such-place/consultations')).statusCode, 404);
    });

    test('administration: administrators and coordinators of the jurisdiction; other roles get 403', async () => {
      for (const who of ['admin', 'coordinator'] as const) {
        const list = await get(A, who);
        assert.equal(list.statusCode, 200, who);
        assert.deepEqual(await htmlErrors(list.body), []);
        assert.ok(list.body.includes(`href="${A}/new"`));
        assert.ok(list.body.includes(`href="${A}/co-creation-2024/edit"`));
      }
      for (const who of ['holder', 'secretary', 'moderator', 'monitoring', 'otherAdmin', 'noRole'] as const) {
        assert.equal((await get(A, who)).statusCode, 403, who);
        assert.equal((await get(`${A}/new`, who)).statusCode, 403, who);
        assert.equal((await post(`${A}/new`, who, form())).statusCode, 403, who);
      }
      for (const locale of LOCALES) {
        const base = A.replace('/en/', `/${locale}/`);
        for (const path of [base, `${base}/new`, `${base}/co-creation-2024/edit`, `${base}/co-creation-2024/outcome`, `${base}/digital-services-demo/edit`]) {
          const page = await get(path, 'coordinator');
          assert.equal(page.statusCode, 200, path);
          assert.deepEqual(await htmlErrors(page.body), [], path);
        }
        const confirm = await post(`${base}/digital-services-demo/publish`, 'coordinator', []);
        assert.equal(confirm.statusCode, 200);
        assert.deepEqual(await htmlErrors(confirm.body), [], `${locale} publish confirmation`);
      }
    });

    test('a refused consultation keeps everything typed, with the errors; hostile text is escaped or refused with a message', async () => {
      const hostile = '<script>alert(1)</script> \u202Egnp.exe';
      const refused = await post(`${A}/new`, 'coordinator', form({ slug: 'Bad Slug!', title: hostile, summary: 'kept summary', opens_on: '2027-03-31', closes_on: '2027-03-01', subject: 'plan', plan_id: '' }));
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(await htmlErrors(refused.body), []);
      assert.ok(refused.body.includes('error-summary'));
      // Kept in the field's quoted value (where `<` is inert text), never as markup anywhere else.
      assert.ok(refused.body.includes(`value="${hostile}"`), 'the hostile title is kept in its field');
      assert.ok(!refused.body.replace(/value="[^"]*"/g, '').includes('<script>alert(1)'), 'the script is never markup');
      for (const value of ['Bad Slug!', 'kept summary', '2027-03-31', '2027-03-01']) assert.ok(refused.body.includes(escapeHtml(value)), value);
      assert.ok(refused.body.includes('href="#field-slug"') && refused.body.includes('href="#field-closes_on"') && refused.body.includes('href="#field-plan_id"'));

      const nul = await post(`${A}/new`, 'coordinator', form({ title: 'Nul\u0000title', body: 'kept body' }));
      assert.equal(nul.statusCode, 422);
      assert.match(nul.body, /contains a character that cannot be stored/);
      assert.ok(nul.body.includes('kept body'));

      const long = await post(`${A}/new`, 'coordinator', form({ body: 'x'.repeat(100_000) }));
      assert.equal(long.statusCode, 422);
      assert.ok(long.body.includes('href="#field-body"'));

      // Invalid UTF-8 and an event handler: never a 5xx, never markup.
      const invalid = await t.app.inject({
        method: 'POST',
        url: `${A}/new`,
        payload: Buffer.concat([Buffer.from(`_csrf=${encodeURIComponent(csrf.token)}&slug=bad-bytes&title=`), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('&summary=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&subject=topic')]),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { _csrf: csrf.cookie, besa_session: sessions.coordinator },
      });
      assert.ok(invalid.statusCode < 500, `invalid UTF-8 answered ${invalid.statusCode}`);
      assert.ok(!invalid.body.includes('<img src=x onerror'), 'the event handler is not markup');

      const threshold = await post(`${A}/new`, 'coordinator', form({ flag_threshold: 'many' }));
      assert.equal(threshold.statusCode, 422);
      assert.ok(threshold.body.includes('value="many"'));
      const count = await pdb(t.database.db).selectFrom('consultations').select('id').where('slug', 'in', ['parks-2027', 'Bad Slug!']).execute();
      assert.equal(count.length, 0, 'nothing was stored');
    });

    test('a draft is created, hidden publicly, warned about its short notice, documented, published after a confirmation and then public', async () => {
      const created = await post(`${A}/new`, 'coordinator', form({ closes_on: '2027-03-05', title: 'Parks <b>for</b> everyone' }));
      assert.equal(created.statusCode, 303);
      assert.equal(created.headers.location, `${A}/parks-2027/edit`);
      assert.equal((await get('/en/gjakova/consultations/parks-2027')).statusCode, 404, 'a draft is not public');
      assert.ok(!(await get('/en/gjakova/consultations')).body.includes('parks-2027'));

      const edit = await get(`${A}/parks-2027/edit`, 'coordinator');
      assert.ok(edit.body.includes('Short notice.'), 'the form warns of a notice period under 15 days');
      assert.ok(edit.body.includes('5 days'));
      assert.ok(edit.body.includes(escapeHtml('Parks <b>for</b> everyone')));
      const list = await get(A, 'coordinator');
      assert.ok(list.body.includes('shorter than 15 days'), 'the list flags it');
      assert.ok(list.body.includes('Draft'));

      const badDoc = await post(`${A}/parks-2027/documents`, 'coordinator', [
        ['document_title', 'Map'],
        ['document_url', 'javascript:alert(1)'],
      ]);
      assert.equal(badDoc.statusCode, 422);
      assert.ok(badDoc.body.includes('value="javascript:alert(1)"'), 'the address typed is kept');
      assert.ok(!badDoc.body.includes('href="javascript:'), 'never a link');
      assert.equal(
        (
          await post(`${A}/parks-2027/documents`, 'coordinator', [
            ['document_title', 'Map of the parks'],
            ['document_url', 'https://example.org/parks.pdf'],
            ['document_locale', 'en'],
          ])
        ).statusCode,
        303,
      );

      const confirm = await post(`${A}/parks-2027/publish`, 'coordinator', []);
      assert.equal(confirm.statusCode, 200);
      assert.deepEqual(await htmlErrors(confirm.body), []);
      assert.ok(confirm.body.includes('name="confirm" value="yes"'));
      assert.equal((await get('/en/gjakova/consultations/parks-2027')).statusCode, 404, 'the confirmation page publishes nothing');

      const published = await post(`${A}/parks-2027/publish`, 'coordinator', [['confirm', 'yes']]);
      assert.equal(published.statusCode, 303);
      const page = await get('/en/gjakova/consultations/parks-2027');
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('href="https://example.org/parks.pdf"'));
      assert.ok(page.body.includes('5 days'));
      assert.ok(page.body.includes('shorter than the minimum notice of 15 days'));
      assert.ok(!page.body.includes('<b>for</b>'), 'the title is escaped');
      assert.match(page.body, /Announced/);

      const search = await get(`/en/search?q=${encodeURIComponent('parks everyone')}`);
      assert.ok(search.body.includes('/en/gjakova/consultations/parks-2027'), 'search finds it');
      const entry = await t.database.db.selectFrom('audit_events').select(['id', 'entity_id']).where('action', '=', 'consultation.published').orderBy('id', 'desc').executeTakeFirstOrThrow();
      const history = await get(`/en/history/consultation/${entry.entity_id}`);
      assert.equal(history.statusCode, 200);
      assert.ok(history.body.includes('Consultation published'));
      assert.deepEqual(await htmlErrors(history.body), []);

      const outcome = await post(`${A}/parks-2027/outcome`, 'coordinator', [['content', 'en'], ['outcome', 'Benches in every park.']]);
      assert.equal(outcome.statusCode, 303);
      assert.ok((await get('/en/gjakova/consultations/parks-2027')).body.includes('Benches in every park.'));
      const badOutcome = await post(`${A}/parks-2027/outcome`, 'coordinator', [['content', 'en'], ['outcome', 'Bad\u0000 text kept']]);
      assert.equal(badOutcome.statusCode, 422);
      assert.ok(badOutcome.body.includes('Bad text kept'));
    });

    test('links crawl of the consultations administration: every link and form a coordinator sees works, a commitment holder sees none', async () => {
      const seen = new Set<string>();
      const queue = [A];
      const forms = new Set<string>();
      const decode = (v: string) => v.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
      while (queue.length) {
        const url = queue.shift()!;
        if (seen.has(url)) continue;
        seen.add(url);
        const page = await get(url, 'coordinator');
        assert.equal(page.statusCode, 200, url);
        for (const m of page.body.matchAll(/<a [^>]*href="([^"]+)"/g)) {
          const href = decode(m[1]!).split('#')[0]!;
          if (href.startsWith(A) && !seen.has(href)) queue.push(href);
        }
        for (const m of page.body.matchAll(/<form [^>]*action="([^"]+)"/g)) forms.add(decode(m[1]!));
      }
      assert.ok(seen.has(`${A}/new`) && seen.has(`${A}/co-creation-2024/edit`) && seen.has(`${A}/co-creation-2024/outcome`), [...seen].join(', '));
      for (const action of forms) {
        if (!action.startsWith(A)) continue;
        // Sent with the CSRF token only (the outcome form would clear a text: it is checked by its own test).
        if (action.endsWith('/outcome')) continue;
        const answer = await post(action, 'coordinator', []);
        assert.ok([200, 303, 404, 422].includes(answer.statusCode), `${action}: ${answer.statusCode}`);
        assert.equal((await post(action, 'holder', [])).statusCode, 403, `${action} for a commitment holder`);
      }
      assert.ok(forms.size >= 5, [...forms].join(', '));
    });

    test('the minimum notice period is set per jurisdiction; a bad value is refused and kept', async () => {
      const bad = await post(`${A}/settings`, 'coordinator', [['min_notice_days', 'ten']]);
      assert.equal(bad.statusCode, 422);
      assert.ok(bad.body.includes('value="ten"'));
      assert.equal((await post(`${A}/settings`, 'coordinator', [['min_notice_days', '30']])).statusCode, 303);
      const list = await get(A, 'coordinator');
      assert.ok(list.body.includes('value="30"'));
      assert.ok(list.body.includes('shorter than 30 days'), 'the open demonstration (22 days) is now flagged');
      const page = await get('/en/gjakova/consultations/digital-services-demo');
      assert.ok(page.body.includes('shorter than the minimum notice of 30 days'));
      assert.equal((await post(`${A}/settings`, 'holder', [['min_notice_days', '10']])).statusCode, 403);
    });
  });
}
