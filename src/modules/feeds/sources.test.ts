import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { describeEachDatabase } from '../../../test/db.js';
import { insertMeetingsFixture, preparedMeeting, type MeetingsFixture } from '../../../test/meetings-fixture.js';
import { insertTestConsultation } from '../../../test/response-fixture.js';
import { MODULES } from '../index.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../reporting/index.js';
import { rdb } from '../reporting/tables.js';
import type { FeedItem, FeedScope, ModuleManifest } from '../manifest.js';
import { collectFeedItems } from './collect.js';
import { emWidth, shareSvg, wrapText } from './share-image.js';
import { childSitemap, robotsTxt, sitemapDocument, urlset } from './sitemap.js';

function fakeItem(key: string, at: string, extra: Partial<FeedItem> = {}): FeedItem {
  return { key, title: { en: key }, summary: {}, path: `/x/${key}`, published: at, updated: at, isDemo: false, ...extra };
}

describe('the collector', () => {
  test('asks every module that has feeds (a module it has never heard of too), merges newest first, keeps the limit, counts a key once', async () => {
    const asked: FeedScope[] = [];
    const modules: ModuleManifest[] = [
      { name: 'plain' },
      { name: 'a', feeds: { items: async (_db, scope, limit) => (asked.push(scope), [fakeItem('a:1', '2025-01-03T00:00:00.000Z'), fakeItem('a:2', '2025-01-01T00:00:00.000Z')].slice(0, limit)) } },
      // A module added later (news, say) is picked up without any change here.
      { name: 'news', feeds: { items: async () => [fakeItem('news:1', '2025-01-02T00:00:00.000Z'), fakeItem('a:1', '2025-01-03T00:00:00.000Z')] } },
    ];
    const items = await collectFeedItems({} as never, modules, { kind: 'plan', id: 7 }, 50);
    assert.deepEqual(items.map((i) => i.key), ['a:1', 'news:1', 'a:2']);
    assert.deepEqual(asked, [{ kind: 'plan', id: 7 }]);
    assert.deepEqual((await collectFeedItems({} as never, modules, { kind: 'instance' }, 2)).map((i) => i.key), ['a:1', 'news:1']);
  });

  test('every module with published items in the feeds is in MODULES', () => {
    const names = MODULES.filter((m) => m.feeds).map((m) => m.name);
    for (const name of ['reporting', 'meetings', 'reviews', 'participation']) assert.ok(names.includes(name), name);
  });
});

describe('sitemap files', () => {
  const paths = ['/', '/a', '/b', '/c', '/d'];
  const parse = (xml: string) => {
    const errors: string[] = [];
    const doc = new DOMParser({ errorHandler: { error: (e: string) => errors.push(e), fatalError: (e: string) => errors.push(e) } }).parseFromString(xml, 'application/xml');
    assert.deepEqual(errors, []);
    return doc.documentElement!;
  };

  test('past the limit of URLs, sitemap.xml is an index of child sitemaps that together hold every URL once', () => {
    // 10 URLs a file: two paths (five languages each) per child.
    const index = parse(sitemapDocument('https://b.example', paths, 10));
    assert.equal(index.localName, 'sitemapindex');
    const children = Array.from(index.getElementsByTagName('loc')).map((l) => l.textContent);
    assert.deepEqual(children, ['https://b.example/sitemaps/1.xml', 'https://b.example/sitemaps/2.xml', 'https://b.example/sitemaps/3.xml']);
    const locs: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const child = parse(childSitemap('https://b.example', paths, n, 10)!);
      assert.equal(child.localName, 'urlset');
      const urls = child.getElementsByTagName('url');
      assert.ok(urls.length <= 10);
      for (const url of Array.from(urls)) locs.push(url.getElementsByTagName('loc')[0]!.textContent!);
    }
    assert.equal(locs.length, 25);
    assert.equal(new Set(locs).size, 25);
    assert.equal(childSitemap('https://b.example', paths, 4, 10), undefined);
    assert.equal(childSitemap('https://b.example', paths, 0, 10), undefined);
    // Under the limit: the urlset itself, no children.
    assert.equal(parse(sitemapDocument('https://b.example', paths)).localName, 'urlset');
    assert.equal(childSitemap('https://b.example', paths, 1), undefined);
  });

  test('text is escaped in the XML', () => {
    const xml = urlset('https://b.example', ['/a&b']);
    assert.ok(xml.includes('https://b.example/en/a&amp;b'));
    parse(xml);
    assert.match(robotsTxt('https://b.example'), /^Sitemap: https:\/\/b\.example\/sitemap\.xml$/m);
  });
});

