import type { Translatable } from '../../lib/translatable.js';

/**
 * The OGP standards checklist of one plan, computed from the data and never ticked by hand: one
 * pure function over a snapshot the query (queries.ts) loads. Every day in the snapshot is already
 * a day in the jurisdiction's time zone (a meeting held at 00:30 in Gjakova on 1 March counts on
 * 1 March); `today` is the day the page is rendered for.
 *
 * Each item is met, not met, due soon (its deadline falls within the next 14 days and it is not
 * met yet) or not applicable, with a reason (a message key and its values, days formatted by the
 * view) and links to its evidence.
 */

export const STANDARD_STATUSES = ['met', 'not_met', 'due_soon', 'not_applicable'] as const;
export type StandardStatus = (typeof STANDARD_STATUSES)[number];

export const STANDARD_ITEMS = ['forum', 'forumMeetings', 'forumRhythm', 'monitoring', 'updates', 'endorsements', 'responses', 'inception', 'endAssessments'] as const;
export type StandardItemId = (typeof STANDARD_ITEMS)[number];

/** Days before a deadline during which an unmet item is "due soon". */
export const DUE_SOON_DAYS = 14;
/** Monitoring: reviews every two to three months, so no gap over this many days. */
export const MONITORING_GAP_DAYS = 92;

/** A value of a reason: a number, a text, a day (`YYYY-MM-DD`), an interval or a translatable text, formatted by the view. */
export type ReasonValue = number | string | { day: string } | { interval: Interval } | { text: Translatable };
export type Interval = { months: number } | { days: number };

export interface Reason {
  /** A message key (standards.reason.*). */
  key: string;
  values: Record<string, ReasonValue>;
}

export interface Evidence {
  /** A path without the locale, e.g. `/gjakova/bodies/forum`. */
  path: string;
  /** A message key (standards.evidence.*) and its values; `name` may be translatable. */
  key: string;
  values: Record<string, ReasonValue>;
  isDemo: boolean;
}

export interface CommitmentLine {
  code: string;
  title: Translatable;
  path: string;
  status: StandardStatus;
  reason: Reason;
}

export interface StandardItem {
  id: StandardItemId;
  status: StandardStatus;
  reasons: Reason[];
  evidence: Evidence[];
  /** For the end-of-commitment assessments: one line per commitment. */
  commitments?: CommitmentLine[];
}

export interface StandardsSnapshot {
  jurisdiction: { slug: string };
  plan: { id: number; slug: string; startsOn: string; endsOn: string; submittedOn: string | null; inceptionAssessedOn: string | null; isDemo: boolean };
  forums: { id: number; slug: string; name: Translatable; hasRules: boolean; memberCount: number; meetsEveryDays: number | null; isDemo: boolean }[];
  /** Held meetings of the forums, oldest first. */
  forumMeetings: { id: number; day: string; isDemo: boolean }[];
  /** Held meetings of kind monitoring_review of the jurisdiction, oldest first. */
  monitoringMeetings: { id: number; day: string; isDemo: boolean }[];
  /** Published monitoring reports of the plan's cycles, oldest first. */
  monitoringReports: { cycleNumber: number; day: string; isDemo: boolean }[];
  /** Days on which a change to the plan's public pages was published (the log), oldest first, distinct. */
  publicationDays: string[];
  endorsements: { organization: string; sector: string }[];
  commitments: { code: string; title: Translatable; endsOn: string; endAssessedOn: string | null; isDemo: boolean }[];
  /**
   * The plan's published consultations (on the plan or one of its commitments) with their
   * contributions that get a response (published, or hidden after they were published) and how many
   * have one; `closed` once the consultation's last day has passed or its response table is
   * published; `responded` once its response table is published.
   */
  consultations: { slug: string; title: Translatable; closed: boolean; responded: boolean; total: number; answered: number; isDemo: boolean }[];
}

// ---------------------------------------------------------------------------------------------
// Day arithmetic on ISO days (UTC calendar, no time of day)

function toDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function toDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const d = toDate(day);
  d.setUTCDate(d.getUTCDate() + days);
  return toDay(d);
}

/** The same day `months` calendar months later, or the month's last day when it has no such day (31 August + 6 months: 28 or 29 February). */
export function addMonths(day: string, months: number): string {
  const d = toDate(day);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return toDay(target);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000);
}

function after(day: string, interval: Interval): string {
  return 'months' in interval ? addMonths(day, interval.months) : addDays(day, interval.days);
}

/** An open deadline (not met yet): due soon within DUE_SOON_DAYS of it, not met after it. */
function openDeadline(today: string, deadline: string): 'not_met' | 'due_soon' | 'pending' {
  if (today > deadline) return 'not_met';
  return daysBetween(today, deadline) <= DUE_SOON_DAYS ? 'due_soon' : 'pending';
}

// ---------------------------------------------------------------------------------------------
// A rhythm: something that must happen at least every `interval` over the plan's period so far.

interface RhythmResult {
  status: StandardStatus;
  reason: Reason;
}

/**
 * Gaps are measured from the plan's start to today (or to the plan's end once it has ended): the
 * first event is due one interval after the start, each next one an interval after the last. An
 * event on the deadline day is in time. A gap longer than the interval anywhere in the period so
 * far leaves the item not met.
 */
export function rhythm(what: string, plan: { startsOn: string; endsOn: string }, days: readonly string[], today: string, interval: Interval): RhythmResult {
  const base = { what, interval: { interval } } as Record<string, ReasonValue>;
  if (today < plan.startsOn) return { status: 'not_applicable', reason: { key: 'standards.reason.notStarted', values: { ...base, start: { day: plan.startsOn } } } };
  const ended = today > plan.endsOn;
  const horizon = ended ? plan.endsOn : today;
  const events = [...new Set(days.filter((d) => d >= plan.startsOn && d <= horizon))].sort();
  let last = plan.startsOn;
  let gap: { from: string; to: string } | undefined;
  for (const day of events) {
    if (!gap && day > after(last, interval)) gap = { from: last, to: day };
    last = day;
  }
  const deadline = after(last, interval);
  const count = events.length;
  const lastValue: ReasonValue = { day: last };
  if (ended) {
    if (!gap && plan.endsOn > deadline) gap = { from: last, to: plan.endsOn };
    if (gap) return { status: 'not_met', reason: { key: 'standards.reason.gap', values: { ...base, from: { day: gap.from }, to: { day: gap.to } } } };
    return { status: 'met', reason: { key: 'standards.reason.metEnded', values: { ...base, count } } };
  }
  if (today > deadline) {
    return count
      ? { status: 'not_met', reason: { key: 'standards.reason.overdue', values: { ...base, last: lastValue, deadline: { day: deadline } } } }
      : { status: 'not_met', reason: { key: 'standards.reason.overdueNone', values: { ...base, start: { day: plan.startsOn }, deadline: { day: deadline } } } };
  }
  if (gap) return { status: 'not_met', reason: { key: 'standards.reason.gap', values: { ...base, from: { day: gap.from }, to: { day: gap.to } } } };
  const status: StandardStatus = daysBetween(today, deadline) <= DUE_SOON_DAYS ? 'due_soon' : 'met';
  return count
    ? { status, reason: { key: 'standards.reason.onTime', values: { ...base, count, last: lastValue, deadline: { day: deadline } } } }
    : { status, reason: { key: 'standards.reason.noneYet', values: { ...base, start: { day: plan.startsOn }, deadline: { day: deadline } } } };
}

// ---------------------------------------------------------------------------------------------
// The checklist

function planPath(s: StandardsSnapshot): string {
  return `/${s.jurisdiction.slug}/plans/${s.plan.slug}`;
}

