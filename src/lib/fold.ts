import { cyrillicToLatin } from './serbian.js';

/**
 * Folds text for search: Serbian Cyrillic to Latin, lower case, diacritics removed, đ to dj.
 * `çështje`, `ÇËSHTJE` and `ceshtje` fold alike; so do `Ђаковица`, `Đakovica` and `djakovica`.
 */
export function foldForSearch(text: string): string {
  return cyrillicToLatin(text)
    .toLowerCase()
    .replace(/đ/g, 'dj')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æ]/g, 'ae')
    .replace(/[œ]/g, 'oe')
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o');
}

/** Splits folded text into search terms: letters and digits only, so no query syntax leaks through. */
export function searchTerms(query: string, max = 12): string[] {
  return foldForSearch(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, max);
}
