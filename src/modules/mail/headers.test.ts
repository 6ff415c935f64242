import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { composeMail, deliverDueMail, deliverToMailbox, enqueueMail, InvalidMailError, type TransportMessage } from './index.js';

/**
 * Extra headers of a message (List-Unsubscribe for subscribers, RFC 8058): checked when queued
 * (one line of printable ASCII, no header that changes recipients or the outbox's own), stored in
 * the outbox, handed to the transport with the message, written into the .eml, and emptied once
 * sent (they hold a personal link). On both databases.
 */
const UNSUBSCRIBE = { 'List-Unsubscribe': '<https://besa.example.org/subscriptions/unsubscribe/12.abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };

describeEachDatabase('mail headers', (get) => {
  test('refused: a line break, a non-ASCII value, a reserved or malformed name', async () => {
    const { db } = get();
    const base = composeMail('reader@example.net', 'en', { subject: 'Hello', text: 'Text' });
    for (const headers of <Record<string, string>[]>[
      { 'List-Unsubscribe': '<https://a.example/x>\r\nBcc: victim@example.net' },
      { 'List-Unsubscribe': '<https://a.example/x>\nX: y' },
      { 'List-Unsubscribe': 'ünïcode' },
      { Bcc: 'victim@example.net' },
      { 'X-Besa-Outbox-Id': '1' },
      { 'Bad Name': 'x' },
      { 'X-Empty': '' },
    ]) {
      await assert.rejects(db.transaction().execute((trx) => enqueueMail(trx, { ...base, headers })), InvalidMailError, JSON.stringify(headers));
    }
    assert.equal((await db.selectFrom('mail_outbox').select('id').execute()).length, 0, 'nothing queued');
  });

  test('stored, handed to the transport, written into the message, then emptied', async () => {
    const { db } = get();
    await db.transaction().execute((trx) => enqueueMail(trx, composeMail('reader@example.net', 'fr', { subject: 'Bonjour', text: 'Texte', headers: UNSUBSCRIBE })));
    const seen: TransportMessage[] = [];
    await deliverDueMail(db, { sendMail: async (m) => void seen.push(m) }, new Date(Date.now() + 1000));
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.headers!['List-Unsubscribe'], UNSUBSCRIBE['List-Unsubscribe']);
    assert.equal(seen[0]!.headers!['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.ok(seen[0]!.headers!['X-Besa-Outbox-Id']);
    const sent = await db.withTables<{ mail_outbox: { headers: string | null } }>().selectFrom('mail_outbox').select(['status', 'headers']).executeTakeFirstOrThrow();
    assert.deepEqual(sent, { status: 'sent', headers: null });

    const dir = await mkdtemp(join(tmpdir(), 'besa-headers-'));
    try {
      await db.transaction().execute((trx) => enqueueMail(trx, composeMail('other@example.net', 'en', { subject: 'Hi', text: 'Text', headers: UNSUBSCRIBE })));
      await db.transaction().execute((trx) => enqueueMail(trx, composeMail('plain@example.net', 'en', { subject: 'Hi', text: 'Text' })));
      const messages = await deliverToMailbox(db, dir, new Date(Date.now() + 1000));
      const withHeaders = messages.find((m) => m.to === 'other@example.net')!;
      assert.equal(withHeaders.headers['list-unsubscribe'], UNSUBSCRIBE['List-Unsubscribe']);
      assert.equal(withHeaders.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
      assert.equal(messages.find((m) => m.to === 'plain@example.net')!.headers['list-unsubscribe'], undefined, 'a message without headers has none');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test('composeMail keeps the headers it is given and adds none', () => {
  assert.equal(composeMail('a@example.net', 'en', { subject: 's', text: 't' }).headers, undefined);
  assert.deepEqual(composeMail('a@example.net', 'en', { subject: 's', text: 't', headers: UNSUBSCRIBE }).headers, UNSUBSCRIBE);
});
