import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { completeTwoFactor, createUserCommand, CreateUserError, signIn } from './commands.js';
import { THROTTLE } from './throttle.js';

describeEachDatabase('account commands', (get) => {
  before(async () => {
    const now = new Date().toISOString();
    const j = await get()
      .db.insertInto('jurisdictions')
      .values({ slug: 'gjakova', name: '{"sq":"Gjakova"}', kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await get()
      .db.insertInto('institutions')
      .values({ jurisdiction_id: j.id, slug: 'finance', name: '{"sq":"Drejtoria e Financave"}', kind: 'government', description: '{}', website: null, created_at: now, updated_at: now })
      .execute();
  });

  test('createUserCommand invites (a link path and a queued e-mail) or creates with a password', async () => {
    const invited = await createUserCommand(get().db, { email: 'Holder@Example.org', displayName: 'Holder', role: 'commitment_holder', jurisdictionSlug: 'gjakova', institutionSlug: 'finance', publicUrl: 'https://besa.example.org' });
    assert.equal(invited.kind, 'invited');
    assert.match((invited as { path: string }).path, /^\/sq\/invitations\/[A-Za-z0-9_-]{43}$/);
    const mail = await get().db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'holder@example.org').executeTakeFirstOrThrow();
    assert.ok(mail.text_body.includes(`https://besa.example.org${(invited as { path: string }).path}`));
    const created = await createUserCommand(get().db, { email: 'coordinator@example.org', displayName: 'Coordinator', role: 'coordinator', jurisdictionSlug: 'gjakova', password: 'a long enough password' });
    assert.equal(created.kind, 'created');
    const roles = await get().db.selectFrom('user_roles').selectAll().where('user_id', '=', (created as { userId: number }).userId).execute();
    assert.equal(roles.length, 1);
    assert.equal(roles[0]!.role, 'coordinator');
  });

  test('createUserCommand explains what is wrong', async () => {
    const db = get().db;
    await assert.rejects(createUserCommand(db, { email: 'x@example.org', displayName: 'X', role: 'king' }), CreateUserError);
    await assert.rejects(createUserCommand(db, { email: 'x@example.org', displayName: 'X', role: 'coordinator', jurisdictionSlug: 'nowhere' }), /No jurisdiction/);
    await assert.rejects(createUserCommand(db, { email: 'x@example.org', displayName: 'X', role: 'commitment_holder', jurisdictionSlug: 'gjakova' }), /needs an institution/);
    await assert.rejects(createUserCommand(db, { email: 'coordinator@example.org', displayName: 'X', role: 'moderator', password: 'a long enough password' }), /exists already/);
    await assert.rejects(createUserCommand(db, { email: 'y@example.org', displayName: 'Y', role: 'moderator', password: 'short' }), /at least 12/);
  });

  test('throttling lasts one window from the failure that reached the limit', async () => {
    const db = get().db;
    const start = new Date('2030-01-01T10:00:00Z');
    for (let i = 0; i < THROTTLE.perAccount; i++) assert.equal((await signIn(db, 'coordinator@example.org', 'wrong', '192.0.2.1', new Date(start.getTime() + i * 1000))).kind, 'failed');
    const during = new Date(start.getTime() + 14 * 60_000);
    assert.equal((await signIn(db, 'coordinator@example.org', 'a long enough password', '192.0.2.2', during)).kind, 'throttled');
    const afterwards = new Date(start.getTime() + 16 * 60_000);
    assert.equal((await signIn(db, 'coordinator@example.org', 'a long enough password', '192.0.2.2', afterwards)).kind, 'session');
  });

  test('an unknown two-factor challenge is expired, never an error', async () => {
    assert.deepEqual(await completeTwoFactor(get().db, 'no-such-challenge', '123456'), { kind: 'expired' });
  });
});
