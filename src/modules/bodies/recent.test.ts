import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../i18n/index.js';
import { describeEachDatabase } from '../../../test/db.js';
import { ADMIN } from '../../../test/actors.js';
import { seedDemo } from '../../db/seeds/demo.js';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { findJurisdictionHome } from '../jurisdictions/queries.js';
import { addBodyMember, removeBodyMember } from './commands.js';
import { bodiesRecent } from './recent.js';
import { bdb } from './tables.js';

describeEachDatabase('bodies in the recent changes', (get) => {
  test("a body counts among the jurisdiction's recent changes when it or its membership changes; demonstration members label it", async () => {
    const db = get().db;
    await seedIfEmpty(db);
    let home = await findJurisdictionHome(db, 'gjakova', '2025-09-01', [bodiesRecent]);
    assert.deepEqual(home!.recent.map((c) => [c.path, c.isDemo]).sort(), [
      ['/gjakova/bodies/monitoring-body', false],
      ['/gjakova/bodies/transparency-forum', false],
    ]);
    await seedDemo(db);
    home = await findJurisdictionHome(db, 'gjakova', '2025-09-01', [bodiesRecent]);
    const forum = home!.recent.find((c) => c.path === '/gjakova/bodies/transparency-forum')!;
    assert.equal(forum.isDemo, true, 'its latest change is a demonstration member');
    const en = { locale: 'en' as const, t: translator('en'), path: '/' };
    assert.match(forum.line(en), /^mandate or membership changed on /);

    // A member leaves the monitoring body: it becomes the newest change, its own (not demonstration data).
    const body = await bdb(db).selectFrom('bodies').select('id').where('slug', '=', 'monitoring-body').executeTakeFirstOrThrow();
    // One who never attended a meeting (one who did has their term ended instead): a member who
    // joins and leaves again; the leaving is the newest change.
    const member = await addBodyMember(db, ADMIN, { bodyId: body.id, locale: 'en', organisation: 'Short-lived association', personName: '', nameConsent: false, email: '', sector: 'civil_society', representedGroups: [], role: 'member', termStart: null, termEnd: null });
    await removeBodyMember(db, ADMIN, { memberId: member.id });
    home = await findJurisdictionHome(db, 'gjakova', '2025-09-01', [bodiesRecent]);
    assert.equal(home!.recent[0]!.path, '/gjakova/bodies/monitoring-body');
    assert.equal(home!.recent[0]!.isDemo, false);
  });
});
