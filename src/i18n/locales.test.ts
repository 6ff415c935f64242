import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { allMessageKeys, hasMessage, LOCALES_DIR, messageSource, translate } from './index.js';
import { DERIVED_LOCALES, FALLBACKS, INTL_LOCALE, LOCALE_NAMES, LOCALES, matchLocale, negotiateLocale, WRITTEN_LOCALES } from './locales.js';

describe('the locale table', () => {
  test('each locale is read from its one entry', () => {
    assert.deepEqual(LOCALES, ['sq', 'sr-Latn', 'sr-Cyrl', 'en', 'fr']);
    assert.equal(LOCALE_NAMES['sr-Cyrl'], 'Српски (ћирилица)');
    assert.equal(INTL_LOCALE.en, 'en-GB');
    assert.deepEqual(WRITTEN_LOCALES, ['sq', 'sr-Latn', 'en', 'fr']);
    assert.deepEqual(DERIVED_LOCALES, [{ locale: 'sr-Cyrl', from: 'sr-Latn' }]);
  });

  test('fallbacks: the entry’s own order, then every other locale once', () => {
    assert.deepEqual(FALLBACKS.sq, ['en', 'fr', 'sr-Latn', 'sr-Cyrl']);
    assert.deepEqual(FALLBACKS['sr-Latn'], ['sr-Cyrl', 'en', 'sq', 'fr']);
    for (const locale of LOCALES) assert.deepEqual([...FALLBACKS[locale]].sort(), LOCALES.filter((l) => l !== locale).sort(), locale);
  });

  test('Accept-Language: the language, its script, the neighbouring languages; plain sr is Cyrillic', () => {
    const cases: [string, string | undefined][] = [
      ['sq-AL', 'sq'],
      ['sr', 'sr-Cyrl'],
      ['sr-RS', 'sr-Cyrl'],
      ['sr-Cyrl-RS', 'sr-Cyrl'],
      ['sr-Latn', 'sr-Latn'],
      ['sr-Latn-RS', 'sr-Latn'],
      ['sr-RS-latn', 'sr-Latn'],
      ['hr', 'sr-Latn'],
      ['bs-BA', 'sr-Latn'],
      ['sh', 'sr-Latn'],
      ['en-US', 'en'],
      ['fr-CA', 'fr'],
      ['de', undefined],
      ['', undefined],
    ];
    for (const [tag, locale] of cases) assert.equal(matchLocale(tag), locale, tag);
    assert.equal(negotiateLocale('de-DE, fr;q=0.8, en;q=0.9'), 'en');
    assert.equal(negotiateLocale('de'), 'sq');
    assert.equal(negotiateLocale(undefined), 'sq');
  });
});

describe('the message files', () => {
  test('are read from locales/ at the package root, one file per written locale', () => {
    for (const locale of WRITTEN_LOCALES) assert.ok(existsSync(join(LOCALES_DIR, `${locale}.json`)), locale);
    assert.ok(existsSync(join(LOCALES_DIR, '..', 'package.json')));
    assert.ok(allMessageKeys('en').length > 1000);
    assert.equal(translate('fr', 'ui.skip'), messageSource('fr', 'ui.skip'));
  });

  test('Serbian Cyrillic is derived from Serbian Latin, except its hand-written overrides', () => {
    assert.deepEqual(allMessageKeys('sr-Cyrl'), allMessageKeys('sr-Latn'));
    assert.equal(hasMessage('sr-Cyrl', 'feeds.link'), true);
    assert.equal(messageSource('sr-Latn', 'feeds.link'), 'Atom fid');
    assert.equal(messageSource('sr-Cyrl', 'feeds.link'), 'Атом фид');
    // An override (locales/sr-Cyrl.json): the unit KB stays Latin, where the conversion would write КБ.
    assert.equal(translate('sr-Cyrl', 'reporting.fileSize', { size: 12 }), '12 KB');
    assert.equal(messageSource('sr-Cyrl', 'no.such.key'), undefined);
  });
});
