import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DEMO_OPEN_SLUG } from '../src/db/seeds/consultations-demo.js';
import { LOCALES } from '../src/i18n/locales.js';
import { insertTestConsultation, insertTestContribution } from './response-fixture.js';
import { pdb } from '../src/modules/participation/tables.js';
import { deliverImmediateNotices } from '../src/modules/subscriptions/deliver.js';
import { tdb } from '../src/modules/transparency/tables.js';
import { csrfFromSignIn, insertPeopleFixture, type PeopleFixture, type Person } from './people-fixture.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from './db.js';

/**
 * The leak test of issue 11: a unique e-mail address, a unique contributor name and two unique
 * client IPs (one direct, one behind the trusted proxy in X-Forwarded-For) are planted in every
 * kind of participation (a confirmed comment, a reply, a proposal, an unconfirmed comment, a flag,
 * a confirmed subscription, refused and rate-limited forms, a contribution a moderator hid with a
 * reason, a published response). Then every public page, feed, export and API answer is fetched by
 * a crawl from the home pages, and the server log (at trace level) is read: the address and the IPs
 * appear nowhere, in no body, no header, no log line; nor in the audit trail or the transparency
 * log, which also never name the contributor. The crawl must have seen the planted contributions'
 * text, so that a crawl that saw nothing fails.
 */

const CRAWL_CAP = 3000;

