import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { openTestApp } from '../../test/app.js';
import pageCache, { CachedPageFront, negotiateEncoding } from './page-cache.js';

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

describe('the front: stored pages sent before the framework', () => {
  async function listening(options: { https?: boolean; logsEveryRequest?: boolean } = {}) {
    let version = 1;
    let hooks = 0;
    const front = new CachedPageFront();
    const fastify = Fastify({ serverFactory: front.serverFactory });
    fastify.addHook('onRequest', async () => {
      hooks++;
    });
    fastify.addHook('onSend', async (_request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
    });
    await fastify.register(pageCache, { readVersion: async () => version, maxEntries: 10, front, https: options.https ?? false, logsEveryRequest: options.logsEveryRequest ?? false });
    fastify.get('/page', (request, reply) => fastify.pageCache.serve(request, reply, () => `<p>version ${version}</p>${'<li>Gjakova</li>'.repeat(300)}`));
    fastify.get('/cookie', (request, reply) => {
      reply.header('set-cookie', 'a=b');
      return fastify.pageCache.serve(request, reply, () => '<p>with a cookie</p>');
    });
    await fastify.listen({ host: '127.0.0.1', port: 0 });
    const { port } = fastify.server.address() as AddressInfo;
    const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http
          .request({ host: '127.0.0.1', port, path, method, headers }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (c: Buffer) => chunks.push(c));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
          })
          .on('error', reject)
          .end();
      });
    return { fastify, get, hooks: () => hooks, bump: () => version++ };
  }
  const without = (headers: http.IncomingHttpHeaders, ...names: string[]) => Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));

  it('sends a stored page itself, with the headers the app sent, per coding; a new version goes to the app', async () => {
    const { fastify, get, hooks, bump } = await listening();
    const first = await get('/page', { 'accept-encoding': 'br' });
    assert.equal(hooks(), 1);
    const second = await get('/page', { 'accept-encoding': 'br' });
    assert.equal(hooks(), 1, 'not through the framework');
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, first.body);
    assert.deepEqual(without(second.headers, 'date', 'keep-alive', 'connection'), without(first.headers, 'date', 'keep-alive', 'connection'));
    assert.equal(second.headers['x-content-type-options'], 'nosniff');
    const gz = await get('/page', { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.match(gunzipSync(gz.body).toString(), /version 1/);
    const plain = await get('/page');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(plain.body.toString(), /version 1/);
    const head = await get('/page', { 'accept-encoding': 'br' }, 'HEAD');
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], first.headers['content-length']);
    const notModified = await get('/page', { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
    assert.equal(notModified.status, 304);
    assert.equal(hooks(), 1);
    bump();
    const changed = await get('/page', { 'accept-encoding': 'br' });
    assert.equal(hooks(), 2, 'a changed version is rendered by the app');
    assert.match(brotliDecompressSync(changed.body).toString(), /version 2/);
    await fastify.close();
  });

  it('leaves to the app: a page that set a cookie, a request through a proxy, and every request when each is logged', async () => {
    const { fastify, get, hooks } = await listening();
    await get('/cookie');
    await get('/cookie');
    assert.equal(hooks(), 2, 'a response with a cookie is never replayed');
    await get('/page');
    await get('/page', { 'x-forwarded-proto': 'https' });
    assert.equal(hooks(), 4, 'HSTS behind a proxy is the app’s decision');
    await fastify.close();
    const logged = await listening({ logsEveryRequest: true });
    await logged.get('/page');
    await logged.get('/page');
    assert.equal(logged.hooks(), 2);
    await logged.fastify.close();
    const https = await listening({ https: true });
    await https.get('/page');
    const fronted = await https.get('/page', { 'x-forwarded-proto': 'https' });
    assert.equal(https.hooks(), 1);
    assert.equal(fronted.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    await https.fastify.close();
  });
});

describe('the front on the real app', () => {
  it('sends the stored home page with the same security headers the app sent', async () => {
    const t = await openTestApp('sqlite', { LOG_LEVEL: 'silent' });
    try {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = t.app.server.address() as AddressInfo;
      const get = () =>
        new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port, path: '/en/', headers: { 'accept-encoding': 'br' } }, (response) => {
              const chunks: Buffer[] = [];
              response.on('data', (c: Buffer) => chunks.push(c));
              response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
            })
            .on('error', reject);
        });
      let requests = 0;
      t.app.server.prependListener('request', () => requests++);
      const first = await get();
      const second = await get();
      assert.equal(requests, 2);
      assert.deepEqual(second.body, first.body);
      const strip = (h: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).filter(([name]) => !['date', 'keep-alive', 'connection'].includes(name)));
      assert.deepEqual(strip(second.headers), strip(first.headers));
      for (const name of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']) assert.ok(second.headers[name], name);
      assert.equal(second.headers['content-encoding'], 'br');
      assert.equal(second.headers['set-cookie'], undefined);
    } finally {
      await t.close();
    }
  });
});
