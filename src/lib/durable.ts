import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
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