function forumItem(s: StandardsSnapshot): StandardItem {
  const evidence: Evidence[] = s.forums.map((f) => ({
    path: `/${s.jurisdiction.slug}/bodies/${f.slug}`,
    key: 'standards.evidence.body',
    values: { name: { text: f.name } },
    isDemo: f.isDemo,
  }));
  if (!s.forums.length) return { id: 'forum', status: 'not_met', reasons: [{ key: 'standards.reason.forumNone', values: {} }], evidence };
  const good = s.forums.find((f) => f.memberCount > 0 && f.hasRules);
  if (good) return { id: 'forum', status: 'met', reasons: [{ key: 'standards.reason.forumMet', values: { name: { text: good.name }, count: good.memberCount } }], evidence };
  const f = s.forums[0]!;
  const reasons: Reason[] = [];
  if (f.memberCount === 0) reasons.push({ key: 'standards.reason.forumNoMembers', values: { name: { text: f.name } } });
  if (!f.hasRules) reasons.push({ key: 'standards.reason.forumNoRules', values: { name: { text: f.name } } });
  return { id: 'forum', status: 'not_met', reasons, evidence };
}

function lastMeetingEvidence(s: StandardsSnapshot, meetings: StandardsSnapshot['forumMeetings'], key: string): Evidence[] {
  const last = meetings[meetings.length - 1];
  return last ? [{ path: `/${s.jurisdiction.slug}/meetings/${last.id}`, key, values: { date: { day: last.day } }, isDemo: last.isDemo }] : [];
}

function forumMeetingsItem(s: StandardsSnapshot, today: string): StandardItem {
  const evidence: Evidence[] = [
    ...s.forums.map((f) => ({ path: `/${s.jurisdiction.slug}/bodies/${f.slug}/meetings`, key: 'standards.evidence.bodyMeetings', values: { name: { text: f.name } }, isDemo: f.isDemo })),
    ...lastMeetingEvidence(s, s.forumMeetings, 'standards.evidence.lastMeeting'),
  ];
  if (!s.forums.length) return { id: 'forumMeetings', status: 'not_met', reasons: [{ key: 'standards.reason.forumNone', values: {} }], evidence };
  const r = rhythm('forumMeetings', s.plan, s.forumMeetings.map((m) => m.day), today, { months: 6 });
  return { id: 'forumMeetings', status: r.status, reasons: [r.reason], evidence };
}

function forumRhythmItem(s: StandardsSnapshot, today: string): StandardItem {
  const forum = s.forums.find((f) => f.meetsEveryDays !== null && f.meetsEveryDays > 0);
  const evidence: Evidence[] = [
    ...(forum ? [{ path: `/${s.jurisdiction.slug}/bodies/${forum.slug}`, key: 'standards.evidence.bodyRules', values: { name: { text: forum.name } }, isDemo: forum.isDemo }] : []),
    ...lastMeetingEvidence(s, s.forumMeetings, 'standards.evidence.lastMeeting'),
  ];
  if (!s.forums.length) return { id: 'forumRhythm', status: 'not_met', reasons: [{ key: 'standards.reason.forumNone', values: {} }], evidence };
  if (!forum) return { id: 'forumRhythm', status: 'not_applicable', reasons: [{ key: 'standards.reason.noRhythm', values: {} }], evidence };
  const r = rhythm('forumMeetings', s.plan, s.forumMeetings.map((m) => m.day), today, { days: forum.meetsEveryDays! });
  return { id: 'forumRhythm', status: r.status, reasons: [r.reason], evidence };
}

function monitoringItem(s: StandardsSnapshot, today: string): StandardItem {
  const lastReport = s.monitoringReports[s.monitoringReports.length - 1];
  const evidence: Evidence[] = [
    { path: `${planPath(s)}/monitoring`, key: 'standards.evidence.monitoring', values: {}, isDemo: false },
    ...lastMeetingEvidence(s, s.monitoringMeetings, 'standards.evidence.lastReview'),
    ...(lastReport ? [{ path: `${planPath(s)}/monitoring/${lastReport.cycleNumber}`, key: 'standards.evidence.lastReport', values: { date: { day: lastReport.day }, number: lastReport.cycleNumber }, isDemo: lastReport.isDemo }] : []),
  ];
  const days = [...s.monitoringMeetings.map((m) => m.day), ...s.monitoringReports.map((r) => r.day)];
  const r = rhythm('monitoring', s.plan, days, today, { days: MONITORING_GAP_DAYS });
  return { id: 'monitoring', status: r.status, reasons: [r.reason], evidence };
}

