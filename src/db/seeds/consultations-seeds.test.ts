import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { readContentVersion } from '../content-version.js';
import { dayIn } from '../../i18n/index.js';
import { consultationStatus, findConsultation, noticeDays } from '../../modules/participation/consultation-queries.js';
import { pdb } from '../../modules/participation/tables.js';
import { COCREATION_QUOTES, COCREATION_SECTIONS, COCREATION_SLUG, COCREATION_SOURCES } from './consultations-gjakova.js';
import { DEMO_CLOSED_SLUG, DEMO_OPEN_SLUG } from './consultations-demo.js';
import { seedDemo, seedIfEmpty } from './index.js';
import { normalizeQuoted, sourceText } from './provenance-check.js';

/** The seeded consultations: Gjakova's co-creation call with only what the plan states, and the demonstration's open and closed ones. */

describeEachDatabase('seeded consultations', (get) => {
  test('every quote and section of the co-creation call is found word for word in the adopted plan', () => {
    const plan = sourceText('adopted_plan')!;
    for (const quote of Object.values(COCREATION_QUOTES)) assert.ok(plan.includes(normalizeQuoted(quote)), quote);
    for (const section of Object.values(COCREATION_SECTIONS)) assert.ok(plan.includes(normalizeQuoted(section)), section);
    for (const s of COCREATION_SOURCES) if (s.quote) assert.ok(plan.includes(normalizeQuoted(s.quote)), `${s.field}: ${s.quote}`);
  });

  test('Gjakova holds its 2024 co-creation call as a closed consultation: 6 groups, 15 public meetings, published, its sources recorded', async () => {
    const { db } = get();
    assert.equal(await seedIfEmpty(db), true);
    const c = await findConsultation(db, 'gjakova', COCREATION_SLUG);
    assert.ok(c);
    assert.equal(c.groupsConsulted, 6);
    assert.equal(c.publicMeetings, 15);
    assert.equal(c.subject, 'plan');
    assert.ok(c.planId !== null);
    assert.equal(c.isDemo, false);
    assert.ok(c.publishedAt);
    assert.equal(c.closesOn, '2024-11-29', 'the day the plan was submitted');
    assert.equal(consultationStatus(c, dayIn(new Date().toISOString(), c.timeZone)), 'closed');
    assert.ok(c.title.fr && c.title.en && c.summary.fr && c.summary.en && c.body.fr && c.body.en, 'French and English texts');
    assert.ok(c.datesNote?.en?.includes('no dates'), 'the page says the plan gives no dates');
    const sources = await db.selectFrom('provenance').select(['field', 'precision']).where('entity_type', '=', 'consultation').where('entity_id', '=', c.id).execute();
    for (const field of ['title', 'summary', 'body', 'groups_consulted', 'public_meetings', 'opens_on', 'closes_on']) assert.ok(sources.some((s) => s.field === field), field);
    assert.equal(sources.find((s) => s.field === 'opens_on')?.precision, 'year');
    const contributions = await pdb(db).selectFrom('contributions').select('id').where('consultation_id', '=', c.id).execute();
    assert.equal(contributions.length, 0, 'no invented contributions');
    const log = await db.selectFrom('audit_events').select('action').where('entity_type', '=', 'consultation').where('entity_id', '=', c.id).execute();
    assert.deepEqual(log.map((e) => e.action), ['consultation.published']);
  });

  test('the demonstration adds an open consultation with threaded comments and a proposal, and a closed one with responses; labelled, without addresses, once', async () => {
    const { db } = get();
    await seedDemo(db);
    const open = await findConsultation(db, 'gjakova', DEMO_OPEN_SLUG);
    assert.ok(open && open.isDemo);
    const today = dayIn(new Date().toISOString(), open.timeZone);
    assert.equal(consultationStatus(open, today), 'open');
    assert.ok(open.opensOn < today, 'opened a few days ago');
    assert.ok(noticeDays({ opensOn: today, closesOn: open.closesOn }) >= 15, 'open for at least 15 more days');
    const rows = await pdb(db).selectFrom('contributions').selectAll().where('consultation_id', '=', open.id).execute();
    assert.ok(rows.every((r) => r.is_demo === 1 && r.status === 'published' && r.email === null && r.email_hash === null));
    assert.ok(rows.some((r) => r.depth === 2 && r.parent_id !== null), 'a reply two levels deep');
    assert.ok(rows.some((r) => r.kind === 'proposal' && r.theme && r.ogp_value), 'a proposal with a theme and an OGP value');

    const closed = await findConsultation(db, 'gjakova', DEMO_CLOSED_SLUG);
    assert.ok(closed && closed.isDemo && closed.respondedAt);
    assert.equal(consultationStatus(closed, today), 'responded');
    const answered = await pdb(db)
      .selectFrom('contributions')
      .leftJoin('contribution_responses', 'contribution_responses.contribution_id', 'contributions.id')
      .select(['contributions.id', 'contribution_responses.outcome'])
      .where('contributions.consultation_id', '=', closed.id)
      .execute();
    assert.ok(answered.length >= 3 && answered.every((r) => r.outcome), 'every contribution has a response');

    const version = await readContentVersion(db);
    await seedDemo(db);
    assert.equal(await readContentVersion(db), version, 'a second run changes nothing');
    assert.equal((await pdb(db).selectFrom('consultations').select('id').where('slug', '=', DEMO_OPEN_SLUG).execute()).length, 1);
  });
});
