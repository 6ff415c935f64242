import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/** Personal API tokens (issue 12): filled by the API module's work. */
export function apiTokens(_dialect: Dialect): Migration {
  return {
    async up(_db: Kysely<any>) {},
  };
}
