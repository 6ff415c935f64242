import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMITMENT_CODE, MILESTONE_CODE, commitmentStatusOf, commitmentStatusOn, currentOgpKey, ogpValuesAndLenses, progressOf } from './domain.js';

test('progress is the weighted share of completed milestones, cancelled ones left out', () => {
  assert.equal(progressOf([]), null);
  assert.equal(progressOf([{ status: 'cancelled', weight: 3 }]), null);
  assert.equal(progressOf([{ status: 'completed', weight: 1 }, { status: 'in_progress', weight: 3 }]), 0.25);
  assert.equal(progressOf([{ status: 'completed', weight: 2 }, { status: 'cancelled', weight: 5 }, { status: 'delayed', weight: 2 }]), 0.5);
});

test("a commitment's status is derived from its milestones", () => {
  assert.equal(commitmentStatusOf([]), 'no_milestones');
  assert.equal(commitmentStatusOf([{ status: 'cancelled', weight: 1 }]), 'cancelled');
  assert.equal(commitmentStatusOf([{ status: 'completed', weight: 1 }, { status: 'cancelled', weight: 1 }]), 'completed');
  assert.equal(commitmentStatusOf([{ status: 'completed', weight: 1 }, { status: 'delayed', weight: 1 }]), 'delayed');
  assert.equal(commitmentStatusOf([{ status: 'completed', weight: 1 }, { status: 'not_started', weight: 1 }]), 'in_progress');
  assert.equal(commitmentStatusOf([{ status: 'not_started', weight: 1 }]), 'not_started');
});

test('commitment codes: OGP national (CA0069, UK0085) and local (XKGJA0001) forms; milestones add a dot and a number', () => {
  for (const code of ['CA0069', 'UK0085', 'XKGJA0001', 'XKGJA0123']) assert.ok(COMMITMENT_CODE.test(code), code);
  for (const code of ['CA69', 'C0069', 'CA0069X', 'ca0069', '120069', 'CA00690', 'XK00000001', 'CA0069.1', '']) assert.ok(!COMMITMENT_CODE.test(code), code);
  for (const code of ['CA0069.1', 'UK0085.12', 'XKGJA0001.2']) assert.ok(MILESTONE_CODE.test(code), code);
  for (const code of ['CA0069', 'CA0069.', 'CA69.1', 'CA0069.1234']) assert.ok(!MILESTONE_CODE.test(code), code);
});

test("a commitment's status on a day: its milestones, and its dates once its period is over", () => {
  const period = { startsOn: '2024-12-01', endsOn: '2025-09-30' };
  assert.equal(commitmentStatusOn('in_progress', period, '2025-05-01'), 'in_progress');
  assert.equal(commitmentStatusOn('delayed', period, '2025-05-01'), 'delayed');
  assert.equal(commitmentStatusOn('in_progress', period, '2025-09-30'), 'in_progress', 'the end date is still in the period');
  for (const s of ['in_progress', 'delayed', 'not_started', 'no_milestones'] as const) assert.equal(commitmentStatusOn(s, period, '2025-10-01'), 'ended', s);
  assert.equal(commitmentStatusOn('completed', period, '2026-12-04'), 'completed');
  assert.equal(commitmentStatusOn('cancelled', period, '2026-12-04'), 'cancelled');
  assert.equal(commitmentStatusOn('no_milestones', period, '2024-11-01'), 'not_started');
  assert.equal(commitmentStatusOn('in_progress', period, '2024-11-01'), 'in_progress', 'work begun early shows');
});

test('OGP values and lenses as OGP names them today; older keys read as today’s', () => {
  assert.equal(currentOgpKey('access_to_information'), 'transparency');
  assert.equal(currentOgpKey('civic_participation'), 'civic_participation');
  assert.deepEqual(ogpValuesAndLenses(['technology_and_innovation', 'access_to_information', 'transparency', 'inclusion', 'unknown']), {
    values: ['transparency'],
    lenses: ['technology_and_innovation', 'inclusion'],
  });
  assert.deepEqual(ogpValuesAndLenses([]), { values: [], lenses: [] });
});
