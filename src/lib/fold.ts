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

/**
 * Cyrillic letters that look like Latin ones. Codes (XKGJA0001) are Latin letters and digits;
 * typed on a Cyrillic keyboard, or copied from a page that transliterated them, they read
 * ХКГЈА0001, whose transliteration (hkgja0001) is not the code. Read by their look, Х is X, Н is
 * H, Р is P, С is C, В is B, У is Y; letters with no look-alike (Г, Ђ…) keep their transliteration.
 */
const CYRILLIC_LOOKALIKES: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', Ј: 'J', Ѕ: 'S', І: 'I',
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ј: 'j', ѕ: 's', і: 'i',
};

const CYRILLIC = /\p{Script=Cyrillic}/u;
const DIGIT = /\p{N}/u;

/**
 * The search terms of a query, each with the other spellings it may stand for: the first of each
 * list is the term searchTerms gives. A word of Cyrillic letters and digits is a code spelled in
 * Cyrillic, so it also stands for its Latin look-alike (ХКГЈА0001 for xkgja0001).
 */
export function searchTermVariants(query: string, max = 12): string[][] {
  const out: string[][] = [];
  for (const raw of query.split(/[^\p{L}\p{N}\p{M}]+/u)) {
    if (!raw) continue;
    const folded = searchTerms(raw);
    if (folded.length === 1 && CYRILLIC.test(raw) && DIGIT.test(raw)) {
      const lookalike = searchTerms(Array.from(raw, (c) => CYRILLIC_LOOKALIKES[c] ?? c).join(''));
      out.push(lookalike.length === 1 && lookalike[0] !== folded[0] ? [folded[0]!, lookalike[0]!] : folded);
    } else {
      for (const term of folded) out.push([term]);
    }
    if (out.length >= max) break;
  }
  return out.slice(0, max);
}
