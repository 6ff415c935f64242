import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { foldRight } from '../modules/transparency/merkle.js';
import { dirname, basename, join } from 'node:path';

/**
 * The monitor's state file: what `besa monitor` verified last, kept between runs (JSON, written
 * atomically: a temporary file beside it, synced, then renamed over it). It holds the log's key,
 * the witnesses and quorum, the last verified checkpoint (its whole signed note: the proof to show
 * if the log later contradicts it), the compact range of that tree (≤ log₂ n hashes: enough to
 * append new leaves and rebuild the root), and what the watch rules need to remember from entries
 * already read (which plan each commitment belongs to, when each plan was adopted).
 */
export const STATE_FORMAT = 'besa-monitor/v1';

export interface PlanFacts {
  /** The earliest adoption (submission) day the log ever gave the plan, YYYY-MM-DD. */
  adoptedOn: string;
  /** The plan's adoption day as the log gives it now (null when it was cleared). */
  current: string | null;
}

export interface MonitorState {
  format: typeof STATE_FORMAT;
  /** The log's base URL as last used. */
  url: string;
  /** The log's verifier key (type 0x01). */
  logKey: string;
  /** Witness verifier keys (type 0x04). */
  witnesses: string[];
  quorum: number;
  /** The last verified tree: size, root (base64), the signed note that vouched for it. size 0 and no note before the first checkpoint. */
  size: number;
  root: string;
  note: string | null;
  /** When that checkpoint was verified (ISO). */
  verifiedAt: string | null;
  /** The compact range of the tree of `size` leaves, base64, left to right. */
  range: string[];
  /** Action plan id → adoption facts. */
  plans: Record<string, PlanFacts>;
  /** Commitment id → its action plan's id. */
  commitments: Record<string, number>;
  /** Signing keys the log announced in its entries (signing_key.rotated / .adopted), as vkeys, in order. */
  announcedKeys?: AnnouncedKey[];
}

export interface AnnouncedKey {
  index: number;
  action: string;
  vkey: string;
}

export class StateError extends Error {}

/** The state in `file`; undefined when the file does not exist (a first run). */
export async function readState(file: string): Promise<MonitorState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateError(`cannot read the state file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StateError(`the state file ${file} is not JSON (restore it from a backup, or start again with a new file and --log-key)`);
  }
  const s = parsed as Partial<MonitorState>;
  const ok =
    s &&
    s.format === STATE_FORMAT &&
    typeof s.url === 'string' &&
    typeof s.logKey === 'string' &&
    Array.isArray(s.witnesses) &&
    s.witnesses.every((w) => typeof w === 'string') &&
    Number.isSafeInteger(s.quorum) &&
    Number.isSafeInteger(s.size) &&
    (s.size ?? -1) >= 0 &&
    typeof s.root === 'string' &&
    (s.note === null || typeof s.note === 'string') &&
    Array.isArray(s.range) &&
    s.range.every((h) => typeof h === 'string') &&
    typeof s.plans === 'object' &&
    s.plans !== null &&
    typeof s.commitments === 'object' &&
    s.commitments !== null;
  if (!ok) throw new StateError(`the state file ${file} is not a besa monitor state (${STATE_FORMAT})`);
  // The compact range must be the saved tree's: one 32-byte hash per set bit of the size, folding to the saved root.
  const range = s.range!.map((h) => Buffer.from(h, 'base64'));
  const expected = s.size!.toString(2).split('').filter((b) => b === '1').length;
  if (range.length !== expected || range.some((h) => h.length !== 32) || !foldRight(range).equals(Buffer.from(s.root!, 'base64'))) {
    throw new StateError(`the state file ${file} is damaged: its compact range does not give its root (restore it from a backup, or start again with a new file and --log-key)`);
  }
  return s as MonitorState;
}

/** Writes the state atomically: a temporary file in the same folder, synced, renamed over `file`. */
export async function writeState(file: string, state: MonitorState): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o644);
  try {
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(file));
}

/** Makes a rename durable: fsync of the folder that holds the file (a no-op where folders cannot be opened, e.g. Windows). */
async function syncDirectory(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Takes the run's lock: a file `<state>.lock` created exclusively beside the state. A second run
 * at the same time is refused (StateError); the lock is removed by the returned function.
 */
export async function lockState(file: string): Promise<() => Promise<void>> {
  const lock = `${file}.lock`;
  let handle;
  try {
    handle = await open(lock, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new StateError(`another besa monitor run holds ${lock}: wait for it to end (if none is running, a run was killed: remove that file)`);
    }
    throw new StateError(`cannot create the lock file ${lock}: ${(error as Error).message}`);
  }
  try {
    await handle.writeFile(`${process.pid}\n`, 'utf8');
  } finally {
    await handle.close();
  }
  return async () => {
    await unlink(lock).catch(() => undefined);
  };
}
