import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedIfEmpty } from '../db/seeds/index.js';
import { seedDemo } from '../db/seeds/demo.js';
import { translator } from '../i18n/index.js';
import { LOCALES, type Locale } from '../i18n/locales.js';
import { DIALECTS } from '../../test/db.js';
import { openTestApp, type TestApp } from '../../test/app.js';
import { FallbackNotice, Localized, LocalizedLink } from './components.js';
import type { PageContext } from './context.js';

function ctxFor(locale: Locale, path = '/gjakova'): PageContext {
  return { locale, t: translator(locale), path };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

test('the notice names the languages in the reader\'s language and links to the same page in each', () => {
  const expected: Record<Locale, { page: string; shown: string; read: string }> = {
    sq: { page: 'nuk janë përkthyer ende në shqip', shown: 'ato shfaqen në anglisht', read: 'Lexojeni këtë faqe në anglisht' },
    'sr-Latn': { page: 'još nisu prevedeni na srpski', shown: 'prikazani su na engleskom', read: 'Pročitajte ovu stranicu na engleskom' },
    'sr-Cyrl': { page: 'још нису преведени на српски', shown: 'приказани су на енглеском', read: 'Прочитајте ову страницу на енглеском' },
    en: { page: 'not yet translated into English', shown: 'they are shown in French', read: 'Read this page in French' },
    fr: { page: 'ne sont pas encore traduits en français', shown: 'ils sont affichés en anglais', read: 'Lire cette page en anglais' },
  };
  for (const locale of LOCALES) {
    const ctx = ctxFor(locale);
    // Three texts in the original only: one notice for all of them.
    for (let i = 0; i < 3; i++) String(<Localized ctx={ctx} value={locale === 'en' ? { fr: `Texte ${i}` } : { en: `Text ${i}` }} />);
    const html = String(<FallbackNotice ctx={ctx} />);
    const want = expected[locale];
    assert.ok(html.includes(want.page), `${locale}: ${html}`);
    assert.ok(html.includes(want.shown), `${locale}: ${html}`);
    assert.ok(html.includes(want.read), `${locale}: ${html}`);
    const original = locale === 'en' ? 'fr' : 'en';
    assert.ok(html.includes(`href="/${original}/gjakova" hreflang="${original}"`), `${locale}: ${html}`);
    // Never the language's name in its own tongue.
    assert.ok(!html.includes('English') || locale === 'en', html);
    assert.ok(!html.includes('Shqip'), html);
  }
});

test('no fallback, no notice; several languages are listed once each, Serbian scripts as one language', () => {
  const none = ctxFor('sq');
  String(<Localized ctx={none} value={{ sq: 'Tekst' }} />);
  assert.equal(String(<FallbackNotice ctx={none} />), '');

  const mixed = ctxFor('sq', '/');
  String(<Localized ctx={mixed} value={{ en: 'Only English' }} />);
  String(<LocalizedLink ctx={mixed} href="/x" value={{ fr: 'Seulement en français' }} />);
  const html = String(<FallbackNotice ctx={mixed} />);
  assert.match(html, /ato shfaqen në anglisht dhe frëngjisht\./);
  assert.match(html, /href="\/en\/" hreflang="en">Lexojeni këtë faqe në anglisht</);
  assert.match(html, /href="\/fr\/" hreflang="fr">Lexojeni këtë faqe në frëngjisht</);

  const serbian = ctxFor('en');
  String(<Localized ctx={serbian} value={{ 'sr-Latn': 'Samo srpski' }} />);
  String(<Localized ctx={serbian} value={{ 'sr-Cyrl': 'Само српски' }} />);
  const sr = String(<FallbackNotice ctx={serbian} />);
  assert.equal(count(sr, 'Serbian;'), 0);
  assert.match(sr, /they are shown in Serbian\./);
  assert.match(sr, /Read this page in Serbian \(Latin script\)/);
  assert.match(sr, /Read this page in Serbian \(Cyrillic script\)/);
});

test('a fallback text keeps its own lang and a subtle mark, with no note of its own', () => {
  const ctx = ctxFor('sq');
  const span = String(<Localized ctx={ctx} value={{ en: 'Open data <b>' }} />);
  assert.equal(span, '<span class="fallback" lang="en">Open data &lt;b></span>');
  const block = String(<Localized ctx={ctx} as="div" class="prose" value={{ en: 'One.\n\nTwo.' }} />);
  assert.equal(block, '<div class="prose fallback" lang="en"><p>One.</p><p>Two.</p></div>');
  const link = String(<LocalizedLink ctx={ctx} href="/sq/x" code="XKGJA0001" value={{ en: 'Budget' }} />);
  assert.equal(link, '<a href="/sq/x"><span class="code">XKGJA0001</span> <span class="fallback" lang="en">Budget</span></a>');
});

for (const dialect of DIALECTS) {
  describe(`one notice per page [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(dialect);
      await seedIfEmpty(t.database.db);
      await seedDemo(t.database.db);
    });
    after(async () => t.close());

    test('the Gjakova pages in Albanian say once that some texts are in English, and link to the English page', async () => {
      for (const page of ['/gjakova', '/gjakova/plans/2024-2025', '/gjakova/plans/2024-2025/commitments/XKGJA0001']) {
        const res = await t.app.inject(`/sq${page}`);
        assert.equal(res.statusCode, 200, page);
        assert.equal(count(res.body, 'class="fallback-notice"'), 1, page);
        assert.equal(count(res.body, 'nuk janë përkthyer ende në shqip'), 1, page);
        assert.equal(count(res.body, 'fallback-note'), 0, page);
        assert.ok(res.body.includes(`<a href="/en${page}" hreflang="en">Lexojeni këtë faqe në anglisht</a>`), page);
        // The notice sits at the top of <main>.
        assert.match(res.body, /<main id="main" class="wrap" tabindex="-1"><div class="fallback-notice" role="note">/, page);
        // The texts themselves keep their language.
        assert.match(res.body, /class="[^"]*fallback[^"]*" lang="en"/, page);
      }
      // In English, where the plan's texts are written, there is nothing to say.
      const en = await t.app.inject('/en/gjakova');
      assert.equal(count(en.body, 'fallback-notice'), 0);
    });

    test('a Serbian Cyrillic page keeps codes Latin', async () => {
      const res = await t.app.inject('/sr-Cyrl/gjakova/plans/2024-2025/commitments/XKGJA0001');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /XKGJA0001\.1/);
      assert.doesNotMatch(res.body, /ХКГЈА/);
    });
  });
}
