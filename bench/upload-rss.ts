/**
 * Memory of the server while people who may not file a progress update send large uploads to
 * its form (loopback only).
 *
 *   npx tsx bench/upload-rss.ts [uploads=3] [MiB=200] [otherHolder|holder]
 *
 * Starts the real app in a child process (SQLite in memory, the reporting test fixture), reads its
 * RSS from /proc, sends `uploads` parallel multipart requests of `MiB` MiB each as a commitment
 * holder of another institution (forbidden: 403), each as files of 10 MiB (the per-file limit), samples the child's RSS every 10 ms, and
 * prints RSS before, (`holder` sends them as the commitment's own holder instead: the limits, not the
 * role, stop them),
 * prints RSS before, the peak during, and after, with each request's status and how much of its
 * body had been sent when the answer came.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const UPDATE = '/en/admin/jurisdictions/gjakova/plans/2024-2025/cycles/1/updates/XKGJA0001';
const BOUNDARY = '----besa-upload-rss';
const MiB = 1024 * 1024;

interface Ready {
  port: number;
  cookies: string;
  csrfToken: string;
}

async function serve(): Promise<void> {
  const { openTestDatabase } = await import('../test/db.js');
  const { insertReportingFixture } = await import('../test/reporting-fixture.js');
  const { buildApp } = await import('../src/app.js');
  const { loadConfig } = await import('../src/config.js');
  const { insertSession } = await import('../src/modules/accounts/index.js');
  const { generateCycles } = await import('../src/modules/reporting/index.js');
  const database = await openTestDatabase('sqlite');
  const f = await insertReportingFixture(database.db);
  await generateCycles(database.db, f.actors.coordinator, f.planId);
  const session = await insertSession(database.db, process.argv[3] === 'holder' ? f.users.holder : f.users.otherHolder);
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv), database });
  const login = await app.inject({ method: 'GET', url: '/en/login' });
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(login.body)?.[1] ?? '';
  const csrfCookie = login.cookies.find((c) => c.name === '_csrf')?.value ?? '';
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  globalThis.gc?.();
  process.send?.({ port, cookies: `besa_session=${session}; _csrf=${csrfCookie}`, csrfToken } satisfies Ready);
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024);
}

/** The body's pieces: the CSRF field, then files of at most 10 MiB (the per-file limit) adding up to `bytes`. */
function* bodyPieces(csrfToken: string, bytes: number): Generator<Buffer> {
  yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfToken}\r\n`);
  const chunk = Buffer.alloc(256 * 1024, 0x41);
  let left = bytes;
  for (let n = 0; left > 0; n += 1) {
    yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files_general"; filename="part-${n}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    let file = Math.min(left, 10 * MiB - 1024);
    left -= file;
    while (file > 0) {
      const piece = file >= chunk.length ? chunk : chunk.subarray(0, file);
      file -= piece.length;
      yield piece;
    }
    yield Buffer.from('\r\n');
  }
  yield Buffer.from(`--${BOUNDARY}--\r\n`);
}

async function upload(ready: Ready, bytes: number): Promise<{ status: number; sentMiB: number; ms: number }> {
  const started = Date.now();
  let length = 0;
  for (const piece of bodyPieces(ready.csrfToken, bytes)) length += piece.length;
  const socket = net.connect({ host: '127.0.0.1', port: ready.port });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  let response = '';
  let sent = 0;
  let answered = false;
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const answer = new Promise<void>((resolve) =>
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString('latin1');
      if (response.includes('\r\n\r\n')) {
        answered = true;
        resolve();
      }
    }),
  );
  socket.write(
    `POST ${UPDATE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\nCookie: ${ready.cookies}\r\n\r\n`,
  );
  for (const piece of bodyPieces(ready.csrfToken, bytes)) {
    if (answered || socket.destroyed) break;
    sent += piece.length;
    if (!socket.write(piece)) await Promise.race([once(socket, 'drain'), answer, closed]);
  }
  await Promise.race([answer, closed]);
  socket.destroy();
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0), sentMiB: Math.round(sent / MiB), ms: Date.now() - started };
}

async function measure(): Promise<void> {
  const count = Number(process.argv[2] ?? 3);
  const size = Number(process.argv[3] ?? 200);
  const who = process.argv[4] === 'holder' ? 'holder' : 'otherHolder';
  const child = fork(fileURLToPath(import.meta.url), ['serve', who], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [Ready];
  const pid = child.pid!;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = rssMiB(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 10);
  const results = await Promise.all(Array.from({ length: count }, () => upload(ready, size * MiB)));
  await new Promise((resolve) => setTimeout(resolve, 500));
  clearInterval(sampler);
  const after = rssMiB(pid);
  child.kill('SIGTERM');
  console.log(`${count} parallel uploads of ${size} MiB by ${who === 'holder' ? 'the commitment holder' : 'a person who may not file the update'}`);
  for (const r of results) console.log(`  status ${r.status} after ${r.sentMiB} MiB of ${size} MiB sent, ${r.ms} ms`);
  console.log(`server RSS: before ${before} MB, peak ${peak} MB, after ${after} MB`);
}

if (process.argv[2] === 'serve') await serve();
else await measure();
