/** Database errors shared by the modules' commands, for SQLite (better-sqlite3) and PostgreSQL (pg). */

/** A unique-constraint violation: PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE or SQLITE_CONSTRAINT_PRIMARYKEY. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * One unique constraint, named as each database reports a violation of it: PostgreSQL by the
 * constraint (or index) name in `error.constraint`, SQLite by the columns in its message
 * ("UNIQUE constraint failed: institutions.jurisdiction_id, institutions.slug").
 */
export interface UniqueKey {
  constraint: string;
  table: string;
  columns: readonly string[];
}

/** The unique keys a person chooses a value for (a slug or a code); migrations 0001 create them. */
export const UNIQUE_KEYS = {
  jurisdictionSlug: { constraint: 'jurisdictions_slug_key', table: 'jurisdictions', columns: ['slug'] },
  institutionSlug: { constraint: 'institutions_jurisdiction_slug', table: 'institutions', columns: ['jurisdiction_id', 'slug'] },
  planSlug: { constraint: 'action_plans_jurisdiction_slug', table: 'action_plans', columns: ['jurisdiction_id', 'slug'] },
  commitmentCode: { constraint: 'commitments_plan_code', table: 'commitments', columns: ['action_plan_id', 'code'] },
  milestoneCode: { constraint: 'milestones_commitment_code', table: 'milestones', columns: ['commitment_id', 'code'] },
} as const satisfies Record<string, UniqueKey>;

/** A unique violation of exactly this key; any other unique violation (another table's, an index's) is not. */
export function isUniqueViolationOf(error: unknown, key: UniqueKey): boolean {
  if (!isUniqueViolation(error)) return false;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code === '23505') return e.constraint === key.constraint;
  const message = typeof e.message === 'string' ? e.message : '';
  const prefix = 'UNIQUE constraint failed: ';
  if (!message.startsWith(prefix)) return false;
  const failed = message.slice(prefix.length).split(',').map((c) => c.trim());
  const expected = key.columns.map((c) => `${key.table}.${c}`);
  return failed.length === expected.length && failed.every((c, i) => c === expected[i]);
}

/** A slug (or code) already in use where it must be unique; routes show it as a field error. */
export class SlugTakenError extends Error {
  constructor(readonly field: string = 'slug') {
    super(`The ${field} is already in use`);
  }
}

/**
 * Runs a command that writes a slug unique under `key`: a violation of that key (a slug taken by a
 * concurrent request) becomes SlugTakenError; every other error, other unique violations
 * included, is a real error and passes through.
 */
export async function withSlugGuard<T>(key: UniqueKey, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolationOf(error, key)) throw new SlugTakenError('slug');
    throw error;
  }
}
