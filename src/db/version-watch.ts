import pg from 'pg';

/** The channel the content version is announced on (PostgreSQL NOTIFY; scoped to one database). */
export const CONTENT_VERSION_CHANNEL = 'besa_content_version';

/** Every request older than this since the version was last read starts a read in the background. */
export const REFRESH_AFTER_MS = 1_000;
/**
 * The bound (ADR 11): a request never uses a version read longer ago than this; it waits for a
 * fresh read instead. So every change committed this long before a request is seen by it, whatever
 * became of the notifications.
 */
export const MAX_AGE_MS = 2_000;

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;

export interface VersionWatchOptions {
  connectionString: string;
  /** Reads the committed version from the database (through the pool). */
  read: () => Promise<number>;
  refreshAfterMs?: number;
  maxAgeMs?: number;
  /** A monotonic clock in milliseconds. */
  now?: () => number;
  /** False: no LISTEN connection, the version is only read again (tests of the bound). */
  listen?: boolean;
  /** Where a lost connection is reported (never more than a message). */
  log?: (message: string) => void;
}

/**
 * The content version of a PostgreSQL database, kept in memory for the page caches' hot path.
 *
 * - A dedicated connection (not from the pool) LISTENs on CONTENT_VERSION_CHANNEL; every bump
 *   announces its new version with pg_notify, delivered when the bump commits.
 * - This process's own commands tell it at once (`committed`), so a page asked right after a
 *   change here is never the old one.
 * - The version is read again once a request finds it older than REFRESH_AFTER_MS (in the
 *   background), and a request finding it older than MAX_AGE_MS waits for that read: a lost
 *   notification leaves a page stale for MAX_AGE_MS at most.
 * - A lost connection is opened again with a growing delay (0.1 s to 5 s), then the version is
 *   read again (what changed while nobody listened).
 *
 * Only versions that were committed are ever held, so a page is never keyed by a version newer
 * than the data it was rendered from.
 */
export class VersionWatch {
  private version = 0;
  private settled: Promise<number> = Promise.resolve(0);
  /** When the last successful read started; -Infinity before the first one. */
  private confirmedAt = Number.NEGATIVE_INFINITY;
  /** Counts announced versions, so a read that overlapped one does not take the version back. */
  private announced = 0;
  private reading: Promise<number> | undefined;
  private client: pg.Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;
  private started = false;
  private closed = false;
  private readonly refreshAfterMs: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  /** Whether the LISTEN connection is up (for tests and the health of the watch). */
  listening = false;
  /** Reads of the version from the database, for tests and measurements. */
  reads = 0;

  constructor(private readonly options: VersionWatchOptions) {
    this.refreshAfterMs = options.refreshAfterMs ?? REFRESH_AFTER_MS;
    this.maxAgeMs = options.maxAgeMs ?? MAX_AGE_MS;
    this.now = options.now ?? (() => performance.now());
    this.log = options.log ?? ((message) => console.error(message));
  }

  /** The version to serve pages by: from memory, unless it is too old (see MAX_AGE_MS). */
  current(): Promise<number> {
    if (!this.started) this.start();
    const age = this.now() - this.confirmedAt;
    if (age > this.maxAgeMs) return this.refresh();
    if (age > this.refreshAfterMs && !this.reading) this.refresh().catch((error: unknown) => this.log(`Reading the content version failed: ${(error as Error).message}`));
    return this.settled;
  }

  /** Reads the version from the database now (after a write that was not announced, for instance). */
  refresh(): Promise<number> {
    if (this.reading) return this.reading;
    const startedAt = this.now();
    const announcedBefore = this.announced;
    this.reads += 1;
    const reading = this.options.read().then(
      (version) => {
        // Nothing announced meanwhile: the database's value is the truth (even a lower one, after a
        // restore). Otherwise the announcement may be newer than what this read saw.
        this.set(this.announced === announcedBefore ? version : Math.max(version, this.version));
        this.confirmedAt = Math.max(this.confirmedAt, startedAt);
        if (this.reading === reading) this.reading = undefined;
        return this.version;
      },
      (error: unknown) => {
        if (this.reading === reading) this.reading = undefined;
        throw error;
      },
    );
    this.reading = reading;
    return reading;
  }

  /** A version known to be committed (announced, or committed by this process). */
  committed(version: number): void {
    this.announced += 1;
    if (version > this.version) this.set(version);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    if (client) await client.end().catch(() => undefined);
    await this.reading?.catch(() => undefined);
  }

  private set(version: number): void {
    if (version === this.version) return;
    this.version = version;
    this.settled = Promise.resolve(version);
  }

  private start(): void {
    this.started = true;
    if (this.options.listen !== false) void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.connectionString });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel !== CONTENT_VERSION_CHANNEL) return;
      const version = Number(message.payload);
      if (Number.isSafeInteger(version)) this.committed(version);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${CONTENT_VERSION_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.client !== client) return;
    this.listening = true;
    this.retryMs = FIRST_RETRY_MS;
    // Whatever was committed while nobody listened.
    await this.refresh().catch(() => undefined);
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    // An error after this one must not be an unhandled 'error' event.
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.log(`PostgreSQL connection for content version notifications lost${error ? `: ${error.message}` : ''}; opening it again in ${this.retryMs} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }
}
