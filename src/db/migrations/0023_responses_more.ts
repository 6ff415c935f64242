import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The moderation queue and the administration's start page count the contributions waiting for a
 * moderator (status `pending`) across every consultation a person moderates, on each visit: an
 * index by status (then consultation) keeps that a look-up instead of a scan of every contribution.
 */
export function responsesMore(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('contributions_status').on('contributions').columns(['status', 'consultation_id']).execute();
    },
  };
}
