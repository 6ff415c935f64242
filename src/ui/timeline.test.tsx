/**
 * The milestone timeline on a phone: the chart is drawn at its own size (never scaled below 12-pixel
 * text) inside a named, focusable scroll region, its month ticks never crowd, each label sits above
 * its bar (a label longer than the chart is cut, whole in the table), and the table is stacked with
 * each cell labelled.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../i18n/index.js';
import { LOCALES, type Locale } from '../i18n/locales.js';
import { htmlErrors } from '../../test/html.js';
import type { PageContext } from './context.js';
import { Layout } from './layout.js';
import { Timeline, type TimelineItem } from './timeline.js';

function ctxFor(locale: Locale): PageContext {
  return { locale, t: translator(locale), path: '/gjakova/plans/2024-2025/timeline' };
}

const LONG = `XKGJA0001.1 Inventari i shërbimeve dhe regjistrave në letër, ${'me një emër shumë të gjatë, '.repeat(5)}fund`;
const items: TimelineItem[] = [
  { id: 'XKGJA0001.1', label: LONG, start: '2024-12-01', end: '2025-02-28', status: 'completed' },
  { id: 'XKGJA0001.2', label: 'XKGJA0001.2 <Prokurimi> & "e-Prokurim"', start: null, end: '2025-06-30', status: 'in_progress' },
];

/** The numbers of an attribute on every element with it, in order. */
function numbers(html: string, pattern: RegExp): number[] {
  return [...html.matchAll(pattern)].map((m) => Number(m[1]));
}

for (const locale of LOCALES) {
  test(`the timeline is a labelled scroll region, a full-size chart and a stacked table [${locale}]`, async () => {
    const ctx = ctxFor(locale);
    const html = (<Timeline ctx={ctx} items={items} caption="Milestones" />) as string;
    // The region: focusable, a <section> (a region once named), named by the chart's title and the hint, both present.
    const region = /<section class="scroll-region" tabindex="0" aria-labelledby="timeline-chart timeline-hint">/;
    assert.match(html, region);
    assert.match(html, new RegExp(`<p class="timeline-chart-title" id="timeline-chart">${ctx.t('timeline.chart')}</p>`));
    assert.match(html, /<p class="scroll-hint" id="timeline-hint">/);
    // The chart's size in pixels is its viewBox: drawn 1:1, so 12-unit text is 12 CSS pixels.
    const svg = /<svg class="timeline-chart" viewBox="0 0 (\d+) (\d+)" width="(\d+)" height="(\d+)" aria-hidden="true"/.exec(html);
    assert.ok(svg, 'the chart has a viewBox and the same width and height');
    assert.equal(svg[1], svg[3]);
    assert.equal(svg[2], svg[4]);
    // The long label is cut in the chart (with an ellipsis) and whole in the table; text is escaped.
    assert.ok(!html.includes(`class="timeline-label">${LONG}<`), 'the long label is cut in the chart');
    assert.match(html, /class="timeline-label">XKGJA0001\.1 [^<]+…<\/text>/);
    assert.ok(html.includes(`<th scope="row">${LONG}</th>`), 'the whole label is in the table');
    assert.ok(html.includes('&lt;Prokurimi> &amp; &#34;e-Prokurim&#34;'));
    assert.ok(!html.includes('<Prokurimi>'));
    // The table: stacked on phones, every data cell labelled with its column's name.
    assert.match(html, /<table class="timeline-table stacked">/);
    for (const key of ['timeline.start', 'timeline.due', 'timeline.status'] as const) {
      assert.equal(html.split(`data-label="${ctx.t(key)}"`).length - 1, items.length, `every row labels ${key}`);
    }
    const safeTimeline = <Timeline ctx={ctx} items={items} caption="Milestones" />;
    assert.deepEqual(await htmlErrors((<Layout ctx={ctx} title="Timeline">{safeTimeline}</Layout>) as string), []);
  });
}

test('month ticks never come closer than their labels need, however long the plan', () => {
  const ctx = ctxFor('sq');
  for (const [start, end] of [
    ['2025-01-01', '2025-03-31'],
    ['2024-01-01', '2025-12-31'],
    ['2020-01-01', '2029-12-31'],
  ] as const) {
    const html = (<Timeline ctx={ctx} items={[{ id: 'A', label: 'A', start, end, status: 'not_started' }]} caption="c" />) as string;
    const xs = numbers(html, /<text x="([\d.]+)" y="12" class="timeline-tick"/g);
    assert.ok(xs.length >= 2, `${start}–${end}: at least two ticks (${xs.length})`);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i]! - xs[i - 1]! >= 80, `${start}–${end}: ticks ${xs[i - 1]} and ${xs[i]} are too close`);
  }
});

test('each label sits on its own line above its bar, and the bars use the whole width', () => {
  const ctx = ctxFor('en');
  const html = (<Timeline ctx={ctx} items={items} caption="c" />) as string;
  const labels = numbers(html, /<text x="[\d.]+" y="(\d+)" class="timeline-label"/g);
  const bars = numbers(html, /<rect x="[\d.]+" y="(\d+)"/g);
  assert.equal(labels.length, items.length);
  labels.forEach((y, i) => {
    assert.ok(y < bars[i]!, `label ${i} (y ${y}) is above its bar (y ${bars[i]})`);
    if (i > 0) assert.ok(y > bars[i - 1]!, `label ${i} is below the previous bar`);
  });
  const xs = numbers(html, /<rect x="([\d.]+)"/g);
  const ends = [...html.matchAll(/<rect x="([\d.]+)" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]) + Number(m[2]));
  assert.ok(Math.min(...xs) < 10, `the earliest bar starts at the left edge (${Math.min(...xs)})`);
  assert.ok(Math.max(...ends) > 880, `the latest bar ends at the right edge (${Math.max(...ends)})`);
});
