import { FALLBACKS, LOCALES, type Locale } from '../i18n/locales.js';
import { cyrillicToLatin, latinToCyrillic } from './serbian.js';

/** A translatable text: one value per locale. Stored as a JSON object. */
export type Translatable = Partial<Record<Locale, string>>;

export function parseTranslatable(json: string | null | undefined): Translatable {
  if (!json) return {};
  try {
    const value = JSON.parse(json) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    const out: Translatable = {};
    for (const locale of LOCALES) {
      const text = (value as Record<string, unknown>)[locale];
      if (typeof text === 'string' && text.trim() !== '') out[locale] = text;
    }
    return out;
  } catch {
    return {};
  }
}

const shared = new Map<string, Readonly<Translatable>>();
const SHARED_MAX = 5_000;
const EMPTY: Readonly<Translatable> = Object.freeze({});

/**
 * parseTranslatable for read models that only show values: the same stored text gives the same
 * frozen object, parsed once (up to SHARED_MAX texts are kept). Hot public pages read the same
 * titles and names on every request; parsing them anew was about a twentieth of the commitment
 * page's time. A caller must not change the values (they are frozen: trying throws).
 */
export function parseTranslatableShared(json: string | null | undefined): Readonly<Translatable> {
  if (!json) return EMPTY;
  let value = shared.get(json);
  if (value === undefined) {
    if (shared.size >= SHARED_MAX) shared.clear();
    value = Object.freeze(parseTranslatable(json));
    shared.set(json, value);
  }
  return value;
}

export function serializeTranslatable(value: Translatable): string {
  const out: Translatable = {};
  for (const locale of LOCALES) {
    const text = value[locale]?.trim();
    if (text) out[locale] = text;
  }
  return JSON.stringify(out);
}

/**
 * Sets one locale's text of a translatable value, leaving the other locales as they are.
 * An empty text removes that locale's value.
 */
export function withLocaleText(existing: Translatable, locale: Locale, text: string): Translatable {
  const next: Translatable = { ...existing };
  const trimmed = text.trim();
  if (trimmed) next[locale] = trimmed;
  else delete next[locale];
  return next;
}

/** Like withLocaleText, on the stored JSON text. */
export function setLocaleText(json: string | null | undefined, locale: Locale, text: string): string {
  return serializeTranslatable(withLocaleText(parseTranslatable(json), locale, text));
}

export interface Picked {
  text: string;
  /** The locale of the text shown. */
  lang: Locale;
  /** True when the text is not in the requested locale. */
  fallback: boolean;
}

/**
 * The best text for a locale. Serbian in the other script is converted exactly and is not
 * a fallback; anything else missing falls back along FALLBACKS and is marked.
 */
export function pick(value: Translatable, locale: Locale): Picked | undefined {
  const own = value[locale];
  if (own) return { text: own, lang: locale, fallback: false };
  if (locale === 'sr-Latn' && value['sr-Cyrl']) return { text: cyrillicToLatin(value['sr-Cyrl']), lang: locale, fallback: false };
  if (locale === 'sr-Cyrl' && value['sr-Latn']) return { text: latinToCyrillic(value['sr-Latn']), lang: locale, fallback: false };
  for (const other of FALLBACKS[locale]) {
    const text = value[other];
    if (text) return { text, lang: other, fallback: true };
  }
  return undefined;
}

/** Plain text for places that cannot show a fallback mark (titles, attributes, feeds). */
export function pickText(value: Translatable, locale: Locale): string {
  return pick(value, locale)?.text ?? '';
}

export function parseList(json: string | null | undefined): string[] {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
