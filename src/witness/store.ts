import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WitnessError } from './files.js';

/** What the witness remembers about one log: the latest checkpoint it cosigned. */
export interface LogState {
  size: number;
  /** Root hash, base64. */
  root: string;
  /** The checkpoint with the log signatures the witness verified and its own cosignature (served to monitors). */
  note: string;
  /** When it cosigned it (ISO 8601). */
  cosignedAt: string;
}

const FORMAT = 'besa-witness-state/v1';

interface StateFile {
  format: typeof FORMAT;
  logs: Record<string, LogState>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The witness's state file, held by one process at a time (`<stateFile>.lock` holds its pid).
 * Every change goes through `update`, which runs one check-and-update per origin at a time and
 * writes the new state durably (temporary file, fsync, rename, directory fsync) before it returns;
 * the whole file is rewritten by one writer at a time, so changes to different logs never undo each other.
 */
export class WitnessStore {
  private committed: Record<string, LogState>;
  private readonly queues = new Map<string, Promise<unknown>>();
  private writer: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly stateFile: string,
    private readonly lockFile: string,
    logs: Record<string, LogState>,
  ) {
    this.committed = logs;
  }

  static open(stateFile: string): WitnessStore {
    const lockFile = `${stateFile}.lock`;
    acquireLock(lockFile, stateFile);
    try {
      return new WitnessStore(stateFile, lockFile, readState(stateFile));
    } catch (error) {
      releaseLock(lockFile);
      throw error;
    }
  }

  get evidenceFile(): string {
    return `${this.stateFile}.evidence.jsonl`;
  }

  /** The latest cosigned checkpoint of a log, as written to disk. */
  get(origin: string): LogState | undefined {
    return this.committed[origin];
  }

  origins(): string[] {
    return Object.keys(this.committed);
  }

  /**
   * Runs `decide` with the log's current state, after every earlier update of that log finished.
   * When it returns `next`, that state is on disk before `update` resolves.
   */
  update<T>(origin: string, decide: (current: LogState | undefined) => { next?: LogState; result: T }): Promise<T> {
    if (this.closed) return Promise.reject(new WitnessError('the witness store is closed'));
    const previous = this.queues.get(origin) ?? Promise.resolve();
    const run = previous.then(async () => {
      const { next, result } = decide(this.committed[origin]);
      if (next) await this.persist(origin, next);
      return result;
    });
    const tail = run.catch(() => undefined);
    this.queues.set(origin, tail);
    void tail.then(() => {
      if (this.queues.get(origin) === tail) this.queues.delete(origin);
    });
    return run;
  }

  private persist(origin: string, next: LogState): Promise<void> {
    const write = this.writer.then(async () => {
      const logs = { ...this.committed, [origin]: next };
      await writeDurably(this.stateFile, `${JSON.stringify({ format: FORMAT, logs } satisfies StateFile, null, 1)}\n`);
      this.committed = logs;
    });
    this.writer = write.catch(() => undefined);
    return write;
  }

  /** Appends one JSON line to `<stateFile>.evidence.jsonl`, synced to disk. */
  async appendEvidence(record: Record<string, unknown>): Promise<void> {
    const handle = await open(this.evidenceFile, 'a', 0o644);
    try {
      await handle.appendFile(`${JSON.stringify(record)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Waits for pending writes, then releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.queues.values()]);
    await this.writer;
    releaseLock(this.lockFile);
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  const handle = await open(temporary, 'w', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await syncDirectory(dirname(path));
}

function readState(stateFile: string): Record<string, LogState> {
  let text: string;
  try {
    text = readFileSync(stateFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new WitnessError(`cannot read the state file ${stateFile}: ${(error as Error).message}`);
  }
  const broken = (why: string): never => {
    throw new WitnessError(
      `the state file ${stateFile} is damaged (${why}). The witness will not start without it, as it could then cosign a history ` +
        'that contradicts one it cosigned before: restore it from a backup.',
    );
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return broken('not JSON');
  }
  const file = raw as Partial<StateFile>;
  if (typeof file !== 'object' || file === null || file.format !== FORMAT || typeof file.logs !== 'object' || file.logs === null) return broken(`not a ${FORMAT} file`);
  for (const [origin, s] of Object.entries(file.logs)) {
    if (typeof s !== 'object' || s === null || !Number.isSafeInteger(s.size) || s.size < 0 || typeof s.root !== 'string' || Buffer.from(s.root, 'base64').length !== 32 || typeof s.note !== 'string' || typeof s.cosignedAt !== 'string') {
      broken(`the entry of ${origin} is incomplete`);
    }
  }
  return file.logs;
}

function acquireLock(lockFile: string, stateFile: string): void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(lockFile, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new WitnessError(`cannot create the lock file ${lockFile}: ${(error as Error).message}`);
      let pid = Number.NaN;
      try {
        pid = Number.parseInt(readFileSync(lockFile, 'utf8').trim(), 10);
      } catch {
        // Removed meanwhile: try again.
      }
      if (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new WitnessError(
          `another witness (process ${pid}) is using the state file ${stateFile}: stop it first. ` +
            `If no witness runs, process ${pid} is another program: delete ${lockFile}.`,
        );
      }
      // Left by a witness that did not stop cleanly (its process is gone): take it over.
      try {
        unlinkSync(lockFile);
      } catch {
        // Another process removed it first.
      }
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return;
  }
  throw new WitnessError(`cannot take the lock file ${lockFile}: another process keeps recreating it`);
}

function releaseLock(lockFile: string): void {
  try {
    if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) unlinkSync(lockFile);
  } catch {
    // Already gone.
  }
}
