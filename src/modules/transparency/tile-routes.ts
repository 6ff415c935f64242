import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db } from '../../db/database.js';
import { parseTilePath, TILE_WIDTH } from '../../lib/tlog/tiles.js';
import { EntryTooLongError, latestTreeSize, readEntryBundle, readHashTile, servable } from './tiles.js';

const gzipped = promisify(gzip);

/** The C2SP tlog-tiles prefix of the log (c2sp.org/tlog-tiles): `<prefix>/tile/…`, `<prefix>/checkpoint`. */
export const TLOG_PREFIX = '/transparency/tlog';

/** A full tile never changes: cached for a year. */
export const FULL_TILE_CACHE = 'public, max-age=31536000, immutable';
/** A partial tile is served only while its full tile is not complete; it is the same bytes for its width, but kept briefly. */
export const PARTIAL_TILE_CACHE = 'public, max-age=60';

/** gzip level of entry bundles: canonical JSON compresses well at 6, higher levels cost time for little. */
const GZIP_LEVEL = 6;

/** Whether an Accept-Encoding header accepts gzip (q > 0 for gzip or x-gzip, or for `*` when gzip is not named). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzipQ: number | undefined;
  let anyQ: number | undefined;
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (m) q = Math.min(1, Number(m[1]) || 0);
    }
    if (name === 'gzip' || name === 'x-gzip') gzipQ = Math.max(q, gzipQ ?? 0);
    else if (name === '*') anyQ = q;
  }
  return (gzipQ ?? anyQ ?? 0) > 0;
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).header('cache-control', 'no-cache').type('text/plain; charset=utf-8').send('not found\n');
}

/**
 * `GET /transparency/tlog/tile/<L>/<N>[.p/<W>]` (hash tiles) and `…/tile/entries/<N>[.p/<W>]`
 * (entry bundles), as c2sp.org/tlog-tiles defines them, for the latest checkpoint's tree: a full
 * tile once complete, a partial tile of any width up to what that size gives it; anything else,
 * a malformed path included, is a plain 404. Each answer is two primary-key reads (the latest
 * size, then the tile's range).
 */
export function transparencyTileRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(
      async (tiles) => {
        tiles.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
          if (error instanceof EntryTooLongError) {
            // Refused, never truncated: the entry itself is in the JSON API.
            request.log.error({ index: error.index, bytes: error.bytes }, 'entry bundle refused: an entry is too long for it');
            return reply
              .code(500)
              .header('cache-control', 'no-store')
              .type('text/plain; charset=utf-8')
              .send(`${error.message} (c2sp.org/tlog-tiles). The entry is at /transparency/entries?start=${error.index}&end=${error.index + 1}\n`);
          }
          if (error.statusCode === 404) return notFound(reply);
          request.log.error({ err: error }, 'transparency tile request failed');
          return reply.code(500).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('server error\n');
        });
        tiles.setNotFoundHandler((_request, reply) => notFound(reply));

        tiles.get('/*', async (request, reply) => {
          const tile = parseTilePath(`tile/${(request.params as { '*': string })['*']}`);
          if (!tile) return notFound(reply);
          const size = await latestTreeSize(db);
          if (!servable(tile, size)) return notFound(reply);
          const full = tile.width === TILE_WIDTH;
          reply
            .header('cache-control', full ? FULL_TILE_CACHE : PARTIAL_TILE_CACHE)
            .header('access-control-allow-origin', '*')
            .type('application/octet-stream');
          if (tile.level !== 'entries') return reply.send(await readHashTile(db, tile.level, tile.index, tile.width));
          const bundle = await readEntryBundle(db, tile.index, tile.width);
          reply.header('vary', 'accept-encoding');
          if (!acceptsGzip(request.headers['accept-encoding'])) return reply.send(bundle);
          return reply.header('content-encoding', 'gzip').send(await gzipped(bundle, { level: GZIP_LEVEL }));
        });
      },
      { prefix: `${TLOG_PREFIX}/tile` },
    );
  };
}
