import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { insertMeetingsFixture, meetingInputFor, preparedMeeting, type MeetingsFixture } from '../../../test/meetings-fixture.js';
import { SYSTEM } from '../audit/index.js';
import { deliverToMailbox } from '../mail/index.js';
import { approveMinutes, scheduleMeeting } from '../meetings/commands.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../reporting/commands.js';
import { listCycles } from '../reporting/repository.js';
import { publishMonitoringReport, saveReview } from '../reviews/commands.js';
import { confirmSubscription, findPendingConfirmation, requestSubscription } from './commands.js';
import { deliverImmediateNotices } from './deliver.js';
import { sdb } from './tables.js';
import { findTopic, parseTopic } from './topics.js';
import { hashToken } from '../../lib/tokens.js';

/**
 * The publishing commands of other modules tell subscribers: a published progress update (the
 * jurisdiction, the plan, the commitment), an announced meeting and its approved minutes (the
 * jurisdiction, the body), a monitoring report (the jurisdiction, the plan, each reviewed
 * commitment, the monitoring body). On both databases.
 */
describeEachDatabase('notifications from publishing commands', (get) => {
  let f: MeetingsFixture;
  let dir: string;
  let cycleId: number;
  const PUBLIC_URL = 'https://besa.example.org';

  before(async () => {
    f = await insertMeetingsFixture(get().db);
    await generateCycles(get().db, SYSTEM, f.planId);
    cycleId = (await listCycles(get().db, f.planId))[0]!.id;
    dir = await mkdtemp(join(tmpdir(), 'besa-wiring-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function lastNotice() {
    const db = sdb(get().db);
    const notice = await db.selectFrom('subscription_notices').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const topics = await db.selectFrom('subscription_notice_topics').select(['topic_type', 'topic_id']).where('notice_id', '=', notice.id).execute();
    return { ...notice, topics: topics.map((t) => `${t.topic_type}:${t.topic_id}`).sort() };
  }

  test('a published progress update reaches the commitment’s follower in their language', async () => {
    const { db } = get();
    const email = 'update.follower@example.net';
    // Subscribed and confirmed through the commands (the pages are tested in subscriptions.test.ts).
    await requestSubscription(db, { topic: { type: 'commitment', id: f.commitmentId }, email, frequency: 'immediate', locale: 'sq', clientIp: '192.0.2.1' }, { publicUrl: PUBLIC_URL });
    const [confirmation] = (await deliverToMailbox(db, dir)).filter((m) => m.to === email);
    const token = /confirm\/([A-Za-z0-9_-]+)/.exec(confirmation!.text)![1]!;
    assert.ok(await findPendingConfirmation(db, token));
    assert.ok(await confirmSubscription(db, token));
    assert.equal(await sdb(db).selectFrom('subscriptions').select('id').where('confirm_token_hash', '=', hashToken(token)).executeTakeFirst(), undefined, 'the link is used up');

    const saved = await saveProgressUpdate(db, f.actors.holder, {
      cycleId,
      commitmentId: f.commitmentId,
      locale: 'en',
      summary: 'Budget published monthly.',
      items: f.milestoneIds.map((milestoneId) => ({ milestoneId, status: 'in_progress', completion: 'limited', narrative: 'Work started.', obstacles: [], obstacleNote: '', links: [] })),
      files: [],
      removeFileIds: [],
      submit: true,
      formToken: null,
    });
    await publishProgressUpdate(db, f.actors.coordinator, { updateId: saved.id });
    const notice = await lastNotice();
    assert.equal(notice.kind, 'update');
    assert.deepEqual(notice.topics, [`commitment:${f.commitmentId}`, `jurisdiction:${f.jurisdictionId}`, `plan:${f.planId}`].sort());
    assert.equal(notice.path, `/gjakova/plans/2024-2025/commitments/XKGJA0001#update-${saved.id}`);
    assert.equal(await deliverImmediateNotices(db, { publicUrl: PUBLIC_URL }), 1);
    const [message] = (await deliverToMailbox(db, dir)).filter((m) => m.to === email && m.headers['list-unsubscribe']);
    assert.ok(message);
    assert.match(message.subject, /^Raport i progresit: XKGJA0001/);
    assert.ok(message.text.includes(`${PUBLIC_URL}/sq/gjakova/plans/2024-2025/commitments/XKGJA0001#update-${saved.id}`));
    assert.match(message.headers['list-unsubscribe']!, /^<https:\/\/besa\.example\.org\/subscriptions\/unsubscribe\/\d+\.[A-Za-z0-9_-]{43}>$/);
  });

  test('parallel requests for one address and topic make one subscription, and one of the links sent works', async () => {
    const { db } = get();
    const email = 'parallel.person@example.net';
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => requestSubscription(db, { topic: { type: 'plan', id: f.planId }, email, frequency: 'daily', locale: 'en', clientIp: `192.0.2.${n + 10}` }, { publicUrl: PUBLIC_URL })),
    );
    assert.deepEqual(new Set(results), new Set(['sent']));
    const rows = await sdb(db).selectFrom('subscriptions').select('id').where('email', '=', email).execute();
    assert.equal(rows.length, 1);
    const links = (await deliverToMailbox(db, dir)).filter((m) => m.to === email).map((m) => /confirm\/([A-Za-z0-9_-]+)/.exec(m.text)![1]!);
    assert.equal(links.length, 5);
    const working = [];
    for (const token of links) if (await findPendingConfirmation(db, token)) working.push(token);
    assert.equal(working.length, 1, 'exactly one link works');
  });

  test('what can be followed: a body, a published consultation (not a draft), nothing that does not exist', async () => {
    const { db } = get();
    const body = await findTopic(db, { type: 'body', id: f.forumId });
    assert.equal(body?.path, '/gjakova/bodies/forum');
    assert.equal(body?.jurisdictionId, f.jurisdictionId);
    const now = new Date().toISOString();
    const consultation = (published: string | null, slug: string) =>
      db
        .withTables<{ consultations: Record<string, unknown> & { id: number } }>()
        .insertInto('consultations')
        .values({ jurisdiction_id: f.jurisdictionId, slug, subject: 'topic', title: JSON.stringify({ en: 'Open budget call' }), opens_on: '2030-01-01', closes_on: '2030-02-01', published_at: published, is_demo: 1, created_at: now, updated_at: now } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
    const open = await consultation(now, 'open-budget-call');
    const draft = await consultation(null, 'draft-call');
    const found = await findTopic(db, { type: 'consultation', id: open.id });
    assert.deepEqual([found?.path, found?.isDemo, found?.title.en], ['/gjakova/consultations/open-budget-call', true, 'Open budget call']);
    assert.equal(await findTopic(db, { type: 'consultation', id: draft.id }), undefined, 'a draft cannot be followed');
    assert.equal(await findTopic(db, { type: 'plan', id: 999_999 }), undefined);
    assert.deepEqual(parseTopic(`consultation:${open.id}`), { type: 'consultation', id: open.id });
    for (const bad of ['consultation:0', 'user:1', 'plan:1:2', 'plan:-1', 'plan:1e3', ' plan', 'plan:99999999999']) assert.equal(parseTopic(bad), undefined, bad);
  });

  test('an announced meeting and its approved minutes notify the body’s followers', async () => {
    const { db } = get();
    const id = await scheduleMeeting(db, SYSTEM, meetingInputFor(f.jurisdictionId, f.forumId, '2030-05-04'));
    let notice = await lastNotice();
    assert.equal(notice.kind, 'meeting');
    assert.deepEqual(notice.topics, [`body:${f.forumId}`, `jurisdiction:${f.jurisdictionId}`].sort());
    assert.equal(notice.path, `/gjakova/meetings/${id}`);
    const later = await preparedMeeting(db, f.jurisdictionId, 1, 'approvable');
    await approveMinutes(db, SYSTEM, later, later - 1);
    notice = await lastNotice();
    assert.equal(notice.path, `/gjakova/meetings/${later - 1}`);
    assert.match(JSON.parse(notice.title).fr, /^Procès-verbal approuvé : /);
  });

  test('a monitoring report notifies the plan, the reviewed commitments and the monitoring body', async () => {
    const { db } = get();
    await saveReview(db, SYSTEM, { cycleId, commitmentId: f.commitmentId, assessment: 'on_track', ratings: {}, findings: { en: 'Findings.' }, links: [] });
    await publishMonitoringReport(db, SYSTEM, { cycleId, summary: { en: 'Summary.' } });
    const notice = await lastNotice();
    assert.equal(notice.kind, 'review');
    assert.deepEqual(notice.topics, [`body:${f.monitoringId}`, `commitment:${f.commitmentId}`, `jurisdiction:${f.jurisdictionId}`, `plan:${f.planId}`].sort());
    assert.equal(notice.path, '/gjakova/plans/2024-2025/monitoring/1');
    assert.match(JSON.parse(notice.title).en, /^Monitoring report, cycle 1: Action plan 2024–2025$/);
  });
});
