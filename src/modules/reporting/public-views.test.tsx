import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import { htmlErrors } from '../../../test/html.js';
import { ProgressUpdatesTimeline, ReportPunctuality } from './public-views.js';
import type { PublishedUpdate, PunctualityRow } from './queries.js';

function ctxFor(locale: Locale): PageContext {
  return { locale, t: translator(locale), path: '/gjakova' };
}

const update: PublishedUpdate = {
  id: 7,
  cycle: { number: 1, label: {}, periodStart: '2024-01-01', periodEnd: '2024-03-31', dueOn: '2024-04-15' },
  summary: { en: 'Budget <b>published</b>.', sq: 'Buxheti u publikua.' },
  submittedAt: '2024-04-10T10:00:00.000Z',
  publishedAt: '2024-04-20T10:00:00.000Z',
  timeZone: 'Europe/Belgrade',
  onTime: true,
  files: [{ id: 3, filename: 'minutes.pdf', contentType: 'application/pdf', size: 2048, url: '/evidence/3/minutes.pdf' }],
  items: [
    {
      milestoneId: 11,
      code: 'XKGJA0001.1',
      title: { en: 'Monthly budget' },
      status: 'delayed',
      completion: 'limited',
      narrative: { en: 'Two months out of three.' },
      obstacles: ['funding', 'other'],
      obstacleNote: { en: 'A frozen budget line' },
      links: ['https://gjakova.example.org/budget?x="1"'],
      files: [{ id: 4, filename: 'photo.png', contentType: 'image/png', size: 100, url: '/evidence/4/photo.png' }],
    },
  ],
};

const rows: PunctualityRow[] = [
  { cycle: { number: 1, label: {}, dueOn: '2024-04-15' }, plan: { slug: 'p', title: {} }, commitment: { code: 'XKGJA0001', title: { en: 'Open budget' } }, submittedAt: '2024-04-10T10:00:00Z', timeZone: 'Europe/Belgrade', state: 'on_time' },
  { cycle: { number: 2, label: {}, dueOn: '2024-07-15' }, plan: { slug: 'p', title: {} }, commitment: { code: 'XKGJA0001', title: { en: 'Open budget' } }, submittedAt: null, timeZone: 'Europe/Belgrade', state: 'missing' },
  { cycle: { number: 3, label: {}, dueOn: '2030-10-15' }, plan: { slug: 'p', title: {} }, commitment: { code: 'XKGJA0001', title: { en: 'Open budget' } }, submittedAt: null, timeZone: 'Europe/Belgrade', state: 'pending' },
];

for (const locale of ['en', 'sq', 'sr-Latn', 'sr-Cyrl', 'fr'] as Locale[]) {
  test(`public reporting components render valid, escaped HTML [${locale}]`, async () => {
    const ctx = ctxFor(locale);
    const html = (await Layout({
      ctx,
      title: 'Test',
      children: (
        <>
          <h1>Test</h1>
          <ProgressUpdatesTimeline ctx={ctx} updates={[update]} />
          <ReportPunctuality ctx={ctx} rows={rows} />
        </>
      ),
    })) as string;
    assert.deepEqual(await htmlErrors(html), []);
    assert.doesNotMatch(html, /<b>published<\/b>/, 'texts are escaped');
    assert.match(html, /href="\/evidence\/4\/photo\.png"/);
    assert.match(html, /href="https:\/\/gjakova\.example\.org\/budget\?x=(&quot;|&#34;)1(&quot;|&#34;)"/);
    if (locale === 'en') {
      assert.match(html, /On time: 1 of 2 reports due\./);
      assert.match(html, /Cycle 1: 1 January 2024 – 31 March 2024/);
      assert.match(html, /Funding/);
      assert.match(html, /A frozen budget line/);
      // Published at 10:00 UTC in April: 12:00 in the jurisdiction's zone (summer time), the zone named.
      assert.match(html, /Published on 20 April 2024 at 12:00 \(Europe\/Belgrade, UTC\+2\)/);
    }
    if (locale === 'sq') assert.match(html, /Publikuar më 20 prill 2024 në 12:00 \(Europe\/Belgrade, UTC\+2\)/);
    if (locale === 'sr-Cyrl') assert.match(html, /Објављено 20\. април 2024\. 12:00 \(Europe\/Belgrade, UTC\+2\)/, 'the zone stays in Latin letters');
  });
}

test('a progress update published late in the evening UTC is dated the next day where the jurisdiction is', async () => {
  const ctx = ctxFor('en');
  const late = { ...update, publishedAt: '2024-12-31T23:30:00.000Z', submittedAt: '2024-12-31T23:10:00.000Z' };
  const html = (await (<ProgressUpdatesTimeline ctx={ctx} updates={[late]} />)) as string;
  assert.match(html, /Published on 1 January 2025 at 00:30 \(Europe\/Belgrade, UTC\+1\)/);
  assert.match(html, /submitted on 1 January 2025/);
  const utc = (await (<ProgressUpdatesTimeline ctx={ctx} updates={[{ ...late, timeZone: 'UTC' }]} />)) as string;
  assert.match(utc, /Published on 31 December 2024 at 23:30 \(UTC\)/);
});

test('empty states', async () => {
  const ctx = ctxFor('sq');
  const html = (await (
    <>
      <ProgressUpdatesTimeline ctx={ctx} updates={[]} />
      <ReportPunctuality ctx={ctx} rows={[]} />
    </>
  )) as string;
  assert.match(html, /Ende nuk është publikuar asnjë raport progresi\./);
});
