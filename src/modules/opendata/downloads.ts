import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/**
 * The open-data downloads kept as files, one per scope and format, made once per content version
 * (like the page cache, ADR 3, and the report files): any published change makes them stale, and
 * the next request makes the new one, while requests arriving meanwhile wait for the same file
 * instead of making it again. The file is written with backpressure and sent from disk, so memory
 * stays flat whatever its size.
 *
 * A file in use (being sent) is removed only once its last reader is done, so a newer version
 * replacing it never cuts a download short. Each process keeps its own directory (under the
 * system's temporary directory, TMPDIR), removed when the app closes.
 */
export interface DownloadFile {
  /** The content version the file was made at. */
  version: number;
  path: string;
  size: number;
  etag: string;
  /** Readers sending it now. */
  users: number;
  /** Replaced by a newer version: removed when the last reader is done. */
  retired: boolean;
  removed: boolean;
}

export class DownloadCache {
  private directory: Promise<string> | undefined;
  private readonly files = new Map<string, DownloadFile>();
  private readonly pending = new Map<string, Promise<DownloadFile>>();
  /** Files made (not served from disk), for tests and measurements. */
  made = 0;
  /** Files made by every cache of the process (tests read it around a request). */
  static made = 0;

  constructor(private readonly root: string = tmpdir()) {}

  private dir(): Promise<string> {
    return (this.directory ??= mkdtemp(join(this.root, 'besa-open-data-')));
  }

  /** The directory's path once a file has been made (tests look into it). */
  async path(): Promise<string | undefined> {
    return this.directory;
  }

  /**
   * The file for `key` at `version` (or a newer one already made), reserved for the caller: call
   * `release` once it is sent. `write` produces the bytes when no file is current.
   */
  async acquire(key: string, version: number, write: (out: NodeJS.WritableStream) => Promise<unknown>): Promise<DownloadFile> {
    for (;;) {
      const held = this.files.get(key);
      const file = held && held.version >= version && !held.removed ? held : await this.makeOnce(key, version, write);
      // A file replaced and removed while this request waited for it: take the newer one.
      if (file.removed) continue;
      file.users++;
      return file;
    }
  }

  release(file: DownloadFile): void {
    file.users = Math.max(0, file.users - 1);
    if (file.retired && file.users === 0) this.remove(file);
  }

  private remove(file: DownloadFile): void {
    if (file.removed) return;
    file.removed = true;
    void rm(file.path, { force: true }).catch(() => {});
  }

  private retire(file: DownloadFile): void {
    file.retired = true;
    if (file.users === 0) this.remove(file);
  }

  private makeOnce(key: string, version: number, write: (out: NodeJS.WritableStream) => Promise<unknown>): Promise<DownloadFile> {
    const pendingKey = `${version} ${key}`;
    const pending = this.pending.get(pendingKey);
    if (pending) return pending;
    const making = this.make(key, version, write).finally(() => this.pending.delete(pendingKey));
    this.pending.set(pendingKey, making);
    return making;
  }

  private async make(key: string, version: number, write: (out: NodeJS.WritableStream) => Promise<unknown>): Promise<DownloadFile> {
    const dir = await this.dir();
    const stamp = `${version.toString(36)}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const name = `${key.replace(/[^a-z0-9.-]/gi, '_')}.${stamp}`;
    const part = join(dir, `${name}.part`);
    const out = createWriteStream(part);
    let size = 0;
    // Counts the bytes on their way to the file; its buffer is the file stream's, so backpressure holds.
    const counting = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (out.write(chunk)) callback();
        else out.once('drain', () => callback());
      },
      final(callback) {
        out.end(callback);
      },
    });
    // A failing disk fails the writer at its next write instead of leaving it waiting for 'drain'.
    out.on('error', (error) => counting.destroy(error));
    try {
      await write(counting);
      counting.end();
      await finished(counting);
      await finished(out);
    } catch (error) {
      counting.destroy();
      out.destroy();
      await rm(part, { force: true });
      throw error;
    }
    const path = join(dir, name);
    await rename(part, path);
    this.made++;
    DownloadCache.made++;
    const file: DownloadFile = { version, path, size, etag: `"od-${stamp}-${size.toString(36)}"`, users: 0, retired: false, removed: false };
    const current = this.files.get(key);
    if (current && current.version > version) {
      // A newer version was made meanwhile: this one is already stale (its waiters take the newer).
      this.retire(file);
      return file;
    }
    this.files.set(key, file);
    if (current) this.retire(current);
    return file;
  }

  /** Removes every file and the directory (the app closing). */
  async close(): Promise<void> {
    const dir = await this.directory?.catch(() => undefined);
    this.files.clear();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
