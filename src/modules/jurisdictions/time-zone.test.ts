import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ADMIN } from '../../../test/actors.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { DIALECTS } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { seedDemo, seedIfEmpty } from '../../db/seeds/index.js';
import { translate } from '../../i18n/index.js';
import { createFirstAdministrator, createSetupToken } from '../accounts/commands.js';
import { checkPublishedState, entityHistory } from '../transparency/index.js';
import { createJurisdiction, findJurisdictionBySlug, UnknownTimeZoneError, updateJurisdiction, type JurisdictionRow } from './commands.js';

/**
 * A jurisdiction's time zone (issue 9, "History in words … local time with the zone"): stored
 * (migration 0015, 'UTC' by default), chosen on the admin form (an unknown zone is refused with
 * what was typed kept), published in the log like the jurisdiction's other fields (so the state
 * check compares it), and every time of the jurisdiction's history shown in it with the zone named.
 */

function csrfOf(page: LightMyRequestResponse): { token: string; cookie: string } {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
  assert.ok(token && cookie, 'the form has a CSRF field and cookie');
  return { token, cookie };
}

/** The page's `<time>` elements: the raw instant and the text shown. */
function times(html: string): Array<{ datetime: string; text: string }> {
  return [...html.matchAll(/<time datetime="([^"]+)">([^<]*)<\/time>/g)].map((m) => ({ datetime: m[1]!, text: m[2]! }));
}

/** An update of the jurisdiction through the command, at a fixed instant (the log stamps entries with the clock). */
async function updateAt(t: TestApp, instant: string, j: JurisdictionRow, change: Partial<{ website: string | null; timeZone: string }>): Promise<void> {
  mock.timers.enable({ apis: ['Date'], now: new Date(instant) });
  try {
    await updateJurisdiction(t.database.db, ADMIN, {
      id: j.id,
      slug: j.slug,
      kind: j.kind as 'local',
      countryCode: j.countryCode,
      website: j.website,
      contentLocale: 'en',
      name: j.name.en ?? '',
      description: j.description.en ?? '',
      ...change,
    });
  } finally {
    mock.timers.reset();
  }
}

