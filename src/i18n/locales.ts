export const LOCALES = ['sq', 'sr-Latn', 'sr-Cyrl', 'en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'sq';

/** Each locale's own name, for the language switcher. */
export const LOCALE_NAMES: Record<Locale, string> = {
  sq: 'Shqip',
  'sr-Latn': 'Srpski (latinica)',
  'sr-Cyrl': 'Српски (ћирилица)',
  en: 'English',
  fr: 'Français',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Where to look when a text is missing in a locale, best first. */
export const FALLBACKS: Record<Locale, readonly Locale[]> = {
  sq: ['en', 'fr', 'sr-Latn', 'sr-Cyrl'],
  'sr-Latn': ['sr-Cyrl', 'en', 'sq', 'fr'],
  'sr-Cyrl': ['sr-Latn', 'en', 'sq', 'fr'],
  en: ['fr', 'sq', 'sr-Latn', 'sr-Cyrl'],
  fr: ['en', 'sq', 'sr-Latn', 'sr-Cyrl'],
};

/** Maps one BCP 47 tag to a supported locale, or undefined. Plain `sr` is Cyrillic. */
export function matchLocale(tag: string): Locale | undefined {
  const lower = tag.trim().toLowerCase();
  if (!lower) return undefined;
  const parts = lower.split('-');
  const language = parts[0];
  if (language === 'sr') {
    if (parts.includes('latn')) return 'sr-Latn';
    return 'sr-Cyrl';
  }
  if (language === 'sh' || language === 'bs' || language === 'hr') return 'sr-Latn';
  if (language === 'sq' || language === 'en' || language === 'fr') return language;
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
