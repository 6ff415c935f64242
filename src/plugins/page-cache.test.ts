import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import pageCache, { negotiateEncoding } from './page-cache.js';

describe('Accept-Encoding negotiation of cached pages', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['BR', 'br'],
    ['deflate', 'identity'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['identity', 'identity'],
    ['identity;q=1, gzip;q=0.5', 'identity'],
    ['gzip;q=0, br;q=0', 'identity'],
    // Nothing acceptable at all: identity rather than a 406.
    ['identity;q=0, *;q=0', 'identity'],
    ['gzip;q=0.8, identity;q=0', 'gzip'],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} → ${expected}`, () => assert.equal(negotiateEncoding(header), expected));
  }
});

describe('cached pages stored compressed and sent per Accept-Encoding', () => {
  async function app(maxEntries = 10) {
    let version = 1;
    let renders = 0;
    const fastify = Fastify();
    await fastify.register(pageCache, { readVersion: async () => version, maxEntries });
    fastify.get('/page', (request, reply) =>
      fastify.pageCache.serve(request, reply, () => {
        renders++;
        return `<!doctype html><p>version ${version}</p>${'<li>Gjakova ë ç Ђаковица</li>'.repeat(400)}`;
      }),
    );
    await fastify.ready();
    return { fastify, bump: () => version++, renders: () => renders };
  }

  it('sends the same page as brotli, gzip or as rendered, each with its own ETag and Vary', async () => {
    const { fastify, renders } = await app();
    const plain = await fastify.inject({ url: '/page' });
    const br = await fastify.inject({ url: '/page', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const gz = await fastify.inject({ url: '/page', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(renders(), 1, 'rendered once, compressed when stored');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    for (const response of [plain, br, gz]) {
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers.vary, 'Accept-Encoding');
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.equal(Number(response.headers['content-length']), response.rawPayload.length);
    }
    assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
    assert.equal(gunzipSync(gz.rawPayload).toString(), plain.body);
    assert.ok(br.rawPayload.length < plain.rawPayload.length / 5 && gz.rawPayload.length < plain.rawPayload.length / 5);
    assert.equal(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size, 3, 'one ETag per representation');
    await fastify.close();
  });

  it('answers 304 to the ETag of the representation it would send, and not to another', async () => {
    const { fastify, bump } = await app();
    const br = await fastify.inject({ url: '/page', headers: { 'accept-encoding': 'br' } });
    const plain = await fastify.inject({ url: '/page' });
    const again = await fastify.inject({ url: '/page', headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);
    assert.equal(again.headers.etag, br.headers.etag);
    const listed = await fastify.inject({ url: '/page', headers: { 'accept-encoding': 'br', 'if-none-match': `"other", ${String(br.headers.etag)}` } });
    assert.equal(listed.statusCode, 304);
    // The brotli ETag does not validate the uncompressed page.
    const mixed = await fastify.inject({ url: '/page', headers: { 'if-none-match': String(br.headers.etag) } });
    assert.equal(mixed.statusCode, 200);
    assert.equal(mixed.body, plain.body);
    // A change of content: a new page, a new ETag.
    bump();
    const changed = await fastify.inject({ url: '/page', headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } });
    assert.equal(changed.statusCode, 200);
    assert.match(brotliDecompressSync(changed.rawPayload).toString(), /version 2/);
    await fastify.close();
  });

  it('with the cache off, sends each page as rendered', async () => {
    const { fastify, renders } = await app(0);
    const response = await fastify.inject({ url: '/page', headers: { 'accept-encoding': 'br, gzip' } });
    await fastify.inject({ url: '/page', headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(renders(), 2);
    assert.equal(response.headers['content-encoding'], undefined);
    assert.match(response.body, /version 1/);
    await fastify.close();
  });
});
