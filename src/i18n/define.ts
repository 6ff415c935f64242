/** The locales whose messages are written by hand; Serbian Cyrillic is derived from Serbian Latin. */
export interface MessageBundle<K extends string> {
  en: Record<K, string>;
  sq: Record<K, string>;
  'sr-Latn': Record<K, string>;
  fr: Record<K, string>;
  /** Optional hand-written Cyrillic where the automatic conversion would be wrong. */
  'sr-Cyrl'?: Partial<Record<K, string>>;
}

/** Messages use ICU MessageFormat: `{count, plural, one {# commitment} other {# commitments}}`. */
export function defineMessages<K extends string>(bundle: MessageBundle<K>): MessageBundle<K> {
  return bundle;
}
