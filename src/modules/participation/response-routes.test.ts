import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { DIALECTS } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { csrfFromSignIn, insertPeopleFixture, type PeopleFixture, type Person } from '../../../test/people-fixture.js';
import { translator } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import type { PageContext } from '../../ui/context.js';
import { dayIn } from '../../i18n/index.js';
import { addDays } from '../standards/checklist.js';
import { submitContribution } from './contribution-commands.js';
import { findConsultationById } from './consultation-queries.js';
import { loadResponseTable, ResponseTableSection } from './response-section.js';
import { insertTestConsultation, insertTestContribution } from '../../../test/response-fixture.js';
import { responseRecent } from './response-sources.js';
import { pdb } from './tables.js';
import { tdb } from '../transparency/tables.js';

/**
 * The reasoned responses on both databases: who may answer (the jurisdiction's administrators and
 * coordinators), the form's refusals (outcome, reasons required, a commitment of another
 * jurisdiction) keeping what was typed, publishing refused until every contribution is answered,
 * then the log entries (no name, no address), the contributors' e-mails in their language, the
 * public table and its CSV (BOM, translated header, RFC 4180 quoting, formulas neutralised).
 */

const J = '/en/admin/jurisdictions/gjakova/consultations/budget-2025/responses';

for (const dialect of DIALECTS) {
  describe(`reasoned responses [${dialect}]`, () => {
    let t: TestApp;
    let f: PeopleFixture;
    let csrf: { token: string; cookie: string };
    let consultationId = 0;
    const ids = { comment: 0, proposal: 0, hidden: 0, anonymous: 0, pending: 0, refused: 0 };
    let commitmentId = 0;
    let milestoneId = 0;
    let prizrenCommitmentId = 0;

    before(async () => {
      t = await openTestApp(dialect);
      f = await insertPeopleFixture(t.database.db);
      csrf = await csrfFromSignIn(t.app);
      const db = t.database.db;
      consultationId = await insertTestConsultation(db, { jurisdictionId: f.gjakovaId, slug: 'budget-2025', planId: f.planId, closesOn: '2024-03-01' });
      ids.comment = await insertTestContribution(db, { consultationId, body: '=HYPERLINK("http://evil.example","click"), with "quotes"\nand a second line', locale: 'sq', email: 'arta.contributor@example.org', authorName: 'Arta K.' });
      ids.proposal = await insertTestContribution(db, { consultationId, kind: 'proposal', theme: 'Open data', body: 'Publish contracts', locale: 'fr', email: 'camille@example.org', authorName: 'Camille' });
      ids.hidden = await insertTestContribution(db, { consultationId, status: 'hidden', kind: 'proposal', theme: 'Secret theme', body: 'Insulting words', locale: 'en', email: 'hidden.person@example.org', authorName: 'Hidden Person' });
      ids.anonymous = await insertTestContribution(db, { consultationId, body: '+1 more buses', locale: 'en', email: null, authorName: null });
      ids.pending = await insertTestContribution(db, { consultationId, status: 'pending', body: 'Pending text', locale: 'en' });
      // Refused in pre-moderation: hidden without ever being published, so not answerable.
      ids.refused = await insertTestContribution(db, { consultationId, status: 'hidden', publishedAt: null, kind: 'proposal', theme: 'Refused theme', body: 'Refused before publication', locale: 'en', email: 'refused.person@example.org', authorName: 'Refused Person' });
      const c = await db.selectFrom('commitments').select('id').where('code', '=', 'XKGJA0001').executeTakeFirstOrThrow();
      commitmentId = c.id;
      milestoneId = (await db.selectFrom('milestones').select('id').where('commitment_id', '=', commitmentId).orderBy('position').executeTakeFirstOrThrow()).id;
      const now = new Date().toISOString();
      const plan = await db
        .insertInto('action_plans')
        .values({ jurisdiction_id: f.otherJurisdictionId, slug: 'prizren-plan', title: '{"en":"Prizren plan"}', starts_on: '2024-01-01', ends_on: '2025-12-31', submitted_on: null, status: 'draft', foreword: '{}', cocreation_groups: null, cocreation_public_meetings: null, cocreation_summary: '{}', is_demo: 0, created_at: now, updated_at: now } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      prizrenCommitmentId = (
        await db
          .insertInto('commitments')
          .values({ action_plan_id: plan.id, code: 'XKPRZ0001', position: 1, title: '{"en":"Prizren commitment"}', problem: '{}', status_quo: '{}', action: '{}', contribution: '{}', long_term_goal: '{}', ogp_values: '[]', policy_areas: '[]', starts_on: '2024-01-01', ends_on: '2025-12-31', created_at: now, updated_at: now } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    });
    after(async () => {
      await t?.close();
    });

    const get = (url: string, who?: Person) => t.app.inject({ method: 'GET', url, cookies: who ? { besa_session: f.sessions[who] } : {} });
    const post = (url: string, who: Person, fields: [string, string][] = []) =>
      t.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams([['_csrf', csrf.token], ...fields]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { _csrf: csrf.cookie, besa_session: f.sessions[who] },
      });
    const respond = (id: number, fields: [string, string][], who: Person = 'coordinator', query = '') => post(`${J}/${id}${query}`, who, fields);
    const consultation = async () => (await findConsultationById(t.database.db, consultationId))!;

    test('who may answer: the jurisdiction’s administrators and coordinators; pages valid in every locale; no address shown', async () => {
      for (const who of ['admin', 'coordinator'] as const) assert.equal((await get(J, who)).statusCode, 200, who);
      for (const who of ['otherAdmin', 'moderator', 'holder', 'secretary', 'monitoring', 'noRole'] as const) assert.equal((await get(J, who)).statusCode, 403, who);
      for (const locale of LOCALES) {
        for (const path of ['', `/${ids.comment}`]) {
          const res = await get(`${J.replace('/en/', `/${locale}/`)}${path}`, 'coordinator');
          assert.equal(res.statusCode, 200, `${locale}${path}`);
          assert.deepEqual(await htmlErrors(res.body), [], `${locale}${path}`);
          assert.ok(!res.body.includes('@example.org'), 'no address');
        }
      }
      const list = await get(J, 'coordinator');
      assert.match(list.body, /0 of 4 contributions answered \(0%\)/);
      assert.ok(!list.body.includes('Pending text'), 'a pending contribution is not answered yet');
      assert.ok(!list.body.includes('Refused before publication'), 'a contribution hidden without ever being published is not answered');
      assert.equal((await get(`${J}/${ids.pending}`, 'coordinator')).statusCode, 404);
      assert.equal((await get(`${J}/${ids.refused}`, 'coordinator')).statusCode, 404);
      assert.equal((await get(`${J}/999999`, 'coordinator')).statusCode, 404);
      assert.equal((await get('/en/admin/jurisdictions/gjakova/consultations/nothing-here/responses', 'coordinator')).statusCode, 404);
    });

    test('refusals keep what was typed: outcome and reasons required, a commitment of another jurisdiction refused, NUL refused', async () => {
      const empty = await respond(ids.comment, [['outcome', ''], ['reasons', ''], ['shaped', '']]);
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /Choose one of the outcomes/);
      assert.match(empty.body, /Give the reasons for the outcome/);
      const foreign = await respond(ids.comment, [['outcome', 'accepted'], ['reasons', 'Taken up <script>alert(1)</script>'], ['shaped', `c:${prizrenCommitmentId}`]]);
      assert.equal(foreign.statusCode, 422);
      assert.match(foreign.body, /Choose a commitment or milestone of this jurisdiction/);
      assert.ok(foreign.body.includes('Taken up &lt;script>alert(1)&lt;/script>') || foreign.body.includes('Taken up &lt;script&gt;'), 'reasons kept, escaped');
      assert.match(foreign.body, /<option value="accepted" selected>/);
      assert.deepEqual(await htmlErrors(foreign.body), []);
      const nul = await respond(ids.comment, [['outcome', 'accepted'], ['reasons', 'Bad\u0000text']]);
      assert.equal(nul.statusCode, 422);
      assert.match(nul.body, /cannot be stored/);
      const big = await respond(ids.comment, [['outcome', 'accepted'], ['reasons', 'y'.repeat(100_000)]]);
      assert.equal(big.statusCode, 422);
      // Invalid UTF-8 (raw bytes) and an RTL override: never a 5xx; the override is kept as typed, shown escaped.
      const raw = Buffer.concat([Buffer.from(`_csrf=${encodeURIComponent(csrf.token)}&outcome=bogus&reasons=`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(encodeURIComponent('\u202Eevil'))]);
      const invalid = await t.app.inject({ method: 'POST', url: `${J}/${ids.comment}`, payload: raw, headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { _csrf: csrf.cookie, besa_session: f.sessions.coordinator } });
      assert.ok(invalid.statusCode < 500, `invalid UTF-8: ${invalid.statusCode}`);
      assert.equal(invalid.statusCode, 422);
      assert.ok(invalid.body.includes('\u202Eevil'));
      const count = await pdb(t.database.db)
        .selectFrom('contribution_responses')
        .innerJoin('contributions', 'contributions.id', 'contribution_responses.contribution_id')
        .select('contribution_id')
        .where('contributions.consultation_id', '=', consultationId)
        .execute();
      assert.equal(count.length, 0);
    });

    test('publishing is refused until every contribution is answered; a draft response is not public', async () => {
      assert.equal((await respond(ids.comment, [['outcome', 'partly_accepted'], ['reasons', 'Monthly is too often; quarterly, yes.'], ['shaped', `m:${milestoneId}`]])).statusCode, 303);
      assert.equal((await respond(ids.comment, [['outcome', 'partly_accepted'], ['reasons', 'Çdo muaj është shumë shpesh; çdo tremujor, po.'], ['shaped', `m:${milestoneId}`], ['content', 'sq']], 'coordinator', '?content=sq')).statusCode, 303);
      // Contributions wait for a moderator: that is said first (each may yet need an answer).
      const confirm = await post(`${J}/publish`, 'coordinator');
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /1 contribution waits for a moderator’s decision/);
      const refused = await post(`${J}/publish`, 'coordinator', [['confirm', 'yes']]);
      assert.equal(refused.statusCode, 422);
      assert.equal((await consultation()).respondedAt, null);
      assert.equal((await t.app.inject({ url: '/en/gjakova/consultations/budget-2025/responses.csv' })).statusCode, 404, 'no CSV before the table is published');
      const entries = await tdb(t.database.db).selectFrom('transparency_entries').select('entity_type').where('entity_type', '=', 'contribution_response').execute();
      assert.equal(entries.length, 0, 'drafts are not in the log');
    });

    test('answer all, publish: responded, log entries without names or addresses, contributors told in their language', async () => {
      assert.equal((await respond(ids.proposal, [['outcome', 'accepted'], ['reasons', 'Les contrats seront publiés.'], ['shaped', `c:${commitmentId}`], ['content', 'fr']], 'coordinator', '?content=fr')).statusCode, 303);
      assert.equal((await respond(ids.hidden, [['outcome', 'out_of_scope'], ['reasons', 'Not about the plan.']])).statusCode, 303);
      assert.equal((await respond(ids.anonymous, [['outcome', 'not_accepted'], ['reasons', 'No budget for buses this year.']], 'admin')).statusCode, 303);
      // Every answerable contribution has an outcome, but one still waits for a moderator: refused, nothing set, no button.
      const waiting = await post(`${J}/publish`, 'coordinator');
      assert.equal(waiting.statusCode, 200);
      assert.match(waiting.body, /1 contribution waits for a moderator’s decision/);
      assert.ok(!waiting.body.includes('name="confirm"'), 'no confirmation button');
      const held = await post(`${J}/publish`, 'coordinator', [['confirm', 'yes']]);
      assert.equal(held.statusCode, 422);
      assert.match(held.body, /1 contribution waits for a moderator’s decision/);
      assert.deepEqual(await htmlErrors(held.body), []);
      assert.equal((await consultation()).respondedAt, null);
      const list = await get(J, 'coordinator');
      assert.ok(!list.body.includes(`action="${J}/publish"`), 'the publish button is hidden while a contribution waits');
      assert.match(list.body, /1 contribution waits for a moderator’s decision/);
      // The moderator refuses it (hidden without ever being published): it needs no response.
      await post(`/en/admin/moderation/${ids.pending}/hide`, 'moderator', [[`reason_${ids.pending}`, 'Off topic']]);
      assert.equal((await pdb(t.database.db).selectFrom('contributions').select('status').where('id', '=', ids.pending).executeTakeFirstOrThrow()).status, 'hidden');
      assert.ok((await get(J, 'coordinator')).body.includes(`action="${J}/publish"`), 'the publish button once allowed');
      const confirm = await post(`${J}/publish`, 'coordinator');
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /tells 3 contributors by e-mail/);
      assert.deepEqual(await htmlErrors(confirm.body), []);
      const done = await post(`${J}/publish`, 'coordinator', [['confirm', 'yes']]);
      assert.equal(done.statusCode, 303);
      assert.ok((await consultation()).respondedAt);
      const entries = await tdb(t.database.db).selectFrom('transparency_entries').selectAll().where('entity_type', 'in', ['contribution_response', 'consultation']).execute();
      assert.equal(entries.filter((e) => e.entity_type === 'contribution_response').length, 4);
      const audit = await t.database.db.selectFrom('audit_events').select('data').where('entity_type', 'in', ['contribution_response', 'consultation']).execute();
      for (const text of [...entries.map((e) => JSON.stringify(e)), ...audit.map((a) => a.data)]) {
        for (const secret of ['@example.org', 'Arta', 'Camille', 'Hidden Person', 'Insulting words', 'HYPERLINK', 'Refused', 'Secret theme']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
      }
      assert.ok(entries.some((e) => JSON.stringify(e).includes('Monthly is too often')), 'the reasons are published');
      const mail = await t.database.db.selectFrom('mail_outbox').selectAll().execute();
      const to = (address: string) => mail.filter((m) => m.to_address === address);
      // Arta also wrote the pending comment the moderator hid (and was told so): one message of each.
      const arta = to('arta.contributor@example.org').filter((m) => /Çfarë u bë me kontributin tuaj/.test(m.subject));
      assert.equal(arta.length, 1);
      assert.equal(to('arta.contributor@example.org').length, 2);
      assert.ok(arta[0]!.text_body.includes('Çdo muaj është shumë shpesh'), 'the reasons in the author’s language');
      assert.ok(arta[0]!.text_body.includes('/sq/privacy'), 'the erasure link');
      assert.match(to('camille@example.org')[0]!.text_body, /Suite donnée : Acceptée/);
      assert.ok(to('camille@example.org')[0]!.text_body.includes('XKGJA0001'));
      assert.equal(to('hidden.person@example.org').length, 1);
      assert.equal(to('refused.person@example.org').length, 0, 'a contribution refused before publication gets no response');
      // Publishing again changes nothing.
      assert.equal((await post(`${J}/publish`, 'coordinator', [['confirm', 'yes']])).statusCode, 303);
      assert.equal((await tdb(t.database.db).selectFrom('transparency_entries').select('leaf_index').where('entity_type', '=', 'contribution_response').execute()).length, 4);
      // A change after publication is published at once.
      assert.equal((await respond(ids.hidden, [['outcome', 'out_of_scope'], ['reasons', 'Not about this plan at all.']])).statusCode, 303);
      const updated = await tdb(t.database.db).selectFrom('transparency_entries').select('action').where('entity_type', '=', 'contribution_response').execute();
      assert.ok(updated.some((e) => e.action === 'contribution_response.updated'));
    });

    test('the CSV: BOM, translated header, RFC 4180 quoting, formulas neutralised, no address, demo column', async () => {
      const res = await t.app.inject({ url: '/sq/gjakova/consultations/budget-2025/responses.csv' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="gjakova-budget-2025-responses-sq\.csv"/);
      assert.ok(res.body.startsWith('\uFEFFNumri,Lloji,Tema,Autori,Kontributi,Rezultati,Arsyet,Zotimi ose hapi,Lidhja,Të dhëna demonstruese\r\n'));
      assert.ok(res.body.includes(`"'=HYPERLINK(""http://evil.example"",""click""), with ""quotes""\nand a second line"`), 'formula escaped, quotes doubled, quoted');
      assert.ok(res.body.includes(`,'+1 more buses,`), 'a leading + is escaped too');
      assert.ok(res.body.includes(',I anonimizuar,'));
      assert.ok(res.body.includes('Fshehur nga një moderator') && !res.body.includes('Insulting words'), 'a hidden contribution without its text');
      assert.ok(!res.body.includes('Hidden Person') && !res.body.includes('Secret theme'), 'a hidden contribution without its author’s name or theme');
      assert.ok(res.body.includes(`\r\n${ids.hidden},Propozim,,Fshehur nga një moderator,Fshehur nga një moderator,`), 'the hidden row keeps its number, kind and response');
      assert.ok(!res.body.includes('Refused') && !res.body.includes(`\r\n${ids.refused},`), 'a contribution refused before publication is not in the CSV');
      assert.equal(res.body.trimEnd().split('\r\n').length, 5, 'the header and the four answerable rows');
      assert.ok(!res.body.includes('@'), 'no address');
      assert.ok(res.body.includes('XKGJA0001'));
      assert.ok(res.body.trimEnd().split('\r\n').every((line) => line.endsWith(',jo') || line.endsWith('demonstruese') || !line.includes(',')), 'demo column last');
    });

    test('the public section: the table with outcome, reasons, the shaped milestone and the share; valid HTML', async () => {
      const c = await consultation();
      const data = await loadResponseTable(t.database.db, c);
      assert.equal(data.answered, 4);
      assert.equal(data.total, 4);
      for (const locale of ['en', 'sq'] as const) {
        const ctx = { locale, t: translator(locale) } as unknown as PageContext;
        const html = String(ResponseTableSection({ ctx, consultation: c, data }));
        const doc = `<!doctype html><html lang="${locale}"><head><title>t</title></head><body><main>${html}</main></body></html>`;
        assert.deepEqual(await htmlErrors(doc), [], locale);
        assert.ok(html.includes(`href="/${locale}/gjakova/consultations/budget-2025/responses.csv"`));
        assert.ok(!html.includes('@example.org'));
        assert.ok(!html.includes('Insulting words'));
        assert.ok(!html.includes('Hidden Person') && !html.includes('Secret theme'), 'a hidden contribution shows neither its author’s name nor its theme');
        assert.ok(html.includes(`id="response-${ids.hidden}"`), 'the hidden contribution keeps its row');
        assert.ok(!html.includes('Refused') && !html.includes(`id="response-${ids.refused}"`), 'a contribution refused before publication is not in the table');
        assert.ok(!html.includes('<script'));
        if (locale === 'en') {
          assert.match(html, /4 of 4 contributions answered \(100%\)/);
          assert.match(html, /Partly accepted/);
          assert.match(html, /Anonymised/);
          assert.ok(html.includes(`/en/gjakova/plans/2024-2025/commitments/XKGJA0001#XKGJA0001.`), 'the milestone it shaped');
        }
      }
    });

    test('search, recent changes and history: the responses are found and described, the contributors are not', async () => {
      // The seed's answered demonstration consultation has responses of its own: count this consultation's.
      const docs = (await t.database.db.selectFrom('search_documents').selectAll().where('kind', '=', 'response').execute()).filter((d) => d.path.includes('/budget-2025'));
      assert.equal(docs.length, 4);
      for (const d of docs) assert.ok(!JSON.stringify(d).includes('@example.org') && !JSON.stringify(d).includes('Arta'), 'no contributor in a search document');
      const search = await t.app.inject({ url: '/en/search?q=quarterly' });
      assert.equal(search.statusCode, 200);
      assert.ok(search.body.includes(`/en/gjakova/consultations/budget-2025#response-${ids.comment}`), 'a response is found by its reasons');
      const recent = (await responseRecent.recent(t.database.db, f.gjakovaId, 6)).filter((r) => r.path.includes('/budget-2025'));
      assert.equal(recent.length, 1);
      assert.equal(recent[0]!.path, '/gjakova/consultations/budget-2025#responses');
      const ctx = { locale: 'en', t: translator('en') } as unknown as PageContext;
      assert.match(recent[0]!.line(ctx), /Responses to 4 contributions published on/);
      for (const locale of ['en', 'sr-Cyrl'] as const) {
        const history = await t.app.inject({ url: `/${locale}/history/contribution_response/${ids.comment}` });
        assert.equal(history.statusCode, 200, locale);
        assert.deepEqual(await htmlErrors(history.body), [], locale);
        assert.ok(!history.body.includes('Arta') && !history.body.includes('@example.org'));
        if (locale === 'en') assert.match(history.body, /Partly accepted/);
      }
    });

    test('a consultation that is announced or still open (in the jurisdiction’s day) cannot have its table published: a clear refusal, nothing set, no button', async () => {
      const db = t.database.db;
      const zone = (await db.selectFrom('jurisdictions').select('time_zone').where('id', '=', f.gjakovaId).executeTakeFirstOrThrow()).time_zone || 'UTC';
      const today = dayIn(new Date().toISOString(), zone);
      const announced = await insertTestConsultation(db, { jurisdictionId: f.gjakovaId, slug: 'later-call', opensOn: addDays(today, 10), closesOn: addDays(today, 30) });
      // Open up to and including its closing day, today in Gjakova: every contribution is answered, still refused.
      const open = await insertTestConsultation(db, { jurisdictionId: f.gjakovaId, slug: 'open-call', opensOn: addDays(today, -20), closesOn: today });
      const answered = await insertTestContribution(db, { consultationId: open, body: 'Open comment', email: null });
      const base = '/en/admin/jurisdictions/gjakova/consultations';
      assert.equal((await post(`${base}/open-call/responses/${answered}`, 'coordinator', [['outcome', 'accepted'], ['reasons', 'Yes.']])).statusCode, 303);
      for (const [slug, id, words] of [
        ['later-call', announced, /has not opened yet/],
        ['open-call', open, /still open, up to and including/],
      ] as const) {
        const page = await get(`${base}/${slug}/responses`, 'coordinator');
        assert.equal(page.statusCode, 200);
        assert.ok(!page.body.includes(`action="${base}/${slug}/responses/publish"`), `${slug}: no publish button`);
        assert.match(page.body, words);
        assert.deepEqual(await htmlErrors(page.body), []);
        const res = await post(`${base}/${slug}/responses/publish`, 'coordinator', [['confirm', 'yes']]);
        assert.equal(res.statusCode, 422, slug);
        assert.match(res.body, words);
        assert.ok(!res.body.includes('name="confirm"'));
        assert.equal((await findConsultationById(db, id))!.respondedAt, null, `${slug}: nothing set`);
      }
      for (const locale of ['sq', 'sr-Latn', 'fr'] as const) {
        const res = await post(`${base.replace('/en/', `/${locale}/`)}/open-call/responses/publish`, 'coordinator', [['confirm', 'yes']]);
        assert.equal(res.statusCode, 422, locale);
        assert.deepEqual(await htmlErrors(res.body), [], locale);
      }
      // The day after its closing day it is closed: the table can be published.
      await pdb(db).updateTable('consultations').set({ closes_on: addDays(today, -1) }).where('id', '=', open).execute();
      assert.ok((await get(`${base}/open-call/responses`, 'coordinator')).body.includes(`action="${base}/open-call/responses/publish"`));
      assert.equal((await post(`${base}/open-call/responses/publish`, 'coordinator', [['confirm', 'yes']])).statusCode, 303);
      assert.ok((await findConsultationById(db, open))!.respondedAt);
    });

    test('a contribution confirmed after the table is published is refused (410) and not added; one confirmed after closing but before publication is added and must be answered', async () => {
      const db = t.database.db;
      const zone = (await db.selectFrom('jurisdictions').select('time_zone').where('id', '=', f.gjakovaId).executeTakeFirstOrThrow()).time_zone || 'UTC';
      const today = dayIn(new Date().toISOString(), zone);
      const id = await insertTestConsultation(db, { jurisdictionId: f.gjakovaId, slug: 'late-call', opensOn: addDays(today, -5), closesOn: addDays(today, 5) });
      const c = (await findConsultationById(db, id))!;
      const send = async (email: string) => {
        await submitContribution(db, { consultationId: id, parentId: null, kind: 'comment', authorName: 'Late Person', email, body: `Sent while open by ${email}`, theme: '', ogpValue: '', consent: true, locale: 'en' }, { publicUrl: 'https://besa.example.org', ip: `203.0.113.${Math.floor(Math.random() * 200) + 1}`, consultation: c });
        const mail = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
        return /\/contributions\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
      };
      const early = await send('early.late@example.org');
      const late = await send('late.late@example.org');
      // Closed (yesterday was the last day), table not published: confirming still publishes it, and it needs a response.
      await pdb(db).updateTable('consultations').set({ closes_on: addDays(today, -1) }).where('id', '=', id).execute();
      const confirmPost = (token: string) =>
        t.app.inject({ method: 'POST', url: `/en/contributions/confirm/${token}`, payload: new URLSearchParams([['_csrf', csrf.token]]).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { _csrf: csrf.cookie } });
      assert.equal((await confirmPost(early)).statusCode, 303);
      const earlyRow = await pdb(db).selectFrom('contributions').select(['id', 'status']).where('email', '=', 'early.late@example.org').executeTakeFirstOrThrow();
      assert.equal(earlyRow.status, 'published');
      const base = '/en/admin/jurisdictions/gjakova/consultations/late-call/responses';
      const unanswered = await post(`${base}/publish`, 'coordinator', [['confirm', 'yes']]);
      assert.equal(unanswered.statusCode, 422, 'it must be answered first');
      assert.match(unanswered.body, /1 contribution has no outcome yet \(of 1\)/);
      assert.ok(!(await get(base, 'coordinator')).body.includes(`action="${base}/publish"`), 'no publish button while one has no outcome');
      assert.equal((await post(`${base}/${earlyRow.id}`, 'coordinator', [['outcome', 'not_accepted'], ['reasons', 'Considered.']])).statusCode, 303);
      assert.equal((await post(`${base}/publish`, 'coordinator', [['confirm', 'yes']])).statusCode, 303);
      // Published: the other link no longer adds anything (its page and the button both refuse, 410).
      const lateLink = await t.app.inject({ url: `/en/contributions/confirm/${late}` });
      assert.equal(lateLink.statusCode, 410);
      assert.match(lateLink.body, /The responses to this consultation are already published/, 'the page says why');
      const refused = await confirmPost(late);
      assert.equal(refused.statusCode, 410);
      assert.match(refused.body, /The responses to this consultation are already published/);
      const lateRow = await pdb(db).selectFrom('contributions').select(['status', 'confirmed_at', 'published_at']).where('email', '=', 'late.late@example.org').executeTakeFirstOrThrow();
      assert.deepEqual(lateRow, { status: 'unconfirmed', confirmed_at: null, published_at: null });
      const table = await loadResponseTable(db, (await findConsultationById(db, id))!);
      assert.deepEqual([table.answered, table.total], [1, 1]);
    });

    test('publishing and a confirmation at the same moment: never a table published with a contribution confirmed after it', async () => {
      const db = t.database.db;
      const zone = (await db.selectFrom('jurisdictions').select('time_zone').where('id', '=', f.gjakovaId).executeTakeFirstOrThrow()).time_zone || 'UTC';
      const today = dayIn(new Date().toISOString(), zone);
      for (let round = 0; round < 4; round++) {
        const slug = `race-${round}`;
        const id = await insertTestConsultation(db, { jurisdictionId: f.gjakovaId, slug, opensOn: addDays(today, -5), closesOn: addDays(today, 5) });
        const c = (await findConsultationById(db, id))!;
        const email = `race.${round}@example.org`;
        await submitContribution(db, { consultationId: id, parentId: null, kind: 'comment', authorName: 'Racer', email, body: 'Sent while open', theme: '', ogpValue: '', consent: true, locale: 'en' }, { publicUrl: 'https://besa.example.org', ip: `198.51.100.${round + 1}`, consultation: c });
        const mail = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', email).executeTakeFirstOrThrow();
        const token = /\/contributions\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
        await pdb(db).updateTable('consultations').set({ closes_on: addDays(today, -1) }).where('id', '=', id).execute();
        const [published, confirmed] = await Promise.all([
          post(`/en/admin/jurisdictions/gjakova/consultations/${slug}/responses/publish`, 'coordinator', [['confirm', 'yes']]),
          t.app.inject({ method: 'POST', url: `/en/contributions/confirm/${token}`, payload: new URLSearchParams([['_csrf', csrf.token]]).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { _csrf: csrf.cookie } }),
        ]);
        const responded = !!(await findConsultationById(db, id))!.respondedAt;
        const row = await pdb(db).selectFrom('contributions').select('status').where('email', '=', email).executeTakeFirstOrThrow();
        if (responded) {
          assert.equal(published.statusCode, 303);
          assert.equal(confirmed.statusCode, 410, `round ${round}: confirmed after the table`);
          assert.equal(row.status, 'unconfirmed');
        } else {
          assert.equal(published.statusCode, 422, `round ${round}: the new contribution needs its answer first`);
          assert.equal(confirmed.statusCode, 303);
          assert.equal(row.status, 'published');
        }
      }
    });

    test('a draft consultation’s table cannot be published: a clear refusal, nothing set', async () => {
      const draft = await insertTestConsultation(t.database.db, { jurisdictionId: f.gjakovaId, slug: 'draft-call', published: false });
      const url = '/en/admin/jurisdictions/gjakova/consultations/draft-call/responses/publish';
      const res = await post(url, 'coordinator', [['confirm', 'yes']]);
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /not published yet/);
      assert.equal((await findConsultationById(t.database.db, draft))!.respondedAt, null);
    });
  });
}
