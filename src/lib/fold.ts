import { cyrillicToLatin } from './serbian.js';

/**
 * The version of foldForSearch. Stored search documents hold folded text, so a change to the
 * folding must bump it: on start, instances whose documents were folded by another version
 * rebuild them (reindexIfFoldChanged in modules/search).
 *   1: Cyrillic to Latin, lower case, diacritics removed, đ to dj.
 *   2: đ (and the dj people type for it) to d; the one-letter digraphs ǆ ǉ ǌ spelled out.
 */
export const FOLD_VERSION = 2;

/** The single-code-point Serbian digraphs (Dž, Lj, Nj in every case) as the two letters people type. */
const DIGRAPHS: Record<string, string> = { Ǆ: 'dž', ǅ: 'dž', ǆ: 'dž', Ǉ: 'lj', ǈ: 'lj', ǉ: 'lj', Ǌ: 'nj', ǋ: 'nj', ǌ: 'nj' };

/**
 * Folds text for search: Serbian Cyrillic to Latin, lower case, diacritics removed, đ and dj to d.
 * `çështje`, `ÇËSHTJE` and `ceshtje` fold alike; so do `Ђаковица`, `Đakovica`, `Djakovica` and
 * `dakovica` (Serbian Latin typed without diacritics writes đ as d or dj); `Џ`, `Dž` and `dz`
 * fold to `dz`; `Љ`, `Lj` and `ǉ` to `lj`. Folding never crosses a word boundary (the indexer
 * folds word by word), and the same function folds the index and the query.
 */
export function foldForSearch(text: string): string {
  return cyrillicToLatin(text)
    .replace(/[ǄǅǆǇǈǉǊǋǌ]/g, (c) => DIGRAPHS[c]!)
    .toLowerCase()
    .replace(/đ/g, 'd')
    .replace(/dj/g, 'd')
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
