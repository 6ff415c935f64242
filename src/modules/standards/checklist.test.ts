import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addDays, addMonths, computeChecklist, rhythm, type StandardItem, type StandardItemId, type StandardsSnapshot } from './checklist.js';

/** A plan over 2024 with nothing recorded yet; each test adds what it needs. */
function snapshot(changes: Partial<StandardsSnapshot> = {}): StandardsSnapshot {
  return {
    jurisdiction: { slug: 'gjakova' },
    plan: { id: 1, slug: '2024-2025', startsOn: '2024-01-01', endsOn: '2025-12-31', submittedOn: null, inceptionAssessedOn: null, isDemo: false },
    forums: [],
    forumMeetings: [],
    monitoringMeetings: [],
    monitoringReports: [],
    publicationDays: [],
    endorsements: [],
    commitments: [],
    consultations: [],
    ...changes,
  };
}

function item(s: StandardsSnapshot, today: string, id: StandardItemId): StandardItem {
  const found = computeChecklist(s, today).find((i) => i.id === id);
  assert.ok(found, id);
  return found;
}

const forum = { id: 7, slug: 'forum', name: { en: 'Transparency Forum' }, hasRules: true, memberCount: 12, meetsEveryDays: 31, isDemo: false };

describe('day arithmetic', () => {
  test('months are calendar months, clamped to the end of a shorter month', () => {
    assert.equal(addMonths('2024-01-15', 2), '2024-03-15');
    assert.equal(addMonths('2024-08-31', 6), '2025-02-28');
    assert.equal(addMonths('2023-08-31', 6), '2024-02-29');
    assert.equal(addMonths('2024-11-30', 2), '2025-01-30');
    assert.equal(addDays('2024-12-31', 1), '2025-01-01');
    assert.equal(addDays('2024-03-15', 92), '2024-06-15');
  });
});

describe('a rhythm measured from the plan start', () => {
  const plan = { startsOn: '2024-01-01', endsOn: '2025-12-31' };
  test('before the plan starts: not applicable', () => {
    assert.equal(rhythm('updates', plan, [], '2023-12-31', { months: 4 }).status, 'not_applicable');
  });
  test('the first event is due one interval after the start: day before and day of are due soon, the day after is not met', () => {
    assert.equal(rhythm('updates', plan, [], '2024-04-15', { months: 4 }).status, 'met');
    assert.equal(rhythm('updates', plan, [], '2024-04-30', { months: 4 }).status, 'due_soon');
    assert.equal(rhythm('updates', plan, [], '2024-05-01', { months: 4 }).status, 'due_soon');
    const late = rhythm('updates', plan, [], '2024-05-02', { months: 4 });
    assert.equal(late.status, 'not_met');
    assert.equal(late.reason.key, 'standards.reason.overdueNone');
  });
  test('an event on the deadline day is in time; the day after leaves a gap for good', () => {
    assert.equal(rhythm('updates', plan, ['2024-05-01'], '2024-06-01', { months: 4 }).status, 'met');
    const gap = rhythm('updates', plan, ['2024-05-02'], '2024-06-01', { months: 4 });
    assert.equal(gap.status, 'not_met');
    assert.equal(gap.reason.key, 'standards.reason.gap');
    assert.deepEqual(gap.reason.values.from, { day: '2024-01-01' });
    assert.deepEqual(gap.reason.values.to, { day: '2024-05-02' });
  });
  test('events after today are not counted yet', () => {
    assert.equal(rhythm('updates', plan, ['2024-06-01'], '2024-05-02', { months: 4 }).status, 'not_met');
  });
  test('after the plan ends: met when no gap was longer than the interval up to the end', () => {
    const days = ['2024-04-01', '2024-08-01', '2024-12-01', '2025-04-01', '2025-08-01', '2025-12-01'];
    const r = rhythm('updates', plan, days, '2026-03-01', { months: 4 });
    assert.equal(r.status, 'met');
    assert.equal(r.reason.key, 'standards.reason.metEnded');
    assert.equal(r.reason.values.count, 6);
    // The last event four months and a day before the end: a gap at the end.
    assert.equal(rhythm('updates', { startsOn: '2024-01-01', endsOn: '2024-05-02' }, [], '2026-03-01', { months: 4 }).status, 'not_met');
  });
});

