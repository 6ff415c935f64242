import { formatDate, formatDateTime, type MessageKey } from '../../i18n/index.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import type { HistoryEntryView, HistoryLine, HistoryWords } from '../manifest.js';
import type { PageContext } from '../../ui/context.js';

/**
 * A meeting's log entries in the reader's words (its history page): every code becomes its label,
 * instants are shown in the meeting's zone, texts in the reader's language; nothing but the
 * published summary is read.
 */

const ACTIONS = [
  'scheduled',
  'updated',
  'moved',
  'cancelled',
  'agenda_updated',
  'held',
  'outcome_updated',
  'decision_recorded',
  'action_item_recorded',
  'action_item_followed_up',
  'action_item_closed',
  'minutes_approved',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const text = (ctx: PageContext, v: unknown): string | undefined => (isObject(v) ? pickText(v as Translatable, ctx.locale) || undefined : undefined);
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isInstant = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function entryLines(ctx: PageContext, entry: HistoryEntryView): HistoryLine[] {
  const { t } = ctx;
  const s = entry.summary;
  const zone = typeof s.time_zone === 'string' ? s.time_zone : 'UTC';
  const lines: HistoryLine[] = [];
  const title = text(ctx, s.title);
  if (title) lines.push({ label: t('meetings.field.title'), value: title });
  if (typeof s.kind === 'string') lines.push({ label: t('meetings.field.kind'), value: t(`meetings.kind.${s.kind}` as MessageKey) });
  if (isInstant(s.starts_at)) lines.push({ label: t('meetings.field.starts'), value: formatDateTime(ctx.locale, s.starts_at, zone) });
  if (isInstant(s.ends_at)) lines.push({ label: t('meetings.field.ends'), value: formatDateTime(ctx.locale, s.ends_at, zone) });
  const place = text(ctx, s.place);
  if (place) lines.push({ label: t('meetings.field.place'), value: place });
  if (typeof s.status === 'string' && !('action_item' in s)) lines.push({ label: t('meetings.field.status'), value: t(`meetings.status.${s.status}` as MessageKey) });
  if (Array.isArray(s.agenda)) {
    const items = s.agenda.map((a) => text(ctx, a)).filter((a): a is string => !!a);
    lines.push({ label: t('meetings.agenda.title'), value: items.length ? items.join(' · ') : t('meetings.agenda.none') });
  }
  if (Array.isArray(s.documents)) lines.push({ label: t('meetings.documents.title'), value: String(s.documents.length) });
  if (Array.isArray(s.guests)) lines.push({ label: t('meetings.guests.title'), value: String(s.guests.length) });
  const minutes = text(ctx, s.minutes);
  if (minutes) lines.push({ label: t('meetings.minutes.title'), value: minutes });
  if (isObject(s.attendance)) lines.push({ label: t('meetings.attendance.title'), value: t('meetings.attendance.summary', { present: count(s.attendance.present), excused: count(s.attendance.excused), absent: count(s.attendance.absent) }) });
  if ('decision' in s) {
    const decision = text(ctx, s.text);
    if (decision) lines.push({ label: t('meetings.decisions.text'), value: decision });
    const votes = isObject(s.votes) ? s.votes : undefined;
    if (votes && [votes.for, votes.against, votes.abstaining].some((v) => typeof v === 'number')) {
      const n = (v: unknown) => (typeof v === 'number' ? String(v) : '–');
      lines.push({ label: t('meetings.decisions.title'), value: t('meetings.decisions.votes', { for: n(votes.for), against: n(votes.against), abstaining: n(votes.abstaining) }) });
    }
  }
  if ('action_item' in s) {
    const item = text(ctx, s.text);
    if (item) lines.push({ label: t('meetings.action.text'), value: item });
    const note = text(ctx, s.note);
    if (note) lines.push({ label: t('meetings.action.note'), value: note });
    if (isDay(s.due_on)) lines.push({ label: t('meetings.action.due'), value: formatDate(ctx.locale, s.due_on) });
    if (typeof s.status === 'string') lines.push({ label: t('meetings.field.status'), value: t(`meetings.action.status.${s.status}` as MessageKey) });
  }
  return lines;
}

export const meetingHistoryWords: HistoryWords = {
  label: 'meetings.search.kind',
  title: 'meetings.history',
  entry: entryLines,
  action: (ctx, action) => {
    const name = action.startsWith('meeting.') ? action.slice('meeting.'.length) : '';
    return (ACTIONS as readonly string[]).includes(name) ? ctx.t(`meetings.history.action.${name}` as MessageKey) : undefined;
  },
};
