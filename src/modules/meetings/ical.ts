import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import type { Locale } from '../../i18n/locales.js';
import { translate } from '../../i18n/index.js';
import { pickText } from '../../lib/translatable.js';
import { wallClock } from './domain.js';
import type { MeetingSummary } from './queries.js';

/**
 * A Date whose local-time fields read the meeting's wall clock in its zone: ical-generator writes a
 * zoned DTSTART from a Date's local fields, so the instant is turned into that zone's wall clock first.
 * Exact when the process runs in UTC (server.ts, cli.ts and the test runner set TZ=UTC): a host zone
 * with summer time would have no such local time in its own spring gap.
 */
function wallClockDate(iso: string, timeZone: string): Date {
  const { date, time } = wallClock(new Date(iso), timeZone);
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  return new Date(y, mo - 1, d, h, mi, 0, 0);
}

/**
 * An iCalendar feed (RFC 5545) of meetings: one VEVENT per meeting with its stable UID, DTSTAMP
 * (its last change), DTSTART/DTEND in the meeting's own zone (TZID, with the VTIMEZONE), SUMMARY,
 * LOCATION (place and online link), URL, STATUS and SEQUENCE (raised whenever it moves).
 */
export function meetingsCalendar(options: { locale: Locale; name: string; publicUrl: string; jurisdictionSlug: string; meetings: MeetingSummary[] }): string {
  const { locale, publicUrl, jurisdictionSlug } = options;
  const base = publicUrl.replace(/\/+$/, '');
  const calendar = ical({
    name: options.name,
    prodId: { company: 'Besa', product: 'meetings', language: locale.toUpperCase() },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: null, generator: (zone: string) => (zone === 'UTC' ? null : getVtimezoneComponent(zone)) },
  });
  for (const m of options.meetings) {
    const title = pickText(m.title, locale) || translate(locale, `meetings.kind.${m.kind}` as never);
    const body = m.body ? pickText(m.body.name, locale) : '';
    const place = pickText(m.place, locale);
    const location = [place, m.onlineUrl ?? ''].filter(Boolean).join(' · ');
    const utc = m.timeZone === 'UTC';
    const event = calendar.createEvent({
      id: m.uid,
      sequence: m.sequence,
      stamp: new Date(m.updatedAt),
      // In UTC itself the times are written as UTC (…Z), which needs no VTIMEZONE.
      start: utc ? new Date(m.startsAt) : wallClockDate(m.startsAt, m.timeZone),
      end: utc ? new Date(m.endsAt) : wallClockDate(m.endsAt, m.timeZone),
      timezone: utc ? null : m.timeZone,
      summary: body && !title.includes(body) ? `${title} (${body})` : title,
      url: `${base}/${locale}/${jurisdictionSlug}/meetings/${m.id}`,
      status: m.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
    // Every event names its place; one not yet decided says so.
    event.location(location || translate(locale, 'meetings.place.none'));
  }
  return calendar.toString();
}
