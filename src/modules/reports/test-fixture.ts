import type { Db } from '../../db/database.js';
import { seedDemo, seedIfEmpty } from '../../db/seeds/index.js';
import { SYSTEM } from '../audit/index.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../reporting/commands.js';
import { rdb } from '../reporting/tables.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';

/**
 * Test data of the reports' tests: Gjakova's seeded plan with the demonstration updates and
 * reviews, a draft update of XKGJA0001 that must never show, and the reporting fixture's
 * jurisdiction (`brandtown`) with one update published through the reporting commands.
 */
export const DRAFT = 'DRAFT-SHOULD-NEVER-SHOW summary of an unpublished update';
export const DRAFT_NARRATIVE = 'DRAFT-SHOULD-NEVER-SHOW narrative';
export const PUBLISHED = 'The budget was published on the portal every month.';
export const EVIDENCE = 'https://example.org/budget-2025';

export async function prepareReports(db: Db): Promise<ReportingFixture> {
  await seedIfEmpty(db);
  await seedDemo(db);
  // A draft update of XKGJA0001 in cycle 2 (the demonstration leaves that one unreported).
  const plan = await db.selectFrom('action_plans').select('id').where('slug', '=', '2024-2025').where('jurisdiction_id', '=', db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova')).executeTakeFirstOrThrow();
  const cycle = await rdb(db).selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', plan.id).where('number', '=', 2).executeTakeFirstOrThrow();
  const c1 = await db.selectFrom('commitments').select('id').where('action_plan_id', '=', plan.id).where('code', '=', 'XKGJA0001').executeTakeFirstOrThrow();
  const m1 = await db.selectFrom('milestones').select(['id', 'status']).where('commitment_id', '=', c1.id).orderBy('position').executeTakeFirstOrThrow();
  const draft = await saveProgressUpdate(db, SYSTEM, {
    cycleId: cycle.id,
    commitmentId: c1.id,
    locale: 'en',
    summary: DRAFT,
    items: [{ milestoneId: m1.id, status: 'in_progress', completion: 'limited', narrative: DRAFT_NARRATIVE, obstacles: [], obstacleNote: '', links: [] }],
    files: [],
    removeFileIds: [],
    submit: false,
    formToken: null,
  });
  if (draft.status !== 'draft') throw new Error('the draft update was not saved as a draft');
  // The reporting fixture's jurisdiction: one update published by its holder, with an evidence link.
  const f = await insertReportingFixture(db, 'brandtown');
  await generateCycles(db, f.actors.coordinator, f.planId);
  const first = await rdb(db).selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', f.planId).where('number', '=', 1).executeTakeFirstOrThrow();
  const saved = await saveProgressUpdate(db, f.actors.holder, {
    cycleId: first.id,
    commitmentId: f.commitmentId,
    locale: 'en',
    summary: PUBLISHED,
    items: [{ milestoneId: f.milestoneIds[0], status: 'in_progress', completion: 'limited', narrative: 'Twelve monthly reports are online.', obstacles: [], obstacleNote: '', links: [EVIDENCE] }],
    files: [],
    removeFileIds: [],
    submit: true,
    formToken: null,
  });
  await publishProgressUpdate(db, f.actors.coordinator, { updateId: saved.id });
  return f;
}
