import { createHash, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assembleNote, cosignLine, NoteError, openNote, parseCheckpoint, parseNote } from '../lib/tlog/note.js';
import { EMPTY_ROOT, verifyConsistency } from '../modules/transparency/merkle.js';
import type { FollowedLog, WitnessConfig } from './config.js';
import { witnessVkey } from './files.js';
import { BadRequest, parseAddCheckpoint, TLOG_SIZE_CONTENT_TYPE } from './protocol.js';
import type { LogState, SplitView, WitnessStore } from './store.js';

/** Larger add-checkpoint bodies are refused with 413 (a checkpoint with 63 proof lines and many signatures is a few KiB). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface WitnessServerOptions {
  config: WitnessConfig;
  key: KeyObject;
  store: WitnessStore;
  /** POSIX seconds (tests may fix the clock). */
  now?: () => number;
  /** One line per add-checkpoint outcome and per server error. */
  log?: (line: string) => void;
}

export interface WitnessServer {
  server: Server;
  vkey: string;
  /** Listens on the config's host and port; resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting, closes idle connections, waits for pending writes, releases the state file's lock. */
  close(): Promise<void>;
}

interface Outcome {
  status: number;
  body: string;
  contentType?: string;
  /** Two checkpoints the log signed for one size with different roots: kept as evidence. */
  evidence?: SplitView;
}

export function originHash(origin: string): string {
  return createHash('sha256').update(origin, 'utf8').digest('hex');
}

