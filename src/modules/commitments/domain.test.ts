import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMITMENT_CODE, MILESTONE_CODE, commitmentStatusOf, progressOf } from './domain.js';

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
