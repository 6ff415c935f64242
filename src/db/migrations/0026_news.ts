import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/** News items (issue 12): filled by the news module's work. */
export function news(_dialect: Dialect): Migration {
  return {
    async up(_db: Kysely<any>) {},
  };
}
