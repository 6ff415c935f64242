import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../../test/db.js';
import { openHttpForm, postHttpForm, submittedFields, serveAsAdministrator, UNSTORABLE_MESSAGE, withChanges } from '../../../test/http.js';
import { seedIfEmpty } from '../../db/seeds/index.js';

const EDIT = '/en/admin/jurisdictions/gjakova/plans/2024-2025/edit';

describeEachDatabase('plan admin routes: text that cannot be stored', (get) => {
  let app: FastifyInstance;
  let session: string;
  let base: string;

  before(async () => {
    const database = get();
    assert.equal(await seedIfEmpty(database.db), true);
    ({ app, base, session } = await serveAsAdministrator(database));
  });
  after(async () => {
    await app.close();
  });

  async function unchanged() {
    const response = await fetch(base + EDIT, { headers: { cookie: `besa_session=${session}` } });
    assert.equal(response.status, 200);
    const fields = submittedFields(await response.text()).filter(([name]) => name !== '_csrf');
    return { form: await openHttpForm(base, EDIT, session), fields };
  }

  async function stored() {
    const { db } = get();
    const plan = await db.selectFrom('action_plans').selectAll().where('slug', '=', '2024-2025').executeTakeFirstOrThrow();
    const endorsements = await db.selectFrom('endorsements').select(['organization', 'sector']).where('action_plan_id', '=', plan.id).orderBy('position').execute();
    const vision = await db.selectFrom('vision_sections').select(['question', 'answer']).where('action_plan_id', '=', plan.id).orderBy('position').execute();
    return { foreword: plan.foreword, endorsements, vision };
  }

  test('a NUL byte in an endorsement is refused with its field error and the form kept', async () => {
    const before = await stored();
    const { form, fields } = await unchanged();
    const organization = fields.find(([name]) => name === 'endorsement_0_organization')?.[1];
    assert.ok(organization, 'the seeded plan has an endorsement');
    const refused = await postHttpForm(base, EDIT, form, withChanges(fields, { endorsement_0_organization: `${organization}\u0000`, foreword: 'A foreword\r\non two lines' }));
    assert.equal(refused.status, 422);
    assert.match(refused.body, UNSTORABLE_MESSAGE);
    assert.match(refused.body, /href="#field-endorsement_0_organization"/);
    assert.ok(refused.body.includes(`value="${organization.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`), 'the organization is shown without the NUL');
    assert.match(refused.body, /A foreword\r?\non two lines/);
    assert.deepEqual(await stored(), before, 'nothing was stored');
  });

  test('a lone surrogate in a vision answer (JSON body) is refused the same way', async () => {
    const before = await stored();
    const { form, fields } = await unchanged();
    assert.ok(fields.some(([name]) => name === 'vision_0_answer'), 'the seeded plan has a vision section');
    const body = Object.fromEntries(withChanges(fields, { vision_0_answer: 'An answer \ud800 cut in half' }));
    const response = await fetch(base + EDIT, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', cookie: form.cookie },
      body: JSON.stringify({ ...body, _csrf: form.token }),
    });
    const html = await response.text();
    assert.equal(response.status, 422);
    assert.match(html, /href="#field-vision_0_answer"/);
    assert.match(html, /An answer  cut in half/);
    assert.deepEqual(await stored(), before);
  });

  test('the seeded plan is saved unchanged', async () => {
    const before = await stored();
    const { form, fields } = await unchanged();
    const saved = await postHttpForm(base, EDIT, form, fields);
    assert.equal(saved.status, 303, saved.body.slice(0, 3000));
    assert.deepEqual(await stored(), before);
  });
});
