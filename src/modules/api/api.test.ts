import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { seedDemo } from '../../db/seeds/demo.js';
import { LOCALES } from '../../i18n/locales.js';
import { hashToken } from '../../lib/tokens.js';
import { createApiToken, insertSession, revokeApiToken } from '../accounts/index.js';
import { actorFor, findUserRoles } from '../accounts/index.js';
import { SYSTEM } from '../audit/index.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../reporting/commands.js';
import { rdb } from '../reporting/tables.js';
import { DIALECTS } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors } from '../../../test/html.js';
import { csrfFromSignIn } from '../../../test/people-fixture.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const DRAFT_TEXT = 'Draft text that must never leave the administration';
const RETURNED_COMMENT = 'A coordinator comment that is private';
const PUBLISHED_TEXT = 'Published summary of the fixture';

interface Doc {
  paths: Record<string, Record<string, { operationId?: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

type Json = Record<string, any>;

for (const dialect of DIALECTS) {
  describe(`JSON API /api/v1 [${dialect}]`, () => {
    let t: TestApp;
    let f: ReportingFixture;
    let doc: Doc;
    let docText: string;
    let publishedId = 0;
    let draftId = 0;

    const get = async (url: string) => {
      const res = await t.app.inject(url);
      return { res, body: res.body ? (JSON.parse(res.body) as Json) : {} };
    };

    /** Every item of a list, following `next` (asserting each page is at most `limit`). */
    async function walk(path: string, limit: number): Promise<Json[]> {
      const items: Json[] = [];
      let url: string | null = `${path}${path.includes('?') ? '&' : '?'}limit=${limit}`;
      let pages = 0;
      while (url) {
        const { res, body } = await get(url);
        assert.equal(res.statusCode, 200, url);
        assert.ok(body.items.length <= limit);
        items.push(...body.items);
        url = body.next;
        assert.ok(++pages < 10_000);
      }
      return items;
    }

    before(async () => {
      t = await openTestApp(dialect);
      const { db } = t.database;
      await seedIfEmpty(db);
      await seedDemo(db);
      f = await insertReportingFixture(db, 'fixture');
      await generateCycles(db, SYSTEM, f.planId);
      const cycles = await rdb(db).selectFrom('reporting_cycles').select(['id', 'number']).where('action_plan_id', '=', f.planId).orderBy('number').execute();
      const item = (milestoneId: number) => ({ milestoneId, status: 'in_progress', completion: 'substantial', narrative: '', obstacles: [], obstacleNote: '', links: ['https://example.org/report'] });
      const base = { commitmentId: f.commitmentId, locale: 'en' as const, files: [], removeFileIds: [], formToken: null };
      const published = await saveProgressUpdate(db, f.actors.holder, { ...base, cycleId: cycles[0]!.id, summary: PUBLISHED_TEXT, items: f.milestoneIds.map(item), submit: true });
      await publishProgressUpdate(db, f.actors.coordinator, { updateId: published.id });
      publishedId = published.id;
      const draft = await saveProgressUpdate(db, f.actors.holder, { ...base, cycleId: cycles[1]!.id, summary: DRAFT_TEXT, items: [], submit: false });
      draftId = draft.id;
      await rdb(db).updateTable('progress_updates').set({ coordinator_comment: RETURNED_COMMENT }).where('id', '=', draftId).execute();
      const res = await t.app.inject('/api/v1/openapi.json');
      assert.equal(res.statusCode, 200);
      docText = res.body;
      doc = JSON.parse(docText) as Doc;
    });
    after(async () => t?.close());

    test('the OpenAPI document is 3.1, lints clean with the recommended rules, and holds only /api/v1 routes', async (ctx) => {
      assert.equal((doc as unknown as Json).openapi, '3.1.0');
      const config = await createConfig({ extends: ['recommended'] });
      const problems = await lintFromString({ source: docText, absoluteRef: 'openapi.json', config });
      const errors = problems.filter((p) => p.severity === 'error');
      const warnings = problems.filter((p) => p.severity === 'warn');
      ctx.diagnostic(`redocly recommended: ${errors.length} errors, ${warnings.length} warnings`);
      assert.deepEqual(errors.map((p) => `${p.ruleId}: ${p.message}`), []);
      assert.deepEqual(warnings.map((p) => `${p.ruleId}: ${p.message}`), []);
      const paths = Object.keys(doc.paths);
      assert.ok(paths.length >= 15, `${paths.length} paths`);
      for (const path of paths) assert.match(path, /^\/api\/v1\//, path);
      assert.ok(!paths.some((p) => p.includes('openapi.json')), 'the document itself is not documented');
      for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) assert.ok(op.operationId, `${method} ${path} has an operationId`);
    });

    test('every documented GET route answers what its documented schema says (Ajv 2020), item routes with a real id', async (ctx) => {
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      ajv.addSchema({ ...doc, $id: 'https://besa.test/openapi.json' });
      const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
      const validate = (path: string, status: string, type: string, body: unknown) => {
        const schema = ajv.getSchema(`https://besa.test/openapi.json#/${pointer('paths', path, 'get', 'responses', status, 'content', type, 'schema')}`);
        assert.ok(schema, `${path} documents ${status} ${type}`);
        assert.ok(schema(body), `${path} ${status}: ${JSON.stringify(schema.errors?.slice(0, 3))}`);
      };
      let checked = 0;
      for (const [path, ops] of Object.entries(doc.paths)) {
        if (!ops.get) continue;
        let url = path;
        const param = /\{(\w+)\}/.exec(path)?.[1];
        if (param) {
          // A real id: the first item of the list route beside it.
          const list = path.replace(/\/\{\w+\}$/, '');
          const { body } = await get(`${list}?limit=1`);
          const first = body.items?.[0];
          assert.ok(first, `${list} has an item to fetch by ${param}`);
          url = path.replace(`{${param}}`, String(first[param] ?? first.id));
          const missing = await get(path.replace(`{${param}}`, '2147483000'));
          assert.equal(missing.res.statusCode, 404, `${path} unknown`);
          assert.match(String(missing.res.headers['content-type']), /^application\/problem\+json/);
          validate(path, '404', 'application/problem+json', missing.body);
        } else {
          const bad = await get(`${path}?cursor=not-a-cursor`);
          assert.equal(bad.res.statusCode, 400, `${path} bad cursor`);
          validate(path, '400', 'application/problem+json', bad.body);
        }
        const { res, body } = await get(url);
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.headers['access-control-allow-origin'], '*', `${url} CORS`);
        assert.equal(res.headers['access-control-allow-credentials'], undefined);
        assert.match(String(res.headers['cache-control']), /max-age=\d+/);
        validate(path, '200', 'application/json', body);
        checked++;
      }
      ctx.diagnostic(`validated ${checked} GET routes`);
      assert.ok(checked >= 14);
    });

    test('cursor pagination walks every row exactly once', async () => {
      const { db } = t.database;
      for (const [path, table, limit] of [
        ['/api/v1/milestones', 'milestones', 7],
        ['/api/v1/commitments', 'commitments', 3],
        ['/api/v1/institutions', 'institutions', 2],
      ] as const) {
        const ids = (await walk(path, limit)).map((x) => x.id as number);
        const all = (await db.selectFrom(table).select('id').orderBy('id').execute()).map((r) => Number(r.id));
        assert.deepEqual(ids, all, path);
      }
      const entries = await walk('/api/v1/log', 13);
      const size = await db.withTables<{ transparency_entries: { leaf_index: number } }>().selectFrom('transparency_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.deepEqual(entries.map((e) => e.index), [...Array(Number(size.n)).keys()]);
      // The last page says so.
      const { body } = await get('/api/v1/jurisdictions?limit=200');
      assert.equal(body.next, null);
      assert.equal(body.nextCursor, null);
    });

    test('filters: plan, institution, jurisdiction, status, changed_since', async () => {
      const { db } = t.database;
      const ofPlan = await walk(`/api/v1/commitments?plan=${f.planId}`, 50);
      assert.deepEqual(ofPlan.map((c) => c.id), [f.commitmentId]);
      const ofOther = await walk(`/api/v1/commitments?institution=${f.otherId}`, 50);
      assert.deepEqual(ofOther.map((c) => c.id), [f.commitmentId]);
      const milestones = await walk(`/api/v1/milestones?jurisdiction=${f.jurisdictionId}`, 50);
      assert.deepEqual(milestones.map((m) => m.id).sort(), [...f.milestoneIds].sort());
      const inProgress = await walk('/api/v1/milestones?status=in_progress', 200);
      const expected = await db.selectFrom('milestones').select('id').where('status', '=', 'in_progress').orderBy('id').execute();
      assert.ok(expected.length > 0);
      assert.deepEqual(inProgress.map((m) => m.id), expected.map((r) => Number(r.id)));
      // A derived status (commitments, plans) filters the built items and still pages.
      const all = await walk('/api/v1/commitments', 200);
      for (const status of new Set(all.map((c) => c.status as string))) {
        const some = await walk(`/api/v1/commitments?status=${status}`, 2);
        assert.deepEqual(some.map((c) => c.id), all.filter((c) => c.status === status).map((c) => c.id), status);
      }
      const future = await get('/api/v1/plans?changed_since=2999-01-01T00:00:00Z');
      assert.deepEqual(future.body.items, []);
      const past = await walk('/api/v1/plans?changed_since=2000-01-01T00:00:00Z', 200);
      assert.equal(past.length, Number((await db.selectFrom('action_plans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n));
      const logged = await walk('/api/v1/log?entity_type=jurisdiction', 200);
      assert.ok(logged.length > 0 && logged.every((e) => e.entityType === 'jurisdiction'));
      const bad = await get('/api/v1/plans?changed_since=yesterday');
      assert.equal(bad.res.statusCode, 400);
      assert.equal(bad.body.errors[0].field, 'querystring.changed_since');
      const tooMany = await get('/api/v1/plans?limit=201');
      assert.equal(tooMany.res.statusCode, 400);
      // An id above PostgreSQL's integer is refused by the schema (not a 500 from the database).
      for (const filter of ['jurisdiction', 'plan', 'institution', 'commitment']) {
        const huge = await get(`/api/v1/milestones?${filter}=2147483648`);
        assert.equal(huge.res.statusCode, 400, filter);
        assert.equal(huge.body.errors[0].field, `querystring.${filter}`);
      }
    });

    test('only published progress updates, with their public fields; demonstration data flagged', async () => {
      const updates = await walk('/api/v1/updates', 200);
      assert.deepEqual(updates.filter((u) => u.commitmentId === f.commitmentId).map((u) => u.id), [publishedId]);
      const one = await get(`/api/v1/updates/${publishedId}`);
      assert.equal(one.body.summary.en, PUBLISHED_TEXT);
      assert.equal(one.body.items.length, 2);
      assert.match(one.body.url, /\/sq\/fixture\/plans\/2024-2025\/commitments\/XKGJA0001#update-\d+$/);
      assert.equal((await get(`/api/v1/updates/${draftId}`)).res.statusCode, 404, 'a draft is not found');
      const demo = await walk('/api/v1/milestones', 200);
      assert.ok(demo.some((m) => m.isDemo === true) && demo.some((m) => m.isDemo === false), 'demonstration milestones are flagged, real ones are not');
      // Commitments and updates follow the feeds' rule: the plan is demonstration, or a (reported) milestone is.
      const { db } = t.database;
      const demoMilestones = await db.selectFrom('milestones').select(['id', 'commitment_id']).where('is_demo', '=', 1).execute();
      const demoPlans = new Set((await db.selectFrom('action_plans').select('id').where('is_demo', '=', 1).execute()).map((p) => Number(p.id)));
      const commitments = await walk('/api/v1/commitments', 200);
      const mixed = commitments.filter((c) => !demoPlans.has(c.planId) && demoMilestones.some((m) => Number(m.commitment_id) === c.id));
      assert.ok(mixed.length > 0, 'the demo seed adds milestones to a real plan');
      for (const c of commitments) {
        assert.equal(c.isDemo, demoPlans.has(c.planId) || demoMilestones.some((m) => Number(m.commitment_id) === c.id), `commitment ${c.id}`);
      }
      const demoIds = new Set(demoMilestones.map((m) => Number(m.id)));
      for (const u of updates) {
        assert.equal(u.isDemo, demoPlans.has(u.planId) || u.items.some((i: Json) => demoIds.has(i.milestoneId)), `update ${u.id}`);
      }
      assert.ok(updates.some((u) => u.isDemo === true && !demoPlans.has(u.planId)), 'an update on a real plan reporting demonstration milestones is flagged');
      assert.ok(updates.some((u) => u.isDemo === false), 'a real update is not');
    });

    test('no draft, comment, e-mail address or token anywhere in any list', async () => {
      const { db } = t.database;
      const emails = (await db.selectFrom('users').select('email').execute()).map((u) => u.email);
      assert.ok(emails.length >= 4);
      for (const [path, ops] of Object.entries(doc.paths)) {
        if (!ops.get || path.includes('{')) continue;
        let url: string | null = `${path}?limit=200`;
        while (url) {
          const res: { body: string } = await t.app.inject(url);
          for (const secret of [DRAFT_TEXT, RETURNED_COMMENT, ...emails, 'password_hash', 'token_hash', 'form_token', 'coordinator_comment']) {
            assert.ok(!res.body.includes(secret), `${url} shows ${secret}`);
          }
          url = (JSON.parse(res.body) as Json).next;
        }
      }
    });

    test('the HTML app is undisturbed: its pages are not in the document and still answer HTML', async () => {
      assert.ok(!docText.includes('/:locale'));
      const home = await t.app.inject('/en/fixture');
      assert.equal(home.statusCode, 200);
      assert.match(String(home.headers['content-type']), /text\/html/);
      assert.equal(home.headers['access-control-allow-origin'], undefined, 'no CORS outside the API');
      const unknown = await t.app.inject('/api/v1/nothing-here');
      assert.equal(unknown.statusCode, 404);
      assert.match(String(unknown.headers['content-type']), /^application\/problem\+json/);
    });

    test('the /{locale}/api page in every locale lists every documented operation and links to the document', async () => {
      const operations = Object.values(doc.paths).flatMap((ops) => Object.keys(ops)).length;
      for (const locale of LOCALES) {
        const res = await t.app.inject(`/${locale}/api`);
        assert.equal(res.statusCode, 200, locale);
        assert.match(res.body, new RegExp(`<html lang="${locale}"`));
        assert.ok(res.body.includes('href="/api/v1/openapi.json"'));
        for (const path of Object.keys(doc.paths)) assert.ok(res.body.includes(`<code>${path}</code>`), `${locale} lists ${path}`);
        assert.equal(res.body.match(/<tr>/g)?.length, operations + 1, `${locale}: a row per operation`);
        assert.deepEqual(await htmlErrors(res.body), [], locale);
      }
    });

    describe('the write API', () => {
      const URL_ = () => `/api/v1/commitments/${f.commitmentId}/updates`;
      const body = (over: Json = {}) => ({
        cycle: 3,
        language: 'en',
        summary: 'Filed by the directorate’s system',
        items: f.milestoneIds.map((milestone) => ({ milestone, status: 'in_progress', completion: 'limited', narrative: 'Work goes on.', links: ['https://example.org/x'] })),
        ...over,
      });
      const post = (token: string | undefined, payload: unknown, headers: Record<string, string> = {}) =>
        t.app.inject({ method: 'POST', url: URL_(), payload: payload as Json, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
      let holderToken = '';

      before(async () => {
        const actor = actorFor({ id: f.users.holder, roles: await findUserRoles(t.database.db, f.users.holder) });
        holderToken = (await createApiToken(t.database.db, actor, { name: 'Reporting system' })).token;
      });

      test('tokens are stored hashed only', async () => {
        const rows = await t.database.db.selectFrom('api_tokens').selectAll().execute();
        assert.ok(rows.length >= 1);
        assert.ok(rows.some((r) => r.token_hash === hashToken(holderToken)));
        assert.ok(!JSON.stringify(rows).includes(holderToken.slice(5)), 'the token itself is stored nowhere');
        const events = await t.database.db.selectFrom('audit_events').select('data').where('action', '=', 'api_token.created').execute();
        assert.ok(!JSON.stringify(events).includes(holderToken.slice(5)));
      });

      test('401 without a token, with an unknown one, and with the session cookie alone', async () => {
        const none = await post(undefined, body());
        assert.equal(none.statusCode, 401);
        assert.match(String(none.headers['www-authenticate']), /^Bearer/);
        assert.match(String(none.headers['content-type']), /^application\/problem\+json/);
        assert.equal((await post('besa_unknown', body())).statusCode, 401);
        assert.equal((await post(undefined, body(), { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })).statusCode, 401);
        const session = await insertSession(t.database.db, f.users.holder);
        const cookie = await t.app.inject({ method: 'POST', url: URL_(), payload: body(), cookies: { besa_session: session } });
        assert.equal(cookie.statusCode, 401, 'a cookie session is not accepted');
      });

      test('the commitment holder files a draft (201) through the reporting command, then submits it', async () => {
        const res = await post(holderToken, body());
        assert.equal(res.statusCode, 201, res.body);
        const created = JSON.parse(res.body) as Json;
        assert.equal(created.status, 'draft');
        assert.equal(created.cycle, 3);
        const row = await rdb(t.database.db).selectFrom('progress_updates').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
        assert.equal(row.status, 'draft');
        assert.equal(row.created_by, f.users.holder, 'filed as the token’s person');
        const audit = await t.database.db.selectFrom('audit_events').select(['actor_user_id']).where('action', '=', 'progress_update.saved').where('entity_id', '=', created.id).execute();
        assert.deepEqual(audit.map((a) => a.actor_user_id), [f.users.holder]);
        const submitted = await post(holderToken, body({ submit: true }));
        assert.equal(submitted.statusCode, 201);
        assert.equal(JSON.parse(submitted.body).status, 'submitted');
        const again = await post(holderToken, body());
        assert.equal(again.statusCode, 409, 'a submitted update is locked, as on the form');
      });

      test('422 with field errors for what the form refuses; 400 for a body of the wrong shape; 404 for an unknown commitment or cycle', async () => {
        const bad = await post(holderToken, body({ cycle: 4, items: [{ milestone: f.milestoneIds[0], status: 'bogus', completion: 'limited' }, { milestone: f.milestoneIds[1], status: 'delayed', completion: 'limited' }] }));
        assert.equal(bad.statusCode, 422, bad.body);
        const fields = (JSON.parse(bad.body) as Json).errors.map((e: Json) => e.field);
        assert.deepEqual(fields.sort(), ['items[0].status', 'items[1].obstacles']);
        assert.equal(await rdb(t.database.db).selectFrom('progress_updates').select('id').where('commitment_id', '=', f.commitmentId).where('cycle_id', 'in', rdb(t.database.db).selectFrom('reporting_cycles').select('id').where('number', '=', 4).where('action_plan_id', '=', f.planId)).executeTakeFirst(), undefined);
        assert.equal((await post(holderToken, { language: 'xx', items: 'no' })).statusCode, 400);
        assert.equal((await post(holderToken, '{not json', { 'content-type': 'application/json' })).statusCode, 400);
        const hugeMilestone = await post(holderToken, body({ items: [{ milestone: 2147483648, status: 'in_progress', completion: 'limited' }] }));
        assert.equal(hugeMilestone.statusCode, 400, hugeMilestone.body);
        const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/commitments/2147483000/updates', payload: body(), headers: { authorization: `Bearer ${holderToken}` } });
        assert.equal(unknown.statusCode, 404);
        assert.equal((await post(holderToken, body({ cycle: 99 }))).statusCode, 404);
        const large = await post(holderToken, body({ summary: 'x'.repeat(600 * 1024) }));
        assert.equal(large.statusCode, 413);
      });

      test('422 naming the field for a text holding a character that cannot be stored (a NUL is a 500 on PostgreSQL otherwise), and nothing written', async () => {
        const count = async () => Number((await rdb(t.database.db).selectFrom('progress_updates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        const before = await count();
        const items = body().items as Json[];
        const res = await post(holderToken, body({ cycle: 7, summary: 'a\u0000b', items: [items[0], { ...items[1], narrative: 'x\u0001', links: ['https://example.org/\u0000'] }] }));
        assert.equal(res.statusCode, 422, res.body);
        const errors = (JSON.parse(res.body) as Json).errors as Json[];
        assert.deepEqual(errors.map((e) => e.field), ['summary', 'items[1].narrative', 'items[1].links']);
        assert.ok(errors.every((e) => e.code === 'form.error.character'));
        assert.equal(await count(), before);
      });

      test('422 naming the item for a milestone sent twice (not a 409 from the unique constraint), and nothing written', async () => {
        const count = async () => Number((await rdb(t.database.db).selectFrom('progress_updates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        const before = await count();
        const items = body().items as Json[];
        const res = await post(holderToken, body({ cycle: 7, items: [items[0], items[1], { ...items[0] }] }));
        assert.equal(res.statusCode, 422, res.body);
        const errors = (JSON.parse(res.body) as Json).errors as Json[];
        assert.deepEqual(errors.map((e) => e.field), ['items[2].milestone']);
        assert.equal(await count(), before);
      });

      test('403 for a person whose role does not allow it, and nothing written', async () => {
        const actor = actorFor({ id: f.users.otherHolder, roles: await findUserRoles(t.database.db, f.users.otherHolder) });
        const token = (await createApiToken(t.database.db, actor, { name: 'Other' })).token;
        const before = await rdb(t.database.db).selectFrom('progress_updates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        const res = await post(token, body({ cycle: 5 }));
        assert.equal(res.statusCode, 403);
        const afterCount = await rdb(t.database.db).selectFrom('progress_updates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(afterCount.n), Number(before.n));
      });

      test('a revoked or expired token is refused (401); a disabled person’s too', async () => {
        const { db } = t.database;
        const actor = actorFor({ id: f.users.holder, roles: await findUserRoles(db, f.users.holder) });
        const made = await createApiToken(db, actor, { name: 'Short-lived' });
        assert.equal((await post(made.token, body({ cycle: 6 }))).statusCode, 201);
        assert.equal(await revokeApiToken(db, actor, made.id), true);
        assert.equal((await post(made.token, body({ cycle: 6 }))).statusCode, 401);
        const expired = await createApiToken(db, actor, { name: 'Expired', expiresAt: '2000-01-01T00:00:00.000Z' });
        assert.equal((await post(expired.token, body({ cycle: 6 }))).statusCode, 401);
        const someone = actorFor({ id: f.users.admin, roles: await findUserRoles(db, f.users.admin) });
        const other = await createApiToken(db, someone, { name: 'Admin' });
        assert.equal(await revokeApiToken(db, actor, other.id), false, 'one cannot revoke someone else’s token');
        await db.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('id', '=', f.users.admin).execute();
        assert.equal((await post(other.token, body({ cycle: 6 }))).statusCode, 401);
        await db.updateTable('users').set({ disabled_at: null }).where('id', '=', f.users.admin).execute();
      });
    });

    describe('the account page’s tokens', () => {
      test('make one (shown once, with a warning), see it listed, revoke it after a confirmation', async () => {
        const { db } = t.database;
        const session = await insertSession(db, f.users.coordinator);
        const csrf = await csrfFromSignIn(t.app);
        const cookies = { besa_session: session, _csrf: csrf.cookie };
        const form = (url: string, fields: Record<string, string>) =>
          t.app.inject({ method: 'POST', url, cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf.token, ...fields }).toString() });
        const page = await t.app.inject({ url: '/en/admin/account', cookies });
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<h2 id="api-tokens">API tokens<\/h2>/);
        assert.match(page.body, /You have no API tokens/);

        const refused = await form('/en/admin/account/tokens', { token_name: '', token_expires: '2001-01-01' });
        assert.equal(refused.statusCode, 422);
        assert.match(refused.body, /value="2001-01-01"/, 'what was typed is kept');
        assert.deepEqual(await htmlErrors(refused.body), []);
        const noCsrf = await t.app.inject({ method: 'POST', url: '/en/admin/account/tokens', cookies: { besa_session: session }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'token_name=x' });
        assert.equal(noCsrf.statusCode, 403);

        const made = await form('/en/admin/account/tokens', { token_name: 'Directorate system' });
        assert.equal(made.statusCode, 200);
        assert.equal(made.headers['cache-control'], 'no-store');
        const token = /<code id="new-api-token-value">([^<]+)<\/code>/.exec(made.body)?.[1] ?? '';
        assert.ok(token.startsWith('besa_'), 'the token is shown');
        assert.match(made.body, /shown only this once/);
        assert.deepEqual(await htmlErrors(made.body), []);
        const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
        assert.equal(row.user_id, f.users.coordinator);

        const again = await t.app.inject({ url: '/en/admin/account', cookies });
        assert.ok(!again.body.includes(token), 'never shown again');
        assert.match(again.body, /<td>Directorate system<\/td>/);
        assert.deepEqual(await htmlErrors(again.body), []);

        const ask = await form(`/en/admin/account/tokens/${row.id}/revoke`, {});
        assert.equal(ask.statusCode, 200);
        assert.match(ask.body, /Revoke the token &#34;Directorate system&#34;\?/);
        assert.equal((await db.selectFrom('api_tokens').select('revoked_at').where('id', '=', row.id).executeTakeFirstOrThrow()).revoked_at, null, 'asking revokes nothing');
        const someoneElse = await form(`/en/admin/account/tokens/${row.id + 1000}/revoke`, { confirm: 'yes' });
        assert.equal(someoneElse.statusCode, 404);
        const done = await form(`/en/admin/account/tokens/${row.id}/revoke`, { confirm: 'yes' });
        assert.equal(done.statusCode, 303);
        assert.notEqual((await db.selectFrom('api_tokens').select('revoked_at').where('id', '=', row.id).executeTakeFirstOrThrow()).revoked_at, null);
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/commitments/${f.commitmentId}/updates`, payload: { language: 'en', items: [] }, headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.statusCode, 401, 'the revoked token no longer works');
      });
    });
  });
}
