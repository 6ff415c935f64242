import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { DIALECTS } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { insertReportingFixture, TINY_PDF, TINY_PNG, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { insertSession } from '../accounts/index.js';
import { SYSTEM } from '../audit/index.js';
import { generateCycles, saveProgressUpdate } from './commands.js';
import { findCycleByNumber } from './repository.js';
import { rdb } from './tables.js';
import { utcOffset } from '../../i18n/index.js';

/**
 * The reporting administration guides each person: reports grouped by what they must do next,
 * overdue ones marked (derived from the day, here pinned by the app's clock), a submitted report
 * read as a document, and publishing only after a confirmation that says what becomes public.
 */

const CYCLES = '/en/admin/jurisdictions/gjakova/plans/2024-2025/cycles';

/** The section of a group on the overview page (`group-<id>`), or '' when absent. */
function group(body: string, id: string): string {
  return new RegExp(`aria-labelledby="group-${id}">(.*?)</section>`, 's').exec(body)?.[1] ?? '';
}

for (const dialect of DIALECTS) {
  describe(`reporting administration that guides [${dialect}]`, () => {
    let t: TestApp;
    let f: ReportingFixture;
    /** The app's clock: 1 May 2024, after cycle 1 was due (15 April 2024), before cycle 2 is (15 July 2024). */
    let clock = new Date('2024-05-01T09:00:00Z');
    const sessions = { admin: '', coordinator: '', holder: '', otherHolder: '' };

    before(async () => {
      t = await openTestApp(dialect, {}, { now: () => clock });
      f = await insertReportingFixture(t.database.db);
      await generateCycles(t.database.db, SYSTEM, f.planId);
      for (const who of Object.keys(sessions) as (keyof typeof sessions)[]) sessions[who] = await insertSession(t.database.db, f.users[who]);
    });
    after(() => t?.close());

    const get = async (url: string, who: keyof typeof sessions) => {
      const res = await t.app.inject({ url, cookies: { besa_session: sessions[who] } });
      assert.equal(res.statusCode, 200, `GET ${url} as ${who}`);
      return res.body;
    };

    /** The holder files (and submits) the update of a cycle through the command, with evidence files. */
    async function submit(number: number, submitIt = true) {
      const cycle = await findCycleByNumber(t.database.db, f.planId, number);
      const [m1, m2] = f.milestoneIds;
      await saveProgressUpdate(t.database.db, f.actors.holder, {
        cycleId: cycle!.id,
        commitmentId: f.commitmentId,
        locale: 'en',
        summary: 'The budget is now published every month.',
        items: [
          { milestoneId: m1, status: 'delayed', completion: 'limited', narrative: 'Two months published.', obstacles: ['procurement'], obstacleNote: '', links: ['https://gjakova.example.org/budget'] },
          { milestoneId: m2, status: 'not_started', completion: 'not_started', narrative: '', obstacles: ['staffing'], obstacleNote: '', links: [] },
        ],
        files: [
          { field: 'files_general', milestoneId: null, filename: 'minutes.pdf', content: TINY_PDF, truncated: false },
          { field: `m${m1}_files`, milestoneId: m1, filename: 'photo.png', content: TINY_PNG, truncated: false },
        ],
        removeFileIds: [],
        submit: submitIt,
        formToken: null,
      });
    }

    test('a report past its due date and not submitted is marked overdue, from the day, on the holder’s and coordinator’s pages', async () => {
      const holder = await get('/en/admin/reporting', 'holder');
      const toFill = group(holder, 'to-fill');
      assert.match(toFill, /cycles\/1\/updates\/XKGJA0001/);
      assert.match(toFill, /cycles\/2\/updates\/XKGJA0001/);
      assert.match(toFill, /Overdue since 15 April 2024/);
      assert.doesNotMatch(toFill, /Overdue since 15 July 2024/, 'cycle 2 is not due yet');
      assert.ok(toFill.indexOf('cycles/1/') < toFill.indexOf('cycles/2/'), 'overdue first');

      const coordinator = await get('/en/admin/reporting', 'coordinator');
      const overdue = group(coordinator, 'overdue');
      assert.match(overdue, /cycles\/1\/updates\/XKGJA0001/);
      assert.match(overdue, /Information Office/, 'the institution that is late is named');
      assert.doesNotMatch(overdue, /cycles\/2\//);
      assert.equal(group(coordinator, 'to-fill'), '', 'a coordinator has nothing "to fill in"');

      assert.match(await get(`${CYCLES}/1`, 'coordinator'), /<strong class="overdue">Overdue since 15 April 2024<\/strong>/);
      assert.match(await get(`${CYCLES}/1/updates/XKGJA0001`, 'holder'), /Overdue since 15 April 2024/);
      assert.doesNotMatch(await get(`${CYCLES}/2/updates/XKGJA0001`, 'holder'), /Overdue since/);

      // The same report, seen on the day it was due: not overdue yet (nothing stored, all derived).
      clock = new Date('2024-04-15T12:00:00Z');
      assert.doesNotMatch(await get('/en/admin/reporting', 'holder'), /Overdue since/);
      assert.doesNotMatch(await get('/sq/admin/reporting', 'holder'), /Me vonesë që nga/);
      clock = new Date('2024-05-01T09:00:00Z');
      assert.match(await get('/sq/admin/reporting', 'holder'), /Me vonesë që nga 15 prill 2024/);
      assert.match(await get('/fr/admin/reporting', 'holder'), /En retard depuis le 15 avril 2024/);
    });

    test('a submitted report is under "waiting for your review" for the coordinator and the administrator, never under "to fill in"', async () => {
      await submit(1);
      for (const who of ['coordinator', 'admin'] as const) {
        const body = await get('/en/admin/reporting', who);
        assert.match(group(body, 'to-review'), /cycles\/1\/updates\/XKGJA0001/, who);
        assert.doesNotMatch(group(body, 'overdue'), /cycles\/1\/updates/, `${who}: submitted is not overdue`);
        assert.doesNotMatch(body, /To fill in/, `${who}: no "to fill in" list`);
        assert.deepEqual(await htmlErrors(body), [], who);
      }
      const holder = await get('/en/admin/reporting', 'holder');
      assert.doesNotMatch(group(holder, 'to-fill'), /cycles\/1\/updates/, 'the holder no longer has it to fill in');
      assert.match(group(holder, 'submitted'), /cycles\/1\/updates\/XKGJA0001/, 'it waits for the coordinator');
      assert.deepEqual(await htmlErrors(holder), []);
      // A draft is in progress for the coordinator (not due yet), and still to fill in for the holder.
      await submit(2, false);
      assert.match(group(await get('/en/admin/reporting', 'coordinator'), 'in-progress'), /cycles\/2\/updates\/XKGJA0001/);
      assert.match(group(await get('/en/admin/reporting', 'holder'), 'to-fill'), /cycles\/2\/updates\/XKGJA0001/);
      // Another institution's holder sees none of it.
      assert.doesNotMatch(await get('/en/admin/reporting', 'otherHolder'), /\/updates\//);
    });

    test('a submitted report reads as a document, with no form control, and says what happens next to whoever reads it', async () => {
      const url = `${CYCLES}/1/updates/XKGJA0001`;
      const holder = await get(url, 'holder');
      const main = /<main[^>]*>(.*)<\/main>/s.exec(holder)?.[1] ?? '';
      assert.doesNotMatch(main, /<(input|select|textarea|fieldset|button)\b/, 'no form control for the holder');
      assert.match(main, /<h2 id="document-title">The report<\/h2>/);
      assert.match(main, /Two months published\./);
      assert.match(main, /Completion<\/dt><dd>Limited<\/dd>/);
      assert.match(main, /<a href="\/evidence\/\d+\/minutes\.pdf">minutes\.pdf<\/a>/);
      assert.match(main, /<a href="\/evidence\/\d+\/photo\.png">photo\.png<\/a>/);
      assert.match(main, /<li>Procurement<\/li>/);
      assert.match(main, /You submitted this update on .*The coordinator will review it/);
      assert.doesNotMatch(main, /will publish it/);

      const coordinator = await get(url, 'coordinator');
      assert.match(coordinator, /Submitted by holder on \d{1,2} \w+ \d{4} at \d{2}:\d{2} \(UTC\): review and publish or return it\./, 'the time of day in the jurisdiction’s zone (the fixture’s is UTC), named');
      // In Kosovo's zone, the same instant is written an hour or two later, the zone and offset named.
      const stored = await rdb(t.database.db).selectFrom('progress_updates').select('submitted_at').where('commitment_id', '=', f.commitmentId).where('status', '=', 'submitted').executeTakeFirstOrThrow();
      await t.database.db.updateTable('jurisdictions').set({ time_zone: 'Europe/Belgrade' }).where('slug', '=', 'gjakova').execute();
      const local = await get(url, 'coordinator');
      await t.database.db.updateTable('jurisdictions').set({ time_zone: 'UTC' }).where('slug', '=', 'gjakova').execute();
      const submitted = new Date(stored.submitted_at!);
      const offset = Number(utcOffset(submitted, 'Europe/Belgrade').slice(4)); // 1 in winter, 2 in summer
      const hour = String((submitted.getUTCHours() + offset) % 24).padStart(2, '0');
      assert.match(local, new RegExp(`Submitted by holder on \\d{1,2} \\w+ \\d{4} at ${hour}:\\d{2} \\(Europe/Belgrade, UTC\\+${offset}\\): review`));
      const document = /<section class="update-document"[^>]*>(.*?)<section class="panel"/s.exec(coordinator)?.[1] ?? '';
      assert.ok(document.length > 0);
      assert.doesNotMatch(document, /<(input|select|textarea|fieldset)\b/, 'the document part has no form control');
      assert.match(coordinator, /action="[^"]+\/publish"/);
      assert.deepEqual(await htmlErrors(holder), []);
      assert.deepEqual(await htmlErrors(coordinator), []);
    });

    test('publishing asks for confirmation and says what becomes public; only the confirmed POST publishes', async () => {
      const url = `${CYCLES}/1/updates/XKGJA0001`;
      const form = await t.app.inject({ url, cookies: { besa_session: sessions.coordinator } });
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const cookie = form.cookies.find((c) => c.name === '_csrf')?.value ?? '';
      const post = (fields: [string, string][], withToken = true) =>
        t.app.inject({
          method: 'POST',
          url: `${url}/publish`,
          payload: new URLSearchParams(withToken ? [['_csrf', token], ...fields] : fields).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          cookies: { besa_session: sessions.coordinator, _csrf: cookie },
        });
      const status = async () => (await rdb(t.database.db).selectFrom('progress_updates').select('status').where('commitment_id', '=', f.commitmentId).orderBy('id').executeTakeFirstOrThrow()).status;
      const logSize = async () => (await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n;

      const before = await logSize();
      const asked = await post([]);
      assert.equal(asked.statusCode, 200);
      assert.match(asked.body, /<h1>Publish the progress update for XKGJA0001\?<\/h1>/);
      assert.match(asked.body, /Published entries cannot be removed\./);
      assert.match(asked.body, /The milestone’s status becomes “Delayed” \(now “Not started”\)/);
      assert.match(asked.body, /What was done, written in English/);
      assert.match(asked.body, /The evidence files: photo\.png/);
      assert.match(asked.body, /The evidence files for the whole commitment: minutes\.pdf/);
      assert.match(asked.body, /<input type="hidden" name="confirm" value="yes"\/>/);
      assert.match(asked.body, /<input type="hidden" name="_csrf" value="[^"]+"\/>/, 'the confirmation carries its own CSRF token');
      assert.match(asked.body, new RegExp(`<a href="${url}">Cancel</a>`));
      assert.deepEqual(await htmlErrors(asked.body), []);
      assert.equal(await status(), 'submitted', 'nothing is published before the confirmation');
      assert.equal(await logSize(), before, 'nothing is written to the log');

      assert.equal((await post([['confirm', 'yes']], false)).statusCode, 403, 'the confirmation without its CSRF token is refused');
      assert.equal(await status(), 'submitted');

      const done = await post([['confirm', 'yes']]);
      assert.equal(done.statusCode, 303);
      assert.equal(await status(), 'published');
      const page = await get(url, 'coordinator');
      assert.match(page, /Published on \d{1,2} \w+ \d{4} at \d{2}:\d{2} \(UTC\): it is on the public pages and in the public history\./);
      assert.doesNotMatch(page, /action="[^"]+\/publish"/, 'nothing left to publish');
      // Asked again after publishing: no confirmation page, a message instead.
      const again = await post([]);
      assert.equal(again.statusCode, 303);
      assert.equal(again.cookies.find((c) => c.name === 'besa_flash')?.value, 'reporting.error.notSubmitted');
    });
  });
}
