import { writeFileSync } from 'node:fs';
import { openTestApp } from '../test/app.js';
import { seedIfEmpty, seedDemo } from '../src/db/seeds/index.js';
const t = await openTestApp('sqlite');
await seedIfEmpty(t.database.db);
await seedDemo(t.database.db);
for (const url of ['/sq/gjakova/plans/2024-2025/report', '/fr/gjakova/plans/2024-2025/monitoring-report', '/sr-Cyrl/gjakova/plans/2024-2025/commitments/XKGJA0001/report', '/sq/gjakova/plans/2024-2025/report.pdf', '/sq/gjakova/plans/2024-2025/report.pdf', '/en/gjakova/plans/2024-2025/report.docx', '/en/gjakova/plans/nope/report.docx']) {
  const t0 = Date.now();
  const r = await t.app.inject({ url });
  console.log(url, r.statusCode, r.headers['content-type'], r.headers['content-disposition'], r.rawPayload.length, Date.now() - t0, 'ms');
  writeFileSync('/tmp/rep/' + url.replace(/\//g, '_'), r.rawPayload);
}
await t.close();
