import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commitmentStatusOf, progressOf } from './domain.js';

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
