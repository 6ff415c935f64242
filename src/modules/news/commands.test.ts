import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { insertMeetingsFixture, meetingInputFor, type MeetingsFixture } from '../../../test/meetings-fixture.js';
import type { Db } from '../../db/database.js';
import { ForbiddenError, SYSTEM } from '../audit/index.js';
import { scheduleMeeting } from '../meetings/commands.js';
import { mdb } from '../meetings/tables.js';
import { rdb } from '../reporting/tables.js';
import { sdb } from '../subscriptions/tables.js';
import { createNewsDraft, generateNewsDraft, NewsStateError, publishNewsItem, updateNewsItem, withdrawNewsItem, type NewsInput } from './commands.js';
import { newsFeedSource } from './feed.js';
import { newsRecent } from './history.js';
import { manifest } from './index.js';
import { findPublicNewsItem, listPublishedNews } from './queries.js';
import { ndb } from './tables.js';

const PUBLIC_URL = 'https://besa.example.org';

function log(db: Db) {
  return db.withTables<{ transparency_entries: { leaf_index: number; action: string; entity_type: string; entity_id: number | null; summary: string } }>();
}

async function entries(db: Db, action: string) {
  return log(db).selectFrom('transparency_entries').select(['entity_id', 'summary']).where('action', '=', action).orderBy('leaf_index').execute();
}

function input(f: MeetingsFixture, overrides: Partial<NewsInput> = {}): NewsInput {
  return { jurisdictionId: f.jurisdictionId, kind: 'press_release', contentLocale: 'en', title: 'Budget hearings open', summary: 'Three hearings in March.', body: 'First paragraph.\n\nSecond paragraph.', periodFrom: null, periodTo: null, ...overrides };
}

