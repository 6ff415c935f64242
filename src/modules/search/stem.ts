/**
 * A light suffix-stripping stemmer for search queries in Albanian and Serbian, applied to folded
 * words (see foldForSearch: ë is e, ç is c, đ is d). No maintained npm stemmer covers Albanian
 * (snowball-stemmers and @orama/stemmers have Serbian at most), so this small one is Besa's own.
 *
 * It is used on the query only: a folded query word loses its case or definite ending and is then
 * matched as the start of indexed words, so `Gjakovë`, `Gjakovës`, `Gjakovën` and `gjakova` all
 * search for `gjakov…` and find `Gjakova`; `ceshtje` finds `çështja`, `çështjet`, `çështjeve`;
 * Serbian `Đakovici` finds `Đakovica`. The index keeps the words as written, so nothing needs
 * rebuilding and both databases see the same words (the stemmed word is only a prefix query).
 */

/**
 * Case, definiteness and number endings, folded. Albanian: -a -i -u -e (çështja, plani, zotimi,
 * Gjakovë), -it -ut -in -un (planit, zotimin), -es -se -en -ne -te (Gjakovës, Gjakovën, -së, -në,
 * -të), -et -at (zotimet, komunat), -eve -ave (zotimeve, komunave), -ise -ite. Serbian: -a -e -i
 * -u -o, -om -em -og -oj -ih -ima -ama. Longest first. A bare -ve is left alone: it would cut
 * Gjakovë (gjakove) to gjako (shtëpive then finds only the forms that start with shtëpiv).
 */
const SUFFIXES = [
  'eve', 'ave', 'ise', 'ite', 'ima', 'ama',
  'et', 'at', 'te', 'es', 'se', 'en', 'ne', 'it', 'ut', 'in', 'un', 'om', 'em', 'og', 'oj', 'ih',
  'a', 'e', 'i', 'u', 'o',
] as const;

/** A stem shorter than this is too broad to search for as the start of words: the word is kept. */
export const MIN_STEM_LENGTH = 3;

/**
 * The stem of one folded word: the word without its longest known ending, if at least
 * MIN_STEM_LENGTH letters remain. Words with digits (codes such as xkgja0001, years) and short
 * words are returned unchanged.
 */
export function stemWord(word: string): string {
  if (!/^\p{L}+$/u.test(word) || word.length <= MIN_STEM_LENGTH) return word;
  for (const suffix of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= MIN_STEM_LENGTH) return word.slice(0, -suffix.length);
  }
  return word;
}
