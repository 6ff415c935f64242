import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messageSource, messageToCyrillic, translate } from '../i18n/index.js';
import { cyrillicToLatin, latinToCyrillic } from './serbian.js';
import { pick } from './translatable.js';

test('Serbian Latin to Cyrillic converts words, digraphs included', () => {
  assert.equal(latinToCyrillic('Opština Đakovica: ljubav, Njegoš, DŽEP, džep'), 'Општина Ђаковица: љубав, Његош, ЏЕП, џеп');
  assert.equal(cyrillicToLatin('Општина Ђаковица: љубав, Његош'), 'Opština Đakovica: ljubav, Njegoš');
});

test('letters that only look like a digraph across a prefix or in a loanword are two Cyrillic letters', () => {
  assert.equal(latinToCyrillic('injekcija, konjunkcija, konjugacija, podžupan, nadživeti, odžaliti'), 'инјекција, конјункција, конјугација, поджупан, надживети, оджалити');
  assert.equal(latinToCyrillic('Injekcija i Podžupan; konj, njiva, džep, Njegoš'), 'Инјекција и Поджупан; коњ, њива, џеп, Његош');
  // Not every od + ž is a prefix: odžak (chimney) has the letter џ.
  assert.equal(latinToCyrillic('odžak, nadžnjeti, podžanr'), 'оџак, наджњети, поджанр');
});

test('codes, addresses, foreign words and units stay Latin in Serbian Cyrillic', () => {
  const kept: [string, string][] = [
    ['Obaveza XKGJA0001 je završena.', 'Обавеза XKGJA0001 је завршена.'],
    ['Etapa XKGJA0001.1 kasni.', 'Етапа XKGJA0001.1 касни.'],
    ['Vidi https://gjakova.org/plan?x=1&lang=sr.', 'Види https://gjakova.org/plan?x=1&lang=sr.'],
    ['Vidi www.kk-gjakove.org, pa gjakova.rs/plan/2025.', 'Види www.kk-gjakove.org, па gjakova.rs/plan/2025.'],
    ['Pišite na info@gjakova.org ili ime.prezime@primer.org.', 'Пишите на info@gjakova.org или ime.prezime@primer.org.'],
    ['Put od 5 km, datoteka od 12 MB, 3kWh i 20 m².', 'Пут од 5 km, датотека од 12 MB, 3kWh и 20 m².'],
    ['Standard WCAG 2.1, kanal na YouTube i ISO-27001.', 'Стандард WCAG 2.1, канал на YouTube и ISO-27001.'],
    // Not a unit: a Serbian word after a number is converted.
    ['5 mačaka, 2021. g.', '5 мачака, 2021. г.'],
    // Roman numerals stay Latin; a lone capital I is the word "i".
    ['II kvartal 2024, IV kvartal i poglavlje XIV. I tako dalje.', 'II квартал 2024, IV квартал и поглавље XIV. И тако даље.'],
    // A number with a Serbian ending is Serbian.
    ['Do 15-og marta, 90-ih godina, za 2024.godinu.', 'До 15-ог марта, 90-их година, за 2024.годину.'],
  ];
  for (const [latin, cyrillic] of kept) assert.equal(latinToCyrillic(latin), cyrillic, latin);
});

test('stored Serbian Latin content shown in Cyrillic keeps its codes and addresses Latin', () => {
  const picked = pick({ 'sr-Latn': 'Obaveza XKGJA0002: portal https://gjakova.example.org/budzet, kontakt budzet@gjakova.example.org' }, 'sr-Cyrl');
  assert.deepEqual(picked, {
    text: 'Обавеза XKGJA0002: портал https://gjakova.example.org/budzet, контакт budzet@gjakova.example.org',
    lang: 'sr-Cyrl',
    fallback: false,
  });
});

test('derived Cyrillic messages keep the interpolated values and Latin examples as they are', () => {
  assert.equal(messageToCyrillic('Obaveza {code}: {count, plural, one {# etapa} other {# etapa}} (XKGJA0001)'), 'Обавеза {code}: {count,plural,one{# етапа} other{# етапа}} (XKGJA0001)');
  assert.match(messageSource('sr-Cyrl', 'accounts.error.email') ?? '', /ime@primer\.org/);
  assert.match(translate('sr-Cyrl', 'commitment.timelineCaption', { code: 'XKGJA0001' }), /XKGJA0001/);
});
