import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
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
}
