import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../../test/db.js';
import { openHttpForm, postHttpForm, submittedFields, serveAsAdministrator, UNSTORABLE_MESSAGE, withChanges } from '../../../test/http.js';
import { seedDemo, seedIfEmpty } from '../../db/seeds/index.js';
import { parseTranslatable } from '../../lib/translatable.js';

/**
 * The commitment and milestone forms on Gjakova's seeded plan, over real HTTP: seeded records
 * saved unchanged, text that cannot be stored, and parallel edits.
 */

const BASE = '/en/admin/jurisdictions/gjakova/plans/2024-2025/commitments';

describeEachDatabase('commitment forms: seeded records, stored text, parallel edits', (get) => {
  let app: FastifyInstance;
  let session: string;
  let base: string;

  before(async () => {
    const database = get();
    assert.equal(await seedIfEmpty(database.db), true);
    await seedDemo(database.db);
    ({ app, base, session } = await serveAsAdministrator(database));
  });
  after(async () => {
    await app.close();
  });

  /** The edit form of a page as a browser would submit it unchanged, with its CSRF token and cookies. */
  async function unchanged(path: string) {
    const response = await fetch(base + path, { headers: { cookie: `besa_session=${session}` } });
    assert.equal(response.status, 200, `GET ${path}`);
    const fields = submittedFields(await response.text()).filter(([name]) => name !== '_csrf');
    return { form: await openHttpForm(base, path, session), fields };
  }

  test('the seeded commitment and milestone at position 0 are saved unchanged', async () => {
    const { db } = get();
    const first = await db.selectFrom('commitments').select(['id', 'code', 'position', 'title', 'updated_at']).orderBy('position').executeTakeFirstOrThrow();
    assert.equal(first.position, 0, 'the seed counts positions from 0');
    const path = `${BASE}/${first.code}/edit`;
    const { form, fields } = await unchanged(path);
    assert.ok(fields.some(([name, value]) => name === 'position' && value === '0'));
    const saved = await postHttpForm(base, path, form, fields);
    assert.equal(saved.status, 303, saved.body.slice(0, 3000));
    const after = await db.selectFrom('commitments').select(['position', 'title']).where('id', '=', first.id).executeTakeFirstOrThrow();
    assert.equal(after.position, 0);
    assert.deepEqual(parseTranslatable(after.title), parseTranslatable(first.title));

    const milestone = await db
      .selectFrom('milestones')
      .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
      .select(['milestones.id', 'milestones.code', 'milestones.position', 'commitments.code as commitmentCode'])
      .where('milestones.position', '=', 0)
      .orderBy('milestones.id')
      .executeTakeFirstOrThrow();
    const milestonePath = `${BASE}/${milestone.commitmentCode}/milestones/${milestone.code}/edit`;
    const m = await unchanged(milestonePath);
    const savedMilestone = await postHttpForm(base, milestonePath, m.form, m.fields);
    assert.equal(savedMilestone.status, 303, savedMilestone.body.slice(0, 3000));

    // A negative position is still refused.
    const negative = await postHttpForm(base, path, form, withChanges(fields, { position: '-1' }));
    assert.equal(negative.status, 422);
    assert.match(negative.body, /Enter a whole number from 0 to 100,000/);
  });

  test('a NUL byte in a commitment or a lone surrogate in a milestone is refused, the rest of the form kept', async () => {
    const { db } = get();
    const commitment = await db.selectFrom('commitments').select(['id', 'code', 'title', 'problem']).orderBy('position').limit(1).offset(1).executeTakeFirstOrThrow();
    const path = `${BASE}/${commitment.code}/edit`;
    const { form, fields } = await unchanged(path);
    const refused = await postHttpForm(base, path, form, withChanges(fields, { title: 'Open\u0000 budget', problem: 'Line one\r\nLine two\twith a tab', position: 'x' }));
    assert.equal(refused.status, 422);
    assert.match(refused.body, UNSTORABLE_MESSAGE);
    assert.match(refused.body, /href="#field-title"/);
    assert.match(refused.body, /value="Open budget"/, 'the title is shown without the NUL');
    assert.match(refused.body, /Line one\r?\nLine two\twith a tab/, 'the other fields are kept as typed');
    assert.match(refused.body, /href="#field-position"/, 'the other errors are shown at the same time');
    const lone = await fetch(base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', cookie: form.cookie },
      body: JSON.stringify({ ...Object.fromEntries(withChanges(fields, { action: 'Act \ud83d now' })), ogp_values: fields.filter(([n]) => n === 'ogp_values').map(([, v]) => v), _csrf: form.token }),
    });
    const loneBody = await lone.text();
    assert.equal(lone.status, 422);
    assert.match(loneBody, /href="#field-action"/);
    assert.match(loneBody, /Act  now/);
    const stored = await db.selectFrom('commitments').select(['title', 'problem']).where('id', '=', commitment.id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { title: commitment.title, problem: commitment.problem }, 'nothing was stored');

    const milestone = await db.selectFrom('milestones').select(['id', 'code', 'title']).where('commitment_id', '=', commitment.id).orderBy('id').executeTakeFirstOrThrow();
    const milestonePath = `${BASE}/${commitment.code}/milestones/${milestone.code}/edit`;
    const m = await unchanged(milestonePath);
    const json = Object.fromEntries(withChanges(m.fields, { indicator: 'Share \udc00 published', expected_output: 'DEL\u007f and C0\u001b' }));
    const response = await fetch(base + milestonePath, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', cookie: m.form.cookie },
      body: JSON.stringify({ ...json, _csrf: m.form.token }),
    });
    const body = await response.text();
    assert.equal(response.status, 422);
    assert.match(body, /href="#field-indicator"/);
    assert.match(body, /href="#field-expected_output"/);
    assert.match(body, /Share  published/);
    assert.match(body, /DEL and C0/);
    const nul = await postHttpForm(base, milestonePath, m.form, withChanges(m.fields, { title: 'Report\u0000 published' }));
    assert.equal(nul.status, 422);
    assert.match(nul.body, /href="#field-title"/);
    assert.match(nul.body, /value="Report published"/);
    const after = await db.selectFrom('milestones').select('title').where('id', '=', milestone.id).executeTakeFirstOrThrow();
    assert.equal(after.title, milestone.title);
  });

  test('9 parallel commitment edits all succeed and the search index keeps every commitment', async () => {
    const { db } = get();
    const commitments = await db.selectFrom('commitments').select(['id', 'code']).orderBy('position').execute();
    assert.ok(commitments.length >= 3);
    const edits = await Promise.all(
      Array.from({ length: 9 }, async (_, i) => {
        const c = commitments[i % commitments.length]!;
        const path = `${BASE}/${c.code}/edit`;
        const { form, fields } = await unchanged(path);
        // An empty position keeps each one's place (this test is about the writes, not the order).
        return { path, form, fields: withChanges(fields, { title: `Edited in parallel ${i}`, position: '' }) };
      }),
    );
    const responses = await Promise.all(edits.map((e) => postHttpForm(base, e.path, e.form, e.fields)));
    assert.deepEqual(
      responses.map((r) => r.status),
      edits.map(() => 303),
      responses.map((r) => (r.status === 303 ? '' : r.body.slice(0, 3000))).join('\n'),
    );
    const docs = await db.selectFrom('search_documents').select(['doc_key', 'title']).where('kind', '=', 'commitment').execute();
    assert.deepEqual(docs.map((d) => d.doc_key).sort(), commitments.map((c) => `commitment:${c.id}`).sort());
    for (const c of commitments) {
      const row = await db.selectFrom('commitments').select('title').where('id', '=', c.id).executeTakeFirstOrThrow();
      const doc = docs.find((d) => d.doc_key === `commitment:${c.id}`)!;
      assert.equal(parseTranslatable(doc.title).en, parseTranslatable(row.title).en, `the search title of ${c.code} is its stored title`);
    }
  });

  test('a code really in use still gives the field message', async () => {
    const { db } = get();
    const [a, b] = await db.selectFrom('commitments').select('code').orderBy('position').limit(2).execute();
    const path = `${BASE}/${b!.code}/edit`;
    const { form, fields } = await unchanged(path);
    const taken = await postHttpForm(base, path, form, withChanges(fields, { code: a!.code }));
    assert.equal(taken.status, 422);
    assert.match(taken.body, /This is already used; choose another/);
  });
});
