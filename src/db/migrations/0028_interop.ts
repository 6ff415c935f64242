import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/** External identifiers and IRM assessments for imports (issue 12): filled by the imports module's work. */
export function interop(_dialect: Dialect): Migration {
  return {
    async up(_db: Kysely<any>) {},
  };
}
