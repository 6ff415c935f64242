import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { seedIfEmpty } from '../src/db/seeds/index.js';
import { LOCALES } from '../src/i18n/locales.js';
import { createFirstAdministrator, createSetupToken } from '../src/modules/accounts/commands.js';
import { DIALECTS } from './db.js';
import { openTestApp, type TestApp } from './app.js';

/** The footer's sign-in link text in every locale (sr-Cyrl derived from sr-Latn). */
const SIGN_IN: Record<string, string> = { sq: 'Hyr', 'sr-Latn': 'Prijavi se', 'sr-Cyrl': 'Пријави се', en: 'Sign in', fr: 'Se connecter' };

const PUBLIC_PAGES = ['/', '/gjakova', '/gjakova/plans/2024-2025', '/gjakova/plans/2024-2025/commitments/XKGJA0001', '/search?q=gjakov', '/accessibility', '/privacy', '/transparency'];

/** Signed out, each of these leads to sign-in with itself as `next`: the admin home in both spellings, deep pages, and an address that names no admin page. */
const ADMIN_URLS = ['/en/admin', '/en/admin/', '/en/admin/jurisdictions/gjakova/plans/2024-2025/edit', '/en/admin/users/invite?role=coordinator', '/en/admin/reporting', '/en/admin/no/such/page'];

const EMAIL = 'admin@example.org';
const PASSWORD = 'correct horse battery staple';

function signInLink(locale: string): string {
  return `<li class="sign-in"><a href="/${locale}/login">${SIGN_IN[locale]}</a></li>`;
}

function csrfOf(page: LightMyRequestResponse): { token: string; cookie: string } {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
  assert.ok(token && cookie, 'the page has a CSRF field and cookie');
  return { token, cookie };
}

