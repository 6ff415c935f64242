/**
 * Witnesses as real processes, for integration tests: `startWitnessProcess` makes a witness key,
 * writes its config and runs `besa witness serve` as a child process on loopback. Also `TestLog`,
 * a log built and signed the way a Besa log signs its checkpoints (key name = origin), to feed them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleNote, formatCheckpoint, rawEd25519PublicKey, signNoteLine } from '../src/lib/tlog/note.js';
import { hashLeaf, MemoryTree } from '../src/modules/transparency/merkle.js';
import { logVkey, originFor } from '../src/modules/transparency/keys.js';
import { initWitness } from '../src/witness/cli.js';
import { formatAddCheckpoint } from '../src/witness/protocol.js';

const CLI = new URL('../src/cli.ts', import.meta.url).pathname;

export interface WitnessProcess {
  /** Base URL: POST `${url}/add-checkpoint`. */
  url: string;
  /** The witness's cosigner vkey (type 0x04). */
  vkey: string;
  name: string;
  dir: string;
  configFile: string;
  stateFile: string;
  child: ChildProcess;
  /** Everything the process wrote to standard output and standard error so far. */
  output(): string;
  /** SIGTERM, then waits for the exit (the state's lock is released). */
  stop(): Promise<void>;
  /** SIGKILL (a crash), then waits for the exit. */
  kill(): Promise<void>;
}

export interface StartWitnessOptions {
  /** A folder of its own: key, config and state go there (kept across starts: a second start reuses key and state). */
  dir: string;
  name: string;
  logs: Array<{ origin: string; vkeys: string[] }>;
  policy?: string;
  /** Default 0: any free port. */
  port?: number;
  /** How long to wait for it to listen (default 60 s: a loaded machine starts tsx slowly). */
  timeoutMs?: number;
}

export async function startWitnessProcess(options: StartWitnessOptions): Promise<WitnessProcess> {
  const { dir, name } = options;
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, 'witness-key.pem');
  try {
    initWitness(name, keyFile);
  } catch {
    // The key exists (a restart): keep it.
  }
  const configFile = join(dir, 'witness.json');
  const stateFile = join(dir, 'witness-state.json');
  const config = { name, keyFile, host: '127.0.0.1', port: options.port ?? 0, stateFile, ...(options.policy ? { policy: options.policy } : {}), logs: options.logs };
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'witness', 'serve', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = new Promise<{ url: string; vkey: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`witness ${name} did not start listening in time; output:\n${output}`)), options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      const vkey = /^vkey: (\S+)$/m.exec(output)?.[1];
      if (url && vkey) {
        clearTimeout(timer);
        resolve({ url, vkey });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`witness ${name} exited (${code ?? signal}) before listening; output:\n${output}`));
    });
  });
  const { url, vkey } = await listening;
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url, vkey, name, dir, configFile, stateFile, child, output: () => output, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

/** A transparency log in memory, signed like Besa's: origin `besa-log/<key hash>`, the key's name = the origin. */
export class TestLog {
  readonly key: KeyObject;
  readonly origin: string;
  readonly vkey: string;
  readonly tree: MemoryTree;

  constructor(key?: KeyObject, tree?: MemoryTree) {
    this.key = key ?? generateKeyPairSync('ed25519').privateKey;
    const raw = rawEd25519PublicKey(this.key).toString('base64');
    this.origin = originFor(raw);
    this.vkey = logVkey(this.origin, raw);
    this.tree = tree ?? new MemoryTree();
  }

  /** Appends `count` entries (labelled, so two histories with other labels differ). */
  grow(count: number, label = 'main'): this {
    for (let i = 0; i < count; i += 1) this.tree.append(hashLeaf(`${label} entry ${this.tree.size}`));
    return this;
  }

  /** Another history under the same key sharing the first `shared` entries (grow it with another label). */
  fork(shared: number): TestLog {
    const tree = new MemoryTree();
    for (let i = 0; i < shared; i += 1) tree.append(this.tree.node({ level: 0, index: i }));
    return new TestLog(this.key, tree);
  }

  checkpointText(size = this.tree.size): string {
    return formatCheckpoint(this.origin, size, this.tree.root(size));
  }

  /** The signed checkpoint note of size `size`. */
  note(size = this.tree.size): string {
    const text = this.checkpointText(size);
    return assembleNote(text, [signNoteLine(text, this.origin, this.key)]);
  }

  /** An add-checkpoint body from `old` to `size`, with the right consistency proof. */
  addCheckpointBody(old: number, size = this.tree.size): string {
    const proof = old > 0 && old < size ? this.tree.consistencyProof(old, size) : [];
    return formatAddCheckpoint(old, proof, this.note(size));
  }
}

/** The hex SHA-256 of an origin: the monitoring path `/<hash>/checkpoint`. */
export function originPath(origin: string): string {
  return `/${createHash('sha256').update(origin).digest('hex')}/checkpoint`;
}

/** POSTs an add-checkpoint body; status, content type and text. */
export async function addCheckpoint(url: string, body: string): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${url}/add-checkpoint`, { method: 'POST', body, headers: { 'Content-Type': 'text/plain' } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}
