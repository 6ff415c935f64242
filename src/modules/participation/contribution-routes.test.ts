import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { LOCALES } from '../../i18n/locales.js';
import { translator } from '../../i18n/index.js';
import { insertContributionFixture, type ContributionFixture } from '../../../test/contribution-fixture.js';
import { ContributionsSection, loadContributionThread } from './contribution-section.js';
import { findConsultationById } from './consultation-queries.js';
import { pdb } from './tables.js';
import { refreshSearchDocuments } from '../search/index.js';

/**
 * The public side of contributing, through the real app on both databases: the form and what it
 * refuses (keeping everything typed), double opt-in exactly once, the honeypot, the rate limits,
 * replies three levels deep, flags up to the threshold, the erasure link, and that no e-mail
 * address or one-time token reaches a page or the log.
 */

const SECRET_ADDRESS = 'planted.secret.person@example.org';

for (const dialect of DIALECTS) {
  describe(`contributions: public pages [${dialect}]`, () => {
    let app: FastifyInstance;
    let database: TestDatabase;
    let fx: ContributionFixture;
    const log: string[] = [];

    before(async () => {
      database = await openTestDatabase(dialect);
      fx = await insertContributionFixture(database.db, { flagThreshold: 2 });
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' } as NodeJS.ProcessEnv);
      app = await buildApp({ config, database, logStream: { write: (line: string) => void log.push(line) } });
      await app.ready();
    });
    after(async () => {
      await app?.close();
      await database?.destroy();
    });

    const base = (locale = 'en', slug = 'open-call') => `/${locale}/gjakova/consultations/${slug}`;

    async function openForm(path: string, ip = '10.0.0.1') {
      const response = await app.inject({ method: 'GET', url: path, remoteAddress: ip });
      assert.equal(response.statusCode, 200, `GET ${path}: ${response.statusCode}`);
      const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
      const cookie = response.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token && cookie, 'the form carries a CSRF token and cookie');
      return { token, cookie, body: response.body };
    }

    async function post(path: string, fields: [string, string][], ip = '10.0.0.1', form?: { token: string; cookie: string }) {
      const f = form ?? (await openForm(`${base()}/contribute`, ip));
      return app.inject({
        method: 'POST',
        url: path,
        remoteAddress: ip,
        payload: new URLSearchParams([['_csrf', f.token], ...fields]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { _csrf: f.cookie },
      });
    }

    const comment = (email: string, body = 'More benches in the park, please.', name = 'Drita'): [string, string][] => [
      ['kind', 'comment'],
      ['author_name', name],
      ['email', email],
      ['body', body],
      ['consent', 'yes'],
      ['website', ''],
    ];

    async function submit(fields: [string, string][], ip = '10.0.0.1', locale = 'en', query = '') {
      const form = await openForm(`${base(locale)}/contribute${query}`, ip);
      return post(`${base(locale)}/contribute${query}`, fields, ip, form);
    }

    const mailsTo = (to: string) => database.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', to).orderBy('id').execute();
    const confirmToken = (text: string) => /\/contributions\/confirm\/([A-Za-z0-9_-]+)/.exec(text)?.[1];
    const eraseToken = (text: string) => /\/privacy\/erase\/([A-Za-z0-9_-]+)/.exec(text)?.[1];
    const rowsOf = (email: string) => pdb(database.db).selectFrom('contributions').selectAll().where('email', '=', email).orderBy('id').execute();

    async function confirm(token: string, locale = 'en', ip = '10.0.0.9') {
      const form = await openForm(`/${locale}/contributions/confirm/${token}`, ip);
      return post(`/${locale}/contributions/confirm/${token}`, [], ip, form);
    }

    async function publishComment(email: string, body: string, ip: string, query = '', name = 'Drita') {
      const sent = await submit(comment(email, body, name), ip, 'en', query);
      assert.equal(sent.statusCode, 303, sent.body.slice(0, 400));
      const mails = await mailsTo(email);
      const token = confirmToken(mails.at(-1)!.text_body)!;
      const done = await confirm(token);
      assert.equal(done.statusCode, 303);
      const rows = await rowsOf(email);
      return rows.at(-1)!;
    }

    test('the form pages are valid in every locale, mark required fields and carry the honeypot', async () => {
      for (const locale of LOCALES) {
        for (const query of ['', '?kind=proposal']) {
          const page = await openForm(`${base(locale)}/contribute${query}`);
          assert.deepEqual(await htmlErrors(page.body), [], `${locale}${query}`);
          assert.ok(page.body.includes(translator(locale)('contribution.form.requiredNote')), 'required fields are marked');
          assert.match(page.body, /<input type="text" id="field-website" name="website" value="" autocomplete="off" tabindex="-1"/);
          assert.ok(page.body.includes(`href="/${locale}/privacy#participation"`), 'the privacy notice is linked');
          if (query) assert.ok(page.body.includes('name="theme"') && page.body.includes('name="ogp_value"'));
        }
        const closed = await app.inject({ method: 'GET', url: `${base(locale, 'closed-call')}/contribute` });
        assert.equal(closed.statusCode, 200);
        assert.ok(!closed.body.includes('<form method="post" action="/'), 'a closed consultation has no form');
        assert.deepEqual(await htmlErrors(closed.body), []);
        const announced = await app.inject({ method: 'GET', url: `${base(locale, 'future-call')}/contribute` });
        assert.ok(announced.body.includes(translator(locale)('contribution.closed.title')));
      }
      assert.equal((await app.inject({ method: 'GET', url: '/en/gjakova/consultations/no-such/contribute' })).statusCode, 404);
    });

    test('after confirming, the page says published or waiting from the redirect alone: walking the ids tells nothing', async () => {
      await pdb(database.db).updateTable('consultations').set({ moderation: 'pre' }).where('id', '=', fx.open.id).execute();
      try {
        const email = 'waiting.one@example.org';
        assert.equal((await submit(comment(email, 'Please wait for me.'), '10.0.8.1')).statusCode, 303);
        const token = confirmToken((await mailsTo(email)).at(-1)!.text_body)!;
        const done = await confirm(token, 'en', '10.0.8.2');
        const [row] = await rowsOf(email);
        assert.equal(row!.status, 'pending');
        assert.equal(done.headers.location, `${base()}/contributions/${row!.id}/confirmed?moderation=pending`);
        const page = await app.inject({ method: 'GET', url: String(done.headers.location) });
        assert.ok(page.body.includes(translator('en')('contribution.confirmed.pending')));
        // Any id answers the same page whatever exists: no lookup, nothing to learn.
        const unknown = await app.inject({ method: 'GET', url: `${base()}/contributions/987654/confirmed?moderation=pending` });
        assert.equal(unknown.statusCode, 200);
        assert.equal(unknown.body.replace(/987654/g, String(row!.id)), page.body);
      } finally {
        await pdb(database.db).updateTable('consultations').set({ moderation: 'post' }).where('id', '=', fx.open.id).execute();
      }
    });

    test('a contribution sent to a consultation that closed meanwhile is refused (409) with the text as typed on the page, and nothing stored', async () => {
      const form = await openForm(`${base()}/contribute`, '10.0.7.1');
      const refused = await post(`${base('en', 'closed-call')}/contribute`, comment('late.writer@example.org', 'Line one <b>bold</b>\nline two'), '10.0.7.1', form);
      assert.equal(refused.statusCode, 409);
      assert.ok(refused.body.includes('What you wrote, to keep'));
      assert.ok(refused.body.includes('Line one &lt;b>bold&lt;/b>\nline two') || refused.body.includes('Line one &lt;b&gt;bold&lt;/b&gt;\nline two'), 'the text kept, escaped');
      assert.ok(!refused.body.includes('late.writer@example.org'), 'the address is not echoed on the page');
      assert.deepEqual(await htmlErrors(refused.body), []);
      assert.equal((await rowsOf('late.writer@example.org')).length, 0);
    });

    test('submit, mail in the page language, confirm exactly once, then shown on the thread', async () => {
      const email = 'drita.one@example.org';
      const sent = await submit(comment(email, 'Një park i ri <b>me</b> stola.'), '10.0.1.1', 'sq');
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `${base('sq')}/contribute/sent`);
      const sentPage = await app.inject({ method: 'GET', url: String(sent.headers.location) });
      assert.equal(sentPage.statusCode, 200);
      assert.deepEqual(await htmlErrors(sentPage.body), []);
      let [row] = await rowsOf(email);
      assert.equal(row!.status, 'unconfirmed');
      assert.equal(row!.locale, 'sq');
      assert.ok(row!.email_hash && row!.email_hash !== email, 'the address is hashed for erasure');
      const [mail] = await mailsTo(email);
      assert.equal(mail!.subject, translator('sq')('contribution.mail.confirm.subject'));
      const token = confirmToken(mail!.text_body)!;
      assert.ok(token && mail!.text_body.includes(`/sq/contributions/confirm/${token}`));
      assert.ok(eraseToken(mail!.text_body), 'the message carries an erasure link');
      assert.notEqual(row!.confirm_token_hash, token, 'only the token hash is stored');

      // A mail scanner opening the link changes nothing.
      const page = await app.inject({ method: 'GET', url: `/sq/contributions/confirm/${token}` });
      assert.equal(page.statusCode, 200);
      assert.deepEqual(await htmlErrors(page.body), []);
      assert.equal((await rowsOf(email))[0]!.status, 'unconfirmed');

      const first = await confirm(token, 'sq');
      assert.equal(first.statusCode, 303);
      assert.equal(first.headers.location, `${base('sq')}/contributions/${row!.id}/confirmed`);
      [row] = await rowsOf(email);
      assert.equal(row!.status, 'published');
      const publishedAt = row!.published_at;
      const again = await confirm(token, 'sq');
      assert.equal(again.statusCode, 303, 'confirming twice is harmless');
      assert.equal((await rowsOf(email))[0]!.published_at, publishedAt, 'published once');
      const confirmed = await app.inject({ method: 'GET', url: String(first.headers.location) });
      assert.equal(confirmed.statusCode, 200);
      assert.ok(confirmed.body.includes(`#contribution-${row!.id}`));

      const consultation = (await findConsultationById(database.db, fx.open.id))!;
      const thread = await loadContributionThread(database.db, consultation);
      const html = (await ContributionsSection({ ctx: { locale: 'sq', t: translator('sq'), path: '/' }, consultation, thread, open: true })) as string;
      assert.ok(html.includes('Drita') && html.includes('Një park i ri &lt;b>me&lt;/b> stola.'), 'the text is shown escaped');
      assert.ok(!html.includes(email));
      assert.ok(html.includes(`${base('sq')}/contribute?reply=${row!.id}`) && html.includes(`${base('sq')}/contributions/${row!.id}/flag`));
      const docs = await database.db.selectFrom('search_documents').selectAll().where('doc_key', '=', `contribution:${row!.id}`).execute();
      assert.equal(docs.length, 1, 'published contributions are searchable');
      assert.ok(!JSON.stringify(docs).includes('drita.one') && !JSON.stringify(docs).includes('Drita'), 'no address or name in search');
      // The one document written on confirming is the one the jurisdiction's full refresh builds.
      await refreshSearchDocuments(database.db, fx.jurisdictionId);
      const rebuilt = await database.db.selectFrom('search_documents').selectAll().where('doc_key', '=', `contribution:${row!.id}`).execute();
      assert.deepEqual(rebuilt, docs);
    });

    test('an expired or unknown confirmation link is a clear page and confirms nothing', async () => {
      const email = 'late.person@example.org';
      await submit(comment(email), '10.0.2.1');
      const token = confirmToken((await mailsTo(email))[0]!.text_body)!;
      await pdb(database.db).updateTable('contributions').set({ confirm_expires_at: '2000-01-01T00:00:00.000Z' }).where('email', '=', email).execute();
      const page = await app.inject({ method: 'GET', url: `/en/contributions/confirm/${token}` });
      assert.equal(page.statusCode, 410);
      assert.ok(page.body.includes('This link does not work'));
      assert.deepEqual(await htmlErrors(page.body), []);
      const form = await openForm(`${base()}/contribute`);
      const posted = await post(`/en/contributions/confirm/${token}`, [], '10.0.0.1', form);
      assert.equal(posted.statusCode, 410);
      assert.equal((await rowsOf(email))[0]!.status, 'unconfirmed');
      assert.equal((await app.inject({ method: 'GET', url: '/en/contributions/confirm/not-a-token' })).statusCode, 410);
    });

    test('the honeypot drops a submission silently with the same answer', async () => {
      const email = 'robot@example.org';
      const response = await submit(comment(email).map(([k, v]) => [k, k === 'website' ? 'https://spam.example' : v] as [string, string]), '10.0.3.1');
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, `${base()}/contribute/sent`);
      assert.equal((await rowsOf(email)).length, 0);
      assert.equal((await mailsTo(email)).length, 0);
    });

    test('rate limits: per address and per client IP, a 429 that keeps the text', async () => {
      const email = 'busy.person@example.org';
      for (let i = 0; i < 5; i++) assert.equal((await submit(comment(email, `idea ${i}`), `10.0.4.${i + 1}`)).statusCode, 303);
      const refused = await submit(comment(email, 'My sixth idea, kept as typed'), '10.0.4.99');
      assert.equal(refused.statusCode, 429);
      assert.ok(refused.body.includes('My sixth idea, kept as typed') && refused.body.includes('value="Drita"'));
      assert.ok(refused.body.includes('Too many contributions'));
      assert.deepEqual(await htmlErrors(refused.body), []);
      for (let i = 0; i < 20; i++) assert.equal((await submit(comment(`shared${i}@example.org`), '10.0.5.1')).statusCode, 303, `submission ${i}`);
      const shared = await submit(comment('shared-last@example.org', 'From the library'), '10.0.5.1');
      assert.equal(shared.statusCode, 429);
      assert.ok(shared.body.includes('From the library'));
      const buckets = await pdb(database.db).selectFrom('participation_buckets').selectAll().execute();
      assert.ok(buckets.length > 0);
      assert.ok(!JSON.stringify(buckets).includes('10.0.5.1') && !JSON.stringify(buckets).includes('busy.person'), 'no address or IP in clear');
    });

    test('refused forms: 422 with the error summary, everything typed kept, size limit', async () => {
      const missing = await submit([['kind', 'comment'], ['author_name', ''], ['email', 'not-an-address'], ['body', 'kept text'], ['website', '']], '10.0.6.1');
      assert.equal(missing.statusCode, 422);
      assert.ok(missing.body.includes('error-summary') && missing.body.includes('href="#field-author_name"') && missing.body.includes('href="#field-consent"'));
      assert.ok(missing.body.includes('kept text') && missing.body.includes('value="not-an-address"'));
      assert.deepEqual(await htmlErrors(missing.body), []);
      const long = 'x'.repeat(5001);
      const tooLong = await submit(comment('long@example.org', long), '10.0.6.2');
      assert.equal(tooLong.statusCode, 422);
      assert.ok(tooLong.body.includes('5,001') && tooLong.body.includes(long));
      const proposal = await submit([['kind', 'proposal'], ['author_name', 'Arben'], ['email', 'arben@example.org'], ['body', 'An idea'], ['ogp_value', 'bogus'], ['consent', 'yes']], '10.0.6.3', 'en', '?kind=proposal');
      assert.equal(proposal.statusCode, 422);
      assert.ok(proposal.body.includes('href="#field-theme"') && proposal.body.includes('href="#field-ogp_value"'));
      const ok = await submit([['kind', 'proposal'], ['author_name', 'Arben'], ['email', 'arben@example.org'], ['body', 'An idea'], ['theme', 'Open data'], ['ogp_value', 'civic_participation'], ['consent', 'yes']], '10.0.6.3', 'en', '?kind=proposal');
      assert.equal(ok.statusCode, 303);
      const [row] = await rowsOf('arben@example.org');
      assert.equal(row!.kind, 'proposal');
      assert.equal(row!.theme, 'Open data');
      assert.equal(row!.ogp_value, 'civic_participation');
    });

    test('hostile input in every field: escaped or refused with a message, never a 5xx', async () => {
      const hostile = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', 'abc\u202Edef', 'x'.repeat(100_000)];
      let n = 0;
      for (const value of hostile) {
        for (const field of ['author_name', 'email', 'body', 'theme']) {
          n++;
          const fields: [string, string][] = [['kind', 'proposal'], ['author_name', 'Name'], ['email', `h${n}@example.org`], ['body', 'Text'], ['theme', 'Theme'], ['consent', 'yes']];
          const changed = fields.map(([k, v]) => [k, k === field ? value : v] as [string, string]);
          const response = await submit(changed, `10.1.${n}.1`, 'en', '?kind=proposal');
          assert.ok(response.statusCode < 500, `${field}: ${response.statusCode}`);
          // Inside a quoted attribute `<` is inert; outside attributes nothing may open a tag, and no quote breaks out.
          const outsideAttributes = response.body.replace(/="[^"]*"/g, '=""');
          assert.ok(!outsideAttributes.includes('<script>alert(1)') && !outsideAttributes.includes('<img src=x'), `${field}: escaped`);
          if (response.statusCode === 422) {
            assert.ok(response.body.includes('error-summary'));
            const shown = response.body.replace(/&quot;|&#34;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
            assert.ok(shown.includes(value), `${field}: kept ${JSON.stringify(value.slice(0, 40))} ${/id="field-email"[^>]*>/.exec(response.body)?.[0]}`);
          }
        }
      }
      // NUL: refused with the "cannot be stored" message, the rest kept.
      const nul = await submit(comment('nul@example.org', 'before\u0000after'), '10.2.0.1');
      assert.equal(nul.statusCode, 422);
      assert.ok(nul.body.includes('cannot be stored') && nul.body.includes('beforeafter'));
      // Invalid UTF-8 in an urlencoded body.
      const form = await openForm(`${base()}/contribute`, '10.2.0.2');
      const raw = await app.inject({
        method: 'POST',
        url: `${base()}/contribute`,
        remoteAddress: '10.2.0.2',
        payload: `_csrf=${encodeURIComponent(form.token)}&kind=comment&author_name=%FF%FE&email=bad%C3%28@example.org&body=%E2%82&consent=yes`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { _csrf: form.cookie },
      });
      assert.ok(raw.statusCode < 500, `invalid UTF-8: ${raw.statusCode}`);
      // The stored hostile text, shown on the thread, stays inert.
      const row = await publishComment('inert@example.org', '<script>alert(1)</script> javascript:alert(1) \u202Eevil', '10.2.0.3', '', '<img src=x onerror=alert(1)>\u202E');
      const consultation = (await findConsultationById(database.db, fx.open.id))!;
      const html = (await ContributionsSection({ ctx: { locale: 'en', t: translator('en'), path: '/' }, consultation, thread: await loadContributionThread(database.db, consultation), open: true })) as string;
      assert.ok(html.includes(`id="contribution-${row.id}"`));
      assert.ok(!html.includes('<script>alert(1)') && !html.includes('<img src=x'));
      assert.ok(!/href="javascript:/i.test(html));
      assert.match(html, /<bdi[^>]*>&lt;img src=x onerror=alert\(1\)>\u202E<\/bdi>/, 'the name is isolated from the text around it');
    });

    test('replies: three levels, a published parent of the same consultation', async () => {
      const c0 = await publishComment('level0@example.org', 'Level zero', '10.3.0.1');
      const c1 = await publishComment('level1@example.org', 'Level one', '10.3.0.2', `?reply=${c0.id}`);
      const c2 = await publishComment('level2@example.org', 'Level two', '10.3.0.3', `?reply=${c1.id}`);
      assert.equal(c1.depth, 1);
      assert.equal(c2.depth, 2);
      assert.equal(c2.parent_id, c1.id);
      const page = await openForm(`${base()}/contribute?reply=${c1.id}`);
      assert.ok(page.body.includes('Level one'), 'the reply form quotes the comment');
      assert.deepEqual(await htmlErrors(page.body), []);
      const tooDeep = await app.inject({ method: 'GET', url: `${base()}/contribute?reply=${c2.id}` });
      assert.equal(tooDeep.statusCode, 404);
      assert.ok(tooDeep.body.includes('cannot be answered here'));
      const form = await openForm(`${base()}/contribute`);
      const postDeep = await post(`${base()}/contribute?reply=${c2.id}`, comment('deep@example.org'), '10.3.0.4', form);
      assert.equal(postDeep.statusCode, 404);
      await submit(comment('unconfirmed.parent@example.org'), '10.3.0.5');
      const [unconfirmed] = await rowsOf('unconfirmed.parent@example.org');
      assert.equal((await app.inject({ method: 'GET', url: `${base()}/contribute?reply=${unconfirmed!.id}` })).statusCode, 404);
      assert.equal((await app.inject({ method: 'GET', url: `${base('en', 'closed-call')}/contribute?reply=${c0.id}` })).statusCode, 200, 'closed: the closed page');
      assert.equal((await app.inject({ method: 'GET', url: `${base()}/contribute?reply=abc` })).statusCode, 404);

      const consultation = (await findConsultationById(database.db, fx.open.id))!;
      const thread = await loadContributionThread(database.db, consultation);
      const top = thread.comments!.find((n) => n.id === c0.id)!;
      assert.equal(top.replies[0]!.id, c1.id);
      assert.equal(top.replies[0]!.replies[0]!.id, c2.id);
      const html = (await ContributionsSection({ ctx: { locale: 'en', t: translator('en'), path: '/' }, consultation, thread, open: true })) as string;
      assert.ok(!html.includes(`?reply=${c2.id}`), 'no reply link below the third level');
    });

    test('flags: one per client, the threshold hides it until a moderator decides', async () => {
      const target = await publishComment('flagged@example.org', 'Buy cheap watches', '10.4.0.1');
      const child = await publishComment('child@example.org', 'A reply under it', '10.4.0.2', `?reply=${target.id}`);
      const path = `${base()}/contributions/${target.id}/flag`;
      const page = await openForm(path, '10.4.1.1');
      assert.deepEqual(await htmlErrors(page.body), []);
      const missing = await post(path, [['reason', ''], ['details', 'kept details']], '10.4.1.1', page);
      assert.equal(missing.statusCode, 422);
      assert.ok(missing.body.includes('kept details'));
      const first = await post(path, [['reason', 'spam'], ['details', '']], '10.4.1.1', await openForm(path, '10.4.1.1'));
      assert.equal(first.statusCode, 303);
      assert.equal(first.headers.location, `${path}/sent`);
      const twice = await post(path, [['reason', 'spam'], ['details', '']], '10.4.1.1', await openForm(path, '10.4.1.1'));
      assert.equal(twice.statusCode, 303);
      let [row] = await pdb(database.db).selectFrom('contributions').selectAll().where('id', '=', target.id).execute();
      assert.equal(row!.flag_count, 1, 'one flag per client');
      assert.equal(row!.status, 'published');
      await post(path, [['reason', 'abusive'], ['details', 'second client']], '10.4.1.2', await openForm(path, '10.4.1.2'));
      [row] = await pdb(database.db).selectFrom('contributions').selectAll().where('id', '=', target.id).execute();
      assert.equal(row!.flag_count, 2);
      assert.equal(row!.status, 'pending', 'hidden at the threshold');
      const flags = await pdb(database.db).selectFrom('contribution_flags').selectAll().where('contribution_id', '=', target.id).execute();
      assert.ok(!JSON.stringify(flags).includes('10.4.1'), 'no IP stored');
      assert.equal((await app.inject({ method: 'GET', url: path })).statusCode, 404, 'a hidden contribution cannot be flagged again');
      const consultation = (await findConsultationById(database.db, fx.open.id))!;
      const html = (await ContributionsSection({ ctx: { locale: 'en', t: translator('en'), path: '/' }, consultation, thread: await loadContributionThread(database.db, consultation), open: true })) as string;
      assert.ok(!html.includes('Buy cheap watches'), 'the hidden text is not shown');
      assert.ok(html.includes('hidden by a moderator') && html.includes('A reply under it'), 'a placeholder keeps the thread');
      assert.ok(html.includes(`id="contribution-${child.id}"`));
    });

    test('the erasure link anonymises every contribution of the address and deletes unconfirmed ones', async () => {
      const email = 'erase.me@example.org';
      const published = await publishComment(email, 'I want to be forgotten', '10.5.0.1', '', 'Forget Me');
      await submit(comment(email, 'never confirmed'), '10.5.0.2');
      const other = await publishComment('keep.me@example.org', 'Keep me', '10.5.0.3', '', 'Keeper');
      const token = eraseToken((await mailsTo(email)).at(-1)!.text_body)!;
      const page = await app.inject({ method: 'GET', url: `/fr/privacy/erase/${token}` });
      assert.equal(page.statusCode, 200);
      assert.deepEqual(await htmlErrors(page.body), []);
      const form = await openForm(`/en/privacy/erase/${token}`);
      const done = await post(`/en/privacy/erase/${token}`, [], '10.5.0.4', form);
      assert.equal(done.statusCode, 200);
      assert.ok(done.body.includes('2 contributions'), done.body.slice(-800));
      const rows = await pdb(database.db).selectFrom('contributions').selectAll().where('id', '=', published.id).execute();
      assert.equal(rows[0]!.author_name, null);
      assert.equal(rows[0]!.email, null);
      assert.equal(rows[0]!.email_hash, null);
      assert.ok(rows[0]!.anonymised_at);
      assert.equal(rows[0]!.body, 'I want to be forgotten');
      assert.equal((await rowsOf(email)).length, 0);
      assert.equal((await rowsOf('keep.me@example.org'))[0]!.author_name, 'Keeper', 'others untouched');
      assert.ok(other);
      const again = await post(`/en/privacy/erase/${token}`, [], '10.5.0.4', await openForm(`${base()}/contribute`));
      assert.equal(again.statusCode, 410, 'a used link');
      const events = await database.db.selectFrom('audit_events').select('data').where('action', '=', 'privacy.erased').execute();
      assert.equal(events.length, 1);
      assert.ok(!events[0]!.data.includes('erase.me'), 'the audit event holds counts only');
      const consultation = (await findConsultationById(database.db, fx.open.id))!;
      const html = (await ContributionsSection({ ctx: { locale: 'en', t: translator('en'), path: '/' }, consultation, thread: await loadContributionThread(database.db, consultation), open: true })) as string;
      assert.ok(html.includes('Anonymised') && !html.includes('Forget Me'));
    });

    test('no e-mail address, IP or one-time token on a page, in the audit log or in the server log', async () => {
      await submit(comment(SECRET_ADDRESS, 'planted'), '10.99.88.77');
      const mail = (await mailsTo(SECRET_ADDRESS))[0]!;
      const token = confirmToken(mail.text_body)!;
      const erase = eraseToken(mail.text_body)!;
      const pages = [
        `${base()}/contribute`,
        `${base()}/contribute/sent`,
        `/en/contributions/confirm/${token}`,
        `/en/privacy/erase/${erase}`,
      ];
      await confirm(token);
      const [row] = await rowsOf(SECRET_ADDRESS);
      pages.push(`${base()}/contributions/${row!.id}/confirmed`, `${base()}/contributions/${row!.id}/flag`);
      for (const path of pages) {
        const response = await app.inject({ method: 'GET', url: path });
        assert.ok(response.statusCode < 500);
        assert.ok(!response.body.includes(SECRET_ADDRESS) && !response.body.includes('10.99.88.77'), path);
      }
      const text = log.join('\n');
      assert.ok(text.length > 0, 'the log was captured');
      assert.ok(!text.includes(SECRET_ADDRESS) && !text.includes('planted.secret'), 'no address in the log');
      assert.ok(!text.includes(token) && !text.includes(erase), 'no token in the log');
      assert.ok(!text.includes('10.99.88.77'), 'no IP in the log');
      const audit = await database.db.selectFrom('audit_events').select('data').execute();
      assert.ok(!JSON.stringify(audit).includes(SECRET_ADDRESS) && !JSON.stringify(audit).includes('10.99.88.77'));
    });
  });
}
