import assert from 'node:assert/strict';
import { escapeHtml } from '@kitajs/html';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../../db/database.js';
import type { Actor } from '../audit/index.js';
import { ForbiddenError } from '../audit/index.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../reporting/commands.js';
import { rdb } from '../reporting/tables.js';
import { translate } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import { DIALECTS } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors } from '../../../test/html.js';
import { csrfFromSignIn } from '../../../test/people-fixture.js';
import { actorOf, insertReportingFixture, sessionFor, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { addFollowUp, respondToRecommendation, ReviewInputError, ReviewWorkflowError, saveReview } from './commands.js';
import { reviewDocuments, reviewHistory } from './manifest-sources.js';
import { vdb } from './tables.js';

/**
 * A review cycle end to end: the holder's update published, the monitoring body's review and
 * recommendations entered through the administration, the cycle's report published (after a
 * confirmation), the government's responses recorded, a follow-up closing one recommendation;
 * the public pages show each step, and the commitment page flags the planted disagreement
 * (reported complete, found limited).
 */
type LogTables = { transparency_entries: { leaf_index: number; action: string; entity_type: string; entity_id: number | null; summary: string } };
const log = (db: Db) => db.withTables<LogTables>();

for (const dialect of DIALECTS) {
  describe(`a review cycle [${dialect}]`, () => {
    let t: TestApp;
    let f: ReportingFixture;
    let monitoring: Actor;
    let monitoringSession = '';
    let holderSession = '';
    let otherHolderSession = '';
    let csrf: { token: string; cookie: string };
    let cycleId = 0;
    const A = '/en/admin/jurisdictions/gjakova/plans/2024-2025/monitoring';
    const PUBLIC = '/gjakova/plans/2024-2025';

    function post(url: string, session: string, fields: Record<string, string>) {
      return t.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams({ _csrf: csrf.token, ...fields }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { _csrf: csrf.cookie, besa_session: session },
      });
    }
    const get = (url: string, session?: string) => t.app.inject({ method: 'GET', url, cookies: session ? { besa_session: session } : {} });

    async function assertValid(url: string, session?: string) {
      const res = await get(url, session);
      assert.equal(res.statusCode, 200, url);
      assert.deepEqual(await htmlErrors(res.body), [], url);
      return res.body;
    }

    before(async () => {
      t = await openTestApp(dialect);
      const db = t.database.db;
      f = await insertReportingFixture(db);
      const now = new Date().toISOString();
      const user = await db
        .insertInto('users')
        .values({ email: 'monitor@example.org', display_name: 'monitor', password_hash: 'x', created_at: now } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('user_roles').values({ user_id: user.id, role: 'monitoring_member', jurisdiction_id: f.jurisdictionId, institution_id: null }).execute();
      monitoring = await actorOf(db, user.id, f.jurisdictionId);
      monitoringSession = await sessionFor(db, user.id);
      holderSession = await sessionFor(db, f.users.holder);
      otherHolderSession = await sessionFor(db, f.users.otherHolder);
      csrf = await csrfFromSignIn(t.app);
      await generateCycles(db, f.actors.coordinator, f.planId);
      cycleId = (await rdb(db).selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', f.planId).where('number', '=', 1).executeTakeFirstOrThrow()).id;
    });

    after(async () => {
      await t?.close();
    });

    test('the holder reports the commitment complete; the coordinator publishes it', async () => {
      const db = t.database.db;
      const saved = await saveProgressUpdate(db, f.actors.holder, {
        cycleId,
        commitmentId: f.commitmentId,
        locale: 'en',
        summary: 'Everything is done.',
        items: f.milestoneIds.map((milestoneId) => ({ milestoneId, status: 'completed', completion: 'complete', narrative: 'Done.', obstacles: [], obstacleNote: '', links: [] })),
        files: [],
        removeFileIds: [],
        submit: true,
        formToken: null,
      });
      await publishProgressUpdate(db, f.actors.coordinator, { updateId: saved.id });
      const page = await get(`/en${PUBLIC}/commitments/XKGJA0001`);
      assert.equal(page.statusCode, 200);
      assert.ok(!page.body.includes('side-by-side-title'), 'no review yet: no side-by-side section');
    });

    test('the monitoring member writes the review (radio groups), refused input is kept with its errors', async () => {
      const form = await get(`${A}/1/reviews/XKGJA0001`, monitoringSession);
      assert.equal(form.statusCode, 200);
      assert.deepEqual(await htmlErrors(form.body), []);
      assert.match(form.body, /<fieldset class="field radios" id="field-completion">/);
      const bad = await post(`${A}/1/reviews/XKGJA0001`, monitoringSession, { assessment: '', completion: 'limited', findings_en: 'Kept text', links: 'http://not-secure.example.org' });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /error-summary/);
      assert.ok(bad.body.includes('Kept text'), 'the findings typed are kept');
      assert.ok(bad.body.includes('https://'), 'the links error says https');
      assert.deepEqual(await htmlErrors(bad.body), []);
      const ok = await post(`${A}/1/reviews/XKGJA0001`, monitoringSession, {
        assessment: 'completed',
        verifiability: 'verifiable',
        potential_for_results: 'modest',
        completion: 'limited',
        did_it_open_government: 'marginal',
        early_results: '',
        findings_en: 'Only the first online service works; the second milestone has no evidence.',
        findings_sq: 'Vetëm shërbimi i parë funksionon.',
        links: 'https://gjakova.example.org/services',
      });
      assert.equal(ok.statusCode, 303);
      const review = await vdb(t.database.db).selectFrom('reviews').selectAll().where('cycle_id', '=', cycleId).executeTakeFirstOrThrow();
      assert.equal(review.status, 'draft');
      assert.equal(review.completion, 'limited');
      assert.equal(review.early_results, null);
    });

    test('recommendations are added; the review stays private until the report is published', async () => {
      const inst = String(f.leadId);
      assert.equal((await post(`${A}/1/reviews/XKGJA0001/recommendations`, monitoringSession, { text_en: 'Publish the evidence of each service online.', institution: inst, due_on: '2099-06-30' })).statusCode, 303);
      assert.equal((await post(`${A}/1/reviews/XKGJA0001/recommendations`, monitoringSession, { text_en: 'Train the staff of the front office.', institution: inst, due_on: '2020-01-31' })).statusCode, 303);
      const refused = await post(`${A}/1/reviews/XKGJA0001/recommendations`, monitoringSession, { text_en: '', institution: inst, due_on: '31/01/2020' });
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(await htmlErrors(refused.body), []);
      assert.equal((await get(`/en${PUBLIC}/monitoring/1`)).statusCode, 404);
      // The government answers what is published: a draft is not shown to a holder, nor answerable.
      const draft = await vdb(t.database.db).selectFrom('recommendations').select('id').orderBy('id').executeTakeFirstOrThrow();
      assert.equal((await get(`/en/admin/jurisdictions/gjakova/recommendations/${draft.id}`, holderSession)).statusCode, 404);
      assert.ok(!(await get('/en/admin/jurisdictions/gjakova/recommendations', holderSession)).body.includes('front office'));
      await assert.rejects(respondToRecommendation(t.database.db, f.actors.holder, { recommendationId: draft.id, response: 'accepted', reasons: {} }), ReviewWorkflowError);
      const index = await get(`/en${PUBLIC}/monitoring`);
      assert.equal(index.statusCode, 200);
      assert.ok(!index.body.includes('front office'), 'draft recommendations are not public');
      const commitment = await get(`/en${PUBLIC}/commitments/XKGJA0001`);
      assert.ok(!commitment.body.includes('side-by-side-title'));
      const entries = await log(t.database.db).selectFrom('transparency_entries').select('entity_type').where('entity_type', 'in', ['review', 'recommendation', 'monitoring_report']).execute();
      assert.equal(entries.length, 0, 'nothing in the public log before publication');
    });

    test('publishing asks for confirmation, then publishes every review of the cycle with its recommendations', async () => {
      const cyclePage = await assertValid(`${A}/1`, monitoringSession);
      assert.ok(cyclePage.includes('Publish the report'));
      const confirm = await post(`${A}/1/publish`, monitoringSession, { summary_en: 'One commitment reviewed.' });
      assert.equal(confirm.statusCode, 200);
      assert.ok(confirm.body.includes('Confirm: publish the monitoring report'));
      assert.deepEqual(await htmlErrors(confirm.body), []);
      assert.equal((await vdb(t.database.db).selectFrom('monitoring_reports').selectAll().execute()).length, 0, 'nothing published before the confirmation');
      const done = await post(`${A}/1/publish`, monitoringSession, { summary_en: 'One commitment reviewed.', confirm: 'yes' });
      assert.equal(done.statusCode, 303);
      const report = await vdb(t.database.db).selectFrom('monitoring_reports').selectAll().executeTakeFirstOrThrow();
      assert.equal(report.status, 'published');
      const types = (await log(t.database.db).selectFrom('transparency_entries').select(['entity_type', 'action']).where('entity_type', 'in', ['review', 'recommendation', 'monitoring_report']).execute()).map((e) => `${e.entity_type} ${e.action}`).sort();
      assert.deepEqual(types, ['monitoring_report monitoring_report.published', 'recommendation recommendation.published', 'recommendation recommendation.published', 'review review.published']);
      const again = await post(`${A}/1/publish`, monitoringSession, { confirm: 'yes' });
      assert.equal(again.statusCode, 303, 'publishing twice changes nothing');
    });

    test('the government responds: the owner institution’s holder yes, another institution’s holder no', async () => {
      const db = t.database.db;
      const recs = await vdb(db).selectFrom('recommendations').selectAll().orderBy('id').execute();
      const [first, second] = recs;
      assert.ok(first && second);
      const list = await assertValid('/en/admin/jurisdictions/gjakova/recommendations', holderSession);
      assert.ok(list.includes('Publish the evidence'));
      const otherList = await get('/en/admin/jurisdictions/gjakova/recommendations', otherHolderSession);
      assert.equal(otherList.statusCode, 200);
      assert.ok(!otherList.body.includes('Publish the evidence'), 'another institution’s holder sees none of them');
      assert.equal((await post(`/en/admin/jurisdictions/gjakova/recommendations/${first.id}/response`, otherHolderSession, { response: 'accepted' })).statusCode, 403);
      await assert.rejects(respondToRecommendation(db, f.actors.otherHolder, { recommendationId: first.id, response: 'accepted', reasons: {} }), ForbiddenError);
      const missingReasons = await post(`/en/admin/jurisdictions/gjakova/recommendations/${second.id}/response`, holderSession, { response: 'not_accepted' });
      assert.equal(missingReasons.statusCode, 422, 'not accepting needs reasons');
      assert.deepEqual(await htmlErrors(missingReasons.body), []);
      assert.equal((await post(`/en/admin/jurisdictions/gjakova/recommendations/${first.id}/response`, holderSession, { response: 'accepted', reasons_en: 'We will publish it.' })).statusCode, 303);
      await respondToRecommendation(db, f.actors.holder, { recommendationId: second.id, response: 'partially_accepted', reasons: { en: 'Training needs a budget line.' } });
      // A holder may not add follow-ups or close: the monitoring body does.
      assert.equal((await post(`/en/admin/jurisdictions/gjakova/recommendations/${first.id}/follow-ups`, holderSession, { note_en: 'x', status: 'closed' })).statusCode, 403);
      await assert.rejects(addFollowUp(db, f.actors.holder, { recommendationId: first.id, note: { en: 'x' }, status: 'closed' }), ForbiddenError);
      await assert.rejects(addFollowUp(db, monitoring, { recommendationId: first.id, note: {}, status: 'closed' }), ReviewInputError);
      const follow = await post(`/en/admin/jurisdictions/gjakova/recommendations/${first.id}/follow-ups`, monitoringSession, { note_en: 'The evidence is online since March.', status: 'closed' });
      assert.equal(follow.statusCode, 303);
      const closed = await vdb(db).selectFrom('recommendations').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
      assert.equal(closed.status, 'closed');
      assert.ok(closed.closed_at);
      const actions = (await log(db).selectFrom('transparency_entries').select('action').where('entity_type', '=', 'recommendation').where('entity_id', '=', first.id).execute()).map((e) => e.action);
      assert.deepEqual(actions, ['recommendation.published', 'recommendation.responded', 'recommendation.closed']);
      const summaries = await log(db).selectFrom('transparency_entries').select('summary').where('entity_type', 'in', ['review', 'recommendation', 'monitoring_report']).execute();
      assert.ok(summaries.every((s) => !String(s.summary).includes('@') && !String(s.summary).includes('monitor')), 'no e-mail address or name in the public log');
    });

    test('a recommendation entered on a published report is public at once', async () => {
      const db = t.database.db;
      const review = await vdb(db).selectFrom('reviews').select('id').executeTakeFirstOrThrow();
      const res = await post(`${A}/1/reviews/XKGJA0001/recommendations`, monitoringSession, { text_en: 'Report the number of online requests each month.', institution: '', due_on: '' });
      assert.equal(res.statusCode, 303);
      const page = await get(`/en${PUBLIC}/monitoring/1`);
      assert.ok(page.body.includes('Report the number of online requests'));
      const count = await vdb(db).selectFrom('recommendations').select('id').where('review_id', '=', review.id).execute();
      assert.equal(count.length, 3);
      // Editing the review now is public at once, too.
      await saveReview(db, monitoring, { cycleId, commitmentId: f.commitmentId, assessment: 'completed', ratings: { completion: 'limited', verifiability: 'verifiable' }, findings: { en: 'Only the first online service works; the second milestone has no evidence.' }, links: [] });
      const actions = (await log(db).selectFrom('transparency_entries').select('action').where('entity_type', '=', 'review').execute()).map((e) => e.action);
      assert.deepEqual(actions, ['review.published', 'review.updated']);
    });

    test('the public pages: labels not codes, responses, follow-up, overdue said in words; valid HTML in every locale', async () => {
      const report = await get(`/en${PUBLIC}/monitoring/1`);
      assert.equal(report.statusCode, 200);
      for (const text of ['Completed', 'Limited', 'Verifiable', 'Accepted', 'Partially accepted', 'We will publish it.', 'The evidence is online since March.', 'Overdue', 'Information Office']) {
        assert.ok(report.body.includes(text), `the report shows “${text}”`);
      }
      assert.ok(!/>limited</.test(report.body), 'no rating code shown');
      const index = await get(`/en${PUBLIC}/monitoring`);
      assert.ok(index.body.includes('Train the staff of the front office.'), 'the open recommendation is listed');
      assert.ok(!index.body.includes('Publish the evidence of each service online.'), 'the closed one is not');
      assert.ok(index.body.includes('Overdue'));
      const plan = await get(`/en${PUBLIC}`);
      assert.ok(plan.body.includes(`href="/en${PUBLIC}/monitoring"`), 'the plan page links to its monitoring reports');
      for (const locale of LOCALES) {
        for (const path of [`${PUBLIC}/monitoring`, `${PUBLIC}/monitoring/1`, `${PUBLIC}/commitments/XKGJA0001`]) {
          await assertValid(`/${locale}${path}`);
        }
      }
    });

    test('the commitment page flags the planted disagreement in words, with the open recommendations', async () => {
      for (const locale of ['en', 'fr'] as const) {
        const page = await get(`/${locale}${PUBLIC}/commitments/XKGJA0001`);
        assert.ok(page.body.includes('side-by-side-title'));
        assert.ok(page.body.includes(translate(locale, 'reviews.side.disagree')), `${locale}: the disagreement is said in words`);
        assert.ok(page.body.includes(escapeHtml(translate(locale, 'reviews.side.disagreement.completion'))), `${locale}: reported complete, found limited`);
        assert.ok(!page.body.includes(escapeHtml(translate(locale, 'reviews.side.disagreement.progress'))), 'no progress disagreement: completed was found');
      }
      const en = await get(`/en${PUBLIC}/commitments/XKGJA0001`);
      assert.ok(en.body.includes('Train the staff of the front office.'));
    });

    test('admin pages of a published cycle are valid HTML; search documents and history sources cover what is public', async () => {
      const db = t.database.db;
      await assertValid(A, monitoringSession);
      await assertValid(`${A}/1`, monitoringSession);
      await assertValid(`${A}/1/reviews/XKGJA0001`, monitoringSession);
      const rec = await vdb(db).selectFrom('recommendations').select('id').orderBy('id').executeTakeFirstOrThrow();
      await assertValid(`${A}/1/reviews/XKGJA0001/recommendations/${rec.id}`, monitoringSession);
      await assertValid(`/en/admin/jurisdictions/gjakova/recommendations/${rec.id}`, monitoringSession);
      for (const locale of LOCALES) {
        const admin = `/${locale}/admin/jurisdictions/gjakova`;
        for (const path of [`${admin}/plans/2024-2025/monitoring`, `${admin}/plans/2024-2025/monitoring/1`, `${admin}/plans/2024-2025/monitoring/1/reviews/XKGJA0001`, `${admin}/recommendations`, `${admin}/recommendations/${rec.id}`]) {
          await assertValid(path, monitoringSession);
        }
        await assertValid(`${admin}/recommendations/${rec.id}`, holderSession);
      }
      const docs = await reviewDocuments(db, { id: f.jurisdictionId, slug: 'gjakova' }, (...values) => values.filter(Boolean).join(' ').toLowerCase());
      assert.deepEqual(docs.map((d) => d.kind).sort(), ['recommendation', 'recommendation', 'recommendation', 'review']);
      assert.ok(docs.find((d) => d.kind === 'review')!.body.includes('only the first online service works'));
      assert.ok(docs.every((d) => d.path.startsWith('/gjakova/plans/2024-2025/monitoring/1#')));
      const review = await vdb(db).selectFrom('reviews').select('id').executeTakeFirstOrThrow();
      const located = await reviewHistory.find((h) => h.kind === 'review')!.locate(db, review.id);
      assert.deepEqual(located, { jurisdictionSlug: 'gjakova', timeZone: located!.timeZone, isDemo: false });
      assert.ok(await reviewHistory.find((h) => h.kind === 'recommendation')!.locate(db, rec.id));
      assert.equal(await reviewHistory.find((h) => h.kind === 'review')!.locate(db, 999999), undefined);
    });
  });
}
