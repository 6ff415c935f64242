import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { describeEachDatabase } from '../../../test/db.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { checkCounts, createFirstAdministrator, createSetupToken, createUserCommand } from './commands.js';
import { insertSession } from './repository.js';
import { safeNext } from './routes.js';
import { THROTTLE } from './throttle.js';
import { totpCode } from './totp.js';

/** A client of a listening app that keeps no cookies of its own: each call says which to send. */
class Client {
  constructor(readonly base: string) {}

  async get(path: string, cookies: Record<string, string> = {}) {
    return fetch(this.base + path, { headers: { cookie: cookieHeader(cookies) }, redirect: 'manual' });
  }

  async post(path: string, fields: Record<string, string>, cookies: Record<string, string> = {}) {
    return fetch(this.base + path, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(cookies) },
      redirect: 'manual',
    });
  }

  /** A CSRF token and its cookie from a form page. */
  async csrf(path = '/en/login'): Promise<{ token: string; cookie: string }> {
    const page = await this.get(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    const cookie = cookiesOf(page)._csrf;
    assert.ok(token && cookie, 'the form has a CSRF token and cookie');
    return { token, cookie };
  }
}

function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ');
}

function cookiesOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    const value = pair!.slice(at + 1);
    if (value) out[pair!.slice(0, at)] = value;
  }
  return out;
}

const PASSWORD = 'a long enough password';

