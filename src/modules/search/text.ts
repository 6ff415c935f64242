import { translate } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import { foldForSearch } from '../../lib/fold.js';
import { parseList, parseTranslatable, pick, pickText, serializeTranslatable, type Translatable } from '../../lib/translatable.js';

/** The texts of search documents: what every module's search source builds its documents with. */

/**
 * A stored text as a translatable value. Translatable fields are JSON objects; a few names may be
 * plain text (a proper name is the same in every language), which then stands for every locale.
 */
export function asTranslatable(raw: string | null | undefined): Translatable {
  if (!raw) return {};
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) return parseTranslatable(trimmed);
  if (!trimmed) return {};
  const out: Translatable = {};
  for (const locale of LOCALES) out[locale] = trimmed;
  return out;
}

/** Every locale's text of stored values, plain strings and lists included. */
function textsOf(...values: (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const raw of values) {
    if (!raw) continue;
    const trimmed = raw.trim();
    if (trimmed.startsWith('[')) {
      for (const item of parseList(trimmed)) out.push(...textsOf(item));
      continue;
    }
    const value = asTranslatable(trimmed);
    // Distinct texts only: a name that is the same in every locale is indexed once.
    for (const text of new Set(Object.values(value))) if (text) out.push(text);
  }
  return out;
}

/** Words as they are written: letters, digits and the combining marks that belong to them. */
const RAW_WORD_SEPARATOR = /[^\p{L}\p{N}\p{M}]+/u;
const FOLDED_WORD_SEPARATOR = /[^\p{L}\p{N}]+/u;

/**
 * Folds text word by word, remembering each distinct word: a jurisdiction's documents repeat the
 * same few thousand words, so this is many times faster than folding every text whole, with the
 * same result (folding works character by character and never crosses a word boundary).
 */
export class WordFolder {
  private readonly cache = new Map<string, string>();

  words(text: string, out: string[]): void {
    for (const raw of text.split(RAW_WORD_SEPARATOR)) {
      if (!raw) continue;
      let folded = this.cache.get(raw);
      if (folded === undefined) {
        folded = foldForSearch(raw)
          .split(FOLDED_WORD_SEPARATOR)
          .filter((w) => w.length > 0)
          .join(' ');
        if (this.cache.size < 200_000) this.cache.set(raw, folded);
      }
      if (folded) out.push(folded);
    }
  }
}

/**
 * The body of a document: folded text (see foldForSearch), words of letters and digits separated
 * by single spaces, so SQLite's FTS5 and PostgreSQL's parser see exactly the same words.
 */
export function searchBody(...values: (string | null | undefined)[]): string {
  return bodyWith(new WordFolder(), values);
}

export function bodyWith(folder: WordFolder, values: (string | null | undefined)[]): string {
  const words: string[] = [];
  for (const text of textsOf(...values)) folder.words(text, words);
  return words.join(' ');
}

/** A stored name or title as the translatable JSON a document's title holds. */
export function titleJson(raw: string | null | undefined): string {
  return serializeTranslatable(asTranslatable(raw));
}

/**
 * The title of a progress update: the title of the milestone or commitment it is about, with the
 * cycle, in every locale the title is written in (other locales show it as a marked fallback).
 * The cycle is named as on the commitment page: its label, or "Cycle N".
 */
export function updateTitle(rawTitle: string | null | undefined, cycle: { number: number; label: string }): string {
  const title = asTranslatable(rawTitle);
  const label = parseTranslatable(cycle.label);
  const cycleName = (locale: (typeof LOCALES)[number]) => pickText(label, locale) || translate(locale, 'reporting.cycle.defaultLabel', { number: cycle.number });
  const out: Translatable = {};
  for (const locale of LOCALES) {
    const picked = pick(title, locale);
    if (picked && !picked.fallback) out[locale] = translate(locale, 'search.updateTitle', { title: picked.text, cycle: cycleName(locale) });
  }
  // A title with no text at all: the cycle alone.
  if (Object.keys(out).length === 0) for (const locale of LOCALES) out[locale] = cycleName(locale);
  return serializeTranslatable(out);
}
