/**
 * What each brotli quality costs when a page is stored, and what it saves (the page cache compresses
 * each page once, when it is stored: plugins/page-cache.ts BROTLI_QUALITY, GZIP_LEVEL).
 *
 *   tsx bench/compression.ts
 *
 * Gjakova's plan with the demonstration data in a temporary SQLite file; the home, plan and
 * commitment pages as rendered; for each quality, the median time of 20 compressions and the size.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemo, seedIfEmpty } from '../src/db/seeds/index.js';
import { BROTLI_QUALITY, GZIP_LEVEL } from '../src/plugins/page-cache.js';

const PAGES = ['/en/gjakova', '/en/gjakova/plans/2024-2025', '/en/gjakova/plans/2024-2025/commitments/XKGJA0001'];

function median(run: () => Buffer): { ms: number; bytes: number } {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    bytes = run().length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[10]!, bytes };
}

const dir = await mkdtemp(join(tmpdir(), 'besa-bench-compression-'));
const database = openDatabase({ sqlitePath: join(dir, 'b.sqlite') });
try {
  await migrateToLatest(database.db, database.dialect);
  await seedIfEmpty(database.db);
  await seedDemo(database.db);
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', BESA_DB: join(dir, 'b.sqlite') } as NodeJS.ProcessEnv), database });
  const rows: string[] = [];
  for (const path of PAGES) {
    const body = (await app.inject(path)).rawPayload;
    const cells = [`${path} (${body.length} B)`];
    for (const quality of [4, 5, 6, 7, 9, 11]) {
      const r = median(() => brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: quality, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT } }));
      cells.push(`br${quality}${quality === BROTLI_QUALITY ? '*' : ''} ${r.bytes} B ${r.ms.toFixed(2)} ms`);
    }
    const g = median(() => gzipSync(body, { level: GZIP_LEVEL }));
    cells.push(`gzip${GZIP_LEVEL}* ${g.bytes} B ${g.ms.toFixed(2)} ms`);
    rows.push(cells.join(' | '));
  }
  console.log(rows.join('\n'));
  console.log('* the settings the page cache uses. Median of 20 runs each.');
  await app.close();
} finally {
  await database.destroy();
  await rm(dir, { recursive: true, force: true });
}