/** A cycle of the fixture's plan, and a progress update in it (published or a draft). */
async function cycle(db: Db, f: MeetingsFixture, number: number, from: string, to: string): Promise<number> {
  const now = new Date().toISOString();
  return (
    await rdb(db)
      .insertInto('reporting_cycles')
      .values({ action_plan_id: f.planId, number, label: '{}', period_start: from, period_end: to, due_on: to, status: 'open', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

async function update(db: Db, f: MeetingsFixture, cycleId: number, status: 'published' | 'draft', at: string): Promise<number> {
  return (
    await rdb(db)
      .insertInto('progress_updates')
      .values({ cycle_id: cycleId, commitment_id: f.commitmentId, status, summary: '{}', coordinator_comment: null, form_token: null, created_by: null, created_at: at, updated_at: at, first_submitted_at: null, submitted_at: null, returned_at: null, published_at: status === 'published' ? at : null })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

describeEachDatabase('news commands', (get) => {
  let db: Db;
  let f: MeetingsFixture;
  before(async () => {
    db = get().db;
    f = await insertMeetingsFixture(db);
  });

  test('a draft is private; publishing puts it in the log, the public list, the feeds, search and recent changes', async () => {
    const id = await createNewsDraft(db, f.actors.coordinator, input(f, { periodFrom: '2024-01-01', periodTo: '2024-06-30' }));
    assert.equal((await entries(db, 'news_item.published')).length, 0);
    assert.equal(await findPublicNewsItem(db, f.jurisdictionId, id), undefined, 'a draft is not public');
    assert.equal((await newsFeedSource.items(db, { kind: 'jurisdiction', id: f.jurisdictionId }, 10)).length, 0);

    await updateNewsItem(db, f.actors.coordinator, id, input(f, { contentLocale: 'sq', title: 'Dëgjimet buxhetore hapen', summary: '', body: 'Paragrafi i parë.', periodFrom: '2024-01-01', periodTo: '2024-06-30' }));
    await publishNewsItem(db, f.actors.coordinator, id);

    const published = await entries(db, 'news_item.published');
    assert.equal(published.length, 1);
    assert.equal(published[0]!.entity_id, id);
    const values = JSON.parse(published[0]!.summary) as Record<string, unknown>;
    assert.deepEqual(values.title, { en: 'Budget hearings open', sq: 'Dëgjimet buxhetore hapen' });
    assert.equal(values.kind, 'press_release');
    assert.equal(values.period_from, '2024-01-01');

    const list = await listPublishedNews(db, f.jurisdictionId, 1);
    assert.deepEqual(list.items.map((i) => i.id), [id]);
    const instance = await newsFeedSource.items(db, { kind: 'instance' }, 10);
    assert.equal(instance[0]?.key, `news:${id}`);
    assert.equal(instance[0]?.path, `/gjakova/news/${id}`);
    assert.deepEqual(await newsFeedSource.items(db, { kind: 'plan', id: f.planId }, 10), []);
    const recent = await newsRecent.recent(db, f.jurisdictionId, 5);
    assert.equal(recent[0]?.key, `news:${id}`);
    const docs = await manifest.search.documents(db, { id: f.jurisdictionId, slug: 'gjakova' }, (...v) => v.join(' '));
    assert.equal(docs.length, 1);
    assert.match(docs[0]!.body, /Paragrafi i parë/);
    // The jurisdiction's subscribers hear of it (subscriptions module: one notice, on the jurisdiction's topic).
    const notices = await sdb(db).selectFrom('subscription_notices').selectAll().where('kind', '=', 'news').execute();
    assert.equal(notices.length, 1, 'one notice for the subscribers');
    assert.equal(notices[0]!.path, `/gjakova/news/${id}`);
    assert.match(notices[0]!.title, /Dëgjimet buxhetore hapen/);

    await assert.rejects(publishNewsItem(db, f.actors.coordinator, id), NewsStateError, 'published once');
    assert.equal((await sdb(db).selectFrom('subscription_notices').select('id').where('kind', '=', 'news').execute()).length, 1, 'no second notice');
  });

  test('a change to a published item is a correction in the log; a withdrawn item leaves the list and the feeds', async () => {
    const id = await createNewsDraft(db, f.actors.admin, input(f, { title: 'To correct' }));
    await publishNewsItem(db, f.actors.admin, id);
    await updateNewsItem(db, f.actors.admin, id, input(f, { title: 'Corrected title' }));
    const corrections = (await entries(db, 'news_item.corrected')).filter((e) => e.entity_id === id);
    assert.equal(corrections.length, 1);
    assert.deepEqual(JSON.parse(corrections[0]!.summary), { values: { title: { en: 'Corrected title' } } }, 'only the changed field');
    const row = await ndb(db).selectFrom('news_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(row.corrected_at);

    await withdrawNewsItem(db, f.actors.admin, id);
    assert.equal((await entries(db, 'news_item.withdrawn')).filter((e) => e.entity_id === id).length, 1);
    assert.ok(!(await listPublishedNews(db, f.jurisdictionId, 1)).items.some((i) => i.id === id));
    assert.ok(!(await newsFeedSource.items(db, { kind: 'instance' }, 50)).some((i) => i.key === `news:${id}`));
    assert.equal((await findPublicNewsItem(db, f.jurisdictionId, id))?.status, 'withdrawn', 'its page says it was withdrawn');
    await assert.rejects(updateNewsItem(db, f.actors.admin, id, input(f)), NewsStateError);
    await assert.rejects(withdrawNewsItem(db, f.actors.admin, id), NewsStateError);
  });

  test('a draft from a period lists its published updates, not a draft one, and its meetings, in every language', async () => {
    const first = await cycle(db, f, 1, '2024-01-01', '2024-06-30');
    const second = await cycle(db, f, 2, '2024-07-01', '2024-12-31');
    const published = await update(db, f, first, 'published', '2024-03-05T10:00:00.000Z');
    const draft = await update(db, f, second, 'draft', '2024-09-05T10:00:00.000Z');
    const meeting = await scheduleMeeting(db, SYSTEM, meetingInputFor(f.jurisdictionId, f.forumId, '2024-04-10', 'Europe/Belgrade'));
    const outside = await scheduleMeeting(db, SYSTEM, meetingInputFor(f.jurisdictionId, f.forumId, '2025-04-10', 'Europe/Belgrade'));
    const jurisdiction = { id: f.jurisdictionId, slug: 'gjakova', timeZone: 'Europe/Belgrade' };
    const logBefore = (await log(db).selectFrom('transparency_entries').select('leaf_index').execute()).length;

    const byRange = await generateNewsDraft(db, f.actors.coordinator, { jurisdiction, period: { kind: 'range', from: '2024-01-01', to: '2024-12-31' }, kind: 'press_release', publicUrl: PUBLIC_URL });
    const row = await ndb(db).selectFrom('news_items').selectAll().where('id', '=', byRange).executeTakeFirstOrThrow();
    assert.equal(row.status, 'draft');
    assert.equal(row.generated, 1);
    assert.equal(row.period_from, '2024-01-01');
    const body = JSON.parse(row.body) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['en', 'fr', 'sq', 'sr-Latn']);
    assert.ok(body.en!.includes(`${PUBLIC_URL}/en/gjakova/plans/2024-2025/commitments/XKGJA0001#update-${published}`), body.en);
    assert.ok(body.fr!.includes(`${PUBLIC_URL}/fr/gjakova/plans/2024-2025/commitments/XKGJA0001#update-${published}`));
    assert.ok(!body.en!.includes(`#update-${draft}`), 'a draft update is not listed');
    assert.ok(body.en!.includes(`${PUBLIC_URL}/en/gjakova/meetings/${meeting}`));
    assert.ok(!body.en!.includes(`/meetings/${outside}`), 'a meeting outside the period is not listed');
    assert.match(body.en!, /GENERATED TEXT/);
    assert.match(JSON.parse(row.summary).en, /1 progress update, 0 reviews and 1 meeting/);
    assert.equal((await log(db).selectFrom('transparency_entries').select('leaf_index').execute()).length, logBefore, 'a draft publishes nothing');

    const byCycle = await generateNewsDraft(db, f.actors.coordinator, { jurisdiction, period: { kind: 'cycle', cycleId: second }, kind: 'news', publicUrl: PUBLIC_URL });
    const cycleBody = JSON.parse((await ndb(db).selectFrom('news_items').select('body').where('id', '=', byCycle).executeTakeFirstOrThrow()).body) as Record<string, string>;
    assert.ok(!cycleBody.en!.includes('#update-'), 'the second cycle has no published update');
    assert.match(cycleBody.en!, /None in this period/);
  });

  test('a draft marks each demonstration line in its language, and is demonstration itself when all its material is', async () => {
    const jurisdiction = { id: f.jurisdictionId, slug: 'gjakova', timeZone: 'Europe/Belgrade' };
    const period = { kind: 'range' as const, from: '2024-01-01', to: '2024-12-31' };
    const generate = async () => {
      const id = await generateNewsDraft(db, f.actors.coordinator, { jurisdiction, period, kind: 'press_release', publicUrl: PUBLIC_URL });
      const row = await ndb(db).selectFrom('news_items').select(['body', 'is_demo']).where('id', '=', id).executeTakeFirstOrThrow();
      return { isDemo: row.is_demo, body: JSON.parse(row.body) as Record<string, string> };
    };
    const lineOf = (body: string, needle: string) => body.split('\n').find((l) => l.includes(needle)) ?? '';
    const real = await generate();
    assert.equal(real.isDemo, 0);
    assert.doesNotMatch(real.body.en!, /\(demonstration\)/);

    const meetings = await mdb(db).selectFrom('meetings').select('id').where('jurisdiction_id', '=', f.jurisdictionId).execute();
    await mdb(db).updateTable('meetings').set({ is_demo: 1 }).where('jurisdiction_id', '=', f.jurisdictionId).execute();
    try {
      const mixed = await generate();
      assert.equal(mixed.isDemo, 0, 'real updates beside demonstration meetings: not a demonstration item');
      assert.match(lineOf(mixed.body.en!, '/meetings/'), /\(demonstration\): https:/);
      assert.match(lineOf(mixed.body.sq!, '/meetings/'), /\(demonstrim\): https:/);
      assert.match(lineOf(mixed.body.fr!, '/meetings/'), /\(démonstration\): https:/);
      assert.doesNotMatch(lineOf(mixed.body.en!, '#update-'), /demonstration/, 'a real update is not marked');

      await rdb(db).updateTable('action_plans').set({ is_demo: 1 }).where('id', '=', f.planId).execute();
      const demo = await generate();
      assert.equal(demo.isDemo, 1, 'all its material is demonstration');
      assert.match(lineOf(demo.body['sr-Latn']!, '#update-'), /\(demonstracija\): https:/);
    } finally {
      await rdb(db).updateTable('action_plans').set({ is_demo: 0 }).where('id', '=', f.planId).execute();
      await mdb(db).updateTable('meetings').set({ is_demo: 0 }).where('id', 'in', meetings.map((m) => m.id)).execute();
    }
  });

  test('people without the role are refused and change nothing', async () => {
    const id = await createNewsDraft(db, f.actors.coordinator, input(f, { title: 'Refusals' }));
    const count = async () => (await ndb(db).selectFrom('news_items').select('id').execute()).length;
    const before = await count();
    for (const actor of [f.actors.holder, f.secretary, f.actors.otherHolder]) {
      await assert.rejects(createNewsDraft(db, actor, input(f)), ForbiddenError);
      await assert.rejects(generateNewsDraft(db, actor, { jurisdiction: { id: f.jurisdictionId, slug: 'gjakova', timeZone: 'UTC' }, period: { kind: 'range', from: '2024-01-01', to: '2024-01-31' }, kind: 'news', publicUrl: PUBLIC_URL }), ForbiddenError);
      await assert.rejects(updateNewsItem(db, actor, id, input(f, { title: 'Changed' })), ForbiddenError);
      await assert.rejects(publishNewsItem(db, actor, id), ForbiddenError);
    }
    assert.equal(await count(), before);
    const row = await ndb(db).selectFrom('news_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'draft');
    assert.equal(JSON.parse(row.title).en, 'Refusals');
  });
});
