import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import type { Actor } from '../audit/index.js';
import {
  DuplicateSubmissionError,
  generateCycles,
  InvalidInputError,
  updateCycle,
  publishProgressUpdate,
  remindDueReports,
  returnProgressUpdate,
  saveProgressUpdate,
  WorkflowError,
  type ItemInput,
  type UpdateInput,
} from './commands.js';
import { checkEvidence, defaultCycles, MAX_FILE_BYTES } from './domain.js';
import { listPublishedUpdates, listRecentPublishedUpdates, listReportPunctuality } from './queries.js';
import { listCycles } from './repository.js';
import { rdb } from './tables.js';
import { FAKE_PDF_EXE, FAKE_PDF_HTML, insertReportingFixture, TINY_PDF, TINY_PNG, type ReportingFixture } from '../../../test/reporting-fixture.js';

test('default cycles: every three months across the plan, the last cut at its end, due 15 days after', () => {
  const cycles = defaultCycles('2024-01-01', '2025-12-31');
  assert.equal(cycles.length, 8);
  assert.deepEqual(cycles[0], { number: 1, periodStart: '2024-01-01', periodEnd: '2024-03-31', dueOn: '2024-04-15' });
  assert.deepEqual(cycles[7], { number: 8, periodStart: '2025-10-01', periodEnd: '2025-12-31', dueOn: '2026-01-15' });
  const odd = defaultCycles('2024-01-31', '2024-06-15');
  assert.deepEqual(
    odd.map((c) => [c.periodStart, c.periodEnd]),
    [
      ['2024-01-31', '2024-04-29'],
      ['2024-04-30', '2024-06-15'],
    ],
  );
});

test('evidence is checked by content, not by name', async () => {
  const png = await checkEvidence('photo.PNG', TINY_PNG);
  assert.deepEqual(png, { ok: true, ext: 'png', contentType: 'image/png', filename: 'photo.png' });
  const pdf = await checkEvidence('Raporti për buxhetin.pdf', TINY_PDF);
  assert.equal(pdf.ok && pdf.filename, 'Raporti-per-buxhetin.pdf');
  assert.deepEqual(await checkEvidence('report.pdf', FAKE_PDF_HTML), { ok: false, reason: 'type' });
  assert.deepEqual(await checkEvidence('report.pdf', FAKE_PDF_EXE), { ok: false, reason: 'type' });
  assert.deepEqual(await checkEvidence('empty.pdf', Buffer.alloc(0)), { ok: false, reason: 'empty' });
  // A PNG named .pdf is a PNG: accepted and named for what it is.
  const renamed = await checkEvidence('scan.pdf', TINY_PNG);
  assert.equal(renamed.ok && renamed.filename, 'scan.png');
});

