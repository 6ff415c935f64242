import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalTimeZone, dayIn, formatDate, formatDateTime, isTimeZone, timeZoneNames, translate, utcOffset } from './index.js';

const WINTER = '2026-01-15T17:09:00.000Z';
const SUMMER = '2026-07-15T16:09:00.000Z';

test('an instant in a jurisdiction’s zone: 24-hour clock in every language, the zone and its offset named, never translated', () => {
  assert.equal(formatDateTime('sq', WINTER, 'Europe/Belgrade'), '15 janar 2026 në 18:09 (Europe/Belgrade, UTC+1)');
  assert.equal(formatDateTime('sq', SUMMER, 'Europe/Belgrade'), '15 korrik 2026 në 18:09 (Europe/Belgrade, UTC+2)');
  assert.equal(formatDateTime('sr-Latn', WINTER, 'Europe/Belgrade'), '15. januar 2026. 18:09 (Europe/Belgrade, UTC+1)');
  assert.equal(formatDateTime('sr-Cyrl', SUMMER, 'Europe/Belgrade'), '15. јул 2026. 18:09 (Europe/Belgrade, UTC+2)');
  assert.equal(formatDateTime('en', WINTER, 'Europe/Belgrade'), '15 January 2026 at 18:09 (Europe/Belgrade, UTC+1)');
  assert.equal(formatDateTime('fr', SUMMER, 'Europe/Belgrade'), '15 juillet 2026 à 18:09 (Europe/Belgrade, UTC+2)');
  assert.equal(formatDateTime('sq', WINTER, 'Europe/Belgrade', 'medium'), '15 jan 2026, 18:09 (Europe/Belgrade, UTC+1)');
  // UTC itself: the zone alone (instance-wide pages, jurisdictions that kept the default).
  assert.equal(formatDateTime('sq', WINTER), '15 janar 2026 në 17:09 (UTC)');
  assert.equal(formatDateTime('sr-Cyrl', WINTER, 'UTC', 'medium'), '15. 1. 2026. 17:09 (UTC)');
  // Offsets west of UTC and by half hours.
  assert.equal(utcOffset(new Date(WINTER), 'America/Sao_Paulo'), 'UTC\u22123');
  assert.equal(utcOffset(new Date(WINTER), 'Asia/Kolkata'), 'UTC+5:30');
  // Not an instant: left as it is.
  assert.equal(formatDateTime('en', 'not a time', 'Europe/Belgrade'), 'not a time');
});

test('an instant’s day is the day where the jurisdiction is; a calendar date is never shifted', () => {
  assert.equal(formatDate('en', '2026-12-31T23:30:00.000Z', 'long', 'Europe/Belgrade'), '1 January 2027');
  assert.equal(formatDate('en', '2026-12-31T23:30:00.000Z'), '31 December 2026');
  assert.equal(formatDate('en', '2026-12-31', 'long', 'Pacific/Kiritimati'), '31 December 2026');
  // A zone stored behind the commands' back and unknown to Intl: UTC rather than an error page.
  assert.equal(formatDate('en', '2026-12-31T23:30:00.000Z', 'long', 'Mars/Olympus_Mons'), '31 December 2026');
  assert.equal(formatDateTime('en', WINTER, 'Mars/Olympus_Mons'), '15 January 2026 at 17:09 (UTC)');
});

test('time zones: IANA names Intl knows, in their canonical spelling; offsets and abbreviations refused', () => {
  assert.equal(canonicalTimeZone('Europe/Belgrade'), 'Europe/Belgrade');
  assert.equal(canonicalTimeZone(' europe/belgrade '), 'Europe/Belgrade');
  assert.equal(canonicalTimeZone('UTC'), 'UTC');
  assert.equal(canonicalTimeZone('Etc/UTC'), 'UTC');
  for (const refused of ['', 'Europe/Belgrad', 'Mars/Olympus_Mons', '+01:00', 'CET', 'GMT', 'Europe/../Belgrade', 'x'.repeat(80)]) {
    assert.equal(canonicalTimeZone(refused), undefined, refused);
    assert.equal(isTimeZone(refused), false, refused);
  }
  const names = timeZoneNames();
  assert.equal(names[0], 'UTC');
  assert.ok(names.includes('Europe/Belgrade'));
  assert.ok(names.every((z) => canonicalTimeZone(z) !== undefined), 'every zone offered is accepted');
});

test('the jurisdiction form’s hint keeps the zone’s name and IANA in Latin letters in Serbian Cyrillic', () => {
  const hint = translate('sr-Cyrl', 'jurisdictionsAdmin.field.timeZoneHint', { example: 'Europe/Belgrade' });
  assert.match(hint, /по IANA називу, на пример Europe\/Belgrade за Косово/);
});

test('the day an instant falls on is counted in the zone: half past midnight in Gjakova is the next day', () => {
  assert.equal(dayIn('2025-07-15T22:30:00.000Z', 'Europe/Belgrade'), '2025-07-16');
  assert.equal(dayIn('2025-07-15T22:30:00.000Z', 'UTC'), '2025-07-15');
  assert.equal(dayIn('2025-01-15T22:30:00.000Z', 'Europe/Belgrade'), '2025-01-15');
  assert.equal(dayIn('2025-07-15T02:00:00.000Z', 'America/Sao_Paulo'), '2025-07-14');
  // A zone Intl does not know counts as UTC rather than failing the page.
  assert.equal(dayIn('2025-07-15T22:30:00.000Z', 'Nowhere/Atlantis'), '2025-07-15');
});
