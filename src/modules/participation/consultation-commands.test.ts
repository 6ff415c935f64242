import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { insertReportingFixture } from '../../../test/reporting-fixture.js';
import { ForbiddenError, type Actor } from '../audit/index.js';
import {
  addConsultationDocument,
  ConsultationInputError,
  createConsultation,
  publishConsultation,
  recordConsultationOutcome,
  removeConsultationDocument,
  setMinimumNotice,
  updateConsultation,
  type ConsultationInput,
} from './consultation-commands.js';
import {
  byPublicOrder,
  consultationStatus,
  findConsultationById,
  findMinimumNotice,
  isShortNotice,
  listConsultationDocuments,
  listConsultations,
  listPlanConsultations,
  noticeDays,
  type ConsultationView,
} from './consultation-queries.js';
import { consultationRecent } from './consultation-sources.js';
import { pdb } from './tables.js';

/** Consultation commands on both databases: validation, roles, the notice period, drafts kept out of public reach, publishing into the log. */

const input = (slug: string, over: Partial<ConsultationInput> = {}): ConsultationInput => ({
  slug,
  locale: 'en',
  texts: { title: 'Budget 2027', summary: 'What should the budget fund?', body: 'The draft budget.' },
  subject: 'topic',
  planId: null,
  commitmentId: null,
  opensOn: '2027-03-01',
  closesOn: '2027-03-31',
  moderation: 'post',
  flagThreshold: 3,
  allowsProposals: true,
  groupsConsulted: null,
  publicMeetings: null,
  ...over,
});

function fieldsOf(error: unknown): string[] {
  assert.ok(error instanceof ConsultationInputError, String(error));
  return error.errors.list.map((e) => e.field).sort();
}

