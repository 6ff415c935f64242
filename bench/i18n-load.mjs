/**
 * What reading the interface messages costs at startup (docs/adr/0009): run after `npm run build`,
 *   node bench/i18n-load.mjs
 * Prints the time to import the message libraries, to read and parse the locales/*.json files, to
 * import dist/src/i18n/index.js (which reads the files and derives Serbian Cyrillic once), and the
 * Cyrillic derivation alone.
 */
import { readFileSync } from 'node:fs';
const root = new URL('..', import.meta.url);
const t0 = performance.now();
await import('intl-messageformat');
await import('@formatjs/icu-messageformat-parser');
await import('@formatjs/icu-messageformat-parser/printer.js');
const t1 = performance.now();
for (const l of ['en', 'sq', 'sr-Latn', 'fr', 'sr-Cyrl']) JSON.parse(readFileSync(new URL(`locales/${l}.json`, root), 'utf8'));
const t2 = performance.now();
const i18n = await import(new URL('dist/src/i18n/index.js', root).href);
const t3 = performance.now();
const latin = Object.values(JSON.parse(readFileSync(new URL('locales/sr-Latn.json', root), 'utf8')));
const t4 = performance.now();
for (const message of latin) i18n.messageToCyrillic(message);
const t5 = performance.now();
const ms = (a, b) => `${(b - a).toFixed(1)} ms`;
console.log(`message libraries ${ms(t0, t1)}; read and parse 5 locale files ${ms(t1, t2)}; i18n module (its own imports, files, Cyrillic) ${ms(t2, t3)}; Cyrillic derivation of ${latin.length} messages alone ${ms(t4, t5)}`);