for (const dialect of DIALECTS) {
  describe(`privacy leak test [${dialect}]`, () => {
    const nonce = randomBytes(5).toString('hex');
    const EMAIL = `leak-${nonce}@example.test`;
    const NAME = `Leakname ${nonce.toUpperCase()}`;
    /** Another person, who follows the jurisdiction: what they are sent must not hold the contributor's address. */
    const WATCHER = `watcher-${nonce}@example.test`;
    // TEST-NET addresses with a random last part of the path: unique strings in this run.
    const octet = 10 + (randomBytes(1)[0]! % 200);
    const IP_FORWARDED = `203.0.113.${octet}`;
    const IP_DIRECT = `198.51.100.${octet}`;
    const PROXY = '127.0.0.1';
    const texts = {
      comment: `Comment text ${nonce} about the online services`,
      reply: `Reply text ${nonce} agreeing`,
      proposal: `Proposal text ${nonce}: a single portal`,
      unconfirmed: `Unconfirmed text ${nonce}`,
      hidden: `Hidden text ${nonce}`,
      responded: `Responded text ${nonce} asking for monthly budgets`,
      reasons: `Reasons ${nonce}: the budget is published every quarter`,
    };

    let app: FastifyInstance;
    let database: TestDatabase;
    let f: PeopleFixture;
    let adminCsrf: { token: string; cookie: string };
    const log: string[] = [];
    /** Answers to the planting requests themselves (they may echo what their sender typed). */
    const planting: Array<{ url: string; response: LightMyRequestResponse }> = [];
    const ids = { comment: 0, reply: 0, proposal: 0, hidden: 0, responded: 0, consultation: 0 };

    /** Every spelling of the planted secrets that must appear nowhere. */
    function secrets(): string[] {
      const forms = new Set<string>();
      for (const v of [EMAIL, EMAIL.toUpperCase(), encodeURIComponent(EMAIL), encodeURIComponent(EMAIL).toLowerCase(), EMAIL.replace('@', '&#64;'), EMAIL.replace('@', '&#x40;'), EMAIL.replace('@', '%40'), `leak-${nonce}`]) forms.add(v.toLowerCase());
      forms.add(IP_FORWARDED);
      forms.add(IP_DIRECT);
      return [...forms];
    }
    function leaksIn(text: string): string[] {
      const lower = text.toLowerCase();
      return secrets().filter((s) => lower.includes(s));
    }

    const demoBase = (locale = 'en') => `/${locale}/gjakova/consultations/${DEMO_OPEN_SLUG}`;

    /** A public request from the planted client: behind the trusted proxy, or direct. */
    function from(direct: boolean) {
      return direct ? { remoteAddress: IP_DIRECT } : { remoteAddress: PROXY, headers: { 'x-forwarded-for': IP_FORWARDED } };
    }

    async function openForm(url: string, direct = false) {
      const c = from(direct);
      const response = await app.inject({ method: 'GET', url, ...c });
      planting.push({ url, response });
      assert.equal(response.statusCode, 200, `GET ${url}`);
      const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
      const cookie = response.cookies.find((k) => k.name === '_csrf')?.value;
      assert.ok(token && cookie, `${url}: a CSRF token`);
      return { token, cookie };
    }

    async function postForm(formUrl: string, url: string, fields: [string, string][], direct = false) {
      const form = await openForm(formUrl, direct);
      const c = from(direct);
      const response = await app.inject({
        method: 'POST',
        url,
        remoteAddress: c.remoteAddress,
        headers: { ...(c.headers ?? {}), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams([['_csrf', form.token], ...fields]).toString(),
        cookies: { _csrf: form.cookie },
      });
      planting.push({ url, response });
      return response;
    }

    const postAs = async (who: Person, url: string, fields: [string, string][]) => {
      const response = await app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams([['_csrf', adminCsrf.token], ...fields]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': IP_FORWARDED },
        remoteAddress: PROXY,
        cookies: { _csrf: adminCsrf.cookie, besa_session: f.sessions[who] },
      });
      planting.push({ url, response });
      return response;
    };

    const contribution = (kind: 'comment' | 'proposal', body: string): [string, string][] => [
      ['kind', kind],
      ['author_name', NAME],
      ['email', EMAIL],
      ['body', body],
      ...(kind === 'proposal' ? ([['theme', `Theme ${nonce}`], ['ogp_value', 'civic_participation']] as [string, string][]) : []),
      ['consent', 'yes'],
      ['website', ''],
    ];
    const lastMailTo = (to: string) => database.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const rowByBody = (body: string) => pdb(database.db).selectFrom('contributions').selectAll().where('body', '=', body).executeTakeFirstOrThrow();

    async function contribute(kind: 'comment' | 'proposal', body: string, query = '', direct = false, confirm = true) {
      const url = `${demoBase()}/contribute${query}`;
      const sent = await postForm(url, url, contribution(kind, body), direct);
      assert.equal(sent.statusCode, 303, `${kind}: ${sent.body.slice(0, 300)}`);
      const row = await rowByBody(body);
      if (confirm) {
        const token = /\/contributions\/confirm\/([A-Za-z0-9_-]+)/.exec((await lastMailTo(EMAIL)).text_body)?.[1];
        assert.ok(token, 'a confirmation link');
        const done = await postForm(`/en/contributions/confirm/${token}`, `/en/contributions/confirm/${token}`, [], !direct);
        assert.equal(done.statusCode, 303);
      }
      return row.id;
    }

    before(async () => {
      database = await openTestDatabase(dialect);
      f = await insertPeopleFixture(database.db);
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'trace', BESA_TRUST_PROXY: '1' } as NodeJS.ProcessEnv);
      app = await buildApp({ config, database, logStream: { write: (line: string) => void log.push(line) } });
      await app.ready();
      adminCsrf = await csrfFromSignIn(app);

      // Comments, a reply, a proposal (confirmed by e-mail), an unconfirmed comment.
      ids.comment = await contribute('comment', texts.comment);
      ids.reply = await contribute('comment', texts.reply, `?reply=${ids.comment}`, true);
      ids.proposal = await contribute('proposal', texts.proposal, '?kind=proposal');
      await contribute('comment', texts.unconfirmed, '', true, false);
      ids.hidden = await contribute('comment', texts.hidden);
      // A refused form (consent missing) and a rate-limited one (the sixth from the address).
      const refusedUrl = `${demoBase('sq')}/contribute`;
      const refused = await postForm(refusedUrl, refusedUrl, contribution('comment', `Refused ${nonce}`).filter(([k]) => k !== 'consent'));
      assert.equal(refused.statusCode, 422);
      const limited = await postForm(`${demoBase()}/contribute`, `${demoBase()}/contribute`, contribution('comment', `Limited ${nonce}`), true);
      assert.equal(limited.statusCode, 429, 'the sixth contribution of the address within the hour is refused');

      // A flag from the planted client, and a refused one (no reason).
      const flagUrl = `${demoBase()}/contributions/${ids.comment}/flag`;
      assert.equal((await postForm(flagUrl, flagUrl, [['reason', 'spam'], ['details', `Flag details ${nonce}`]])).statusCode, 303);
      assert.equal((await postForm(flagUrl, flagUrl, [['reason', ''], ['details', 'kept']], true)).statusCode, 422);

      // A confirmed subscription to the consultation, and a refused one.
      const consultation = await pdb(database.db).selectFrom('consultations').select('id').where('slug', '=', DEMO_OPEN_SLUG).executeTakeFirstOrThrow();
      ids.consultation = consultation.id;
      const subUrl = `/en/subscriptions/new?topic=consultation:${consultation.id}`;
      const sub = await postForm(subUrl, '/en/subscriptions/new', [['topic', `consultation:${consultation.id}`], ['email', EMAIL], ['frequency', 'immediate'], ['locale', 'fr'], ['consent', 'yes']]);
      assert.equal(sub.statusCode, 303, sub.body.slice(0, 300));
      const subToken = /\/subscriptions\/confirm\/([A-Za-z0-9_.-]+)/.exec((await lastMailTo(EMAIL)).text_body)?.[1];
      assert.ok(subToken, 'a subscription confirmation link');
      assert.equal((await postForm(`/en/subscriptions/confirm/${subToken}`, `/en/subscriptions/confirm/${subToken}`, [], true)).statusCode, 303);
      const badSub = await postForm(subUrl, '/en/subscriptions/new', [['topic', `consultation:${consultation.id}`], ['email', EMAIL], ['frequency', 'hourly'], ['locale', 'fr']]);
      assert.equal(badSub.statusCode, 422);

      // Someone else follows the jurisdiction and hears of what is published after.
      const watchUrl = `/en/subscriptions/new?topic=jurisdiction:${f.gjakovaId}`;
      const watch = await postForm(watchUrl, '/en/subscriptions/new', [['topic', `jurisdiction:${f.gjakovaId}`], ['email', WATCHER], ['frequency', 'immediate'], ['locale', 'sq'], ['consent', 'yes']], true);
      assert.equal(watch.statusCode, 303);
      const watchToken = /\/subscriptions\/confirm\/([A-Za-z0-9_.-]+)/.exec((await lastMailTo(WATCHER)).text_body)?.[1];
      assert.equal((await postForm(`/en/subscriptions/confirm/${watchToken}`, `/en/subscriptions/confirm/${watchToken}`, [])).statusCode, 303);

      // A moderator hides one with a reason (the author is told by e-mail).
      const hide = await postAs('moderator', `/en/admin/moderation/${ids.hidden}/hide`, [[`reason_${ids.hidden}`, `Off topic ${nonce}`]]);
      assert.equal(hide.statusCode, 303, hide.body.slice(0, 300));

      // A closed consultation with a contribution of the same person, answered and published.
      const closed = await insertTestConsultation(database.db, { jurisdictionId: f.gjakovaId, slug: `leak-closed-${nonce}`, planId: f.planId, closesOn: '2024-03-01', title: { en: `Leak consultation ${nonce}`, sq: `Konsultimi ${nonce}` } });
      ids.responded = await insertTestContribution(database.db, { consultationId: closed, body: texts.responded, locale: 'en', email: EMAIL, authorName: NAME });
      const J = `/en/admin/jurisdictions/gjakova/consultations/leak-closed-${nonce}/responses`;
      const answered = await postAs('coordinator', `${J}/${ids.responded}`, [['outcome', 'partly_accepted'], ['reasons', texts.reasons], ['shaped', '']]);
      assert.equal(answered.statusCode, 303, answered.body.slice(0, 500));
      const published = await postAs('coordinator', `${J}/publish`, [['confirm', 'yes']]);
      assert.equal(published.statusCode, 303, published.body.slice(0, 500));
      // The subscribers' messages are written (the delivery the server runs every minute).
      const deliveryLog = { warn: (obj: object, msg?: string) => void log.push(`${JSON.stringify(obj)} ${msg ?? ''}\n`) };
      assert.ok((await deliverImmediateNotices(database.db, { publicUrl: 'https://besa.example.org', log: deliveryLog })) > 0, 'notices were delivered');
    });
    after(async () => {
      await app?.close();
      await database?.destroy();
    });

    test('the planting answers carry neither the address nor the IP in a header', () => {
      assert.ok(planting.length > 20);
      // The detector works: the refused form gives the address back to the person who typed it.
      assert.ok(planting.some(({ response }) => response.statusCode === 422 && leaksIn(response.body).includes(EMAIL.toLowerCase())), 'the refused form keeps the typed address');
      for (const { url, response } of planting) {
        assert.deepEqual(leaksIn(JSON.stringify(response.headers)), [], `headers of ${url}`);
      }
    });

    test('the crawl of every public page, feed, export and API answer finds neither the address nor the IPs', async () => {
      const closedSlug = `leak-closed-${nonce}`;
      const start = ['/', '/healthz', '/readyz', '/transparency/checkpoint', '/transparency/checkpoints', '/transparency/log.json', '/transparency/entries?start=0&end=100', '/transparency/verify-log.mjs', '/open-data/all.json', '/en/open-data', '/sitemap.xml', '/robots.txt'];
      // The JSON API: every list the OpenAPI document names (its answers link to pages without a locale, so they are started here).
      for (const list of ['jurisdictions', 'institutions', 'plans', 'commitments', 'milestones', 'updates', 'log']) start.push(`/api/v1/${list}?limit=200`);
      start.push('/api/v1/openapi.json');
      for (const locale of LOCALES) {
        start.push(
          `/${locale}/`,
          `${demoBase(locale)}`,
          `/${locale}/gjakova/consultations/${closedSlug}`,
          `/${locale}/gjakova/consultations/${closedSlug}/responses.csv`,
          `/${locale}/gjakova/consultations`,
          `/${locale}/search?q=${encodeURIComponent(EMAIL)}`,
          `/${locale}/search?q=${encodeURIComponent(NAME)}`,
          `/${locale}/search?q=${nonce}`,
          `/${locale}/gjakova/meetings.ics`,
          `/${locale}/transparency`,
          `/${locale}/privacy`,
          `/${locale}/feed.atom`,
          `/${locale}/gjakova/feed.atom`,
          `/${locale}/gjakova/news.atom`,
        );
      }
      // Every page of the transparency log's entries.
      const size = (await tdb(database.db).selectFrom('transparency_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      for (let s = 0; s < Number(size); s += 100) start.push(`/transparency/entries?start=${s}&end=${Math.min(s + 100, Number(size))}`);

      const seen = new Set<string>();
      const queue = [...start];
      const bodies = new Map<string, string>();
      const problems: string[] = [];
      while (queue.length > 0 && seen.size < CRAWL_CAP) {
        const url = queue.shift()!;
        if (seen.has(url)) continue;
        seen.add(url);
        const response = await app.inject({ method: 'GET', url, remoteAddress: PROXY, headers: { 'x-forwarded-for': IP_FORWARDED } });
        if (response.statusCode >= 500) problems.push(`${url}: ${response.statusCode}`);
        const body = response.body;
        bodies.set(url, body);
        // A search page shows the visitor's own query back to them: that echo is not a leak, what it finds would be.
        const isSearch = /^\/[^/]+\/search\?/.test(url);
        let checked = body;
        if (isSearch) {
          const q = new URL(url, 'http://x').searchParams.get('q') ?? '';
          for (const form of [q, q.replace('@', '&#64;'), q.replace('@', '&#x40;'), encodeURIComponent(q)]) checked = checked.split(form).join('[query]');
        }
        const leaked = leaksIn(checked);
        if (leaked.length) problems.push(`${url} body: ${leaked.join(', ')}`);
        const inHeaders = leaksIn(JSON.stringify(response.headers));
        if (inHeaders.length) problems.push(`${url} headers: ${inHeaders.join(', ')}`);
        const location = response.headers.location;
        const hrefs = [...body.matchAll(/\b(?:href|src|action)="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
        if (typeof location === 'string') hrefs.push(location);
        for (const raw of hrefs) {
          if (!raw.startsWith('/') || raw.startsWith('//')) continue;
          const href = raw.split('#')[0]!;
          if (!href || /^\/([^/]+\/)?admin(\/|$)/.test(href) || href.startsWith('/assets/') || href.includes('/logout') || href.startsWith('/evidence/')) continue;
          // Compressed files (PDF, DOCX, ZIP) and images: their bytes cannot be searched for a text. The
          // reports' printable pages (the same model as their PDF and DOCX) and the JSON download are crawled.
          if (/\.(pdf|docx|zip|png)(\?|$)/.test(href)) continue;
          if (!seen.has(href)) queue.push(href);
        }
      }
      assert.deepEqual(problems, []);
      assert.ok(seen.size > 200, `the crawl visited ${seen.size} URLs`);
      assert.equal(queue.filter((u) => !seen.has(u)).length, 0, `the crawl reached every public link within ${CRAWL_CAP} URLs`);
      assert.ok((bodies.get('/en/gjakova') ?? '').includes(nonce), 'the recent changes on the jurisdiction home show the published response');

      // The crawl saw the planted contributions, so a crawl that saw nothing fails.
      for (const locale of LOCALES) {
        const page = bodies.get(demoBase(locale));
        assert.ok(page, `${locale}: the consultation page was fetched`);
        for (const text of [texts.comment, texts.reply, texts.proposal]) assert.ok(page.includes(text), `${locale}: ${text} is on the page`);
        assert.ok(page.includes(NAME), `${locale}: the name the contributor chose is shown`);
        assert.ok(!page.includes(texts.unconfirmed) && !page.includes(texts.hidden), `${locale}: unconfirmed and hidden texts are not`);
        const closedPage = bodies.get(`/${locale}/gjakova/consultations/${closedSlug}`)!;
        assert.ok(closedPage.includes(texts.responded) && closedPage.includes(texts.reasons), `${locale}: the response table`);
        const csv = bodies.get(`/${locale}/gjakova/consultations/${closedSlug}/responses.csv`)!;
        assert.ok(csv.includes(texts.responded) && csv.includes(texts.reasons), `${locale}: the CSV`);
      }
      const visited = [...seen];
      for (const pattern of [/\/history\//, /\/contribute/, /\/flag$/, /\/subscriptions\/new\?topic=/, /\.ics$/, /\/transparency\/entries/, /^\/en\/gjakova$/, /\/monitoring/, /\/meetings\//, /\/bodies\//, /^\/api\/v1\/updates/, /feed\.atom$/, /\/news\//]) {
        assert.ok(visited.some((u) => pattern.test(u)), `the crawl reached ${pattern}`);
      }
      const found = bodies.get(`/en/search?q=${nonce}`)!;
      assert.ok(found.includes(texts.comment) || found.includes(texts.reasons) || found.includes(nonce), 'the search finds the planted texts');
    });

    test('no log line holds the address or the IPs', () => {
      const text = log.join('');
      assert.ok(log.length > 100, `the log was captured (${log.length} lines)`);
      assert.ok(text.includes('"path"'), 'request lines are logged');
      const bad = log.filter((line) => leaksIn(line).length > 0);
      assert.deepEqual(bad, []);
    });

    test('messages to anyone else (moderators, coordinators, subscribers) hold neither the address, the IPs nor the name; the person’s own hold no IP', async () => {
      const mails = await database.db.selectFrom('mail_outbox').selectAll().execute();
      const others = mails.filter((m) => m.to_address !== EMAIL);
      const own = mails.filter((m) => m.to_address === EMAIL);
      assert.ok(own.length >= 6, `the person was written to (${own.length})`);
      assert.ok(others.some((m) => m.to_address === WATCHER && m.text_body.includes(nonce)), 'the follower heard of the published responses');
      assert.ok(others.some((m) => m.to_address !== WATCHER), 'moderators or coordinators were written to');
      for (const m of others) {
        const text = `${m.subject}\n${m.text_body}\n${m.html_body ?? ''}`;
        assert.deepEqual(leaksIn(text), [], `message to another person: ${m.subject}`);
        assert.ok(!text.includes(NAME), `message to another person names the contributor: ${m.subject}`);
      }
      for (const m of own) assert.ok(!`${m.text_body}${m.html_body ?? ''}`.includes(IP_FORWARDED) && !`${m.text_body}${m.html_body ?? ''}`.includes(IP_DIRECT), m.subject);
    });

    test('the audit trail and the transparency log hold neither the address, the IPs nor the contributor’s name', async () => {
      const audit = await database.db.selectFrom('audit_events').selectAll().execute();
      assert.ok(audit.length > 0);
      const auditText = JSON.stringify(audit);
      assert.deepEqual(leaksIn(auditText), []);
      assert.ok(!auditText.includes(NAME) && !auditText.toLowerCase().includes(NAME.toLowerCase()), 'no contributor name in the audit trail');
      const entries = await tdb(database.db).selectFrom('transparency_entries').selectAll().execute();
      const entriesText = JSON.stringify(entries);
      assert.ok(entriesText.includes(texts.reasons), 'the response is an entry of the transparency log');
      assert.deepEqual(leaksIn(entriesText), []);
      assert.ok(!entriesText.toLowerCase().includes(NAME.toLowerCase()), 'no contributor name in the transparency log');
      // Nor does any stored row outside the contribution and subscription rows (and the mail to the person) hold the address in clear.
      const flags = JSON.stringify(await pdb(database.db).selectFrom('contribution_flags').selectAll().execute());
      assert.deepEqual(leaksIn(flags), [], 'flags keep no IP');
      const search = JSON.stringify(await database.db.selectFrom('search_documents').selectAll().execute());
      assert.deepEqual(leaksIn(search), []);
      assert.ok(!search.includes(NAME), 'no contributor name in the search index');
    });
  });
}
