import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../i18n/index.js';
import { describeEachDatabase } from '../../../test/db.js';
import { seedDemo } from '../../db/seeds/demo.js';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { findJurisdictionHome } from '../jurisdictions/queries.js';
import { reviewsRecent } from './recent.js';

describeEachDatabase('monitoring in the recent changes', (get) => {
  test('the published monitoring report and the recorded government responses count among the jurisdiction\'s recent changes, labelled as demonstration data', async () => {
    const db = get().db;
    await seedIfEmpty(db);
    let home = await findJurisdictionHome(db, 'gjakova', '2025-09-01', [reviewsRecent]);
    assert.deepEqual(home!.recent, [], 'Gjakova alone has no monitoring report');
    await seedDemo(db);
    home = await findJurisdictionHome(db, 'gjakova', '2025-09-01', [reviewsRecent]);
    const report = home!.recent.find((c) => c.key.startsWith('monitoring-report:'));
    assert.ok(report, 'the demonstration report');
    assert.equal(report.path, '/gjakova/plans/2024-2025/monitoring/2');
    assert.equal(report.isDemo, true);
    assert.equal(report.title.en, 'Monitoring report: Cycle 2');
    const en = { locale: 'en' as const, t: translator('en'), path: '/' };
    assert.match(report.line(en), /^monitoring report published on /);
    const response = home!.recent.find((c) => c.key.startsWith('recommendation-response:'));
    assert.ok(response, 'the answered demonstration recommendation');
    assert.match(response.path, /^\/gjakova\/plans\/2024-2025\/monitoring\/2#recommendation-\d+$/);
    assert.match(response.line(en), /^government response to a recommendation recorded on /);
  });
});