describeEachDatabase('consultations: commands', (get) => {
  let jurisdictionId = 0;
  let otherJurisdictionId = 0;
  let planId = 0;
  let otherPlanId = 0;
  let commitmentId = 0;
  let coordinator: Actor;
  let holder: Actor;

  test('fixture', async () => {
    const f = await insertReportingFixture(get().db, 'gjakova');
    const other = await insertReportingFixture(get().db, 'prizren');
    jurisdictionId = f.jurisdictionId;
    otherJurisdictionId = other.jurisdictionId;
    planId = f.planId;
    otherPlanId = other.planId;
    commitmentId = f.commitmentId;
    coordinator = { userId: null, role: 'coordinator', roles: [{ role: 'coordinator', jurisdictionId, institutionId: null }] };
    holder = f.actors.holder;
  });

  test('refused with field errors: slug, missing title, dates in the wrong order, a subject of another jurisdiction, bad counts', async () => {
    const { db } = get();
    await assert.rejects(createConsultation(db, coordinator, { ...input('Bad Slug'), texts: { title: '' }, jurisdictionId }), (e) => {
      assert.deepEqual(fieldsOf(e), ['slug', 'title']);
      return true;
    });
    await assert.rejects(createConsultation(db, coordinator, { ...input('order'), opensOn: '2027-04-01', closesOn: '2027-03-01', jurisdictionId }), (e) => fieldsOf(e).includes('closes_on'));
    await assert.rejects(createConsultation(db, coordinator, { ...input('date'), opensOn: '2027-02-30', jurisdictionId }), (e) => fieldsOf(e).includes('opens_on'));
    await assert.rejects(createConsultation(db, coordinator, { ...input('plan'), subject: 'plan', planId: otherPlanId, jurisdictionId }), (e) => fieldsOf(e).includes('plan_id'));
    await assert.rejects(createConsultation(db, coordinator, { ...input('plan2'), subject: 'plan', planId: null, jurisdictionId }), (e) => fieldsOf(e).includes('plan_id'));
    await assert.rejects(createConsultation(db, coordinator, { ...input('commitment'), subject: 'commitment', commitmentId: 999_999, jurisdictionId }), (e) => fieldsOf(e).includes('commitment_id'));
    await assert.rejects(createConsultation(db, coordinator, { ...input('subject'), subject: 'budget', jurisdictionId }), (e) => fieldsOf(e).includes('subject'));
    await assert.rejects(createConsultation(db, coordinator, { ...input('threshold'), flagThreshold: Number.NaN, jurisdictionId }), (e) => fieldsOf(e).includes('flag_threshold'));
    await assert.rejects(createConsultation(db, coordinator, { ...input('facts'), groupsConsulted: -1, publicMeetings: 1.5, jurisdictionId }), (e) => {
      assert.deepEqual(fieldsOf(e), ['groups_consulted', 'public_meetings']);
      return true;
    });
    await assert.rejects(createConsultation(db, coordinator, { ...input('moderation'), moderation: 'none', jurisdictionId }), (e) => fieldsOf(e).includes('moderation'));
    await assert.rejects(createConsultation(db, coordinator, { ...input('nul'), texts: { title: 'A\u0000B' }, jurisdictionId }), (e) => fieldsOf(e).includes('title'));
    await assert.rejects(createConsultation(db, coordinator, { ...input('long'), texts: { title: 'Long', body: 'x'.repeat(100_000) }, jurisdictionId }), (e) => fieldsOf(e).includes('body'));
    const none = await pdb(db).selectFrom('consultations').select('id').execute();
    assert.equal(none.length, 0);
  });

  test('only administrators and coordinators of the jurisdiction run consultations', async () => {
    const { db } = get();
    await assert.rejects(createConsultation(db, holder, { ...input('by-holder'), jurisdictionId }), ForbiddenError);
    const elsewhere: Actor = { userId: null, role: 'coordinator', roles: [{ role: 'coordinator', jurisdictionId: otherJurisdictionId, institutionId: null }] };
    await assert.rejects(createConsultation(db, elsewhere, { ...input('elsewhere'), jurisdictionId }), ForbiddenError);
    const moderator: Actor = { userId: null, role: 'moderator', roles: [{ role: 'moderator', jurisdictionId, institutionId: null }] };
    await assert.rejects(setMinimumNotice(db, moderator, { jurisdictionId, days: 20 }), ForbiddenError);
  });

  test('the notice period: days from opening to closing, both included; a shorter one than the minimum is allowed and flagged', async () => {
    const { db } = get();
    assert.equal(noticeDays({ opensOn: '2027-03-01', closesOn: '2027-03-01' }), 1);
    assert.equal(noticeDays({ opensOn: '2027-03-01', closesOn: '2027-03-15' }), 15);
    assert.equal(noticeDays({ opensOn: '2028-02-28', closesOn: '2028-03-01' }), 3, 'a leap day counts');
    assert.equal(await findMinimumNotice(db, jurisdictionId), 15, 'the default minimum');
    assert.equal(isShortNotice({ opensOn: '2027-03-01', closesOn: '2027-03-14' }, 15), true);
    assert.equal(isShortNotice({ opensOn: '2027-03-01', closesOn: '2027-03-15' }, 15), false);
    const short = await createConsultation(db, coordinator, { ...input('short'), closesOn: '2027-03-05', jurisdictionId });
    assert.ok(short.id > 0, 'a short consultation is still accepted');
    await setMinimumNotice(db, coordinator, { jurisdictionId, days: 30 });
    assert.equal(await findMinimumNotice(db, jurisdictionId), 30);
    assert.equal(await findMinimumNotice(db, otherJurisdictionId), 15, 'per jurisdiction');
    await assert.rejects(setMinimumNotice(db, coordinator, { jurisdictionId, days: 0 }), (e) => fieldsOf(e).includes('min_notice_days'));
    await setMinimumNotice(db, coordinator, { jurisdictionId, days: 15 });
  });

  test('a draft is in the audit log only, not in search, recent changes or the transparency log; publishing puts it in all three and changes nothing the second time', async () => {
    const { db } = get();
    const { id } = await createConsultation(db, coordinator, { ...input('budget-2027'), subject: 'commitment', commitmentId, jurisdictionId });
    await addConsultationDocument(db, coordinator, { consultationId: id, locale: 'en', title: 'Draft budget', url: 'https://example.org/budget.pdf', documentLocale: 'en' });
    await updateConsultation(db, coordinator, { ...input('budget-2027'), subject: 'commitment', commitmentId, texts: { title: 'Budget 2027', body: 'The draft budget, revised.' }, consultationId: id });
    const logged = () => db.withTables<{ transparency_entries: { action: string; entity_type: string; entity_id: number | null; summary: string; leaf_index: number } }>().selectFrom('transparency_entries').select(['action', 'summary']).where('entity_type', '=', 'consultation').where('entity_id', '=', id).orderBy('leaf_index').execute();
    const searched = () => db.selectFrom('search_documents').select('doc_key').where('doc_key', '=', `consultation:${id}`).execute();
    assert.equal((await logged()).length, 0, 'a draft is not in the transparency log');
    assert.equal((await searched()).length, 0, 'a draft is not searched');
    assert.ok(!(await consultationRecent.recent(db, jurisdictionId, 20)).some((r) => r.key === `consultation:${id}`));
    assert.equal((await listConsultations(db, jurisdictionId, { publishedOnly: true })).length, 0);
    const audit = await db.selectFrom('audit_events').select('action').where('entity_type', '=', 'consultation').where('entity_id', '=', id).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['consultation.created', 'consultation.document_added', 'consultation.updated']);

    const first = await publishConsultation(db, coordinator, { consultationId: id });
    assert.equal(first.published, true);
    const entries = await logged();
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.action, 'consultation.published');
    const summary = JSON.parse(entries[0]!.summary) as { values: Record<string, unknown> };
    assert.equal(summary.values.slug, 'budget-2027');
    assert.equal(summary.values.commitment_id, commitmentId);
    assert.equal(summary.values.plan_id, planId, 'a commitment’s plan is recorded with it');
    assert.deepEqual(summary.values.documents, [{ title: { en: 'Draft budget' }, url: 'https://example.org/budget.pdf', locale: 'en' }]);
    assert.equal((await searched()).length, 1);
    assert.deepEqual((await listPlanConsultations(db, planId)).map((c) => c.slug), ['budget-2027'], 'the plan page can list it');
    assert.ok((await consultationRecent.recent(db, jurisdictionId, 20)).some((r) => r.key === `consultation:${id}`));
    assert.equal((await publishConsultation(db, coordinator, { consultationId: id })).published, false);
    assert.equal((await logged()).length, 1, 'publishing again adds nothing');

    // Later changes of a published consultation are published too.
    await recordConsultationOutcome(db, coordinator, { consultationId: id, locale: 'en', outcome: 'Two parks were added.' });
    const docs = await listConsultationDocuments(db, id);
    await removeConsultationDocument(db, coordinator, { consultationId: id, documentId: docs[0]!.id });
    assert.deepEqual((await logged()).map((e) => e.action), ['consultation.published', 'consultation.outcome_recorded', 'consultation.document_removed']);
    const stored = await findConsultationById(db, id);
    assert.equal(stored?.outcome.en, 'Two parks were added.');
  });

  test('documents: http(s) addresses only, a title required; refused ones store nothing', async () => {
    const { db } = get();
    const { id } = await createConsultation(db, coordinator, { ...input('documents'), jurisdictionId });
    for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://example.org/a', 'example.org', ''] as const) {
      await assert.rejects(addConsultationDocument(db, coordinator, { consultationId: id, locale: 'en', title: 'Doc', url, documentLocale: null }), (e: unknown) => fieldsOf(e).includes('document_url'), url);
    }
    await assert.rejects(addConsultationDocument(db, coordinator, { consultationId: id, locale: 'en', title: ' ', url: 'https://example.org', documentLocale: 'xx' }), (e) => {
      assert.deepEqual(fieldsOf(e), ['document_locale', 'document_title']);
      return true;
    });
    assert.equal((await listConsultationDocuments(db, id)).length, 0);
  });

  test('status by the day, and the public order: open now first, then announced, closed, responded', async () => {
    const base = { publishedAt: '2027-01-01T00:00:00Z', respondedAt: null };
    assert.equal(consultationStatus({ ...base, publishedAt: null, opensOn: '2027-03-01', closesOn: '2027-03-31' }, '2027-03-10'), 'draft');
    assert.equal(consultationStatus({ ...base, opensOn: '2027-03-01', closesOn: '2027-03-31' }, '2027-02-28'), 'announced');
    assert.equal(consultationStatus({ ...base, opensOn: '2027-03-01', closesOn: '2027-03-31' }, '2027-03-31'), 'open');
    assert.equal(consultationStatus({ ...base, opensOn: '2027-03-01', closesOn: '2027-03-31' }, '2027-04-01'), 'closed');
    assert.equal(consultationStatus({ ...base, respondedAt: '2027-04-10T00:00:00Z', opensOn: '2027-03-01', closesOn: '2027-03-31' }, '2027-04-11'), 'responded');
    const view = (id: number, opensOn: string, closesOn: string, respondedAt: string | null = null) => ({ id, opensOn, closesOn, publishedAt: '2027-01-01', respondedAt }) as unknown as ConsultationView;
    const ordered = byPublicOrder([view(1, '2027-01-01', '2027-01-31'), view(2, '2027-05-01', '2027-05-31'), view(3, '2027-03-01', '2027-03-31'), view(4, '2026-01-01', '2026-01-31', '2026-02-10')], '2027-03-10');
    assert.deepEqual(
      ordered.map((c) => c.id),
      [3, 2, 1, 4],
    );
  });
});
