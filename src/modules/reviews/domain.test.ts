import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { disagreements, isOverdue } from './domain.js';

const item = (status: string, completion: string) => ({ status, completion });

describe('disagreements: the holder’s report beside the monitoring body’s review', () => {
  test('reported complete (every milestone completed), found limited: a completion disagreement', () => {
    assert.deepEqual(disagreements({ items: [item('completed', 'complete'), item('completed', 'substantial')] }, { assessment: 'completed', completion: 'limited' }), ['completion']);
  });

  test('reported complete by completion level alone counts too; found no evidence or not started disagrees', () => {
    const reported = { items: [item('in_progress', 'complete')] };
    assert.deepEqual(disagreements(reported, { assessment: 'on_track', completion: 'no_evidence' }), ['completion']);
    assert.deepEqual(disagreements(reported, { assessment: 'on_track', completion: 'not_started' }), ['completion']);
  });

  test('reported complete, found substantial or complete, or not rated: no disagreement', () => {
    const reported = { items: [item('completed', 'complete')] };
    assert.deepEqual(disagreements(reported, { assessment: 'completed', completion: 'substantial' }), []);
    assert.deepEqual(disagreements(reported, { assessment: 'completed', completion: 'complete' }), []);
    assert.deepEqual(disagreements(reported, { assessment: 'completed', completion: null }), []);
  });

  test('not every milestone reported complete: found limited is no completion disagreement', () => {
    assert.deepEqual(disagreements({ items: [item('completed', 'complete'), item('in_progress', 'limited')] }, { assessment: 'minor_delays', completion: 'limited' }), []);
  });

  test('cancelled milestones are left out of "reported complete"', () => {
    assert.deepEqual(disagreements({ items: [item('completed', 'complete'), item('cancelled', 'no_evidence')] }, { assessment: 'completed', completion: 'limited' }), ['completion']);
  });

  test('reported on track (work under way, no delayed milestone), found major delays or not started: a progress disagreement', () => {
    const reported = { items: [item('in_progress', 'limited'), item('not_started', 'not_started')] };
    assert.deepEqual(disagreements(reported, { assessment: 'major_delays', completion: 'limited' }), ['progress']);
    assert.deepEqual(disagreements(reported, { assessment: 'not_started', completion: null }), ['progress']);
    assert.deepEqual(disagreements(reported, { assessment: 'minor_delays', completion: null }), []);
    assert.deepEqual(disagreements(reported, { assessment: 'on_track', completion: null }), []);
  });

  test('nothing reported started is no claim to be on track: not started found agrees', () => {
    const reported = { items: [item('not_started', 'not_started'), item('not_started', 'no_evidence')] };
    assert.deepEqual(disagreements(reported, { assessment: 'not_started', completion: 'not_started' }), []);
    assert.deepEqual(disagreements(reported, { assessment: 'major_delays', completion: null }), []);
  });

  test('a delayed milestone reported: major delays found agrees', () => {
    assert.deepEqual(disagreements({ items: [item('delayed', 'limited')] }, { assessment: 'major_delays', completion: 'limited' }), []);
  });

  test('both at once', () => {
    assert.deepEqual(disagreements({ items: [item('completed', 'complete')] }, { assessment: 'major_delays', completion: 'limited' }), ['completion', 'progress']);
  });

  test('nothing to compare: no report, no review, or no milestone reported', () => {
    assert.deepEqual(disagreements(undefined, { assessment: 'major_delays', completion: 'limited' }), []);
    assert.deepEqual(disagreements({ items: [item('completed', 'complete')] }, undefined), []);
    assert.deepEqual(disagreements({ items: [] }, { assessment: 'major_delays', completion: 'limited' }), []);
  });
});

describe('isOverdue', () => {
  test('open after the due day only', () => {
    assert.equal(isOverdue({ status: 'open', dueOn: '2025-03-31' }, '2025-03-31'), false);
    assert.equal(isOverdue({ status: 'open', dueOn: '2025-03-31' }, '2025-04-01'), true);
    assert.equal(isOverdue({ status: 'closed', dueOn: '2025-03-31' }, '2025-04-01'), false);
    assert.equal(isOverdue({ status: 'open', dueOn: null }, '2025-04-01'), false);
  });
});
