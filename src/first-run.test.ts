import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from './config.js';
import { announceFirstRun, linkBase, setupLinkMessage } from './first-run.js';
import { createFirstAdministrator, isSetupTokenValid } from './modules/accounts/commands.js';
import { describeEachDatabase } from '../test/db.js';

const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env } as NodeJS.ProcessEnv);
const TOKEN_LINK = /(https?:\/\/\S+)\/sq\/setup\/([A-Za-z0-9_-]{20,})/;

describe('the address in printed links', () => {
  test('is BESA_PUBLIC_URL when set, else HOST and PORT as the server listens', () => {
    const env = { BESA_PUBLIC_URL: 'https://besa.gjakova.example.org/' };
    assert.equal(linkBase(config(env), env), 'https://besa.gjakova.example.org');
    assert.equal(linkBase(config({ PORT: '8123' }), { PORT: '8123' }), 'http://127.0.0.1:8123');
    assert.equal(linkBase(config({ HOST: '10.1.2.3', PORT: '80' }), {}), 'http://10.1.2.3:80');
    assert.equal(linkBase(config({ HOST: '::1', PORT: '8080' }), {}), 'http://[::1]:8080');
    // Listening on every address: a browser opens this machine by name.
    assert.equal(linkBase(config({ HOST: '0.0.0.0', PORT: '8080' }), {}), 'http://localhost:8080');
    assert.equal(linkBase(config({ HOST: '::' }), {}), 'http://localhost:3000');
    // PORT=0: the port the system chose.
    assert.equal(linkBase(config({ PORT: '0' }), {}, 41234), 'http://127.0.0.1:41234');
  });

  test('the message gives the link and the next step', () => {
    const text = setupLinkMessage('http://127.0.0.1:8123', 'abc_TOKEN-0123456789xyz');
    assert.match(text, /No administrator exists yet/);
    assert.match(text, /^ {2}http:\/\/127\.0\.0\.1:8123\/sq\/setup\/abc_TOKEN-0123456789xyz$/m);
    assert.match(text, /within 24 hours/);
    assert.match(text, /Next: choose your name, e-mail address and password/);
    assert.match(text, /http:\/\/127\.0\.0\.1:8123\/sq\/admin/);
    assert.match(text, /npm run besa -- setup-link/);
  });
});

describeEachDatabase('announceFirstRun', (get) => {
  test('with no account: prints a working setup link at the given address; once an administrator exists: nothing', async () => {
    const db = get().db;
    let printed = '';
    assert.equal(await announceFirstRun(db, 'http://127.0.0.1:8123', (text) => (printed += text)), true);
    const match = TOKEN_LINK.exec(printed);
    assert.ok(match, `a setup link is printed: ${printed}`);
    assert.equal(match[1], 'http://127.0.0.1:8123');
    assert.equal(await isSetupTokenValid(db, match[2]!), true, 'the printed link works');
    await createFirstAdministrator(db, match[2]!, { email: 'admin@example.org', displayName: 'Admin', password: 'correct horse battery staple' });
    printed = '';
    assert.equal(await announceFirstRun(db, 'http://127.0.0.1:8123', (text) => (printed += text)), false);
    assert.equal(printed, '');
  });
});

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs src/<file> through tsx with the environment; resolves when `until` matches its stdout, or at exit. */
function run(file: string, args: string[], env: Record<string, string>, until?: RegExp): { child: ChildProcess; done: Promise<{ stdout: string; stderr: string; code: number | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', file), ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const done = new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until?.test(stdout)) resolve({ stdout, stderr, code: null });
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ stdout, stderr, code }));
  });
  return { child, done };
}

describe('first run from the console (SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'besa-first-run-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the server, started with no administrator, prints the setup link at its real address, and the link opens', async () => {
    const port = await freePort();
    const env = { PORT: String(port), BESA_DB: join(dir, 'server.sqlite'), BESA_MAIL_DIR: join(dir, 'mail') };
    const { child, done } = run('server.ts', [], env, TOKEN_LINK);
    try {
      const { stdout, stderr } = await done;
      const match = TOKEN_LINK.exec(stdout);
      assert.ok(match, `the server prints a setup link; stdout: ${stdout}\nstderr: ${stderr}`);
      assert.equal(match[1], `http://127.0.0.1:${port}`);
      assert.match(stdout, /No administrator exists yet/);
      assert.match(stdout, /Next: /);
      const page = await fetch(match[0]);
      assert.equal(page.status, 200, 'the printed link opens the setup form');
      assert.match(await page.text(), /name="password"/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  test('besa setup-link uses PORT and HOST, or BESA_PUBLIC_URL, like the server', async () => {
    const database = join(dir, 'cli.sqlite');
    const onPort = await run('cli.ts', ['setup-link'], { PORT: '8123', BESA_DB: database }).done;
    assert.equal(onPort.code, 0, onPort.stderr);
    assert.equal(TOKEN_LINK.exec(onPort.stdout)?.[1], 'http://127.0.0.1:8123', onPort.stdout);
    assert.match(onPort.stdout, /Next: /);
    const onHost = await run('cli.ts', ['setup-link'], { HOST: '0.0.0.0', PORT: '8080', BESA_DB: database }).done;
    assert.equal(TOKEN_LINK.exec(onHost.stdout)?.[1], 'http://localhost:8080', onHost.stdout);
    const onPublic = await run('cli.ts', ['setup-link'], { PORT: '8123', BESA_PUBLIC_URL: 'https://besa.example.org/', BESA_DB: database }).done;
    assert.equal(TOKEN_LINK.exec(onPublic.stdout)?.[1], 'https://besa.example.org', onPublic.stdout);
  });
});
