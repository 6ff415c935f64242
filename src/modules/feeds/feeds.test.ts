import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import type { FastifyInstance } from 'fastify';
import { imageSize } from 'image-size';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { LOCALES } from '../../i18n/locales.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../reporting/index.js';
import type { ItemInput, UpdateInput } from '../reporting/commands.js';
import { cacheOf } from './index.js';
import { rdb } from '../reporting/tables.js';
import { refreshContentVersion } from '../../db/content-version.js';

const BASE = 'https://besa.example.org';
const ATOM = 'http://www.w3.org/2005/Atom';
const SITEMAP = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const XHTML = 'http://www.w3.org/1999/xhtml';
const COMMITMENT = '/gjakova/plans/2024-2025/commitments/XKGJA0001';
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;

interface ParsedEntry {
  id: string;
  title: string;
  link: string;
  published: string;
  updated: string;
  summary: string;
}

/** Parses an Atom document strictly (a parse error fails the test) into its root and entries. */
function parseAtom(xml: string): { lang: string; title: string; self: string; alternate: string; entries: ParsedEntry[] } {
  const errors: string[] = [];
  const doc = new DOMParser({ errorHandler: { error: (e: string) => errors.push(e), fatalError: (e: string) => errors.push(e) } }).parseFromString(xml, 'application/xml');
  assert.deepEqual(errors, [], 'the feed parses');
  const root = doc.documentElement!;
  assert.equal(root.localName, 'feed');
  assert.equal(root.namespaceURI, ATOM);
  const child = (el: Element, name: string) => Array.from(el.childNodes).find((n): n is Element => (n as Element).localName === name) as Element | undefined;
  const text = (el: Element, name: string) => child(el, name)?.textContent ?? '';
  const links = Array.from(root.childNodes).filter((n): n is Element => (n as Element).localName === 'link') as Element[];
  return {
    lang: root.getAttribute('xml:lang') ?? '',
    title: text(root, 'title'),
    self: links.find((l) => l.getAttribute('rel') === 'self')?.getAttribute('href') ?? '',
    alternate: links.find((l) => l.getAttribute('rel') === 'alternate')?.getAttribute('href') ?? '',
    entries: (Array.from(root.getElementsByTagNameNS(ATOM, 'entry')) as Element[]).map((e) => ({
      id: text(e, 'id'),
      title: text(e, 'title'),
      link: child(e, 'link')?.getAttribute('href') ?? '',
      published: text(e, 'published'),
      updated: text(e, 'updated'),
      summary: text(e, 'summary'),
    })),
  };
}

