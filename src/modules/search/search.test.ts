import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { foldForSearch, searchTerms } from '../../lib/fold.js';
import { describeEachDatabase } from '../../../test/db.js';
import { markDemoDocuments } from '../../db/migrations/0008_search_demo_flag.js';
import { actorWith } from '../../../test/actors.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { generateCycles, publishProgressUpdate, returnProgressUpdate, saveProgressUpdate } from '../reporting/index.js';
import { rebuildSearchIndex, refreshSearchDocuments, searchBody, updateTitle } from './indexer.js';
import { COUNT_CAP, dialectOf, matchExpression, searchDocuments } from './repository.js';

const NOW = '2026-01-01T00:00:00.000Z';

/** A jurisdiction with one institution, plan, commitment and milestone, inserted directly. */
async function insertSample(db: Db, slug = 'gjakova'): Promise<{ jurisdictionId: number }> {
  const j = await db
    .insertInto('jurisdictions')
    .values({
      slug,
      name: JSON.stringify({ sq: 'Komuna e Gjakovës', en: 'Municipality of Gjakova', 'sr-Latn': 'Opština Đakovica' }),
      kind: 'local',
      country_code: 'XK',
      description: JSON.stringify({ en: 'A municipality in western Kosovo.' }),
      website: null,
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const institution = await db
    .insertInto('institutions')
    .values({
      jurisdiction_id: j.id,
      slug: 'information-office',
      name: JSON.stringify({ sq: 'Zyra për Informim', en: 'Information Office' }),
      kind: 'government',
      description: '{}',
      website: null,
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const plan = await db
    .insertInto('action_plans')
    .values({
      jurisdiction_id: j.id,
      slug: '2024-2025',
      title: JSON.stringify({ sq: 'Plani i veprimit 2024–2025', en: 'Action plan 2024–2025' }),
      starts_on: '2024-01-01',
      ends_on: '2025-12-31',
      submitted_on: null,
      status: 'implementation',
      foreword: '{}',
      cocreation_groups: null,
      cocreation_public_meetings: null,
      cocreation_summary: '{}',
      is_demo: 0,
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const commitment = await db
    .insertInto('commitments')
    .values({
      action_plan_id: plan.id,
      code: 'XKGJA0001',
      position: 1,
      title: JSON.stringify({
        sq: 'Transparenca në çështjet e buxhetit',
        en: 'Transparency in budget matters',
        'sr-Cyrl': 'Транспарентност буџетских питања',
      }),
      problem: JSON.stringify({ sq: 'Qytetarët nuk dinë si shpenzohen paratë e komunës.' }),
      status_quo: '{}',
      action: '{}',
      contribution: '{}',
      long_term_goal: '{}',
      ogp_values: '["access_to_information"]',
      policy_areas: '[]',
      starts_on: '2024-01-01',
      ends_on: '2025-12-31',
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('commitment_institutions').values({ commitment_id: commitment.id, institution_id: institution.id, role: 'lead' }).execute();
  await db
    .insertInto('milestones')
    .values({
      commitment_id: commitment.id,
      code: 'XKGJA0001.1',
      position: 1,
      title: JSON.stringify({ sq: 'Publikimi i buxhetit për qytetarët', en: 'Citizens’ budget published' }),
      expected_output: '{}',
      indicator: '{}',
      responsible_institution_id: institution.id,
      starts_on: null,
      due_on: '2024-06-30',
      status: 'in_progress',
      completed_on: null,
      cancelled_on: null,
      weight: 1,
      is_demo: 0,
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
  return { jurisdictionId: j.id };
}

test('match expressions are built from sanitized terms only', () => {
  const terms = searchTerms('"a" OR b* -c NEAR(d) \'e\' :f & g | !h');
  assert.deepEqual(terms, ['a', 'or', 'b', 'c', 'near', 'd', 'e', 'f', 'g', 'h']);
  assert.equal(matchExpression('sqlite', ['a', 'b']), '"a" "b"*');
  assert.equal(matchExpression('postgres', ['a', 'b']), 'a & b:*');
  assert.equal(matchExpression('sqlite', ['a"b', '']), '"ab"*');
  assert.equal(matchExpression('postgres', []), '');
});

test('folding word by word gives the same body as folding the whole text', () => {
  const samples = [
    'Çështjet e buxhetit — ÇËSHTJE, çështje!',
    'Љубљана, Њујорк, Џеп; Đakovica/Ђаковица',
    'Straße, Æsir, œuvre, Łódź, Øresund',
    'e\u0301te\u0301 (combining marks), naïve café',
    'XKGJA0001.2 — 2024–2025: 50% “quoted” ‘single’',
    '',
  ];
  for (const text of samples) {
    const whole = foldForSearch(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
    assert.equal(searchBody(JSON.stringify({ en: text })), whole, text);
  }
  // Every locale is indexed; a list is indexed item by item.
  assert.equal(searchBody('{"sq":"Çështje","sr-Cyrl":"Питање"}', '["Ujë","Ajër"]'), 'ceshtje pitanje uje ajer');
  assert.equal(searchBody('Gjakova'), 'gjakova');
});

describeEachDatabase('search', (get) => {
  let jurisdictionId = 0;
  const find = (q: string, extra: { kind?: 'commitment' | 'milestone' | 'plan'; jurisdictionSlug?: string } = {}) =>
    searchDocuments(get().db, { terms: searchTerms(q), ...extra });

  before(async () => {
    const { db } = get();
    ({ jurisdictionId } = await insertSample(db));
    await refreshSearchDocuments(db, jurisdictionId);
  });

  test('the dialect is read from the executor, also inside a transaction', async () => {
    const { db, dialect } = get();
    assert.equal(dialectOf(db), dialect);
    await db.transaction().execute(async (trx) => assert.equal(dialectOf(trx), dialect));
  });

  test('documents are built for the jurisdiction, institution, plan, commitment and milestone', async () => {
    const docs = await get().db.selectFrom('search_documents').select(['kind', 'path', 'doc_key']).orderBy('id').execute();
    assert.deepEqual(
      docs.map((d) => [d.kind, d.path]),
      [
        ['jurisdiction', '/gjakova'],
        ['institution', '/gjakova/institutions/information-office'],
        ['plan', '/gjakova/plans/2024-2025'],
        ['commitment', '/gjakova/plans/2024-2025/commitments/XKGJA0001'],
        ['milestone', '/gjakova/plans/2024-2025/commitments/XKGJA0001#XKGJA0001.1'],
      ],
    );
  });

  test('accents do not matter: ceshtje finds çështje', async () => {
    const result = await find('ceshtje');
    assert.equal(result.count, 1);
    assert.equal(result.hits[0]?.kind, 'commitment');
    assert.equal(result.hits[0]?.path, '/gjakova/plans/2024-2025/commitments/XKGJA0001');
    assert.equal(JSON.parse(result.hits[0]?.title ?? '{}').sq, 'Transparenca në çështjet e buxhetit');
    assert.equal(result.hits[0]?.jurisdictionSlug, 'gjakova');
    assert.equal((await find('ÇËSHTJET')).count, 1);
  });

  test('Albanian endings do not matter: zyrës finds Zyra, çështja and çështjeve find çështjet', async () => {
    const institution = '/gjakova/institutions/information-office';
    for (const q of ['zyrës', 'Zyrën', 'zyrat', 'Zyrës për informim']) {
      assert.ok((await find(q)).hits.some((h) => h.path === institution), q);
    }
    for (const q of ['çështja', 'ceshtjeve', 'çështjen e buxhetit']) {
      assert.deepEqual((await find(q)).hits.map((h) => h.path), ['/gjakova/plans/2024-2025/commitments/XKGJA0001'], q);
    }
  });

  test('Serbian Latin finds the Cyrillic title and Cyrillic finds Latin', async () => {
    assert.equal((await find('budžetskih pitanja')).hits[0]?.kind, 'commitment');
    assert.equal((await find('budzetskih')).count, 1);
    // The jurisdiction's Serbian name is Latin only: Cyrillic finds it.
    const cyrillic = await find('Ђаковица');
    assert.equal(cyrillic.count, 1);
    assert.equal(cyrillic.hits[0]?.kind, 'jurisdiction');
  });

  test('every term must match and the last one matches as a prefix', async () => {
    assert.equal((await find('transparen')).count, 1);
    assert.equal((await find('budget transparen')).count, 1);
    assert.equal((await find('budget nonexistentword')).count, 0);
    // Without a prefix match on earlier terms: "transp budget" needs the whole word "transp".
    assert.equal((await find('transp budget')).count, 0);
    // Unless the earlier term has an Albanian or Serbian ending: its stem then matches as a prefix
    // ("transparen" reads as transpar + -en, like Gjakovën).
    assert.equal((await find('transparen budget')).count, 1);
    const codes = await find('XKGJA0001');
    assert.deepEqual(codes.hits.map((h) => h.kind).sort(), ['commitment', 'milestone']);
    // The commitment comes before its own milestone for its code.
    assert.equal(codes.hits[0]?.kind, 'commitment');
    assert.deepEqual((await find('XKGJA0001.1')).hits.map((h) => h.kind), ['milestone']);
  });

  test('commitments are found by the name of their institutions, milestones by the responsible one', async () => {
    const result = await find('informim');
    assert.deepEqual(result.hits.map((h) => h.kind).sort(), ['commitment', 'institution', 'milestone']);
  });

  test('filters by kind and jurisdiction', async () => {
    assert.deepEqual((await find('buxhetit', { kind: 'milestone' })).hits.map((h) => h.kind), ['milestone']);
    assert.equal((await find('buxhetit', { jurisdictionSlug: 'gjakova' })).count, 2);
    assert.equal((await find('buxhetit', { jurisdictionSlug: 'elsewhere' })).count, 0);
  });

  test('query syntax in the input causes no error', async () => {
    for (const q of ['"a" OR b*', 'NEAR(a b)', 'a AND NOT b', "'", '":*&|!()', 'a:* & !b', '***', '-budget', 'col:x', '\u0000']) {
      const result = await find(q);
      assert.ok(result.count >= 0, q);
    }
    assert.equal((await find('"çështje" OR')).count, 0);
    assert.equal((await find('"çështje"')).count, 1);
  });

  test('the limit caps the hits but the count is the total', async () => {
    const result = await searchDocuments(get().db, { terms: ['xkgja0001'], limit: 1 });
    assert.equal(result.hits.length, 1);
    assert.equal(result.count, 2);
  });

  test('counting stops at the cap; stray documents are removed by the next refresh', async () => {
    const { db } = get();
    const rows = Array.from({ length: COUNT_CAP + 5 }, (_, i) => ({
      doc_key: `stray:${i}`,
      jurisdiction_id: jurisdictionId,
      kind: 'commitment',
      title: '{"en":"Stray"}',
      path: `/gjakova/stray/${i}`,
      body: `strayword number${i}`,
    }));
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('search_documents').values(rows.slice(i, i + 200)).execute();
    const result = await find('strayword');
    assert.equal(result.count, COUNT_CAP);
    assert.equal(result.moreThanCount, true);
    assert.equal(result.hits.length, 50);
    const exact = await find('number7 strayword');
    assert.deepEqual([exact.count, exact.moreThanCount], [1, false]);
    await refreshSearchDocuments(db, jurisdictionId);
    assert.equal((await find('strayword')).count, 0);
  });

  test('a refresh rewrites only the documents that changed', async () => {
    const { db } = get();
    const before = await db.selectFrom('search_documents').select(['id', 'doc_key']).orderBy('doc_key').execute();
    await db
      .updateTable('milestones')
      .set({ title: JSON.stringify({ sq: 'Publikimi i buxhetit për qytetarët', en: 'Citizens’ budget published online' }) })
      .where('code', '=', 'XKGJA0001.1')
      .execute();
    await refreshSearchDocuments(db, jurisdictionId);
    const after = await db.selectFrom('search_documents').select(['id', 'doc_key']).orderBy('doc_key').execute();
    assert.deepEqual(after.map((r) => r.doc_key), before.map((r) => r.doc_key));
    const changed = after.filter((r, i) => r.id !== before[i]?.id).map((r) => r.doc_key);
    assert.deepEqual(changed, [before.find((r) => r.doc_key.startsWith('milestone:'))?.doc_key]);
    assert.equal((await find('online')).hits[0]?.kind, 'milestone');
  });

  test('refreshing twice leaves no duplicates; a rebuild picks up changes', async () => {
    const { db } = get();
    await refreshSearchDocuments(db, jurisdictionId);
    await db.transaction().execute((trx) => refreshSearchDocuments(trx, jurisdictionId));
    const count = await db.selectFrom('search_documents').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 5);
    assert.equal((await find('ceshtje')).count, 1);

    await db
      .updateTable('commitments')
      .set({ title: JSON.stringify({ sq: 'Llogaridhënia publike', en: 'Public accountability' }) })
      .where('code', '=', 'XKGJA0001')
      .execute();
    await rebuildSearchIndex(db);
    assert.equal((await find('ceshtje')).count, 0);
    assert.equal((await find('llogaridhenia')).count, 1);
  });

  test('a second jurisdiction is indexed apart, and a deleted one loses its documents', async () => {
    const { db } = get();
    const other = await insertSample(db, 'prishtina');
    await refreshSearchDocuments(db, other.jurisdictionId);
    assert.equal((await find('ceshtje')).count, 1);
    assert.equal((await find('ceshtje', { jurisdictionSlug: 'prishtina' })).count, 1);
    await db.deleteFrom('jurisdictions').where('id', '=', other.jurisdictionId).execute();
    await refreshSearchDocuments(db, other.jurisdictionId);
    assert.equal((await find('ceshtje')).count, 0);
    const left = await db.selectFrom('search_documents').select('jurisdiction_id').distinct().execute();
    assert.deepEqual(left.map((r) => r.jurisdiction_id), [jurisdictionId]);
  });
});

test('an update is titled by what it is about and its cycle, in each locale the title is written in', () => {
  const title = JSON.parse(updateTitle(JSON.stringify({ sq: 'Buxheti', 'sr-Latn': 'Budžet' }), { number: 2, label: '{}' }));
  assert.deepEqual(title, { sq: 'Buxheti (Cikli 2)', 'sr-Latn': 'Budžet (Ciklus 2)', 'sr-Cyrl': 'Буџет (Циклус 2)' });
  // A cycle's own label wins over "Cycle N"; a title without text leaves the cycle alone.
  assert.equal(JSON.parse(updateTitle('{"en":"Budget"}', { number: 1, label: '{"en":"Spring review"}' })).en, 'Budget (Spring review)');
  assert.equal(JSON.parse(updateTitle('{}', { number: 3, label: '{}' })).fr, 'Cycle 3');
});

type UpdateInput = Parameters<typeof saveProgressUpdate>[2];

describeEachDatabase('search: progress updates and demonstration data', (get) => {
  let f: ReportingFixture;
  let cycleIds: number[] = [];
  const find = (q: string, kind?: 'update' | 'milestone') => searchDocuments(get().db, { terms: searchTerms(q), kind });
  const coordinator = () => actorWith('coordinator', { userId: f.users.coordinator, jurisdictionId: f.jurisdictionId });
  const holder = () => actorWith('commitment_holder', { userId: f.users.holder, jurisdictionId: f.jurisdictionId, institutionId: f.leadId });
  const commitmentPath = '/gjakova/plans/2024-2025/commitments/XKGJA0001';
  const publishedId = async () => {
    const rows = await sql<{ id: number }>`select id from progress_updates where cycle_id = ${cycleIds[0]!} and status = 'published'`.execute(get().db);
    assert.equal(rows.rows.length, 1);
    return rows.rows[0]!.id;
  };

  /** An update in Albanian whose texts carry the given word, for cycle `cycle` (0-based). */
  function update(cycle: number, word: string, submit: boolean): UpdateInput {
    return {
      cycleId: cycleIds[cycle]!,
      commitmentId: f.commitmentId,
      locale: 'sq',
      summary: `Përmbledhje ${word}summary`,
      items: [
        { milestoneId: f.milestoneIds[0], status: 'in_progress', completion: 'limited', narrative: `Dëgjimi ${word}narrative`, obstacles: [], obstacleNote: '', links: [] },
        {
          milestoneId: f.milestoneIds[1],
          status: 'delayed',
          completion: 'not_started',
          narrative: '',
          obstacles: ['funding', 'other'],
          obstacleNote: `Vonesë ${word}obstacle`,
          links: [],
        },
      ],
      files: [],
      removeFileIds: [],
      submit,
      formToken: null,
    };
  }

  before(async () => {
    const { db } = get();
    f = await insertReportingFixture(db);
    await db.updateTable('milestones').set({ is_demo: 1 }).where('id', '=', f.milestoneIds[1]).execute();
    await generateCycles(db, coordinator(), f.planId);
    const cycles = await sql<{ id: number }>`select id from reporting_cycles where action_plan_id = ${f.planId} order by number`.execute(db);
    cycleIds = cycles.rows.map((c) => c.id);
    // Cycle 1: published (publishing refreshes the search documents itself).
    const published = await saveProgressUpdate(db, holder(), update(0, 'çelës', true));
    await publishProgressUpdate(db, coordinator(), { updateId: published.id });
    // Cycle 2: a draft; cycle 3: submitted; cycle 4: submitted and returned.
    await saveProgressUpdate(db, holder(), update(1, 'draft', false));
    await saveProgressUpdate(db, holder(), update(2, 'submitted', true));
    const returned = await saveProgressUpdate(db, holder(), update(3, 'returned', true));
    await returnProgressUpdate(db, coordinator(), { updateId: returned.id, comment: 'Add the evidence.' });
    await refreshSearchDocuments(db, f.jurisdictionId);
  });

  test('a published update is found by its narrative, accents folded, on the commitment page where the timeline shows it', async () => {
    const id = await publishedId();
    for (const q of ['çelësnarrative', 'CELESNARRATIVE', 'degjimi celesnarr']) {
      const result = await find(q);
      assert.equal(result.count, 1, q);
      const hit = result.hits[0]!;
      assert.equal(hit.kind, 'update');
      assert.equal(hit.path, `${commitmentPath}#update-${id}-${f.milestoneIds[0]}`);
      assert.deepEqual(JSON.parse(hit.title), { en: 'Milestone 1 (Cycle 1)' });
      assert.equal(hit.isDemo, false);
    }
  });

  test('the summary is found under the commitment, the obstacles under their milestone', async () => {
    const id = await publishedId();
    const summary = await find('permbledhje celessummary');
    assert.deepEqual(
      summary.hits.map((h) => [h.kind, h.path]),
      [['update', `${commitmentPath}#update-${id}`]],
    );
    assert.deepEqual(JSON.parse(summary.hits[0]!.title), { sq: 'Buxhet i hapur (Cikli 1)', en: 'Open budget (Cycle 1)' });
    const obstacle = await find('vonese celesobstacle');
    assert.deepEqual(
      obstacle.hits.map((h) => [h.kind, h.path]),
      [['update', `${commitmentPath}#update-${id}-${f.milestoneIds[1]}`]],
    );
    // The named obstacles are found by their label in every language.
    assert.equal((await find('funding', 'update')).count, 1);
    assert.equal((await find('financimi', 'update')).count, 1);
  });

  test('drafts, submitted and returned updates are never found', async () => {
    for (const word of ['draft', 'submitted', 'returned']) {
      for (const part of ['summary', 'narrative', 'obstacle']) assert.equal((await find(word + part)).count, 0, word + part);
    }
    const docs = await get().db.selectFrom('search_documents').select('doc_key').where('kind', '=', 'update').execute();
    // Cycle 1's summary and its two milestones' texts: nothing else.
    assert.equal(docs.length, 3);
  });

  test('a demonstration milestone and the update about it carry the flag; real ones do not', async () => {
    const milestones = await find('milestone', 'milestone');
    assert.deepEqual(
      milestones.hits.map((h) => [JSON.parse(h.title).en, h.isDemo]).sort(),
      [
        ['Milestone 1', false],
        ['Milestone 2', true],
      ],
    );
    assert.equal((await find('celesobstacle')).hits[0]?.isDemo, true);
    assert.equal((await find('celessummary')).hits[0]?.isDemo, false);
    const commitment = await find('open budget');
    assert.deepEqual(
      commitment.hits.map((h) => [h.kind, h.isDemo]),
      [['commitment', false]],
    );
  });

  test('the flag follows the data: a refresh rewrites a document whose milestone stopped being demonstration data', async () => {
    const { db } = get();
    await db.updateTable('milestones').set({ is_demo: 0 }).where('id', '=', f.milestoneIds[1]).execute();
    await refreshSearchDocuments(db, f.jurisdictionId);
    assert.equal((await find('milestone 2', 'milestone')).hits[0]?.isDemo, false);
    assert.equal((await find('celesobstacle')).hits[0]?.isDemo, false);
    // A demonstration plan makes all its content demonstration data.
    await db.updateTable('action_plans').set({ is_demo: 1 }).where('id', '=', f.planId).execute();
    await refreshSearchDocuments(db, f.jurisdictionId);
    for (const q of ['open budget', 'milestone 2', 'celessummary', 'celesnarrative']) assert.equal((await find(q)).hits[0]?.isDemo, true, q);
    await db.updateTable('action_plans').set({ is_demo: 0 }).where('id', '=', f.planId).execute();
    await db.updateTable('milestones').set({ is_demo: 1 }).where('id', '=', f.milestoneIds[1]).execute();
    await refreshSearchDocuments(db, f.jurisdictionId);
  });

  test('migration 0008 marks the documents already there', async () => {
    const { db } = get();
    await db.updateTable('search_documents').set({ is_demo: 0 }).execute();
    await markDemoDocuments(db);
    const marked = await db.selectFrom('search_documents').select('doc_key').where('is_demo', '=', 1).execute();
    assert.deepEqual(
      marked.map((d) => d.doc_key),
      [`milestone:${f.milestoneIds[1]}`],
    );
    await db.updateTable('action_plans').set({ is_demo: 1 }).where('id', '=', f.planId).execute();
    await markDemoDocuments(db);
    const all = await db.selectFrom('search_documents').select(['kind', 'is_demo']).where('kind', 'in', ['plan', 'commitment', 'milestone']).execute();
    assert.ok(all.length === 4 && all.every((d) => d.is_demo === 1));
    await db.updateTable('action_plans').set({ is_demo: 0 }).where('id', '=', f.planId).execute();
    await refreshSearchDocuments(db, f.jurisdictionId);
  });
});
