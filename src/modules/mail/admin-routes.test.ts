import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../../test/db.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createFirstAdministrator, createSetupToken } from '../accounts/commands.js';
import { insertSession } from '../accounts/repository.js';
import { enqueueMail } from './index.js';
import { MAX_ATTEMPTS } from './worker.js';

describeEachDatabase('mail outbox page', (get) => {
  let app: FastifyInstance;
  let admin: string;
  let coordinator: string;
  let prizrenAdmin: string;
  let failedId: number;
  /** Messages to the people of Prizren (a coordinator there, written in capitals; an invited address) and of Gjakova. */
  const ids = { prizrenFailed: 0, prizrenInvited: 0, gjakovaFailed: 0 };

  before(async () => {
    const { db } = get();
    app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database: get() });
    const setup = await createSetupToken(db);
    admin = await createFirstAdministrator(db, setup, { email: 'admin@example.org', displayName: 'Admin', password: 'correct horse battery staple' });
    const now = new Date().toISOString();
    const jurisdiction = async (slug: string, name: string) =>
      (
        await db
          .insertInto('jurisdictions')
          .values({ slug, name: JSON.stringify({ en: name }), kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const gjakova = await jurisdiction('gjakova', 'Municipality of Gjakova');
    const prizren = await jurisdiction('prizren', 'Municipality of Prizren');
    const person = async (email: string, role: string, jurisdictionId: number) => {
      const user = await db
        .insertInto('users')
        .values({ email, display_name: email.split('@')[0] ?? email, password_hash: 'x', created_at: now } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('user_roles').values({ user_id: user.id, role, jurisdiction_id: jurisdictionId, institution_id: null }).execute();
      return user.id;
    };
    // A coordinator may open the administration, but the outbox is for administrators.
    coordinator = await insertSession(db, await person('coordinator@example.org', 'coordinator', gjakova));
    prizrenAdmin = await insertSession(db, await person('prizren.admin@example.org', 'administrator', prizren));
    await person('gjakova.person@example.org', 'monitoring_member', gjakova);
    await person('prizren.person@example.org', 'coordinator', prizren);
    await db
      .insertInto('invitations')
      .values({ token_hash: 'invited-to-prizren', email: 'prizren.invited@example.org', display_name: null, role: 'moderator', jurisdiction_id: prizren, institution_id: null, invited_by: null, created_at: now, expires_at: now, used_at: null })
      .execute();

    await enqueueMail(db, { to: 'queued.person@example.org', subject: 'Ftesë <b>për</b> Besa', text: 'Hello' });
    await enqueueMail(db, { to: 'failed.person@example.org', subject: 'Reset your password', text: 'Link' });
    await enqueueMail(db, { to: 'sent.person@example.org', subject: 'Reminder', text: 'Due' });
    await enqueueMail(db, { to: 'Prizren.Person@Example.org', subject: 'Prizren reminder', text: 'Due' });
    await enqueueMail(db, { to: 'prizren.invited@example.org', subject: 'Prizren invitation', text: 'Link' });
    await enqueueMail(db, { to: 'gjakova.person@example.org', subject: 'Gjakova reminder', text: 'Due' });
    const rows = await db.selectFrom('mail_outbox').select(['id', 'to_address']).orderBy('id').execute();
    failedId = rows[1]!.id;
    ids.prizrenFailed = rows[3]!.id;
    ids.prizrenInvited = rows[4]!.id;
    ids.gjakovaFailed = rows[5]!.id;
    await db
      .updateTable('mail_outbox')
      .set({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'connect ECONNREFUSED 127.0.0.1:25 for <f***@example.org>' })
      .where('id', 'in', [failedId, ids.prizrenFailed, ids.gjakovaFailed])
      .execute();
    await db.updateTable('mail_outbox').set({ status: 'sent', attempts: 1, sent_at: now, text_body: '' }).where('id', '=', rows[2]!.id).execute();
  });

  after(async () => {
    await app.close();
  });

  function page(url: string, session?: string, cookies: Record<string, string> = {}) {
    return app.inject({ method: 'GET', url, cookies: { ...(session ? { besa_session: session } : {}), ...cookies } });
  }

  test('anonymous visitors are sent to the sign-in page; a coordinator is refused', async () => {
    const anonymous = await page('/en/admin/mail');
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/en\/login\?next=/);
    const local = await page('/en/admin/mail', coordinator);
    assert.equal(local.statusCode, 403);
    assert.doesNotMatch(local.body, /example\.org/);
    assert.match(local.body, /<h1>/);
  });

  test('the outbox lists every message with masked addresses, escaped subjects and a retry button on failed ones', async () => {
    const res = await page('/en/admin/mail', admin);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Outgoing mail<\/h1>/);
    assert.match(res.body, /q\*\*\*@example\.org/);
    assert.match(res.body, /f\*\*\*@example\.org/);
    assert.doesNotMatch(res.body, /(queued|failed|sent)\.person@/, 'no full address on the page');
    assert.match(res.body, /Ftesë &lt;b>për&lt;\/b> Besa/, 'the subject is escaped');
    assert.match(res.body, /ECONNREFUSED/);
    assert.match(res.body, /<th scope="col">Last error<\/th>/);
    assert.match(res.body, /All \(6\)/);
    assert.match(res.body, /Failed \(3\)/);
    assert.doesNotMatch(res.body, /these jurisdictions/, 'an instance-wide administrator sees the whole outbox');
    const forms = res.body.match(/action="\/en\/admin\/mail\/\d+\/retry"/g) ?? [];
    assert.deepEqual(forms.sort(), [failedId, ids.prizrenFailed, ids.gjakovaFailed].map((id) => `action="/en/admin/mail/${id}/retry"`).sort(), 'only failed messages can be retried');

    const failedOnly = await page('/en/admin/mail?status=failed', admin);
    assert.match(failedOnly.body, /f\*\*\*@example\.org/);
    assert.doesNotMatch(failedOnly.body, /q\*\*\*@example\.org/);
    for (const locale of ['sq', 'sr-Latn', 'sr-Cyrl', 'fr']) {
      const localized = await page(`/${locale}/admin/mail`, admin);
      assert.equal(localized.statusCode, 200, locale);
      assert.doesNotMatch(localized.body, /mailAdmin\./, `${locale}: every message is translated`);
    }
  });

  test('retry now needs the CSRF token, then queues the failed message again with a flash', async () => {
    const form = await page('/en/admin/mail', admin);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    const cookie = form.cookies.find((c) => c.name === '_csrf')?.value;
    assert.ok(token && cookie);
    const url = `/en/admin/mail/${failedId}/retry`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };

    const noToken = await app.inject({ method: 'POST', url, payload: '', headers, cookies: { besa_session: admin } });
    assert.equal(noToken.statusCode, 403);
    const denied = await app.inject({ method: 'POST', url, payload: `_csrf=${encodeURIComponent(token)}`, headers, cookies: { besa_session: coordinator, _csrf: cookie } });
    assert.equal(denied.statusCode, 403);
    let row = await get().db.selectFrom('mail_outbox').selectAll().where('id', '=', failedId).executeTakeFirstOrThrow();
    assert.equal(row.status, 'failed');

    const res = await app.inject({ method: 'POST', url, payload: `_csrf=${encodeURIComponent(token)}`, headers, cookies: { besa_session: admin, _csrf: cookie } });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/en/admin/mail');
    row = await get().db.selectFrom('mail_outbox').selectAll().where('id', '=', failedId).executeTakeFirstOrThrow();
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 0);
    const flash = res.cookies.find((c) => c.name === 'besa_flash')?.value ?? '';
    const after = await page('/en/admin/mail', admin, { besa_flash: flash });
    assert.match(after.body, /The message is queued again/);
    const audit = await get().db.selectFrom('audit_events').selectAll().where('action', '=', 'mail.retry').where('entity_id', '=', failedId).execute();
    assert.equal(audit.length, 1);

    const again = await app.inject({ method: 'POST', url, payload: `_csrf=${encodeURIComponent(token)}`, headers, cookies: { besa_session: admin, _csrf: cookie } });
    assert.equal(again.statusCode, 303, 'a second retry changes nothing');
    assert.equal(again.cookies.find((c) => c.name === 'besa_flash')?.value, 'mailAdmin.notFailed');
    const missing = await app.inject({ method: 'POST', url: '/en/admin/mail/999999/retry', payload: `_csrf=${encodeURIComponent(token)}`, headers, cookies: { besa_session: admin, _csrf: cookie } });
    assert.equal(missing.statusCode, 404);
  });

  /** The ids of the messages listed on a page (each row is `<tr id="mail-ID">`). */
  function listedIds(body: string): number[] {
    return [...body.matchAll(/<tr id="mail-(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
  }

  test("the administrator of Prizren sees and counts only Prizren people's messages", async () => {
    const res = await page('/en/admin/mail', prizrenAdmin);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(listedIds(res.body), [ids.prizrenFailed, ids.prizrenInvited], 'the Prizren coordinator (any case) and the address invited to Prizren');
    assert.match(res.body, /Prizren reminder/);
    assert.match(res.body, /Prizren invitation/);
    assert.doesNotMatch(res.body, /Gjakova reminder|Reset your password|Reminder<|Ftesë/);
    assert.doesNotMatch(res.body, /prizren\.(person|invited)@/i, 'addresses stay masked');
    assert.match(res.body, /All \(2\)/);
    assert.match(res.body, /Queued \(1\)/);
    assert.match(res.body, /Failed \(1\)/);
    assert.match(res.body, /Sent \(0\)/);
    assert.match(res.body, /these jurisdictions: Municipality of Prizren/);
    const forms = res.body.match(/action="\/en\/admin\/mail\/\d+\/retry"/g) ?? [];
    assert.deepEqual(forms, [`action="/en/admin/mail/${ids.prizrenFailed}/retry"`]);
    const failedOnly = await page('/en/admin/mail?status=failed', prizrenAdmin);
    assert.deepEqual(listedIds(failedOnly.body), [ids.prizrenFailed]);
    const older = await page(`/en/admin/mail?before=${ids.gjakovaFailed + 1}`, prizrenAdmin);
    assert.deepEqual(listedIds(older.body), [ids.prizrenFailed, ids.prizrenInvited], 'paging stays in the scope');
    for (const locale of ['sq', 'sr-Latn', 'sr-Cyrl', 'fr']) {
      const localized = await page(`/${locale}/admin/mail`, prizrenAdmin);
      assert.equal(localized.statusCode, 200, locale);
      assert.doesNotMatch(localized.body, /mailAdmin\./, `${locale}: every message is translated`);
    }

    const all = await page('/en/admin/mail', admin);
    const everyId = (await get().db.selectFrom('mail_outbox').select('id').orderBy('id').execute()).map((r) => r.id);
    assert.equal(everyId.length, 6);
    assert.deepEqual(listedIds(all.body), everyId, 'the instance-wide administrator sees every message');
  });

  test("the administrator of Prizren cannot retry a Gjakova person's failed message: 404, nothing changed", async () => {
    const { db } = get();
    const form = await page('/en/admin/mail', prizrenAdmin);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    const cookie = form.cookies.find((c) => c.name === '_csrf')?.value;
    assert.ok(token && cookie);
    const retry = (id: number) =>
      app.inject({
        method: 'POST',
        url: `/en/admin/mail/${id}/retry`,
        payload: `_csrf=${encodeURIComponent(token)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { besa_session: prizrenAdmin, _csrf: cookie },
      });
    const outbox = () => db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
    const audits = () => db.selectFrom('audit_events').select('id').execute();
    const [mailBefore, auditBefore] = [await outbox(), await audits()];
    for (const id of [ids.gjakovaFailed, failedId]) {
      const res = await retry(id);
      assert.equal(res.statusCode, 404, `message ${id}`);
      assert.equal(res.cookies.find((c) => c.name === 'besa_flash'), undefined, 'no flash');
      assert.doesNotMatch(res.body, /gjakova\.person|failed\.person|Gjakova reminder/);
    }
    assert.equal((await retry(999999)).statusCode, 404, 'the same answer as for a message that does not exist');
    assert.deepEqual(await outbox(), mailBefore, 'nothing changed in the outbox');
    assert.deepEqual(await audits(), auditBefore, 'nothing recorded');

    const own = await retry(ids.prizrenFailed);
    assert.equal(own.statusCode, 303);
    assert.equal(own.cookies.find((c) => c.name === 'besa_flash')?.value, 'mailAdmin.retried');
    const rows = await outbox();
    assert.equal(rows.find((r) => r.id === ids.prizrenFailed)?.status, 'queued');
    assert.equal(rows.find((r) => r.id === ids.gjakovaFailed)?.status, 'failed');
    assert.equal(rows.find((r) => r.id === ids.gjakovaFailed)?.attempts, MAX_ATTEMPTS);

    // The instance-wide administrator may retry it.
    const adminForm = await page('/en/admin/mail', admin);
    const adminToken = /name="_csrf" value="([^"]+)"/.exec(adminForm.body)?.[1];
    const adminCookie = adminForm.cookies.find((c) => c.name === '_csrf')?.value;
    assert.ok(adminToken && adminCookie);
    const byAdmin = await app.inject({
      method: 'POST',
      url: `/en/admin/mail/${ids.gjakovaFailed}/retry`,
      payload: `_csrf=${encodeURIComponent(adminToken)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { besa_session: admin, _csrf: adminCookie },
    });
    assert.equal(byAdmin.statusCode, 303);
    assert.equal((await db.selectFrom('mail_outbox').select('status').where('id', '=', ids.gjakovaFailed).executeTakeFirstOrThrow()).status, 'queued');
  });

  test('a long outbox is shown 50 messages at a time, newest first', async () => {
    await get().db.transaction().execute(async (trx) => {
      for (let i = 0; i < 55; i++) await enqueueMail(trx, { to: `p${i}@example.org`, subject: `Bulk ${i}`, text: 'x' });
    });
    const first = await page('/en/admin/mail', admin);
    assert.equal((first.body.match(/<tr id="mail-/g) ?? []).length, 50);
    assert.match(first.body, /Bulk 54/);
    const older = /href="(\/en\/admin\/mail\?before=\d+)">Older messages/.exec(first.body)?.[1];
    assert.ok(older, 'a link to older messages');
    const second = await page(older, admin);
    assert.equal((second.body.match(/<tr id="mail-/g) ?? []).length, 11);
    assert.match(second.body, /Reset your password/);
    assert.doesNotMatch(second.body, /Older messages/);
    assert.match(second.body, /Newest messages/);
  });
});