/** Reads until `done` holds (work done after a response), at most 5 s. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 5000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeEachDatabase('account security', (get) => {
  let app: FastifyInstance;
  let client: Client;
  /** SQL of the statements run while `recording` (the reset request test). */
  const statements: string[] = [];
  let recording = false;

  before(async () => {
    const database = get();
    const recorder: KyselyPlugin = {
      transformQuery(args) {
        if (recording) statements.push(database.db.getExecutor().compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database: { ...database, db: database.db.withPlugin(recorder) } });
    // Record from the moment a reset request arrives until its answer is sent.
    app.addHook('onRequest', async (request) => {
      if (request.method === 'POST' && request.url === '/en/password-reset') recording = true;
    });
    app.addHook('onSend', async (request) => {
      if (request.method === 'POST' && request.url === '/en/password-reset') recording = false;
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    client = new Client(`http://127.0.0.1:${address.port}`);
    await createFirstAdministrator(database.db, await createSetupToken(database.db), { email: 'admin@example.org', displayName: 'Admin', password: 'correct horse battery staple' });
    const now = new Date().toISOString();
    await database.db
      .insertInto('jurisdictions')
      .values([
        { slug: 'gjakova', name: JSON.stringify({ en: 'Gjakova' }), kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now },
        { slug: 'prizren', name: JSON.stringify({ en: 'Prizren' }), kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now },
      ])
      .execute();
  });
  after(async () => {
    await app.close();
  });
  beforeEach(async () => {
    // Every request comes from 127.0.0.1: each test starts with no attempt counted.
    await get().db.deleteFrom('login_attempts').execute();
  });

  async function newUser(email: string, role = 'coordinator', jurisdictionSlug: string | undefined = 'gjakova') {
    const created = await createUserCommand(get().db, { email, displayName: email.split('@')[0]!, role, password: PASSWORD, ...(jurisdictionSlug ? { jurisdictionSlug } : {}) });
    assert.equal(created.kind, 'created');
    return (created as { userId: number }).userId;
  }

  async function sessionsOf(userId: number) {
    return (await get().db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).length;
  }

  async function withTwoFactor(userId: number): Promise<string> {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await get().db.updateTable('users').set({ totp_secret: secret, totp_last_step: null }).where('id', '=', userId).execute();
    await get().db.deleteFrom('totp_used_steps').where('user_id', '=', userId).execute();
    return secret;
  }

  test('parallel wrong passwords: at most the limit are checked, and the right password sent once the limit is used does not sign in', async () => {
    const userId = await newUser('burst@example.org');
    const csrf = await client.csrf();
    const attempt = (password: string) => client.post('/en/login', { email: 'burst@example.org', password, next: '/en/admin', _csrf: csrf.token }, { _csrf: csrf.cookie });
    checkCounts.passwords = 0;
    let answered = 0;
    let limitUsed!: () => void;
    const used = new Promise<void>((resolve) => (limitUsed = resolve));
    const wrong = Array.from({ length: 50 }, (_, i) =>
      attempt(`wrong password ${i}`).then(async (response) => {
        await response.text();
        if (++answered >= THROTTLE.perAccount) limitUsed();
        return response.status;
      }),
    );
    await used;
    // Within the burst: other wrong attempts may still be on their way.
    const right = await attempt(PASSWORD);
    const statuses = await Promise.all(wrong);
    console.log(`parallel attempts checked [${get().dialect}]: ${checkCounts.passwords} of 51 (limit ${THROTTLE.perAccount})`);
    assert.ok(checkCounts.passwords <= THROTTLE.perAccount, `${checkCounts.passwords} passwords checked`);
    assert.equal(statuses.filter((s) => s === 422).length, checkCounts.passwords, 'each checked attempt is answered as wrong, the others as throttled');
    assert.equal(statuses.filter((s) => s === 429).length, 50 - checkCounts.passwords);
    assert.equal(right.status, 429);
    assert.equal(cookiesOf(right).besa_session, undefined);
    assert.equal(await sessionsOf(userId), 0);
  });

  test('a burst of 30 wrong and 1 right password at once: no more checks than the limit', async () => {
    const userId = await newUser('burst2@example.org');
    const csrf = await client.csrf();
    const attempt = (password: string) => client.post('/en/login', { email: 'burst2@example.org', password, next: '/en/admin', _csrf: csrf.token }, { _csrf: csrf.cookie });
    checkCounts.passwords = 0;
    const responses = await Promise.all([...Array.from({ length: 30 }, (_, i) => attempt(`wrong ${i}`)), attempt(PASSWORD)]);
    await Promise.all(responses.map((r) => r.text()));
    console.log(`parallel attempts checked, 30 wrong + 1 right [${get().dialect}]: ${checkCounts.passwords} of 31; signed in: ${responses[30]!.status === 303}`);
    assert.ok(checkCounts.passwords <= THROTTLE.perAccount, `${checkCounts.passwords} passwords checked`);
    // The right password signs in only if it was one of the attempts checked.
    assert.equal(await sessionsOf(userId), responses[30]!.status === 303 ? 1 : 0);
  });

  test('one TOTP code sent with several pending second steps at once gives exactly one session', async () => {
    const userId = await newUser('race@example.org');
    const secret = await withTwoFactor(userId);
    const challenges: string[] = [];
    for (let i = 0; i < 4; i++) {
      const csrf = await client.csrf();
      const first = await client.post('/en/login', { email: 'race@example.org', password: PASSWORD, next: '/en/admin', _csrf: csrf.token }, { _csrf: csrf.cookie });
      assert.equal(first.status, 303);
      challenges.push(cookiesOf(first).besa_2fa!);
    }
    const csrf = await client.csrf();
    const code = totpCode(secret);
    checkCounts.codes = 0;
    const responses = await Promise.all(
      challenges.map((challenge) => client.post('/en/login/two-factor', { code, next: '/en/admin', _csrf: csrf.token }, { _csrf: csrf.cookie, besa_2fa: challenge })),
    );
    await Promise.all(responses.map((r) => r.text()));
    const signedIn = responses.filter((r) => r.status === 303 && cookiesOf(r).besa_session);
    console.log(`parallel second steps with one code [${get().dialect}]: ${checkCounts.codes} checked, ${signedIn.length} signed in`);
    assert.equal(checkCounts.codes, 4, 'every second step reached the code check');
    assert.equal(signedIn.length, 1);
    assert.equal(await sessionsOf(userId), 1);
    assert.deepEqual(responses.map((r) => r.status).sort(), [303, 422, 422, 422]);
  });

  test('one TOTP code sent at once to second steps and to switching two-factor off is accepted once', async () => {
    const userId = await newUser('race.off@example.org');
    const secret = await withTwoFactor(userId);
    const session = await insertSession(get().db, userId);
    const challenges: string[] = [];
    for (let i = 0; i < 3; i++) {
      const csrf = await client.csrf();
      const first = await client.post('/en/login', { email: 'race.off@example.org', password: PASSWORD, next: '/en/admin', _csrf: csrf.token }, { _csrf: csrf.cookie });
      challenges.push(cookiesOf(first).besa_2fa!);
    }
    const csrf = await client.csrf();
    const code = totpCode(secret);
    const sessionsBefore = await sessionsOf(userId);
    const [off, ...steps] = await Promise.all([
      client.post('/en/admin/account/two-factor/disable', { password: PASSWORD, code, _csrf: csrf.token }, { _csrf: csrf.cookie, besa_session: session }),
      ...challenges.map((challenge) => client.post('/en/login/two-factor', { code, next: '/en/admin', _csrf: csrf.token }, { _csrf: csrf.cookie, besa_2fa: challenge })),
    ]);
    await Promise.all([off!, ...steps].map((r) => r.text()));
    const switchedOff = off!.status === 303;
    const signedIn = steps.filter((r) => r.status === 303 && cookiesOf(r).besa_session).length;
    assert.equal(Number(switchedOff) + signedIn, 1, `switched off: ${switchedOff}, signed in: ${signedIn}`);
    assert.equal(await sessionsOf(userId), sessionsBefore + signedIn);
    const stored = await get().db.selectFrom('users').select('totp_secret').where('id', '=', userId).executeTakeFirstOrThrow();
    assert.equal(stored.totp_secret === null, switchedOff);
  });

  test('hostile `next` values: sign-in and the two-factor step answer 303 to a same-origin path and deliver the session cookie', async () => {
    const plain = 'hostile@example.org';
    await newUser(plain);
    const totpUser = await newUser('hostile2fa@example.org');
    const secret = await withTwoFactor(totpUser);
    const hostile = [
      '/\t/evil.example',
      '/%09/evil.example',
      '//evil.example',
      '/\\evil.example',
      '/\\/evil.example',
      'https://evil.example/',
      '/.//evil.example',
      '/en/admin\r\nSet-Cookie: x=1',
      '/en/admin\u0000',
      '/en/admin\u0085',
      '/en/admin/\u00eb?q=\u0402#\u010d',
      '/en/admin/\u2028',
      '/en/\ud800',
      '/en/admin/\u{1F600}',
    ];
    const sameOrigin = (location: string | null) => {
      assert.ok(location, 'a Location');
      assert.match(location, /^\/(?![/\\])[\x21-\x7e]*$/, `${JSON.stringify(location)} is a plain local path`);
      const base = 'http://site.invalid';
      assert.equal(new URL(location, base).origin, base);
    };
    for (const next of hostile) {
      const csrf = await client.csrf();
      const response = await client.post('/en/login', { email: plain, password: PASSWORD, next, _csrf: csrf.token }, { _csrf: csrf.cookie });
      assert.equal(response.status, 303, JSON.stringify(next));
      sameOrigin(response.headers.get('location'));
      assert.ok(cookiesOf(response).besa_session, `the session cookie is delivered for ${JSON.stringify(next)}`);

      await withTwoFactor(totpUser);
      const first = await client.post('/en/login', { email: 'hostile2fa@example.org', password: PASSWORD, next, _csrf: csrf.token }, { _csrf: csrf.cookie });
      assert.equal(first.status, 303);
      sameOrigin(first.headers.get('location'));
      const second = await client.post('/en/login/two-factor', { code: totpCode(secret), next, _csrf: csrf.token }, { _csrf: csrf.cookie, besa_2fa: cookiesOf(first).besa_2fa! });
      assert.equal(second.status, 303, JSON.stringify(next));
      sameOrigin(second.headers.get('location'));
      assert.ok(cookiesOf(second).besa_session, `the session cookie is delivered after the second step for ${JSON.stringify(next)}`);
    }
    // The review's example, through the sign-in page's hidden field.
    const page = await client.get('/en/login?next=%2F%09%2Fevil.example');
    assert.match(await page.text(), /name="next" value="\/en\/admin"/);
  });

  test('safeNext keeps local paths (percent-encoded) and refuses everything else', () => {
    const fallback = '/en/admin';
    assert.equal(safeNext('/en/admin/users?x=1#top', fallback), '/en/admin/users?x=1#top');
    assert.equal(safeNext('/en/admin/%09x', fallback), '/en/admin/%09x');
    assert.equal(safeNext('/en/admin/\u00eb', fallback), '/en/admin/%C3%AB');
    for (const bad of ['/\t/evil.example', '//evil.example', '/\\evil.example', 'https://evil.example', 'evil', '/.//evil.example', '/a b', '/en/\ud800', '', undefined]) {
      assert.equal(safeNext(bad, fallback), fallback, JSON.stringify(bad));
    }
  });

  test('invitation: the answer is the same for an address with an account and one without; the e-mail tells the difference', async () => {
    await newUser('jadmin@example.org', 'administrator', 'gjakova');
    const jadmin = (await get().db.selectFrom('users').select('id').where('email', '=', 'jadmin@example.org').executeTakeFirstOrThrow()).id;
    const session = await insertSession(get().db, jadmin);
    // An account elsewhere (another jurisdiction), which this administrator cannot see.
    const elsewhere = await newUser('elsewhere@example.org', 'coordinator', 'prizren');
    const jurisdictionId = (await get().db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow()).id;
    const csrf = await client.csrf();
    const invite = async (email: string) => {
      const response = await client.post(
        '/en/admin/users/invite',
        { email, role: 'monitoring_member', jurisdiction: String(jurisdictionId), institution: '', _csrf: csrf.token },
        { _csrf: csrf.cookie, besa_session: session },
      );
      const body = await response.text();
      const flash = cookiesOf(response).besa_flash;
      return { status: response.status, location: response.headers.get('location'), body, flash };
    };
    const known = await invite('Elsewhere@example.org');
    const unknown = await invite('nobody.yet@example.org');
    assert.equal(known.status, 303);
    assert.deepEqual(known, unknown, 'status, Location, flash and body are the same');

    const mail = async (to: string) => get().db.selectFrom('mail_outbox').select(['subject', 'text_body']).where('to_address', '=', to).execute();
    const [toKnown] = await mail('elsewhere@example.org');
    const [toUnknown] = await mail('nobody.yet@example.org');
    assert.match(toKnown!.text_body, /given your Besa account the role Monitoring/);
    assert.match(toKnown!.text_body, /\/en\/login/);
    assert.doesNotMatch(toKnown!.text_body, /invitations\//, 'no set-password link for an existing account');
    assert.match(toUnknown!.text_body, /\/en\/invitations\/[A-Za-z0-9_-]+/);
    const roles = await get().db.selectFrom('user_roles').select(['role', 'jurisdiction_id']).where('user_id', '=', elsewhere).orderBy('role').execute();
    assert.deepEqual(roles.map((r) => r.role), ['coordinator', 'monitoring_member']);
  });

  test('password reset: the same statements run before the answer for an address with an account and one without', async () => {
    await newUser('resetme@example.org');
    const csrf = await client.csrf('/en/password-reset');
    const request = async (email: string) => {
      statements.length = 0;
      const response = await client.post('/en/password-reset', { email, _csrf: csrf.token }, { _csrf: csrf.cookie });
      await response.text();
      const seen = [...statements];
      return { status: response.status, location: response.headers.get('location'), flash: cookiesOf(response).besa_flash, seen };
    };
    const mailCount = async (to: string) => (await get().db.selectFrom('mail_outbox').select('id').where('to_address', '=', to).execute()).length;
    const unknown = await request('nobody@example.org');
    const known = await request('resetme@example.org');
    assert.deepEqual(known.seen, unknown.seen, 'the same database statements, in the same order');
    const { seen: _k, ...knownAnswer } = known;
    const { seen: _u, ...unknownAnswer } = unknown;
    assert.deepEqual(knownAnswer, unknownAnswer);
    assert.equal(await eventually(() => mailCount('resetme@example.org'), (n) => n === 1), 1, 'the link is mailed after the answer');
    assert.equal(await mailCount('nobody@example.org'), 0);
  });

  test('parallel reset requests for one address send at most the hourly limit of links', async () => {
    const userId = await newUser('manyresets@example.org');
    const csrf = await client.csrf('/en/password-reset');
    const responses = await Promise.all(Array.from({ length: 12 }, () => client.post('/en/password-reset', { email: 'manyresets@example.org', _csrf: csrf.token }, { _csrf: csrf.cookie })));
    await Promise.all(responses.map((r) => r.text()));
    assert.ok(responses.every((r) => r.status === 303));
    const links = async () => (await get().db.selectFrom('password_resets').select('token_hash').where('user_id', '=', userId).execute()).length;
    // Wait for the work after the answers to end (3 links), then make sure no more arrive.
    assert.equal(await eventually(links, (n) => n >= 3), 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await links(), 3);
  });
});
