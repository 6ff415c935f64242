import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { escapeHtml } from '@kitajs/html';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { translate, type MessageKey } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import { DIALECTS } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors, saysStatus } from '../../../test/html.js';
import { planStatusOf } from '../commitments/domain.js';

const PLAN = '/gjakova/plans/2024-2025';
const label = (locale: (typeof LOCALES)[number], key: string) => escapeHtml(translate(locale, key as MessageKey));

test('a plan’s status follows its dates and events', () => {
  const plan = { startsOn: '2024-12-01', endsOn: '2025-09-30', withdrawnOn: null, assessedOn: null };
  assert.equal(planStatusOf(plan, '2024-11-30'), 'announced');
  assert.equal(planStatusOf(plan, '2024-12-01'), 'in_implementation');
  assert.equal(planStatusOf(plan, '2025-09-30'), 'in_implementation');
  assert.equal(planStatusOf(plan, '2025-10-01'), 'implementation_ended');
  assert.equal(planStatusOf({ ...plan, assessedOn: '2026-03-01' }, '2026-02-28'), 'implementation_ended', 'an assessment counts from its day');
  assert.equal(planStatusOf({ ...plan, assessedOn: '2026-03-01' }, '2026-03-01'), 'assessed');
  assert.equal(planStatusOf({ ...plan, withdrawnOn: '2025-02-01' }, '2025-02-01'), 'withdrawn');
  assert.equal(planStatusOf({ ...plan, withdrawnOn: '2025-02-01', assessedOn: '2026-03-01' }, '2026-12-04'), 'withdrawn', 'a withdrawn plan stays withdrawn');
});

/**
 * Gjakova's plan ended on 2025-09-30. With the clock pinned to 2026-12-04, the plan and the
 * jurisdiction pages say "implementation ended" in every locale; the page cache keeps no page
 * rendered for another day.
 */
for (const dialect of DIALECTS) {
  describe(`derived statuses on Gjakova’s pages, clock pinned [${dialect}]`, () => {
    let t: TestApp;
    let now = new Date('2026-12-04T10:00:00Z');
    before(async () => {
      t = await openTestApp(dialect, {}, { now: () => now });
      await seedIfEmpty(t.database.db);
    });
    after(async () => t.close());

    const get = async (url: string) => {
      const res = await t.app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      return res.body;
    };

    test('after the plan’s end, the plan and jurisdiction pages say implementation ended, in every locale', async () => {
      now = new Date('2026-12-04T10:00:00Z');
      for (const locale of LOCALES) {
        const ended = label(locale, 'domain.planStatus.implementation_ended');
        const inImplementation = label(locale, 'domain.planStatus.in_implementation');
        for (const path of [`/${locale}${PLAN}`, `/${locale}/gjakova`]) {
          const body = await get(path);
          assert.ok(body.includes(ended), `${path}: ${ended}`);
          assert.ok(!saysStatus(body, locale, inImplementation), `${path} does not say the plan is in implementation`);
          // The commitments' periods have ended too: none is shown as merely in progress or not started.
          assert.ok(body.includes(label(locale, 'domain.milestoneStatus.ended')), `${path}: commitments ended`);
        }
      }
      assert.doesNotMatch(await get('/en/gjakova'), /Current action plan/, 'an ended plan is not called current');
      const commitment = await get(`/en${PLAN}/commitments/XKGJA0002`);
      assert.match(commitment, /Implementation period ended/);
    });

    test('the pages whose statuses, values and lenses changed are valid HTML in every locale', async () => {
      now = new Date('2026-12-04T10:00:00Z');
      for (const locale of LOCALES) {
        for (const path of [`/${locale}${PLAN}`, `/${locale}/gjakova`, `/${locale}${PLAN}/commitments/XKGJA0001`, `/${locale}${PLAN}/commitments/XKGJA0002`]) {
          assert.deepEqual(await htmlErrors(await get(path)), [], path);
        }
      }
    });

    test('the page cache serves no status from another day: the same app, the clock moved back into the plan’s period and forward again', async () => {
      now = new Date('2025-05-01T10:00:00Z');
      const during = await get(`/en${PLAN}`);
      assert.match(during, /<dd>In implementation<\/dd>/);
      assert.doesNotMatch(during, /Implementation ended/);
      const home = await get('/en/gjakova');
      assert.ok(saysStatus(home, 'en', 'In implementation'), 'the jurisdiction home says the plan is in implementation');

      now = new Date('2026-12-04T00:00:01Z');
      assert.match(await get(`/en${PLAN}`), /<dd>Implementation ended – awaiting end-of-term assessment<\/dd>/);
      assert.ok(saysStatus(await get('/en/gjakova'), 'en', 'Implementation ended – awaiting end-of-term assessment'));

      now = new Date('2024-11-15T10:00:00Z');
      assert.match(await get(`/en${PLAN}`), /<dd>Announced<\/dd>/);
    });
  });
}
