import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../../test/db.js';
import { openHttpForm, postHttpForm, serveAsAdministrator, UNSTORABLE_MESSAGE } from '../../../test/http.js';
import { parseTranslatable } from '../../lib/translatable.js';

const NEW = '/en/admin/jurisdictions/gjakova/institutions/new';

describeEachDatabase('institution admin routes', (get) => {
  let app: FastifyInstance;
  let session: string;
  let base: string;

  before(async () => {
    const database = get();
    const now = new Date().toISOString();
    await database.db
      .insertInto('jurisdictions')
      .values({ slug: 'gjakova', name: JSON.stringify({ en: 'Gjakova' }), kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now })
      .execute();
    ({ app, base, session } = await serveAsAdministrator(database));
  });
  after(async () => {
    await app.close();
  });

  function fields(slug: string, overrides: Record<string, string> = {}): [string, string][] {
    return Object.entries({ slug, kind: 'government', website: '', name: `Directorate ${slug}`, description: 'What it does.', content_locale: 'en', ...overrides });
  }

  test('a NUL byte or a lone surrogate is refused with a field error, and the rest of the form is kept', async () => {
    const form = await openHttpForm(base, NEW, session);
    // NUL in a urlencoded form.
    const nul = await postHttpForm(base, NEW, form, fields('finance', { name: 'Directorate\u0000 of Finance', description: 'Keeps\tthe budget.\r\nAnd more.' }));
    assert.equal(nul.status, 422);
    assert.match(nul.body, UNSTORABLE_MESSAGE);
    assert.match(nul.body, /href="#field-name"/);
    assert.match(nul.body, /value="Directorate of Finance"/, 'the name is shown without the character that cannot be stored');
    assert.match(nul.body, /Keeps\tthe budget\.\r?\nAnd more\./, 'tab and line breaks are kept in the other fields');
    assert.match(nul.body, /value="finance"/);
    assert.doesNotMatch(nul.body, /\u0000/);

    // A lone surrogate can only come in JSON (a urlencoded or multipart body is decoded as UTF-8).
    const surrogate = await fetch(base + NEW, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', cookie: form.cookie },
      body: JSON.stringify({ _csrf: form.token, ...Object.fromEntries(fields('finance', { description: 'Half \ud83d of a smile, and a C1 \u0085 control' })) }),
    });
    const body = await surrogate.text();
    assert.equal(surrogate.status, 422);
    assert.match(body, UNSTORABLE_MESSAGE);
    assert.match(body, /href="#field-description"/);
    assert.match(body, /Half  of a smile, and a C1  control/);
    assert.match(body, /value="Directorate finance"/);

    const rows = await get().db.selectFrom('institutions').select('slug').execute();
    assert.deepEqual(rows, [], 'nothing was stored');

    // Sent again as shown, it is saved; a whole emoji (a surrogate pair) is ordinary text.
    const again = await postHttpForm(base, NEW, form, fields('finance', { name: 'Directorate of Finance 😀' }));
    assert.equal(again.status, 303);
    const stored = await get().db.selectFrom('institutions').select('name').where('slug', '=', 'finance').executeTakeFirstOrThrow();
    assert.deepEqual(parseTranslatable(stored.name), { en: 'Directorate of Finance 😀' });
  });

  test('10 parallel creations with distinct short names all succeed, each with its search document', async () => {
    const form = await openHttpForm(base, NEW, session);
    const slugs = Array.from({ length: 10 }, (_, i) => `parallel-${i}`);
    const responses = await Promise.all(slugs.map((slug) => postHttpForm(base, NEW, form, fields(slug))));
    assert.deepEqual(
      responses.map((r) => r.status),
      slugs.map(() => 303),
      responses.map((r) => (r.status === 303 ? '' : r.body.slice(0, 2000))).join('\n'),
    );
    const rows = await get().db.selectFrom('institutions').select('slug').where('slug', 'like', 'parallel-%').execute();
    assert.equal(rows.length, 10);
    const docs = await get().db.selectFrom('search_documents').select('doc_key').where('kind', '=', 'institution').execute();
    const stored = await get().db.selectFrom('institutions').select('id').execute();
    assert.deepEqual(docs.map((d) => d.doc_key).sort(), stored.map((i) => `institution:${i.id}`).sort(), 'every institution has its search document, none lost to a concurrent refresh');
  });

  test('a short name really in use still gives the field message, also when two requests race for it', async () => {
    const form = await openHttpForm(base, NEW, session);
    const taken = await postHttpForm(base, NEW, form, fields('parallel-0'));
    assert.equal(taken.status, 422);
    assert.match(taken.body, /This is already used; choose another/);
    const race = await Promise.all(Array.from({ length: 4 }, () => postHttpForm(base, NEW, form, fields('contested'))));
    const statuses = race.map((r) => r.status).sort();
    assert.deepEqual(statuses, [303, 422, 422, 422]);
    for (const r of race.filter((r) => r.status === 422)) assert.match(r.body, /This is already used; choose another/);
  });
});
