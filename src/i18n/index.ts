import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { printAST } from '@formatjs/icu-messageformat-parser/printer.js';
import { latinToCyrillic } from '../lib/serbian.js';
import { DERIVED_LOCALES, INTL_LOCALE, SOURCE_LOCALE, WRITTEN_LOCALES, type Locale } from './locales.js';

export { INTL_LOCALE } from './locales.js';

/**
 * Every message key: the keys of the source locale's file, checked at compile time (the JSON file is
 * read by the type checker only; at run time the files are read from disk, see LOCALES_DIR).
 */
export type MessageKey = keyof typeof import('../../locales/en.json', { with: { type: 'json' } });
export type MessageValues = Record<string, string | number | Date>;
export type Translate = (key: MessageKey, values?: MessageValues) => string;

/**
 * The folder of the message files, `locales/` at the package root: the nearest folder above this
 * file that holds package.json, so the same code finds it from `src/i18n` (tsx) and from
 * `dist/src/i18n` (after `npm run build`, which copies nothing).
 */
export const LOCALES_DIR = join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'locales');

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}: cannot find the locales folder`);
  }
}

/** One locale's file: a flat JSON object of ICU messages by key. A derived locale's file may be absent. */
export function readMessageFile(dir: string, locale: string, optional = false): Record<string, string> {
  const path = join(dir, `${locale}.json`);
  if (optional && !existsSync(path)) return {};
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${path}: not a JSON object`);
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') throw new Error(`${path}: the message ${key} is not a string`);
  }
  return data as Record<string, string>;
}

function toCyrillic(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((el) => {
    if (el.type === TYPE.literal) return { ...el, value: latinToCyrillic(el.value) };
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      const options: typeof el.options = {};
      for (const [k, opt] of Object.entries(el.options)) options[k] = { ...opt, value: toCyrillic(opt.value) };
      return { ...el, options };
    }
    if (el.type === TYPE.tag) return { ...el, children: toCyrillic(el.children) };
    return el;
  });
}

/** Converts a Serbian Latin message to Cyrillic, leaving ICU syntax and argument names intact. */
export function messageToCyrillic(message: string): string {
  return printAST(toCyrillic(parse(message)));
}

/** How a derived locale's messages are made from its source's (only Serbian Cyrillic is derived). */
const DERIVATIONS: Partial<Record<Locale, (message: string) => string>> = { 'sr-Cyrl': messageToCyrillic };

/**
 * Every locale's messages, read once at startup: the written locales' files as they are. A derived
 * locale (sr-Cyrl) holds its hand-written overrides; the rest of its messages are converted from its
 * source's on first use (derived), so startup does not pay for converting messages nobody reads.
 */
function readSources(dir: string): { written: Map<Locale, Map<string, string>>; overrides: Map<Locale, Map<string, string>> } {
  const written = new Map<Locale, Map<string, string>>();
  for (const locale of WRITTEN_LOCALES) written.set(locale, new Map(Object.entries(readMessageFile(dir, locale))));
  const overrides = new Map<Locale, Map<string, string>>();
  for (const { locale, from } of DERIVED_LOCALES) {
    if (!DERIVATIONS[locale]) throw new Error(`Locale ${locale}: no conversion from ${from}`);
    overrides.set(locale, new Map(Object.entries(readMessageFile(dir, locale, true))));
  }
  return { written, overrides };
}

const { written, overrides } = readSources(LOCALES_DIR);
const derivedFrom = new Map(DERIVED_LOCALES.map((d) => [d.locale, d.from]));
/** Each derived locale's converted messages, filled on first use. */
const derived = new Map<Locale, Map<string, string>>(DERIVED_LOCALES.map((d) => [d.locale, new Map()]));

/** The written messages whose keys a locale has: its own, or a derived locale's source's. */
function keysOf(locale: Locale): Map<string, string> {
  return written.get(locale) ?? written.get(derivedFrom.get(locale)!)!;
}

/** The message of `key` in `locale` as written (or derived), without falling back to English. */
export function messageSource(locale: Locale, key: string): string | undefined {
  const own = written.get(locale);
  if (own) return own.get(key);
  const source = keysOf(locale).get(key);
  if (source === undefined) return undefined;
  const cache = derived.get(locale)!;
  let message = cache.get(key);
  if (message === undefined) cache.set(key, (message = overrides.get(locale)!.get(key) ?? DERIVATIONS[locale]!(source)));
  return message;
}

const compiled = new Map<string, IntlMessageFormat>();

export function hasMessage(locale: Locale, key: string): boolean {
  return keysOf(locale).has(key);
}

export function allMessageKeys(locale: Locale): string[] {
  return [...keysOf(locale).keys()];
}

/** Formatted messages by locale, key and values, for messages without values or with numbers only. */
const formatted = new Map<string, string>();
const FORMATTED_MAX = 20_000;

function memoKey(locale: Locale, key: string, values: MessageValues | undefined): string | undefined {
  if (!values) return `${locale}\u0000${key}`;
  let out = `${locale}\u0000${key}`;
  for (const name in values) {
    const value = values[name];
    if (typeof value !== 'number') return undefined;
    out += `\u0000${name}=${value}`;
  }
  return out;
}

