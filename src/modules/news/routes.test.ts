import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DOMParser } from '@xmldom/xmldom';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { insertMeetingsFixture, type MeetingsFixture } from '../../../test/meetings-fixture.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { LOCALES } from '../../i18n/locales.js';
import { insertSession } from '../accounts/index.js';
import { ndb } from './tables.js';

const ADMIN = '/en/admin/jurisdictions/gjakova/news';
const ATOM = 'http://www.w3.org/2005/Atom';

for (const dialect of DIALECTS) {
  describe(`news routes [${dialect}]`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let f: MeetingsFixture;
    let coordinator = '';
    let holder = '';
    let secretary = '';
    let otherCoordinator = '';

    before(async () => {
      database = await openTestDatabase(dialect);
      app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', BESA_PUBLIC_URL: 'https://besa.example.org' } as NodeJS.ProcessEnv), database });
      f = await insertMeetingsFixture(database.db);
      coordinator = await insertSession(database.db, f.users.coordinator);
      holder = await insertSession(database.db, f.users.holder);
      secretary = await insertSession(database.db, f.secretaryId);
      const other = await insertMeetingsFixture(database.db, 'peja');
      otherCoordinator = await insertSession(database.db, other.users.coordinator);
    });

    after(async () => {
      await app.close();
      await database.destroy();
    });

    function get(url: string, session?: string) {
      return app.inject({ method: 'GET', url, cookies: session ? { besa_session: session } : {} });
    }

    async function post(url: string, session: string, fields: [string, string][], csrf = true) {
      const page = await get('/en/login');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token && cookie);
      return app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams([...(csrf ? [['_csrf', token] as [string, string]] : []), ...fields]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { besa_session: session, _csrf: cookie },
      });
    }

    async function valid(url: string, session?: string): Promise<string> {
      const res = await get(url, session);
      assert.equal(res.statusCode, 200, `GET ${url}: ${res.statusCode}`);
      assert.deepEqual(await htmlErrors(res.body), [], url);
      return res.body;
    }

    const fields = (extra: Record<string, string> = {}): [string, string][] =>
      Object.entries({ content_locale: 'en', kind: 'press_release', title: 'Budget hearings <open>', summary: 'Three hearings in March.', body: 'First paragraph with https://gjakova.example.org/budget.\n\n- one\n- two', period_from: '2025-01-01', period_to: '2025-03-31', ...extra });

    let id = 0;

    test('people without the role get 403 on every page and form', async () => {
      for (const session of [holder, secretary]) {
        assert.equal((await get(ADMIN, session)).statusCode, 403);
        assert.equal((await get(`${ADMIN}/new`, session)).statusCode, 403);
        assert.equal((await get(`${ADMIN}/draft`, session)).statusCode, 403);
        assert.equal((await post(`${ADMIN}/new`, session, fields())).statusCode, 403);
      }
      assert.equal((await ndb(database.db).selectFrom('news_items').select('id').execute()).length, 0);
    });

    test('a refused form answers 422 with the summary and everything typed kept; no CSRF token, no change', async () => {
      await valid(ADMIN, coordinator);
      await valid(`${ADMIN}/new`, coordinator);
      const refused = await post(`${ADMIN}/new`, coordinator, fields({ title: '', period_to: '2024-12-31' }));
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /class="error-summary/);
      assert.match(refused.body, /The last day must not be before the first/);
      assert.match(refused.body, /Three hearings in March\./);
      assert.match(refused.body, /value="2025-01-01"/);
      assert.match(refused.body, /First paragraph with https:\/\/gjakova\.example\.org\/budget\./);
      assert.deepEqual(await htmlErrors(refused.body), []);
      const noToken = await post(`${ADMIN}/new`, coordinator, fields(), false);
      assert.equal(noToken.statusCode, 403);
      assert.equal((await ndb(database.db).selectFrom('news_items').select('id').execute()).length, 0);
    });

    test('the coordinator writes, translates and publishes behind a confirmation; the public page shows it', async () => {
      const res = await post(`${ADMIN}/new`, coordinator, fields());
      assert.equal(res.statusCode, 303);
      id = Number(/\/news\/(\d+)/.exec(res.headers.location as string)![1]);
      assert.equal((await get(`/en/gjakova/news/${id}`)).statusCode, 404, 'a draft is not public');
      const sq = await post(`${ADMIN}/${id}`, coordinator, fields({ content_locale: 'sq', title: 'Dëgjimet buxhetore', summary: 'Tri dëgjime në mars.', body: 'Paragrafi i parë.' }));
      assert.equal(sq.statusCode, 303);
      await valid(`${ADMIN}/${id}?content=sq`, coordinator);
      const confirm = await valid(`${ADMIN}/${id}/publish`, coordinator);
      assert.match(confirm, /Budget hearings &lt;open>/);
      assert.equal((await post(`${ADMIN}/${id}/publish`, coordinator, [])).statusCode, 303);

      const page = await valid(`/en/gjakova/news/${id}`);
      assert.match(page, /Budget hearings &lt;open>/);
      assert.match(page, /<a href="https:\/\/gjakova\.example\.org\/budget">https:\/\/gjakova\.example\.org\/budget<\/a>\./);
      assert.match(page, /<li>one<\/li><li>two<\/li>/);
      assert.match(page, /Press release/);
      assert.match(page, /1 January 2025 to 31 March 2025/);
      assert.match(page, /\(Europe\/Belgrade, UTC[+−-]\d\)/, 'its date in the jurisdiction’s zone');
      const list = await valid('/en/gjakova/news');
      assert.match(list, new RegExp(`href="/en/gjakova/news/${id}"`));
      assert.match(list, /<link rel="alternate" type="application\/atom\+xml" href="\/en\/gjakova\/news\.atom"/);
      assert.match(list, /href="\/en\/gjakova\/news\.atom" type="application\/atom\+xml"/);
      const sqPage = await valid(`/sq/gjakova/news/${id}`);
      assert.match(sqPage, /Dëgjimet buxhetore/);
      const frPage = await valid(`/fr/gjakova/news/${id}`);
      assert.match(frPage, /class="fallback" lang="sq"|lang="sq" class="fallback"|class="news-body fallback" lang=/, 'a fallback text is marked');
      for (const locale of LOCALES) {
        await valid(`/${locale}/gjakova/news`);
        await valid(`/${locale}/gjakova/news/${id}`);
        await valid(`/${locale}/admin/jurisdictions/gjakova/news`, coordinator);
        await valid(`/${locale}/admin/jurisdictions/gjakova/news/${id}`, coordinator);
        await valid(`/${locale}/admin/jurisdictions/gjakova/news/draft`, coordinator);
      }
      const history = await valid(`/en/history/news/${id}`);
      assert.match(history, /Budget hearings &lt;open>/, 'the published title in the history');
      assert.match(history, /Press release/);
      assert.equal((await get('/en/gjakova/news?page=2')).statusCode, 404);
      assert.equal((await get('/en/gjakova/news?page=x')).statusCode, 404);
    });

    test('a form opened without a CSRF cookie yet posts with the token on its own page (one secret per answer)', async () => {
      // The edit page builds its context twice (the loader and the route): both must use one secret.
      const page = await get(`${ADMIN}/${id}`, coordinator);
      assert.equal(page.statusCode, 200);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      const secrets = page.cookies.filter((c) => c.name === '_csrf');
      assert.ok(token);
      assert.equal(secrets.length, 1, 'one CSRF secret set on the answer');
      const res = await app.inject({
        method: 'POST',
        url: `${ADMIN}/${id}`,
        payload: new URLSearchParams([['_csrf', token], ...fields({ title: 'Budget hearings <open>' })]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { besa_session: coordinator, _csrf: secrets[0]!.value },
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    });

    test('another jurisdiction’s coordinator gets 403 for every id alike; an item is found only in its own jurisdiction', async () => {
      for (const path of [`${ADMIN}/${id}`, `${ADMIN}/999999`, `${ADMIN}/${id}/publish`, `${ADMIN}/999999/withdraw`]) {
        assert.equal((await get(path, otherCoordinator)).statusCode, 403, path);
      }
      assert.equal((await post(`${ADMIN}/${id}`, otherCoordinator, fields({ title: 'Taken over' }))).statusCode, 403);
      assert.equal((await post(`${ADMIN}/999999`, otherCoordinator, fields())).statusCode, 403);
      assert.equal((await get(`/en/admin/jurisdictions/peja/news/${id}`, otherCoordinator)).statusCode, 404, 'not an item of peja');
      assert.equal((await get(`/en/admin/jurisdictions/peja/news/${id}`, coordinator)).statusCode, 403);
    });

    test('the news feed is Atom: xml:lang, stable ids, absolute links, dates', async () => {
      const res = await get('/sq/gjakova/news.atom');
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^application\/atom\+xml/);
      const doc = new DOMParser().parseFromString(res.body, 'application/xml');
      const feed = doc.documentElement!;
      assert.equal(feed.namespaceURI, ATOM);
      assert.equal(feed.getAttribute('xml:lang'), 'sq');
      const entries = Array.from(feed.getElementsByTagNameNS(ATOM, 'entry'));
      assert.equal(entries.length, 1);
      const entry = entries[0]!;
      const text = (name: string) => entry.getElementsByTagNameNS(ATOM, name)[0]?.textContent ?? '';
      assert.equal(text('title'), 'Dëgjimet buxhetore');
      assert.equal(text('id'), `tag:besa.example.org,2024:news:${id}`);
      assert.equal(entry.getElementsByTagNameNS(ATOM, 'link')[0]?.getAttribute('href'), `https://besa.example.org/sq/gjakova/news/${id}`);
      const row = await ndb(database.db).selectFrom('news_items').select('published_at').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(new Date(text('published')).toISOString(), row.published_at);
      assert.equal(new Date(text('updated')).toISOString(), row.published_at);
      const self = Array.from(feed.getElementsByTagNameNS(ATOM, 'link')).find((l) => l.parentNode === feed && l.getAttribute('rel') === 'self');
      assert.equal(self?.getAttribute('href'), 'https://besa.example.org/sq/gjakova/news.atom');
      const again = await get('/sq/gjakova/news.atom');
      assert.equal(again.body, res.body, 'the same feed twice');
      const etag = res.headers.etag as string;
      assert.match(etag, /^"[\w-]+"$/, 'an ETag');
      assert.equal(again.headers.etag, etag);
      const unchanged = await app.inject({ method: 'GET', url: '/sq/gjakova/news.atom', headers: { 'if-none-match': etag } });
      assert.equal(unchanged.statusCode, 304);
      assert.notEqual((await get('/en/gjakova/news.atom')).headers.etag, etag, 'one stored feed per language');
      const before = Date.now();
      const empty = new DOMParser().parseFromString((await get('/en/peja/news.atom')).body, 'application/xml').documentElement!;
      assert.equal(empty.getElementsByTagNameNS(ATOM, 'entry').length, 0);
      const emptyUpdated = Date.parse(Array.from(empty.getElementsByTagNameNS(ATOM, 'updated')).find((u) => u.parentNode === empty)?.textContent ?? '');
      assert.ok(emptyUpdated >= before - 2000 && emptyUpdated <= Date.now() + 1000, `an empty feed is as new as its rendering, not 1970: ${new Date(emptyUpdated).toISOString()}`);
      assert.equal((await get('/en/nowhere/news.atom')).statusCode, 404);
    });

    test('a correction and a withdrawal', async () => {
      const corrected = await post(`${ADMIN}/${id}`, coordinator, fields({ title: 'Budget hearings (corrected)' }));
      assert.equal(corrected.statusCode, 303);
      const page = await valid(`/en/gjakova/news/${id}`);
      assert.match(page, /Budget hearings \(corrected\)/);
      assert.match(page, /Corrected/);
      await valid(`${ADMIN}/${id}/withdraw`, coordinator);
      assert.equal((await post(`${ADMIN}/${id}/withdraw`, coordinator, [])).statusCode, 303);
      const gone = await valid(`/en/gjakova/news/${id}`);
      assert.match(gone, /was withdrawn on/);
      assert.doesNotMatch(gone, /First paragraph/);
      assert.doesNotMatch(await valid('/en/gjakova/news'), new RegExp(`/news/${id}"`));
      const doc = new DOMParser().parseFromString((await get('/en/gjakova/news.atom')).body, 'application/xml');
      assert.equal(doc.documentElement!.getElementsByTagNameNS(ATOM, 'entry').length, 0);
      const history = await valid(`/en/history/news/${id}`);
      assert.match(history, /Title changed/);
      assert.match(history, /Budget hearings \(corrected\)/);
      assert.match(history, /Withdrawn/);
    });

    test('draft from a period: 422 keeps the choice; a valid period writes a generated draft', async () => {
      const refused = await post(`${ADMIN}/draft`, coordinator, [['kind', 'news'], ['cycle', ''], ['from', '2025-02-01'], ['to', '']]);
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /value="2025-02-01"/);
      assert.deepEqual(await htmlErrors(refused.body), []);
      const res = await post(`${ADMIN}/draft`, coordinator, [['kind', 'press_release'], ['cycle', ''], ['from', '2025-01-01'], ['to', '2025-12-31']]);
      assert.equal(res.statusCode, 303);
      const draftPage = await valid(res.headers.location as string, coordinator);
      assert.match(draftPage, /GENERATED TEXT/);
      assert.match(draftPage, /Besa generated this text/);
    });
  });
}