export function createWitnessServer(options: WitnessServerOptions): WitnessServer {
  const { config, key, store } = options;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const log = options.log ?? (() => undefined);
  const vkey = witnessVkey(config.name, key);
  const byOrigin = new Map<string, FollowedLog>(config.logs.map((l) => [l.origin, l]));
  const byHash = new Map<string, FollowedLog>(config.logs.map((l) => [originHash(l.origin), l]));

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), 'X-Content-Type-Options': 'nosniff', ...headers });
    res.end(body);
  }

  async function addCheckpoint(body: string): Promise<Outcome> {
    let request;
    let parsed;
    let checkpoint;
    try {
      request = parseAddCheckpoint(body);
      parsed = parseNote(request.note);
      checkpoint = parseCheckpoint(parsed.text);
    } catch (error) {
      if (error instanceof BadRequest || error instanceof NoteError) return { status: 400, body: `malformed request: ${error.message}\n` };
      throw error;
    }
    const followed = byOrigin.get(checkpoint.origin);
    if (!followed) return { status: 404, body: 'this witness does not follow that log (unknown origin)\n' };
    let opened;
    try {
      opened = openNote(request.note, followed.verifiers);
    } catch (error) {
      if (error instanceof NoteError) return { status: 403, body: `the checkpoint is not signed by the log: ${error.message}\n` };
      throw error;
    }
    const { oldSize, proof } = request;
    const { size, root } = checkpoint;
    if (oldSize > size) return { status: 400, body: `the old size ${oldSize} is larger than the checkpoint's size ${size}\n` };
    return store.update<Outcome>(checkpoint.origin, (current: LogState | undefined) => {
      const storedSize = current?.size ?? 0;
      if (oldSize !== storedSize) return { result: { status: 409, body: `${storedSize}\n`, contentType: TLOG_SIZE_CONTENT_TYPE } };
      const storedRoot = current ? Buffer.from(current.root, 'base64') : EMPTY_ROOT;
      // A refusal records nothing: anyone can send a wrong proof with a real checkpoint.
      const refuse = (why: string) => ({ result: { status: 422, body: `${why}\n` } });
      if (size === 0 && !root.equals(EMPTY_ROOT)) return refuse('a checkpoint of size 0 must have the root hash of the empty tree');
      if (oldSize === 0 && proof.length > 0) return refuse('the consistency proof from size 0 must be empty');
      if (oldSize === size) {
        if (!root.equals(storedRoot)) {
          const why = `this witness cosigned another root hash for size ${size}`;
          // Two roots signed by the log for one size: a split view, proven by the two notes alone.
          if (!current) return refuse(why);
          const evidence: SplitView = {
            origin: checkpoint.origin,
            size,
            cosigned: { root: current.root, note: current.note },
            conflicting: { root: root.toString('base64'), note: assembleNote(parsed.text, opened.verified.map((v) => v.line)) },
          };
          return { result: { status: 422, body: `${why}\n`, evidence } };
        }
        if (proof.length > 0) return refuse('the consistency proof between equal sizes must be empty');
      } else if (oldSize > 0 && !verifyConsistency(oldSize, size, storedRoot, root, proof)) {
        return refuse(`the consistency proof from size ${oldSize} to ${size} does not verify: this checkpoint does not extend the one cosigned before`);
      }
      // Never earlier than the last cosignature for this log (the clock may step back).
      const last = current ? Math.floor(Date.parse(current.cosignedAt) / 1000) : 0;
      const timestamp = Math.max(now(), Number.isSafeInteger(last) ? last : 0);
      const line = cosignLine(parsed.text, config.name, key, timestamp);
      const note = assembleNote(parsed.text, [...opened.verified.map((v) => v.line), line]);
      const next: LogState = { size, root: root.toString('base64'), note, cosignedAt: new Date(timestamp * 1000).toISOString() };
      return { next, result: { status: 200, body: `${line}\n` } };
    });
  }

  function home(): string {
    const lines = [`Besa witness ${config.name}`, '', `Cosigner key (vkey): ${vkey}`, 'Protocol: C2SP tlog-witness, POST /add-checkpoint; cosignatures: cosignature/v1 (Ed25519)', ''];
    if (config.policy) lines.push('Policy:', ...config.policy.split('\n').map((l) => `  ${l}`), '');
    lines.push('Logs followed:');
    for (const l of config.logs) {
      const state = store.get(l.origin);
      lines.push(
        state
          ? `  ${l.origin}: last cosigned size ${state.size}, ${state.cosignedAt} (GET /${originHash(l.origin)}/checkpoint)`
          : `  ${l.origin}: nothing cosigned yet`,
      );
    }
    if (config.logs.length === 0) lines.push('  (none)');
    return `${lines.join('\n')}\n`;
  }

  async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_BODY_BYTES) return undefined;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://witness').pathname;
    const method = req.method ?? 'GET';
    if (path === '/add-checkpoint') {
      if (method !== 'POST') return send(res, 405, 'add-checkpoint takes a POST\n', { Allow: 'POST' });
      const bytes = await readBody(req);
      if (!bytes) return send(res, 413, `the request body is larger than ${MAX_BODY_BYTES} bytes\n`, { Connection: 'close' });
      let body: string;
      try {
        body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return send(res, 400, 'malformed request: the body is not UTF-8\n');
      }
      const outcome = await addCheckpoint(body);
      if (outcome.evidence) {
        const kept = await store.recordSplitView(outcome.evidence);
        log(`split view of ${outcome.evidence.origin} at size ${outcome.evidence.size}: ${kept === 'recorded' ? `recorded in ${store.evidenceFile}` : kept === 'duplicate' ? 'already recorded' : 'not recorded, the evidence file is full'}`);
      }
      log(`add-checkpoint ${outcome.status}${outcome.status === 200 || outcome.status === 409 ? '' : `: ${outcome.body.trim()}`}`);
      return send(res, outcome.status, outcome.body, outcome.contentType ? { 'Content-Type': outcome.contentType } : {});
    }
    const monitor = /^\/([0-9a-f]{64})\/checkpoint$/.exec(path);
    if (path === '/' || monitor) {
      if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'only GET here\n', { Allow: 'GET, HEAD' });
      if (path === '/') return send(res, 200, home());
      const followed = byHash.get(monitor![1]!);
      const state = followed ? store.get(followed.origin) : undefined;
      if (!state) return send(res, 404, 'this witness has cosigned no checkpoint of that log\n');
      return send(res, 200, state.note, { 'Cache-Control': 'no-cache' });
    }
    return send(res, 404, 'not found\n');
  }

  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, 'the witness failed to handle this request\n', { Connection: 'close' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;

  return {
    server,
    vkey,
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${host}:${address.port}`);
        });
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await store.close();
    },
  };
}
