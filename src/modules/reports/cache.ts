import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Generated report files (PDF, DOCX) kept in memory per process, like the page cache (ADR 3):
 * an entry is served while the content version it was made at is still current and the day
 * (statuses are derived for it) is the same; any published change makes every entry stale.
 * A plan's PDF takes a second or more to lay out, so the second request must not pay it again.
 */
export interface ReportFile {
  version: number;
  body: Buffer;
  /** The name to download it as. */
  fileName: string;
  etag: string;
}

export class ReportFileCache {
  private readonly lru: LRUCache<string, ReportFile>;
  /** Files made (not served from memory), for tests and measurements. */
  made = 0;
  /** Files made by every cache of the process (tests read it around a request). */
  static made = 0;
  private readonly pending = new Map<string, Promise<ReportFile>>();

  constructor(
    maxEntries = 64,
    /** Bytes kept at most: a plan's PDF with embedded fonts is megabytes; a larger file is sent, not kept. */
    maxBytes = 64 * 1024 * 1024,
  ) {
    this.lru = new LRUCache<string, ReportFile>({ max: Math.max(1, maxEntries), maxSize: Math.max(1, maxBytes), sizeCalculation: (entry) => Math.max(1, entry.body.length) });
  }

  /** Bytes held now (for tests and measurements). */
  get size(): number {
    return this.lru.calculatedSize;
  }

  /** The stored file for `key` at `version`, or `make()`'s bytes stored for it. */
  async get(key: string, version: number, make: () => Promise<{ body: Buffer; fileName: string }>): Promise<ReportFile> {
    const hit = this.lru.get(key);
    if (hit && hit.version === version) return hit;
    // Requests arriving while the same file is being made wait for it instead of making it again.
    const pendingKey = `${version} ${key}`;
    const pending = this.pending.get(pendingKey);
    if (pending) return pending;
    const making = (async () => {
      const { body, fileName } = await make();
      this.made++;
      ReportFileCache.made++;
      const entry: ReportFile = { version, body, fileName, etag: `"${version.toString(36)}-${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"` };
      this.lru.set(key, entry);
      return entry;
    })();
    this.pending.set(pendingKey, making);
    try {
      return await making;
    } finally {
      this.pending.delete(pendingKey);
    }
  }
}
