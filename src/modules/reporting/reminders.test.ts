import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase, type TestDatabase } from '../../../test/db.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { generateCycles, remindDueReports, type ReminderLog } from './commands.js';
import { rdb } from './tables.js';

/** A logger that keeps what it is given, by level. */
function captureLog() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg = '') =>
      void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  const log: ReminderLog = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
  return { log, lines, loud: () => lines.filter((l) => l.level === 'error' || l.level === 'warn') };
}

/** Two more commitments led by the fixture's lead institution: three reminders per due cycle. */
async function addCommitments(db: TestDatabase['db'], f: ReportingFixture): Promise<number[]> {
  const now = new Date().toISOString();
  const ids: number[] = [];
  for (const code of ['XKGJA0002', 'XKGJA0003']) {
    const c = await db
      .insertInto('commitments')
      .values({
        action_plan_id: f.planId,
        code,
        position: Number(code.slice(-1)),
        title: JSON.stringify({ en: `Commitment ${code}` }),
        problem: '{}',
        status_quo: '{}',
        action: '{}',
        contribution: '{}',
        long_term_goal: '{}',
        ogp_values: '[]',
        policy_areas: '[]',
        starts_on: '2024-01-01',
        ends_on: '2025-12-31',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('commitment_institutions').values({ commitment_id: c.id, institution_id: f.leadId, role: 'lead' }).execute();
    ids.push(c.id);
  }
  return ids;
}

async function outboxSubjects(db: TestDatabase['db']): Promise<string[]> {
  const rows = await db.selectFrom('mail_outbox').select('subject').execute();
  return rows.map((r) => r.subject).sort();
}

/** Makes the outbox refuse the reminder of one commitment, as the database itself would refuse a bad row. */
async function failMailAbout(handle: TestDatabase, code: string): Promise<void> {
  if (handle.dialect === 'sqlite') {
    await sql
      .raw(`create trigger fail_one_reminder before insert on mail_outbox when new.subject like '%${code}%' begin select raise(abort, 'forced failure for one row'); end`)
      .execute(handle.db);
  } else {
    await sql
      .raw(
        `create function fail_one_reminder() returns trigger language plpgsql as $$ begin if new.subject like '%${code}%' then raise exception 'forced failure for one row'; end if; return new; end $$`,
      )
      .execute(handle.db);
    await sql.raw('create trigger fail_one_reminder before insert on mail_outbox for each row execute function fail_one_reminder()').execute(handle.db);
  }
}

// Cycle 1 (2024-01-01 – 2024-03-31) is due 2024-04-15: five days before, each commitment's holder is reminded.
const FIVE_DAYS_BEFORE = new Date('2024-04-10T08:00:00Z');

describeEachDatabase('reminders: one bad row does not stop the run', (get) => {
  let f: ReportingFixture;
  let others: number[];

  before(async () => {
    const { db } = get();
    f = await insertReportingFixture(db);
    others = await addCommitments(db, f);
    await generateCycles(db, f.actors.coordinator, f.planId);
  });

  test('a reminder the database refuses is logged; the others are queued, and it is tried again next run', async () => {
    const handle = get();
    await failMailAbout(handle, 'XKGJA0002');
    const { log, loud } = captureLog();
    const queued = await remindDueReports(handle.db, FIVE_DAYS_BEFORE, { locale: 'en', log });
    assert.equal(queued, 2);
    const subjects = await outboxSubjects(handle.db);
    assert.equal(subjects.length, 2);
    assert.ok(subjects.some((s) => s.includes('XKGJA0001')));
    assert.ok(subjects.some((s) => s.includes('XKGJA0003')));
    assert.ok(!subjects.some((s) => s.includes('XKGJA0002')));
    const failures = loud();
    assert.equal(failures.length, 1, JSON.stringify(failures));
    assert.equal(failures[0]!.level, 'error');
    assert.equal(failures[0]!.obj.commitmentId, others[0]);
    // Nothing was remembered for the refused one: the next run tries it again (and only it).
    const sent = await rdb(handle.db).selectFrom('reminders_sent').select('commitment_id').execute();
    assert.deepEqual(sent.map((r) => r.commitment_id).sort((a, b) => a - b), [f.commitmentId, others[1]!].sort((a, b) => a - b));
    await sql.raw('drop trigger fail_one_reminder' + (handle.dialect === 'postgres' ? ' on mail_outbox' : '')).execute(handle.db);
    const again = captureLog();
    assert.equal(await remindDueReports(handle.db, FIVE_DAYS_BEFORE, { locale: 'en', log: again.log }), 1);
    assert.deepEqual(again.loud(), []);
    assert.equal((await outboxSubjects(handle.db)).filter((s) => s.includes('XKGJA0002')).length, 1);
  });

  test('a title with a NUL byte (refused by PostgreSQL) costs only its own reminder', async () => {
    const handle = get();
    // The overdue reminders of cycle 1: a NUL in one commitment's title.
    await handle.db
      .updateTable('commitments')
      .set({ title: JSON.stringify({ en: 'Bad \u0000 title' }) })
      .where('id', '=', others[1]!)
      .execute();
    const { log, loud } = captureLog();
    const queued = await remindDueReports(handle.db, new Date('2024-04-20T08:00:00Z'), { locale: 'en', log });
    const overdue = (await outboxSubjects(handle.db)).filter((s) => /overdue/i.test(s));
    assert.ok(overdue.some((s) => s.includes('XKGJA0001')), overdue.join('\n'));
    assert.ok(overdue.some((s) => s.includes('XKGJA0002')), overdue.join('\n'));
    if (handle.dialect === 'postgres') {
      assert.equal(queued, 2);
      assert.equal(loud().length, 1);
      assert.equal(loud()[0]!.obj.commitmentId, others[1]);
    } else {
      assert.equal(queued, 3);
      assert.deepEqual(loud(), []);
    }
  });
});

describeEachDatabase('reminders: two processes at once', (get) => {
  let f: ReportingFixture;

  before(async () => {
    const { db } = get();
    f = await insertReportingFixture(db);
    await addCommitments(db, f);
    await generateCycles(db, f.actors.coordinator, f.planId);
  });

  test('two runs in parallel: one reminder each, no error logged, the loser simply skips', async () => {
    const handle = get();
    const { db } = handle;
    if (handle.dialect === 'postgres') {
      // Each queued message takes a moment, so both runs have read "not yet sent" before either commits.
      await sql.raw(`create function slow_mail() returns trigger language plpgsql as $$ begin perform pg_sleep(0.2); return new; end $$`).execute(db);
      await sql.raw('create trigger slow_mail before insert on mail_outbox for each row execute function slow_mail()').execute(db);
    }
    const first = captureLog();
    const second = captureLog();
    const results = await Promise.allSettled([
      remindDueReports(db, FIVE_DAYS_BEFORE, { locale: 'en', log: first.log }),
      remindDueReports(db, FIVE_DAYS_BEFORE, { locale: 'en', log: second.log }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled'],
      results.map((r) => (r.status === 'rejected' ? String(r.reason) : '')).join(' '),
    );
    const counts = results.map((r) => (r.status === 'fulfilled' ? r.value : 0));
    assert.equal(counts[0]! + counts[1]!, 3, `queued ${counts.join(' + ')}`);
    assert.deepEqual([...first.loud(), ...second.loud()], []);
    const subjects = await outboxSubjects(db);
    assert.equal(subjects.length, 3, subjects.join('\n'));
    for (const code of ['XKGJA0001', 'XKGJA0002', 'XKGJA0003']) assert.equal(subjects.filter((s) => s.includes(code)).length, 1, code);
    assert.equal((await rdb(db).selectFrom('reminders_sent').select('user_id').execute()).length, 3);
  });
});
