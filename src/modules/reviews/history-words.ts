import { formatDate, type MessageKey } from '../../i18n/index.js';
import type { PageContext } from '../../ui/context.js';
import { pickText, type Translatable } from '../../lib/translatable.js';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
import { RATING_NAMES, type RatingName } from './domain.js';

/**
 * The reviews' log entries in the reader's words, for the history pages (the `describe` of each
 * HistorySource, as the module manifest work defines it: the shapes are structural here). Every
 * code becomes its label; nothing but the published summary is read.
 */
interface Line {
  label: string;
  value?: string | undefined;
}

interface EntryView {
  action: string;
  entityType: string;
  summary: Record<string, unknown>;
}

/** Summary field → rating name (the summaries use camelCase). */
const RATING_FIELDS: Record<string, RatingName> = {
  verifiability: 'verifiability',
  potentialForResults: 'potential_for_results',
  completion: 'completion',
  didItOpenGovernment: 'did_it_open_government',
  earlyResults: 'early_results',
};

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

export function reviewEntryLines(ctx: PageContext, entry: EntryView): Line[] {
  const { t } = ctx;
  const s = entry.summary;
  const lines: Line[] = [];
  if (typeof s.commitment === 'string') lines.push({ label: t('reviews.col.commitment'), value: s.commitment });
  if (Array.isArray(s.reviews)) lines.push({ label: t('reviews.history.commitments'), value: s.reviews.filter((c) => typeof c === 'string').join(', ') });
  if (typeof s.cycle === 'number') lines.push({ label: t('reviews.side.col.cycle'), value: t('reviews.cycle.defaultLabel', { number: s.cycle }) });
  if (typeof s.assessment === 'string') lines.push({ label: t('reviews.field.assessment'), value: t(`reviews.assessment.${s.assessment}` as MessageKey) });
  for (const [field, name] of Object.entries(RATING_FIELDS)) {
    if (!(field in s) || !RATING_NAMES.includes(name)) continue;
    const value = s[field];
    lines.push({ label: t(`reviews.rating.${name}` as MessageKey), value: typeof value === 'string' ? t(`reviews.rating.${name}.${value}` as MessageKey) : t('reviews.rating.notRated') });
  }
  if ('institution' in s) lines.push({ label: t('reviews.recommendation.owner'), value: typeof s.institution === 'string' ? s.institution : t('reviews.recommendation.noOwner') });
  if ('dueOn' in s) lines.push({ label: t('reviews.recommendation.due'), value: isDate(s.dueOn) ? formatDate(ctx.locale, s.dueOn) : t('reviews.recommendation.noDue') });
  if ('response' in s) lines.push({ label: t('reviews.recommendation.response'), value: typeof s.response === 'string' ? t(`reviews.response.${s.response}` as MessageKey) : t('reviews.response.none') });
  if (typeof s.status === 'string') lines.push({ label: t('reviews.recommendation.status'), value: t(`reviews.recommendationStatus.${s.status}` as MessageKey) });
  // The published words themselves, in the reader's language where they exist.
  for (const [field, label] of [
    ['findings', 'reviews.field.findings'],
    ['text', 'reviews.history.text'],
    ['reasons', 'reviews.history.reasons'],
    ['note', 'reviews.history.note'],
  ] as const) {
    const words = isObject(s[field]) ? pickText(s[field] as Translatable, ctx.locale) : '';
    if (words) lines.push({ label: t(label), value: words });
  }
  return lines;
}

const ACTIONS = [
  'review.published',
  'review.updated',
  'recommendation.published',
  'recommendation.updated',
  'recommendation.responded',
  'recommendation.closed',
  'recommendation.reopened',
  'recommendation.followed_up',
  'monitoring_report.published',
] as const;

export function reviewActionLabel(ctx: PageContext, action: string): string | undefined {
  return (ACTIONS as readonly string[]).includes(action) ? ctx.t(`reviews.history.action.${action.replace('.', '_')}` as MessageKey) : undefined;
}

/** The words of one kind: its name and its history page's title. */
export function reviewHistoryWords(kind: 'review' | 'recommendation' | 'monitoring_report') {
  return {
    label: `reviews.history.${kind}.label` as MessageKey,
    title: `reviews.history.${kind}.title` as MessageKey,
    entry: reviewEntryLines,
    action: reviewActionLabel,
  };
}