describe('the checklist items', () => {
  test('a forum: met with members and rules; named reasons when either is missing; not met without a forum', () => {
    assert.equal(item(snapshot({ forums: [forum] }), '2024-06-01', 'forum').status, 'met');
    const bare = item(snapshot({ forums: [{ ...forum, memberCount: 0, hasRules: false }] }), '2024-06-01', 'forum');
    assert.equal(bare.status, 'not_met');
    assert.deepEqual(
      bare.reasons.map((r) => r.key),
      ['standards.reason.forumNoMembers', 'standards.reason.forumNoRules'],
    );
    assert.deepEqual(bare.evidence.map((e) => e.path), ['/gjakova/bodies/forum']);
    const none = item(snapshot(), '2024-06-01', 'forum');
    assert.equal(none.status, 'not_met');
    assert.equal(none.reasons[0]?.key, 'standards.reason.forumNone');
  });

  test('forum meetings every six months: the day before, of and after the deadline', () => {
    const s = snapshot({ forums: [forum], forumMeetings: [{ id: 3, day: '2024-03-01', isDemo: false }, { id: 4, day: '2024-07-01', isDemo: true }] });
    assert.equal(item(s, '2024-12-01', 'forumMeetings').status, 'met');
    assert.equal(item(s, '2024-12-31', 'forumMeetings').status, 'due_soon');
    assert.equal(item(s, '2025-01-01', 'forumMeetings').status, 'due_soon');
    assert.equal(item(s, '2025-01-02', 'forumMeetings').status, 'not_met');
    const evidence = item(s, '2024-12-01', 'forumMeetings').evidence;
    assert.deepEqual(evidence.map((e) => [e.path, e.isDemo]), [['/gjakova/bodies/forum/meetings', false], ['/gjakova/meetings/4', true]]);
  });

  test("the forum's own rhythm (meets_every_days): not applicable without one, measured in days with one", () => {
    assert.equal(item(snapshot({ forums: [{ ...forum, meetsEveryDays: null }] }), '2024-06-01', 'forumRhythm').status, 'not_applicable');
    const s = snapshot({ forums: [forum], forumMeetings: [{ id: 3, day: '2024-01-20', isDemo: false }] });
    // 20 January + 31 days = 20 February.
    assert.equal(item(s, '2024-02-19', 'forumRhythm').status, 'due_soon');
    assert.equal(item(s, '2024-02-20', 'forumRhythm').status, 'due_soon');
    assert.equal(item(s, '2024-02-21', 'forumRhythm').status, 'not_met');
  });

  test('monitoring: reviews held or reports published, no gap over 92 days', () => {
    const s = snapshot({ monitoringMeetings: [{ id: 9, day: '2024-03-15', isDemo: false }], monitoringReports: [{ cycleNumber: 1, day: '2024-06-10', isDemo: false }] });
    // 10 June + 92 days = 10 September.
    assert.equal(item(s, '2024-08-20', 'monitoring').status, 'met');
    assert.equal(item(s, '2024-09-09', 'monitoring').status, 'due_soon');
    assert.equal(item(s, '2024-09-10', 'monitoring').status, 'due_soon');
    assert.equal(item(s, '2024-09-11', 'monitoring').status, 'not_met');
    const paths = item(s, '2024-08-20', 'monitoring').evidence.map((e) => e.path);
    assert.deepEqual(paths, ['/gjakova/plans/2024-2025/monitoring', '/gjakova/meetings/9', '/gjakova/plans/2024-2025/monitoring/1']);
  });

  test('public pages updated every four months', () => {
    const s = snapshot({ publicationDays: ['2024-02-10', '2024-06-10'] });
    assert.equal(item(s, '2024-10-09', 'updates').status, 'due_soon');
    assert.equal(item(s, '2024-10-10', 'updates').status, 'due_soon');
    assert.equal(item(s, '2024-10-11', 'updates').status, 'not_met');
  });

  test('endorsements: only organisations outside government count', () => {
    assert.equal(item(snapshot({ endorsements: [{ organization: 'Municipality', sector: 'government' }] }), '2024-06-01', 'endorsements').status, 'not_met');
    const met = item(snapshot({ endorsements: [{ organization: 'Municipality', sector: 'government' }, { organization: 'Ec Ma Ndryshe', sector: 'civil_society' }] }), '2024-06-01', 'endorsements');
    assert.equal(met.status, 'met');
    assert.equal(met.reasons[0]?.values.names, 'Ec Ma Ndryshe');
  });

  test('reasoned responses: not applicable until a consultation with contributions has closed; answered only in a published response table; not met otherwise, with counts and evidence', () => {
    const k = (slug: string, closed: boolean, total: number, answered: number, responded = closed, isDemo = false) => ({ slug, title: { en: slug }, closed: closed || responded, responded, total, answered, isDemo });
    assert.equal(item(snapshot(), '2024-06-01', 'responses').status, 'not_applicable');
    const none = item(snapshot({ consultations: [k('empty', true, 0, 0)] }), '2024-06-01', 'responses');
    assert.equal(none.status, 'not_applicable');
    assert.equal(none.reasons[0]?.key, 'standards.reason.noConsultations');
    // Only open consultations with contributions: nothing to judge yet (not "met" for want of anything closed).
    const onlyOpen = item(snapshot({ consultations: [k('open', false, 5, 0)] }), '2024-06-01', 'responses');
    assert.equal(onlyOpen.status, 'not_applicable');
    assert.deepEqual(onlyOpen.reasons, [{ key: 'standards.reason.responsesOnlyOpen', values: { count: 1 } }]);
    assert.deepEqual(onlyOpen.evidence.map((e) => e.path), ['/gjakova/consultations/open#responses']);
    // Closed with every contribution answered in draft, table not published: nobody is answered yet.
    const drafts = item(snapshot({ consultations: [k('budget', true, 4, 4, false)] }), '2024-06-01', 'responses');
    assert.equal(drafts.status, 'not_met');
    assert.deepEqual(drafts.reasons[0], { key: 'standards.reason.responsesMissing', values: { answered: 0, total: 4, missing: 4 } });
    assert.deepEqual(drafts.reasons[1], { key: 'standards.reason.responsesUnpublished', values: { name: { text: { en: 'budget' } }, total: 4 } });
    assert.equal(drafts.evidence[0]?.values.answered, 0, 'the evidence counts public responses only');
    const missing = item(snapshot({ consultations: [k('budget', true, 10, 7), k('parks', true, 2, 2), k('open', false, 5, 0)] }), '2024-06-01', 'responses');
    assert.equal(missing.status, 'not_met');
    assert.deepEqual(missing.reasons[0], { key: 'standards.reason.responsesMissing', values: { answered: 9, total: 12, missing: 3 } });
    assert.deepEqual(missing.reasons[1], { key: 'standards.reason.responsesConsultation', values: { name: { text: { en: 'budget' } }, missing: 3, total: 10 } });
    assert.equal(missing.reasons[2]?.key, 'standards.reason.responsesOpen');
    assert.deepEqual(
      missing.evidence.map((e) => e.path),
      ['/gjakova/consultations/budget#responses', '/gjakova/consultations/parks#responses', '/gjakova/consultations/open#responses'],
    );
    const met = item(snapshot({ consultations: [k('budget', true, 10, 10), k('open', false, 5, 0)] }), '2024-06-01', 'responses');
    assert.equal(met.status, 'met');
    assert.equal(met.reasons[0]?.key, 'standards.reason.responsesMet');
  });

  test('reasoned responses: demonstration consultations do not decide the status of a real plan, but do of a demonstration plan', () => {
    const k = (slug: string, total: number, answered: number, isDemo: boolean) => ({ slug, title: { en: slug }, closed: true, responded: true, total, answered, isDemo });
    const demoOnly = item(snapshot({ consultations: [k('demo-answered', 3, 3, true)] }), '2024-06-01', 'responses');
    assert.equal(demoOnly.status, 'not_applicable', 'an answered demonstration consultation does not make a real plan "met"');
    assert.deepEqual(demoOnly.reasons, [
      { key: 'standards.reason.noConsultations', values: {} },
      { key: 'standards.reason.responsesDemo', values: { count: 1 } },
    ]);
    assert.deepEqual(demoOnly.evidence, []);
    const realMet = item(snapshot({ consultations: [k('demo-short', 3, 1, true), k('budget', 2, 2, false)] }), '2024-06-01', 'responses');
    assert.equal(realMet.status, 'met', 'an unanswered demonstration consultation does not make a real plan "not met"');
    assert.deepEqual(realMet.reasons[0], { key: 'standards.reason.responsesMet', values: { answered: 2, consultations: 1 } });
    const demoPlan = snapshot({ consultations: [k('demo-short', 3, 1, true)] });
    demoPlan.plan = { ...demoPlan.plan, isDemo: true };
    assert.equal(item(demoPlan, '2024-06-01', 'responses').status, 'not_met', 'a demonstration plan is judged by its demonstration consultations');
  });

  test('the inception assessment: due two months after submission', () => {
    const s = snapshot({ plan: { ...snapshot().plan, submittedOn: '2024-01-15' } });
    assert.equal(item(snapshot(), '2024-03-16', 'inception').status, 'not_applicable');
    assert.equal(item(s, '2024-02-01', 'inception').status, 'not_applicable');
    assert.equal(item(s, '2024-03-14', 'inception').status, 'due_soon');
    assert.equal(item(s, '2024-03-15', 'inception').status, 'due_soon');
    assert.equal(item(s, '2024-03-16', 'inception').status, 'not_met');
    const on = (day: string) => snapshot({ plan: { ...s.plan, inceptionAssessedOn: day } });
    assert.equal(item(on('2024-03-14'), '2024-03-20', 'inception').status, 'met');
    assert.equal(item(on('2024-03-15'), '2024-03-20', 'inception').status, 'met');
    const late = item(on('2024-03-16'), '2024-03-20', 'inception');
    assert.equal(late.status, 'not_met');
    assert.equal(late.reasons[0]?.key, 'standards.reason.inception.late');
  });

  test('end-of-commitment assessments: due one month after each commitment ends, the late ones named', () => {
    const c = (code: string, endsOn: string, endAssessedOn: string | null = null) => ({ code, title: { en: code }, endsOn, endAssessedOn, isDemo: false });
    const s = snapshot({ commitments: [c('XKGJA0001', '2024-05-31'), c('XKGJA0002', '2024-12-31')] });
    // XKGJA0001: 31 May + 1 month = 30 June.
    assert.equal(item(s, '2024-06-29', 'endAssessments').status, 'due_soon');
    assert.equal(item(s, '2024-06-30', 'endAssessments').status, 'due_soon');
    const late = item(s, '2024-07-01', 'endAssessments');
    assert.equal(late.status, 'not_met');
    assert.deepEqual(late.commitments?.map((l) => l.status), ['not_met', 'not_applicable']);
    assert.equal(late.reasons[1]?.values.codes, 'XKGJA0001');
    assert.equal(item(s, '2024-05-01', 'endAssessments').status, 'not_applicable');
    const done = snapshot({ commitments: [c('XKGJA0001', '2024-05-31', '2024-06-30'), c('XKGJA0002', '2024-12-31')] });
    assert.equal(item(done, '2024-07-01', 'endAssessments').status, 'met');
    const lateDone = snapshot({ commitments: [c('XKGJA0001', '2024-05-31', '2024-07-01')] });
    assert.equal(item(lateDone, '2024-07-02', 'endAssessments').commitments?.[0]?.reason.key, 'standards.reason.end.late');
  });
});
