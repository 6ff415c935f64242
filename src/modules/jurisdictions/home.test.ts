import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { translator } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { PageContext } from '../../ui/context.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../reporting/commands.js';
import { listCycles } from '../reporting/repository.js';
import { describeEachDatabase } from '../../../test/db.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { findJurisdictionHome, listHomeCards } from './queries.js';
import type { RecentSource } from '../manifest.js';
import { reportingRecent } from '../reporting/recent.js';
import { daysBetween, storySentences } from './public-views.js';

function ctx(locale: Locale): PageContext {
  return { locale, t: translator(locale), path: '/' };
}

test('days between two ISO dates, across a change of month and year', () => {
  assert.equal(daysBetween('2025-06-30', '2025-07-15'), 15);
  assert.equal(daysBetween('2024-12-31', '2025-01-01'), 1);
  assert.equal(daysBetween('2025-07-15', '2025-07-15'), 0);
});

describeEachDatabase('jurisdiction homes', (get) => {
  let f: ReportingFixture;
  let other: ReportingFixture;

  before(async () => {
    f = await insertReportingFixture(get().db);
    other = await insertReportingFixture(get().db, 'prizren');
  });

  test('a plan with nothing reported reads as new: when it started, that nothing is reported, when the first milestones are due', async () => {
    const home = await findJurisdictionHome(get().db, 'gjakova', '2024-06-01');
    const story = home?.current;
    assert.ok(story);
    assert.equal(story.publishedUpdates, 0);
    assert.equal(story.milestoneCount, 2);
    assert.equal(story.firstDueOn, '2025-06-30');
    assert.equal(story.overdueCount, 0);
    assert.deepEqual(
      story.next.map((m) => m.code),
      ['XKGJA0001.1', 'XKGJA0001.2'],
    );
    assert.deepEqual(storySentences(ctx('en'), story, '2024-06-01'), [
      'Implementation started on 1 January 2024.',
      'No progress has been reported yet.',
      'The first milestones are due on 30 June 2025.',
    ]);
    // Before the start, the same plan says when it starts.
    const early = await findJurisdictionHome(get().db, 'gjakova', '2023-12-01');
    assert.equal(storySentences(ctx('fr'), early!.current!, '2023-12-01')[0], 'La mise en œuvre commence le 1 janvier 2024.');
  });

  test('overdue milestones are counted on the given day, with how late they are; a completed one is not late', async () => {
    const { db } = get();
    const before = await findJurisdictionHome(db, 'gjakova', '2025-06-30');
    assert.equal(before!.current!.overdueCount, 0, 'due today is not late');
    const after = await findJurisdictionHome(db, 'gjakova', '2025-07-15');
    const story = after!.current!;
    assert.equal(story.overdueCount, 2);
    assert.deepEqual(
      story.overdue.map((m) => [m.code, daysBetween(m.dueOn, '2025-07-15')]),
      [
        ['XKGJA0001.1', 15],
        ['XKGJA0001.2', 15],
      ],
    );
    assert.equal(story.next.length, 0);
    assert.deepEqual(storySentences(ctx('en'), story, '2025-07-15').slice(1), ['No progress has been reported yet.', 'The first milestones were due on 30 June 2025.']);
    await db.updateTable('milestones').set({ status: 'completed', completed_on: '2025-07-01' }).where('id', '=', f.milestoneIds[0]).execute();
    const cards = await listHomeCards(db, '2025-07-15');
    const gjakova = cards.find((c) => c.slug === 'gjakova')!;
    assert.equal(gjakova.plan?.overdue, 1);
    assert.equal(gjakova.plan?.progress, 0.5);
    assert.equal((await findJurisdictionHome(db, 'gjakova', '2025-07-15'))!.current!.overdueCount, 1);
    await db.updateTable('milestones').set({ status: 'not_started', completed_on: null }).where('id', '=', f.milestoneIds[0]).execute();
  });

  test('the instance home has one card per jurisdiction with its own plan, counts and latest published report', async () => {
    const { db } = get();
    let cards = await listHomeCards(db, '2024-06-01');
    assert.deepEqual(
      cards.map((c) => [c.slug, c.plan?.summary.slug, c.plan?.commitments, c.plan?.milestones, c.plan?.progress, c.plan?.overdue, c.latestUpdate?.id]),
      [
        ['gjakova', '2024-2025', 1, 2, 0, 0, undefined],
        ['prizren', '2024-2025', 1, 2, 0, 0, undefined],
      ],
    );
    // A published update on Prizren's commitment: its card (only) names it, and its plan no longer reads as new.
    await generateCycles(db, other.actors.coordinator, other.planId);
    const cycle = (await listCycles(db, other.planId))[0]!;
    const items = other.milestoneIds.map((milestoneId) => ({ milestoneId, status: 'in_progress' as const, completion: 'limited', narrative: 'Started.', obstacles: [], obstacleNote: '', links: [] }));
    const saved = await saveProgressUpdate(db, other.actors.holder, {
      cycleId: cycle.id,
      commitmentId: other.commitmentId,
      locale: 'en',
      summary: 'Work started.',
      items,
      files: [],
      removeFileIds: [],
      submit: true,
      formToken: null,
    });
    await publishProgressUpdate(db, other.actors.coordinator, { updateId: saved.id });
    cards = await listHomeCards(db, '2024-06-01');
    assert.equal(cards.find((c) => c.slug === 'gjakova')!.latestUpdate, undefined);
    const prizren = cards.find((c) => c.slug === 'prizren')!;
    assert.equal(prizren.latestUpdate?.id, saved.id);
    assert.equal(prizren.latestUpdate?.path, '/prizren/plans/2024-2025/commitments/XKGJA0001');
    const home = await findJurisdictionHome(db, 'prizren', '2024-06-01');
    assert.equal(home!.current!.publishedUpdates, 1);
    assert.ok(!storySentences(ctx('en'), home!.current!, '2024-06-01').includes('No progress has been reported yet.'));

    // Recent changes come from every module's `recent` source, newest first, at most six.
    const later: RecentSource = {
      async recent(_db, jurisdictionId, limit) {
        return Array.from({ length: Math.min(limit, 7) }, (_, i) => ({
          key: `widget:${jurisdictionId}:${i}`,
          at: `2099-01-0${i + 1}T00:00:00.000Z`,
          title: { en: `Widget ${i}` },
          path: `/prizren/widgets/${i}`,
          isDemo: false,
          line: (c: PageContext) => `widget line in ${c.locale}`,
        }));
      },
    };
    const withReporting = await findJurisdictionHome(db, 'prizren', '2024-06-01', [reportingRecent]);
    assert.deepEqual(withReporting!.recent.map((c) => [c.key, c.path, c.code]), [[`update:${saved.id}`, `/prizren/plans/2024-2025/commitments/XKGJA0001#update-${saved.id}`, 'XKGJA0001']]);
    assert.match(withReporting!.recent[0]!.line(ctx('en')), /^progress update for Cycle 1 published on /);
    const merged = await findJurisdictionHome(db, 'prizren', '2024-06-01', [reportingRecent, later]);
    assert.deepEqual(merged!.recent.map((c) => c.key), [5, 4, 3, 2, 1, 0].map((i) => `widget:${other.jurisdictionId}:${i}`));
    const gjakova = await findJurisdictionHome(db, 'gjakova', '2024-06-01', [reportingRecent]);
    assert.deepEqual(gjakova!.recent, [], 'another jurisdiction\'s update is not its change');
  });
});
