import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { parseEml } from './mailbox.js';
import { deliverDueMail, enqueueMail, smtpTransport, type MailTransport } from './index.js';

/** A minimal SMTP server (RFC 5321 happy path, no TLS, no AUTH) that keeps what it receives. */
function fakeSmtpServer(options: { reject?: boolean } = {}) {
  const received: { from: string; to: string[]; data: string }[] = [];
  const server: Server = createServer((socket: Socket) => {
    let buffer = '';
    let inData = false;
    let current = { from: '', to: [] as string[], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply(options.reject ? '421 4.3.2 Service not available, try later' : '220 fake.example.org ESMTP');
    if (options.reject) {
      socket.end();
      return;
    }
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          current.data = buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.');
          buffer = buffer.slice(end + 5);
          inData = false;
          received.push(current);
          current = { from: '', to: [], data: '' };
          reply('250 2.0.0 queued');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol === -1) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 fake.example.org');
        else if (verb === 'MAIL') (current.from = /<([^>]*)>/.exec(line)?.[1] ?? ''), reply('250 2.1.0 ok');
        else if (verb === 'RCPT') (current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? ''), reply('250 2.1.5 ok'));
        else if (verb === 'DATA') ((inData = true), reply('354 go ahead'));
        else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
        else if (verb === 'QUIT') (reply('221 bye'), socket.end());
        else reply('502 5.5.2 not implemented');
      }
    });
    socket.on('error', () => undefined);
  });
  return {
    received,
    async listen(): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as { port: number }).port;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeEachDatabase('mail over SMTP', (get) => {
  const good = fakeSmtpServer();
  const busy = fakeSmtpServer({ reject: true });
  let goodPort: number;
  let busyPort: number;
  const transports: MailTransport[] = [];
  before(async () => {
    goodPort = await good.listen();
    busyPort = await busy.listen();
  });
  after(async () => {
    for (const t of transports) t.close?.();
    await good.close();
    await busy.close();
  });

  test('an unavailable server leaves the message queued; once it answers, the message is delivered by SMTP', async () => {
    await get().db.deleteFrom('mail_outbox').execute();
    await enqueueMail(get().db, { to: 'drita@example.org', subject: 'Raporti për tremujorin', text: 'Afati është më 31 mars.', html: '<p>Afati është më 31 mars.</p>' });
    const down = smtpTransport(`smtp://127.0.0.1:${busyPort}`, 'Besa <no-reply@example.org>');
    transports.push(down);
    const now = new Date();
    assert.equal((await deliverDueMail(get().db, down, now)).retrying, 1);
    let row = await get().db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /421|not available|try later/i);

    const up = smtpTransport(`smtp://127.0.0.1:${goodPort}`, 'Besa <no-reply@example.org>');
    transports.push(up);
    assert.equal((await deliverDueMail(get().db, up, new Date(now.getTime() + 61_000))).sent, 1);
    row = await get().db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
    const message = good.received.at(-1);
    assert.ok(message);
    assert.equal(message.from, 'no-reply@example.org');
    assert.deepEqual(message.to, ['drita@example.org']);
    const parsed = parseEml('smtp', message.data);
    assert.equal(parsed.subject, 'Raporti për tremujorin');
    assert.equal(parsed.text, 'Afati është më 31 mars.');
    assert.equal(parsed.html, '<p>Afati është më 31 mars.</p>');
  });
});
