import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { SlugTakenError } from '../../db/errors.js';
import { createJurisdiction } from '../jurisdictions/commands.js';
import { createInstitution, findInstitutionBySlug, listInstitutions, updateInstitution, type InstitutionInput } from './commands.js';
import { ADMIN } from '../../../test/actors.js';

const actor = ADMIN;

describeEachDatabase('institution commands', (get) => {
  let gjakova: number;
  let prizren: number;
  let office: InstitutionInput;

  before(async () => {
    const base = { kind: 'local', countryCode: 'XK', website: null, contentLocale: 'sq', description: '' } as const;
    gjakova = await createJurisdiction(get().db, actor, { ...base, slug: 'gjakova', name: 'Gjakova' });
    prizren = await createJurisdiction(get().db, actor, { ...base, slug: 'prizren', name: 'Prizreni' });
    office = {
      jurisdictionId: gjakova,
      slug: 'information-office',
      kind: 'government',
      website: null,
      contentLocale: 'sq',
      name: 'Zyra për Informim',
      description: 'Koordinon planin',
    };
  });

  test('createInstitution stores it with its audit event', async () => {
    const { db } = get();
    const id = await createInstitution(db, actor, office);
    const found = await findInstitutionBySlug(db, gjakova, 'information-office');
    assert.equal(found?.id, id);
    assert.deepEqual(found?.name, { sq: 'Zyra për Informim' });
    assert.equal(found?.kind, 'government');
    const events = await db.selectFrom('audit_events').select('action').where('entity_type', '=', 'institution').where('entity_id', '=', id).execute();
    assert.deepEqual(
      events.map((e) => e.action),
      ['institution.created'],
    );
  });

  test('editing one content language keeps the others', async () => {
    const { db } = get();
    const found = await findInstitutionBySlug(db, gjakova, 'information-office');
    assert.ok(found);
    await updateInstitution(db, actor, { ...office, id: found.id, kind: 'other', contentLocale: 'fr', name: 'Bureau d’information', description: '' });
    const after = await findInstitutionBySlug(db, gjakova, 'information-office');
    assert.deepEqual(after?.name, { sq: 'Zyra për Informim', fr: 'Bureau d’information' });
    assert.deepEqual(after?.description, { sq: 'Koordinon planin' });
    assert.equal(after?.kind, 'other');
  });

  test('a slug is unique within its jurisdiction only', async () => {
    const { db } = get();
    await assert.rejects(createInstitution(db, actor, { ...office, name: 'Tjetër' }), SlugTakenError);
    await assert.rejects(createInstitution(db, actor, { ...office, slug: 'new' }), SlugTakenError);
    await createInstitution(db, actor, { ...office, jurisdictionId: prizren });
    const second = await createInstitution(db, actor, { ...office, slug: 'mayor' });
    await assert.rejects(updateInstitution(db, actor, { ...office, id: second, slug: 'information-office' }), SlugTakenError);
    assert.deepEqual(
      (await listInstitutions(db, gjakova)).map((i) => i.slug),
      ['information-office', 'mayor'],
    );
  });
});
