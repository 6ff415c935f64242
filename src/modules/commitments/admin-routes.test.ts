import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createFirstAdministrator, createSetupToken } from '../accounts/commands.js';
import { insertSession } from '../accounts/repository.js';
import type { Db } from '../../db/database.js';

interface Fixture {
  leadId: number;
  supportId: number;
}

/** Gjakova with two institutions and its plan, and another jurisdiction; inserted directly. */
async function insertFixture(db: Db): Promise<Fixture> {
  const now = new Date().toISOString();
  const stamp = { description: '{}', website: null, created_at: now, updated_at: now };
  const gjakova = await db
    .insertInto('jurisdictions')
    .values({ slug: 'gjakova', name: JSON.stringify({ sq: 'Komuna e Gjakovës', en: 'Municipality of Gjakova' }), kind: 'local', country_code: 'XK', ...stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('jurisdictions').values({ slug: 'gjakova-other', name: JSON.stringify({ en: 'Elsewhere' }), kind: 'local', country_code: 'XK', ...stamp }).execute();
  const lead = await db
    .insertInto('institutions')
    .values({ jurisdiction_id: gjakova.id, slug: 'information-office', name: JSON.stringify({ en: 'Information Office', sq: 'Zyra për Informim' }), kind: 'government', ...stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  const support = await db
    .insertInto('institutions')
    .values({ jurisdiction_id: gjakova.id, slug: 'finance', name: JSON.stringify({ en: 'Directorate of Finance' }), kind: 'government', ...stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('action_plans')
    .values({
      jurisdiction_id: gjakova.id,
      slug: '2024-2025',
      title: JSON.stringify({ en: 'Action plan 2024–2025' }),
      starts_on: '2024-01-01',
      ends_on: '2025-12-31',
      submitted_on: null,
      status: 'in_implementation',
      foreword: '{}',
      cocreation_groups: null,
      cocreation_public_meetings: null,
      cocreation_summary: '{}',
      is_demo: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { leadId: lead.id, supportId: support.id };
}

const BASE = '/en/admin/jurisdictions/gjakova/plans/2024-2025/commitments';

interface FormSession {
  token: string;
  cookie: string;
}

for (const dialect of DIALECTS) {
  describe(`commitment administration routes [${dialect}]`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let session: string;
    let f: Fixture;

    before(async () => {
      database = await openTestDatabase(dialect);
      app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database });
      f = await insertFixture(database.db);
      const setup = await createSetupToken(database.db);
      session = await createFirstAdministrator(database.db, setup, { email: 'admin@example.org', displayName: 'Admin', password: 'correct horse battery staple' });
    });

    after(async () => {
      await app.close();
      await database.destroy();
    });

    /** GETs a form page and returns its CSRF token and cookie. */
    async function openForm(url: string, sessionToken = session): Promise<FormSession & { body: string }> {
      const res = await app.inject({ method: 'GET', url, cookies: { besa_session: sessionToken } });
      assert.equal(res.statusCode, 200, `GET ${url}: ${res.statusCode}`);
      const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
      const cookie = res.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token, 'the form has a CSRF field');
      assert.ok(cookie, 'the CSRF cookie is set');
      return { token, cookie, body: res.body };
    }

    function post(url: string, form: FormSession | undefined, fields: [string, string][], sessionToken = session) {
      const body = new URLSearchParams(form ? [['_csrf', form.token], ...fields] : fields).toString();
      return app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: form ? { besa_session: sessionToken, _csrf: form.cookie } : { besa_session: sessionToken },
      });
    }

    function commitmentFields(overrides: Record<string, string> = {}): [string, string][] {
      const base: Record<string, string> = {
        content: 'en',
        code: 'XKGJA0001',
        position: '',
        title: 'Open budget',
        problem: 'Budgets are hard to follow.',
        status_quo: '',
        action: 'Publish the budget monthly.',
        contribution: '',
        long_term_goal: '',
        policy_areas: 'Fiscal openness\r\nDigital',
        [`role_${f.leadId}`]: 'lead',
        [`role_${f.supportId}`]: 'supporting',
        starts_on: '2024-03-01',
        ends_on: '2025-06-30',
        ...overrides,
      };
      return [...Object.entries(base), ['ogp_values', 'transparency'], ['ogp_values', 'civic_participation'], ['ogp_lenses', 'inclusion']];
    }

    test('the new commitment form edits one content language, chosen by ?content=', async () => {
      const en = await openForm(`${BASE}/new`);
      assert.match(en.body, /<h1>New commitment<\/h1>/);
      assert.match(en.body, /name="content" value="en"/);
      assert.match(en.body, /id="field-title" name="title" type="text" value="" [^>]*lang="en"/);
      assert.match(en.body, /Information Office/);
      const fr = await openForm(`${BASE}/new?content=fr`);
      assert.match(fr.body, /name="content" value="fr"/);
      assert.match(fr.body, /id="field-problem" name="problem" [^>]*lang="fr"/);
      assert.match(fr.body, /action="\/en\/admin\/jurisdictions\/gjakova\/plans\/2024-2025\/commitments\/new\?content=fr"/);
      assert.match(fr.body, /href="[^"]*\/commitments\/new\?content=sq"/);
    });

    test('a POST without the CSRF token is refused', async () => {
      const res = await post(`${BASE}/new`, undefined, commitmentFields());
      assert.equal(res.statusCode, 403);
      const count = await database.db.selectFrom('commitments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
    });

    test('invalid input is answered with 422, the error summary and every typed value', async () => {
      const form = await openForm(`${BASE}/new`);
      const fields = commitmentFields({ code: 'bad code', [`role_${f.leadId}`]: 'supporting', [`role_${f.supportId}`]: '', starts_on: '2025-01-01', ends_on: '2024-12-31' });
      const res = await post(`${BASE}/new`, form, fields);
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /class="error-summary"/);
      assert.match(res.body, /href="#field-code"/);
      assert.match(res.body, /href="#field-institutions"/);
      assert.match(res.body, /href="#field-ends_on"/);
      assert.match(res.body, /Choose at least one lead institution/);
      assert.match(res.body, /value="bad code"/);
      assert.match(res.body, />Budgets are hard to follow\.<\/textarea>/);
      assert.match(res.body, /Fiscal openness\s*\nDigital<\/textarea>/);
      assert.match(res.body, /value="2025-01-01"/);
      assert.match(res.body, /value="transparency" checked\/><label for="field-ogp_values-0">Transparency \(access to information\)<\/label>/);
      assert.match(res.body, /name="ogp_lenses" value="inclusion" checked\/><label for="field-ogp_lenses-1">Inclusion<\/label>/);
      assert.doesNotMatch(res.body, /value="public_accountability" checked/);
      assert.doesNotMatch(res.body, /access_to_information/, 'the form offers OGP’s current values only');
      assert.match(res.body, /<option value="supporting" selected>/);
      const count = await database.db.selectFrom('commitments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
    });

    test('an administrator creates a commitment, then edits it in another language', async () => {
      const form = await openForm(`${BASE}/new`);
      const res = await post(`${BASE}/new`, form, commitmentFields());
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, `${BASE}/XKGJA0001/edit`);
      const row = await database.db.selectFrom('commitments').selectAll().where('code', '=', 'XKGJA0001').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(row.title), { en: 'Open budget' });
      assert.deepEqual(JSON.parse(row.policy_areas), ['Fiscal openness', 'Digital']);
      assert.deepEqual(JSON.parse(row.ogp_values), ['transparency', 'civic_participation', 'inclusion'], 'values and lenses are stored together');

      const flashCookie = res.cookies.find((c) => c.name === 'besa_flash');
      const page = await app.inject({ method: 'GET', url: `${BASE}/XKGJA0001/edit`, cookies: { besa_session: session, besa_flash: flashCookie?.value ?? '' } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /The commitment was created/);
      assert.match(page.body, /Edit commitment XKGJA0001/);
      assert.match(page.body, /This commitment has no milestones yet/);

      // Albanian: the English text stays.
      const sqForm = await openForm(`${BASE}/XKGJA0001/edit?content=sq`);
      assert.match(sqForm.body, /id="field-title" name="title" type="text" value="" [^>]*lang="sq"/);
      assert.match(sqForm.body, /<summary>Title in English<\/summary><div lang="en"><p>Open budget<\/p><\/div>/, 'the English text is shown to translate from');
      assert.match(sqForm.body, /hreflang="en"[^>]*>English<\/a> <span class="content-state content-state-filled">\(has text\)/);
      assert.match(sqForm.body, /hreflang="sq" aria-current="true"[^>]*>Albanian<\/a> <span class="content-state content-state-empty">\(no text yet\)/);
      const saved = await post(`${BASE}/XKGJA0001/edit?content=sq`, sqForm, commitmentFields({ content: 'sq', title: 'Buxheti i hapur', problem: '', action: '' }));
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal(saved.headers.location, `${BASE}/XKGJA0001/edit?content=sq`);
      const after = await database.db.selectFrom('commitments').selectAll().where('code', '=', 'XKGJA0001').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(after.title), { sq: 'Buxheti i hapur', en: 'Open budget' });
      assert.deepEqual(JSON.parse(after.problem), { en: 'Budgets are hard to follow.' });

      // A duplicate code is a field error, not a server error.
      const dupForm = await openForm(`${BASE}/new`);
      assert.match(dupForm.body, /name="code" type="text" value="XKGJA0002"/, 'the next code is proposed');
      const dup = await post(`${BASE}/new`, dupForm, commitmentFields());
      assert.equal(dup.statusCode, 422);
      assert.match(dup.body, /This is already used/);
    });

    test('an administrator adds a milestone and edits it; the commitment page lists it', async () => {
      const form = await openForm(`${BASE}/XKGJA0001/milestones/new`);
      assert.match(form.body, /name="code" type="text" value="XKGJA0001.1"/);
      // No status is assumed for a new milestone: the choice comes first and is selected, nothing else is.
      const statusSelect = /<select id="field-status"[^>]*>(.*?)<\/select>/s.exec(form.body)?.[1] ?? '';
      assert.match(statusSelect, /^<option value="" selected>Choose the status<\/option>/);
      assert.doesNotMatch(statusSelect.slice(statusSelect.indexOf('</option>')), / selected/);
      const fields: [string, string][] = [
        ['content', 'en'],
        ['code', 'XKGJA0001.1'],
        ['position', ''],
        ['title', 'Publish the first report'],
        ['expected_output', 'A monthly report'],
        ['indicator', 'Reports published'],
        ['responsible_institution_id', String(f.leadId)],
        ['starts_on', '2024-03-01'],
        ['due_on', '2024-06-30'],
        ['status', 'in_progress'],
        ['completed_on', ''],
        ['cancelled_on', ''],
        ['weight', ''],
      ];
      const noStatus = await post(`${BASE}/XKGJA0001/milestones/new`, form, fields.map(([k, v]): [string, string] => [k, k === 'status' ? '' : v]));
      assert.equal(noStatus.statusCode, 422, 'saving without a status is refused');
      assert.match(noStatus.body, /href="#field-status"/);
      assert.match(noStatus.body, /value="Publish the first report"/);
      const res = await post(`${BASE}/XKGJA0001/milestones/new`, form, fields);
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, `${BASE}/XKGJA0001/edit`);
      const row = await database.db.selectFrom('milestones').selectAll().where('code', '=', 'XKGJA0001.1').executeTakeFirstOrThrow();
      assert.equal(row.is_demo, 0);
      assert.equal(row.weight, 1);
      assert.equal(row.responsible_institution_id, f.leadId);

      const page = await app.inject({ method: 'GET', url: `${BASE}/XKGJA0001/edit`, cookies: { besa_session: session } });
      assert.match(page.body, /href="\/en\/admin\/jurisdictions\/gjakova\/plans\/2024-2025\/commitments\/XKGJA0001\/milestones\/XKGJA0001.1\/edit">Edit XKGJA0001.1<\/a>/);
      assert.match(page.body, /href="\/en\/admin\/jurisdictions\/gjakova\/plans\/2024-2025\/commitments\/XKGJA0001\/milestones\/new"/);
      // The milestones and "Add a milestone" come before the long commitment form.
      const addAt = page.body.indexOf('/milestones/new"');
      const listAt = page.body.indexOf('Edit XKGJA0001.1</a>');
      const formAt = page.body.indexOf(`<form method="post" action="${BASE}/XKGJA0001/edit"`);
      assert.ok(addAt > 0 && listAt > 0 && formAt > 0, 'the page has the link, the list and the form');
      assert.ok(addAt < listAt && listAt < formAt, 'add link, then the milestones, then the commitment form');
      // The plan's page counts the commitment's milestones and links to add one.
      const plan = await app.inject({ method: 'GET', url: '/en/admin/jurisdictions/gjakova/plans/2024-2025', cookies: { besa_session: session } });
      assert.equal(plan.statusCode, 200);
      assert.match(plan.body, /<td>1 milestone<\/td>/);
      assert.match(plan.body, /href="\/en\/admin\/jurisdictions\/gjakova\/plans\/2024-2025\/commitments\/XKGJA0001\/milestones\/new">Add a milestone<span class="visually-hidden"> \(XKGJA0001\)<\/span>/);

      const editForm = await openForm(`${BASE}/XKGJA0001/milestones/XKGJA0001.1/edit`);
      assert.match(editForm.body, /value="Publish the first report"/);
      const completedWithoutDate = fields.map(([k, v]): [string, string] => [k, k === 'status' ? 'completed' : k === 'code' ? 'xkgja0001.1' : v]);
      const bad = await post(`${BASE}/XKGJA0001/milestones/XKGJA0001.1/edit`, editForm, completedWithoutDate);
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /href="#field-completed_on"/);
      assert.match(bad.body, /<option value="completed" selected>/);

      const ok = await post(
        `${BASE}/XKGJA0001/milestones/XKGJA0001.1/edit`,
        editForm,
        completedWithoutDate.map(([k, v]): [string, string] => [k, k === 'completed_on' ? '2024-06-20' : v]),
      );
      assert.equal(ok.statusCode, 303, ok.body);
      const done = await database.db.selectFrom('milestones').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(done.status, 'completed');
      assert.equal(done.completed_on, '2024-06-20');
      const event = await database.db.selectFrom('audit_events').select('data').where('action', '=', 'milestone.updated').where('entity_id', '=', row.id).executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(event.data).changed, ['status', 'completed_on']);
    });

    test('OGP national codes (CA0069, UK0085) are accepted for commitments and their milestones; malformed codes are not', async () => {
      for (const code of ['CA0069', 'UK0085']) {
        const form = await openForm(`${BASE}/new`);
        assert.match(form.body, /for example CA0069/, 'the hint names the national form');
        const res = await post(`${BASE}/new`, form, commitmentFields({ code }));
        assert.equal(res.statusCode, 303, res.body);
        assert.equal(res.headers.location, `${BASE}/${code}/edit`);
        await database.db.selectFrom('commitments').select('id').where('code', '=', code).executeTakeFirstOrThrow();
      }
      const milestoneForm = await openForm(`${BASE}/CA0069/milestones/new`);
      assert.match(milestoneForm.body, /name="code" type="text" value="CA0069.1"/);
      const milestone = await post(`${BASE}/CA0069/milestones/new`, milestoneForm, [
        ['content', 'en'],
        ['code', 'CA0069.1'],
        ['position', ''],
        ['title', 'Open the register'],
        ['expected_output', ''],
        ['indicator', ''],
        ['responsible_institution_id', ''],
        ['starts_on', ''],
        ['due_on', '2025-06-30'],
        ['status', 'not_started'],
        ['completed_on', ''],
        ['cancelled_on', ''],
        ['weight', ''],
      ]);
      assert.equal(milestone.statusCode, 303, milestone.body);
      await database.db.selectFrom('milestones').select('id').where('code', '=', 'CA0069.1').executeTakeFirstOrThrow();
      const page = await app.inject({ url: '/en/gjakova/plans/2024-2025/commitments/UK0085' });
      assert.equal(page.statusCode, 200);

      for (const code of ['CA69', 'C0069', 'CA00069X', '120069']) {
        const form = await openForm(`${BASE}/new`);
        const res = await post(`${BASE}/new`, form, commitmentFields({ code }));
        assert.equal(res.statusCode, 422, code);
        assert.match(res.body, /two capital letters and four digits, for example CA0069/, code);
      }
    });

    test('a record with OGP’s older keys still reads: values and lenses as OGP names them today, on the public page and in the form', async () => {
      await database.db.updateTable('commitments').set({ ogp_values: JSON.stringify(['access_to_information', 'technology_and_innovation']) }).where('code', '=', 'XKGJA0001').execute();
      app.pageCache.clear();
      const page = await app.inject({ url: '/en/gjakova/plans/2024-2025/commitments/XKGJA0001' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<dt>OGP values<\/dt><dd><ul class="inline-list"><li>Transparency \(access to information\)<\/li><\/ul><\/dd>/);
      assert.match(page.body, /<dt>OGP lenses<\/dt><dd><ul class="inline-list"><li>Technology and innovation<\/li><\/ul><\/dd>/);
      const sq = await app.inject({ url: '/sq/gjakova/plans/2024-2025/commitments/XKGJA0001' });
      assert.match(sq.body, /Transparenca \(qasja në informacion\)/);
      const form = await openForm(`${BASE}/XKGJA0001/edit`);
      assert.match(form.body, /value="transparency" checked/);
      assert.match(form.body, /name="ogp_lenses" value="technology_and_innovation" checked/);
    });

    test('unknown jurisdiction, plan, commitment or milestone is a 404', async () => {
      for (const url of [
        '/en/admin/jurisdictions/nowhere/plans/2024-2025/commitments/new',
        '/en/admin/jurisdictions/gjakova/plans/1999/commitments/new',
        `${BASE}/XKGJA0099/edit`,
        `${BASE}/XKGJA0001/milestones/XKGJA0001.9/edit`,
      ]) {
        const res = await app.inject({ method: 'GET', url, cookies: { besa_session: session } });
        assert.equal(res.statusCode, 404, url);
      }
    });

    test('signed-out visitors are sent to sign in; administrators of another jurisdiction get 403', async () => {
      const anonymous = await app.inject({ method: 'GET', url: `${BASE}/new` });
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/en\/login/);

      const other = await database.db
        .insertInto('users')
        .values({ email: 'other@example.org', display_name: 'Other', password_hash: 'x', created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const elsewhere = await database.db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova-other').executeTakeFirstOrThrow();
      await database.db.insertInto('user_roles').values({ user_id: other.id, jurisdiction_id: elsewhere.id, role: 'administrator' }).execute();
      const otherSession = await insertSession(database.db, other.id);
      const res = await app.inject({ method: 'GET', url: `${BASE}/new`, cookies: { besa_session: otherSession } });
      assert.equal(res.statusCode, 403);
      const form = await openForm(`${BASE}/new`);
      const refused = await post(`${BASE}/XKGJA0001/edit`, form, commitmentFields({ title: 'Hijacked' }), otherSession);
      assert.equal(refused.statusCode, 403);
    });
  });
}
