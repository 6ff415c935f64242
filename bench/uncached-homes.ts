/**
 * Uncached render time of the home pages on a database you give it (`npx tsx bench/uncached-homes.ts
 * path/to/besa.sqlite`), with the page cache off: what the first visitor after a change waits for.
 * For the OGP-scale figures, make the database first:
 *
 *   BESA_DB=/tmp/ogp.sqlite npm run besa -- migrate
 *   BESA_DB=/tmp/ogp.sqlite npm run besa -- seed --demo
 *   BESA_DB=/tmp/ogp.sqlite npm run besa -- generate --scale ogp
 *   npx tsx bench/uncached-homes.ts /tmp/ogp.sqlite
 *
 * Each page: 5 renders to warm up, then 40 timed in a row through app.inject (no network); prints
 * the median and the 90th percentile.
 */
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx bench/uncached-homes.ts path/to/besa.sqlite');
  process.exit(2);
}
const config = loadConfig({ NODE_ENV: 'test', BESA_DB: file, BESA_PAGE_CACHE_ENTRIES: '0', LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
const database = openDatabase({ sqlitePath: config.sqlitePath });
const app = await buildApp({ config, database });
await app.ready();
try {
  for (const url of ['/en/', '/sq/', '/en/gjakova', '/en/gjakova/plans/2024-2025']) {
    for (let i = 0; i < 5; i++) await app.inject(url);
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const started = performance.now();
      const response = await app.inject(url);
      times.push(performance.now() - started);
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
    }
    times.sort((a, b) => a - b);
    console.log(`${url.padEnd(32)} median ${times[20]!.toFixed(1)} ms, p90 ${times[36]!.toFixed(1)} ms (40 uncached renders)`);
  }
} finally {
  await app.close();
  await database.destroy();
}
