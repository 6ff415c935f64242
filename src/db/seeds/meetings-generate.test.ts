import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { insertReportingFixture } from '../../../test/reporting-fixture.js';
import { findJurisdiction, findMeetingDetail, listMeetings } from '../../modules/meetings/queries.js';
import { generateSyntheticMeetings } from './meetings-generate.js';

describeEachDatabase('synthetic meetings at scale', (get) => {
  test('a year of monthly meetings per synthetic body, two upcoming, the last action item carried; never twice', async () => {
    const db = get().db;
    const f = await insertReportingFixture(db, 'synthetic-1');
    await insertReportingFixture(db, 'gjakova');
    const now = new Date().toISOString();
    const tables = db.withTables<{ bodies: Record<string, unknown> & { id: number }; body_members: Record<string, unknown> & { id: number } }>();
    const body = await tables
      .insertInto('bodies')
      .values({ jurisdiction_id: f.jurisdictionId, kind: 'forum', slug: 'synthetic-forum', name: JSON.stringify({ en: 'Synthetic forum' }), is_demo: 1, created_at: now, updated_at: now } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 6; i++) {
      await tables.insertInto('body_members').values({ body_id: body.id, organisation: JSON.stringify({ en: `Synthetic ${i}` }), sector: 'civil_society', role: 'member', is_demo: 1, created_at: now, updated_at: now } as never).execute();
    }
    const at = new Date();
    assert.equal(await generateSyntheticMeetings(db, at, { pastPerBody: 4, upcomingPerBody: 2 }), 6);
    assert.equal(await generateSyntheticMeetings(db, at, { pastPerBody: 4, upcomingPerBody: 2 }), 0);
    const jurisdiction = (await findJurisdiction(db, 'synthetic-1'))!;
    const meetings = await listMeetings(db, jurisdiction.id);
    assert.deepEqual(meetings.map((m) => m.status), ['held', 'held', 'held', 'held', 'scheduled', 'scheduled']);
    const next = (await findMeetingDetail(db, jurisdiction, meetings[4]!.id))!;
    assert.equal(next.carried.filter((i) => i.status === 'open').length, 1);
    const third = (await findMeetingDetail(db, jurisdiction, meetings[2]!.id))!;
    assert.equal(third.minutesApprovedIn?.id, meetings[3]!.id);
    assert.equal(third.attendance.filter((a) => a.status === 'excused').length, 1);
    assert.equal((await listMeetings(db, (await findJurisdiction(db, 'gjakova'))!.id)).length, 0, 'only synthetic jurisdictions');
  });
});
