import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { cosignLine, formatCheckpoint, rawEd25519PublicKey } from '../../../lib/tlog/note.js';
import { addCheckpoint, addCheckpointBody, checkCosignatures, MAX_COSIGNATURE_SKEW_SECONDS, MAX_WITNESS_RESPONSE_BYTES } from './client.js';

const key = generateKeyPairSync('ed25519').privateKey;
const witness = { name: 'witness.test/w', publicKey: rawEd25519PublicKey(key) };
const text = formatCheckpoint('besa-log/0123456789abcdef', 5, Buffer.alloc(32, 7));
const now = 1_780_000_000;

describe('tlog-witness client: the request', () => {
  test('old size line, base64 proof lines, a blank line, then the note', () => {
    const note = `${text}\n— besa-log/0123456789abcdef AAAA\n`;
    assert.equal(addCheckpointBody({ oldSize: 0, proof: [], text, note }), `old 0\n\n${note}`);
    const proof = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    assert.equal(addCheckpointBody({ oldSize: 3, proof, text, note }), `old 3\n${proof[0]!.toString('base64')}\n${proof[1]!.toString('base64')}\n\n${note}`);
    assert.throws(() => addCheckpointBody({ oldSize: 0, proof, text, note }), /no consistency proof from size 0/);
  });
});

describe('tlog-witness client: checking a 200 answer', () => {
  test('a cosignature by the witness on the text is accepted; lines by other keys are ignored', () => {
    const other = cosignLine(text, 'witness.test/other', generateKeyPairSync('ed25519').privateKey, now);
    const mine = cosignLine(text, witness.name, key, now);
    const result = checkCosignatures(`${other}\n${mine}\n`, witness, text, now);
    assert.equal(result.kind, 'cosigned');
    assert.ok(result.kind === 'cosigned' && result.timestamp === now && result.line === mine && mine.endsWith(` ${result.signature}`));
  });

  test('refused: no line by the key, a line that is not a signature, a future timestamp, a missing newline', () => {
    const other = cosignLine(text, 'witness.test/other', generateKeyPairSync('ed25519').privateKey, now);
    assert.match(reason(checkCosignatures(`${other}\n`, witness, text, now)), /no cosignature by its key/);
    assert.match(reason(checkCosignatures(`${cosignLine(text, witness.name, key, now)}\nhello\n`, witness, text, now)), /not a note signature/);
    const future = cosignLine(text, witness.name, key, now + MAX_COSIGNATURE_SKEW_SECONDS + 60);
    assert.match(reason(checkCosignatures(`${future}\n`, witness, text, now)), /dated in the future/);
    assert.equal(checkCosignatures(`${cosignLine(text, witness.name, key, now + 10)}\n`, witness, text, now).kind, 'cosigned', 'a small skew is allowed');
    assert.match(reason(checkCosignatures(cosignLine(text, witness.name, key, now), witness, text, now)), /without signature lines/);
  });
});

function reason(r: ReturnType<typeof checkCosignatures>): string {
  return r.kind === 'refused' || r.kind === 'unreachable' ? r.reason : `(${r.kind})`;
}

describe('tlog-witness client: HTTP answers', () => {
  let server: Server;
  let answer: (res: import('node:http').ServerResponse) => void = (res) => res.end();
  let url = '';
  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => answer(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const ask = () => addCheckpoint({ ...witness, url }, { oldSize: 0, proof: [], text, note: `${text}\n— x AAAAAAA=\n` }, { now: () => new Date(now * 1000) });

  test('409 with text/x.tlog.size gives the witness size; without it, refused', async () => {
    answer = (res) => res.writeHead(409, { 'content-type': 'text/x.tlog.size' }).end('42\n');
    assert.deepEqual(await ask(), { kind: 'size', witnessSize: 42 });
    answer = (res) => res.writeHead(409, { 'content-type': 'text/plain' }).end('42\n');
    assert.match(reason((await ask()) as never), /409 without its tree size/);
  });

  test('404, 403, 422 are refusals with a short reason; 5xx is unreachable', async () => {
    for (const [status, kind, pattern] of [
      [404, 'refused', /does not know this log/],
      [403, 'refused', /did not accept the log's signature/],
      [422, 'refused', /inconsistent/],
      [503, 'unreachable', /HTTP 503/],
    ] as const) {
      answer = (res) => res.writeHead(status).end('internal detail at /srv/witness\n');
      const result = await ask();
      assert.equal(result.kind, kind);
      assert.match(reason(result as never), pattern);
      assert.doesNotMatch(reason(result as never), /srv/);
    }
  });

  test('an answer larger than the limit is refused', async () => {
    answer = (res) => res.writeHead(200).end(`${'x'.repeat(MAX_WITNESS_RESPONSE_BYTES + 10)}\n`);
    assert.match(reason((await ask()) as never), /larger than/);
  });

  test('a 200 answer is checked', async () => {
    answer = (res) => res.writeHead(200).end(`${cosignLine(text, witness.name, key, now)}\n`);
    assert.equal((await ask()).kind, 'cosigned');
  });
});