function updatesItem(s: StandardsSnapshot, today: string): StandardItem {
  const evidence: Evidence[] = [{ path: `/history/plan/${s.plan.id}`, key: 'standards.evidence.planHistory', values: {}, isDemo: false }, { path: '/transparency', key: 'standards.evidence.log', values: {}, isDemo: false }];
  const r = rhythm('updates', s.plan, s.publicationDays, today, { months: 4 });
  return { id: 'updates', status: r.status, reasons: [r.reason], evidence };
}

function endorsementsItem(s: StandardsSnapshot): StandardItem {
  const outside = s.endorsements.filter((e) => e.sector !== 'government');
  const evidence: Evidence[] = [{ path: `${planPath(s)}#cocreation`, key: 'standards.evidence.endorsements', values: {}, isDemo: s.plan.isDemo }];
  if (outside.length) return { id: 'endorsements', status: 'met', reasons: [{ key: 'standards.reason.endorsed', values: { count: outside.length, names: outside.map((e) => e.organization).join(', ') } }], evidence };
  return { id: 'endorsements', status: 'not_met', reasons: [{ key: 'standards.reason.notEndorsed', values: { total: s.endorsements.length } }], evidence };
}

/**
 * Every contribution gets a reasoned response, counted over the plan's consultations that have
 * contributions (published, or hidden after they were published) and have closed (last day passed,
 * or response table published). A consultation's contributions count as answered only once its
 * response table is published: draft responses are not public, so they answer nobody yet.
 * Demonstration consultations do not decide the status of a plan that is not itself demonstration
 * (they are named in a reason, not counted, not evidence).
 *
 * Not applicable while no such consultation has closed (only open ones, or none with a
 * contribution); met when every contribution of the closed ones is answered in a published table;
 * not met otherwise, with the counts, the consultations whose table is not published and those
 * still short. The evidence is each counted consultation's response table.
 */
function responsesItem(s: StandardsSnapshot): StandardItem {
  const real = s.plan.isDemo ? s.consultations : s.consultations.filter((c) => !c.isDemo);
  const demoLeftOut = s.consultations.filter((c) => c.total > 0 && !real.includes(c)).length;
  const withContributions = real.filter((c) => c.total > 0);
  const evidence: Evidence[] = withContributions.map((c) => ({
    path: `/${s.jurisdiction.slug}/consultations/${c.slug}#responses`,
    key: 'standards.evidence.responses',
    values: { name: { text: c.title }, answered: c.responded ? c.answered : 0, total: c.total },
    isDemo: c.isDemo,
  }));
  const closed = withContributions.filter((c) => c.closed || c.responded);
  const open = withContributions.length - closed.length;
  const demoReason: Reason[] = demoLeftOut ? [{ key: 'standards.reason.responsesDemo', values: { count: demoLeftOut } }] : [];
  if (!closed.length) {
    const reasons: Reason[] = open ? [{ key: 'standards.reason.responsesOnlyOpen', values: { count: open } }] : [{ key: 'standards.reason.noConsultations', values: {} }];
    return { id: 'responses', status: 'not_applicable', reasons: [...reasons, ...demoReason], evidence };
  }
  const total = closed.reduce((n, c) => n + c.total, 0);
  const answered = closed.reduce((n, c) => n + (c.responded ? c.answered : 0), 0);
  const reasons: Reason[] = [];
  if (answered < total) {
    reasons.push({ key: 'standards.reason.responsesMissing', values: { answered, total, missing: total - answered } });
    for (const c of closed) {
      if (!c.responded) reasons.push({ key: 'standards.reason.responsesUnpublished', values: { name: { text: c.title }, total: c.total } });
      else if (c.answered < c.total) reasons.push({ key: 'standards.reason.responsesConsultation', values: { name: { text: c.title }, missing: c.total - c.answered, total: c.total } });
    }
  } else {
    reasons.push({ key: 'standards.reason.responsesMet', values: { answered, consultations: closed.length } });
  }
  if (open) reasons.push({ key: 'standards.reason.responsesOpen', values: { count: open } });
  reasons.push(...demoReason);
  return { id: 'responses', status: answered < total ? 'not_met' : 'met', reasons, evidence };
}

