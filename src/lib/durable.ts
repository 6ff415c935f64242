import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Makes a directory's entries (a new link, a rename) survive a power cut. */
export function syncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface DurableWriteOptions {
  /** Called as soon as the rename succeeded: the new text is what the file holds from now on (even if the directory fsync then fails). */
  afterRename?: () => void;
  /** Replaces syncDirectory (tests). */
  syncDirectory?: (path: string) => void;
}

/**
 * Replaces `path` with `text` all at once: a temporary file in the same directory, fsync, rename,
 * then a directory fsync so the rename survives a power cut. A reader sees the old or the new file,
 * never a part. Throws if any step fails; once the rename succeeded, `afterRename` has run.
 */
export async function writeFileDurably(path: string, text: string, options: DurableWriteOptions = {}): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const handle = await open(temporary, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  options.afterRename?.();
  (options.syncDirectory ?? syncDirectory)(dirname(path));
}

/**
 * Creates `path` with `text`, readable by its owner only (0600), never replacing an existing file:
 * a temporary file, fsync, link() into place, directory fsync. Two processes racing agree on one
 * file: the loser gets false. (The log's signing key and a witness's key.)
 */
export function createPrivateFile(path: string, text: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
    syncDirectory(dirname(path));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}
