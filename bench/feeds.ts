/**
 * Feeds, sitemap and share image on a database you give it (`npx tsx bench/feeds.ts path/to/besa.sqlite`),
 * e.g. the OGP-scale one (see bench/uncached-homes.ts for how to make it): the time of each
 * document uncached (first request after a change) and cached, and the sitemap's size.
 */
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { bumpContentVersion } from '../src/db/content-version.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx bench/feeds.ts path/to/besa.sqlite');
  process.exit(2);
}
const config = loadConfig({ NODE_ENV: 'test', BESA_DB: file, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
const database = openDatabase({ sqlitePath: config.sqlitePath });
const app = await buildApp({ config, database });
await app.ready();
const commitment = await database.db.selectFrom('commitments').select('id').orderBy('id').executeTakeFirstOrThrow();
try {
  for (const url of ['/en/feed.atom', '/en/gjakova/feed.atom', '/en/gjakova/plans/2024-2025/feed.atom', '/en/gjakova/plans/2024-2025/commitments/XKGJA0001/feed.atom', '/sitemap.xml', `/share/commitments/${commitment.id}.png?lang=sq`]) {
    const uncached: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 7; i++) {
      await bumpContentVersion(database.db);
      const started = performance.now();
      const response = await app.inject(url);
      uncached.push(performance.now() - started);
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
      bytes = response.rawPayload.length;
    }
    const cached: number[] = [];
    for (let i = 0; i < 21; i++) {
      const started = performance.now();
      await app.inject(url);
      cached.push(performance.now() - started);
    }
    uncached.sort((a, b) => a - b);
    cached.sort((a, b) => a - b);
    console.log(`${url.padEnd(64)} uncached median ${uncached[3]!.toFixed(1)} ms, cached median ${cached[10]!.toFixed(2)} ms, ${(bytes / 1024).toFixed(0)} KiB`);
  }
} finally {
  await app.close();
  await database.destroy();
}
