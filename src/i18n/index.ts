import { IntlMessageFormat } from 'intl-messageformat';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { printAST } from '@formatjs/icu-messageformat-parser/printer.js';
import { latinToCyrillic } from '../lib/serbian.js';
import { bundles } from './catalog.js';
import { LOCALES, type Locale } from './locales.js';

type Bundle = (typeof bundles)[number];
export type MessageKey = Bundle extends infer B ? (B extends { en: Record<infer K, string> } ? K : never) : never;
export type MessageValues = Record<string, string | number | Date>;
export type Translate = (key: MessageKey, values?: MessageValues) => string;

/** Intl locale used for numbers, dates and plural rules. */
export const INTL_LOCALE: Record<Locale, string> = {
  sq: 'sq',
  'sr-Latn': 'sr-Latn',
  'sr-Cyrl': 'sr-Cyrl',
  en: 'en-GB',
  fr: 'fr',
};

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

function buildSources(): Record<Locale, Map<string, string>> {
  const sources = Object.fromEntries(LOCALES.map((l) => [l, new Map<string, string>()])) as Record<Locale, Map<string, string>>;
  for (const bundle of bundles) {
    for (const locale of ['en', 'sq', 'sr-Latn', 'fr'] as const) {
      for (const [key, message] of Object.entries(bundle[locale] as Record<string, string>)) {
        if (sources[locale].has(key)) throw new Error(`Message key "${key}" is defined twice`);
        sources[locale].set(key, message);
      }
    }
    const cyrillic = (bundle as { 'sr-Cyrl'?: Record<string, string> })['sr-Cyrl'] ?? {};
    for (const [key, message] of Object.entries(bundle['sr-Latn'] as Record<string, string>)) {
      sources['sr-Cyrl'].set(key, cyrillic[key] ?? messageToCyrillic(message));
    }
  }
  return sources;
}

const sources = buildSources();
const compiled = new Map<string, IntlMessageFormat>();

export function hasMessage(locale: Locale, key: string): boolean {
  return sources[locale].has(key);
}

export function messageSource(locale: Locale, key: string): string | undefined {
  return sources[locale].get(key);
}

export function allMessageKeys(locale: Locale): string[] {
  return [...sources[locale].keys()];
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
    const source = sources[locale].get(key) ?? sources.en.get(key);
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

/** Formats an ISO date (`YYYY-MM-DD`) or instant for a locale, in long form. */
export function formatDate(locale: Locale, iso: string, style: 'long' | 'short' = 'long'): string {
  const memo = `${locale}:${style}:${iso}`;
  const known = formattedDates.get(memo);
  if (known !== undefined) return known;
  const key = `${locale}:${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: style === 'long' ? 'long' : 'medium', timeZone: 'UTC' });
    dateFormats.set(key, format);
  }
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  const text = Number.isNaN(date.getTime()) ? iso : format.format(date);
  if (formattedDates.size >= 20_000) formattedDates.clear();
  formattedDates.set(memo, text);
  return text;
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