export function translate(locale: Locale, key: MessageKey, values?: MessageValues): string {
  const memo = memoKey(locale, key, values);
  const known = memo === undefined ? undefined : formatted.get(memo);
  if (known !== undefined) return known;
  const cacheKey = `${locale}\u0000${key}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    const source = messageSource(locale, key) ?? messageSource(SOURCE_LOCALE, key);
    if (source === undefined) throw new Error(`Unknown message key "${key}"`);
    format = new IntlMessageFormat(source, INTL_LOCALE[locale]);
    compiled.set(cacheKey, format);
  }
  const text = String(format.format(values));
  if (memo !== undefined) {
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    formatted.set(memo, text);
  }
  return text;
}

export function translator(locale: Locale): Translate {
  return (key, values) => translate(locale, key, values);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

const formattedDates = new Map<string, string>();

/**
 * Formats an ISO date (`YYYY-MM-DD`) or instant for a locale, in long form. An instant's day is
 * the day in `timeZone` (a jurisdiction's, see formatDateTime); a date is a calendar day, never shifted.
 */
export function formatDate(locale: Locale, iso: string, style: 'long' | 'short' = 'long', timeZone = 'UTC'): string {
  const zone = iso.length === 10 ? 'UTC' : timeZone;
  const memo = `${locale}:${style}:${zone}:${iso}`;
  const known = formattedDates.get(memo);
  if (known !== undefined) return known;
  const key = `${locale}:${style}:${zone}`;
  let format = dateFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: style === 'long' ? 'long' : 'medium', timeZone: zone });
    } catch {
      return formatDate(locale, iso, style, 'UTC'); // a zone Intl does not know (the commands refuse them): UTC
    }
    dateFormats.set(key, format);
  }
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  const text = Number.isNaN(date.getTime()) ? iso : format.format(date);
  if (formattedDates.size >= 20_000) formattedDates.clear();
  formattedDates.set(memo, text);
  return text;
}

/** True when `name` is a time zone Intl knows (an IANA name such as `Europe/Belgrade`, or `UTC`). */
export function isTimeZone(name: string): boolean {
  return canonicalTimeZone(name) !== undefined;
}

/**
 * The canonical spelling of an IANA time zone name (`europe/belgrade` → `Europe/Belgrade`), or
 * undefined when Intl does not know it. Offsets and abbreviations (`+01:00`, `CET`) are not names
 * of a place's zone and are refused, except `UTC`.
 */
export function canonicalTimeZone(name: string): string | undefined {
  const trimmed = name.trim();
  if (!/^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+)$/i.test(trimmed) || trimmed.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Every time zone a jurisdiction may choose: UTC first, then the IANA names Intl knows. */
export function timeZoneNames(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Today in a time zone, for a page rendered for the page cache's day `cacheDay` (the UTC day of the
 * app's clock): a term ending on 31 March covers the whole of 31 March in Gjakova. When the app runs
 * on another clock than the system's (tests pin it), that day is used as it is.
 */
export function todayIn(timeZone: string, cacheDay: string): string {
  const now = new Date().toISOString();
  return now.slice(0, 10) === cacheDay ? dayIn(now, timeZone) : cacheDay;
}

/**
 * The day (`YYYY-MM-DD`) an instant falls on in a time zone: a report submitted at 00:30 in Gjakova
 * on 16 July is submitted on 16 July there, though it is still 15 July in UTC.
 */
export function dayIn(iso: string, timeZone = 'UTC'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso.slice(0, 10);
  let format = dayFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      return iso.slice(0, 10);
    }
    dayFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, written `UTC+1`, `UTC+5:30`, `UTC−3` or `UTC`. */
export function utcOffset(date: Date, timeZone: string): string {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' });
    offsetFormats.set(timeZone, format);
  }
  const name = format.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return name.replace(/^GMT/, 'UTC').replace('-', '\u2212');
}

/**
 * An instant as a date and a time of day in a jurisdiction's time zone, 24-hour clock, in the
 * reader's language, with the zone named and its offset at that instant so nobody has to know
 * the zone's rules: `15 janar 2026 në 18:09 (Europe/Belgrade, UTC+1)`, in summer `… (Europe/Belgrade, UTC+2)`;
 * in UTC itself `15 January 2026 at 17:09 (UTC)`. The zone's name and offset are never translated
 * (nor converted to Cyrillic). `medium` writes the month short, for tables.
 */
export function formatDateTime(locale: Locale, iso: string, timeZone = 'UTC', style: 'long' | 'medium' = 'long'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const key = `${locale}:${style}:${timeZone}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: style, timeStyle: 'short', hourCycle: 'h23', timeZone });
    } catch {
      return formatDateTime(locale, iso, 'UTC', style);
    }
    dateTimeFormats.set(key, format);
  }
  const zone = timeZone === 'UTC' ? 'UTC' : `${timeZone}, ${utcOffset(date, timeZone)}`;
  return `${format.format(date)} (${zone})`;
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();

export function formatNumber(locale: Locale, value: number, options?: Intl.NumberFormatOptions): string {
  if (options) return new Intl.NumberFormat(INTL_LOCALE[locale], options).format(value);
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(INTL_LOCALE[locale]);
    numberFormats.set(locale, format);
  }
  return format.format(value);
}
