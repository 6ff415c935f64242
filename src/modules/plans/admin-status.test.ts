import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { DIALECTS } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors, saysStatus } from '../../../test/html.js';
import { LOCALES } from '../../i18n/locales.js';
import { createFirstAdministrator, createSetupToken } from '../accounts/commands.js';

const EDIT = '/en/admin/jurisdictions/gjakova/plans/2024-2025/edit';

function unescape(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The fields a browser would submit from the page's first form (inputs, checked boxes, textareas, selected options). */
function formFields(html: string): [string, string][] {
  const form = /<form method="post"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const fields: [string, string][] = [];
  for (const [, attrs = ''] of form.matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    if (!name) continue;
    if (/type="checkbox"/.test(attrs) && !/ checked/.test(attrs)) continue;
    fields.push([name, unescape(/value="([^"]*)"/.exec(attrs)?.[1] ?? '')]);
  }
  for (const [, name = '', text = ''] of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields.push([name, unescape(text)]);
  for (const [, name = '', options = ''] of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    fields.push([name, unescape(/<option value="([^"]*)" selected>/.exec(options)?.[1] ?? /<option value="([^"]*)"/.exec(options)?.[1] ?? '')]);
  }
  return fields;
}

/** The plan form records only the events dates cannot tell; the status everyone sees is derived from them and the dates. */
for (const dialect of DIALECTS) {
  describe(`plan administration: no status by hand [${dialect}]`, () => {
    let t: TestApp;
    let session: string;
    before(async () => {
      t = await openTestApp(dialect, {}, { now: () => new Date('2026-12-04T10:00:00Z') });
      await seedIfEmpty(t.database.db);
      session = await createFirstAdministrator(t.database.db, await createSetupToken(t.database.db), { email: 'admin@example.org', displayName: 'Admin', password: 'correct horse battery staple' });
    });
    after(async () => t.close());

    const get = (url: string) => t.app.inject({ url, cookies: { besa_session: session } });
    async function save(overrides: Record<string, string>) {
      const form = await get(EDIT);
      assert.equal(form.statusCode, 200);
      const fields = formFields(form.body).map(([k, v]): [string, string] => [k, k in overrides ? overrides[k]! : v]);
      return t.app.inject({
        method: 'POST',
        url: EDIT,
        payload: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { besa_session: session, _csrf: form.cookies.find((c) => c.name === '_csrf')?.value ?? '' },
      });
    }

    test('the form has no status select, only the withdrawal and assessment dates', async () => {
      const form = await get(EDIT);
      assert.doesNotMatch(form.body, /name="status"/);
      assert.match(form.body, /name="withdrawn_on" type="date" value=""/);
      assert.match(form.body, /name="assessed_on" type="date" value=""/);
      const page = await get('/en/admin/jurisdictions/gjakova/plans/2024-2025');
      assert.match(page.body, /<dd>Implementation ended – awaiting end-of-term assessment<\/dd>/);
      const jurisdiction = await get('/en/admin/jurisdictions/gjakova');
      assert.match(jurisdiction.body, /<td>Implementation ended – awaiting end-of-term assessment<\/td>/);
      for (const locale of LOCALES) {
        for (const path of ['plans/2024-2025/edit', 'plans/2024-2025', 'plans/2024-2025/commitments/XKGJA0001/edit', '']) {
          const url = `/${locale}/admin/jurisdictions/gjakova/${path}`.replace(/\/$/, '');
          const res = await get(url);
          assert.equal(res.statusCode, 200, url);
          assert.deepEqual(await htmlErrors(res.body), [], url);
        }
      }
    });

    test('an assessment published before the plan ends is refused; once recorded, every page says assessed', async () => {
      const early = await save({ assessed_on: '2025-06-01' });
      assert.equal(early.statusCode, 422);
      assert.match(early.body, /The end-of-term assessment cannot be published before the plan ends/);

      const saved = await save({ assessed_on: '2026-06-15' });
      assert.equal(saved.statusCode, 303, saved.body);
      const row = await t.database.db.selectFrom('action_plans').select(['assessed_on', 'withdrawn_on']).where('slug', '=', '2024-2025').executeTakeFirstOrThrow();
      assert.deepEqual(row, { assessed_on: '2026-06-15', withdrawn_on: null });
      for (const url of ['/en/gjakova/plans/2024-2025', '/en/gjakova']) {
        const page = await t.app.inject({ url });
        assert.ok(saysStatus(page.body, 'en', 'Assessed'), url);
      }
      assert.match((await t.app.inject({ url: '/en/gjakova/plans/2024-2025' })).body, /<dt>End-of-term assessment published on<\/dt><dd>15 June 2026<\/dd>/);
      assert.match((await t.app.inject({ url: '/fr/gjakova/plans/2024-2025' })).body, /<dd>Évalué<\/dd>/);
    });
  });
}
