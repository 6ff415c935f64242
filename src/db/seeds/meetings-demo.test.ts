import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { findJurisdiction, findMeetingDetail, listMeetings } from '../../modules/meetings/queries.js';
import { seedIfEmpty } from './index.js';
import { seedDemoMeetings } from './meetings-demo.js';

describeEachDatabase('demonstration meetings', (get) => {
  test('nothing without the bodies; then labelled meetings, past and upcoming, with a carried action item; never twice', async () => {
    const db = get().db;
    await seedIfEmpty(db);
    const jurisdiction = (await findJurisdiction(db, 'gjakova'))!;
    // Gjakova's seed holds its Forum and monitoring body: take them away to see nothing added without them.
    await db.deleteFrom('bodies' as never).where('jurisdiction_id' as never, '=', jurisdiction.id as never).execute();
    assert.equal(await seedDemoMeetings(db), 0);
    const now = new Date().toISOString();
    const bodies = db.withTables<{ bodies: Record<string, unknown> & { id: number }; body_members: Record<string, unknown> & { id: number } }>();
    for (const [kind, slug] of [
      ['forum', 'forum'],
      ['monitoring_body', 'monitoring-body'],
    ] as const) {
      const body = await bodies
        .insertInto('bodies')
        .values({ jurisdiction_id: jurisdiction.id, kind, slug, name: JSON.stringify({ en: slug }), is_demo: 1, created_at: now, updated_at: now } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let i = 0; i < 4; i++) {
        await bodies
          .insertInto('body_members')
          .values({ body_id: body.id, organisation: JSON.stringify({ en: `Organisation ${i}` }), sector: 'civil_society', role: 'member', is_demo: 1, position: i, created_at: now, updated_at: now } as never)
          .execute();
      }
    }
    assert.equal(await seedDemoMeetings(db), 5);
    assert.equal(await seedDemoMeetings(db), 0);
    const meetings = await listMeetings(db, jurisdiction.id);
    assert.equal(meetings.length, 5);
    assert.ok(meetings.every((m) => m.isDemo));
    const today = new Date().toISOString();
    assert.equal(meetings.filter((m) => m.startsAt > today).length, 2);
    const upcoming = meetings.find((m) => m.startsAt > today && m.kind === 'forum')!;
    const detail = (await findMeetingDetail(db, jurisdiction, upcoming.id))!;
    assert.equal(detail.carried.length, 1);
    assert.equal(detail.carried[0]!.status, 'in_progress');
    const held = meetings.filter((m) => m.status === 'held' && m.kind === 'forum');
    const first = (await findMeetingDetail(db, jurisdiction, held[0]!.id))!;
    assert.equal(first.minutesApprovedIn?.id, held[1]!.id);
    assert.ok(first.minutes.en && first.minutes.sq);
    assert.equal(first.decisions[0]!.text.sq, 'Krijohet një grup punues për të dhëna të hapura.');
    assert.equal(first.attendance.filter((a) => a.status === 'excused').length, 1);
  });
});
