import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import ICAL from 'ical.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { insertSession } from '../accounts/index.js';
import { remindUpcomingMeetings } from './commands.js';
import { mdb } from './tables.js';
import { insertMeetingsFixture, type MeetingsFixture } from '../../../test/meetings-fixture.js';

const ADMIN = '/en/admin/jurisdictions/gjakova/meetings';

for (const dialect of DIALECTS) {
  describe(`meetings routes [${dialect}]`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let f: MeetingsFixture;
    let secretary = '';
    let holder = '';

    before(async () => {
      database = await openTestDatabase(dialect);
      app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', BESA_PUBLIC_URL: 'https://besa.example.org' } as NodeJS.ProcessEnv), database });
      f = await insertMeetingsFixture(database.db);
      secretary = await insertSession(database.db, f.secretaryId);
      holder = await insertSession(database.db, f.users.holder);
    });

    after(async () => {
      await app.close();
      await database.destroy();
    });

    function get(url: string, session?: string) {
      return app.inject({ method: 'GET', url, cookies: session ? { besa_session: session } : {} });
    }

    async function post(url: string, session: string, fields: [string, string][]) {
      const page = await get('/en/login');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token && cookie);
      return app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams([['_csrf', token], ...fields]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { besa_session: session, _csrf: cookie },
      });
    }

    async function valid(url: string, session?: string): Promise<string> {
      const res = await get(url, session);
      assert.equal(res.statusCode, 200, `GET ${url}: ${res.statusCode}`);
      assert.deepEqual(await htmlErrors(res.body), [], url);
      return res.body;
    }

    const meetingFields = (day: string, extra: [string, string][] = []): [string, string][] => [
      ['content_locale', 'en'],
      ['body', String(f.forumId)],
      ['kind', 'forum'],
      ['title', 'Forum of January'],
      ['place', 'Town hall'],
      ['accessibility_note', ''],
      ['start_date', day],
      ['start_time', '18:00'],
      ['end_date', day],
      ['end_time', '20:00'],
      ['online_url', ''],
      ['step_free', '1'],
      ['sign_language', ''],
      ['languages', 'sq'],
      ['languages', 'sr'],
      ['cycle', ''],
      ...extra,
    ];

    let first = 0;
    let second = 0;

    test('a commitment holder cannot open the meetings administration', async () => {
      assert.equal((await get(ADMIN, holder)).statusCode, 403);
      assert.equal((await post(`${ADMIN}/new`, holder, meetingFields('2026-01-15'))).statusCode, 403);
    });

    test('the forum secretary schedules a meeting; errors keep what was typed', async () => {
      await valid(ADMIN, secretary);
      await valid(`${ADMIN}/new`, secretary);
      const refused = await post(`${ADMIN}/new`, secretary, meetingFields('2026-01-15', [['end_time', '17:00']]).filter(([k]) => k !== 'end_time' || true).map(([k, v]) => (k === 'end_time' ? [k, '25:00'] : [k, v])) as [string, string][]);
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Enter a time as HH:MM/);
      assert.match(refused.body, /value="Forum of January"/);
      assert.deepEqual(await htmlErrors(refused.body), []);
      const res = await post(`${ADMIN}/new`, secretary, meetingFields('2026-01-15'));
      assert.equal(res.statusCode, 303);
      first = Number(/\/meetings\/(\d+)$/.exec(res.headers.location as string)![1]);
      const row = await mdb(database.db).selectFrom('meetings').selectAll().where('id', '=', first).executeTakeFirstOrThrow();
      assert.equal(row.starts_at, '2026-01-15T17:00:00.000Z');
      assert.equal(row.languages, '["sq","sr"]');
    });

    test('agenda and guests; the public page shows them, a guest name only with consent', async () => {
      await valid(`${ADMIN}/${first}/agenda`, secretary);
      const res = await post(`${ADMIN}/${first}/agenda`, secretary, [
        ['content_locale', 'en'],
        ['agenda_title_0', 'Progress of the first cycle'],
        ['agenda_commitment_0', String(f.commitmentId)],
        ['agenda_cycle_0', ''],
        ['agenda_title_1', ''],
        ['agenda_commitment_1', ''],
        ['agenda_cycle_1', ''],
        ['doc_title_0', 'Draft agenda'],
        ['doc_url_0', 'https://gjakova.example.org/agenda.pdf'],
        ['guest_name_0', 'Besnik Gashi'],
        ['guest_public_0', '1'],
        ['guest_org_0', 'University of Gjakova'],
        ['guest_reason_0', 'Open data expert'],
        ['guest_name_1', 'Secret Guest'],
        ['guest_org_1', 'Community association'],
        ['guest_reason_1', ''],
      ]);
      assert.equal(res.statusCode, 303);
      for (const locale of ['en', 'sq']) {
        const page = await valid(`/${locale}/gjakova/meetings/${first}`);
        assert.match(page, /Progress of the first cycle/);
        assert.match(page, /Besnik Gashi/);
        assert.doesNotMatch(page, /Secret Guest/);
        assert.match(page, /Community association/);
        assert.match(page, /Europe\/Belgrade, UTC\+1/);
        assert.match(page, /rel="alternate" type="text\/calendar"/);
      }
      const sq = await valid('/sq/gjakova/meetings');
      assert.match(sq, /Takimet e ardhshme/);
      await valid('/en/gjakova/bodies/forum/meetings');
    });

    test('the feeds are text/calendar and parse', async () => {
      for (const url of ['/en/gjakova/meetings.ics', '/sq/gjakova/bodies/forum/meetings.ics']) {
        const res = await get(url);
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^text\/calendar/);
        const events = new ICAL.Component(ICAL.parse(res.body)).getAllSubcomponents('vevent');
        assert.equal(events.length, 1);
        assert.equal(events[0]!.getFirstProperty('dtstart')!.getParameter('tzid'), 'Europe/Belgrade');
      }
      assert.equal((await get('/en/gjakova/bodies/nobody/meetings.ics')).statusCode, 404);
    });

    test('reminders are read from the outbox', async () => {
      assert.equal(await remindUpcomingMeetings(database.db, new Date('2026-01-13T12:00:00Z'), { publicUrl: 'https://besa.example.org' }), 3);
      await valid(`${ADMIN}/${first}`, secretary);
    });

    test('held: minutes, attendance, a decision and an action item, then the next meeting approves and closes', async () => {
      await valid(`${ADMIN}/${first}/outcome`, secretary);
      let res = await post(`${ADMIN}/${first}/outcome`, secretary, [
        ['content_locale', 'en'],
        ['minutes', 'The Forum reviewed the first cycle.'],
        [`att_${f.memberIds[0]}`, 'present'],
        [`att_${f.memberIds[1]}`, 'excused'],
        [`att_${f.memberIds[2]}`, 'absent'],
      ]);
      assert.equal(res.statusCode, 303);
      res = await post(`${ADMIN}/${first}/decisions`, secretary, [['content_locale', 'en'], ['decision_text', ''], ['decision_commitments', 'NOPE1']]);
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /No commitment has the code NOPE1/);
      res = await post(`${ADMIN}/${first}/decisions`, secretary, [
        ['content_locale', 'en'],
        ['decision_text', 'Publish the budget monthly.'],
        ['votes_for', '7'],
        ['votes_against', '0'],
        ['votes_abstaining', '1'],
        ['decision_commitments', 'XKGJA0001'],
      ]);
      assert.equal(res.statusCode, 303);
      res = await post(`${ADMIN}/${first}/action-items`, secretary, [
        ['content_locale', 'en'],
        ['action_text', 'Prepare the open data list.'],
        ['owner_institution', String(f.leadId)],
        ['due_on', '2026-02-28'],
      ]);
      assert.equal(res.statusCode, 303);
      let page = await valid(`/en/gjakova/meetings/${first}`);
      assert.match(page, /These minutes are not yet approved/);
      assert.match(page, /1 present, 1 excused, 1 absent/);
      assert.match(page, /Votes: 7 for, 0 against, 1 abstaining/);
      assert.match(page, /Prepare the open data list/);

      res = await post(`${ADMIN}/new`, secretary, meetingFields('2026-02-12', [['title', 'Forum of February']]));
      second = Number(/\/meetings\/(\d+)$/.exec(res.headers.location as string)![1]);
      page = await valid(`/fr/gjakova/meetings/${second}`);
      assert.match(page, /Actions reportées des réunions précédentes/);
      assert.match(page, /Prepare the open data list/);
      await post(`${ADMIN}/${second}/outcome`, secretary, [['content_locale', 'en'], ['minutes', 'Second meeting.']]);
      const admin = await valid(`${ADMIN}/${second}`, secretary);
      assert.match(admin, /Approve the minutes of Forum of January/);
      res = await post(`${ADMIN}/${second}/approve`, secretary, [['meeting', String(first)]]);
      assert.equal(res.statusCode, 303);
      const item = (await mdb(database.db).selectFrom('action_items').select('id').executeTakeFirstOrThrow()).id;
      res = await post(`${ADMIN}/${second}/action-items/${item}`, secretary, [['content_locale', 'en'], ['status', 'done'], ['note', 'Published.']]);
      assert.equal(res.statusCode, 303);
      page = await valid(`/en/gjakova/meetings/${first}`);
      assert.match(page, /These minutes were approved at the meeting of/);
      assert.match(page, new RegExp(`href="/en/gjakova/meetings/${second}"`));
      page = await valid(`/sq/gjakova/meetings/${second}`);
      assert.match(page, /E kryer/);
      assert.match(page, /Published\./);
    });

    test('the administration of meetings in Albanian and French is valid HTML', async () => {
      for (const locale of ['sq', 'fr', 'sr-Cyrl']) {
        const base = `/${locale}/admin/jurisdictions/gjakova/meetings`;
        for (const path of [base, `${base}/new`, `${base}/${first}`, `${base}/${second}`, `${base}/${first}/edit`, `${base}/${first}/agenda`, `${base}/${first}/outcome`]) await valid(path, secretary);
      }
      assert.match(await valid(`/sq/admin/jurisdictions/gjakova/meetings/${second}`, secretary), /Regjistroni një vendim/);
    });

    test('moving and cancelling from the administration', async () => {
      await valid(`${ADMIN}/${second}/edit`, secretary);
      const third = Number(/\/meetings\/(\d+)$/.exec((await post(`${ADMIN}/new`, secretary, meetingFields('2026-07-15'))).headers.location as string)![1]);
      let res = await post(`${ADMIN}/${third}/edit`, secretary, meetingFields('2026-07-16'));
      assert.equal(res.statusCode, 303);
      res = await post(`${ADMIN}/${third}/cancel`, secretary, []);
      assert.equal(res.statusCode, 303);
      const row = await mdb(database.db).selectFrom('meetings').selectAll().where('id', '=', third).executeTakeFirstOrThrow();
      assert.deepEqual([row.status, row.sequence, row.starts_at], ['cancelled', 2, '2026-07-16T16:00:00.000Z']);
      assert.match(await valid(`/en/gjakova/meetings/${third}`), /The meeting was cancelled/);
    });
  });
}
