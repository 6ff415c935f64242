/**
 * The download files (downloads.ts): made once per content version however many ask at once,
 * written with backpressure (memory flat), a replaced file kept until its last reader is done,
 * a failed write leaving nothing behind, everything removed on close.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { currentContentVersion } from '../../db/content-version.js';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { openTestDatabase } from '../../../test/db.js';
import { DownloadCache } from './downloads.js';
import { openDataFileRoutes } from './routes.js';
import { writeChunk } from './sink.js';

/** Whether the file is gone within two seconds (removal runs in the background). */
async function gone(path: string): Promise<boolean> {
  for (let i = 0; i < 200 && existsSync(path); i++) await sleep(10);
  return !existsSync(path);
}

const writer = (text: string, delayMs = 0) => async (out: NodeJS.WritableStream) => {
  if (delayMs) await sleep(delayMs);
  await writeChunk(out, text);
};

describe('open-data download files', () => {
  test('requests at once for the same version make the file once; a newer version makes it again', async () => {
    const cache = new DownloadCache();
    try {
      let calls = 0;
      const write = async (out: NodeJS.WritableStream) => {
        calls++;
        await sleep(20);
        await writeChunk(out, `version one, call ${calls}`);
      };
      const files = await Promise.all([1, 2, 3, 4, 5].map(() => cache.acquire('all.json', 1, write)));
      assert.equal(calls, 1);
      assert.equal(cache.made, 1);
      assert.equal(new Set(files.map((f) => f.path)).size, 1);
      assert.equal(files[0]!.users, 5);
      assert.equal(await readFile(files[0]!.path, 'utf8'), 'version one, call 1');
      assert.equal(files[0]!.size, Buffer.byteLength('version one, call 1'));
      for (const f of files) cache.release(f);
      // The same version again: the file on disk, nothing made.
      const again = await cache.acquire('all.json', 1, write);
      assert.equal(again.path, files[0]!.path);
      assert.equal(calls, 1);
      cache.release(again);
      // Another key is another file; a newer version replaces the file.
      const csv = await cache.acquire('all.csv.zip', 1, writer('csv'));
      cache.release(csv);
      const newer = await cache.acquire('all.json', 2, writer('version two'));
      assert.notEqual(newer.etag, again.etag);
      assert.equal(await readFile(newer.path, 'utf8'), 'version two');
      cache.release(newer);
      assert.equal(await gone(again.path), true, 'the replaced file is removed');
      assert.equal((await readdir((await cache.path())!)).length, 2, 'one file per key on disk');
    } finally {
      await cache.close();
    }
  });

  test('a file being sent is removed only when its last reader is done', async () => {
    const cache = new DownloadCache();
    try {
      const old = await cache.acquire('j1.json', 1, writer('old'));
      const newer = await cache.acquire('j1.json', 2, writer('new'));
      cache.release(newer);
      assert.equal(old.retired, true);
      assert.equal(await readFile(old.path, 'utf8'), 'old', 'still there for the reader sending it');
      cache.release(old);
      assert.equal(await gone(old.path), true);
      assert.equal(existsSync(newer.path), true);
      // An older request arriving late is served the newer file rather than making a stale one.
      const late = await cache.acquire('j1.json', 1, writer('stale'));
      assert.equal(late.path, newer.path);
      assert.equal(cache.made, 2);
      cache.release(late);
    } finally {
      await cache.close();
    }
  });

  test('an older version finishing after a newer one does not replace it; its waiters get the newer file', async () => {
    const cache = new DownloadCache();
    try {
      const slowOld = cache.acquire('all.json', 1, writer('old', 80));
      const fastNew = await cache.acquire('all.json', 2, writer('new'));
      const old = await slowOld;
      assert.equal(old.path, fastNew.path, 'the stale file was dropped, the newer one served');
      assert.equal(await readFile(old.path, 'utf8'), 'new');
      cache.release(old);
      cache.release(fastNew);
      const dir = (await cache.path())!;
      for (let i = 0; i < 200 && (await readdir(dir)).length > 1; i++) await sleep(10);
      assert.deepEqual((await readdir(dir)).length, 1);
    } finally {
      await cache.close();
    }
  });

  test('a write that fails leaves no file, and the next request tries again', async () => {
    const cache = new DownloadCache();
    try {
      const failing = async (out: NodeJS.WritableStream) => {
        await writeChunk(out, 'half');
        throw new Error('database gone');
      };
      await assert.rejects(cache.acquire('all.json', 1, failing), /database gone/);
      assert.deepEqual(await readdir((await cache.path())!), [], 'the partial file is removed');
      const file = await cache.acquire('all.json', 1, writer('whole'));
      assert.equal(await readFile(file.path, 'utf8'), 'whole');
      cache.release(file);
    } finally {
      await cache.close();
    }
  });

  test('a large file is written with backpressure: the buffer in memory stays small', async () => {
    const cache = new DownloadCache();
    try {
      const chunk = 'x'.repeat(256 * 1024);
      let peak = 0;
      let waits = 0;
      const file = await cache.acquire('all.json', 1, async (out) => {
        for (let i = 0; i < 160; i++) {
          peak = Math.max(peak, (out as unknown as { writableLength: number }).writableLength);
          if (out.write(chunk)) continue;
          // The file is slower than the writer: it must be told to wait, or the chunks pile up in memory.
          waits++;
          await new Promise((resolve) => out.once('drain', resolve));
        }
      });
      assert.equal(file.size, 160 * chunk.length, '40 MiB written');
      assert.ok(waits > 0, 'the writer was made to wait for the disk');
      assert.ok(peak <= 2 * chunk.length, `at most a chunk or two waits in memory (peak ${peak} bytes)`);
      cache.release(file);
      const dir = (await cache.path())!;
      await cache.close();
      assert.equal(existsSync(dir), false, 'closing removes the directory');
    } finally {
      await cache.close();
    }
  });
});

