import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { translator } from '../../i18n/index.js';
import { describeEachDatabase } from '../../../test/db.js';
import { insertMeetingsFixture, meetingInputFor, type MeetingsFixture } from '../../../test/meetings-fixture.js';
import { findJurisdictionHome } from '../jurisdictions/queries.js';
import { recordMeetingOutcome, scheduleMeeting } from './commands.js';
import { meetingsRecent } from './recent.js';

describeEachDatabase('meetings in the recent changes', (get) => {
  let f: MeetingsFixture;
  before(async () => {
    f = await insertMeetingsFixture(get().db);
  });

  test('an announced meeting and its published minutes count among the jurisdiction\'s recent changes', async () => {
    const db = get().db;
    const id = await scheduleMeeting(db, f.secretary, meetingInputFor(f.jurisdictionId, f.forumId, '2025-03-12', 'Europe/Belgrade'));
    let home = await findJurisdictionHome(db, 'gjakova', '2025-03-01', [meetingsRecent]);
    assert.deepEqual(home!.recent.map((c) => [c.key, c.path]), [[`meeting:${id}`, `/gjakova/meetings/${id}`]]);
    const en = { locale: 'en' as const, t: translator('en'), path: '/' };
    assert.match(home!.recent[0]!.line(en), /^meeting on 12 March 2025 announced on /);
    await recordMeetingOutcome(db, f.secretary, id, { contentLocale: 'en', minutes: 'Held.', attendance: new Map(), guests: new Map() });
    home = await findJurisdictionHome(db, 'gjakova', '2025-03-20', [meetingsRecent]);
    const keys = home!.recent.map((c) => c.key);
    assert.ok(keys.includes(`meeting-minutes:${id}`), 'the minutes are a change of their own');
    const minutes = home!.recent.find((c) => c.key === `meeting-minutes:${id}`)!;
    assert.equal(minutes.path, `/gjakova/meetings/${id}#minutes`);
    assert.match(minutes.line(en), /^minutes published on /);
    assert.deepEqual(minutes.title, { en: 'Meeting of 2025-03-12' });
  });
});
