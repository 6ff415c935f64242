import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { createFirstAdministrator, createSetupToken } from '../accounts/commands.js';

const PLAN = '/en/admin/jurisdictions/gjakova/plans/2024-2025';
const SOURCES = `${PLAN}/commitments/XKGJA0002/sources`;

for (const dialect of DIALECTS) {
  describe(`recording sources in the administration [${dialect}]`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let session: string;

    before(async () => {
      database = await openTestDatabase(dialect);
      app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database });
      await seedIfEmpty(database.db);
      const setup = await createSetupToken(database.db);
      session = await createFirstAdministrator(database.db, setup, { email: 'admin@example.org', displayName: 'Admin', password: 'correct horse battery staple' });
    });
    after(async () => {
      await app.close();
      await database.destroy();
    });

    async function openForm(url: string) {
      const res = await app.inject({ method: 'GET', url, cookies: { besa_session: session } });
      assert.equal(res.statusCode, 200, `GET ${url}`);
      const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
      const cookie = res.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token && cookie);
      return { token, cookie, body: res.body };
    }
    function post(url: string, form: { token: string; cookie: string }, fields: [string, string][]) {
      return app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams([['_csrf', form.token], ...fields]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { besa_session: session, _csrf: form.cookie },
      });
    }

    test('the sources page lists what the seed recorded and is valid HTML; the edit pages link to it', async () => {
      const page = await openForm(SOURCES);
      assert.match(page.body, /OGP’s page of the commitment/);
      assert.match(page.body, /Institutions involved/);
      assert.deepEqual(await htmlErrors(page.body), []);
      const edit = await openForm(`${PLAN}/commitments/XKGJA0002/edit`);
      assert.ok(edit.body.includes(`href="${SOURCES}"`));
      const planEdit = await openForm(`${PLAN}/edit`);
      assert.ok(planEdit.body.includes(`href="${PLAN}/sources"`));
      assert.deepEqual(await htmlErrors((await openForm(`${PLAN}/sources`)).body), []);
    });

    test('a source from a meeting\'s minutes is recorded, shown on the public page and in the history', async () => {
      const form = await openForm(SOURCES);
      // What the text is (the source's words, a translation, a summary) is an answer nobody may assume.
      assert.match(/<select id="field-rendering"[^>]*>(.*?)<\/select>/s.exec(form.body)?.[1] ?? '', /^<option value="" selected>Choose what the text is<\/option>/);
      const res = await post(SOURCES, form, [
        ['field', 'institutions'],
        ['document', 'minutes'],
        ['title', 'Municipal Transparency Forum, meeting of 12 March 2025'],
        ['url', ''],
        ['section', 'Item 2: who leads XKGJA0002'],
        ['rendering', 'summary'],
        ['language', ''],
        ['note', 'The Forum agreed that the Information Office leads.'],
      ]);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, SOURCES);

      const commitment = await database.db.selectFrom('commitments').select('id').where('code', '=', 'XKGJA0002').executeTakeFirstOrThrow();
      const row = await database.db.selectFrom('provenance').selectAll().where('entity_type', '=', 'commitment').where('entity_id', '=', commitment.id).where('document', '=', 'minutes').executeTakeFirstOrThrow();
      assert.equal(row.field, 'institutions');
      assert.equal(row.rendering, 'summary');
      assert.ok(row.recorded_by !== null);

      const publicPage = (await app.inject('/en/gjakova/plans/2024-2025/commitments/XKGJA0002')).body;
      assert.match(publicPage, /minutes of a meeting “<span>Municipal Transparency Forum, meeting of 12 March 2025<\/span>”/);
      assert.match(publicPage, /The Forum agreed that the Information Office leads\./);

      const event = await database.db.selectFrom('audit_events').select('data').where('action', '=', 'provenance.recorded').executeTakeFirstOrThrow();
      assert.match(event.data, /Municipal Transparency Forum, meeting of 12 March 2025/);
      const history = await app.inject(`/en/history/commitment/${commitment.id}`);
      assert.equal(history.statusCode, 200);
      assert.match(history.body, /Municipal Transparency Forum, meeting of 12 March 2025/);
    });

    test('a link without its address, or minutes without a title, are refused with the error summary', async () => {
      const form = await openForm(SOURCES);
      const before = await database.db.selectFrom('provenance').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      const res = await post(SOURCES, form, [
        ['field', 'action'],
        ['document', 'link'],
        ['title', ''],
        ['url', 'javascript:alert(1)'],
        ['section', ''],
        ['rendering', 'words'],
        ['language', 'en'],
        ['note', ''],
      ]);
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /class="error-summary"/);
      assert.match(res.body, /Give the full link of the web page/);
      const after = await database.db.selectFrom('provenance').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
    });

    test('saving a seeded commitment keeps its institutions "involved" (the sources do not say which lead)', async () => {
      const edit = await openForm(`${PLAN}/commitments/XKGJA0001/edit`);
      assert.match(edit.body, /<option value="involved" selected/);
      const fields: [string, string][] = [];
      for (const m of edit.body.matchAll(/<select id="field-(role_\d+)" name="role_\d+">([\s\S]*?)<\/select>/g)) {
        const selected = /<option value="([a-z]*)" selected/.exec(m[2]!)?.[1] ?? '';
        fields.push([m[1]!, selected]);
      }
      const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(edit.body)?.[1] ?? '';
      const res = await post(`${PLAN}/commitments/XKGJA0001/edit`, edit, [
        ['content', 'en'],
        ['code', 'XKGJA0001'],
        ['position', ''],
        ['title', 'Digitalization of municipal services'],
        ['problem', 'x'],
        ['status_quo', ''],
        ['action', ''],
        ['contribution', ''],
        ['long_term_goal', ''],
        ['policy_areas', ''],
        ['starts_on', value('starts_on')],
        ['ends_on', value('ends_on')],
        ['ogp_values', 'technology_and_innovation'],
        ...fields,
      ]);
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const commitment = await database.db.selectFrom('commitments').select('id').where('code', '=', 'XKGJA0001').executeTakeFirstOrThrow();
      const roles = await database.db.selectFrom('commitment_institutions').select('role').where('commitment_id', '=', commitment.id).execute();
      assert.equal(roles.length, 6);
      assert.ok(roles.every((r) => r.role === 'involved'));
    });
  });
}
