import type { Actor } from '../src/modules/audit/index.js';

/**
 * Actors for tests that are not about roles: a person holding one role (by default an instance-wide
 * administrator, who may do every content change). Role checks themselves are tested in
 * test/command-matrix.test.ts and test/role-matrix.test.ts.
 */
export function actorWith(role = 'administrator', options: { userId?: number | null; jurisdictionId?: number | null; institutionId?: number | null } = {}): Actor {
  return {
    userId: options.userId ?? null,
    role,
    roles: [{ role, jurisdictionId: options.jurisdictionId ?? null, institutionId: options.institutionId ?? null }],
  };
}

/** An instance-wide administrator. */
export const ADMIN: Actor = actorWith('administrator');
