import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, after, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { describeEachDatabase } from '../../../test/db.js';
import { createMailTransport, deliverDueMail, readMailbox } from '../mail/index.js';
import { mailHtml } from '../mail/compose.js';
import { createSetupToken, createUserCommand, requestPasswordReset } from './commands.js';

function csrfOf(page: LightMyRequestResponse): { token: string; cookie: string } {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
  assert.ok(token && cookie, 'the page has a CSRF token and cookie');
  return { token, cookie };
}

test('the HTML part is the text, escaped, in a small document with the language and no remote resource', () => {
  const html = mailHtml('sr-Cyrl', 'Позвани сте <у Бесу>', 'Здраво, <b>Ана</b> & сви,\n\nОтворите везу:\nhttps://besa.example.org/sr-Cyrl/invitations/abc?x=1&y=2.\n"https://x.example.org/"><script>"\n\n— Besa');
  assert.match(html, /^<!doctype html>\n<html lang="sr-Cyrl" dir="ltr">/);
  assert.match(html, /<title>Позвани сте &lt;у Бесу(>|&gt;)<\/title>/);
  assert.match(html, /<p>Здраво, &lt;b(>|&gt;)Ана&lt;\/b(>|&gt;) &amp; сви,<\/p>/);
  // The address is a link (escaped), the sentence's full stop left out of it; a quote ends an address.
  assert.match(html, /<a href="https:\/\/besa\.example\.org\/sr-Cyrl\/invitations\/abc\?x=1&amp;y=2">https:\/\/besa\.example\.org\/sr-Cyrl\/invitations\/abc\?x=1&amp;y=2<\/a>\.<br>/);
  assert.match(html, /(&quot;|&#34;)<a href="https:\/\/x\.example\.org\/">https:\/\/x\.example\.org\/<\/a>(&quot;|&#34;)(>|&gt;)&lt;script(>|&gt;)/);
  assert.doesNotMatch(html, /<b>|<img|<link|<script|src=|url\(/);
});

describeEachDatabase('languages of people and their e-mails', (get) => {
  let app: FastifyInstance;
  let adminSession: string;
  let jurisdictionId: number;
  let mailDir: string;

  function getPage(url: string, session?: string) {
    return app.inject({ method: 'GET', url, cookies: session ? { besa_session: session } : {} });
  }

  function postForm(url: string, fields: Record<string, string>, csrf: { token: string; cookie: string }, session?: string) {
    return app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams({ ...fields, _csrf: csrf.token }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { _csrf: csrf.cookie, ...(session ? { besa_session: session } : {}) },
    });
  }

  async function mailTo(address: string) {
    return get().db.selectFrom('mail_outbox').selectAll().where('to_address', '=', address).orderBy('id').execute();
  }

  async function localeOf(email: string) {
    return (await get().db.selectFrom('users').select('locale').where('email', '=', email).executeTakeFirstOrThrow()).locale;
  }

  before(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'besa-lang-mail-'));
    app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', BESA_PUBLIC_URL: 'https://besa.example.org' } as NodeJS.ProcessEnv), database: get() });
    const now = new Date().toISOString();
    jurisdictionId = (
      await get()
        .db.insertInto('jurisdictions')
        .values({ slug: 'gjakova', name: JSON.stringify({ sq: 'Komuna e Gjakovës', en: 'Municipality of Gjakova' }), kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  after(async () => {
    await app.close();
    await rm(mailDir, { recursive: true, force: true });
  });

  test('the first administrator takes the language of the setup page', async () => {
    const token = await createSetupToken(get().db);
    const page = await getPage(`/fr/setup/${token}`);
    assert.equal(page.statusCode, 200);
    const done = await postForm(`/fr/setup/${token}`, { display_name: 'Arta Krasniqi', email: 'admin@example.org', password: 'correct horse battery staple' }, csrfOf(page));
    assert.equal(done.statusCode, 303);
    adminSession = done.cookies.find((c) => c.name === 'besa_session')!.value;
    assert.equal(await localeOf('admin@example.org'), 'fr');
  });

  test('the invitation form offers the languages, the page’s first; the e-mail and the account take the one chosen', async () => {
    const form = await getPage('/en/admin/users/invite', adminSession);
    assert.match(form.body, /<select id="field-language" name="language"/);
    assert.match(form.body, /<option value="en" selected>English<\/option>/);
    assert.match(form.body, /<option value="sq">Shqip<\/option>/);

    const refused = await postForm('/en/admin/users/invite', { email: 'drita@example.org', role: 'coordinator', jurisdiction: String(jurisdictionId), language: 'xx' }, csrfOf(form), adminSession);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /href="#field-language"/);
    assert.match(refused.body, /value="drita@example\.org"/, 'nothing typed is lost');
    assert.equal((await mailTo('drita@example.org')).length, 0);

    const sent = await postForm('/en/admin/users/invite', { email: 'drita@example.org', role: 'coordinator', jurisdiction: String(jurisdictionId), language: 'sq' }, csrfOf(form), adminSession);
    assert.equal(sent.statusCode, 303);
    const [mail] = await mailTo('drita@example.org');
    assert.ok(mail);
    assert.equal(mail.subject, 'Jeni ftuar në Besë');
    assert.match(mail.text_body, /Arta Krasniqi ju fton të merrni pjesë në Besë si Koordinator/i);
    assert.match(mail.text_body, /Komuna e Gjakovës/);
    assert.match(mail.html_body ?? '', /<html lang="sq"/);
    const path = /https:\/\/besa\.example\.org(\/sq\/invitations\/[A-Za-z0-9_-]+)/.exec(mail.text_body)?.[1];
    assert.ok(path, mail.text_body);
    assert.ok((mail.html_body ?? '').includes(`<a href="https://besa.example.org${path}">`));

    const page = await getPage(path);
    const accepted = await postForm(path, { display_name: 'Drita Berisha', password: 'a long enough password' }, csrfOf(page));
    assert.equal(accepted.statusCode, 303);
    assert.equal(await localeOf('drita@example.org'), 'sq');
  });

  test('a password reset asked from an English page is written in the person’s own language', async () => {
    await requestPasswordReset(get().db, 'drita@example.org', { publicUrl: 'https://besa.example.org', locale: 'en' });
    const mail = (await mailTo('drita@example.org')).at(-1)!;
    assert.equal(mail.subject, 'Zgjidhni një fjalëkalim të ri për Besën');
    assert.match(mail.text_body, /https:\/\/besa\.example\.org\/sq\/password-reset\//);
    assert.match(mail.html_body ?? '', /<html lang="sq"/);
  });

  test('a person changes the language of their e-mails on their account page', async () => {
    const drita = await get().db.selectFrom('users').select('id').where('email', '=', 'drita@example.org').executeTakeFirstOrThrow();
    const session = (await import('./repository.js')).insertSession(get().db, drita.id);
    const account = await getPage('/sq/admin/account', await session);
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /Gjuha e e-mailave tuaj/);
    assert.match(account.body, /<option value="sq" selected>Shqip<\/option>/);

    const wrong = await postForm('/sq/admin/account/language', { language: 'de' }, csrfOf(account), await session);
    assert.equal(wrong.statusCode, 422);
    assert.equal(await localeOf('drita@example.org'), 'sq');

    const changed = await postForm('/sq/admin/account/language', { language: 'sr-Latn' }, csrfOf(account), await session);
    assert.equal(changed.statusCode, 303);
    assert.equal(changed.headers.location, '/sq/admin/account');
    assert.equal(await localeOf('drita@example.org'), 'sr-Latn');
    await requestPasswordReset(get().db, 'drita@example.org', { publicUrl: 'https://besa.example.org', locale: 'sq' });
    assert.equal((await mailTo('drita@example.org')).at(-1)!.subject, 'Izaberite novu lozinku za Besu');

    const none = await postForm('/sq/admin/account/language', { language: '' }, csrfOf(account), await session);
    assert.equal(none.statusCode, 303);
    assert.equal(await localeOf('drita@example.org'), null);
    await requestPasswordReset(get().db, 'drita@example.org', { publicUrl: 'https://besa.example.org', locale: 'fr' });
    assert.equal((await mailTo('drita@example.org')).at(-1)!.subject, 'Choisissez un nouveau mot de passe pour Besa');
  });

  test('besa user create --locale: the invitation in that language, the link to that language', async () => {
    const invited = await createUserCommand(get().db, { email: 'milan@example.org', displayName: 'Milan', role: 'coordinator', jurisdictionSlug: 'gjakova', publicUrl: 'https://besa.example.org', locale: 'sr-Cyrl' });
    assert.equal(invited.kind, 'invited');
    assert.match((invited as { path: string }).path, /^\/sr-Cyrl\/invitations\//);
    const [mail] = await mailTo('milan@example.org');
    assert.equal(mail!.subject, 'Позвани сте у Бесу');
    assert.match(mail!.html_body ?? '', /<html lang="sr-Cyrl"/);
    const created = await createUserCommand(get().db, { email: 'claire@example.org', displayName: 'Claire', role: 'coordinator', jurisdictionSlug: 'gjakova', password: 'a long enough password', locale: 'fr' });
    assert.equal(created.kind, 'created');
    assert.equal(await localeOf('claire@example.org'), 'fr');
  });

  test('delivered: multipart/alternative with the text and the HTML part, from the configured sender', async () => {
    const config = loadConfig({ NODE_ENV: 'test', BESA_MAIL_TRANSPORT: 'file', BESA_MAIL_DIR: mailDir, BESA_MAIL_FROM: 'Besa Gjakova <besa@gjakova.example.org>' } as NodeJS.ProcessEnv);
    const transport = createMailTransport(config.mail);
    for (let i = 0; i < 10; i++) if ((await deliverDueMail(get().db, transport)).due === 0) break;
    const messages = await readMailbox(mailDir);
    const invitation = messages.find((m) => m.to === 'milan@example.org');
    assert.ok(invitation);
    assert.match(invitation.from, /^Besa Gjakova <besa@gjakova\.example\.org>$/);
    assert.match(invitation.headers['content-type'] ?? '', /^multipart\/alternative;/);
    assert.match(invitation.subject, /Позвани сте у Бесу/);
    assert.match(invitation.text, /https:\/\/besa\.example\.org\/sr-Cyrl\/invitations\//);
    assert.match(invitation.html ?? '', /<html lang="sr-Cyrl"/);
    assert.match(invitation.html ?? '', /<a href="https:\/\/besa\.example\.org\/sr-Cyrl\/invitations\//);
    // Every message Besa sends has both parts.
    for (const m of messages) assert.ok(m.text.trim() && m.html?.includes('<html lang='), m.subject);
  });
});