for (const dialect of DIALECTS) {
  describe(`getting in [${dialect}]`, () => {
    let t: TestApp;
    let session: string;
    before(async () => {
      t = await openTestApp(dialect);
      await seedIfEmpty(t.database.db);
      session = await createFirstAdministrator(t.database.db, await createSetupToken(t.database.db), { email: EMAIL, displayName: 'Admin', password: PASSWORD });
    });
    after(async () => t.close());

    test('every public page in every locale has a sign-in link; admin pages, signed in, have the administration link instead', async () => {
      for (const locale of LOCALES) {
        for (const page of PUBLIC_PAGES) {
          const res = await t.app.inject(`/${locale}${page}`);
          assert.equal(res.statusCode, 200, `${locale}${page}`);
          assert.ok(res.body.includes(signInLink(locale)), `${locale}${page} has the sign-in link`);
          assert.equal(res.body.split('class="sign-in"').length, 2, `${locale}${page}: one sign-in link`);
        }
        const admin = await t.app.inject({ url: `/${locale}/admin`, cookies: { besa_session: session } });
        assert.equal(admin.statusCode, 200, `${locale}/admin`);
        assert.ok(!admin.body.includes(`href="/${locale}/login"`), `${locale}/admin: no sign-in link when signed in`);
        // The administration's link takes the sign-in link's place in the footer: the header keeps one shape.
        assert.ok(admin.body.includes(`<li class="sign-in"><a href="/${locale}/admin">`), `${locale}/admin: the footer links to the administration`);
        assert.ok(admin.body.includes(`<a href="/${locale}/admin">`), `${locale}/admin links to the administration`);
      }
    });

    test('signed in, the public sign-in link leads straight to the administration (or to next)', async () => {
      const follow = await t.app.inject({ url: '/fr/login', cookies: { besa_session: session } });
      assert.equal(follow.statusCode, 303);
      assert.equal(follow.headers.location, '/fr/admin');
      const withNext = await t.app.inject({ url: '/fr/login?next=%2Ffr%2Fadmin%2Freporting', cookies: { besa_session: session } });
      assert.equal(withNext.headers.location, '/fr/admin/reporting');
      const hostile = await t.app.inject({ url: '/fr/login?next=%2F%2Fevil.example', cookies: { besa_session: session } });
      assert.equal(hostile.headers.location, '/fr/admin');
      // A stale or unknown session is a visitor: the sign-in form.
      const stale = await t.app.inject({ url: '/fr/login', cookies: { besa_session: 'no-such-session' } });
      assert.equal(stale.statusCode, 200);
      assert.match(stale.body, /name="password"/);
    });

    test('signed out, the administration in every locale, with or without a trailing slash, leads to that locale\'s sign-in', async () => {
      for (const locale of LOCALES) {
        for (const url of [`/${locale}/admin`, `/${locale}/admin/`, `/${locale}/admin/account`, `/${locale}/admin/nothing-here/`]) {
          const res = await t.app.inject(url);
          assert.equal(res.statusCode, 303, `${url} signed out`);
          assert.equal(res.headers.location, `/${locale}/login?next=${encodeURIComponent(url)}`, url);
        }
      }
    });

    test('/admin without a language leads to the administration in the reader\'s language, then to sign-in', async () => {
      const fr = await t.app.inject({ url: '/admin', headers: { 'accept-language': 'fr-FR,fr;q=0.9' } });
      assert.equal(fr.statusCode, 302);
      assert.equal(fr.headers.location, '/fr/admin');
      assert.match(String(fr.headers.vary), /accept-language/);
      const deep = await t.app.inject({ url: '/admin/reporting?x=1', headers: { 'accept-language': 'en' } });
      assert.equal(deep.headers.location, '/en/admin/reporting?x=1');
      const signIn = await t.app.inject(String(deep.headers.location));
      assert.equal(signIn.statusCode, 303);
      assert.equal(signIn.headers.location, `/en/login?next=${encodeURIComponent('/en/admin/reporting?x=1')}`);
      const unicode = await t.app.inject({ url: '/admin/Gjakov%C3%AB/%E2%80%A8?q=%C3%AB', headers: { 'accept-language': 'en' } });
      assert.equal(unicode.statusCode, 302);
      assert.equal(unicode.headers.location, '/en/admin/Gjakov%C3%AB/%E2%80%A8?q=%C3%AB');
      const raw = await t.app.inject({ url: '/admin/Gjakovë', headers: { 'accept-language': 'en' } });
      assert.equal(raw.statusCode, 302);
      assert.equal(raw.headers.location, '/en/admin/Gjakov%C3%AB');
      const signedIn = await t.app.inject({ url: '/admin/', headers: { 'accept-language': 'sq' }, cookies: { besa_session: session } });
      assert.equal(signedIn.headers.location, '/sq/admin/');
      assert.equal((await t.app.inject({ url: '/sq/admin/', cookies: { besa_session: session } })).statusCode, 200);
    });

    test('signed out, every admin address leads to sign-in with next, and signing in returns there', async () => {
      let address = 10;
      for (const url of ADMIN_URLS) {
        const res = await t.app.inject(url);
        assert.equal(res.statusCode, 303, `${url} signed out`);
        assert.equal(res.headers.location, `/en/login?next=${encodeURIComponent(url)}`, url);

        const form = await t.app.inject(String(res.headers.location));
        assert.equal(form.statusCode, 200);
        const next = /name="next" value="([^"]*)"/.exec(form.body)?.[1]?.replaceAll('&amp;', '&');
        assert.equal(next, url, `the sign-in form keeps next for ${url}`);
        const csrf = csrfOf(form);
        const signIn = await t.app.inject({
          method: 'POST',
          url: '/en/login',
          remoteAddress: `127.0.0.${address++}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ email: EMAIL, password: PASSWORD, next, _csrf: csrf.token }).toString(),
          cookies: { _csrf: csrf.cookie },
        });
        assert.equal(signIn.statusCode, 303, `signing in from ${url}`);
        assert.equal(signIn.headers.location, url, `signing in returns to ${url}`);
        const cookie = signIn.cookies.find((c) => c.name === 'besa_session')?.value;
        assert.ok(cookie, 'signed in');
        const back = await t.app.inject({ url, cookies: { besa_session: cookie } });
        if (url.includes('/no/such/')) assert.equal(back.statusCode, 404, `${url}, signed in, names no page`);
        else assert.equal(back.statusCode, 200, `${url}, signed in`);
      }
    });
  });
}
