import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeEachDatabase } from '../../../test/db.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { parseTranslatable } from '../../lib/translatable.js';
import { createFirstAdministrator, createSetupToken } from '../accounts/commands.js';
import { insertSession } from '../accounts/repository.js';

/** Reads the `_csrf` hidden field of a page and the `_csrf` cookie its response set. */
function csrfOf(page: LightMyRequestResponse): { token: string; cookie: string } {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
  assert.ok(token, 'the form has a CSRF field');
  assert.ok(cookie, 'the response sets the CSRF cookie');
  return { token, cookie };
}

describeEachDatabase('jurisdiction admin routes', (get) => {
  let app: FastifyInstance;
  let session: string;

  before(async () => {
    const database = get();
    app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database });
    const setup = await createSetupToken(database.db);
    session = await createFirstAdministrator(database.db, setup, { email: 'admin@example.org', displayName: 'Arta Krasniqi', password: 'correct horse battery staple' });
  });
  after(async () => {
    await app.close();
  });

  async function getPage(url: string, cookies: Record<string, string> = {}) {
    return app.inject({ method: 'GET', url, cookies: { besa_session: session, ...cookies } });
  }

  async function postForm(url: string, fields: Record<string, string>, csrf?: { token: string; cookie: string }) {
    const body = new URLSearchParams({ ...fields, ...(csrf ? { _csrf: csrf.token } : {}) }).toString();
    return app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { besa_session: session, ...(csrf ? { _csrf: csrf.cookie } : {}) },
    });
  }

  test('anonymous visitors are sent to the sign-in page', async () => {
    const response = await app.inject({ method: 'GET', url: '/en/admin' });
    assert.equal(response.statusCode, 303);
    assert.match(String(response.headers.location), /^\/en\/login/);
  });

  test('the admin home shows the signed-in name and a sign-out form', async () => {
    const response = await getPage('/en/admin');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Arta Krasniqi/);
    assert.match(response.body, /action="\/en\/logout"/);
    assert.match(response.body, /href="\/en\/admin\/jurisdictions\/new"/);
  });

  test('an administrator creates a jurisdiction', async () => {
    const form = await getPage('/en/admin/jurisdictions/new?content=sq');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="content_locale" value="sq"/);
    assert.match(form.body, /id="field-name"[^>]*lang="sq"/);
    const response = await postForm(
      '/en/admin/jurisdictions/new',
      { slug: 'gjakova', kind: 'local', country_code: 'xk', website: '', name: 'Komuna e Gjakovës', description: '', content_locale: 'sq' },
      csrfOf(form),
    );
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/en/admin/jurisdictions/gjakova');
    const row = await get().db.selectFrom('jurisdictions').selectAll().where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
    assert.deepEqual(parseTranslatable(row.name), { sq: 'Komuna e Gjakovës' });
    assert.equal(row.country_code, 'XK');

    const page = await getPage('/en/admin/jurisdictions/gjakova');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Komuna e Gjakovës/);
    assert.match(page.body, /href="\/en\/admin\/jurisdictions\/gjakova\/plans\/new"/);
    assert.match(page.body, /href="\/en\/admin\/jurisdictions\/gjakova\/institutions\/new"/);
  });

  test('editing in English keeps the Albanian name', async () => {
    const form = await getPage('/en/admin/jurisdictions/gjakova/edit?content=en');
    assert.equal(form.statusCode, 200);
    const response = await postForm(
      '/en/admin/jurisdictions/gjakova/edit',
      { slug: 'gjakova', kind: 'local', country_code: 'XK', website: 'https://gjakovakomuna.net', name: 'Municipality of Gjakova', description: 'A local OGP member', content_locale: 'en' },
      csrfOf(form),
    );
    assert.equal(response.statusCode, 303);
    const row = await get().db.selectFrom('jurisdictions').selectAll().where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
    assert.deepEqual(parseTranslatable(row.name), { sq: 'Komuna e Gjakovës', en: 'Municipality of Gjakova' });
  });

  test('invalid input is answered with 422, the error summary and the typed values', async () => {
    const form = await getPage('/en/admin/jurisdictions/new');
    const response = await postForm(
      '/en/admin/jurisdictions/new',
      { slug: 'gjakova', kind: 'national', country_code: 'Kosovo', website: 'not a url', name: 'Typed "quoted" name', description: 'Kept text', content_locale: 'en' },
      csrfOf(form),
    );
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /class="error-summary"/);
    assert.match(response.body, /href="#field-slug"/);
    assert.match(response.body, /href="#field-country_code"/);
    assert.match(response.body, /href="#field-website"/);
    assert.match(response.body, /already used/);
    assert.match(response.body, /value="Typed (&quot;|&#34;)quoted(&quot;|&#34;) name"/);
    assert.match(response.body, /value="Kosovo"/);
    assert.match(response.body, />Kept text<\/textarea>/);
    assert.match(response.body, /<option value="national" selected/);
  });

  test('a POST without the CSRF token is refused', async () => {
    const response = await postForm('/en/admin/jurisdictions/new', { slug: 'prizren', kind: 'local', country_code: 'XK', name: 'Prizren', content_locale: 'en' });
    assert.equal(response.statusCode, 403);
    const row = await get().db.selectFrom('jurisdictions').select('id').where('slug', '=', 'prizren').executeTakeFirst();
    assert.equal(row, undefined);
  });

  test('an administrator adds an institution and an action plan to the jurisdiction', async () => {
    const institutionForm = await getPage('/sq/admin/jurisdictions/gjakova/institutions/new');
    assert.equal(institutionForm.statusCode, 200);
    const created = await postForm(
      '/sq/admin/jurisdictions/gjakova/institutions/new',
      { slug: 'information-office', kind: 'government', website: '', name: 'Zyra për Informim', description: '', content_locale: 'sq' },
      csrfOf(institutionForm),
    );
    assert.equal(created.statusCode, 303);
    const institution = await get().db.selectFrom('institutions').select('id').where('slug', '=', 'information-office').executeTakeFirstOrThrow();

    const planForm = await getPage('/sq/admin/jurisdictions/gjakova/plans/new');
    assert.equal(planForm.statusCode, 200);
    assert.match(planForm.body, /Zyra për Informim/);
    const fields = {
      slug: '2024-2025',
      title: 'Plani i Veprimit',
      starts_on: '2025-08-31',
      ends_on: '2024-09-01',
      submitted_on: '',
      status: 'draft',
      foreword: '',
      cocreation_groups: '4',
      cocreation_public_meetings: '',
      cocreation_summary: '',
      lead_institutions: String(institution.id),
      vision_new_question: 'Çfarë duam?',
      vision_new_answer: '',
      endorsement_0_organization: 'Forumi',
      endorsement_0_sector: 'civil_society',
      endorsement_1_organization: '',
      endorsement_1_sector: 'civil_society',
      content_locale: 'sq',
    };
    const csrf = csrfOf(planForm);
    const invalid = await postForm('/sq/admin/jurisdictions/gjakova/plans/new', fields, csrf);
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /href="#field-ends_on"/);
    assert.match(invalid.body, /href="#field-vision_new_answer"/);
    assert.match(invalid.body, /value="Forumi"/);
    assert.match(invalid.body, /value="Çfarë duam\?"/);
    assert.match(invalid.body, new RegExp(`value="${institution.id}" checked`));

    const saved = await postForm(
      '/sq/admin/jurisdictions/gjakova/plans/new',
      { ...fields, starts_on: '2024-09-01', ends_on: '2025-08-31', vision_new_answer: 'Një komunë të hapur.' },
      { token: /name="_csrf" value="([^"]+)"/.exec(invalid.body)?.[1] ?? '', cookie: csrf.cookie },
    );
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/sq/admin/jurisdictions/gjakova/plans/2024-2025');
    const page = await getPage('/sq/admin/jurisdictions/gjakova/plans/2024-2025');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/sq\/admin\/jurisdictions\/gjakova\/plans\/2024-2025\/commitments\/new"/);
    assert.match(page.body, /Forumi/);

    const edit = await getPage('/sq/admin/jurisdictions/gjakova/plans/2024-2025/edit?content=fr');
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /name="vision_0_id"/);
    assert.match(edit.body, /<div lang="sq"><p>Çfarë duam\?<\/p><\/div>/, 'the text in another language is shown for reference');
    assert.match(edit.body, /id="field-title"[^>]*lang="fr"/);
  });

  test('an administrator of one jurisdiction manages its content but not other jurisdictions', async () => {
    const { db } = get();
    const gjakova = await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
    const user = await db
      .insertInto('users')
      .values({ email: 'local@example.org', display_name: 'Local Admin', password_hash: 'x', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('user_roles').values({ user_id: user.id, jurisdiction_id: gjakova.id, role: 'administrator' }).execute();
    const local = await insertSession(db, user.id);
    const as = (url: string) => getPage(url, { besa_session: local });
    assert.equal((await as('/en/admin/jurisdictions/gjakova')).statusCode, 200);
    assert.equal((await as('/en/admin/jurisdictions/gjakova/plans/new')).statusCode, 200);
    assert.equal((await as('/en/admin/jurisdictions/new')).statusCode, 403);
    assert.equal((await as('/en/admin/jurisdictions/gjakova/edit')).statusCode, 403);
    const home = await as('/en/admin');
    assert.doesNotMatch(home.body, /jurisdictions\/new/);
  });

  test('an unknown jurisdiction is a 404', async () => {
    const response = await getPage('/en/admin/jurisdictions/nowhere');
    assert.equal(response.statusCode, 404);
  });

  test('a NUL byte or a lone surrogate in the name is refused with its field error and the other values kept', async () => {
    const form = await getPage('/en/admin/jurisdictions/gjakova/edit');
    assert.equal(form.statusCode, 200);
    const before = await get().db.selectFrom('jurisdictions').select(['name', 'description', 'country_code']).where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
    const csrf = csrfOf(form);
    const fields = { slug: 'gjakova', kind: 'local', country_code: 'XK\u0085', website: '', name: 'Gjakova\u0000', description: 'Line one\r\nLine two', content_locale: 'en' };
    const nul = await postForm('/en/admin/jurisdictions/gjakova/edit', fields, csrf);
    assert.equal(nul.statusCode, 422);
    assert.match(nul.body, /contains a character that cannot be stored/);
    assert.match(nul.body, /href="#field-name"/);
    assert.match(nul.body, /href="#field-country_code"/, 'a field read without a helper is refused too');
    assert.match(nul.body, /id="field-name"[^>]*value="Gjakova"|value="Gjakova"[^>]*id="field-name"/);
    assert.match(nul.body, /Line one\r?\nLine two/);

    const surrogate = await app.inject({
      method: 'POST',
      url: '/en/admin/jurisdictions/gjakova/edit',
      payload: JSON.stringify({ ...fields, country_code: 'XK', name: 'Gjakova \udfff', _csrf: csrf.token }),
      headers: { 'content-type': 'application/json' },
      cookies: { besa_session: session, _csrf: csrf.cookie },
    });
    assert.equal(surrogate.statusCode, 422);
    assert.match(surrogate.body, /contains a character that cannot be stored/);
    assert.doesNotMatch(surrogate.body, /href="#field-country_code"/);
    const after = await get().db.selectFrom('jurisdictions').select(['name', 'description', 'country_code']).where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
    assert.deepEqual(after, before, 'nothing was stored');
  });
});
