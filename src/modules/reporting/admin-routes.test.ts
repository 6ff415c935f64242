import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { insertSession } from '../accounts/index.js';
import { generateCycles } from './commands.js';
import { SYSTEM } from '../audit/index.js';
import { MAX_FILE_BYTES } from './domain.js';
import { htmlErrors } from '../../../test/html.js';
import { rdb } from './tables.js';
import { FAKE_PDF_HTML, insertReportingFixture, TINY_PDF, TINY_PNG, type ReportingFixture } from '../../../test/reporting-fixture.js';

const CYCLES = '/en/admin/jurisdictions/gjakova/plans/2024-2025/cycles';
const UPDATE = `${CYCLES}/1/updates/XKGJA0001`;

interface UploadFile {
  name: string;
  filename: string;
  type: string;
  content: Buffer;
}

function multipart(fields: [string, string][], files: UploadFile[] = []) {
  const boundary = `----besa${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    chunks.push(file.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const dialect of DIALECTS) {
  describe(`reporting routes [${dialect}]`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let f: ReportingFixture;
    const sessions: Record<'coordinator' | 'holder' | 'otherHolder' | 'admin', string> = { coordinator: '', holder: '', otherHolder: '', admin: '' };

    before(async () => {
      database = await openTestDatabase(dialect);
      app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database });
      f = await insertReportingFixture(database.db);
      for (const who of Object.keys(sessions) as (keyof typeof sessions)[]) sessions[who] = await insertSession(database.db, f.users[who]);
    });

    after(async () => {
      await app.close();
      await database.destroy();
    });

    function get(url: string, session?: string) {
      return app.inject({ method: 'GET', url, cookies: session ? { besa_session: session } : {} });
    }

    /** GETs a page with a form and returns its CSRF token and cookie. */
    async function openForm(url: string, session: string) {
      const res = await get(url, session);
      assert.equal(res.statusCode, 200, `GET ${url}: ${res.statusCode}`);
      const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
      const cookie = res.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token && cookie);
      return { token, cookie, body: res.body };
    }

    /** A CSRF token and its cookie (from the sign-in page: the token is bound to the cookie, not to the person). */
    async function csrfFor(_session: string) {
      const res = await get('/en/login');
      const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
      const cookie = res.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token && cookie);
      return { token, cookie };
    }

    async function postForm(url: string, session: string | undefined, fields: [string, string][]) {
      const form = session ? await csrfFor(session) : undefined;
      return app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(form ? [['_csrf', form.token], ...fields] : fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: session && form ? { besa_session: session, _csrf: form.cookie } : {},
      });
    }

    function updateFields(overrides: Record<string, string> = {}, obstacles: Record<number, string[]> = {}): [string, string][] {
      const [m1, m2] = f.milestoneIds;
      const base: Record<string, string> = {
        content: 'en',
        summary: 'The budget is now published every month.',
        [`m${m1}_status`]: 'in_progress',
        [`m${m1}_completion`]: 'limited',
        [`m${m1}_narrative`]: 'First two months published.',
        [`m${m1}_obstacle_note`]: '',
        [`m${m1}_links`]: 'https://gjakova.example.org/budget',
        [`m${m2}_status`]: 'not_started',
        [`m${m2}_completion`]: 'not_started',
        [`m${m2}_narrative`]: '',
        [`m${m2}_obstacle_note`]: '',
        [`m${m2}_links`]: '',
        action: 'save',
        ...overrides,
      };
      const out = Object.entries(base);
      for (const [id, list] of Object.entries(obstacles)) for (const o of list) out.push([`m${id}_obstacles`, o]);
      return out;
    }

    async function postUpdate(session: string, fields: [string, string][], files: UploadFile[] = [], url = UPDATE) {
      const form = await openForm(url, session);
      const hasToken = fields.some(([k]) => k === 'form_token');
      const token = /name="form_token" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const body = multipart([['_csrf', form.token], ...(hasToken ? [] : ([['form_token', token]] as [string, string][])), ...fields], files);
      return app.inject({
        method: 'POST',
        url,
        payload: body.payload,
        headers: { 'content-type': body.contentType },
        cookies: { besa_session: session, _csrf: form.cookie },
      });
    }

    async function updateRow() {
      return rdb(database.db).selectFrom('progress_updates').selectAll().where('commitment_id', '=', f.commitmentId).orderBy('id').execute();
    }

    test('anonymous visitors are sent to sign in, never shown data', async () => {
      for (const url of [CYCLES, `${CYCLES}/1`, UPDATE]) {
        const res = await get(url);
        assert.equal(res.statusCode, 303, url);
        assert.match(String(res.headers.location), /^\/en\/login\?next=/);
      }
      const res = await app.inject({ method: 'POST', url: `${CYCLES}/generate`, payload: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.statusCode, 303);
      assert.match(String(res.headers.location), /^\/en\/login/);
    });

    test('the coordinator creates the cycles; a commitment holder may not', async () => {
      const refused = await postForm(`${CYCLES}/generate`, sessions.holder, []);
      assert.equal(refused.statusCode, 403);
      const res = await postForm(`${CYCLES}/generate`, sessions.coordinator, []);
      assert.equal(res.statusCode, 303);
      const list = await get(CYCLES, sessions.coordinator);
      assert.match(list.body, /Cycle 1/);
      assert.match(list.body, /15 April 2024/);
      assert.match(list.body, /Create the cycles/);
      const asHolder = await get(CYCLES, sessions.holder);
      assert.equal(asHolder.statusCode, 200);
      assert.doesNotMatch(asHolder.body, /Create the cycles/, 'no button for what one may not do');
    });

    test('the coordinator edits a due date; bad dates are answered with 422 and kept', async () => {
      const form = await openForm(`${CYCLES}/2/edit`, sessions.coordinator);
      const post = (fields: [string, string][]) =>
        app.inject({
          method: 'POST',
          url: `${CYCLES}/2/edit`,
          payload: new URLSearchParams([['_csrf', form.token], ...fields]).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          cookies: { besa_session: sessions.coordinator, _csrf: form.cookie },
        });
      const bad = await post([
        ['label', 'Second quarter'],
        ['period_start', '2024-04-01'],
        ['period_end', '2024-06-31'],
        ['due_on', '2024-07-20'],
        ['status', 'open'],
      ]);
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /href="#field-period_end"/);
      assert.match(bad.body, /value="Second quarter"/);
      assert.match(bad.body, /value="2024-06-31"/);
      const ok = await post([
        ['label', 'Second quarter'],
        ['period_start', '2024-04-01'],
        ['period_end', '2024-06-30'],
        ['due_on', '2024-07-20'],
        ['status', 'open'],
      ]);
      assert.equal(ok.statusCode, 303);
      const cycle = await rdb(database.db).selectFrom('reporting_cycles').selectAll().where('number', '=', 2).executeTakeFirstOrThrow();
      assert.equal(cycle.due_on, '2024-07-20');
      assert.equal(JSON.parse(cycle.label).en, 'Second quarter');
      const holderEdit = await get(`${CYCLES}/2/edit`, sessions.holder);
      assert.equal(holderEdit.statusCode, 403);
    });

    test('a holder of another institution cannot open or file the update', async () => {
      const page = await get(UPDATE, sessions.otherHolder);
      assert.equal(page.statusCode, 403);
      const form = await csrfFor(sessions.otherHolder);
      const body = multipart([['_csrf', form.token], ...updateFields()]);
      const res = await app.inject({
        method: 'POST',
        url: UPDATE,
        payload: body.payload,
        headers: { 'content-type': body.contentType },
        cookies: { besa_session: sessions.otherHolder, _csrf: form.cookie },
      });
      assert.equal(res.statusCode, 403);
      assert.equal((await updateRow()).length, 0);
    });

    test('obstacles are required for a milestone not started: 422, the error summary, nothing typed lost', async () => {
      const res = await postUpdate(sessions.holder, updateFields());
      assert.equal(res.statusCode, 422);
      const m2 = f.milestoneIds[1];
      assert.match(res.body, new RegExp(`href="#field-m${m2}_obstacles"`));
      assert.match(res.body, /Choose at least one obstacle/);
      assert.match(res.body, /First two months published\./);
      assert.match(res.body, /The budget is now published every month\./);
      assert.match(res.body, /https:\/\/gjakova\.example\.org\/budget/);
      assert.equal((await updateRow()).length, 0);
    });

    test('text that cannot be stored (NUL, a control character) is refused with the form kept, nothing stored', async () => {
      const m1 = f.milestoneIds[0];
      const obstacles = { [f.milestoneIds[1]]: ['staffing'] };
      const res = await postUpdate(sessions.holder, updateFields({ summary: 'Budget\u0000 published', [`m${m1}_narrative`]: 'Two months\u0007 done.' }, obstacles));
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /href="#field-summary"/);
      assert.match(res.body, new RegExp(`href="#field-m${m1}_narrative"`));
      assert.match(res.body, /cannot be stored/);
      assert.match(res.body, /Budget published/);
      assert.match(res.body, /https:\/\/gjakova\.example\.org\/budget/);
      assert.equal((await updateRow()).length, 0);
    });

    test('no completion level is pre-filled: the form offers a choice, and saving without one is refused with the rest kept', async () => {
      const [m1, m2] = f.milestoneIds;
      const form = await openForm(UPDATE, sessions.holder);
      for (const id of [m1, m2]) {
        const select = new RegExp(`<select id="field-m${id}_completion"[^>]*>(.*?)</select>`).exec(form.body)?.[1] ?? '';
        assert.match(select, /^<option value="" selected>Choose the completion level<\/option>/, `milestone ${id}: the choice comes first and is selected`);
        assert.doesNotMatch(select.slice(select.indexOf('</option>')), / selected/, `milestone ${id}: no level is selected for the holder`);
      }
      const res = await postUpdate(sessions.holder, updateFields({ [`m${m1}_completion`]: '' }, { [m2]: ['staffing'] }));
      assert.equal(res.statusCode, 422);
      assert.match(res.body, new RegExp(`href="#field-m${m1}_completion"`));
      assert.match(res.body, /First two months published\./);
      assert.equal((await updateRow()).length, 0);
      assert.deepEqual(await htmlErrors(res.body), []);
    });

    test('a disguised file is refused, a too large one too, each with a clear message and the other fields kept', async () => {
      const m1 = f.milestoneIds[0];
      const fields = updateFields({}, { [f.milestoneIds[1]]: ['funding'] });
      const disguised = await postUpdate(sessions.holder, fields, [{ name: `m${m1}_files`, filename: 'report.pdf', type: 'application/pdf', content: FAKE_PDF_HTML }]);
      assert.equal(disguised.statusCode, 422);
      assert.match(disguised.body, /“report\.pdf” is not a PDF/);
      assert.match(disguised.body, /First two months published\./);
      assert.match(disguised.body, /choose them again/);
      const big = Buffer.concat([TINY_PDF, Buffer.alloc(MAX_FILE_BYTES)]);
      const tooLarge = await postUpdate(sessions.holder, fields, [{ name: 'files_general', filename: 'big.pdf', type: 'application/pdf', content: big }]);
      assert.equal(tooLarge.statusCode, 422);
      assert.match(tooLarge.body, /“big\.pdf” is larger than 10 MB/);
      assert.match(tooLarge.body, /First two months published\./);
      assert.equal((await updateRow()).length, 0);
    });

    test('the lead institution’s holder files with files, submits once even when the form is sent twice, and cannot publish', async () => {
      const m1 = f.milestoneIds[0];
      const saved = await postUpdate(sessions.holder, updateFields({}, { [f.milestoneIds[1]]: ['funding', 'other'] }).map(([k, v]) => [k, k === `m${f.milestoneIds[1]}_obstacle_note` ? 'Budget line frozen' : v] as [string, string]), [
        { name: `m${m1}_files`, filename: 'photo.png', type: 'image/png', content: TINY_PNG },
        { name: 'files_general', filename: 'minutes.pdf', type: 'application/pdf', content: TINY_PDF },
      ]);
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
      let rows = await updateRow();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.status, 'draft');

      const form = await openForm(UPDATE, sessions.holder);
      assert.match(form.body, /photo\.png/);
      assert.match(form.body, /Budget line frozen/);
      const token = /name="form_token" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const fields: [string, string][] = [['_csrf', form.token], ['form_token', token], ...updateFields({ action: 'submit' }, { [f.milestoneIds[1]]: ['funding'] })];
      const send = () => {
        const body = multipart(fields);
        return app.inject({ method: 'POST', url: UPDATE, payload: body.payload, headers: { 'content-type': body.contentType }, cookies: { besa_session: sessions.holder, _csrf: form.cookie } });
      };
      const first = await send();
      const second = await send();
      assert.equal(first.statusCode, 303);
      assert.equal(second.statusCode, 303);
      assert.equal(second.cookies.find((c) => c.name === 'besa_flash')?.value, 'reporting.flash.duplicate');
      rows = await updateRow();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.status, 'submitted');
      const files = await rdb(database.db).selectFrom('evidence_files').select(['id', 'filename']).orderBy('id').execute();
      assert.equal(files.length, 2, 'the files were not stored twice');

      const publish = await postForm(`${UPDATE}/publish`, sessions.holder, [['confirm', 'yes']]);
      assert.equal(publish.statusCode, 403);
      assert.equal((await updateRow())[0]!.status, 'submitted');
      const page = await get(UPDATE, sessions.holder);
      assert.match(page.body, /You submitted this update on .*The coordinator will review it/);
      assert.doesNotMatch(page.body, />Publish</);
    });

    test('evidence: private until published, then public with its detected type and safe headers', async () => {
      const files = await rdb(database.db).selectFrom('evidence_files').select(['id', 'filename', 'content_type']).orderBy('id').execute();
      const png = files.find((x) => x.filename === 'photo.png')!;
      const pdf = files.find((x) => x.filename === 'minutes.pdf')!;
      assert.equal((await get(`/evidence/${png.id}/photo.png`)).statusCode, 404);
      assert.equal((await get(`/evidence/${png.id}/photo.png`, sessions.otherHolder)).statusCode, 404);
      const own = await get(`/evidence/${png.id}/photo.png`, sessions.holder);
      assert.equal(own.statusCode, 200);
      assert.equal(own.headers['cache-control'], 'private, no-store');

      const back = await postForm(`${UPDATE}/return`, sessions.coordinator, [['comment', '']]);
      assert.equal(back.statusCode, 422);
      assert.match(back.body, /href="#field-comment"/);
      const coordinatorPage = await get(UPDATE, sessions.coordinator);
      assert.match(coordinatorPage.body, />Publish</);
      // Without the confirmation, publishing shows what becomes public and publishes nothing.
      const asked = await postForm(`${UPDATE}/publish`, sessions.coordinator, []);
      assert.equal(asked.statusCode, 200);
      assert.match(asked.body, /Publishing makes this update public and adds it permanently to the public history/);
      assert.match(asked.body, /The evidence files: photo\.png/);
      assert.match(asked.body, /The evidence files for the whole commitment: minutes\.pdf/);
      assert.match(asked.body, /<input type="hidden" name="confirm" value="yes"\/>/);
      assert.match(asked.body, /name="_csrf"/);
      assert.equal((await updateRow())[0]!.status, 'submitted', 'nothing is published before the confirmation');
      assert.deepEqual(await htmlErrors(asked.body), []);
      // Shown at the report's address: no link (language switcher, notices) leads to the POST-only one.
      assert.doesNotMatch(asked.body, /href="[^"]*\/publish"/);
      assert.match(asked.body, /href="\/sq\/admin\/[^"]*\/updates\/XKGJA0001" lang="sq"/);
      const published = await postForm(`${UPDATE}/publish`, sessions.coordinator, [['confirm', 'yes']]);
      assert.equal(published.statusCode, 303);
      assert.equal((await updateRow())[0]!.status, 'published');
      const milestone = await database.db.selectFrom('milestones').select('status').where('id', '=', f.milestoneIds[1]).executeTakeFirstOrThrow();
      assert.equal(milestone.status, 'not_started');
      const m1 = await database.db.selectFrom('milestones').select('status').where('id', '=', f.milestoneIds[0]).executeTakeFirstOrThrow();
      assert.equal(m1.status, 'in_progress');

      const image = await get(`/evidence/${png.id}/photo.png`);
      assert.equal(image.statusCode, 200);
      assert.equal(image.headers['content-type'], 'image/png');
      assert.equal(image.headers['x-content-type-options'], 'nosniff');
      assert.match(String(image.headers['content-disposition']), /^inline; filename="photo\.png"/);
      assert.ok(image.rawPayload.equals(TINY_PNG));
      const doc = await get(`/evidence/${pdf.id}/minutes.pdf`);
      assert.equal(doc.headers['content-type'], 'application/pdf');
      assert.match(String(doc.headers['content-disposition']), /^attachment; filename="minutes\.pdf"/);
      assert.equal((await get(`/evidence/${pdf.id}/other-name.pdf`)).statusCode, 404);
    });

    test('submit → return → resubmit → publish through the pages', async () => {
      const url = `${CYCLES}/3/updates/XKGJA0001`;
      const obstacles = { [f.milestoneIds[1]]: ['staffing'] };
      assert.equal((await postUpdate(sessions.holder, updateFields({ action: 'submit' }, obstacles), [], url)).statusCode, 303);
      const refused = await postForm(`${url}/return`, sessions.coordinator, [['comment', 'Please add\u0000 the minutes.']]);
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /href="#field-comment"/);
      assert.match(refused.body, /Please add the minutes\./);
      // The coordinator opens the confirmation of the first version…
      const firstConfirmation = await postForm(`${url}/publish`, sessions.coordinator, []);
      const seen = /name="submitted_at" value="([^"]+)"/.exec(firstConfirmation.body)?.[1];
      assert.ok(seen, 'the confirmation carries the version it shows');
      const back = await postForm(`${url}/return`, sessions.coordinator, [['comment', 'Please add the minutes.']]);
      assert.equal(back.statusCode, 303);
      const returned = await get(url, sessions.holder);
      assert.match(returned.body, /Please add the minutes\./);
      assert.match(returned.body, /Returned for changes/);
      const again = await postUpdate(sessions.holder, updateFields({ action: 'submit', [`m${f.milestoneIds[0]}_status`]: 'completed', [`m${f.milestoneIds[0]}_completion`]: 'complete' }, obstacles), [], url);
      assert.equal(again.statusCode, 303);
      // …and confirms it after the report was returned and submitted again: the new version is shown
      // to confirm, nothing is published.
      const stale = await postForm(`${url}/publish`, sessions.coordinator, [['confirm', 'yes'], ['submitted_at', seen]]);
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /This report was changed after you opened the confirmation/);
      const current = /name="submitted_at" value="([^"]+)"/.exec(stale.body)?.[1];
      assert.ok(current && current !== seen);
      assert.equal((await postForm(`${url}/publish`, sessions.coordinator, [['confirm', 'yes'], ['submitted_at', current]])).statusCode, 303);
      const m1 = await database.db.selectFrom('milestones').select(['status', 'completed_on']).where('id', '=', f.milestoneIds[0]).executeTakeFirstOrThrow();
      assert.equal(m1.status, 'completed');
      assert.ok(m1.completed_on);
    });

    test('the reporting pages are valid HTML, with and without errors', async () => {
      const pages: [string, string][] = [];
      for (const url of [CYCLES, `${CYCLES}/1`, `${CYCLES}/1/edit`, UPDATE, `${CYCLES}/4/updates/XKGJA0001`]) {
        const res = await get(url, sessions.coordinator);
        assert.equal(res.statusCode, 200, url);
        pages.push([url, res.body]);
      }
      const invalid = await postUpdate(sessions.holder, updateFields({ [`m${f.milestoneIds[0]}_links`]: 'not a link' }), [], `${CYCLES}/5/updates/XKGJA0001`);
      assert.equal(invalid.statusCode, 422);
      pages.push(['422 update form', invalid.body]);
      for (const [where, html] of pages) assert.deepEqual(await htmlErrors(html), [], where);
    });

    test('the cycle page lists the commitment with its update state, in another locale too', async () => {
      await generateCycles(database.db, SYSTEM, f.planId);
      const page = await get('/fr/admin/jurisdictions/gjakova/plans/2024-2025/cycles/3', sessions.coordinator);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /XKGJA0001/);
      assert.match(page.body, /Publié/);
      const sq = await get('/sq/admin/jurisdictions/gjakova/plans/2024-2025/cycles/4', sessions.holder);
      assert.match(sq.body, /Plotëso raportin për XKGJA0001/);
    });

    test('the overview lists what each person has to file or review', async () => {
      assert.equal((await get('/en/admin/reporting')).statusCode, 303);
      const holderPage = await get('/en/admin/reporting', sessions.holder);
      assert.equal(holderPage.statusCode, 200);
      assert.match(holderPage.body, /To fill in/);
      assert.match(holderPage.body, /href="\/en\/admin\/jurisdictions\/gjakova\/plans\/2024-2025\/cycles\/4\/updates\/XKGJA0001"/);
      const toFill = /aria-labelledby="group-to-fill">(.*?)<\/section>/s.exec(holderPage.body)?.[1] ?? '';
      assert.match(toFill, /cycles\/4\/updates\/XKGJA0001/);
      assert.doesNotMatch(toFill, /cycles\/1\/updates/, 'a published update is not to fill in');
      assert.match(/aria-labelledby="group-holder-published">(.*?)<\/section>/s.exec(holderPage.body)?.[1] ?? '', /cycles\/1\/updates/, 'it is listed as published');
      assert.match(holderPage.body, /href="\/en\/admin\/jurisdictions\/gjakova\/plans\/2024-2025\/cycles"/);
      const other = await get('/en/admin/reporting', sessions.otherHolder);
      assert.equal(other.statusCode, 200);
      assert.doesNotMatch(other.body, /\/updates\//);
      await postUpdate(sessions.holder, updateFields({ action: 'submit' }, { [f.milestoneIds[1]]: ['legal'] }), [], `${CYCLES}/4/updates/XKGJA0001`);
      const coordinatorPage = await get('/en/admin/reporting', sessions.coordinator);
      assert.match(coordinatorPage.body, /cycles\/4\/updates\/XKGJA0001/);
      assert.deepEqual(await htmlErrors(coordinatorPage.body), []);
    });
  });
}
