import { LOCALES, type Locale } from '../../i18n/locales.js';
import type { Translatable } from '../../lib/translatable.js';

/**
 * Helpers for the modules' FeedSources (a leaf: it imports no module, so any module's feed.ts may
 * use it without an import circle).
 */

/** A text written in every locale by `text(locale)` (e.g. a message with the date formatted there). */
export function inEveryLocale(text: (locale: Locale) => string): Translatable {
  const out: Translatable = {};
  for (const locale of LOCALES) out[locale] = text(locale);
  return out;
}

/** The newest first by `updated`, then `published`, then key (a stable order for equal instants). */
export function newestFirst<T extends { updated: string; published: string; key: string }>(a: T, b: T): number {
  if (a.updated !== b.updated) return a.updated < b.updated ? 1 : -1;
  if (a.published !== b.published) return a.published < b.published ? 1 : -1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
