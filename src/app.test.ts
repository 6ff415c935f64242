import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { actorWith } from '../test/actors.js';
import { openTestDatabase, type TestDatabase } from '../test/db.js';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createFirstAdministrator, createSetupToken, createUserCommand, inviteUser, requestPasswordReset } from './modules/accounts/commands.js';

interface LogLine {
  level: number;
  msg?: string;
  path?: string;
  status?: number;
  req?: { method?: string; path?: string };
  [key: string]: unknown;
}

const DEBUG = 20;
const INFO = 30;
const ERROR = 50;

function csrfOf(page: LightMyRequestResponse): { token: string; cookie: string } {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
  assert.ok(token, 'the form has a CSRF field');
  assert.ok(cookie, 'the response sets the CSRF cookie');
  return { token, cookie };
}

function postForm(app: FastifyInstance, url: string, fields: Record<string, string>, csrf: { token: string; cookie: string }, extra: { headers?: Record<string, string>; remoteAddress?: string } = {}) {
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: extra.remoteAddress,
    payload: new URLSearchParams({ ...fields, _csrf: csrf.token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra.headers },
    cookies: { _csrf: csrf.cookie },
  });
}

describe('request logs never hold a one-time token', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const raw: string[] = [];
  const lines = (): LogLine[] => raw.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine);
  let adminId: number;
  /** Made before the first administrator exists, as on a fresh installation. */
  let setupToken: string;

  before(async () => {
    database = await openTestDatabase('sqlite');
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' } as NodeJS.ProcessEnv);
    app = await buildApp({ config, database, logStream: { write: (line) => void raw.push(line) } });
    // A route of the same shape as the token routes that fails after writing Fastify's own `req` object.
    app.get('/:locale/setup/:token/failing', async (request) => {
      request.log.error({ req: request }, 'failing on purpose');
      throw new Error('failing on purpose');
    });
    await app.ready();
    setupToken = await createSetupToken(database.db);
    const setup = await createSetupToken(database.db);
    await createFirstAdministrator(database.db, setup, { email: 'admin@example.org', displayName: 'Arta Krasniqi', password: 'correct horse battery staple' });
    adminId = (await database.db.selectFrom('users').select('id').where('email', '=', 'admin@example.org').executeTakeFirstOrThrow()).id;
  });
  after(async () => {
    await app.close();
    await database.destroy();
  });

  test('an invitation answered 422 (its token still valid), the reset page and the setup link write [token] instead', async () => {
    const { path } = await inviteUser(database.db, actorWith('administrator', { userId: adminId }), { email: 'new.person@example.org', role: 'administrator', jurisdictionId: null, institutionId: null }, { publicUrl: '', locale: 'en' });
    const token = path.split('/').pop()!;
    assert.ok(token.length >= 20, path);

    await createUserCommand(database.db, { email: 'reset.me@example.org', displayName: 'Reset Me', role: 'administrator', password: 'a long enough password' });
    await requestPasswordReset(database.db, 'reset.me@example.org', { publicUrl: '', locale: 'sq' });
    const mail = await database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'reset.me@example.org').executeTakeFirstOrThrow();
    const resetPath = /(\/sq\/password-reset\/[A-Za-z0-9_-]+)/.exec(mail.text_body)?.[1];
    assert.ok(resetPath);
    const resetToken = resetPath.split('/').pop()!;

    raw.length = 0;
    const page = await app.inject({ method: 'GET', url: path });
    assert.equal(page.statusCode, 200);
    const refused = await postForm(app, `${path}?from=mail`, { display_name: '', password: 'short' }, csrfOf(page));
    assert.equal(refused.statusCode, 422, 'the invitation form is refused: its token stays valid');
    assert.equal((await app.inject({ method: 'GET', url: resetPath })).statusCode, 200);
    const setupStatus = (await app.inject({ method: 'GET', url: `/fr/setup/${setupToken}/` })).statusCode;
    // No route answers these, yet the link is still valid: the 404 line must not write it either.
    assert.equal((await app.inject({ method: 'PUT', url: path })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: `${resetPath}/more` })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: `/en/setup/${setupToken}/failing` })).statusCode, 500);

    const written = raw.join('');
    for (const secret of [token, resetToken, setupToken]) assert.ok(!written.includes(secret), `a token reached the log:\n${written}`);
    const requests = lines().filter((l) => l.status !== undefined);
    assert.deepEqual(
      requests.map((l) => [l.method, l.path, l.status]),
      [
        ['GET', '/en/invitations/[token]', 200],
        ['POST', '/en/invitations/[token]', 422],
        ['GET', '/sq/password-reset/[token]', 200],
        ['GET', '/fr/setup/[token]/', setupStatus],
        ['PUT', '/en/invitations/[token]', 404],
        ['GET', '/sq/password-reset/[token]/more', 404],
        ['GET', '/en/setup/[token]/failing', 500],
      ],
    );
    // Fastify's own `req` object is written through the same redaction.
    const own = lines().find((l) => l.msg === 'failing on purpose' && l.req);
    assert.deepEqual(own?.req, { method: 'GET', path: '/en/setup/[token]/failing' });
  });

  test('each request is one line: at debug, client errors included; server errors at error', async () => {
    raw.length = 0;
    assert.equal((await app.inject({ method: 'GET', url: '/en/' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/en/no-such-place?q=private' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/xx/' })).statusCode, 404);
    const notFound = lines().filter((l) => l.path === '/en/no-such-place');
    assert.equal(notFound.length, 1, 'a 404 is logged once');
    assert.equal(notFound[0]!.level, DEBUG);
    assert.equal(notFound[0]!.status, 404);
    assert.equal(lines().filter((l) => l.path === '/xx/').length, 1);
    assert.ok(!raw.join('').includes('private'), 'no query string');
    const home = lines().filter((l) => l.path === '/en/');
    assert.equal(home.length, 1);
    assert.equal(home[0]!.level, DEBUG);
    assert.equal(lines().filter((l) => l.level >= INFO).length, 0, 'nothing above debug for ordinary requests');

    raw.length = 0;
    assert.equal((await app.inject({ method: 'GET', url: '/en/setup/abc/failing' })).statusCode, 500);
    const failed = lines().filter((l) => l.status === 500);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.level, ERROR);
  });
});

