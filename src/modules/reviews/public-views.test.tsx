import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { translate, translator } from '../../i18n/index.js';
import type { PublishedUpdate } from '../reporting/index.js';
import type { CommitmentFindings, ReviewView } from './queries.js';
import { CommitmentMonitoring } from './public-views.js';

function update(number: number, items: { status: string; completion: string }[]): PublishedUpdate {
  return {
    id: number,
    cycle: { number, label: {}, periodStart: '2025-01-01', periodEnd: '2025-03-31', dueOn: '2025-04-15' },
    summary: {},
    submittedAt: null,
    publishedAt: '2025-04-10T10:00:00.000Z',
    timeZone: 'Europe/Belgrade',
    onTime: true,
    files: [],
    items: items.map((i, n) => ({ milestoneId: n + 1, code: `X.${n + 1}`, title: {}, status: i.status, completion: i.completion, narrative: {}, obstacles: [], obstacleNote: {}, links: [], files: [] })),
  };
}

function review(cycleNumber: number, assessment: string, completion: string | null): ReviewView {
  return {
    id: cycleNumber,
    commitment: { id: 1, code: 'X', title: { en: 'X' } },
    cycleNumber,
    assessment,
    ratings: { verifiability: null, potential_for_results: null, completion, did_it_open_government: null, early_results: null },
    findings: {},
    links: [],
    status: 'published',
    publishedAt: '2025-05-01T00:00:00.000Z',
    isDemo: false,
    recommendations: [],
  };
}

describe('the side-by-side section of the commitment page', () => {
  const findings: CommitmentFindings = { reviews: [review(1, 'completed', 'limited'), review(2, 'major_delays', 'limited')], openRecommendations: [] };
  const updates = [update(1, [{ status: 'completed', completion: 'complete' }]), update(2, [{ status: 'in_progress', completion: 'limited' }]), update(3, [{ status: 'delayed', completion: 'limited' }])];

  for (const locale of ['en', 'sq', 'sr-Latn', 'fr'] as const) {
    test(`says each disagreement in words, and which cycle is not reviewed [${locale}]`, () => {
      const ctx = { locale, t: translator(locale), path: '/x/plans/p/commitments/X' };
      const html = CommitmentMonitoring({ ctx, updates, findings, jurisdiction: 'x', plan: 'p', today: '2025-06-01' }) as string;
      const rows = html.split('<tr>').slice(2);
      assert.equal(rows.length, 3, 'cycles 3, 2 and 1');
      const words = (key: Parameters<typeof translate>[1]) => translate(locale, key).replace(/’/g, '&#39;').replace(/'/g, '&#39;');
      assert.ok(rows[0]!.includes(words('reviews.side.notReviewed')), 'cycle 3: reported, not reviewed');
      assert.ok(rows[1]!.includes(words('reviews.side.disagreement.progress')) || rows[1]!.includes(translate(locale, 'reviews.side.disagreement.progress')), 'cycle 2: on track reported, major delays found');
      assert.ok(rows[2]!.includes(words('reviews.side.disagreement.completion')) || rows[2]!.includes(translate(locale, 'reviews.side.disagreement.completion')), 'cycle 1: complete reported, limited found');
      assert.ok(!rows[2]!.includes(translate(locale, 'reviews.side.disagreement.progress')), 'cycle 1: no progress disagreement (completed found)');
    });
  }

  test('no review: nothing shown', () => {
    const ctx = { locale: 'en' as const, t: translator('en'), path: '/x' };
    assert.equal(CommitmentMonitoring({ ctx, updates, findings: { reviews: [], openRecommendations: [] }, jurisdiction: 'x', plan: 'p', today: '2025-06-01' }) as string, '');
  });
});
