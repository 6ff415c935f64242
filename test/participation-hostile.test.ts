import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DEMO_OPEN_SLUG } from '../src/db/seeds/consultations-demo.js';
import { insertTestConsultation, insertTestContribution } from './response-fixture.js';
import { pdb } from '../src/modules/participation/tables.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from './db.js';
import { csrfFromSignIn, insertPeopleFixture, type PeopleFixture, type Person } from './people-fixture.js';

/**
 * The hostile-input sweep of issue 11, over every field of participation: the public forms
 * (contribution name, address, text, theme, OGP value, kind; flag reason and details; subscription
 * address, frequency, language, topic, and the topic parameter of the form's page) and the
 * coordinator's and moderator's forms (consultation slug, title, summary, text, document title and
 * address, outcome; response outcome and reasons; hide reason). Each field gets script tags, an
 * event handler, a `javascript:` link, 100 KB of text, a right-to-left override, a NUL byte and
 * invalid UTF-8 (raw bytes in the urlencoded body). Never a 5xx; a refusal is 400/413/422/429 with a
 * message and, for a text field, what was typed kept (escaped); what is accepted and published is
 * shown escaped on the public pages: no markup from the input, no `javascript:` link.
 */

const SCRIPT = '<script>alert(1)</script>';
const EVENT = '"><img src=x onerror=alert(1)>';
const JS = 'javascript:alert(1)';
const RTL = 'abc\u202Edef';
const LONG = 'x'.repeat(100_000);
const NUL = 'before\u0000after';
const HOSTILE: Array<[string, string]> = [
  ['script', SCRIPT],
  ['event handler', EVENT],
  ['javascript: link', JS],
  ['RTL override', RTL],
  ['100 KB', LONG],
  ['NUL', NUL],
];
/** Raw bytes that are not UTF-8: a lone continuation byte, an overlong start, a truncated sequence. */
const INVALID_UTF8 = Buffer.from([0xff, 0xfe, 0x41, 0xc3, 0x28, 0xe2, 0x82]);

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|#34|#(\d+)|#x([0-9a-f]+));/gi, (whole, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", '#34': '"' } as Record<string, string>)[name.toLowerCase()] ?? whole;
  });
}

