import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
const database = openDatabase({ sqlitePath: '/tmp/stdgen/after.sqlite' });
const config = loadConfig({ NODE_ENV: 'production', BESA_DB: '/tmp/stdgen/after.sqlite', LOG_LEVEL: 'silent', PORT: '0' } as NodeJS.ProcessEnv);
const app = await buildApp({ config, database });
for (const url of [process.argv[2]!]) {
  const r = await app.inject({ method: 'GET', url });
  const main = r.body.slice(r.body.indexOf('<main'), r.body.indexOf('</main>'));
  console.log(r.statusCode, main.replace(/<(h2|p|dt|tr|li)[^>]*>/g, '\n').replace(/<[^>]+>/g, ' ').replace(/[ \t]+/g, ' ').replace(/\n\s*\n/g, '\n').slice(0, 5000));
}
await app.close(); await database.destroy();