for (const dialect of DIALECTS) {
  describe(`feeds, sitemap, robots and share images [${dialect}]`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let f: ReportingFixture;
    let other: ReportingFixture;
    let cycleIds: number[];
    let published: { id: number; at: string };
    let draftId: number;

    function item(milestoneId: number, overrides: Partial<ItemInput> = {}): ItemInput {
      return { milestoneId, status: 'in_progress', completion: 'limited', narrative: 'Work started.', obstacles: [], obstacleNote: '', links: [], ...overrides };
    }
    function input(fixture: ReportingFixture, cycleId: number, overrides: Partial<UpdateInput> = {}): UpdateInput {
      return { cycleId, commitmentId: fixture.commitmentId, locale: 'en', summary: 'Budget published monthly.', items: [item(fixture.milestoneIds[0]), item(fixture.milestoneIds[1])], files: [], removeFileIds: [], submit: false, formToken: null, ...overrides };
    }
    async function cyclesOf(planId: number): Promise<number[]> {
      return (await rdb(database.db).selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', planId).orderBy('number').execute()).map((r) => r.id);
    }
    async function feed(url: string) {
      const res = await app.inject(url);
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
      assert.doesNotMatch(res.body, EMAIL, `no e-mail address in ${url}`);
      return parseAtom(res.body);
    }

    before(async () => {
      database = await openTestDatabase(dialect);
      app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', BESA_PUBLIC_URL: BASE } as NodeJS.ProcessEnv), database });
      f = await insertReportingFixture(database.db);
      other = await insertReportingFixture(database.db, 'prizren');
      // The second jurisdiction's plan is demonstration data.
      await database.db.updateTable('action_plans').set({ is_demo: 1 }).where('id', '=', other.planId).execute();
      await generateCycles(database.db, f.actors.coordinator, f.planId);
      await generateCycles(database.db, other.actors.coordinator, other.planId);
      cycleIds = await cyclesOf(f.planId);
      const update = await saveProgressUpdate(database.db, f.actors.holder, input(f, cycleIds[0]!, { submit: true }));
      await publishProgressUpdate(database.db, f.actors.coordinator, { updateId: update.id });
      const row = await rdb(database.db).selectFrom('progress_updates').select(['id', 'published_at']).where('id', '=', update.id).executeTakeFirstOrThrow();
      published = { id: row.id, at: row.published_at! };
      // A draft of the next cycle: never in a feed.
      draftId = (await saveProgressUpdate(database.db, f.actors.holder, input(f, cycleIds[1]!, { summary: 'Not yet public.' }))).id;
      const demo = await saveProgressUpdate(database.db, other.actors.holder, input(other, (await cyclesOf(other.planId))[0]!, { submit: true }));
      await publishProgressUpdate(database.db, other.actors.coordinator, { updateId: demo.id });
    });

    after(async () => {
      await app.close();
      await database.destroy();
    });

    test('a published update is in its commitment’s, plan’s, jurisdiction’s and the instance’s feed, in every language; a draft in none', async () => {
      const key = `tag:besa.example.org,2024:update:${published.id}`;
      for (const locale of LOCALES) {
        const pages = [COMMITMENT, '/gjakova/plans/2024-2025', '/gjakova', '/'];
        for (const page of pages) {
          const self = `/${locale}${page === '/' ? '' : page}/feed.atom`;
          const atom = await feed(self);
          assert.equal(atom.lang, locale, `${self}: xml:lang`);
          assert.equal(atom.self, `${BASE}${self}`);
          assert.equal(atom.alternate, `${BASE}/${locale}${page}`);
          const entry = atom.entries.find((e) => e.id === key);
          assert.ok(entry, `${self} carries the published update`);
          assert.equal(entry.link, `${BASE}/${locale}${COMMITMENT}#update-${published.id}`, 'an absolute link to the page in the feed’s language');
          assert.equal(new Date(entry.published).toISOString(), published.at);
          assert.equal(new Date(entry.updated).toISOString(), published.at);
          assert.ok(entry.title.startsWith('XKGJA0001 '), entry.title);
          assert.ok(!atom.entries.some((e) => e.id.endsWith(`:update:${draftId}`)), `${self}: no draft`);
          for (const e of atom.entries) assert.match(e.link, new RegExp(`^${BASE}/${locale}/`), 'every link absolute, in the feed’s language');
        }
      }
      const sq = await feed(`/sq${COMMITMENT}/feed.atom`);
      assert.equal(sq.entries[0]!.title, 'XKGJA0001 Buxhet i hapur', 'the title in the feed’s language');
      assert.match(sq.entries[0]!.summary, /Cikli 1/);
      assert.match(sq.title, /publikimet e fundit/);
    });

    test('scopes keep to themselves; demonstration items say so; the instance has every jurisdiction’s', async () => {
      const gjakova = await feed('/en/gjakova/feed.atom');
      assert.ok(gjakova.entries.every((e) => e.link.startsWith(`${BASE}/en/gjakova/`)), 'only Gjakova’s items');
      const prizren = await feed('/en/prizren/feed.atom');
      assert.equal(prizren.entries.length, 1);
      assert.match(prizren.entries[0]!.title, /\(demonstration\)$/);
      const instance = await feed('/en/feed.atom');
      assert.deepEqual(
        instance.entries.map((e) => new URL(e.link).pathname.split('/')[2]).sort(),
        ['gjakova', 'prizren'],
      );
      assert.ok(!gjakova.entries.some((e) => /demonstration/.test(e.title)));
      const fr = await feed('/fr/prizren/feed.atom');
      assert.match(fr.entries[0]!.title, /\(démonstration\)$/);
    });

    test('entry ids are stable across requests and across a later publication; the newest comes first', async () => {
      const first = await feed('/en/gjakova/feed.atom');
      const again = await feed('/en/gjakova/feed.atom');
      assert.deepEqual(again.entries.map((e) => e.id), first.entries.map((e) => e.id));
      const res = await app.inject('/en/gjakova/feed.atom');
      const etag = res.headers.etag as string;
      assert.ok(etag);
      assert.equal((await app.inject({ url: '/en/gjakova/feed.atom', headers: { 'if-none-match': etag } })).statusCode, 304);

      const next = await saveProgressUpdate(database.db, f.actors.holder, input(f, cycleIds[2]!, { submit: true }));
      await publishProgressUpdate(database.db, f.actors.coordinator, { updateId: next.id });
      const later = await feed('/en/gjakova/feed.atom');
      assert.equal(later.entries[0]!.id, `tag:besa.example.org,2024:update:${next.id}`, 'the new update first');
      for (const e of first.entries) assert.ok(later.entries.some((l) => l.id === e.id && l.link === e.link), `${e.id} kept`);
    });

    test('an unknown jurisdiction, plan or commitment has no feed; an unknown locale neither', async () => {
      for (const url of ['/en/nowhere/feed.atom', '/en/gjakova/plans/1999/feed.atom', '/en/gjakova/plans/2024-2025/commitments/NOPE/feed.atom', '/xx/feed.atom']) {
        assert.equal((await app.inject(url)).statusCode, 404, url);
      }
    });

    test('the pages name their feed in the head and link it visibly; the commitment page carries its share meta', async () => {
      for (const [page, feedPath] of [
        ['/en/', '/en/feed.atom'],
        ['/en/gjakova', '/en/gjakova/feed.atom'],
        ['/en/gjakova/plans/2024-2025', '/en/gjakova/plans/2024-2025/feed.atom'],
        [`/en${COMMITMENT}`, `/en${COMMITMENT}/feed.atom`],
      ] as const) {
        const res = await app.inject(page);
        assert.equal(res.statusCode, 200, page);
        assert.ok(res.body.includes(`<link rel="alternate" type="application/atom+xml" href="${feedPath}" title="Atom feed"/>`), `${page}: head link`);
        assert.ok(res.body.includes(`<a href="${feedPath}" type="application/atom+xml">Atom feed</a>`), `${page}: visible link`);
        assert.ok(res.body.includes(`<meta property="og:url" content="${BASE}${page}"/>`), `${page}: og:url`);
        assert.match(res.body, /<meta property="og:title" content="[^"]+"\/>/);
        assert.match(res.body, /<meta property="og:description" content="[^"]+"\/>/);
        // The reporting timeline names each update's milestone sections by the milestone alone, so two
        // published updates of one commitment repeat the names (html-validate unique-landmark): a
        // finding of the reporting module's view, reported, not this module's.
        assert.deepEqual((await htmlErrors(res.body)).filter((e) => !e.startsWith('html-validate unique-landmark')), [], page);
      }
      // A page that gives no share details still says what it is and where.
      const plain = (await app.inject('/fr/accessibility')).body;
      assert.ok(plain.includes(`<meta property="og:url" content="${BASE}/fr/accessibility"/>`));
      assert.match(plain, /<meta property="og:title" content="[^"]+"\/>/);
      assert.match(plain, /<meta property="og:description" content="[^"]+"\/>/);
      assert.ok(plain.includes('<meta property="og:locale" content="fr_FR"/>'));
      assert.ok(plain.includes('<meta name="twitter:card" content="summary"/>'));
      // The administration carries none.
      assert.doesNotMatch((await app.inject('/en/login')).body, /og:url/);
      const body = (await app.inject(`/sq${COMMITMENT}`)).body;
      const meta = (property: string) => new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)"/>`).exec(body)?.[1];
      assert.equal(meta('og:title'), 'XKGJA0001 Buxhet i hapur');
      assert.equal(meta('og:type'), 'article');
      assert.equal(meta('og:locale'), 'sq_AL');
      assert.equal(meta('og:url'), `${BASE}/sq${COMMITMENT}`);
      assert.equal(meta('og:image'), `${BASE}/share/commitments/${f.commitmentId}.png?lang=sq`);
      assert.equal(meta('og:image:width'), '1200');
      assert.match(meta('og:image:alt') ?? '', /^XKGJA0001 Buxhet i hapur: /);
      assert.equal(meta('twitter:card'), 'summary_large_image');
      assert.equal(meta('twitter:image'), meta('og:image'));
      assert.match(meta('og:description') ?? '', /Action plan 2024–2025/);
      assert.doesNotMatch(body.split('</head>')[0]!, EMAIL);
    });

    test('the share image is a 1200×630 PNG, cached, and changes when the commitment’s progress does', async () => {
      const url = `/share/commitments/${f.commitmentId}.png?lang=sr-Cyrl`;
      const before = await app.inject(url);
      assert.equal(before.statusCode, 200);
      assert.equal(before.headers['content-type'], 'image/png');
      const size = imageSize(before.rawPayload);
      assert.deepEqual([size.type, size.width, size.height], ['png', 1200, 630]);
      const etag = before.headers.etag as string;
      assert.equal((await app.inject({ url, headers: { 'if-none-match': etag } })).statusCode, 304);
      assert.ok((await app.inject(`/share/commitments/${f.commitmentId}.png?lang=en`)).rawPayload.compare(before.rawPayload) !== 0, 'each language draws its own words');

      // Milestone 1 completed: half the commitment done.
      const done = await saveProgressUpdate(database.db, f.actors.holder, input(f, cycleIds[3]!, { submit: true, items: [item(f.milestoneIds[0], { status: 'completed', completion: 'complete' })] }));
      await publishProgressUpdate(database.db, f.actors.coordinator, { updateId: done.id });
      const after = await app.inject(url);
      assert.equal(after.statusCode, 200);
      assert.notEqual(after.headers.etag, etag);
      assert.ok(after.rawPayload.compare(before.rawPayload) !== 0, 'a new image after the progress changed');
      assert.equal((await app.inject('/share/commitments/999999.png')).statusCode, 404);
      assert.equal((await app.inject('/share/commitments/abc.png')).statusCode, 404);
    });

    test('sitemap.xml parses, names every language of each page with hreflang, and leaves demonstration items out', async () => {
      const res = await app.inject('/sitemap.xml');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
      const errors: string[] = [];
      const doc = new DOMParser({ errorHandler: { error: (e: string) => errors.push(e), fatalError: (e: string) => errors.push(e) } }).parseFromString(res.body, 'application/xml');
      assert.deepEqual(errors, []);
      assert.equal(doc.documentElement!.localName, 'urlset');
      assert.equal(doc.documentElement!.namespaceURI, SITEMAP);
      const urls = Array.from(doc.getElementsByTagNameNS(SITEMAP, 'url')) as Element[];
      const locs = urls.map((u) => u.getElementsByTagNameNS(SITEMAP, 'loc')[0]!.textContent!);
      for (const locale of LOCALES) {
        assert.ok(locs.includes(`${BASE}/${locale}/`), `home in ${locale}`);
        assert.ok(locs.includes(`${BASE}/${locale}${COMMITMENT}`), `the commitment in ${locale}`);
        assert.ok(locs.includes(`${BASE}/${locale}/gjakova/plans/2024-2025`), `the plan in ${locale}`);
      }
      assert.ok(!locs.some((l) => l.includes('#')), 'no fragment');
      assert.ok(!locs.some((l) => l.includes('/prizren/plans/')), 'demonstration plans left out');
      assert.ok(locs.includes(`${BASE}/en/prizren`), 'the jurisdiction itself is not demonstration data');
      assert.equal(new Set(locs).size, locs.length, 'each URL once');
      const commitment = urls[locs.indexOf(`${BASE}/fr${COMMITMENT}`)]!;
      const alternates = (Array.from(commitment.getElementsByTagNameNS(XHTML, 'link')) as Element[]).map((l) => [l.getAttribute('rel'), l.getAttribute('hreflang'), l.getAttribute('href')]);
      assert.deepEqual(alternates, [...LOCALES.map((l) => ['alternate', l, `${BASE}/${l}${COMMITMENT}`]), ['alternate', 'x-default', `${BASE}/sq${COMMITMENT}`]]);
      assert.doesNotMatch(res.body, EMAIL);
      assert.equal((await app.inject('/sitemaps/1.xml')).statusCode, 404, 'no child sitemaps while one file holds every URL');
    });

    test('a feed is stored by its scope and language: another spelling of its address, or requests at once, render it once', async () => {
      const cache = cacheOf(database.db);
      await database.db.updateTable('cache_state').set({ version: 2_000_000 }).where('id', '=', 1).execute();
      await refreshContentVersion(database.db);
      const before = cache.rendered;
      const urls = [`/fr${COMMITMENT}/feed.atom`, `/fr${COMMITMENT}/feed.atom/`, `/fr${COMMITMENT.replace('0001', '%30001')}/feed.atom`, `/fr/gjakov%61/plans/2024-2025/commitments/XKGJA0001/feed.atom`];
      const responses = await Promise.all([...urls, ...urls].map((url) => app.inject(url)));
      for (const [i, res] of responses.entries()) assert.equal(res.statusCode, 200, [...urls, ...urls][i]);
      assert.equal(new Set(responses.map((r) => r.headers.etag)).size, 1, 'one stored feed');
      assert.equal(cache.rendered, before + 1, 'rendered once');
      await app.inject('/en/gjakova/feed.atom');
      assert.equal(cache.rendered, before + 2, 'another language or scope is its own feed');
    });

    test('the sitemap reads its path list once per content version, and answers a missing child from it', async () => {
      const cache = cacheOf(database.db);
      await database.db.updateTable('cache_state').set({ version: 3_000_000 }).where('id', '=', 1).execute();
      await refreshContentVersion(database.db);
      const before = cache.computed;
      const responses = await Promise.all(['/sitemaps/1.xml', '/sitemaps/2.xml', '/sitemaps/99.xml', '/sitemap.xml'].map((url) => app.inject(url)));
      assert.deepEqual(responses.map((r) => r.statusCode), [404, 404, 404, 200]);
      for (const n of [1, 2, 3]) assert.equal((await app.inject(`/sitemaps/${n}.xml`)).statusCode, 404);
      assert.equal(cache.computed, before + 1, 'the path list read once');
      await database.db.updateTable('cache_state').set({ version: 3_000_001 }).where('id', '=', 1).execute();
      await refreshContentVersion(database.db);
      await app.inject('/sitemaps/1.xml');
      assert.equal(cache.computed, before + 2, 'a new content version reads it again');
    });

    test('robots.txt allows public pages, keeps crawlers out of the administration and the form-only pages, names the sitemap', async () => {
      const res = await app.inject('/robots.txt');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
      const lines = res.body.split('\n');
      assert.equal(lines[0], 'User-agent: *');
      assert.ok(lines.includes('Allow: /'));
      for (const locale of LOCALES) for (const path of ['admin', 'login', 'account', 'subscriptions/', 'password-reset']) assert.ok(lines.includes(`Disallow: /${locale}/${path}`), `${locale} ${path}`);
      assert.ok(lines.includes(`Sitemap: ${BASE}/sitemap.xml`));
      assert.ok(!lines.some((l) => l === `Disallow: /en/` || l === 'Disallow: /'), 'public pages stay open');
      // The generated files are kept from crawlers; their pages are not.
      const disallowed = lines.filter((l) => l.startsWith('Disallow: ')).map((l) => l.slice('Disallow: '.length));
      const blocked = (path: string) => disallowed.some((rule) => new RegExp(`^${rule.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}`).test(path));
      for (const path of [`/en/gjakova/plans/2024-2025/report.pdf`, `/fr/gjakova/plans/2024-2025/report.docx`, `/sq/gjakova/plans/2024-2025/monitoring-report.pdf`, `/sr-Cyrl/gjakova/plans/2024-2025/monitoring-report.docx`, `/sq${COMMITMENT}/report.pdf`, '/open-data/all.json', '/open-data/gjakova.csv.zip', '/open-data/gjakova/snapshots/2024-2025/1.csv']) {
        assert.ok(blocked(path), `${path} disallowed`);
      }
      for (const path of ['/en/open-data', '/en/gjakova/open-data', `/en/gjakova/plans/2024-2025/report`, `/fr${COMMITMENT}/report`, `/en${COMMITMENT}`, '/en/']) assert.ok(!blocked(path), `${path} allowed`);
    });
  });
}
