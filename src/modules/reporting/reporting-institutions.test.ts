import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { ForbiddenError } from '../audit/index.js';
import { generateCycles, saveProgressUpdate, type UpdateInput } from './commands.js';
import { listCycles, reportingInstitutionIds } from './repository.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';

describeEachDatabase('who reports on a commitment', (get) => {
  let f: ReportingFixture;
  let cycleId: number;

  before(async () => {
    f = await insertReportingFixture(get().db);
    await generateCycles(get().db, f.actors.coordinator, f.planId);
    cycleId = (await listCycles(get().db, f.planId))[0]!.id;
  });

  async function setRoles(lead: string, other: string) {
    const { db } = get();
    await db.updateTable('commitment_institutions').set({ role: lead }).where('commitment_id', '=', f.commitmentId).where('institution_id', '=', f.leadId).execute();
    await db.updateTable('commitment_institutions').set({ role: other }).where('commitment_id', '=', f.commitmentId).where('institution_id', '=', f.otherId).execute();
  }

  function draft(): UpdateInput {
    const item = (milestoneId: number) => ({ milestoneId, status: 'in_progress', completion: 'limited', narrative: 'Work started.', obstacles: [], obstacleNote: '', links: [] });
    return { cycleId, commitmentId: f.commitmentId, locale: 'en', summary: 'Started.', items: f.milestoneIds.map(item), files: [], removeFileIds: [], submit: false, formToken: null };
  }

  test('the lead institutions report; a supporting one does not', async () => {
    await setRoles('lead', 'supporting');
    assert.deepEqual(await reportingInstitutionIds(get().db, f.commitmentId), [f.leadId]);
    await assert.rejects(saveProgressUpdate(get().db, f.actors.otherHolder, draft()), ForbiddenError);
  });

  test('where no lead is stated (the sources say only "involved"), every institution involved reports', async () => {
    await setRoles('involved', 'involved');
    assert.deepEqual((await reportingInstitutionIds(get().db, f.commitmentId)).sort((a, b) => a - b), [f.leadId, f.otherId].sort((a, b) => a - b));
    await saveProgressUpdate(get().db, f.actors.otherHolder, draft());
  });

  test('once a lead is stated, the institutions only involved no longer report', async () => {
    await setRoles('lead', 'involved');
    assert.deepEqual(await reportingInstitutionIds(get().db, f.commitmentId), [f.leadId]);
    await assert.rejects(saveProgressUpdate(get().db, f.actors.otherHolder, draft()), ForbiddenError);
  });
});
