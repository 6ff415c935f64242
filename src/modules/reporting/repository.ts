import { sql, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.js';
import { rdb } from './tables.js';

/** Plain loaders used by commands, queries and routes (all SQL of the module's storage lives here or in queries). */

export async function findPlan(db: Executor, planId: number) {
  return db.selectFrom('action_plans').select(['id', 'jurisdiction_id', 'slug', 'title', 'starts_on', 'ends_on']).where('id', '=', planId).executeTakeFirst();
}

export async function findCycle(db: Executor, cycleId: number) {
  return rdb(db).selectFrom('reporting_cycles').selectAll().where('id', '=', cycleId).executeTakeFirst();
}

export async function findCycleByNumber(db: Executor, planId: number, number: number) {
  return rdb(db).selectFrom('reporting_cycles').selectAll().where('action_plan_id', '=', planId).where('number', '=', number).executeTakeFirst();
}

export async function listCycles(db: Executor, planId: number) {
  return rdb(db).selectFrom('reporting_cycles').selectAll().where('action_plan_id', '=', planId).orderBy('number').execute();
}

export async function findUpdate(db: Executor, cycleId: number, commitmentId: number) {
  return rdb(db).selectFrom('progress_updates').selectAll().where('cycle_id', '=', cycleId).where('commitment_id', '=', commitmentId).executeTakeFirst();
}

export async function findUpdateById(db: Executor, updateId: number) {
  return rdb(db).selectFrom('progress_updates').selectAll().where('id', '=', updateId).executeTakeFirst();
}

export async function listItems(db: Executor, updateId: number) {
  return rdb(db).selectFrom('progress_update_items').selectAll().where('update_id', '=', updateId).execute();
}

/** Evidence files of updates, without their content. */
export async function listFiles(db: Executor, updateIds: number[]) {
  if (updateIds.length === 0) return [];
  return rdb(db)
    .selectFrom('evidence_files')
    .select(['id', 'update_id', 'milestone_id', 'filename', 'content_type', 'size', 'created_at'])
    .where('update_id', 'in', updateIds)
    .orderBy('id')
    .execute();
}

export async function findFile(db: Executor, fileId: number) {
  return rdb(db)
    .selectFrom('evidence_files')
    .innerJoin('progress_updates', 'progress_updates.id', 'evidence_files.update_id')
    .innerJoin('commitments', 'commitments.id', 'progress_updates.commitment_id')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select([
      'evidence_files.id',
      'evidence_files.filename',
      'evidence_files.content_type',
      'evidence_files.size',
      'evidence_files.content',
      'progress_updates.status as update_status',
      'progress_updates.commitment_id',
      'action_plans.jurisdiction_id',
    ])
    .where('evidence_files.id', '=', fileId)
    .executeTakeFirst();
}

/**
 * Which of a commitment's institutions report on it: its lead institutions or, where no lead is
 * stated (the sources name the institutions "involved" without saying which lead), every
 * institution involved. For queries joining `commitment_institutions` under its own name.
 */
export const REPORTING_INSTITUTION = sql<SqlBool>`(commitment_institutions.role = 'lead' or (commitment_institutions.role = 'involved' and not exists (select 1 from commitment_institutions as stated_lead where stated_lead.commitment_id = commitment_institutions.commitment_id and stated_lead.role = 'lead')))`;

/** The institutions that report on the commitment (REPORTING_INSTITUTION). */
export async function reportingInstitutionIds(db: Executor, commitmentId: number): Promise<number[]> {
  const rows = await db.selectFrom('commitment_institutions').select('institution_id').where('commitment_id', '=', commitmentId).where(REPORTING_INSTITUTION).execute();
  return rows.map((r) => r.institution_id);
}

export async function listMilestones(db: Executor, commitmentId: number) {
  return db
    .selectFrom('milestones')
    .select(['id', 'code', 'title', 'status', 'due_on', 'completed_on', 'cancelled_on'])
    .where('commitment_id', '=', commitmentId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}
