/**
 * Besa on several processes (src/server.ts with BESA_WORKERS=2): the real server, started as
 * `npm start` would, on a temporary SQLite file. Both workers answer on the one port, a worker
 * killed outright is replaced, and SIGTERM drains every process and exits 0. Which process answered
 * is read from the request log lines (pino writes each process's pid): no page says it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../src/config.js';

interface LogLine {
  msg?: string;
  pid?: number;
  role?: string;
  worker?: number;
  workerPid?: number;
  port?: number;
  path?: string;
  status?: number;
}

/** GET on a connection of its own (no keep-alive), so the primary hands each request to the next worker. */
function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('BESA_WORKERS', () => {
  it('defaults to the number of cores, takes 1 to 256, refuses anything else', () => {
    assert.equal(loadConfig({} as NodeJS.ProcessEnv).workers, availableParallelism());
    assert.equal(loadConfig({ BESA_WORKERS: '1' } as NodeJS.ProcessEnv).workers, 1);
    assert.equal(loadConfig({ BESA_WORKERS: '3' } as NodeJS.ProcessEnv).workers, 3);
    for (const bad of ['0', '-1', '2.5', 'all', '257']) assert.throws(() => loadConfig({ BESA_WORKERS: bad } as NodeJS.ProcessEnv), ConfigError, bad);
  });
});

describe('several worker processes behind one port (BESA_WORKERS=2, SQLite)', { timeout: 90_000 }, () => {
  let dir: string;
  let server: ChildProcess;
  const lines: LogLine[] = [];
  let exit: Promise<number | null>;
  let waiters: Array<() => void> = [];

  /** Resolves when a log line satisfying `test` has been written (or fails after `ms`). */
  function waitFor(what: string, test: (lines: LogLine[]) => boolean, ms = 40_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; log so far:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`)), ms);
      const check = () => {
        if (!test(lines)) {
          waiters.push(check);
          return;
        }
        clearTimeout(timer);
        resolve();
      };
      check();
    });
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'besa-cluster-'));
    const env: NodeJS.ProcessEnv = { ...process.env, BESA_WORKERS: '2', PORT: '0', HOST: '127.0.0.1', BESA_DB: join(dir, 'besa.sqlite'), BESA_MAIL_DIR: join(dir, 'mail'), LOG_LEVEL: 'debug', NODE_ENV: 'production' };
    delete env.DATABASE_URL;
    delete env.BESA_PUBLIC_URL;
    server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    exit = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
    let rest = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      rest += chunk.toString();
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) {
        if (!part.startsWith('{')) continue;
        try {
          lines.push(JSON.parse(part) as LogLine);
        } catch {
          // Not a log line (the first-run announcement).
        }
      }
      const pending = waiters;
      waiters = [];
      for (const waiter of pending) waiter();
    });
  });

  after(async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    for (const line of lines) if (line.workerPid && alive(line.workerPid)) process.kill(line.workerPid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const listening = () => lines.filter((l) => l.role === 'primary' && l.msg === 'worker listening');
  const answeredBy = () => new Set(lines.filter((l) => l.msg === 'request' && l.path === '/healthz' && l.status === 200).map((l) => l.pid));

  it('serves from two worker processes, replaces one killed outright, and drains on SIGTERM', async () => {
    await waitFor('two workers listening', () => listening().length >= 2);
    const started = listening();
    const port = started[0]!.port!;
    const pids = new Set(started.map((l) => l.workerPid));
    assert.equal(pids.size, 2, 'two distinct worker processes');
    assert.ok(!pids.has(server.pid), 'the primary itself serves nothing');
    assert.deepEqual(new Set(started.map((l) => l.port)), new Set([port]), 'one port');

    // Connections are handed out in turn: a few requests reach both workers.
    for (let i = 0; i < 6; i++) assert.equal(await get(port, '/healthz'), 200);
    await waitFor('both workers answering', () => [...pids].every((pid) => answeredBy().has(pid)), 5_000);

    // Killed outright: the primary forks a replacement in the same place, which serves on the same port.
    const victim = started.find((l) => l.worker === 2)!;
    process.kill(victim.workerPid!, 'SIGKILL');
    await waitFor('the replacement listening', () => listening().some((l) => l.worker === 2 && l.workerPid !== victim.workerPid));
    assert.ok(lines.some((l) => l.msg === 'worker died; replacing it' && l.workerPid === victim.workerPid));
    const replacement = listening().find((l) => l.worker === 2 && l.workerPid !== victim.workerPid)!;
    assert.equal(replacement.port, port);
    for (let i = 0; i < 6; i++) assert.equal(await get(port, '/healthz'), 200);
    await waitFor('the replacement answering', () => answeredBy().has(replacement.workerPid), 5_000);

    // SIGTERM on the primary: every worker drains and exits, then the primary, with 0.
    const workers = [started.find((l) => l.worker === 1)!.workerPid!, replacement.workerPid!];
    server.kill('SIGTERM');
    assert.equal(await exit, 0);
    assert.ok(lines.some((l) => l.role === 'primary' && l.msg === 'all workers stopped'));
    for (const pid of workers) assert.equal(alive(pid), false, `worker ${pid} gone`);
    assert.equal(lines.filter((l) => l.msg === 'shutting down').length, 2, 'each worker drained');
  });
});
