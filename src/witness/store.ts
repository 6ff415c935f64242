import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { writeFileDurably } from '../lib/durable.js';
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

const evidenceKey = (origin: string, size: number, root: string): string => JSON.stringify([origin, size, root]);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The evidence file stops growing past this size (a line is logged instead). */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

/** Two checkpoints the log signed for one size with different roots: the one this witness cosigned and the other. */
export interface SplitView {
  origin: string;
  size: number;
  /** What the witness cosigned: root (base64) and the note (log signature + cosignature). */
  cosigned: { root: string; note: string };
  /** The conflicting checkpoint: root (base64) and the note as the log sent it (with its signature). */
  conflicting: { root: string; note: string };
}

export interface WitnessStoreOptions {
  /** Replaces the directory fsync after a rename (tests). */
  syncDirectory?: (path: string) => void;
  /** Where notices go (the evidence file is full). */
  log?: (line: string) => void;
}

/**
 * The witness's state file, held by one process at a time (`<stateFile>.lock` holds its pid).
 * Every change goes through `update`, which runs one check-and-update per origin at a time and
 * writes the new state durably (temporary file, fsync, rename, directory fsync) before it returns;
 * the whole file is rewritten by one writer at a time, so changes to different logs never undo each other.
 */
export class WitnessStore {
  private committed: Map<string, LogState>;
  private readonly queues = new Map<string, Promise<unknown>>();
  private writer: Promise<unknown> = Promise.resolve();
  private evidenceWriter: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly stateFile: string,
    private readonly lockFile: string,
    private readonly token: string,
    logs: Map<string, LogState>,
    private readonly evidenceSeen: Set<string>,
    private evidenceBytes: number,
    private readonly options: WitnessStoreOptions,
  ) {
    this.committed = logs;
  }

  static open(stateFile: string, options: WitnessStoreOptions = {}): WitnessStore {
    const lockFile = `${stateFile}.lock`;
    const token = acquireLock(lockFile, stateFile);
    try {
      const evidence = readEvidence(`${stateFile}.evidence.jsonl`);
      return new WitnessStore(stateFile, lockFile, token, readState(stateFile), evidence.seen, evidence.bytes, options);
    } catch (error) {
      releaseLock(lockFile, token);
      throw error;
    }
  }

  get evidenceFile(): string {
    return `${this.stateFile}.evidence.jsonl`;
  }

  /** The latest cosigned checkpoint of a log, as written to disk. */
  get(origin: string): LogState | undefined {
    return this.committed.get(origin);
  }

  origins(): string[] {
    return [...this.committed.keys()];
  }

  /**
   * Runs `decide` with the log's current state, after every earlier update of that log finished.
   * When it returns `next`, that state is on disk before `update` resolves.
   */
  update<T>(origin: string, decide: (current: LogState | undefined) => { next?: LogState; result: T }): Promise<T> {
    if (this.closed) return Promise.reject(new WitnessError('the witness store is closed'));
    const previous = this.queues.get(origin) ?? Promise.resolve();
    const run = previous.then(async () => {
      const { next, result } = decide(this.committed.get(origin));
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

  /**
   * Writes the state with `origin` set to `next`. The in-memory state follows the file as soon as
   * the rename succeeded, so it is never older than the disk, even when the directory fsync then
   * fails (that failure is thrown: the request gets a 500).
   */
  private persist(origin: string, next: LogState): Promise<void> {
    const write = this.writer.then(async () => {
      this.confirmLock();
      const logs = new Map(this.committed).set(origin, next);
      const file: StateFile = { format: FORMAT, logs: Object.fromEntries(logs) };
      await writeFileDurably(this.stateFile, `${JSON.stringify(file, null, 1)}\n`, {
        afterRename: () => {
          this.committed = logs;
        },
        ...(this.options.syncDirectory ? { syncDirectory: this.options.syncDirectory } : {}),
      });
    });
    this.writer = write.catch(() => undefined);
    return write;
  }

  /** Refuses to write when the lock file no longer holds this process's token (another process took it over). */
  private confirmLock(): void {
    let held: string | undefined;
    try {
      held = readFileSync(this.lockFile, 'utf8');
    } catch {
      held = undefined;
    }
    if (held !== lockText(this.token)) {
      throw new WitnessError(`the lock file ${this.lockFile} no longer holds this witness's token (another process took it over): not writing the state file`);
    }
  }

  /**
   * Appends a split view (two checkpoints the log signed for one size, with different roots) to
   * `<stateFile>.evidence.jsonl`, synced to disk: once per (origin, size, root), and nothing more
   * once the file reaches MAX_EVIDENCE_BYTES. Returns what happened.
   */
  recordSplitView(split: SplitView): Promise<'recorded' | 'duplicate' | 'full'> {
    const run = this.evidenceWriter.then(async () => {
      const key = evidenceKey(split.origin, split.size, split.conflicting.root);
      if (this.evidenceSeen.has(key)) return 'duplicate' as const;
      const line = `${JSON.stringify({ time: new Date().toISOString(), ...split })}\n`;
      const bytes = Buffer.byteLength(line);
      if (this.evidenceBytes + bytes > MAX_EVIDENCE_BYTES) {
        this.options.log?.(`evidence file ${this.evidenceFile} is full (${MAX_EVIDENCE_BYTES} bytes): split view of ${split.origin} at size ${split.size} not recorded`);
        return 'full' as const;
      }
      const handle = await open(this.evidenceFile, 'a', 0o644);
      try {
        await handle.appendFile(line);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.evidenceBytes += bytes;
      this.evidenceSeen.add(key);
      return 'recorded' as const;
    });
    this.evidenceWriter = run.catch(() => undefined);
    return run;
  }

  /** Waits for pending writes, then releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.queues.values()]);
    await this.writer;
    await this.evidenceWriter;
    releaseLock(this.lockFile, this.token);
  }
}

/** The (origin, size, root) already in the evidence file, and its size. */
function readEvidence(file: string): { seen: Set<string>; bytes: number } {
  const seen = new Set<string>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { seen, bytes: 0 };
    throw new WitnessError(`cannot read the evidence file ${file}: ${(error as Error).message}`);
  }
  for (const line of text.split('\n')) {
    try {
      const r = JSON.parse(line) as Partial<SplitView>;
      if (typeof r.origin === 'string' && typeof r.size === 'number' && typeof r.conflicting?.root === 'string') seen.add(evidenceKey(r.origin, r.size, r.conflicting.root));
    } catch {
      // Not a record (an empty last line, or a line this version did not write).
    }
  }
  return { seen, bytes: Buffer.byteLength(text) };
}

function readState(stateFile: string): Map<string, LogState> {
  let text: string;
  try {
    text = readFileSync(stateFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
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
  // Own properties only: origins are opaque strings ("__proto__" and "constructor" included).
  return new Map(Object.entries(file.logs));
}

const lockText = (token: string): string => `${process.pid} ${token}\n`;

/**
 * Takes `<stateFile>.lock` and returns this process's token. The lock file holds "pid token". A
 * lock whose process is gone, or that holds this process's own pid (a witness restarted as the same
 * pid, e.g. PID 1 in a container), is stale and taken over by renaming a new file over it; the
 * lock is then read again to confirm the token is ours, and before every write of the state file.
 */
function acquireLock(lockFile: string, stateFile: string): string {
  const token = randomBytes(16).toString('hex');
  const temporary = `${lockFile}.${process.pid}.${token}.tmp`;
  const fd = openSync(temporary, 'wx', 0o644);
  try {
    writeSync(fd, lockText(token));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    try {
      linkSync(temporary, lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new WitnessError(`cannot create the lock file ${lockFile}: ${(error as Error).message}`);
      let pid = Number.NaN;
      let stale: string | undefined;
      try {
        stale = readFileSync(lockFile, 'utf8');
        pid = Number.parseInt(stale.trim().split(' ')[0] ?? '', 10);
      } catch {
        // Removed meanwhile: taken over below.
      }
      if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new WitnessError(
          `another witness (process ${pid}) is using the state file ${stateFile}: stop it first. ` +
            `If no witness runs, process ${pid} is another program: delete ${lockFile}.`,
        );
      }
      // Left by a witness that did not stop cleanly: take it over, one process at a time.
      takeOver(lockFile, stale, temporary);
    }
    let held = '';
    try {
      held = readFileSync(lockFile, 'utf8');
    } catch {
      // Removed meanwhile.
    }
    if (held !== lockText(token)) throw new WitnessError(`cannot take the lock file ${lockFile}: another process took it at the same time`);
    return token;
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // Renamed over the lock.
    }
  }
}

/** A takeover guard older than this was left by a process that died while taking the lock over. */
const GUARD_STALE_MS = 30_000;

/**
 * Replaces the stale lock (whose text was `stale`, undefined if it was gone) with `temporary`. Only
 * the process that creates `<lock>.takeover` may do so, and only if the lock still holds what it
 * read: a process that read the stale lock before another one took it over finds the new lock and stops.
 */
function takeOver(lockFile: string, stale: string | undefined, temporary: string): void {
  const guard = `${lockFile}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new WitnessError(`cannot create ${guard}: ${(error as Error).message}`);
    try {
      if (Date.now() - statSync(guard).mtimeMs > GUARD_STALE_MS) unlinkSync(guard);
    } catch {
      // Gone meanwhile.
    }
    throw new WitnessError(`cannot take the lock file ${lockFile}: another process is taking it over (try again)`);
  }
  closeSync(fd);
  try {
    let now: string | undefined;
    try {
      now = readFileSync(lockFile, 'utf8');
    } catch {
      now = undefined;
    }
    if (now !== stale) throw new WitnessError(`cannot take the lock file ${lockFile}: another process took it at the same time`);
    renameSync(temporary, lockFile);
  } finally {
    unlinkSync(guard);
  }
}

function releaseLock(lockFile: string, token: string): void {
  try {
    if (readFileSync(lockFile, 'utf8') === lockText(token)) unlinkSync(lockFile);
  } catch {
    // Already gone.
  }
}
