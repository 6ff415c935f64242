/**
 * The baseline of bench/workers.ts: raw node:http answering each path with the very bytes and
 * headers Besa sent for it (read from a JSON file), on as many processes (node:cluster) as Besa.
 * The primary prints one JSON line `{ "port", "pids" }` once every worker listens.
 *
 *   tsx bench/baseline-server.ts pages.json WORKERS
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Page {
  headers: Record<string, string>;
  body: string;
}

const [file = '', count = '1'] = process.argv.slice(2);
const workers = Number(count);

function serve(): http.Server {
  const pages = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Page>).map(([path, page]) => [path, { headers: { ...page.headers }, body: Buffer.from(page.body, 'base64') }]));
  const server = http.createServer((request, response) => {
    const page = pages.get(request.url ?? '');
    if (!page) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { ...page.headers, 'content-length': page.body.length });
    response.end(page.body);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1');
  return server;
}

if (workers <= 1) {
  const server = serve();
  server.on('listening', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port, pids: [process.pid] })));
} else if (cluster.isPrimary) {
  const pids: number[] = [];
  let port = 0;
  cluster.on('listening', (worker, address) => {
    pids.push(worker.process.pid!);
    port = address.port;
    if (pids.length === workers) console.log(JSON.stringify({ port, pids: [process.pid, ...pids] }));
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  serve();
}
