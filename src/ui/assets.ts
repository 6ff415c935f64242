import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { negotiateEncoding, type Coding } from '../plugins/page-cache.js';

/**
 * Besa's static files (public/: the stylesheet, the script, the icon), served under /assets/.
 *
 * Read once at start into memory, each under two names: its content-hashed name
 * (`/assets/besa.3f2a9c0d1e.css`, from the first 10 hex digits of the SHA-256 of its bytes), which
 * pages link to (`assetUrl`) and browsers keep for a year without asking again
 * (`Cache-Control: public, max-age=31536000, immutable`: a changed file gets a new name); and its
 * plain name (`/assets/besa.css`), kept for old links and bookmarks, cached for an hour. Text files
 * are compressed once here (brotli at the highest quality, gzip) and sent as Accept-Encoding asks.
 */

/** public/ at the package root, from src/ui/assets.ts (tsx) or dist/src/ui/assets.js (compiled). */
const publicDir = fileURLToPath(new URL(import.meta.url.includes('/dist/src/ui/') ? '../../../public/' : '../../public/', import.meta.url));

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};
const COMPRESSIBLE = new Set(['.css', '.js', '.mjs', '.svg', '.json', '.txt', '.map', '.ico']);

export const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=3600';

interface Asset {
  type: string;
  /** Each representation with its (strong) ETag; `br` and `gzip` only for text files. */
  variants: Partial<Record<Coding, { body: Buffer; etag: string }>> & { identity: { body: Buffer; etag: string } };
  immutable: boolean;
}

/** The hashed name of a file: `besa.css` → `besa.3f2a9c0d1e.css` (in the same folder). */
export function hashedName(name: string, bytes: Buffer): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 10);
  const ext = extname(name);
  return `${name.slice(0, name.length - ext.length)}.${hash}${ext}`;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.isFile() && !entry.name.startsWith('.') ? [path] : [];
  });
}

/** Every file of `dir`, by its URL path under /assets/ (both names), and the map plain → hashed. */
export function loadAssets(dir: string): { files: Map<string, Asset>; urls: Map<string, string> } {
  const files = new Map<string, Asset>();
  const urls = new Map<string, string>();
  for (const path of walk(dir).sort()) {
    const name = relative(dir, path).split(sep).join('/');
    const ext = extname(name).toLowerCase();
    const body = readFileSync(path);
    const hashed = hashedName(name, body);
    const tag = hashed.slice(name.length - ext.length + 1, hashed.length - ext.length);
    const variants: Asset['variants'] = { identity: { body, etag: `"${tag}"` } };
    if (COMPRESSIBLE.has(ext) && body.length > 256) {
      const br = brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT } });
      const gz = gzipSync(body, { level: 9 });
      if (br.length < body.length) variants.br = { body: br, etag: `"${tag}-br"` };
      if (gz.length < body.length) variants.gzip = { body: gz, etag: `"${tag}-gz"` };
    }
    const type = TYPES[ext] ?? 'application/octet-stream';
    files.set(name, { type, variants, immutable: false });
    files.set(hashed, { type, variants, immutable: true });
    urls.set(name, `/assets/${hashed}`);
  }
  return { files, urls };
}

const loaded = loadAssets(publicDir);

/** The URL pages link to for a file of public/ (`besa.css`): its content-hashed name. */
export function assetUrl(name: string): string {
  const url = loaded.urls.get(name);
  if (!url) throw new Error(`No such file in public/: ${name}`);
  return url;
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply {
  const wanted = negotiateEncoding(request.headers['accept-encoding']);
  const coding: Coding = asset.variants[wanted] ? wanted : 'identity';
  const variant = asset.variants[coding] ?? asset.variants.identity;
  reply.header('cache-control', asset.immutable ? IMMUTABLE : SHORT).header('etag', variant.etag).type(asset.type);
  if (asset.variants.br || asset.variants.gzip) reply.header('vary', 'Accept-Encoding');
  if (coding !== 'identity') reply.header('content-encoding', coding);
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === variant.etag || t.trim() === `W/${variant.etag}`)) return reply.code(304).send();
  return reply.code(200).send(variant.body);
}

/** GET /assets/<name>: a file of public/ by its hashed or plain name; anything else is a 404. */
export default fp(async function assets(app: FastifyInstance, opts: { dir?: string } = {}) {
  const { files } = opts.dir ? loadAssets(opts.dir) : loaded;
  app.get('/assets/*', (request, reply) => {
    const name = (request.params as { '*': string })['*'];
    const asset = files.get(name);
    if (!asset) return reply.callNotFound();
    return sendAsset(request, reply, asset);
  });
});
