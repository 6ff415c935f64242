import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { LOCALES } from '../../i18n/locales.js';
import { openTestDatabase, type TestDatabase } from '../../../test/db.js';

let database: TestDatabase;
let app: FastifyInstance;

before(async () => {
  database = await openTestDatabase('sqlite');
  app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as any), database });
  await app.ready();
});

after(async () => {
  await app?.close();
  await database?.destroy();
});

const EXPECTED_TITLES: Record<string, { accessibility: string; privacy: string }> = {
  sq: { accessibility: 'Deklarata e qasshmërisë', privacy: 'Njoftimi për privatësinë' },
  'sr-Latn': { accessibility: 'Izjava o pristupačnosti', privacy: 'Obaveštenje o privatnosti' },
  'sr-Cyrl': { accessibility: 'Изјава о приступачности', privacy: 'Обавештење о приватности' },
  en: { accessibility: 'Accessibility statement', privacy: 'Privacy notice' },
  fr: { accessibility: 'Déclaration d’accessibilité', privacy: 'Politique de confidentialité' },
};

for (const page of ['accessibility', 'privacy'] as const) {
  for (const locale of LOCALES) {
    test(`/${locale}/${page} answers in its language`, async () => {
      const res = await app.inject(`/${locale}/${page}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      assert.match(res.body, new RegExp(`<html lang="${locale}"`));
      assert.ok(res.body.includes(`<h1 id="page-title">${EXPECTED_TITLES[locale]![page]}</h1>`), res.body.slice(0, 2000));
      // One h1, then h2s only: headings in order.
      assert.equal(res.body.match(/<h1[\s>]/g)?.length, 1);
      assert.doesNotMatch(res.body, /<h[3-6][\s>]/);
      assert.doesNotMatch(res.body, / style=/);
    });
  }
}

test('the accessibility statement names the standard, the ways Besa meets it and how to report a problem', async () => {
  const en = (await app.inject('/en/accessibility')).body;
  assert.match(en, /WCAG 2\.2/);
  assert.match(en, /level AA/);
  assert.match(en, /without JavaScript/);
  assert.match(en, /last reviewed on 4 December 2026/);
  // It promises only what Besa stores: no contact details on the jurisdiction's page, no answer time.
  for (const locale of ['en', 'sq', 'sr-Latn', 'fr']) {
    for (const page of ['accessibility', 'privacy']) {
      // The participation part of the privacy notice names how long an erasure link works (30 days): a
      // property of the link, not an answer time; the promise checked here is about the sections after it.
      const body = (await app.inject(`/${locale}/${page}`)).body.replace(/<section id="participation"[\s\S]*?<\/section>/, '');
      assert.doesNotMatch(body, /7 days|7 ditëve|7 dana|7 jours|30 days|30 ditëve|30 dana|30 jours/, `${locale}/${page}: no promised answer time`);
      assert.doesNotMatch(body, /contact details are on the jurisdiction|kontaktit janë në faqen|kontakt podaci nalaze se|coordonnées figurent sur la page/, `${locale}/${page}: no contact details promised`);
    }
  }
  assert.match(en, /does not hold the jurisdictions’ contact details/);
  const cyr = (await app.inject('/sr-Cyrl/accessibility')).body;
  // Technical names stay in Latin script inside the Cyrillic text.
  assert.match(cyr, /WCAG 2\.2/);
  assert.match(cyr, /JavaScript/);
  assert.match(cyr, /axe-core/);
  assert.match(cyr, /обичан HTML/);
  assert.match(cyr, / PDF /);
});

test('the privacy notice lists the security cookies in an accessible table and cites the law', async () => {
  const en = (await app.inject('/en/privacy')).body;
  assert.match(en, /<caption>Cookies used by Besa<\/caption>/);
  assert.match(en, /<th scope="col">Name<\/th>/);
  for (const cookie of ['besa_session', '_csrf', 'besa_flash']) assert.match(en, new RegExp(`<th scope="row"><code>${cookie}</code></th>`));
  assert.match(en, /14 days, or until signing out/);
  assert.match(en, /60 seconds/);
  assert.match(en, /Law No\. 06\/L-082/);
  assert.match(en, /GDPR/);
  assert.match(en, /never published/);
  const sr = (await app.inject('/sr-Latn/privacy')).body;
  assert.match(sr, /14 dana ili do odjave/);
  assert.match(sr, /60 sekundi/);
  const cyr = (await app.inject('/sr-Cyrl/privacy')).body;
  assert.match(cyr, /<code>besa_session<\/code>/);
  assert.match(cyr, /06\/L-082/);
});

test('the pages are served through the page cache with an ETag', async () => {
  const first = await app.inject('/fr/privacy');
  const etag = first.headers['etag'] as string;
  assert.ok(etag);
  const again = await app.inject({ url: '/fr/privacy', headers: { 'if-none-match': etag } });
  assert.equal(again.statusCode, 304);
});

test('the pages set no cookies', async () => {
  for (const page of ['accessibility', 'privacy']) {
    const res = await app.inject(`/sq/${page}`);
    assert.equal(res.headers['set-cookie'], undefined);
  }
});
