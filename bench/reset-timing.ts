/**
 * Median time of a password-reset request for an address with an account and for one without
 * (issue 7, item 10b): `npx tsx bench/reset-timing.ts [rounds]`. The app runs in a child process
 * (SQLite in memory, listening on 127.0.0.1); this process sends the requests one at a time over
 * HTTP, as someone timing them from outside would.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === '--serve') {
  const { buildApp } = await import('../src/app.js');
  const { loadConfig } = await import('../src/config.js');
  const { openTestDatabase } = await import('../test/db.js');
  const { createFirstAdministrator, createSetupToken } = await import('../src/modules/accounts/commands.js');
  const database = await openTestDatabase('sqlite');
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database });
  await createFirstAdministrator(database.db, await createSetupToken(database.db), { email: 'known@example.org', displayName: 'Known', password: 'correct horse battery staple' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('not listening');
  process.on('message', async (message) => {
    // Between rounds: the hourly limit on reset links would cut the known address's work short.
    if (message === 'clear') {
      await database.db.deleteFrom('password_resets').execute();
      await database.db.deleteFrom('login_attempts').execute();
      process.send!('cleared');
    }
    if (message === 'stop') {
      await app.close();
      await database.destroy();
      process.exit(0);
    }
  });
  process.send!({ port: address.port });
} else {
  const rounds = Number(process.argv[2] ?? 400);
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'] });
  const next = () => new Promise<unknown>((resolve) => child.once('message', resolve));
  const { port } = (await next()) as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const form = await fetch(`${base}/en/password-reset`);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const cookie = /_csrf=([^;]+)/.exec(form.headers.getSetCookie().join('\n'))![1]!;

  const once = async (email: string): Promise<number> => {
    const start = process.hrtime.bigint();
    const response = await fetch(`${base}/en/password-reset`, {
      method: 'POST',
      body: new URLSearchParams({ email, _csrf: token }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `_csrf=${cookie}` },
      redirect: 'manual',
    });
    await response.text();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (response.status !== 303) throw new Error(`status ${response.status}`);
    return ms;
  };
  const clear = async () => {
    const done = next();
    child.send('clear');
    await done;
  };

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 50; i++) await once(i % 2 ? 'known@example.org' : 'nobody@example.org'); // warm up
  for (let i = 0; i < rounds; i++) {
    await clear();
    if (i % 2) known.push(await once('known@example.org'));
    else unknown.push(await once('nobody@example.org'));
  }
  console.log(`password-reset request over HTTP, median of ${rounds / 2} each: known ${median(known).toFixed(2)} ms, unknown ${median(unknown).toFixed(2)} ms`);
  child.send('stop');
}
