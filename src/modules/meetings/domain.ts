/** Meetings: the kinds, statuses and the wall-clock arithmetic of a meeting's time zone. */

export const MEETING_KINDS = ['forum', 'monitoring_review', 'working_group', 'public_meeting', 'ad_hoc'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export const MEETING_STATUSES = ['scheduled', 'held', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const ATTENDANCE = ['present', 'excused', 'absent'] as const;
export type Attendance = (typeof ATTENDANCE)[number];

export const GUEST_ATTENDANCE = ['invited', 'present', 'excused', 'absent'] as const;

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
/** An action item in one of these is closed; the others are carried to the next meeting of the body. */
export const CLOSED_ACTION_STATUSES: readonly string[] = ['done', 'dropped'];

/** How many days before a meeting its reminders go out, unless told otherwise. */
export const DEFAULT_REMINDER_DAYS = 3;

export const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const partFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of an instant in a zone. */
export function wallClock(instant: Date, timeZone: string): { date: string; time: string } {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    partFormats.set(timeZone, format);
  }
  const p = Object.fromEntries(format.formatToParts(instant).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** The zone's offset from UTC at an instant, in minutes (Europe/Belgrade: 60 in winter, 120 in summer). */
function offsetMinutes(instant: Date, timeZone: string): number {
  const { date, time } = wallClock(instant, timeZone);
  const asUtc = Date.parse(`${date}T${time}:00Z`);
  const floored = Math.floor(instant.getTime() / 60_000) * 60_000;
  return Math.round((asUtc - floored) / 60_000);
}

/**
 * The UTC instant of a local date and time in a zone, across summer time: 18:00 in Belgrade is
 * 17:00 UTC in January and 16:00 UTC in July. A time that does not exist (skipped when clocks go
 * forward) is moved forward by the gap; an ambiguous one (clocks go back) takes the first.
 */
export function localToUtc(date: string, time: string, timeZone: string): string {
  const guess = Date.parse(`${date}T${time}:00Z`);
  if (Number.isNaN(guess)) throw new RangeError(`not a date and time: ${date} ${time}`);
  // The zone's offsets a day before and a day after: around a change of the clocks they differ.
  const before = guess - offsetMinutes(new Date(guess - 86_400_000), timeZone) * 60_000;
  const after = guess - offsetMinutes(new Date(guess + 86_400_000), timeZone) * 60_000;
  const matches = [before, after].filter((t) => {
    const back = wallClock(new Date(t), timeZone);
    return back.date === date && back.time === time;
  });
  // Ambiguous (clocks go back): the first of the two; skipped (clocks go forward): moved forward by the gap.
  return new Date(matches.length ? Math.min(...matches) : before).toISOString();
}

/** The public path of a meeting (after the locale). */
export function meetingPath(jurisdictionSlug: string, id: number): string {
  return `/${jurisdictionSlug}/meetings/${id}`;
}
