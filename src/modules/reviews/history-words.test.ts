import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../i18n/index.js';
import { reviewActionLabel, reviewEntryLines } from './history-words.js';

const ctx = (locale: 'en' | 'fr') => ({ locale, t: translator(locale), path: '/history/review/1' });

test('a published review in the history: labels and words, never codes', () => {
  const lines = reviewEntryLines(ctx('en'), {
    action: 'review.published',
    entityType: 'review',
    summary: { commitment: 'XKGJA0002', cycle: 2, assessment: 'minor_delays', verifiability: 'verifiable', potentialForResults: null, completion: 'limited', didItOpenGovernment: 'did_not_change', earlyResults: 'no_notable' },
  });
  assert.deepEqual(
    lines.map((l) => `${l.label}: ${l.value}`),
    [
      'Commitment: XKGJA0002',
      'Cycle: Cycle 2',
      'Assessment: Minor delays',
      'Verifiability: Verifiable',
      'Potential for results: Not rated',
      'Completion: Limited',
      'Did it open government?: Did not change',
      'Early results: No notable results',
    ],
  );
  assert.equal(reviewActionLabel(ctx('en'), 'review.published'), 'Review published');
  assert.equal(reviewActionLabel(ctx('en'), 'milestone.created'), undefined);
});

test('a response and a closing follow-up, in French', () => {
  const responded = reviewEntryLines(ctx('fr'), { action: 'recommendation.responded', entityType: 'recommendation', summary: { response: 'partially_accepted', commitment: 'XKGJA0001', cycle: 1 } });
  assert.ok(responded.some((l) => l.label === 'Réponse des autorités' && l.value === 'Partiellement acceptée'));
  const closed = reviewEntryLines(ctx('fr'), { action: 'recommendation.closed', entityType: 'recommendation', summary: { status: 'closed', commitment: 'XKGJA0001', cycle: 1, dueOn: '2025-09-30', institution: null } });
  assert.ok(closed.some((l) => l.label === 'Statut' && l.value === 'Close'));
  assert.ok(closed.some((l) => l.label === 'Échéance' && l.value === '30 septembre 2025'));
  assert.ok(closed.some((l) => l.label === 'Institution responsable' && l.value === 'Aucune institution désignée'));
  assert.equal(reviewActionLabel(ctx('fr'), 'recommendation.closed'), 'Recommandation close');
});
