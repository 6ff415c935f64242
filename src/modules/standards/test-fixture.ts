import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ReportingFixture } from '../../../test/reporting-fixture.js';
import { runCommand, SYSTEM } from '../audit/index.js';

/**
 * Test data for the checklist, on top of the reporting fixture (plan 2024-01-01 to 2025-12-31,
 * commitment XKGJA0001 ending 2025-12-31): Gjakova in Europe/Belgrade, the plan submitted on
 * 15 January 2024, a forum (rules in Albanian, one current member, monthly rule) that held
 * meetings on 1 March and 1 July 2024 (00:30 local: 30 June in UTC), a monitoring review held on
 * 15 March, monitoring report 1 published on 10 June, changes to the plan's pages published on
 * 10 February and 20 May, and one endorsement, by government.
 */
const now = '2024-01-01T00:00:00.000Z';

export async function insertStandardsFixture(db: Db, f: ReportingFixture): Promise<{ forumId: number }> {
  const x = db as unknown as Kysely<any>;
  await x.updateTable('jurisdictions').set({ time_zone: 'Europe/Belgrade' }).where('id', '=', f.jurisdictionId).execute();
  await x.updateTable('action_plans').set({ submitted_on: '2024-01-15' }).where('id', '=', f.planId).execute();
  const stamp = { created_at: now, updated_at: now };
  const forum = await x
    .insertInto('bodies')
    .values({ jurisdiction_id: f.jurisdictionId, kind: 'forum', slug: 'forum', name: JSON.stringify({ en: 'Transparency Forum' }), mandate: '{}', rules: JSON.stringify({ sq: 'Rregullore' }), composition_rules: '[]', meets_every_days: 31, position: 0, is_demo: 0, ...stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  const monitoring = await x
    .insertInto('bodies')
    .values({ jurisdiction_id: f.jurisdictionId, kind: 'monitoring_body', slug: 'monitoring', name: JSON.stringify({ en: 'Monitoring body' }), mandate: '{}', rules: '{}', composition_rules: '[]', meets_every_days: null, position: 1, is_demo: 0, ...stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  const member = { body_id: forum.id, organisation: JSON.stringify({ en: 'A CSO' }), sector: 'civil_society', represented_groups: '[]', role: 'member', position: 0, is_demo: 0, ...stamp };
  await x.insertInto('body_members').values({ ...member, term_start: '2024-01-01', term_end: null }).execute();
  // A member whose term ended: not a current member.
  await x.insertInto('body_members').values({ ...member, term_start: '2023-01-01', term_end: '2023-12-31' }).execute();

  let uid = 0;
  const meeting = (body: number, kind: string, startsAt: string, status: string) =>
    x
      .insertInto('meetings')
      .values({ jurisdiction_id: f.jurisdictionId, body_id: body, kind, title: '{}', starts_at: startsAt, ends_at: startsAt, time_zone: 'Europe/Belgrade', place: '{}', languages: '[]', accessibility_note: '{}', status, uid: `m${(uid += 1)}@test`, sequence: 0, minutes: '{}', is_demo: 0, ...stamp })
      .execute();
  await meeting(forum.id, 'forum', '2024-03-01T09:00:00.000Z', 'held');
  // 00:30 on 1 July in Gjakova (UTC+2 in summer).
  await meeting(forum.id, 'forum', '2024-06-30T22:30:00.000Z', 'held');
  // Scheduled and cancelled meetings do not count.
  await meeting(forum.id, 'forum', '2024-09-01T09:00:00.000Z', 'scheduled');
  await meeting(forum.id, 'forum', '2024-10-01T09:00:00.000Z', 'cancelled');
  await meeting(monitoring.id, 'monitoring_review', '2024-03-15T09:00:00.000Z', 'held');

  const cycle = await x
    .insertInto('reporting_cycles')
    .values({ action_plan_id: f.planId, number: 1, label: '{}', period_start: '2024-01-01', period_end: '2024-03-31', due_on: '2024-04-15', status: 'closed', ...stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  await x.insertInto('monitoring_reports').values({ cycle_id: cycle.id, body_id: monitoring.id, summary: '{}', status: 'published', published_at: '2024-06-10T10:00:00.000Z', is_demo: 0, ...stamp }).execute();

  // Published through the log's own appender, then dated: the column is the copy queries read.
  const entry = async (entityType: string, entityId: number, occurredAt: string) => {
    await runCommand(db, SYSTEM, (_trx, audit) => audit.publish(`${entityType}.updated`, entityType, entityId, {}));
    const last = await x.selectFrom('transparency_entries').select((eb) => eb.fn.max('leaf_index').as('n')).executeTakeFirstOrThrow();
    await x.updateTable('transparency_entries').set({ occurred_at: occurredAt }).where('leaf_index', '=', last.n).execute();
  };
  await entry('action_plan', f.planId, '2024-02-10T12:00:00.000Z');
  await entry('milestone', f.milestoneIds[0], '2024-05-20T09:00:00.000Z');
  // Changes to other things than this plan's pages do not count.
  await entry('institution', f.leadId, '2024-09-01T09:00:00.000Z');
  await entry('action_plan', f.planId + 1000, '2024-09-01T09:00:00.000Z');

  await x.insertInto('endorsements').values({ action_plan_id: f.planId, position: 0, organization: 'Municipality of Gjakova', sector: 'government' }).execute();
  return { forumId: forum.id };
}

