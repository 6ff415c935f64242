import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { describeEachDatabase } from '../../../test/db.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createFirstAdministrator, createSetupToken, createUserCommand, disableTwoFactor, inviteUser } from './commands.js';
import { insertSession } from './repository.js';
import { actorWith } from '../../../test/actors.js';

function csrfOf(page: LightMyRequestResponse): { token: string; cookie: string } {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
  assert.ok(token, 'the form has a CSRF field');
  assert.ok(cookie, 'the response sets the CSRF cookie');
  return { token, cookie };
}

function totpAt(secret: string, offsetSeconds = 0): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSeconds * 1000 });
}

describeEachDatabase('account routes', (get) => {
  let app: FastifyInstance;
  let adminSession: string;
  let adminId: number;
  let jurisdictionId: number;
  let institutionId: number;
  let addressCounter = 0;
  /** A fresh client address per test, so the per-address throttle of one test never touches another. */
  const nextAddress = () => `10.0.${Math.floor(++addressCounter / 250)}.${addressCounter % 250}`;

  before(async () => {
    const database = get();
    app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database });
    const setup = await createSetupToken(database.db);
    adminSession = await createFirstAdministrator(database.db, setup, { email: 'admin@example.org', displayName: 'Arta Krasniqi', password: 'correct horse battery staple' });
    adminId = (await database.db.selectFrom('users').select('id').where('email', '=', 'admin@example.org').executeTakeFirstOrThrow()).id;
    const now = new Date().toISOString();
    jurisdictionId = (
      await database.db
        .insertInto('jurisdictions')
        .values({ slug: 'gjakova', name: JSON.stringify({ sq: 'Gjakova', en: 'Gjakova' }), kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    institutionId = (
      await database.db
        .insertInto('institutions')
        .values({ jurisdiction_id: jurisdictionId, slug: 'finance', name: JSON.stringify({ en: 'Directorate of Finance' }), kind: 'government', description: '{}', website: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  after(async () => {
    await app.close();
  });

  function getPage(url: string, session?: string, address = '127.0.0.1') {
    return app.inject({ method: 'GET', url, remoteAddress: address, cookies: session ? { besa_session: session } : {} });
  }

  function postForm(url: string, fields: Record<string, string>, csrf: { token: string; cookie: string } | undefined, cookies: Record<string, string> = {}, address = '127.0.0.1') {
    return app.inject({
      method: 'POST',
      url,
      remoteAddress: address,
      payload: new URLSearchParams({ ...fields, ...(csrf ? { _csrf: csrf.token } : {}) }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { ...cookies, ...(csrf ? { _csrf: csrf.cookie } : {}) },
    });
  }

  async function signInForm(email: string, password: string, address = nextAddress()) {
    const form = await getPage('/en/login', undefined, address);
    return postForm('/en/login', { email, password, next: '/en/admin' }, csrfOf(form), {}, address);
  }

  async function userWith(email: string, role: string, extra: { jurisdictionSlug?: string; institutionSlug?: string } = {}) {
    const created = await createUserCommand(get().db, { email, displayName: email.split('@')[0]!, role, password: 'a long enough password', ...extra });
    assert.equal(created.kind, 'created');
    return { id: (created as { userId: number }).userId, session: await insertSession(get().db, (created as { userId: number }).userId) };
  }

  async function mailTo(address: string) {
    return get().db.selectFrom('mail_outbox').selectAll().where('to_address', '=', address).orderBy('id').execute();
  }

  /** Reads until `done` holds (work done after a response), at most 5 s. */
  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const until = Date.now() + 5000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > until) return value;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function sessionsOf(userId: number) {
    return (await get().db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).length;
  }

  test('role by route: anonymous → sign-in, commitment holder and coordinator → 403 on people and roles, administrator → 200', async () => {
    const coordinator = await userWith('coordinator@example.org', 'coordinator', { jurisdictionSlug: 'gjakova' });
    const holder = await userWith('holder@example.org', 'commitment_holder', { institutionSlug: 'finance' });
    const managed = ['/en/admin/users', '/en/admin/users/invite', `/en/admin/users/${adminId}`];
    const own = ['/en/admin/account', '/en/admin/account/two-factor'];
    for (const url of [...managed, ...own]) {
      const anonymous = await getPage(url);
      assert.equal(anonymous.statusCode, 303, url);
      assert.match(String(anonymous.headers.location), /^\/en\/login\?next=/);
      const admin = await getPage(url, adminSession);
      assert.equal(admin.statusCode, 200, url);
    }
    for (const who of [coordinator, holder]) {
      for (const url of managed) assert.equal((await getPage(url, who.session)).statusCode, 403, url);
      for (const url of own) assert.equal((await getPage(url, who.session)).statusCode, 200, url);
      // Any role may open the administration's start page.
      assert.equal((await getPage('/en/admin', who.session)).statusCode, 200);
      const form = await getPage('/en/admin/account', who.session);
      const csrf = csrfOf(form);
      const invite = await postForm('/en/admin/users/invite', { email: 'x@example.org', role: 'administrator' }, csrf, { besa_session: who.session });
      assert.equal(invite.statusCode, 403);
      const remove = await postForm(`/en/admin/users/${adminId}/remove`, {}, csrf, { besa_session: who.session });
      assert.equal(remove.statusCode, 403);
      const roles = await postForm(`/en/admin/users/${who.id}`, { new_role: 'administrator' }, csrf, { besa_session: who.session });
      assert.equal(roles.statusCode, 403);
    }
    // A signed-in person without any role sees no administration.
    const removed = await userWith('removed@example.org', 'moderator', { jurisdictionSlug: 'gjakova' });
    await get().db.deleteFrom('user_roles').where('user_id', '=', removed.id).execute();
    assert.equal((await getPage('/en/admin', removed.session)).statusCode, 403);
    // E-mail addresses are shown on people and roles only.
    const list = await getPage('/en/admin/users', adminSession);
    assert.match(list.body, /holder@example\.org/);
    assert.match(list.body, /Commitment holder · Gjakova · Directorate of Finance/);
    assert.doesNotMatch((await getPage('/en/admin/account', holder.session)).body, /holder@example\.org/);
  });

  test('invitation: create → accept → sign in; the link works once', async () => {
    const form = await getPage('/en/admin/users/invite', adminSession);
    assert.match(form.body, /<option value="commitment_holder"/);
    const response = await postForm(
      '/en/admin/users/invite',
      { email: 'Drita@Example.org', role: 'commitment_holder', jurisdiction: '', institution: String(institutionId) },
      csrfOf(form),
      { besa_session: adminSession },
    );
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/en/admin/users');
    const mails = await mailTo('drita@example.org');
    assert.equal(mails.length, 1);
    const path = /http:\/\/[^/\s]+(\/en\/invitations\/[A-Za-z0-9_-]+)/.exec(mails[0]!.text_body)?.[1];
    assert.ok(path, 'the e-mail holds the invitation link');
    assert.match(mails[0]!.text_body, /Commitment holder/);
    // Stored hashed: the token in the link is not in the database.
    const token = path.split('/').pop()!;
    assert.equal((await get().db.selectFrom('invitations').select('id').where('token_hash', '=', token).execute()).length, 0);

    const page = await getPage(path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /drita@example\.org/);
    const short = await postForm(path, { display_name: 'Drita "D" Berisha', password: 'short' }, csrfOf(page));
    assert.equal(short.statusCode, 422);
    assert.match(short.body, /href="#field-password"/);
    assert.match(short.body, /value="Drita (&quot;|&#34;)D(&quot;|&#34;) Berisha"/);
    assert.doesNotMatch(short.body, /value="short"/);
    const accepted = await postForm(path, { display_name: 'Drita Berisha', password: 'a long enough password' }, csrfOf(page));
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, '/en/admin');
    assert.ok(accepted.cookies.find((c) => c.name === 'besa_session')?.value);

    const again = await getPage(path);
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /This invitation cannot be used/);

    const signedIn = await signInForm('drita@example.org', 'a long enough password');
    assert.equal(signedIn.statusCode, 303);
    const role = await get().db.selectFrom('user_roles').innerJoin('users', 'users.id', 'user_roles.user_id').select(['role', 'institution_id', 'jurisdiction_id']).where('users.email', '=', 'drita@example.org').execute();
    assert.deepEqual(role, [{ role: 'commitment_holder', institution_id: institutionId, jurisdiction_id: jurisdictionId }]);
  });

  test('invitation form: bad input is answered with 422, the errors and the typed values', async () => {
    const form = await getPage('/en/admin/users/invite', adminSession);
    const noInstitution = await postForm('/en/admin/users/invite', { email: 'new.holder@example.org', role: 'commitment_holder', jurisdiction: String(jurisdictionId), institution: '' }, csrfOf(form), { besa_session: adminSession });
    assert.equal(noInstitution.statusCode, 422);
    assert.match(noInstitution.body, /href="#field-institution"/);
    assert.match(noInstitution.body, /value="new\.holder@example\.org"/);
    assert.match(noInstitution.body, /<option value="commitment_holder" selected/);
    const noCsrf = await postForm('/en/admin/users/invite', { email: 'z@example.org', role: 'coordinator' }, undefined, { besa_session: adminSession });
    assert.equal(noCsrf.statusCode, 403);
  });

  test('text that cannot be stored is refused with the typed values kept: sign-in, reset request, invitation, own account', async () => {
    const login = await signInForm('someone\u0000@example.org', 'a password');
    assert.equal(login.statusCode, 422);
    assert.match(login.body, /cannot be stored/);
    assert.match(login.body, /value="someone@example\.org"/);
    const resetForm = await getPage('/en/password-reset');
    const reset = await postForm('/en/password-reset', { email: 'someone\u0000@example.org' }, csrfOf(resetForm));
    assert.equal(reset.statusCode, 422);
    assert.match(reset.body, /href="#field-email"/);
    const form = await getPage('/en/admin/users/invite', adminSession);
    const invite = await postForm('/en/admin/users/invite', { email: 'new.person\u0085@example.org', role: 'coordinator', jurisdiction: String(jurisdictionId) }, csrfOf(form), { besa_session: adminSession });
    assert.equal(invite.statusCode, 422);
    assert.match(invite.body, /cannot be stored/);
    assert.match(invite.body, /value="new\.person@example\.org"/);
  });

  test('an expired invitation gives 410, never a 500', async () => {
    const long = new Date(Date.now() - 8 * 86_400_000);
    const { path } = await inviteUser(get().db, actorWith('administrator', { userId: adminId }), { email: 'late@example.org', role: 'coordinator', jurisdictionId, institutionId: null }, { publicUrl: '', locale: 'fr' }, long);
    const page = await getPage(path);
    assert.equal(page.statusCode, 410);
    assert.match(page.body, /Cette invitation ne peut pas être utilisée/);
    const login = await getPage('/fr/login');
    const post = await postForm(path, { display_name: 'Late', password: 'a long enough password' }, csrfOf(login));
    assert.equal(post.statusCode, 410);
    assert.equal((await getPage('/en/invitations/not-a-real-token')).statusCode, 410);
  });

  test('password reset: same answer for any address; the link sets a new password once and signs out everywhere', async () => {
    const user = await userWith('reset.me@example.org', 'coordinator', { jurisdictionSlug: 'gjakova' });
    await insertSession(get().db, user.id);
    const form = await getPage('/sq/password-reset');
    assert.equal(form.statusCode, 200);
    const bad = await postForm('/sq/password-reset', { email: 'not an address' }, csrfOf(form));
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /value="not an address"/);
    const unknown = await postForm('/sq/password-reset', { email: 'nobody@example.org' }, csrfOf(form));
    const known = await postForm('/sq/password-reset', { email: 'reset.me@example.org' }, csrfOf(form));
    assert.equal(unknown.statusCode, 303);
    assert.equal(known.statusCode, 303);
    assert.equal(unknown.headers.location, known.headers.location);
    assert.deepEqual(
      unknown.cookies.filter((c) => c.name === 'besa_flash').map((c) => c.value),
      known.cookies.filter((c) => c.name === 'besa_flash').map((c) => c.value),
    );
    // The link is made after the answer has gone.
    const mails = await eventually(() => mailTo('reset.me@example.org'), (m) => m.length > 0);
    assert.equal(mails.length, 1);
    assert.equal((await mailTo('nobody@example.org')).length, 0);
    const path = /(\/sq\/password-reset\/[A-Za-z0-9_-]+)/.exec(mails[0]!.text_body)?.[1];
    assert.ok(path);

    const page = await getPage(path);
    assert.equal(page.statusCode, 200);
    const short = await postForm(path, { password: 'short' }, csrfOf(page));
    assert.equal(short.statusCode, 422);
    const done = await postForm(path, { password: 'a brand new passphrase' }, csrfOf(page));
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/sq/login');
    assert.equal(await sessionsOf(user.id), 0);
    assert.equal((await getPage('/sq/admin', user.session)).statusCode, 303);
    assert.equal((await getPage(path)).statusCode, 410);
    assert.equal((await signInForm('reset.me@example.org', 'a long enough password')).statusCode, 422);
    assert.equal((await signInForm('reset.me@example.org', 'a brand new passphrase')).statusCode, 303);
  });

  test('two-factor: enable with a code, then sign-in asks for the code in a second step', async () => {
    const user = await userWith('totp@example.org', 'coordinator', { jurisdictionSlug: 'gjakova' });
    const page = await getPage('/en/admin/account/two-factor', user.session);
    assert.match(page.body, /action="\/en\/admin\/account\/two-factor\/start"/);
    const started = await postForm('/en/admin/account/two-factor/start', {}, csrfOf(page), { besa_session: user.session });
    assert.equal(started.statusCode, 303);
    const setup = await getPage('/en/admin/account/two-factor', user.session);
    const uri = /(otpauth:\/\/totp\/[^<"]+)/.exec(setup.body)?.[1];
    assert.ok(uri, 'the otpauth URI is shown as text');
    const secret = /secret=([A-Z2-7]+)/.exec(uri)?.[1];
    assert.ok(secret);
    const wrong = await postForm('/en/admin/account/two-factor/enable', { code: '000000' === totpAt(secret) ? '111111' : '000000' }, csrfOf(setup), { besa_session: user.session });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /href="#field-code"/);
    const enabled = await postForm('/en/admin/account/two-factor/enable', { code: totpAt(secret) }, csrfOf(setup), { besa_session: user.session });
    assert.equal(enabled.statusCode, 303);
    const stored = await get().db.selectFrom('users').select(['totp_secret', 'totp_pending_secret']).where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(stored.totp_secret, secret);
    assert.equal(stored.totp_pending_secret, null);

    const address = nextAddress();
    const first = await signInForm('totp@example.org', 'a long enough password', address);
    assert.equal(first.statusCode, 303);
    assert.match(String(first.headers.location), /^\/en\/login\/two-factor\?next=/);
    assert.equal(first.cookies.find((c) => c.name === 'besa_session'), undefined, 'no session before the code');
    const challenge = first.cookies.find((c) => c.name === 'besa_2fa');
    assert.ok(challenge?.httpOnly);
    const second = await app.inject({ method: 'GET', url: String(first.headers.location), cookies: { besa_2fa: challenge.value } });
    assert.equal(second.statusCode, 200);
    const csrf = csrfOf(second);
    const bad = await postForm('/en/login/two-factor', { code: '12345', next: '/en/admin' }, csrf, { besa_2fa: challenge.value }, address);
    assert.equal(bad.statusCode, 422);
    // The code of the next step (within the ±1 window); the one used to enable is not accepted twice.
    const good = await postForm('/en/login/two-factor', { code: totpAt(secret, 30), next: '/en/admin' }, csrf, { besa_2fa: challenge.value }, address);
    assert.equal(good.statusCode, 303);
    assert.equal(good.headers.location, '/en/admin');
    const session = good.cookies.find((c) => c.name === 'besa_session')?.value;
    assert.ok(session);
    assert.equal((await getPage('/en/admin', session)).statusCode, 200);
    // The challenge is single use.
    const replay = await postForm('/en/login/two-factor', { code: totpAt(secret, 30), next: '/en/admin' }, csrf, { besa_2fa: challenge.value }, address);
    assert.equal(replay.statusCode, 303);
    assert.equal(replay.headers.location, '/en/login');

    // Turning it off needs the password and a fresh code.
    await assert.rejects(disableTwoFactor(get().db, actorWith('coordinator', { userId: user.id }), user.id, 'wrong password', totpAt(secret, 60), new Date(Date.now() + 60_000)));
    await disableTwoFactor(get().db, actorWith('coordinator', { userId: user.id }), user.id, 'a long enough password', totpAt(secret, 60), new Date(Date.now() + 60_000));
    assert.equal((await signInForm('totp@example.org', 'a long enough password')).headers.location, '/en/admin');
  });

  test('throttling: the 6th attempt for one account is refused, even with the right password, and unknown accounts answer the same', async () => {
    await userWith('throttled@example.org', 'coordinator', { jurisdictionSlug: 'gjakova' });
    for (const email of ['throttled@example.org', 'ghost@example.org']) {
      for (let i = 0; i < 5; i++) {
        const failed = await signInForm(email, 'wrong password number x');
        assert.equal(failed.statusCode, 422);
        assert.match(failed.body, /not right/);
      }
      const refused = await signInForm(email, 'a long enough password');
      assert.equal(refused.statusCode, 429);
      assert.match(refused.body, /Too many unsuccessful attempts/);
      assert.match(refused.body, new RegExp(`value="${email.replace('.', '\\.')}"`));
      assert.doesNotMatch(refused.body, /value="a long enough password"/);
    }
    // 20 failures from one address, each for another account, close that address too.
    const address = nextAddress();
    for (let i = 0; i < 20; i++) assert.equal((await signInForm(`nobody${i}@example.org`, 'wrong password', address)).statusCode, 422);
    await userWith('fresh@example.org', 'coordinator', { jurisdictionSlug: 'gjakova' });
    assert.equal((await signInForm('fresh@example.org', 'a long enough password', address)).statusCode, 429);
    assert.equal((await signInForm('fresh@example.org', 'a long enough password')).statusCode, 303);
  });

  test('sign out everywhere ends every session; a password change ends the others', async () => {
    const user = await userWith('everywhere@example.org', 'coordinator', { jurisdictionSlug: 'gjakova' });
    const other = await insertSession(get().db, user.id);
    const page = await getPage('/en/admin/account', user.session);
    assert.match(page.body, /signed in on 2 browsers or devices/);
    const wrong = await postForm('/en/admin/account/password', { current_password: 'nope', new_password: 'another long password' }, csrfOf(page), { besa_session: user.session });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /href="#field-current_password"/);
    const changed = await postForm('/en/admin/account/password', { current_password: 'a long enough password', new_password: 'another long password' }, csrfOf(page), { besa_session: user.session });
    assert.equal(changed.statusCode, 303);
    assert.equal((await getPage('/en/admin', other)).statusCode, 303);
    assert.equal((await getPage('/en/admin', user.session)).statusCode, 200);

    await insertSession(get().db, user.id);
    const out = await postForm('/en/admin/account/sign-out-everywhere', {}, csrfOf(page), { besa_session: user.session });
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/en/login');
    assert.equal(await sessionsOf(user.id), 0);
    assert.equal((await getPage('/en/admin', user.session)).statusCode, 303);
  });

  test('an administrator changes roles and removes access; never their own administrator role', async () => {
    const user = await userWith('roles@example.org', 'coordinator', { jurisdictionSlug: 'gjakova' });
    const page = await getPage(`/en/admin/users/${user.id}`, adminSession);
    assert.equal(page.statusCode, 200);
    const key = `coordinator|${jurisdictionId}|`;
    assert.match(page.body, new RegExp(`value="${key.replace(/\|/g, '\\|')}" checked`));
    const added = await postForm(`/en/admin/users/${user.id}`, { keep: key, new_role: 'moderator', new_jurisdiction: String(jurisdictionId), new_institution: '' }, csrfOf(page), { besa_session: adminSession });
    assert.equal(added.statusCode, 303);
    const roles = async () => (await get().db.selectFrom('user_roles').select('role').where('user_id', '=', user.id).orderBy('role').execute()).map((r) => r.role);
    assert.deepEqual(await roles(), ['coordinator', 'moderator']);
    const bad = await postForm(`/en/admin/users/${user.id}`, { keep: key, new_role: 'coordinator', new_jurisdiction: '', new_institution: String(institutionId) }, csrfOf(page), { besa_session: adminSession });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /href="#field-new_institution"/);
    const removedOne = await postForm(`/en/admin/users/${user.id}`, { keep: `moderator|${jurisdictionId}|` }, csrfOf(page), { besa_session: adminSession });
    assert.equal(removedOne.statusCode, 303);
    assert.deepEqual(await roles(), ['moderator']);

    const own = await getPage(`/en/admin/users/${adminId}`, adminSession);
    assert.doesNotMatch(own.body, /\/remove"/);
    const selfDemotion = await postForm(`/en/admin/users/${adminId}`, {}, csrfOf(own), { besa_session: adminSession });
    assert.equal(selfDemotion.statusCode, 422);
    assert.match(selfDemotion.body, /own administrator role/);

    const removed = await postForm(`/en/admin/users/${user.id}/remove`, {}, csrfOf(page), { besa_session: adminSession });
    assert.equal(removed.statusCode, 303);
    assert.deepEqual(await roles(), []);
    assert.equal(await sessionsOf(user.id), 0);
    const refused = await signInForm('roles@example.org', 'a long enough password');
    assert.equal(refused.statusCode, 422);
  });

  test('pages are translated', async () => {
    for (const [locale, text] of [
      ['sq', 'Rivendosni fjalëkalimin'],
      ['sr-Latn', 'Resetujte lozinku'],
      ['fr', 'Réinitialiser votre mot de passe'],
      ['en', 'Reset your password'],
    ] as const) {
      const page = await getPage(`/${locale}/password-reset`);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(text), `${locale}: ${text}`);
    }
    const users = await getPage('/sr-Cyrl/admin/users', adminSession);
    assert.match(users.body, /Особе и улоге/);
  });
});