describeEachDatabase('reporting commands', (get) => {
  let f: ReportingFixture;
  let cycleIds: number[];
  const coordinator = (): Actor => f.actors.coordinator;
  const holder = (): Actor => f.actors.holder;

  function item(milestoneId: number, overrides: Partial<ItemInput> = {}): ItemInput {
    return { milestoneId, status: 'in_progress', completion: 'limited', narrative: 'Work started.', obstacles: [], obstacleNote: '', links: [], ...overrides };
  }

  function input(cycleIndex: number, overrides: Partial<UpdateInput> = {}): UpdateInput {
    return {
      cycleId: cycleIds[cycleIndex]!,
      commitmentId: f.commitmentId,
      locale: 'en',
      summary: 'Budget published monthly.',
      items: [item(f.milestoneIds[0]), item(f.milestoneIds[1])],
      files: [],
      removeFileIds: [],
      submit: false,
      formToken: null,
      ...overrides,
    };
  }

  async function milestone(id: number) {
    return get().db.selectFrom('milestones').select(['status', 'completed_on', 'cancelled_on']).where('id', '=', id).executeTakeFirstOrThrow();
  }

  before(async () => {
    f = await insertReportingFixture(get().db);
  });

  test('cycles are generated once per plan', async () => {
    const { db } = get();
    assert.equal(await generateCycles(db, coordinator(), f.planId), 8);
    assert.equal(await generateCycles(db, coordinator(), f.planId), 0);
    const cycles = await listCycles(db, f.planId);
    assert.deepEqual(
      cycles.map((c) => c.number),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    cycleIds = cycles.map((c) => c.id);
    const published = await db.selectFrom('audit_events').select('action').where('entity_type', '=', 'reporting_cycle').execute();
    assert.equal(published.length, 8);
  });

  test('a delayed or not started milestone needs obstacles; nothing is saved otherwise', async () => {
    const { db } = get();
    await assert.rejects(
      saveProgressUpdate(db, holder(), input(0, { items: [item(f.milestoneIds[0], { status: 'delayed' }), item(f.milestoneIds[1], { status: 'not_started', obstacles: ['other'] })] })),
      (error: unknown) => {
        assert.ok(error instanceof InvalidInputError);
        assert.equal(error.errors.for(`m${f.milestoneIds[0]}_obstacles`)?.message, 'reporting.error.obstaclesRequired');
        assert.equal(error.errors.for(`m${f.milestoneIds[1]}_obstacle_note`)?.message, 'reporting.error.obstacleNoteRequired');
        return true;
      },
    );
    await assert.rejects(saveProgressUpdate(db, holder(), input(0, { items: [item(f.milestoneIds[0], { links: ['javascript:alert(1)'] })] })), InvalidInputError);
    const count = await rdb(db).selectFrom('progress_updates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  test('uploads: valid files are stored, too large and disguised ones refused with the field named', async () => {
    const { db } = get();
    const big = { field: `m${f.milestoneIds[0]}_files`, milestoneId: f.milestoneIds[0], filename: 'big.pdf', content: Buffer.alloc(16), truncated: true };
    const html = { field: 'files_general', milestoneId: null, filename: 'report.pdf', content: FAKE_PDF_HTML, truncated: false };
    await assert.rejects(saveProgressUpdate(db, holder(), input(0, { files: [big, html] })), (error: unknown) => {
      assert.ok(error instanceof InvalidInputError);
      assert.equal(error.errors.for(`m${f.milestoneIds[0]}_files`)?.message, 'reporting.error.fileTooLarge');
      assert.equal(error.errors.for(`m${f.milestoneIds[0]}_files`)?.values?.max, MAX_FILE_BYTES / 1024 / 1024);
      assert.equal(error.errors.for('files_general')?.message, 'reporting.error.fileType');
      return true;
    });
    const many = Array.from({ length: 11 }, (_, i) => ({ field: 'files_general', milestoneId: null, filename: `p${i}.png`, content: TINY_PNG, truncated: false }));
    await assert.rejects(saveProgressUpdate(db, holder(), input(0, { files: many })), (error: unknown) => error instanceof InvalidInputError && error.errors.for('files_general')?.message === 'reporting.error.tooManyFiles');
    const saved = await saveProgressUpdate(
      db,
      holder(),
      input(0, {
        files: [
          { field: 'files_general', milestoneId: null, filename: 'minutes.pdf', content: TINY_PDF, truncated: false },
          { field: `m${f.milestoneIds[0]}_files`, milestoneId: f.milestoneIds[0], filename: 'photo.png', content: TINY_PNG, truncated: false },
        ],
      }),
    );
    assert.equal(saved.status, 'draft');
    const files = await rdb(db).selectFrom('evidence_files').selectAll().where('update_id', '=', saved.id).orderBy('id').execute();
    assert.deepEqual(
      files.map((x) => [x.filename, x.content_type, x.size, x.milestone_id]),
      [
        ['minutes.pdf', 'application/pdf', TINY_PDF.length, null],
        ['photo.png', 'image/png', TINY_PNG.length, f.milestoneIds[0]],
      ],
    );
    assert.ok(Buffer.from(files[1]!.content).equals(TINY_PNG), 'the bytes come back unchanged');
  });

  test('submit → return → resubmit → publish; the milestone status follows the published update', async () => {
    const { db } = get();
    const submitted = await saveProgressUpdate(
      db,
      holder(),
      input(0, { submit: true, formToken: 'form-1', items: [item(f.milestoneIds[0], { status: 'completed', completion: 'complete' }), item(f.milestoneIds[1], { status: 'delayed', obstacles: ['funding'] })] }),
    );
    assert.equal(submitted.status, 'submitted');
    await assert.rejects(saveProgressUpdate(db, holder(), input(0, { formToken: 'form-2' })), (e: unknown) => e instanceof WorkflowError && e.key === 'reporting.error.locked');
    await assert.rejects(returnProgressUpdate(db, coordinator(), { updateId: submitted.id, comment: ' ' }), InvalidInputError);
    await returnProgressUpdate(db, coordinator(), { updateId: submitted.id, comment: 'Add the evidence for 1.2, please.' });
    let row = await rdb(db).selectFrom('progress_updates').selectAll().where('id', '=', submitted.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'returned');
    assert.equal(row.coordinator_comment, 'Add the evidence for 1.2, please.');
    const firstSubmission = row.first_submitted_at;
    assert.ok(firstSubmission);
    await assert.rejects(publishProgressUpdate(db, coordinator(), { updateId: submitted.id }), WorkflowError);

    const draft = await saveProgressUpdate(db, holder(), input(0, { formToken: 'form-3', items: [item(f.milestoneIds[0], { status: 'completed', completion: 'complete' }), item(f.milestoneIds[1], { status: 'delayed', obstacles: ['funding'], links: ['https://gjakova.example.org/budget'] })] }));
    assert.equal(draft.status, 'draft');
    assert.equal(draft.id, submitted.id, 'the same update, not a second one');
    await saveProgressUpdate(db, holder(), input(0, { submit: true, formToken: 'form-4', items: [item(f.milestoneIds[0], { status: 'completed', completion: 'complete' }), item(f.milestoneIds[1], { status: 'delayed', obstacles: ['funding'], links: ['https://gjakova.example.org/budget'] })] }));
    assert.equal((await milestone(f.milestoneIds[0])).status, 'not_started', 'nothing changes before publication');
    assert.equal((await listPublishedUpdates(db, f.commitmentId)).length, 0);

    await publishProgressUpdate(db, coordinator(), { updateId: submitted.id });
    row = await rdb(db).selectFrom('progress_updates').selectAll().where('id', '=', submitted.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'published');
    assert.equal(row.first_submitted_at, firstSubmission, 'punctuality counts the first submission');
    const m1 = await milestone(f.milestoneIds[0]);
    assert.equal(m1.status, 'completed');
    assert.equal(m1.completed_on, row.submitted_at?.slice(0, 10));
    assert.equal((await milestone(f.milestoneIds[1])).status, 'delayed');
    const events = await db.selectFrom('audit_events').select(['action', 'entity_type']).where('action', 'in', ['progress_update.published', 'milestone.status_changed']).execute();
    assert.equal(events.filter((e) => e.action === 'progress_update.published').length, 1);
    assert.equal(events.filter((e) => e.action === 'milestone.status_changed').length, 2);

    const timeline = await listPublishedUpdates(db, f.commitmentId);
    assert.equal(timeline.length, 1);
    assert.equal(timeline[0]!.cycle.number, 1);
    assert.deepEqual(timeline[0]!.items[1]!.obstacles, ['funding']);
    assert.deepEqual(timeline[0]!.items[1]!.links, ['https://gjakova.example.org/budget']);
    assert.equal(timeline[0]!.files.length, 1);
    assert.equal(timeline[0]!.items[0]!.files[0]!.url, timeline[0]!.items[0]!.files[0]!.url.replace(/[^/]+$/, 'photo.png'));
    const recent = await listRecentPublishedUpdates(db, f.jurisdictionId, 5);
    assert.deepEqual(
      recent.map((r) => [r.commitment.code, r.path]),
      [['XKGJA0001', '/gjakova/plans/2024-2025/commitments/XKGJA0001']],
    );
  });

  test('the latest period wins, whatever the order of publication', async () => {
    const { db } = get();
    // Cycle 3 is published first (milestone 2 completed), then a late cycle 2 (still delayed).
    const third = await saveProgressUpdate(db, holder(), input(2, { submit: true, items: [item(f.milestoneIds[1], { status: 'completed', completion: 'complete' })] }));
    await publishProgressUpdate(db, coordinator(), { updateId: third.id });
    assert.equal((await milestone(f.milestoneIds[1])).status, 'completed');
    const second = await saveProgressUpdate(db, holder(), input(1, { submit: true, items: [item(f.milestoneIds[1], { status: 'delayed', obstacles: ['staffing'] })] }));
    await publishProgressUpdate(db, coordinator(), { updateId: second.id });
    const m2 = await milestone(f.milestoneIds[1]);
    assert.equal(m2.status, 'completed');
    assert.ok(m2.completed_on);
    const timeline = await listPublishedUpdates(db, f.commitmentId);
    assert.deepEqual(
      timeline.map((u) => u.cycle.number),
      [3, 2, 1],
    );
  });

  test('a double submit creates one update', async () => {
    const { db } = get();
    // Saved as a draft, then the same form sent with the submit button: submitted, its file kept once.
    const file = { field: 'files_general', milestoneId: null, filename: 'minutes.pdf', content: TINY_PDF, truncated: false };
    const draft = await saveProgressUpdate(db, holder(), input(6, { formToken: 'page-1', files: [file] }));
    await assert.rejects(saveProgressUpdate(db, holder(), input(6, { formToken: 'page-1', files: [file] })), DuplicateSubmissionError);
    const sent = await saveProgressUpdate(db, holder(), input(6, { formToken: 'page-1', files: [file], submit: true }));
    assert.equal(sent.id, draft.id);
    assert.equal(sent.status, 'submitted');
    const kept = await rdb(db).selectFrom('evidence_files').select('id').where('update_id', '=', draft.id).execute();
    assert.equal(kept.length, 1);

    const first = await saveProgressUpdate(db, holder(), input(3, { submit: true, formToken: 'same-form' }));
    await assert.rejects(saveProgressUpdate(db, holder(), input(3, { submit: true, formToken: 'same-form' })), (e: unknown) => e instanceof DuplicateSubmissionError && e.updateId === first.id);
    // Both at once: one wins, the other is told it was a duplicate (or finds it locked).
    const results = await Promise.allSettled([
      saveProgressUpdate(db, holder(), input(4, { submit: true, formToken: 'race' })),
      saveProgressUpdate(db, holder(), input(4, { submit: true, formToken: 'race' })),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(rejected.reason instanceof DuplicateSubmissionError || rejected.reason instanceof WorkflowError, String(rejected.reason));
    const rows = await rdb(db).selectFrom('progress_updates').select('cycle_id').where('cycle_id', 'in', [cycleIds[3]!, cycleIds[4]!]).execute();
    assert.equal(rows.length, 2);
  });

  test('a closed cycle takes no update; cycle dates are checked', async () => {
    const { db } = get();
    const cycle = (await listCycles(db, f.planId))[7]!;
    const change = { cycleId: cycle.id, locale: 'en' as const, label: '', periodStart: cycle.period_start, periodEnd: cycle.period_end, dueOn: cycle.due_on, status: 'closed' };
    await assert.rejects(updateCycle(db, coordinator(), { ...change, periodEnd: '2025-02-30', dueOn: '2020-01-01', status: 'ajar' }), (e: unknown) => {
      assert.ok(e instanceof InvalidInputError);
      assert.deepEqual(
        e.errors.list.map((x) => [x.field, x.message]),
        [
          ['period_end', 'form.error.date'],
          ['due_on', 'reporting.error.dueBeforeStart'],
          ['status', 'form.error.choice'],
        ],
      );
      return true;
    });
    await updateCycle(db, coordinator(), change);
    await assert.rejects(saveProgressUpdate(db, holder(), input(7)), (e: unknown) => e instanceof WorkflowError && e.key === 'reporting.error.cycleClosed');
    await updateCycle(db, coordinator(), { ...change, status: 'open' });
  });

  test('punctuality per institution: on time, late, missing, not due', async () => {
    const { db } = get();
    const rows = await listReportPunctuality(db, f.leadId, '2025-01-01');
    assert.equal(rows.length, 8);
    const byCycle = new Map(rows.map((r) => [r.cycle.number, r.state]));
    // Submitted today (2026 or later) for cycles due in 2024–2025: late; cycles 6–8 not submitted.
    assert.equal(byCycle.get(1), new Date().toISOString().slice(0, 10) <= '2024-04-15' ? 'on_time' : 'late');
    assert.equal(byCycle.get(6), 'pending');
    assert.equal(byCycle.get(8), 'pending');
    const later = await listReportPunctuality(db, f.leadId, '2027-01-01');
    assert.equal(later.find((r) => r.cycle.number === 6)?.state, 'missing');
    assert.deepEqual(await listReportPunctuality(db, f.otherId), [], 'a supporting institution does not report');
    // On time when the first submission is on or before the due date.
    await rdb(db).updateTable('progress_updates').set({ first_submitted_at: '2024-04-15T23:00:00.000Z' }).where('cycle_id', '=', cycleIds[0]!).execute();
    assert.equal((await listReportPunctuality(db, f.leadId))[7]?.state, 'on_time');
  });

  test('reminders: before and after the due date, once each, to the lead institution’s holders', async () => {
    const { db } = get();
    // Cycle 6 (2025-04-01 – 2025-06-30) is due 2025-07-15 and has no update.
    const before = new Date('2025-07-10T08:00:00Z');
    const sent = await remindDueReports(db, before, { publicUrl: 'https://besa.example.org', locale: 'en' });
    assert.equal(sent, 1);
    assert.equal(await remindDueReports(db, before, { publicUrl: 'https://besa.example.org', locale: 'en' }), 0, 'idempotent');
    const after = new Date('2025-07-20T08:00:00Z');
    assert.equal(await remindDueReports(db, after, { locale: 'en' }), 1, 'the overdue reminder of cycle 6 (cycles 1–5 are submitted, cycle 7 is not near)');
    assert.equal(await remindDueReports(db, after, { locale: 'en' }), 0);
    // The reminders only (the updates submitted above also e-mailed the coordinators).
    const outbox = (await (db as any).selectFrom('mail_outbox').select(['to_address', 'subject', 'text_body']).execute()).filter((m: { subject: string }) =>
      /^Progress report /.test(m.subject),
    );
    assert.equal(outbox.length, 2);
    assert.ok(outbox.every((m: { to_address: string }) => m.to_address === 'holder@gjakova.example.org'));
    // The due date is written out in the recipient's language, never as ISO.
    assert.ok(outbox.some((m: { subject: string }) => /due on 15 July 2025: XKGJA0001/.test(m.subject)), outbox.map((m: { subject: string }) => m.subject).join('\n'));
    assert.ok(outbox.some((m: { subject: string }) => /overdue since 15 July 2025: XKGJA0001/.test(m.subject)));
    assert.ok(outbox.some((m: { text_body: string }) => m.text_body.includes('is due on 15 July 2025.')));
    assert.ok(outbox.every((m: { subject: string; text_body: string }) => !/2025-07-15/.test(m.subject + m.text_body)));
    assert.ok(outbox.some((m: { text_body: string }) => m.text_body.includes('https://besa.example.org/en/admin/jurisdictions/gjakova/plans/2024-2025/cycles/6/updates/XKGJA0001')));
  });
});
