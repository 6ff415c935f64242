import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { openTestApp, type TestApp } from '../../test/app.js';
import assets, { hashedName, IMMUTABLE } from './assets.js';

describe('static files under content-hashed names', () => {
  let dir: string;
  let app: FastifyInstance;
  const css = Buffer.from(`body { color: #123; }\n${'.x { margin: 0 }\n'.repeat(100)}`);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'besa-assets-'));
    await writeFile(join(dir, 'site.css'), css);
    await mkdir(join(dir, 'fonts'));
    await writeFile(join(dir, 'fonts', 'a.woff2'), Buffer.from([1, 2, 3, 4]));
    app = Fastify();
    await app.register(assets, { dir });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('names a file by a hash of its bytes: another content, another name', () => {
    assert.match(hashedName('site.css', css), /^site\.[0-9a-f]{10}\.css$/);
    assert.equal(hashedName('site.css', css), hashedName('site.css', Buffer.from(css)));
    assert.notEqual(hashedName('site.css', css), hashedName('site.css', Buffer.from('body{}')));
    assert.match(hashedName('fonts/a.woff2', Buffer.from([1])), /^fonts\/a\.[0-9a-f]{10}\.woff2$/);
  });

  it('serves the hashed name immutable and compressed as asked, the plain name for an hour', async () => {
    const hashed = `/assets/${hashedName('site.css', css)}`;
    const plain = await app.inject(hashed);
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers['cache-control'], IMMUTABLE);
    assert.equal(plain.headers['content-type'], 'text/css; charset=utf-8');
    assert.deepEqual(plain.rawPayload, css);
    const br = await app.inject({ url: hashed, headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.deepEqual(brotliDecompressSync(br.rawPayload), css);
    const gz = await app.inject({ url: hashed, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.rawPayload), css);
    const revalidated = await app.inject({ url: hashed, headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } });
    assert.equal(revalidated.statusCode, 304);

    const old = await app.inject('/assets/site.css');
    assert.equal(old.statusCode, 200);
    assert.equal(old.headers['cache-control'], 'public, max-age=3600');
    assert.deepEqual(old.rawPayload, css);

    const font = await app.inject({ url: `/assets/${hashedName('fonts/a.woff2', Buffer.from([1, 2, 3, 4]))}`, headers: { 'accept-encoding': 'br' } });
    assert.equal(font.statusCode, 200);
    assert.equal(font.headers['content-type'], 'font/woff2');
    assert.equal(font.headers['content-encoding'], undefined, 'binary files are sent as they are');
  });

  it('knows no other name: a stale hash or a path outside is a 404', async () => {
    for (const url of ['/assets/site.0000000000.css', '/assets/../package.json', '/assets/%2e%2e/package.json', '/assets/', '/assets/fonts']) {
      assert.equal((await app.inject(url)).statusCode, 404, url);
    }
  });
});

describe('pages link to the hashed names', () => {
  let t: TestApp;
  before(async () => {
    t = await openTestApp('sqlite');
  });
  after(async () => t.close());

  it('the stylesheet, script and icon of a page answer 200, immutable', async () => {
    const page = await t.app.inject('/en/');
    assert.equal(page.statusCode, 200);
    const urls = [...page.body.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(
      urls.map((u) => u.replace(/\.[0-9a-f]{10}\./, '.HASH.')),
      ['/assets/besa.HASH.css', '/assets/favicon.HASH.svg', '/assets/besa.HASH.js'],
    );
    for (const url of urls) {
      const res = await t.app.inject({ url, headers: { 'accept-encoding': 'br' } });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['cache-control'], IMMUTABLE, url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    }
  });
});
