import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/** SLOT (issue 11, subscriptions helper): replace this comment and body with the migration's own; removed at merge if unused. */
export function subscriptions(_dialect: Dialect): Migration {
  return {
    async up(_db: Kysely<any>) {},
  };
}
