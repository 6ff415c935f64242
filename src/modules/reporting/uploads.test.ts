import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DIALECTS } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { insertReportingFixture, TINY_PDF, TINY_PNG, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { insertSession } from '../accounts/index.js';
import { generateCycles } from './commands.js';
import { MAX_FILES_PER_FORM, MAX_UPDATE_FORM_BYTES } from './domain.js';
import { rdb } from './tables.js';

const UPDATE = '/en/admin/jurisdictions/gjakova/plans/2024-2025/cycles/1/updates/XKGJA0001';
const MiB = 1024 * 1024;
const BOUNDARY = '----besa-uploads-test';

function fieldPart(name: string, value: string): Buffer {
  return Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
}

function fileHead(name: string, filename: string, type: string): Buffer {
  return Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
}

const END = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

interface StreamResult {
  status: number;
  response: string;
  /** Bytes of the body the client had written when the answer arrived. */
  sentWhenAnswered: number;
  bodyBytes: number;
  /** The server closed the connection without waiting for the rest of the body. */
  closedByServer: boolean;
}

/**
 * Sends a multipart request over a real socket: `head` (fields and a file's part header), then
 * `fileBytes` bytes of file, written as fast as the server takes them, then the closing boundary.
 * Stops writing when the answer arrives.
 */
async function streamUpload(port: number, cookies: string, head: Buffer, fileBytes: number): Promise<StreamResult> {
  const bodyBytes = head.length + fileBytes + END.length;
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined); // EPIPE/ECONNRESET once the server hangs up: expected
  await once(socket, 'connect');
  let response = '';
  let answered = false;
  let sentWhenAnswered = -1;
  let sent = 0;
  let answer!: () => void;
  const answeredPromise = new Promise<void>((resolve) => (answer = resolve));
  const closed = new Promise<boolean>((resolve) => {
    socket.on('end', () => resolve(true));
    socket.on('close', () => resolve(true));
  });
  socket.on('data', (chunk: Buffer) => {
    response += chunk.toString('latin1');
    if (!answered && response.includes('\r\n\r\n')) {
      answered = true;
      sentWhenAnswered = sent;
      answer();
    }
  });
  const write = (buffer: Buffer): boolean => {
    sent += buffer.length;
    return socket.write(buffer);
  };
  write(
    Buffer.from(
      `POST ${UPDATE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${bodyBytes}\r\nCookie: ${cookies}\r\n\r\n`,
    ),
  );
  sent = 0;
  write(head);
  const chunk = Buffer.alloc(256 * 1024, 0x41);
  let left = fileBytes;
  while (left > 0 && !answered && !socket.destroyed) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    if (!write(piece)) {
      const drained = once(socket, 'drain').then(
        () => true,
        () => false, // EPIPE/ECONNRESET: the server hung up (its answer is read below)
      );
      const stop = await Promise.race([drained, answeredPromise.then(() => false), closed.then(() => false)]);
      if (!stop) break;
    }
  }
  if (!answered && left === 0 && !socket.destroyed) write(END);
  await Promise.race([answeredPromise, closed]);
  if (!answered) sentWhenAnswered = sent;
  // Wait for the whole answer and the server's hang-up (a server still reading would keep the
  // connection open, waiting for the rest of the declared body).
  const closedByServer = await Promise.race([closed, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000))]);
  socket.destroy();
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
  return { status, response, sentWhenAnswered, bodyBytes, closedByServer };
}