describe('cookies follow the public address', () => {
  async function cookiesOf(env: Record<string, string>, headers: Record<string, string> = {}) {
    const database = await openTestDatabase('sqlite');
    const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', ...env } as NodeJS.ProcessEnv), database });
    try {
      await createUserCommand(database.db, { email: 'someone@example.org', displayName: 'Someone', role: 'administrator', password: 'a long enough password' });
      const login = await app.inject({ method: 'GET', url: '/en/login', headers });
      assert.equal(login.statusCode, 200);
      const signedIn = await postForm(app, '/en/login', { email: 'someone@example.org', password: 'a long enough password', next: '/en/admin' }, csrfOf(login), { headers });
      assert.equal(signedIn.statusCode, 303);
      const reset = await app.inject({ method: 'GET', url: '/en/password-reset', headers });
      const requested = await postForm(app, '/en/password-reset', { email: 'nobody@example.org' }, csrfOf(reset), { headers });
      assert.equal(requested.statusCode, 303);
      const all = [...login.cookies, ...signedIn.cookies, ...requested.cookies];
      const byName = (name: string) => all.find((c) => c.name === name);
      return { csrf: byName('_csrf'), session: byName('besa_session'), flash: byName('besa_flash') };
    } finally {
      await app.close();
      await database.destroy();
    }
  }

  test('BESA_PUBLIC_URL=https://… makes the session, CSRF and flash cookies Secure, with no proxy trusted', async () => {
    const { csrf, session, flash } = await cookiesOf({ BESA_PUBLIC_URL: 'https://besa.example.org' });
    for (const [name, c] of Object.entries({ csrf, session, flash })) {
      assert.ok(c, `${name} cookie set`);
      assert.equal(c.secure, true, `${name} cookie is Secure`);
      assert.equal(c.httpOnly, true, `${name} cookie is HttpOnly`);
    }
  });

  test('an http public address sets no Secure, unless a trusted proxy says the request came over https', async () => {
    const plain = await cookiesOf({});
    for (const c of [plain.csrf, plain.session, plain.flash]) assert.notEqual(c?.secure, true, c?.name);
    const proxied = await cookiesOf({ BESA_TRUST_PROXY: '127.0.0.1' }, { 'x-forwarded-proto': 'https' });
    for (const c of [proxied.csrf, proxied.session, proxied.flash]) assert.equal(c?.secure, true, c?.name);
  });
});

describe('BESA_TRUST_PROXY decides whose X-Forwarded-For is believed (the sign-in throttle counts request.ip)', () => {
  async function ipSeen(env: Record<string, string>, remoteAddress: string, forwardedFor: string | undefined): Promise<string> {
    const database = await openTestDatabase('sqlite');
    const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', ...env } as NodeJS.ProcessEnv), database });
    app.get('/test-ip', async (request) => request.ip);
    try {
      const response = await app.inject({ method: 'GET', url: '/test-ip', remoteAddress, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
      assert.equal(response.statusCode, 200);
      return response.body;
    } finally {
      await app.close();
      await database.destroy();
    }
  }

  test('a spoofed X-Forwarded-For from an address that is not a trusted proxy is ignored', async () => {
    assert.equal(await ipSeen({ BESA_TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }, '203.0.113.9', '198.51.100.7'), '203.0.113.9');
    assert.equal(await ipSeen({}, '203.0.113.9', '198.51.100.7'), '203.0.113.9');
  });

  test('from a trusted proxy, the address it saw counts, not what the client wrote before it', async () => {
    assert.equal(await ipSeen({ BESA_TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }, '10.1.2.3', '6.6.6.6, 198.51.100.7'), '198.51.100.7');
    assert.equal(await ipSeen({ BESA_TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }, '10.1.2.3', '6.6.6.6, 198.51.100.7, 10.9.9.9'), '198.51.100.7');
  });

  test('a hop count believes that many proxies; true is one proxy, not every X-Forwarded-For entry', async () => {
    assert.equal(await ipSeen({ BESA_TRUST_PROXY: '1' }, '127.0.0.1', '6.6.6.6, 198.51.100.7'), '198.51.100.7');
    assert.equal(await ipSeen({ BESA_TRUST_PROXY: 'true' }, '127.0.0.1', '6.6.6.6, 198.51.100.7'), '198.51.100.7');
    assert.equal(await ipSeen({ BESA_TRUST_PROXY: '2' }, '127.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.2'), '198.51.100.7');
  });
});