/** A one-off deadline: met when done by the deadline, not met when done late or overdue, due soon near it, not applicable before. */
function deadlineStatus(done: string | null, deadline: string, today: string): { status: StandardStatus; key: string } {
  if (done) return done <= deadline ? { status: 'met', key: 'onTime' } : { status: 'not_met', key: 'late' };
  const open = openDeadline(today, deadline);
  if (open === 'pending') return { status: 'not_applicable', key: 'notDue' };
  return { status: open, key: open === 'not_met' ? 'overdue' : 'dueSoon' };
}

function inceptionItem(s: StandardsSnapshot, today: string): StandardItem {
  const evidence: Evidence[] = [{ path: `/history/plan/${s.plan.id}`, key: 'standards.evidence.planHistory', values: {}, isDemo: false }];
  if (!s.plan.submittedOn) return { id: 'inception', status: 'not_applicable', reasons: [{ key: 'standards.reason.notSubmitted', values: {} }], evidence };
  const deadline = addMonths(s.plan.submittedOn, 2);
  const d = deadlineStatus(s.plan.inceptionAssessedOn, deadline, today);
  const values: Record<string, ReasonValue> = { submitted: { day: s.plan.submittedOn }, deadline: { day: deadline } };
  if (s.plan.inceptionAssessedOn) values.done = { day: s.plan.inceptionAssessedOn };
  return { id: 'inception', status: d.status, reasons: [{ key: `standards.reason.inception.${d.key}`, values }], evidence };
}

function endAssessmentsItem(s: StandardsSnapshot, today: string): StandardItem {
  const lines: CommitmentLine[] = s.commitments.map((c) => {
    const deadline = addMonths(c.endsOn, 1);
    const d = deadlineStatus(c.endAssessedOn, deadline, today);
    const values: Record<string, ReasonValue> = { end: { day: c.endsOn }, deadline: { day: deadline } };
    if (c.endAssessedOn) values.done = { day: c.endAssessedOn };
    return { code: c.code, title: c.title, path: `${planPath(s)}/commitments/${c.code}`, status: d.status, reason: { key: `standards.reason.end.${d.key}`, values } };
  });
  const count = (status: StandardStatus) => lines.filter((l) => l.status === status).length;
  const status: StandardStatus = count('not_met') ? 'not_met' : count('due_soon') ? 'due_soon' : count('met') ? 'met' : 'not_applicable';
  const late = lines.filter((l) => l.status === 'not_met').map((l) => l.code);
  const reasons: Reason[] = [
    {
      key: 'standards.reason.endSummary',
      values: { total: lines.length, met: count('met'), notMet: count('not_met'), dueSoon: count('due_soon'), notDue: count('not_applicable') },
    },
  ];
  if (late.length) reasons.push({ key: 'standards.reason.endLate', values: { codes: late.join(', ') } });
  return { id: 'endAssessments', status, reasons, evidence: [], commitments: lines };
}

/** The checklist of a plan on `today` (a day in the jurisdiction's calendar). */
export function computeChecklist(s: StandardsSnapshot, today: string): StandardItem[] {
  return [
    forumItem(s),
    forumMeetingsItem(s, today),
    forumRhythmItem(s, today),
    monitoringItem(s, today),
    updatesItem(s, today),
    endorsementsItem(s),
    responsesItem(s),
    inceptionItem(s, today),
    endAssessmentsItem(s, today),
  ];
}
