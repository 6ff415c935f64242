/**
 * The interface's languages, one entry each. Adding a language is a file and a line: its messages
 * in `locales/<tag>.json` (docs/TRANSLATING.md) and one entry here. Everything else about a locale
 * is read from its entry: the language switcher's name, the Intl locale for dates, numbers and
 * plural rules, which Accept-Language tags choose it, where a missing text is looked for, and, for
 * a script derived from another (Serbian Cyrillic from Serbian Latin), where its messages come from.
 */
export interface LocaleEntry {
  /** The language's own name, for the language switcher. */
  name: string;
  /** The Intl locale for numbers, dates and plural rules. */
  intl: string;
  /**
   * Lower-case BCP 47 prefixes that choose this locale from Accept-Language (`sr-latn` matches
   * `sr-Latn-RS`); the longest matching prefix over all locales wins, so `sr` alone means Cyrillic.
   */
  accept: readonly string[];
  /**
   * Where to look first when a text (content, not a message) is missing in this locale; the other
   * locales follow in the order of this table, so a new locale needs no change to the others.
   */
  fallbacks: readonly string[];
  /**
   * The locale whose messages this one's are converted from (`locales/<tag>.json` then holds only
   * the hand-written exceptions). Only Serbian Cyrillic is derived, from Serbian Latin.
   */
  derivedFrom?: string;
}

const TABLE = {
  sq: { name: 'Shqip', intl: 'sq', accept: ['sq'], fallbacks: ['en', 'fr', 'sr-Latn', 'sr-Cyrl'] },
  'sr-Latn': { name: 'Srpski (latinica)', intl: 'sr-Latn', accept: ['sr-latn', 'sh', 'bs', 'hr'], fallbacks: ['sr-Cyrl', 'en', 'sq', 'fr'] },
  'sr-Cyrl': { name: 'Српски (ћирилица)', intl: 'sr-Cyrl', accept: ['sr'], fallbacks: ['sr-Latn', 'en', 'sq', 'fr'], derivedFrom: 'sr-Latn' },
  en: { name: 'English', intl: 'en-GB', accept: ['en'], fallbacks: ['fr', 'sq', 'sr-Latn', 'sr-Cyrl'] },
  fr: { name: 'Français', intl: 'fr', accept: ['fr'], fallbacks: ['en', 'sq', 'sr-Latn', 'sr-Cyrl'] },
} as const satisfies Record<string, LocaleEntry>;

export type Locale = keyof typeof TABLE;
/** The locales in the order the language switcher shows them. */
export const LOCALES = Object.keys(TABLE) as readonly Locale[];
export const LOCALE_TABLE: Readonly<Record<Locale, LocaleEntry>> = TABLE;
export const DEFAULT_LOCALE: Locale = 'sq';
/** The source language of the messages: every other file is a translation of `locales/en.json`. */
export const SOURCE_LOCALE: Locale = 'en';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(TABLE, value);
}

function byLocale<T>(read: (entry: LocaleEntry, locale: Locale) => T): Record<Locale, T> {
  return Object.fromEntries(LOCALES.map((l) => [l, read(TABLE[l], l)])) as Record<Locale, T>;
}

/** Each locale's own name, for the language switcher. */
export const LOCALE_NAMES: Record<Locale, string> = byLocale((e) => e.name);

/** Intl locale used for numbers, dates and plural rules. */
export const INTL_LOCALE: Record<Locale, string> = byLocale((e) => e.intl);

/** Where to look when a text is missing in a locale, best first: its own list, then the rest in table order. */
export const FALLBACKS: Record<Locale, readonly Locale[]> = byLocale((e, self) => {
  for (const f of e.fallbacks) if (!isLocale(f)) throw new Error(`Locale ${self}: unknown fallback ${f}`);
  const first = e.fallbacks.filter((f): f is Locale => isLocale(f) && f !== self);
  return [...first, ...LOCALES.filter((l) => l !== self && !first.includes(l))];
});

/** The hand-written locales (a file of full translations each), in table order. */
export const WRITTEN_LOCALES: readonly Locale[] = LOCALES.filter((l) => !(TABLE[l] as LocaleEntry).derivedFrom);

/** Locales derived from another (`sr-Cyrl` from `sr-Latn`), with their source. */
export const DERIVED_LOCALES: readonly { locale: Locale; from: Locale }[] = LOCALES.flatMap((l) => {
  const from = (TABLE[l] as LocaleEntry).derivedFrom;
  if (from === undefined) return [];
  if (!isLocale(from)) throw new Error(`Locale ${l}: unknown source ${from}`);
  return [{ locale: l, from }];
});

const ACCEPT: readonly { prefix: string; locale: Locale }[] = LOCALES.flatMap((l) => TABLE[l].accept.map((prefix) => ({ prefix, locale: l }))).sort(
  (a, b) => b.prefix.split('-').length - a.prefix.split('-').length,
);

/** Maps one BCP 47 tag to a supported locale, or undefined. Plain `sr` is Cyrillic. */
export function matchLocale(tag: string): Locale | undefined {
  const lower = tag.trim().toLowerCase();
  if (!lower) return undefined;
  const parts = lower.split('-');
  // A script subtag may stand anywhere after the language (`sr-RS-Latn` is seen in the wild).
  const script = parts.slice(1).find((p) => /^[a-z]{4}$/.test(p));
  const language = parts[0] ?? '';
  const candidates = script ? [`${language}-${script}`, language] : [language];
  for (const { prefix, locale } of ACCEPT) if (candidates.includes(prefix)) return locale;
  return undefined;
}

/** Picks the locale from an Accept-Language header by quality; defaults to Albanian. */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranges = header
    .split(',')
    .slice(0, 30)
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag, quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const range of ranges) {
    const locale = matchLocale(range.tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}
