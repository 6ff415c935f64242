/**
 * Opaque list cursors: `v1.` and the last position served (an id, or a log index), base64url.
 * Lists are ordered by that position, which never changes and only grows for new rows, so a walk
 * with the cursor sees every row that existed when it began exactly once, whatever is added meanwhile.
 */
export class BadCursorError extends Error {
  readonly statusCode = 400;
  constructor() {
    super('cursor is not one this API gave');
  }
}

export function encodeCursor(position: number): string {
  return Buffer.from(`v1.${position}`, 'utf8').toString('base64url');
}

/** The position after which the page starts (-1: from the beginning). */
export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return -1;
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^v1\.(\d{1,10})$/.exec(text);
  if (!match) throw new BadCursorError();
  const position = Number(match[1]);
  if (position > 2_147_483_647) throw new BadCursorError();
  return position;
}

export interface Paged<T> {
  items: T[];
  /** The cursor of the next page, null on the last. */
  next: string | null;
}

/** Rows fetched at once when a `keep` filter may skip many (a few queries, not one per two rows). */
export const SCAN_CHUNK = 500;
/** Rows looked at in one request at most: past it, the page ends early with a cursor to go on. */
export const MAX_SCAN = 5_000;

/**
 * One page of a list ordered by position: rows are fetched in chunks after the cursor, turned
 * into items (`build`, with whatever they need fetched in bulk) and, when a filter can only be
 * applied to built items (a status derived for today), kept by `keep`. `next` is set only when
 * another kept item exists after the page, so the last page says null; except that one request
 * looks at no more than `maxScan` rows: when a filter keeps few of them the page may end early
 * (even empty) with a cursor after the last row looked at, to be followed as any other.
 */
export async function pageOf<R, T>(options: {
  after: number;
  limit: number;
  fetch: (after: number, count: number) => Promise<R[]>;
  positionOf: (row: R) => number;
  build: (rows: R[]) => Promise<T[]>;
  keep?: (item: T) => boolean;
  maxScan?: number;
}): Promise<Paged<T>> {
  const { limit, fetch, positionOf, build, keep } = options;
  const maxScan = options.maxScan ?? MAX_SCAN;
  const chunk = Math.max(limit + 1, SCAN_CHUNK);
  const items: T[] = [];
  let lastPosition = -1;
  let after = options.after;
  let scanned = 0;
  for (;;) {
    const rows = await fetch(after, chunk);
    scanned += rows.length;
    const built = await build(rows);
    for (let i = 0; i < rows.length; i++) {
      const item = built[i]!;
      if (keep && !keep(item)) continue;
      if (items.length === limit) return { items, next: encodeCursor(lastPosition) };
      items.push(item);
      lastPosition = positionOf(rows[i]!);
    }
    if (rows.length < chunk) return { items, next: null };
    after = positionOf(rows[rows.length - 1]!);
    if (scanned >= maxScan) return { items, next: encodeCursor(after) };
  }
}
