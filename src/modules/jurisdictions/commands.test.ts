import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { parseTranslatable } from '../../lib/translatable.js';
import { isUniqueViolation, isUniqueViolationOf, SlugTakenError, UNIQUE_KEYS, withSlugGuard } from '../../db/errors.js';
import { createJurisdiction, findJurisdictionBySlug, updateJurisdiction, type JurisdictionInput } from './commands.js';
import { ADMIN } from '../../../test/actors.js';

const actor = ADMIN;

const gjakova: JurisdictionInput = {
  slug: 'gjakova',
  kind: 'local',
  countryCode: 'xk',
  website: 'https://gjakovakomuna.net',
  contentLocale: 'sq',
  name: 'Komuna e Gjakovës',
  description: 'Anëtare lokale e OGP-së',
};

describeEachDatabase('jurisdiction commands', (get) => {
  test('createJurisdiction stores it with its audit event', async () => {
    const { db } = get();
    const id = await createJurisdiction(db, actor, gjakova);
    const row = await db.selectFrom('jurisdictions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.slug, 'gjakova');
    assert.equal(row.country_code, 'XK');
    assert.deepEqual(parseTranslatable(row.name), { sq: 'Komuna e Gjakovës' });
    const events = await db.selectFrom('audit_events').selectAll().where('entity_type', '=', 'jurisdiction').where('entity_id', '=', id).execute();
    assert.deepEqual(
      events.map((e) => e.action),
      ['jurisdiction.created'],
    );
  });

  test('editing one content language keeps the others', async () => {
    const { db } = get();
    const existing = await findJurisdictionBySlug(db, 'gjakova');
    assert.ok(existing);
    await updateJurisdiction(db, actor, { ...gjakova, id: existing.id, contentLocale: 'en', name: 'Municipality of Gjakova', description: '' });
    const after = await findJurisdictionBySlug(db, 'gjakova');
    assert.deepEqual(after?.name, { sq: 'Komuna e Gjakovës', en: 'Municipality of Gjakova' });
    assert.deepEqual(after?.description, { sq: 'Anëtare lokale e OGP-së' });
    const actions = await db.selectFrom('audit_events').select('action').where('entity_id', '=', existing.id).where('entity_type', '=', 'jurisdiction').execute();
    assert.ok(actions.some((a) => a.action === 'jurisdiction.updated'));
  });

  test('a duplicate or reserved slug is rejected and nothing changes', async () => {
    const { db } = get();
    await assert.rejects(createJurisdiction(db, actor, { ...gjakova, name: 'Another' }), SlugTakenError);
    await assert.rejects(createJurisdiction(db, actor, { ...gjakova, slug: 'admin' }), SlugTakenError);
    const otherId = await createJurisdiction(db, actor, { ...gjakova, slug: 'prishtina', name: 'Prishtina' });
    await assert.rejects(updateJurisdiction(db, actor, { ...gjakova, id: otherId, slug: 'gjakova' }), SlugTakenError);
    const rows = await db.selectFrom('jurisdictions').select('slug').orderBy('slug').execute();
    assert.deepEqual(
      rows.map((r) => r.slug),
      ['gjakova', 'prishtina'],
    );
  });

  test('a unique violation from the database (a concurrent request) is reported as a taken slug', async () => {
    const { db } = get();
    const duplicate = () =>
      db
        .insertInto('jurisdictions')
        .values({ slug: 'gjakova', name: '{}', kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: 'x', updated_at: 'x' })
        .execute();
    await assert.rejects(duplicate(), (error: unknown) => isUniqueViolation(error));
    await assert.rejects(withSlugGuard(UNIQUE_KEYS.jurisdictionSlug, duplicate), SlugTakenError);
  });

  test('the slug guard recognises only its own unique key: any other unique violation is a real error', async () => {
    const { db } = get();
    const id = (await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow()).id;
    const document = () =>
      db
        .insertInto('search_documents')
        .values({ doc_key: 'test:clash', jurisdiction_id: id, kind: 'jurisdiction', title: '{}', path: '/x', body: 'x', is_demo: 0 })
        .execute();
    await document();
    // Another table's unique key: passed through unchanged, never "already used".
    await assert.rejects(withSlugGuard(UNIQUE_KEYS.jurisdictionSlug, document), (error: unknown) => !(error instanceof SlugTakenError) && isUniqueViolation(error));
    // A key of the same kind but another table: not this guard's either.
    const institutionSlug = () =>
      db
        .insertInto('institutions')
        .values({ jurisdiction_id: id, slug: 'same', kind: 'government', name: '{}', description: '{}', website: null, created_at: 'x', updated_at: 'x' })
        .execute();
    await institutionSlug();
    await assert.rejects(withSlugGuard(UNIQUE_KEYS.jurisdictionSlug, institutionSlug), (error: unknown) => !(error instanceof SlugTakenError));
    await assert.rejects(withSlugGuard(UNIQUE_KEYS.institutionSlug, institutionSlug), SlugTakenError);
    assert.equal(isUniqueViolationOf(new Error('UNIQUE constraint failed: institutions.jurisdiction_id, institutions.slug'), UNIQUE_KEYS.institutionSlug), false, 'a code is needed too');
  });
});
