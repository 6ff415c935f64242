import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { readContentVersion } from '../../db/content-version.js';
import { parseList, parseTranslatable } from '../../lib/translatable.js';
import { SYSTEM, ForbiddenError, type Actor } from '../audit/index.js';
import { verifyPublishedHistory } from '../transparency/index.js';
import { tdb } from '../transparency/tables.js';
import { createJurisdiction } from '../jurisdictions/commands.js';
import { createActionPlan } from '../plans/commands.js';
import { importOgp, ImportFileError } from './ogp.js';
import { OGP_FULL_TEXT, ogpCsv } from './test-files.js';

/**
 * `besa import ogp`: a file with every awkward value of OGP's download (BOM, CRLF, multi-line
 * quoted text, ND/NR/N/A/empty, three date formats and a serial, a row without its title, two
 * localities and a country with two plans), imported on both databases; again, nothing changes;
 * a changed title updates the same commitment.
 */
describeEachDatabase('interop: OGP commitment data', (get) => {
  const logSize = async () => Number((await tdb(get().db).selectFrom('transparency_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  test('each place a jurisdiction, each plan a plan, each row a commitment with its IRM assessment; the row without a title skipped with its reason', async () => {
    const { db } = get();
    const report = await importOgp(db, SYSTEM, ogpCsv(), { fileName: 'ogp.csv' });
    assert.equal(report.rows, 6);
    assert.deepEqual(report.skipped, [{ row: 5, reason: 'missing_title' }]);
    assert.deepEqual(
      report.warnings.map((w) => [w.row, w.reason]),
      [
        [7, 'bad_date'],
        [7, 'dates_from_plan'],
      ],
    );
    assert.equal(report.created.jurisdiction, 3);
    assert.equal(report.created.action_plan, 4);
    assert.equal(report.created.commitment, 5);
    assert.equal(report.created.irm_assessment, 3);

    const jurisdictions = await db.selectFrom('jurisdictions').select(['slug', 'kind', 'country_code', 'name']).orderBy('slug').execute();
    assert.deepEqual(
      jurisdictions.map((j) => [j.slug, j.kind, j.country_code, parseTranslatable(j.name).en]),
      [
        ['albania', 'national', 'AL', 'Albania'],
        ['elbasan-albania', 'local', 'AL', 'Elbasan, Albania'],
        ['tirana', 'local', 'AL', 'Tirana'],
      ],
    );
    const plans = await db.selectFrom('action_plans').innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id').select(['jurisdictions.slug as j', 'action_plans.slug', 'starts_on', 'ends_on']).orderBy('action_plans.id').execute();
    assert.deepEqual(
      plans.map((p) => [p.j, p.slug, p.starts_on, p.ends_on]),
      [
        ['albania', '2018-2020', '2018-09-01', '2020-08-31'],
        ['albania', '2020-2022', '2020-06-01', '2022-12-31'],
        ['elbasan-albania', '2021-2023', '2021-04-03', '2023-06-30'],
        ['tirana', '2021-2021', '2021-01-01', '2021-01-01'],
      ],
    );

    const byCode = new Map((await db.selectFrom('commitments').selectAll().execute()).map((c) => [c.code, c]));
    assert.deepEqual([...byCode.keys()].sort(), ['AL0001', 'AL0002', 'AL0050', 'ALELB0001', 'ALTIR0001']);
    const first = byCode.get('AL0001')!;
    assert.equal(parseTranslatable(first.action).en, OGP_FULL_TEXT, 'multi-line quoted text kept whole');
    assert.deepEqual(parseList(first.ogp_values), ['transparency', 'public_accountability'], 'OGP value flags');
    assert.deepEqual(parseList(first.policy_areas), ['Anti-Corruption'], 'other flags by their column names');
    // Three date formats: ISO, day first (15/09/2018), a month and a year; a serial number.
    assert.deepEqual([byCode.get('AL0002')!.starts_on, byCode.get('AL0002')!.ends_on], ['2018-09-15', '2019-12-31']);
    assert.deepEqual([byCode.get('AL0050')!.starts_on, byCode.get('AL0050')!.ends_on], ['2020-06-01', '2022-12-31']);
    assert.equal(byCode.get('ALELB0001')!.starts_on, '2021-04-03', '03/04/2021 read day first, as the file’s other dates are');
    assert.equal(byCode.get('ALTIR0001')!.starts_on, '2021-01-01');

    const roles = await db
      .selectFrom('commitment_institutions')
      .innerJoin('institutions', 'institutions.id', 'commitment_institutions.institution_id')
      .select(['commitment_institutions.role', 'institutions.name'])
      .where('commitment_id', '=', first.id)
      .orderBy('role')
      .orderBy('institutions.name')
      .execute();
    assert.deepEqual(
      roles.map((r) => [r.role, parseTranslatable(r.name).en]),
      [
        ['lead', 'Ministry of Justice'],
        ['supporting', 'Ministry of Finance'],
        ['supporting', 'Open Data Albania'],
      ],
    );
    const tiranaSupport = await db.selectFrom('institutions').innerJoin('jurisdictions', 'jurisdictions.id', 'institutions.jurisdiction_id').select('institutions.slug').where('jurisdictions.slug', '=', 'tirana').orderBy('institutions.slug').execute();
    assert.deepEqual(tiranaSupport.map((i) => i.slug), ['civil-society-network', 'municipality-of-tirana', 'youth-council'], 'names on separate lines are separate institutions');

    const irm = new Map((await db.selectFrom('irm_assessments').selectAll().execute()).map((a) => [a.commitment_id, JSON.parse(a.ratings) as { name: string; value: string | null }[]]));
    assert.deepEqual(irm.get(byCode.get('AL0002')!.id), [
      { name: 'Verifiable', value: 'No' },
      { name: 'Potential Impact', value: 'Minor' },
      { name: 'Potential for Results', value: 'NR' },
      { name: 'Completion (End Of Term)', value: 'Limited' },
      { name: 'Did It Open Government (Overall)', value: 'N/A' },
      { name: 'Early Results', value: null },
    ], 'NR, N/A and an empty cell kept apart');
    assert.equal(irm.get(first.id)!.find((r) => r.name === 'Early Results')!.value, 'ND');
    assert.equal(irm.has(byCode.get('AL0050')!.id), false, 'no assessment where every IRM cell is empty');

    const history = await verifyPublishedHistory(db);
    assert.equal(history.ok, true, JSON.stringify(history.problem));
  });

  test('a second import changes nothing and publishes nothing', async () => {
    const { db } = get();
    const entries = await logSize();
    const version = await readContentVersion(db);
    const counts = async () => Promise.all((['jurisdictions', 'institutions', 'action_plans', 'commitments', 'irm_assessments', 'external_ids'] as const).map(async (t) => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
    const before = await counts();
    const report = await importOgp(db, SYSTEM, ogpCsv(), { fileName: 'ogp.csv' });
    assert.equal(Object.values(report.created).reduce((a, b) => a + b, 0), 0);
    assert.equal(Object.values(report.updated).reduce((a, b) => a + b, 0), 0);
    assert.equal(report.unchanged.commitment, 5);
    assert.deepEqual(await counts(), before);
    assert.equal(await logSize(), entries, 'the transparency log did not grow');
    assert.equal(await readContentVersion(db), version, 'the page cache was left alone');
  });

  test('a changed title updates the same commitment, publishing that one change', async () => {
    const { db } = get();
    const before = await db.selectFrom('commitments').select(['id', 'title']).where('code', '=', 'AL0001').executeTakeFirstOrThrow();
    const entries = await logSize();
    const report = await importOgp(db, SYSTEM, ogpCsv({ firstTitle: 'Open contracting register, renamed' }), { fileName: 'ogp.csv' });
    assert.equal(report.updated.commitment, 1);
    assert.equal(report.created.commitment, 0);
    const after = await db.selectFrom('commitments').select(['id', 'title']).where('code', '=', 'AL0001').execute();
    assert.equal(after.length, 1);
    assert.equal(after[0]!.id, before.id);
    assert.equal(parseTranslatable(after[0]!.title).en, 'Open contracting register, renamed');
    assert.equal(await logSize(), entries + 1);
    const last = await tdb(db).selectFrom('transparency_entries').select(['action', 'entity_id', 'summary']).orderBy('leaf_index', 'desc').executeTakeFirstOrThrow();
    assert.equal(last.action, 'commitment.updated');
    assert.equal(Number(last.entity_id), before.id);
    assert.deepEqual((JSON.parse(last.summary) as { changed: string[] }).changed, ['title']);
    assert.equal((await verifyPublishedHistory(db)).ok, true);
  });

  test('only instance administrators import; a file that is not OGP’s data is refused', async () => {
    const { db } = get();
    const coordinator: Actor = { userId: 1, role: 'coordinator', roles: [{ role: 'coordinator', jurisdictionId: 1, institutionId: null }] };
    await assert.rejects(importOgp(db, coordinator, ogpCsv(), { fileName: 'ogp.csv' }), ForbiddenError);
    await assert.rejects(importOgp(db, SYSTEM, 'a,b\n1,2\n', { fileName: 'x.csv' }), ImportFileError);
  });
});

/** Control characters in a cell (NUL cannot be stored on PostgreSQL) are removed, as forms do, and the row is named in the report. */
describeEachDatabase('interop: OGP cells with control characters', (get) => {
  test('NUL and other control characters are removed from the stored text; the report names the row', async () => {
    const { db } = get();
    const report = await importOgp(db, SYSTEM, ogpCsv({ firstTitle: 'Open\u0000 contracting\u0007 register\u001b' }), { fileName: 'ogp.csv' });
    assert.equal(report.created.commitment, 5);
    assert.deepEqual(report.warnings.filter((w) => w.reason === 'control_characters'), [{ row: 2, reason: 'control_characters' }]);
    const row = await db.selectFrom('commitments').select('title').where('code', '=', 'AL0001').executeTakeFirstOrThrow();
    assert.equal(parseTranslatable(row.title).en, 'Open contracting register');
    assert.equal((await verifyPublishedHistory(db)).ok, true);
  });
});

/** ADR 8: a jurisdiction and a plan entered by hand before the import are adopted, not duplicated. */
describeEachDatabase('interop: OGP data adopts what was entered by hand', (get) => {
  test('a hand-entered Albania and its 2018-2020 plan receive the rows', async () => {
    const { db } = get();
    const jurisdictionId = await createJurisdiction(db, SYSTEM, { slug: 'albania', kind: 'national', countryCode: 'AL', website: null, contentLocale: 'en', name: 'Albania', description: '' });
    const planId = await createActionPlan(db, SYSTEM, {
      jurisdictionId, slug: '2018-2020', startsOn: '2018-09-01', endsOn: '2020-08-31', submittedOn: null, withdrawnOn: null, assessedOn: null,
      cocreationGroups: null, cocreationPublicMeetings: null, contentLocale: 'en', title: 'Fourth plan', foreword: '', cocreationSummary: '',
      leadInstitutionIds: [], visionSections: [], endorsements: [],
    });
    const report = await importOgp(db, SYSTEM, ogpCsv(), { fileName: 'ogp.csv' });
    assert.equal(report.created.jurisdiction, 2, 'Elbasan and Tirana only');
    assert.deepEqual((await db.selectFrom('jurisdictions').select('slug').where('slug', 'like', 'albania%').execute()).map((j) => j.slug), ['albania']);
    assert.deepEqual((await db.selectFrom('action_plans').select('slug').where('jurisdiction_id', '=', jurisdictionId).orderBy('slug').execute()).map((p) => p.slug), ['2018-2020', '2020-2022']);
    const c = await db.selectFrom('commitments').select('action_plan_id').where('code', '=', 'AL0001').execute();
    assert.deepEqual(c.map((r) => Number(r.action_plan_id)), [planId]);
    const again = await importOgp(db, SYSTEM, ogpCsv(), { fileName: 'ogp.csv' });
    assert.equal(again.created.jurisdiction + again.created.action_plan + again.created.commitment, 0);
    assert.equal((await verifyPublishedHistory(db)).ok, true);
  });
});
