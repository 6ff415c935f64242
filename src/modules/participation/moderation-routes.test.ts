import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { DIALECTS } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { csrfFromSignIn, insertPeopleFixture, type PeopleFixture, type Person } from '../../../test/people-fixture.js';
import { LOCALES } from '../../i18n/locales.js';
import { tellModerators } from './moderation-notify.js';
import { insertTestConsultation, insertTestContribution } from '../../../test/response-fixture.js';
import { pdb } from './tables.js';

/**
 * The moderation queue on both databases: each moderator sees the contributions of their own
 * jurisdictions only (another jurisdiction's item is a 404 and stays as it was), approves pending
 * ones, hides with a reason (required; the author is told by e-mail in the language they wrote in)
 * and restores; nothing in the audit trail names the contributor; the page is valid HTML in every
 * locale and shows hostile text escaped.
 */

const Q = '/en/admin/moderation';
const AUTHOR_EMAIL = 'arta.contributor@example.org';

for (const dialect of DIALECTS) {
  describe(`moderation queue [${dialect}]`, () => {
    let t: TestApp;
    let f: PeopleFixture;
    let csrf: { token: string; cookie: string };
    const ids = { flagged: 0, published: 0, prizren: 0, preModerated: 0 };

    before(async () => {
      t = await openTestApp(dialect);
      f = await insertPeopleFixture(t.database.db);
      csrf = await csrfFromSignIn(t.app);
      const db = t.database.db;
      const gjakova = await insertTestConsultation(db, { jurisdictionId: f.gjakovaId, slug: 'budget-2025', planId: f.planId });
      const pre = await insertTestConsultation(db, { jurisdictionId: f.gjakovaId, slug: 'parks', moderation: 'pre' });
      const prizren = await insertTestConsultation(db, { jurisdictionId: f.otherJurisdictionId, slug: 'river' });
      ids.flagged = await insertTestContribution(db, { consultationId: gjakova, status: 'pending', flags: ['Spam <b>link</b>', 'Insulting'], body: 'Flagged text <script>alert(1)</script>', locale: 'sq' });
      ids.published = await insertTestContribution(db, { consultationId: gjakova, status: 'published', body: 'Publish the minutes \u202Eevil\u202C please', locale: 'fr', email: 'camille@example.org', authorName: 'Camille' });
      ids.preModerated = await insertTestContribution(db, { consultationId: pre, status: 'pending', body: 'More benches in the park', locale: 'en', email: null });
      ids.prizren = await insertTestContribution(db, { consultationId: prizren, status: 'pending', body: 'Prizren river text', locale: 'sq' });
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
    const statusOf = async (id: number) => (await pdb(t.database.db).selectFrom('contributions').select(['status', 'hidden_reason', 'flag_count']).where('id', '=', id).executeTakeFirstOrThrow());
    const openFlags = async (id: number) => (await pdb(t.database.db).selectFrom('contribution_flags').select('id').where('contribution_id', '=', id).where('resolved_at', 'is', null).execute()).length;

    test('scope: the Gjakova moderator sees Gjakova’s items with the flags’ reasons and count, never Prizren’s nor an address', async () => {
      const res = await get(Q, 'moderator');
      assert.equal(res.statusCode, 200);
      assert.ok(res.body.includes(`id="contribution-${ids.flagged}"`));
      assert.ok(res.body.includes(`id="contribution-${ids.published}"`));
      assert.ok(!res.body.includes(`id="contribution-${ids.prizren}"`));
      assert.ok(!res.body.includes('Prizren river text'));
      assert.match(res.body, /Flagged 2 times, because:/);
      assert.ok(res.body.includes('Spam &lt;b>link&lt;/b>') || res.body.includes('Spam &lt;b&gt;link&lt;/b&gt;'), 'flag reason escaped');
      assert.ok(!res.body.includes('<script>alert(1)</script>'), 'the text is escaped');
      assert.ok(!res.body.includes('@example.org'), 'no address');
      assert.match(res.body, /pre-moderation/);
      const other = await get(Q, 'otherAdmin');
      assert.equal(other.statusCode, 200);
      assert.ok(other.body.includes(`id="contribution-${ids.prizren}"`));
      assert.ok(!other.body.includes(`id="contribution-${ids.flagged}"`));
      const all = await get(Q, 'admin');
      assert.ok(all.body.includes(`id="contribution-${ids.prizren}"`) && all.body.includes(`id="contribution-${ids.flagged}"`), 'an instance-wide administrator sees all');
      for (const who of ['coordinator', 'holder', 'secretary', 'monitoring', 'noRole'] as const) assert.equal((await get(Q, who)).statusCode, 403, who);
    });

    test('valid HTML in every locale', async () => {
      for (const locale of LOCALES) {
        const res = await get(`/${locale}/admin/moderation`, 'moderator');
        assert.equal(res.statusCode, 200, locale);
        assert.deepEqual(await htmlErrors(res.body), [], locale);
      }
    });

    test('another jurisdiction’s item is a 404 and is left as it was; an unknown id too', async () => {
      for (const action of ['approve', 'hide']) {
        const res = await post(`${Q}/${ids.prizren}/${action}`, 'moderator', [[`reason_${ids.prizren}`, 'no']]);
        assert.equal(res.statusCode, 404, action);
      }
      assert.equal((await statusOf(ids.prizren)).status, 'pending');
      assert.equal((await post(`${Q}/99999999/approve`, 'moderator')).statusCode, 404);
      assert.equal((await post(`${Q}/${ids.flagged}/approve`, 'coordinator')).statusCode, 403);
      assert.equal((await statusOf(ids.flagged)).status, 'pending');
    });

    test('hiding needs a reason: refused with a message, what was typed kept, nothing changed', async () => {
      const empty = await post(`${Q}/${ids.published}/hide`, 'moderator', [[`reason_${ids.published}`, '   ']]);
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /Say why the contribution is hidden/);
      assert.ok(empty.body.includes(`href="#field-reason_${ids.published}"`), 'the error summary links to the field');
      const nul = await post(`${Q}/${ids.published}/hide`, 'moderator', [[`reason_${ids.published}`, 'Off topic\u0000 <script>x</script>']]);
      assert.equal(nul.statusCode, 422);
      assert.match(nul.body, /cannot be stored/);
      assert.ok(nul.body.includes('Off topic &lt;script>x&lt;/script>') || nul.body.includes('Off topic &lt;script&gt;x&lt;/script&gt;'), 'typed text kept, escaped');
      assert.deepEqual(await htmlErrors(nul.body), []);
      const long = await post(`${Q}/${ids.published}/hide`, 'moderator', [[`reason_${ids.published}`, 'x'.repeat(100_000)]]);
      assert.equal(long.statusCode, 422);
      assert.equal((await statusOf(ids.published)).status, 'published');
    });

    test('hide with a reason: hidden, the author told in their language (French) with the reason and the erasure link', async () => {
      const reason = 'Hors sujet <b>ici</b>';
      const res = await post(`${Q}/${ids.published}/hide`, 'moderator', [[`reason_${ids.published}`, reason]]);
      assert.equal(res.statusCode, 303);
      const row = await statusOf(ids.published);
      assert.equal(row.status, 'hidden');
      assert.equal(row.hidden_reason, reason);
      const mail = await t.database.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'camille@example.org').execute();
      assert.equal(mail.length, 1);
      assert.match(mail[0]!.subject, /Votre contribution a été masquée/);
      assert.ok(mail[0]!.text_body.includes(`Motif : ${reason}`));
      assert.ok(mail[0]!.text_body.includes('/fr/gjakova/consultations/budget-2025'));
      assert.match(mail[0]!.text_body, /\/fr\/privacy/);
      const audit = await t.database.db.selectFrom('audit_events').select('data').where('entity_type', '=', 'contribution').execute();
      for (const a of audit) assert.ok(!a.data.includes('@') && !a.data.includes('Camille') && !a.data.includes('Hors sujet'), a.data);
      // Restoring publishes it again.
      const restore = await post(`${Q}/${ids.published}/approve`, 'moderator');
      assert.equal(restore.statusCode, 303);
      assert.equal((await statusOf(ids.published)).status, 'published');
      assert.equal((await statusOf(ids.published)).hidden_reason, null);
    });

    test('approve a flagged pending contribution: published, flags resolved, count reset; pre-moderated too', async () => {
      assert.equal(await openFlags(ids.flagged), 2);
      const res = await post(`${Q}/${ids.flagged}/approve`, 'moderator');
      assert.equal(res.statusCode, 303);
      const row = await statusOf(ids.flagged);
      assert.equal(row.status, 'published');
      assert.equal(row.flag_count, 0);
      assert.equal(await openFlags(ids.flagged), 0);
      assert.equal((await post(`${Q}/${ids.preModerated}/approve`, 'admin')).statusCode, 303);
      assert.equal((await statusOf(ids.preModerated)).status, 'published');
      const page = await get(Q, 'moderator');
      assert.match(page.body, /No contribution waits for a moderator/);
    });

    test('tellModerators: each moderator in their own language, the queue link, nothing of the contributor', async () => {
      const db = t.database.db;
      await db.updateTable('users').set({ locale: 'sr-Latn' }).where('id', '=', f.userIds.moderator).execute();
      const consultation = (await pdb(db).selectFrom('consultations').select('id').where('slug', '=', 'budget-2025').executeTakeFirstOrThrow()).id;
      const before = await db.selectFrom('mail_outbox').select('id').execute();
      await db.transaction().execute((trx) => tellModerators(trx, { jurisdictionId: f.gjakovaId, consultationId: consultation, contributionId: ids.flagged, reason: 'flagged' }, 'https://besa.example.org'));
      const sent = (await db.selectFrom('mail_outbox').selectAll().execute()).filter((m) => !before.some((b) => b.id === m.id));
      assert.equal(sent.length, 1, 'the one moderator of Gjakova');
      const moderator = await db.selectFrom('users').select('email').where('id', '=', f.userIds.moderator).executeTakeFirstOrThrow();
      assert.equal(sent[0]!.to_address, moderator.email);
      assert.match(sent[0]!.text_body, /prijavilo je više osoba/);
      assert.ok(sent[0]!.text_body.includes(`https://besa.example.org/sr-Latn/admin/moderation#contribution-${ids.flagged}`));
      assert.ok(!sent[0]!.text_body.includes(AUTHOR_EMAIL) && !sent[0]!.text_body.includes('Arta'));
      // A second contribution of the same consultation within the hour: no second message (the queue shows both).
      const count = async () => (await db.selectFrom('mail_outbox').select('id').where('to_address', '=', moderator.email).execute()).length;
      const afterFirst = await count();
      await db.transaction().execute((trx) => tellModerators(trx, { jurisdictionId: f.gjakovaId, consultationId: consultation, contributionId: ids.flagged, reason: 'new' }, 'https://besa.example.org'));
      assert.equal(await count(), afterFirst, 'one message an hour per consultation');
      assert.match(sent[0]!.text_body, /najviše jednom na sat/, 'the message says so');
      // Prizren has no moderator: its administrator is told.
      const river = (await pdb(db).selectFrom('consultations').select('id').where('slug', '=', 'river').executeTakeFirstOrThrow()).id;
      const before2 = await db.selectFrom('mail_outbox').select('id').execute();
      await db.transaction().execute((trx) => tellModerators(trx, { jurisdictionId: f.otherJurisdictionId, consultationId: river, contributionId: ids.prizren, reason: 'new' }, 'https://besa.example.org'));
      const sent2 = (await db.selectFrom('mail_outbox').selectAll().execute()).filter((m) => !before2.some((b) => b.id === m.id));
      const otherAdmin = await db.selectFrom('users').select('email').where('id', '=', f.userIds.otherAdmin).executeTakeFirstOrThrow();
      assert.deepEqual(sent2.map((m) => m.to_address), [otherAdmin.email]);
    });
  });
}
