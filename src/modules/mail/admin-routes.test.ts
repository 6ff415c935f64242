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
  let failedId: number;

  before(async () => {
    const { db } = get();
    app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database: get() });
    const setup = await createSetupToken(db);
    admin = await createFirstAdministrator(db, setup, { email: 'admin@example.org', displayName: 'Admin', password: 'correct horse battery staple' });
    // A coordinator may open the administration, but the outbox is for administrators.
    const now = new Date().toISOString();
    const jurisdiction = await db
      .insertInto('jurisdictions')
      .values({ slug: 'gjakova', name: '{"en":"Gjakova"}', kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = await db
      .insertInto('users')
      .values({ email: 'coordinator@example.org', display_name: 'Coordinator', password_hash: 'x', created_at: now } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('user_roles').values({ user_id: user.id, role: 'coordinator', jurisdiction_id: jurisdiction.id, institution_id: null }).execute();
    coordinator = await insertSession(db, user.id);

    await enqueueMail(db, { to: 'queued.person@example.org', subject: 'Ftesë <b>për</b> Besa', text: 'Hello' });
    await enqueueMail(db, { to: 'failed.person@example.org', subject: 'Reset your password', text: 'Link' });
    await enqueueMail(db, { to: 'sent.person@example.org', subject: 'Reminder', text: 'Due' });
    const rows = await db.selectFrom('mail_outbox').select(['id', 'to_address']).orderBy('id').execute();
    failedId = rows[1]!.id;
    await db
      .updateTable('mail_outbox')
      .set({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'connect ECONNREFUSED 127.0.0.1:25 for <f***@example.org>' })
      .where('id', '=', failedId)
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
    assert.match(res.body, /All \(3\)/);
    assert.match(res.body, /Failed \(1\)/);
    const forms = res.body.match(/action="\/en\/admin\/mail\/\d+\/retry"/g) ?? [];
    assert.deepEqual(forms, [`action="/en/admin/mail/${failedId}/retry"`], 'only the failed message can be retried');

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
    const audit = await get().db.selectFrom('audit_events').selectAll().where('action', '=', 'mail.retry').execute();
    assert.equal(audit.length, 1);

    const again = await app.inject({ method: 'POST', url, payload: `_csrf=${encodeURIComponent(token)}`, headers, cookies: { besa_session: admin, _csrf: cookie } });
    assert.equal(again.statusCode, 303, 'a second retry changes nothing');
    assert.equal(again.cookies.find((c) => c.name === 'besa_flash')?.value, 'mailAdmin.notFailed');
    const missing = await app.inject({ method: 'POST', url: '/en/admin/mail/999999/retry', payload: `_csrf=${encodeURIComponent(token)}`, headers, cookies: { besa_session: admin, _csrf: cookie } });
    assert.equal(missing.statusCode, 404);
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
    assert.equal((second.body.match(/<tr id="mail-/g) ?? []).length, 8);
    assert.match(second.body, /Reset your password/);
    assert.doesNotMatch(second.body, /Older messages/);
    assert.match(second.body, /Newest messages/);
  });
});
