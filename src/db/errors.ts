/** Database errors shared by the modules' commands, for SQLite (better-sqlite3) and PostgreSQL (pg). */

/** A unique-constraint violation: PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE or SQLITE_CONSTRAINT_PRIMARYKEY. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A slug (or code) already in use where it must be unique; routes show it as a field error. */
export class SlugTakenError extends Error {
  constructor(readonly field: string = 'slug') {
    super(`The ${field} is already in use`);
  }
}

/** Runs a command whose only unique constraint is the slug; a violation (a slug taken by a concurrent request) becomes SlugTakenError. */
export async function withSlugGuard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new SlugTakenError('slug');
    throw error;
  }
}