for (const dialect of DIALECTS) {
  describe(`progress update uploads [${dialect}]`, () => {
    let t: TestApp;
    let f: ReportingFixture;
    let port: number;
    const sessions = { holder: '', otherHolder: '' };
    let csrf: { token: string; cookie: string };

    before(async () => {
      t = await openTestApp(dialect);
      f = await insertReportingFixture(t.database.db);
      await generateCycles(t.database.db, f.actors.coordinator, f.planId);
      sessions.holder = await insertSession(t.database.db, f.users.holder);
      sessions.otherHolder = await insertSession(t.database.db, f.users.otherHolder);
      const page = await t.app.inject({ method: 'GET', url: '/en/login' });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token && cookie);
      csrf = { token, cookie };
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      port = (t.app.server.address() as AddressInfo).port;
    });

    after(async () => {
      await t.close();
    });

    const cookiesOf = (session: string) => `besa_session=${session}; _csrf=${csrf.cookie}`;

    async function updateRows() {
      return rdb(t.database.db).selectFrom('progress_updates').select('id').where('commitment_id', '=', f.commitmentId).execute();
    }

    function fields(): Buffer {
      const [m1, m2] = f.milestoneIds;
      return Buffer.concat([
        fieldPart('content', 'en'),
        fieldPart('summary', 'Published monthly.'),
        fieldPart(`m${m1}_status`, 'in_progress'),
        fieldPart(`m${m1}_completion`, 'limited'),
        fieldPart(`m${m2}_status`, 'in_progress'),
        fieldPart(`m${m2}_completion`, 'limited'),
        fieldPart('action', 'save'),
      ]);
    }

    test('a person who may not file this update: 403 before the 50 MiB upload is read, the connection closed', async (t) => {
      const head = Buffer.concat([fieldPart('_csrf', csrf.token), fields(), fileHead('files_general', 'big.pdf', 'application/pdf')]);
      const result = await streamUpload(port, cookiesOf(sessions.otherHolder), head, 50 * MiB);
      t.diagnostic(`answered after ${result.sentWhenAnswered} of ${result.bodyBytes} bytes`);
      assert.equal(result.status, 403, result.response.slice(0, 200));
      // What the client could push is what the kernel's socket buffers hold, not the upload.
      assert.ok(result.sentWhenAnswered < 16 * MiB, `answered after ${result.sentWhenAnswered} of ${result.bodyBytes} bytes`);
      assert.ok(result.closedByServer, 'the server hung up instead of reading the rest');
      assert.equal((await updateRows()).length, 0);
    });

    test('a wrong CSRF token before the files: 403 before the 50 MiB file is read', async (t) => {
      const head = Buffer.concat([fieldPart('_csrf', 'not-the-token'), fields(), fileHead('files_general', 'big.pdf', 'application/pdf')]);
      const result = await streamUpload(port, cookiesOf(sessions.holder), head, 50 * MiB);
      t.diagnostic(`answered after ${result.sentWhenAnswered} of ${result.bodyBytes} bytes`);
      assert.equal(result.status, 403, result.response.slice(0, 200));
      assert.match(result.response, /expired|form/i);
      assert.ok(result.sentWhenAnswered < 16 * MiB, `answered after ${result.sentWhenAnswered} of ${result.bodyBytes} bytes`);
      assert.ok(result.closedByServer);
      assert.equal((await updateRows()).length, 0);
    });

    test('a file before any CSRF token is not read: 403', async (t) => {
      const head = Buffer.concat([fileHead('files_general', 'big.pdf', 'application/pdf')]);
      const result = await streamUpload(port, cookiesOf(sessions.holder), head, 50 * MiB);
      t.diagnostic(`answered after ${result.sentWhenAnswered} of ${result.bodyBytes} bytes`);
      assert.equal(result.status, 403);
      assert.ok(result.sentWhenAnswered < 16 * MiB, `answered after ${result.sentWhenAnswered} of ${result.bodyBytes} bytes`);
      assert.ok(result.closedByServer);
    });

    test('a body larger than the form allows is cut off at the limit: 413, the rest unread', async (t) => {
      const head = Buffer.concat([fieldPart('_csrf', csrf.token), fields(), fileHead('files_general', 'huge.pdf', 'application/pdf')]);
      const result = await streamUpload(port, cookiesOf(sessions.holder), head, MAX_UPDATE_FORM_BYTES + 60 * MiB);
      t.diagnostic(`answered after ${result.sentWhenAnswered} of ${result.bodyBytes} bytes`);
      assert.equal(result.status, 413, result.response.slice(0, 200));
      assert.ok(result.sentWhenAnswered < MAX_UPDATE_FORM_BYTES + 20 * MiB, `answered after ${result.sentWhenAnswered} of ${result.bodyBytes} bytes`);
      assert.ok(result.closedByServer);
      assert.equal((await updateRows()).length, 0);
    });

    test(`more files than allowed (25 > ${MAX_FILES_PER_FORM}): the form's own message, 422, nothing typed lost`, async () => {
      const files: Buffer[] = [];
      for (let i = 0; i < 25; i += 1) files.push(fileHead('files_general', `photo-${i}.png`, 'image/png'), TINY_PNG, Buffer.from('\r\n'));
      // Texts both before and after the files are kept.
      const payload = Buffer.concat([
        fieldPart('_csrf', csrf.token),
        fieldPart('content', 'en'),
        ...files,
        fieldPart('summary', 'Typed after the files were chosen.'),
        fieldPart(`m${f.milestoneIds[0]}_narrative`, 'A narrative typed by hand.'),
        fieldPart('action', 'save'),
        Buffer.from(`--${BOUNDARY}--\r\n`),
      ]);
      const res = await t.app.inject({
        method: 'POST',
        url: UPDATE,
        payload,
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        cookies: { besa_session: sessions.holder, _csrf: csrf.cookie },
      });
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /Choose at most 10 files at a time/);
      assert.match(res.body, /Typed after the files were chosen\./);
      assert.match(res.body, /A narrative typed by hand\./);
      assert.equal((await updateRows()).length, 0);
    });

    test('the CSRF token may come in a header instead of the first field; the upload is stored', async () => {
      const payload = Buffer.concat([fields(), fileHead('files_general', 'photo.png', 'image/png'), TINY_PNG, END]);
      const res = await t.app.inject({
        method: 'POST',
        url: UPDATE,
        payload,
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'x-csrf-token': csrf.token },
        cookies: { besa_session: sessions.holder, _csrf: csrf.cookie },
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      const rows = await updateRows();
      assert.equal(rows.length, 1);
      const stored = await rdb(t.database.db).selectFrom('evidence_files').select(['filename', 'size']).where('update_id', '=', rows[0]!.id).execute();
      assert.deepEqual(stored, [{ filename: 'photo.png', size: TINY_PNG.length }]);
    });

    test('files in fields the form does not have are read past, not counted: the real one is stored', async () => {
      const bogus: Buffer[] = [];
      for (let i = 0; i < 12; i += 1) bogus.push(fileHead('m999999_files', `x-${i}.png`, 'image/png'), TINY_PNG, Buffer.from('\r\n'));
      const payload = Buffer.concat([fieldPart('_csrf', csrf.token), fields(), ...bogus, fileHead(`m${f.milestoneIds[0]}_files`, 'report.pdf', 'application/pdf'), TINY_PDF, END]);
      const res = await t.app.inject({
        method: 'POST',
        url: UPDATE,
        payload,
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        cookies: { besa_session: sessions.holder, _csrf: csrf.cookie },
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      const rows = await updateRows();
      const stored = await rdb(t.database.db).selectFrom('evidence_files').select(['filename', 'milestone_id']).where('update_id', '=', rows[0]!.id).orderBy('id').execute();
      assert.deepEqual(stored, [
        { filename: 'photo.png', milestone_id: null },
        { filename: 'report.pdf', milestone_id: f.milestoneIds[0] },
      ]);
    });

    test('a multipart body without a boundary, or cut short, is a 400 page', async () => {
      const noBoundary = await t.app.inject({
        method: 'POST',
        url: UPDATE,
        payload: Buffer.concat([fieldPart('_csrf', csrf.token), fields()]),
        headers: { 'content-type': 'multipart/form-data' },
        cookies: { besa_session: sessions.holder, _csrf: csrf.cookie },
      });
      assert.equal(noBoundary.statusCode, 400);
      assert.match(noBoundary.headers['content-type'] as string, /text\/html/);
      const whole = Buffer.concat([fieldPart('_csrf', csrf.token), fields(), fileHead('files_general', 'photo.png', 'image/png'), TINY_PNG, END]);
      const truncated = await t.app.inject({
        method: 'POST',
        url: UPDATE,
        payload: whole.subarray(0, whole.length - END.length - 10),
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        cookies: { besa_session: sessions.holder, _csrf: csrf.cookie },
      });
      assert.equal(truncated.statusCode, 400);
      assert.match(truncated.headers['content-type'] as string, /text\/html/);
    });
  });
}
