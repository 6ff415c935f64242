import type { Executor } from '../../db/database.js';
import type { ConsultationTables } from './consultation-tables.js';
import type { ContributionTables } from './contribution-tables.js';
import type { ResponseTables } from './response-tables.js';

export type ParticipationTables = ConsultationTables & ContributionTables & ResponseTables;

/** The database or transaction, seen with the participation tables. */
export function pdb(executor: Executor) {
  return executor.withTables<ParticipationTables>();
}