/** Markup the input could have made: outside quoted attribute values nothing may open a tag or set a handler; no link goes to javascript:. */
function markupProblems(body: string): string[] {
  const problems: string[] = [];
  const outside = body.replace(/="[^"]*"/g, '=""');
  if (/<script>alert\(1\)/i.test(outside)) problems.push('a <script> element from the input');
  if (/<img src=x/i.test(outside)) problems.push('an <img> element from the input');
  if (/<[a-z][^<>]*\sonerror\s*=/i.test(outside)) problems.push('an onerror attribute on an element');
  if (/(href|src|action)\s*=\s*["']?\s*javascript:/i.test(body)) problems.push('a javascript: link');
  return problems;
}

for (const dialect of DIALECTS) {
  describe(`participation: hostile input in every field [${dialect}]`, () => {
    let app: FastifyInstance;
    let database: TestDatabase;
    let f: PeopleFixture;
    let csrf: { token: string; cookie: string };
    let consultationId = 0;
    let targetId = 0;
    let ipCounter = 0;
    const failures: string[] = [];
    const nextIp = () => {
      ipCounter++;
      return `10.${(ipCounter >> 8) & 255}.${ipCounter & 255}.7`;
    };
    const demo = (locale = 'en') => `/${locale}/gjakova/consultations/${DEMO_OPEN_SLUG}`;
    const A = '/en/admin/jurisdictions/gjakova/consultations';

    before(async () => {
      database = await openTestDatabase(dialect);
      f = await insertPeopleFixture(database.db);
      app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database });
      await app.ready();
      csrf = await csrfFromSignIn(app);
      const row = await pdb(database.db).selectFrom('consultations').select('id').where('slug', '=', DEMO_OPEN_SLUG).executeTakeFirstOrThrow();
      consultationId = row.id;
      // Flags are what this file sends many of: the threshold is raised so the target stays flaggable.
      await pdb(database.db).updateTable('consultations').set({ flag_threshold: 1000 }).where('id', '=', consultationId).execute();
      targetId = await insertTestContribution(database.db, { consultationId, body: 'A comment to flag', locale: 'en', email: 'target@example.org', authorName: 'Target' });
    });
    after(async () => {
      await app?.close();
      await database?.destroy();
    });

    /** A public form: GET for the CSRF token (from a fresh client IP), then POST. */
    async function publicPost(formUrl: string, url: string, fields: [string, string][] | Buffer, ip = nextIp()) {
      const page = await app.inject({ method: 'GET', url: formUrl, remoteAddress: ip });
      assert.equal(page.statusCode, 200, `GET ${formUrl}`);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1]!;
      const cookie = page.cookies.find((c) => c.name === '_csrf')?.value!;
      const payload = Buffer.isBuffer(fields) ? Buffer.concat([Buffer.from(`_csrf=${encodeURIComponent(token)}&`), fields]) : new URLSearchParams([['_csrf', token], ...fields]).toString();
      return app.inject({ method: 'POST', url, remoteAddress: ip, payload, headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { _csrf: cookie } });
    }

    /** A signed-in person's form. */
    function adminPost(who: Person, url: string, fields: [string, string][] | Buffer) {
      const payload = Buffer.isBuffer(fields) ? Buffer.concat([Buffer.from(`_csrf=${encodeURIComponent(csrf.token)}&`), fields]) : new URLSearchParams([['_csrf', csrf.token], ...fields]).toString();
      return app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { _csrf: csrf.cookie, besa_session: f.sessions[who] } });
    }

    /**
     * The rules for one answer (`choiceFallsBack`: a choice whose unknown value is taken as the
     * default, never stored as typed, so a NUL in it is harmless): never a 5xx, never markup from the input; a refusal has a
     * message and, when `kept`, shows what was typed (a NUL is dropped from what is shown).
     */
    function judge(label: string, response: LightMyRequestResponse, value: string | null, kept: boolean, options: { choiceFallsBack?: boolean } = {}): void {
      const where = `${label}: ${response.statusCode}`;
      if (response.statusCode >= 500) {
        failures.push(`${where} (server error)`);
        return;
      }
      for (const p of markupProblems(response.body)) failures.push(`${where}: ${p}`);
      if ([400, 413, 422, 429].includes(response.statusCode)) {
        if (response.statusCode !== 413 && !/error-summary|role="alert"/.test(response.body)) failures.push(`${where}: a refusal without a message`);
        if (kept && value !== null) {
          const shown = value.replace(/\u0000/g, '');
          if (!unescapeHtml(response.body).includes(shown)) failures.push(`${where}: the typed text is not kept`);
        }
        if (value === NUL && !/cannot be stored/.test(response.body)) failures.push(`${where}: a NUL refused without the "cannot be stored" message`);
      } else if (![200, 303, 404, 410].includes(response.statusCode)) {
        failures.push(`${where}: unexpected status`);
      }
      if (value === NUL && response.statusCode < 400 && !options.choiceFallsBack) failures.push(`${where}: a NUL was accepted`);
    }

    function urlencodedWith(fields: [string, string][], field: string): Buffer {
      const before = new URLSearchParams(fields.filter(([k]) => k !== field)).toString();
      return Buffer.concat([Buffer.from(`${before}&${field}=`), INVALID_UTF8, Buffer.from('tail')]);
    }

    test('contribution form: name, address, text, theme, OGP value, kind', async () => {
      const base = (email: string): [string, string][] => [
        ['kind', 'proposal'],
        ['author_name', 'Name'],
        ['email', email],
        ['body', 'Text'],
        ['theme', 'Theme'],
        ['ogp_value', 'civic_participation'],
        ['consent', 'yes'],
        ['website', ''],
      ];
      const url = `${demo()}/contribute?kind=proposal`;
      const accepted: string[] = [];
      let n = 0;
      for (const field of ['author_name', 'email', 'body', 'theme', 'ogp_value', 'kind']) {
        const kept = ['author_name', 'email', 'body', 'theme'].includes(field);
        for (const [name, value] of HOSTILE) {
          n++;
          const email = `hostile${n}@example.org`;
          const fields = base(email).map(([k, v]) => [k, k === field ? value : v] as [string, string]);
          // The page's `?kind=` wins over the body's: the kind field is swept on the plain form.
          const target = field === 'kind' ? `${demo()}/contribute` : url;
          const response = await publicPost(target, target, fields);
          judge(`contribution ${field} ${name}`, response, value, kept, { choiceFallsBack: field === 'kind' });
          if (response.statusCode === 303) accepted.push(email);
          if (field === 'kind' && response.statusCode === 303) {
            const row = await pdb(database.db).selectFrom('contributions').select('kind').where('email', '=', email).executeTakeFirstOrThrow();
            assert.equal(row.kind, 'comment', `an unknown kind (${name}) is taken as a comment`);
          }
        }
        judge(`contribution ${field} invalid UTF-8`, await publicPost(field === 'kind' ? `${demo()}/contribute` : url, field === 'kind' ? `${demo()}/contribute` : url, urlencodedWith(base(`bytes-${field}@example.org`), field)), null, false);
      }
      // What was accepted is confirmed (published, post-moderation) and shown escaped on the public pages.
      assert.ok(accepted.length >= 6, `hostile text was accepted in the free-text fields (${accepted.length})`);
      for (const email of accepted) {
        const mail = await database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', email).executeTakeFirstOrThrow();
        const token = /\/contributions\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.text_body)?.[1]!;
        const done = await publicPost(`/en/contributions/confirm/${token}`, `/en/contributions/confirm/${token}`, []);
        assert.equal(done.statusCode, 303);
      }
      for (const locale of ['en', 'sq']) {
        const page = await app.inject({ method: 'GET', url: demo(locale) });
        assert.equal(page.statusCode, 200);
        assert.deepEqual(markupProblems(page.body), [], `${locale}: the consultation page`);
        assert.ok(page.body.includes('&lt;script>alert(1)&lt;/script>') || page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `${locale}: the script text is shown, escaped`);
        assert.ok(page.body.includes('\u202E'), 'the RTL override is kept as typed');
      }
      const search = await app.inject({ method: 'GET', url: `/en/search?q=${encodeURIComponent('alert')}` });
      assert.ok(search.statusCode < 500);
      assert.deepEqual(markupProblems(search.body), [], 'search results');
      assert.deepEqual(failures.splice(0), []);
    });

    test('a body over the size limit is a 413 page, never a 5xx, on the public and the coordinator’s forms', async () => {
      const huge = 'y'.repeat(2 * 1024 * 1024);
      const contribute = await publicPost(`${demo()}/contribute`, `${demo()}/contribute`, [['kind', 'comment'], ['author_name', 'Name'], ['email', 'huge@example.org'], ['body', huge], ['consent', 'yes']]);
      assert.equal(contribute.statusCode, 413);
      assert.ok(!contribute.body.includes(huge.slice(0, 1000)), 'not echoed');
      const subscribe = await publicPost(`/en/subscriptions/new?topic=consultation:${consultationId}`, '/en/subscriptions/new', [['email', huge]]);
      assert.equal(subscribe.statusCode, 413);
      const consultation = await adminPost('coordinator', `${A}/new`, [['title', huge]]);
      assert.equal(consultation.statusCode, 413);
      const count = await pdb(database.db).selectFrom('contributions').select('id').where('email', '=', 'huge@example.org').execute();
      assert.equal(count.length, 0);
    });

    test('reply parameter and confirmation token: hostile values are a 404, never a 5xx', async () => {
      for (const [name, value] of HOSTILE) {
        const reply = await app.inject({ method: 'GET', url: `${demo()}/contribute?reply=${encodeURIComponent(value)}` });
        judge(`reply parameter ${name}`, reply, null, false);
        const confirm = await app.inject({ method: 'GET', url: `/en/contributions/confirm/${encodeURIComponent(value.slice(0, 150))}` });
        judge(`confirm token ${name}`, confirm, null, false);
        const flag = await app.inject({ method: 'GET', url: `${demo()}/contributions/${encodeURIComponent(value.slice(0, 150))}/flag` });
        judge(`flag id ${name}`, flag, null, false);
      }
      const bytes = await app.inject({ method: 'GET', url: `${demo()}/contribute?reply=%FF%FE%C3%28` });
      judge('reply parameter invalid UTF-8', bytes, null, false);
      assert.deepEqual(failures.splice(0), []);
    });

    test('flag form: reason and details', async () => {
      const url = `${demo()}/contributions/${targetId}/flag`;
      for (const [name, value] of HOSTILE) {
        judge(`flag reason ${name}`, await publicPost(url, url, [['reason', value], ['details', 'kept details']]), 'kept details', true);
        judge(`flag details ${name}`, await publicPost(url, url, [['reason', 'other'], ['details', value]]), value, true);
      }
      judge('flag reason invalid UTF-8', await publicPost(url, url, urlencodedWith([['reason', 'x'], ['details', 'd']], 'reason')), null, false);
      judge('flag details invalid UTF-8', await publicPost(url, url, urlencodedWith([['reason', 'spam'], ['details', 'd']], 'details')), null, false);
      // The accepted details reach the moderator's queue, escaped.
      const queue = await app.inject({ method: 'GET', url: '/en/admin/moderation', cookies: { besa_session: f.sessions.moderator } });
      assert.equal(queue.statusCode, 200);
      assert.ok(queue.body.includes(`id="contribution-${targetId}"`), 'the flagged contribution waits for a moderator');
      assert.deepEqual(markupProblems(queue.body), [], 'the moderation queue');
      assert.deepEqual(failures.splice(0), []);
    });

    test('subscription form: address, frequency, language, topic; the topic parameter of its page', async () => {
      const topic = `consultation:${consultationId}`;
      const formUrl = `/en/subscriptions/new?topic=${topic}`;
      const base = (email: string): [string, string][] => [
        ['topic', topic],
        ['email', email],
        ['frequency', 'daily'],
        ['locale', 'sq'],
        ['consent', 'yes'],
      ];
      let n = 0;
      for (const field of ['email', 'frequency', 'locale', 'topic']) {
        for (const [name, value] of HOSTILE) {
          n++;
          const fields = base(`sub${n}@example.org`).map(([k, v]) => [k, k === field ? value : v] as [string, string]);
          judge(`subscription ${field} ${name}`, await publicPost(formUrl, '/en/subscriptions/new', fields), value, field === 'email');
        }
        judge(`subscription ${field} invalid UTF-8`, await publicPost(formUrl, '/en/subscriptions/new', urlencodedWith(base(`subbytes-${field}@example.org`), field)), null, false);
      }
      for (const [name, value] of HOSTILE) {
        judge(`topic parameter ${name}`, await app.inject({ method: 'GET', url: `/en/subscriptions/new?topic=${encodeURIComponent(value)}` }), null, false);
        judge(`manage token ${name}`, await app.inject({ method: 'GET', url: `/en/subscriptions/manage/${encodeURIComponent(value.slice(0, 150))}` }), null, false);
        judge(`unsubscribe token ${name}`, await app.inject({ method: 'POST', url: `/subscriptions/unsubscribe/${encodeURIComponent(value.slice(0, 150))}`, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), null, false);
      }
      judge('topic parameter invalid UTF-8', await app.inject({ method: 'GET', url: '/en/subscriptions/new?topic=consultation%3A%FF%FE' }), null, false);
      assert.deepEqual(failures.splice(0), []);
    });

    test('consultation forms: slug, title, summary, text, outcome, document title and address; published text shown escaped', async () => {
      const form = (slug: string, over: Record<string, string> = {}): [string, string][] =>
        Object.entries({
          content: 'en',
          slug,
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
      const published: string[] = [];
      let n = 0;
      for (const field of ['slug', 'title', 'summary', 'body']) {
        for (const [name, value] of HOSTILE) {
          n++;
          const slug = `hostile-${n}`;
          const response = await adminPost('coordinator', `${A}/new`, form(slug, { [field]: value }));
          judge(`consultation ${field} ${name}`, response, value, true);
          if (response.statusCode === 303) {
            const publish = await adminPost('coordinator', `${A}/${slug}/publish`, [['confirm', 'yes']]);
            assert.equal(publish.statusCode, 303, `publish ${slug}`);
            published.push(slug);
          }
        }
        judge(`consultation ${field} invalid UTF-8`, await adminPost('coordinator', `${A}/new`, urlencodedWith(form(`bytes-${field}`), field)), null, false);
      }
      assert.ok(published.length >= 8, `hostile titles, summaries and texts were accepted (${published.length})`);
      // Documents and the outcome, on the first published one.
      const target = published[0]!;
      for (const [name, value] of HOSTILE) {
        judge(`document address ${name}`, await adminPost('coordinator', `${A}/${target}/documents`, [['document_title', 'Map'], ['document_url', value], ['document_locale', 'en']]), value, true);
        judge(`document title ${name}`, await adminPost('coordinator', `${A}/${target}/documents`, [['document_title', value], ['document_url', 'https://example.org/map.pdf'], ['document_locale', 'en']]), value, true);
        judge(`document language ${name}`, await adminPost('coordinator', `${A}/${target}/documents`, [['document_title', 'Map'], ['document_url', 'https://example.org/map.pdf'], ['document_locale', value]]), null, false);
        judge(`outcome ${name}`, await adminPost('coordinator', `${A}/${target}/outcome?content=en`, [['outcome', value]]), value, true);
      }
      for (const field of ['document_url', 'document_title']) {
        judge(`document ${field} invalid UTF-8`, await adminPost('coordinator', `${A}/${target}/documents`, urlencodedWith([['document_title', 'Map'], ['document_url', 'https://example.org/a.pdf']], field)), null, false);
      }
      judge('outcome invalid UTF-8', await adminPost('coordinator', `${A}/${target}/outcome`, urlencodedWith([['outcome', 'x']], 'outcome')), null, false);
      // The public pages, the list and the admin pages show all of it escaped.
      for (const path of ['/en/gjakova/consultations', ...published.map((s) => `/en/gjakova/consultations/${s}`), `${A}`, `${A}/${target}/edit`]) {
        const page = await app.inject({ method: 'GET', url: path, cookies: path.includes('/admin/') ? { besa_session: f.sessions.coordinator } : {} });
        assert.equal(page.statusCode, 200, path);
        assert.deepEqual(markupProblems(page.body), [], path);
      }
      const first = await app.inject({ method: 'GET', url: `/en/gjakova/consultations/${target}` });
      assert.ok(first.body.includes('href="https://example.org/map.pdf"'), 'the accepted document is linked');
      assert.deepEqual(failures.splice(0), []);
    });

    test('response form (outcome, reasons) and the hide reason; the published table shows them escaped', async () => {
      const closed = await insertTestConsultation(database.db, { jurisdictionId: f.gjakovaId, slug: 'hostile-responses', closesOn: '2024-03-01' });
      const J = '/en/admin/jurisdictions/gjakova/consultations/hostile-responses/responses';
      const answered: number[] = [];
      for (const [name, value] of HOSTILE) {
        const id = await insertTestContribution(database.db, { consultationId: closed, body: `About ${name}`, locale: 'en' });
        judge(`response outcome ${name}`, await adminPost('coordinator', `${J}/${id}`, [['outcome', value], ['reasons', 'kept reasons'], ['shaped', '']]), 'kept reasons', true);
        judge(`response shaped ${name}`, await adminPost('coordinator', `${J}/${id}`, [['outcome', 'accepted'], ['reasons', 'kept reasons'], ['shaped', value]]), 'kept reasons', true);
        const response = await adminPost('coordinator', `${J}/${id}`, [['outcome', 'not_accepted'], ['reasons', value], ['shaped', '']]);
        judge(`response reasons ${name}`, response, value, true);
        if (response.statusCode !== 303) {
          // Answered plainly, so that the table can be published.
          assert.equal((await adminPost('coordinator', `${J}/${id}`, [['outcome', 'out_of_scope'], ['reasons', `Plain reasons for ${name}`], ['shaped', '']])).statusCode, 303);
        }
        answered.push(id);
      }
      // Invalid UTF-8 on a contribution of its own (the bytes may be taken as U+FFFD), answered plainly after.
      const bytesId = await insertTestContribution(database.db, { consultationId: closed, body: 'About raw bytes', locale: 'en' });
      for (const field of ['outcome', 'reasons', 'shaped']) {
        judge(`response ${field} invalid UTF-8`, await adminPost('coordinator', `${J}/${bytesId}`, urlencodedWith([['outcome', 'accepted'], ['reasons', 'x'], ['shaped', '']], field)), null, false);
      }
      assert.equal((await adminPost('coordinator', `${J}/${bytesId}`, [['outcome', 'accepted'], ['reasons', 'Plain reasons for the bytes'], ['shaped', '']])).statusCode, 303);
      assert.equal((await adminPost('coordinator', `${J}/publish`, [['confirm', 'yes']])).statusCode, 303, 'the table is published');
      for (const locale of ['en', 'fr']) {
        const page = await app.inject({ method: 'GET', url: `/${locale}/gjakova/consultations/hostile-responses` });
        assert.equal(page.statusCode, 200);
        assert.deepEqual(markupProblems(page.body), [], `${locale}: the response table`);
        assert.ok(page.body.includes('&lt;script>alert(1)&lt;/script>') || page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the reasons are shown, escaped');
        const csv = await app.inject({ method: 'GET', url: `/${locale}/gjakova/consultations/hostile-responses/responses.csv` });
        assert.equal(csv.statusCode, 200);
        assert.match(String(csv.headers['content-type']), /text\/csv/);
      }
      const admin = await app.inject({ method: 'GET', url: J, cookies: { besa_session: f.sessions.coordinator } });
      assert.deepEqual(markupProblems(admin.body), [], 'the admin response list');

      // The hide reason, on published contributions of the demonstration consultation.
      for (const [name, value] of HOSTILE) {
        const id = await insertTestContribution(database.db, { consultationId, body: `To hide ${name}`, locale: 'fr', email: `hide-${answered.length}-${name.replace(/\W/g, '')}@example.org` });
        const response = await adminPost('moderator', `/en/admin/moderation/${id}/hide`, [[`reason_${id}`, value]]);
        judge(`hide reason ${name}`, response, value, true);
        judge(`hide reason invalid UTF-8 ${name}`, await adminPost('moderator', `/en/admin/moderation/${id}/hide`, urlencodedWith([[`reason_${id}`, 'x']], `reason_${id}`)), null, false);
      }
      const queue = await app.inject({ method: 'GET', url: '/en/admin/moderation', cookies: { besa_session: f.sessions.moderator } });
      assert.deepEqual(markupProblems(queue.body), [], 'the moderation queue');
      const page = await app.inject({ method: 'GET', url: demo() });
      assert.deepEqual(markupProblems(page.body), [], 'the consultation page with hidden contributions');
      // The messages that carry the hostile reasons (the author told of the hiding, the contributors of the responses).
      const mails = await database.db.selectFrom('mail_outbox').select(['subject', 'text_body', 'html_body']).execute();
      assert.ok(mails.some((m) => m.text_body.includes(SCRIPT)), 'the reasons are in the text messages as typed (plain text)');
      for (const m of mails) if (m.html_body) assert.deepEqual(markupProblems(m.html_body), [], `the HTML part of "${m.subject}"`);
      assert.deepEqual(failures.splice(0), []);
    });
  });
}