describe('the share image’s drawing', () => {
  test('a title wraps into at most three lines, cut with an ellipsis', () => {
    assert.deepEqual(wrapText('Open budget', 34, 3), ['Open budget']);
    const long = 'Publikimi i të dhënave të buxhetit komunal në format të hapur çdo muaj dhe përfshirja e qytetarëve në vendimmarrje për investimet kapitale';
    const lines = wrapText(long, 34, 3);
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l) => l.length <= 34), lines.join('|'));
    assert.ok(lines[2]!.endsWith('…'));
    assert.deepEqual(wrapText('x'.repeat(50), 10, 2), ['xxxxxxxxx…']);
    // Measured: Cyrillic (wider) gives fewer words a line than the same count of Latin letters.
    const cyrillic = 'Унапређење управљања отпадом и заштите животне средине кроз подизање јавне свести';
    const measured = wrapText(cyrillic, 1040, 3, (t) => emWidth(t) * 56);
    assert.ok(measured.every((l) => emWidth(l) * 56 <= 1040));
    assert.ok(measured.length === 3 && measured[2]!.endsWith('…'));
  });

  test('every text is escaped in the SVG', () => {
    const svg = shareSvg({ jurisdiction: 'A & B', code: 'X<1>', title: '<script>alert("x")</script>', progress: 0.5, progressText: '50% complete', status: 'In progress', progressLabel: 'Progress', demo: 'Demo "data"' });
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('&lt;script&gt;alert(&quot;x&quot;)'));
    assert.ok(svg.includes('A &amp; B') && svg.includes('X&lt;1&gt;') && svg.includes('Demo &quot;data&quot;'));
    const errors: string[] = [];
    new DOMParser({ errorHandler: { error: (e: string) => errors.push(e), fatalError: (e: string) => errors.push(e) } }).parseFromString(svg, 'image/svg+xml');
    assert.deepEqual(errors, []);
  });
});

describeEachDatabase('feed sources of meetings and participation', (get) => {
  let f: MeetingsFixture;
  let meetingId: number;
  const ids: Record<string, number> = {};
  const feedsOf = (name: string) => MODULES.find((m) => m.name === name)!.feeds!;
  const keys = async (name: string, scope: FeedScope) => (await feedsOf(name).items(get().db, scope, 50)).map((i) => i.key).sort();

  before(async () => {
    const { db } = get();
    f = await insertMeetingsFixture(db);
    meetingId = await preparedMeeting(db, f.jurisdictionId, 1, 'scheduled');
    ids.plan = await insertTestConsultation(db, { jurisdictionId: f.jurisdictionId, slug: 'on-the-plan', planId: f.planId });
    ids.commitment = await insertTestConsultation(db, { jurisdictionId: f.jurisdictionId, slug: 'on-the-commitment', commitmentId: f.commitmentId, isDemo: true });
    ids.topic = await insertTestConsultation(db, { jurisdictionId: f.jurisdictionId, slug: 'a-topic' });
    ids.draft = await insertTestConsultation(db, { jurisdictionId: f.jurisdictionId, slug: 'a-draft', planId: f.planId, published: false });
  });

  test('meetings are in the instance’s and their jurisdiction’s feeds, not a plan’s or a commitment’s', async () => {
    assert.ok((await keys('meetings', { kind: 'jurisdiction', id: f.jurisdictionId })).includes(`meeting:${meetingId}`));
    assert.ok((await keys('meetings', { kind: 'instance' })).includes(`meeting:${meetingId}`));
    assert.deepEqual(await keys('meetings', { kind: 'jurisdiction', id: f.jurisdictionId + 1000 }), []);
    assert.deepEqual(await keys('meetings', { kind: 'plan', id: f.planId }), []);
    assert.deepEqual(await keys('meetings', { kind: 'commitment', id: f.commitmentId }), []);
  });

  test('a consultation is in its plan’s or commitment’s feed; a draft in none', async () => {
    const c = (id: number) => `consultation:${id}`;
    assert.deepEqual(await keys('participation', { kind: 'jurisdiction', id: f.jurisdictionId }), [c(ids.plan!), c(ids.commitment!), c(ids.topic!)].sort());
    assert.deepEqual(await keys('participation', { kind: 'plan', id: f.planId }), [c(ids.plan!), c(ids.commitment!)].sort());
    assert.deepEqual(await keys('participation', { kind: 'commitment', id: f.commitmentId }), [c(ids.commitment!)]);
    assert.ok(!(await keys('participation', { kind: 'instance' })).includes(c(ids.draft!)));
    const items = await feedsOf('participation').items(get().db, { kind: 'commitment', id: f.commitmentId }, 50);
    assert.equal(items[0]!.isDemo, true);
    assert.equal(items[0]!.path, '/gjakova/consultations/on-the-commitment');
    assert.match(items[0]!.summary.fr ?? '', /^consultation publiée le /);
  });

  test('a progress update reporting on a demonstration milestone is marked demonstration, in a real plan too', async () => {
    const { db } = get();
    await generateCycles(db, f.actors.coordinator, f.planId);
    const cycles = await rdb(db).selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', f.planId).orderBy('number').execute();
    const publish = async (cycleId: number, milestoneId: number) => {
      const saved = await saveProgressUpdate(db, f.actors.holder, {
        cycleId, commitmentId: f.commitmentId, locale: 'en', summary: 'Done.', files: [], removeFileIds: [], submit: true, formToken: null,
        items: [{ milestoneId, status: 'in_progress', completion: 'limited', narrative: 'Work started.', obstacles: [], obstacleNote: '', links: [] }],
      });
      await publishProgressUpdate(db, f.actors.coordinator, { updateId: saved.id });
      return saved.id;
    };
    const real = await publish(cycles[0]!.id, f.milestoneIds[0]);
    await db.updateTable('milestones').set({ is_demo: 1 }).where('id', '=', f.milestoneIds[1]).execute();
    const demo = await publish(cycles[1]!.id, f.milestoneIds[1]);
    const items = await feedsOf('reporting').items(db, { kind: 'commitment', id: f.commitmentId }, 50);
    assert.deepEqual(items.map((i) => [i.key, i.isDemo]).sort(), [[`update:${real}`, false], [`update:${demo}`, true]].sort());
  });

  test('monitoring has nothing to say before a review is published', async () => {
    assert.deepEqual(await keys('reviews', { kind: 'instance' }), []);
  });
});