describe('open-data download files over HTTP', () => {
  test('a file sent whole, to HEAD, or to a client that leaves, is released: a newer version then removes it', async () => {
    const database = await openTestDatabase('sqlite');
    await seedIfEmpty(database.db);
    const cache = new DownloadCache();
    const app = Fastify();
    await app.register(openDataFileRoutes({ db: database.db, publicUrl: 'http://127.0.0.1', modules: [] }, cache));
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const whole = await fetch(`${base}/open-data/all.json`);
      assert.equal(whole.status, 200);
      const body = await whole.text();
      assert.equal(Number(whole.headers.get('content-length')), Buffer.byteLength(body));
      assert.equal((JSON.parse(body) as { format: string }).format, 'besa-open-data/1');
      assert.equal((await fetch(`${base}/open-data/all.json`, { method: 'HEAD' })).status, 200);
      // A client that goes away on the first bytes.
      await new Promise<void>((resolve) => {
        const request = get(`${base}/open-data/all.json`, (response) => {
          response.once('data', () => {
            request.destroy();
            resolve();
          });
        });
        request.on('error', () => resolve());
      });
      assert.equal(cache.made, 1);

      const version = await currentContentVersion(database.db);
      let held = await cache.acquire('all.json', version, writer('unused'));
      // The server notices the client that left within moments.
      for (let i = 0; i < 200 && held.users > 1; i++) {
        cache.release(held);
        await sleep(10);
        held = await cache.acquire('all.json', version, writer('unused'));
      }
      assert.equal(held.users, 1, 'nobody else holds the file');
      cache.release(held);
      const newer = await cache.acquire('all.json', version + 1, writer('newer'));
      cache.release(newer);
      assert.equal(held.removed, true, 'the replaced file is removed at once: no reader was left holding it');
      assert.equal(await gone(held.path), true);
    } finally {
      await app.close();
      await database.destroy();
    }
    assert.equal(await cache.path().then((dir) => dir && existsSync(dir)), false, 'closing the app removes the directory');
  });
});