for (const dialect of DIALECTS) {
  describe(`a jurisdiction's time zone [${dialect}]`, () => {
    let t: TestApp;
    let session: string;
    let gjakova: JurisdictionRow;
    before(async () => {
      t = await openTestApp(dialect);
      const { db } = t.database;
      await seedIfEmpty(db);
      await seedDemo(db);
      const setup = await createSetupToken(db);
      session = await createFirstAdministrator(db, setup, { email: 'admin@example.org', displayName: 'Arta Krasniqi', password: 'correct horse battery staple' });
      gjakova = (await findJurisdictionBySlug(db, 'gjakova'))!;
    });
    after(async () => {
      await t?.close();
    });
    const get = (url: string) => t.app.inject({ method: 'GET', url, cookies: { besa_session: session } });

    test('migration 0015: a jurisdiction stored without a zone is in UTC; the Gjakova seed is in Europe/Belgrade and publishes it', async () => {
      const { db } = t.database;
      const now = new Date().toISOString();
      const row = await db
        .insertInto('jurisdictions')
        .values({ slug: 'older', name: '{"en":"Older"}', kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now })
        .returning(['id', 'time_zone'])
        .executeTakeFirstOrThrow();
      assert.equal(row.time_zone, 'UTC');
      await db.deleteFrom('jurisdictions').where('id', '=', row.id).execute();

      assert.equal(gjakova.timeZone, 'Europe/Belgrade');
      const [created] = (await entityHistory(db, 'jurisdiction', gjakova.id)).filter((e) => e.action === 'jurisdiction.created');
      assert.equal((created?.summary.values as Record<string, unknown>).time_zone, 'Europe/Belgrade');
      assert.equal((await checkPublishedState(db)).ok, true);
    });

    test('the command refuses a zone Intl does not know and stores a known one in its canonical spelling', async () => {
      const { db } = t.database;
      await assert.rejects(
        createJurisdiction(db, ADMIN, { slug: 'mars', kind: 'local', countryCode: 'XK', website: null, contentLocale: 'en', name: 'Mars', description: '', timeZone: 'Mars/Olympus_Mons' }),
        UnknownTimeZoneError,
      );
      assert.equal(await findJurisdictionBySlug(db, 'mars'), undefined, 'nothing stored');
      await assert.rejects(updateAt(t, '2026-03-01T10:00:00Z', gjakova, { timeZone: '+01:00' }), UnknownTimeZoneError);
      const id = await createJurisdiction(db, ADMIN, { slug: 'prizren', kind: 'local', countryCode: 'XK', website: null, contentLocale: 'en', name: 'Prizren', description: '', timeZone: 'europe/belgrade' });
      assert.equal((await db.selectFrom('jurisdictions').select('time_zone').where('id', '=', id).executeTakeFirstOrThrow()).time_zone, 'Europe/Belgrade');
      const withoutZone = await createJurisdiction(db, ADMIN, { slug: 'peja', kind: 'local', countryCode: 'XK', website: null, contentLocale: 'en', name: 'Peja', description: '' });
      assert.equal((await db.selectFrom('jurisdictions').select('time_zone').where('id', '=', withoutZone).executeTakeFirstOrThrow()).time_zone, 'UTC');
    });

    test('the admin form offers the zones, refuses an unknown one with a clear message keeping what was typed, and saves a known one', async () => {
      const form = await get('/sq/admin/jurisdictions/gjakova/edit?content=en');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<input id="field-time_zone" name="time_zone" type="text" value="Europe\/Belgrade"[^>]*list="time-zones"/);
      assert.match(form.body, /<datalist id="time-zones">[\s\S]*<option value="Europe\/Belgrade">/);
      assert.deepEqual(await htmlErrors(form.body), []);
      const csrf = csrfOf(form);
      const post = (zone: string) =>
        t.app.inject({
          method: 'POST',
          url: '/sq/admin/jurisdictions/gjakova/edit',
          payload: new URLSearchParams({ _csrf: csrf.token, content_locale: 'en', slug: 'gjakova', kind: 'local', country_code: 'XK', website: '', time_zone: zone, name: 'Gjakova', description: gjakova.description.en ?? '' }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          cookies: { besa_session: session, _csrf: csrf.cookie },
        });
      const refused = await post('Europe/Belgrad');
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Shkruani një zonë kohore nga lista, për shembull Europe\/Belgrade/);
      assert.match(refused.body, /name="time_zone" type="text" value="Europe\/Belgrad"/, 'what was typed stays in the field');
      assert.match(refused.body, /name="name" type="text" value="Gjakova"/, 'and the rest of the form too');
      assert.equal((await findJurisdictionBySlug(t.database.db, 'gjakova'))?.timeZone, 'Europe/Belgrade', 'nothing changed');

      const saved = await post('Europe/Paris');
      assert.equal(saved.statusCode, 303);
      assert.equal((await findJurisdictionBySlug(t.database.db, 'gjakova'))?.timeZone, 'Europe/Paris');
      const page = await get('/en/admin/jurisdictions/gjakova');
      assert.match(page.body, /<dt>Time zone<\/dt>\s*<dd>Europe\/Paris<\/dd>/);
      // Published like the jurisdiction's other fields, said in words on its history.
      const history = (await get(`/en/history/jurisdiction/${gjakova.id}`)).body;
      assert.match(history, /<span>Time zone changed: <\/span><span>Europe\/Paris<\/span>/);
      assert.equal((await checkPublishedState(t.database.db)).ok, true);
      // Back to Kosovo's zone for the tests below.
      await updateAt(t, '2026-01-15T17:09:00Z', gjakova, { timeZone: 'Europe/Belgrade' });
      gjakova = (await findJurisdictionBySlug(t.database.db, 'gjakova'))!;
    });

    test('the history of Gjakova shows local times with the zone named: +1 hour in winter, +2 in summer; the raw UTC instant stays in datetime', async () => {
      await updateAt(t, '2026-07-15T16:09:00Z', gjakova, { website: 'https://gjakovakomuna.net' });
      for (const [locale, winter, summer] of [
        ['en', '15 Jan 2026, 18:09 (Europe/Belgrade, UTC+1)', '15 Jul 2026, 18:09 (Europe/Belgrade, UTC+2)'],
        ['sq', '15 jan 2026, 18:09 (Europe/Belgrade, UTC+1)', '15 korr 2026, 18:09 (Europe/Belgrade, UTC+2)'],
        ['sr-Cyrl', '15. 1. 2026. 18:09 (Europe/Belgrade, UTC+1)', '15. 7. 2026. 18:09 (Europe/Belgrade, UTC+2)'],
        ['fr', '15 janv. 2026, 18:09 (Europe/Belgrade, UTC+1)', '15 juil. 2026, 18:09 (Europe/Belgrade, UTC+2)'],
      ] as const) {
        const res = await get(`/${locale}/history/jurisdiction/${gjakova.id}`);
        assert.equal(res.statusCode, 200);
        const shown = times(res.body);
        assert.ok(shown.some((x) => x.datetime === '2026-01-15T17:09:00.000Z' && x.text === winter), `${locale}: ${JSON.stringify(shown.slice(0, 3))}`);
        assert.ok(shown.some((x) => x.datetime === '2026-07-15T16:09:00.000Z' && x.text === summer), `${locale}: ${JSON.stringify(shown.slice(0, 3))}`);
        assert.ok(shown.every((x) => /Z$/.test(x.datetime) && x.text.includes('(Europe/Belgrade, UTC+')), 'every time of the page in the jurisdiction’s zone');
      }
    });

    test('the histories of its institutions, plan, commitments and milestones use the jurisdiction’s zone; the instance-wide log page stays in UTC', async () => {
      const { db } = t.database;
      const institution = await db.selectFrom('institutions').select('id').where('jurisdiction_id', '=', gjakova.id).executeTakeFirstOrThrow();
      const plan = await db.selectFrom('action_plans').select('id').where('jurisdiction_id', '=', gjakova.id).executeTakeFirstOrThrow();
      const commitment = await db.selectFrom('commitments').select('id').where('action_plan_id', '=', plan.id).executeTakeFirstOrThrow();
      const milestone = await db.selectFrom('milestones').select('id').where('commitment_id', '=', commitment.id).executeTakeFirstOrThrow();
      for (const [kind, id] of [['institution', institution.id], ['plan', plan.id], ['commitment', commitment.id], ['milestone', milestone.id]] as const) {
        const shown = times((await get(`/en/history/${kind}/${id}`)).body);
        assert.ok(shown.length > 0, kind);
        for (const x of shown) {
          const offset = Number(/UTC\+(\d)\)$/.exec(x.text)?.[1]);
          assert.ok(offset === 1 || offset === 2, `${kind}: ${x.text}`);
          // The hour shown is the UTC hour of the raw instant plus the offset named.
          const hour = Number(/(\d{2}):\d{2} \(/.exec(x.text)?.[1]);
          assert.equal(hour, (new Date(x.datetime).getUTCHours() + offset) % 24, `${kind}: ${x.datetime} → ${x.text}`);
        }
      }
      const log = times((await get('/sq/transparency')).body);
      assert.ok(log.length > 0 && log.every((x) => / \(UTC\)$/.test(x.text)), JSON.stringify(log.slice(0, 2)));
    });

    test('a time zone changed in the database without the log is found by the state check, named in words', async () => {
      const { db } = t.database;
      await db.updateTable('jurisdictions').set({ time_zone: 'UTC' }).where('id', '=', gjakova.id).execute();
      const state = await checkPublishedState(db);
      assert.equal(state.ok, false);
      assert.equal(state.difference?.entityType, 'jurisdiction');
      assert.equal(state.difference?.field, 'time_zone');
      await db.updateTable('jurisdictions').set({ time_zone: gjakova.timeZone }).where('id', '=', gjakova.id).execute();
      assert.equal((await checkPublishedState(db)).ok, true);
      // The transparency page names the field in the reader's words.
      assert.equal(translate('en', 'transparency.problem.field', { field: 'time_zone' }), 'time zone');
      assert.equal(translate('sq', 'transparency.problem.field', { field: 'time_zone' }), 'zona kohore');
    });
  });
}
