/**
 * Median time of a password-reset request for an address with an account and for one without
 * (issue 7, item 10b): `npx tsx bench/reset-timing.ts [rounds]`. SQLite in memory, app.inject.
 */
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openTestDatabase } from '../test/db.js';
import { createFirstAdministrator, createSetupToken } from '../src/modules/accounts/commands.js';

const rounds = Number(process.argv[2] ?? 400);
const database = await openTestDatabase('sqlite');
const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database });
await app.ready();
await createFirstAdministrator(database.db, await createSetupToken(database.db), { email: 'known@example.org', displayName: 'Known', password: 'correct horse battery staple' });

const form = await app.inject({ method: 'GET', url: '/en/password-reset' });
const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
const cookie = form.cookies.find((c) => c.name === '_csrf')!.value;

async function once(email: string): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await app.inject({
    method: 'POST',
    url: '/en/password-reset',
    payload: new URLSearchParams({ email, _csrf: token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookies: { _csrf: cookie },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (response.statusCode !== 303) throw new Error(`status ${response.statusCode}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const known: number[] = [];
const unknown: number[] = [];
for (let i = 0; i < 50; i++) await once(i % 2 ? 'known@example.org' : 'nobody@example.org'); // warm up
for (let i = 0; i < rounds; i++) {
  // The hourly limit on reset mails would cut the known address's work short: clear it each round.
  await database.db.deleteFrom('password_resets').execute();
  await database.db.deleteFrom('login_attempts').execute();
  if (i % 2) known.push(await once('known@example.org'));
  else unknown.push(await once('nobody@example.org'));
}
console.log(`password-reset request, median of ${rounds / 2} each: known ${median(known).toFixed(2)} ms, unknown ${median(unknown).toFixed(2)} ms`);
await app.close();
await database.destroy();
