import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canAccessAdmin,
  canGrantRole,
  canManageContent,
  canManageJurisdictions,
  canManageReportingCycles,
  canManageUsers,
  canModerate,
  canPublishProgressUpdates,
  canReportOnInstitution,
} from './policy.js';

const as = (role: string, jurisdictionId: number | null, institutionId: number | null = null) => ({ roles: [{ role, jurisdictionId, institutionId }] });

test('each role may do exactly what it should, on its own jurisdiction (1) and not on another (2)', () => {
  const instanceAdmin = as('administrator', null);
  const admin = as('administrator', 1);
  const coordinator = as('coordinator', 1);
  const holder = as('commitment_holder', 1, 10);
  const secretary = as('forum_secretary', 1);
  const member = as('monitoring_member', 1);
  const moderator = as('moderator', 1);
  const none = { roles: [] };

  const table: [string, (u: typeof admin) => boolean, boolean[]][] = [
    // [what, check, [instanceAdmin, admin, coordinator, holder, secretary, member, moderator, none, anonymous]]
    ['access admin', (u) => canAccessAdmin(u), [true, true, true, true, true, true, true, false, false]],
    ['manage users', (u) => canManageUsers(u), [true, true, false, false, false, false, false, false, false]],
    ['manage jurisdictions', (u) => canManageJurisdictions(u), [true, false, false, false, false, false, false, false, false]],
    ['manage content of 1', (u) => canManageContent(u, 1), [true, true, false, false, false, false, false, false, false]],
    ['manage content of 2', (u) => canManageContent(u, 2), [true, false, false, false, false, false, false, false, false]],
    ['manage cycles of 1', (u) => canManageReportingCycles(u, 1), [true, true, true, false, false, false, false, false, false]],
    ['manage cycles of 2', (u) => canManageReportingCycles(u, 2), [true, false, false, false, false, false, false, false, false]],
    ['publish updates in 1', (u) => canPublishProgressUpdates(u, 1), [true, true, true, false, false, false, false, false, false]],
    ['report on institution 10 in 1', (u) => canReportOnInstitution(u, 1, 10), [true, true, true, true, false, false, false, false, false]],
    ['report on institution 11 in 1', (u) => canReportOnInstitution(u, 1, 11), [true, true, true, false, false, false, false, false, false]],
    ['report on institution 10 in 2', (u) => canReportOnInstitution(u, 2, 10), [true, false, false, false, false, false, false, false, false]],
    ['moderate in 1', (u) => canModerate(u, 1), [true, true, false, false, false, false, true, false, false]],
    ['moderate in 2', (u) => canModerate(u, 2), [true, false, false, false, false, false, false, false, false]],
    ['grant roles in 1', (u) => canGrantRole(u, 1), [true, true, false, false, false, false, false, false, false]],
    ['grant roles everywhere', (u) => canGrantRole(u, null), [true, false, false, false, false, false, false, false, false]],
  ];
  const users = [instanceAdmin, admin, coordinator, holder, secretary, member, moderator, none, undefined];
  for (const [what, check, expected] of table) {
    assert.deepEqual(
      users.map((u) => check(u as typeof admin)),
      expected,
      what,
    );
  }
});
