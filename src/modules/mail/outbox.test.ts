import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openDatabase } from '../../db/database.js';
import { describeEachDatabase } from '../../../test/db.js';
import { maskAddress, scrubError } from './address.js';
import { enqueueMail, InvalidMailError, readMailbox, deliverToMailbox, fileTransport, startMailWorker, deliverDueMail, type MailLog, type MailTransport } from './index.js';
import { countByStatus, isOutboxMessageInScope, listOutbox, requeueFailedMessage, WHOLE_OUTBOX, type OutboxScope } from './repository.js';
import { MAX_ATTEMPTS, purgeSentMail, retryDelay, SENT_RETENTION_DAYS } from './worker.js';

const MINUTE = 60_000;

function recordingLog(): MailLog & { lines: unknown[] } {
  const lines: unknown[] = [];
  return { lines, info: (o, m) => lines.push([o, m]), warn: (o, m) => lines.push([o, m]), error: (o, m) => lines.push([o, m]) };
}

/** A transport that accepts everything and remembers what it got. */
function recordingTransport(delayMs = 0): MailTransport & { sent: { to: string; subject: string; id: string | undefined }[] } {
  const sent: { to: string; subject: string; id: string | undefined }[] = [];
  return {
    sent,
    async sendMail(message) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      sent.push({ to: message.to, subject: message.subject, id: message.headers?.['X-Besa-Outbox-Id'] });
      return {};
    },
  };
}

/** A transport like an unreachable SMTP server: every send rejects. */
function failingTransport(): MailTransport & { calls: number } {
  const t = {
    calls: 0,
    async sendMail(): Promise<unknown> {
      t.calls++;
      throw Object.assign(new Error('Can not send to <bob.builder@example.org>: connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNECTION' });
    },
  };
  return t;
}

test('the retry schedule: 1 min, 5 min, 30 min, 2 h, … then give up', () => {
  assert.equal(retryDelay(1), MINUTE);
  assert.equal(retryDelay(2), 5 * MINUTE);
  assert.equal(retryDelay(3), 30 * MINUTE);
  assert.equal(retryDelay(4), 120 * MINUTE);
  assert.equal(retryDelay(MAX_ATTEMPTS - 1), 24 * 60 * MINUTE);
  assert.equal(retryDelay(MAX_ATTEMPTS), null);
});

test('addresses are masked on pages and in stored errors', () => {
  assert.equal(maskAddress('alice@example.org'), 'a***@example.org');
  assert.equal(maskAddress('ë@shembull.al'), 'ë***@shembull.al');
  assert.equal(scrubError(new Error('550 <bob@example.org> unknown; cc carol.x@mail.example.com')), '550 <b***@example.org> unknown; cc c***@mail.example.com');
  assert.ok(scrubError(new Error('x'.repeat(2000))).length <= 500);
});

describeEachDatabase('mail outbox', (get) => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'besa-mail-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function outbox() {
    return get().db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
  }
  async function clear() {
    await get().db.deleteFrom('mail_outbox').execute();
  }

  test('a message queued in a transaction that rolls back is never queued', async () => {
    await clear();
    await assert.rejects(
      get().db.transaction().execute(async (trx) => {
        await enqueueMail(trx, { to: 'alice@example.org', subject: 'Invitation', text: 'Hello' });
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.equal((await outbox()).length, 0);
    await get().db.transaction().execute((trx) => enqueueMail(trx, { to: ' alice@example.org ', subject: 'Invitation\r\nBcc: x@y.org', text: 'Hello' }));
    const rows = await outbox();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.to_address, 'alice@example.org');
    assert.equal(rows[0]!.subject, 'Invitation Bcc: x@y.org', 'a subject is one line');
    assert.equal(rows[0]!.status, 'queued');
    assert.equal(rows[0]!.attempts, 0);
  });

  test('an invalid address is refused with a clear error and nothing is queued', async () => {
    await clear();
    for (const to of ['', 'alice', 'alice@', '@example.org', 'alice@example', 'Alice <alice@example.org>', 'a@example.org, b@example.org', 'a@example.org\r\nBcc: b@example.org', 'a b@example.org', 'a..b@example.org']) {
      await assert.rejects(enqueueMail(get().db, { to, subject: 'Hi', text: 'Hello' }), (error: unknown) => {
        assert.ok(error instanceof InvalidMailError, `${JSON.stringify(to)} is refused`);
        assert.match(error.message, /"to" must be one e-mail address/);
        return true;
      });
    }
    await assert.rejects(enqueueMail(get().db, { to: 'a@example.org', subject: ' ', text: 'Hello' }), /"subject" is empty/);
    await assert.rejects(enqueueMail(get().db, { to: 'a@example.org', subject: 'Hi', text: '' }), /"text" is empty/);
    assert.equal((await outbox()).length, 0);
  });

  test('the file transport writes a readable .eml with subject, recipient and both bodies', async () => {
    await clear();
    const mailbox = join(dir, 'file');
    const link = 'http://127.0.0.1:3000/sq/invitations/AbC_123-xyz';
    await enqueueMail(get().db, {
      to: 'arta@example.org',
      subject: 'Ftesë për në Besa – Komuna e Gjakovës',
      text: `Përshëndetje,\n\nJu ftojmë të bashkoheni: ${link}\n\nKy link skadon pas 7 ditësh. ${'Tekst i gjatë '.repeat(20)}`,
      html: `<p>Ju ftojmë të bashkoheni: <a href="${link}">${link}</a></p>`,
    });
    const log = recordingLog();
    const result = await deliverDueMail(get().db, fileTransport(mailbox, 'Besa <no-reply@example.org>'), new Date(), { log });
    assert.deepEqual(result, { due: 1, sent: 1, retrying: 0, failed: 0, skipped: 0 });
    const files = await readdir(mailbox);
    assert.equal(files.filter((f) => f.endsWith('.eml')).length, 1);
    assert.equal(files.filter((f) => f.endsWith('.tmp')).length, 0);
    const [message] = await readMailbox(mailbox);
    assert.ok(message);
    assert.equal(message.to, 'arta@example.org');
    assert.equal(message.subject, 'Ftesë për në Besa – Komuna e Gjakovës');
    assert.match(message.from, /no-reply@example\.org/);
    assert.ok(message.text.includes(link), 'the link survives the transfer encoding');
    assert.match(message.text, /Ky link skadon pas 7 ditësh\./);
    assert.ok(message.html?.includes(`href="${link}"`));
    const [row] = await outbox();
    assert.equal(message.outboxId, row!.id);
    assert.equal(row!.status, 'sent');
    assert.equal(row!.attempts, 1);
    assert.ok(row!.sent_at);
    assert.equal(row!.text_body, '', 'a sent message keeps no body (it may hold a one-time link)');
    assert.equal(row!.html_body, null);
    assert.doesNotMatch(JSON.stringify(log.lines), /@|Ftes|skadon/, 'logs hold no address, subject or body');
  });

  test('deliverToMailbox delivers everything due and returns the mailbox', async () => {
    await clear();
    const mailbox = join(dir, 'helper');
    for (let i = 0; i < 12; i++) await enqueueMail(get().db, { to: `person${i}@example.org`, subject: `Message ${i}`, text: `Body ${i}` });
    const messages = await deliverToMailbox(get().db, mailbox);
    assert.equal(messages.length, 12);
    assert.deepEqual(new Set(messages.map((m) => m.to)), new Set(Array.from({ length: 12 }, (_, i) => `person${i}@example.org`)));
    assert.equal(messages.find((m) => m.to === 'person3@example.org')?.text, 'Body 3');
  });

  test('a failed send stays queued with its attempt counted, and a later run sends it', async () => {
    await clear();
    await enqueueMail(get().db, { to: 'bob.builder@example.org', subject: 'Reminder', text: 'Your report is due.' });
    const now = new Date();
    const log = recordingLog();
    const smtp = failingTransport();
    assert.deepEqual(await deliverDueMail(get().db, smtp, now, { log }), { due: 1, sent: 0, retrying: 1, failed: 0, skipped: 0 });
    let [row] = await outbox();
    assert.equal(row!.status, 'queued');
    assert.equal(row!.attempts, 1);
    assert.equal(row!.next_attempt_at, new Date(now.getTime() + MINUTE).toISOString());
    assert.ok(row!.next_attempt_at > now.toISOString(), 'the next attempt is in the future');
    assert.match(row!.last_error ?? '', /ECONNREFUSED/);
    assert.doesNotMatch(row!.last_error ?? '', /bob\.builder@/, 'the stored error masks addresses');
    assert.doesNotMatch(JSON.stringify(log.lines), /@|Reminder|report is due/);
    assert.match(JSON.stringify(log.lines), /ECONNECTION/);

    // Not due yet: nothing is tried.
    assert.equal((await deliverDueMail(get().db, smtp, new Date(now.getTime() + 30_000))).due, 0);
    assert.equal(smtp.calls, 1);

    const good = recordingTransport();
    assert.equal((await deliverDueMail(get().db, good, new Date(now.getTime() + MINUTE + 1))).sent, 1);
    assert.deepEqual(good.sent.map((m) => m.to), ['bob.builder@example.org']);
    [row] = await outbox();
    assert.equal(row!.status, 'sent');
    assert.equal(row!.attempts, 2);
    assert.equal(row!.last_error, null);
  });

  test(`after ${MAX_ATTEMPTS} failed attempts a message is failed, and an administrator's retry queues it again`, async () => {
    await clear();
    await enqueueMail(get().db, { to: 'carol@example.org', subject: 'Password reset', text: 'Reset link' });
    const smtp = failingTransport();
    let now = new Date();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await deliverDueMail(get().db, smtp, now);
      assert.equal(result.due, 1, `attempt ${attempt} is due`);
      const [row] = await outbox();
      assert.equal(row!.attempts, attempt);
      assert.equal(row!.status, attempt < MAX_ATTEMPTS ? 'queued' : 'failed');
      now = new Date(Date.parse(row!.next_attempt_at) + 1);
    }
    assert.equal(smtp.calls, MAX_ATTEMPTS);
    assert.equal((await deliverDueMail(get().db, smtp, new Date(now.getTime() + 365 * 86_400_000))).due, 0, 'a failed message is not tried again');
    const [failed] = await outbox();
    assert.ok(failed!.text_body, 'a failed message keeps its body for a retry');

    assert.equal(await requeueFailedMessage(get().db, failed!.id, WHOLE_OUTBOX, now), true);
    assert.equal(await requeueFailedMessage(get().db, failed!.id, WHOLE_OUTBOX, now), false, 'only a failed message is requeued');
    const good = recordingTransport();
    assert.equal((await deliverDueMail(get().db, good, now)).sent, 1);
    const [row] = await outbox();
    assert.equal(row!.status, 'sent');
  });

  test("a jurisdiction's scope holds the messages to its people and its invitations, matched case-insensitively", async () => {
    await clear();
    const { db } = get();
    const now = new Date();
    const iso = now.toISOString();
    const jurisdiction = async (slug: string) =>
      (
        await db
          .insertInto('jurisdictions')
          .values({ slug, name: JSON.stringify({ en: slug }), kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: iso, updated_at: iso })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const prizren = await jurisdiction('scope-prizren');
    const gjakova = await jurisdiction('scope-gjakova');
    const person = async (email: string, roles: (number | null)[]) => {
      const user = await db
        .insertInto('users')
        .values({ email, display_name: email, password_hash: 'x', created_at: iso } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const j of roles) await db.insertInto('user_roles').values({ user_id: user.id, role: 'coordinator', jurisdiction_id: j, institution_id: null }).execute();
    };
    await person('pri.coordinator@example.org', [prizren]);
    await person('gja.coordinator@example.org', [gjakova]);
    await person('both.places@example.org', [prizren, gjakova]);
    await person('everywhere@example.org', [null]); // an instance-wide role belongs to no one jurisdiction
    await person('no.role@example.org', []);
    let token = 0;
    const invite = async (email: string, jurisdictionId: number | null, state: 'pending' | 'used' | 'expired') => {
      await db
        .insertInto('invitations')
        .values({
          token_hash: `scope-test-${token++}`,
          email,
          display_name: null,
          role: 'moderator',
          jurisdiction_id: jurisdictionId,
          institution_id: null,
          invited_by: null,
          created_at: iso,
          expires_at: new Date(now.getTime() + (state === 'expired' ? -1 : 7) * 86_400_000).toISOString(),
          used_at: state === 'used' ? iso : null,
        })
        .execute();
    };
    await invite('pri.pending@example.org', prizren, 'pending');
    await invite('pri.used@example.org', prizren, 'used');
    await invite('pri.expired@example.org', prizren, 'expired');
    await invite('gja.pending@example.org', gjakova, 'pending');
    await invite('all.pending@example.org', null, 'pending');
    const addresses = [
      'pri.coordinator@example.org',
      'Pri.Coordinator@Example.ORG',
      'gja.coordinator@example.org',
      'both.places@example.org',
      'everywhere@example.org',
      'no.role@example.org',
      'pri.pending@example.org',
      'PRI.USED@example.org',
      'pri.expired@example.org',
      'gja.pending@example.org',
      'all.pending@example.org',
      'stranger@example.org',
    ];
    for (const to of addresses) await enqueueMail(db, { to, subject: 'S', text: 'T' });
    const failed = ['Pri.Coordinator@Example.ORG', 'gja.coordinator@example.org', 'stranger@example.org'];
    await db.updateTable('mail_outbox').set({ status: 'failed', attempts: MAX_ATTEMPTS }).where('to_address', 'in', failed).execute();
    await db.updateTable('mail_outbox').set({ status: 'sent', sent_at: iso, text_body: '' }).where('to_address', '=', 'pri.expired@example.org').execute();
    const idOf = new Map((await outbox()).map((r) => [r.to_address, r.id]));

    const listed = async (scope: OutboxScope) => (await listOutbox(db, { scope, limit: 100 })).map((m) => m.to).sort();
    const prizrenPeople = ['pri.coordinator@example.org', 'Pri.Coordinator@Example.ORG', 'both.places@example.org', 'pri.pending@example.org', 'PRI.USED@example.org', 'pri.expired@example.org'];
    const gjakovaPeople = ['gja.coordinator@example.org', 'both.places@example.org', 'gja.pending@example.org'];
    assert.deepEqual(await listed({ jurisdictionIds: [prizren] }), [...prizrenPeople].sort());
    assert.deepEqual(await listed({ jurisdictionIds: [gjakova] }), [...gjakovaPeople].sort());
    assert.deepEqual(await listed({ jurisdictionIds: [prizren, gjakova] }), [...new Set([...prizrenPeople, ...gjakovaPeople])].sort(), 'each message once');
    assert.deepEqual(await listed(WHOLE_OUTBOX), [...addresses].sort());
    assert.deepEqual(await listed({ jurisdictionIds: [] }), []);
    assert.deepEqual((await listOutbox(db, { scope: { jurisdictionIds: [prizren] }, status: 'failed', limit: 100 })).map((m) => m.to), ['Pri.Coordinator@Example.ORG']);

    assert.deepEqual(await countByStatus(db, { jurisdictionIds: [prizren] }), { queued: 4, failed: 1, sent: 1 });
    assert.deepEqual(await countByStatus(db, { jurisdictionIds: [gjakova] }), { queued: 2, failed: 1, sent: 0 });
    assert.deepEqual(await countByStatus(db, WHOLE_OUTBOX), { queued: 8, failed: 3, sent: 1 });
    assert.deepEqual(await countByStatus(db, { jurisdictionIds: [] }), { queued: 0, failed: 0, sent: 0 });

    const gjakovaFailed = idOf.get('gja.coordinator@example.org')!;
    const prizrenFailed = idOf.get('Pri.Coordinator@Example.ORG')!;
    assert.equal(await isOutboxMessageInScope(db, gjakovaFailed, { jurisdictionIds: [prizren] }), false);
    assert.equal(await isOutboxMessageInScope(db, prizrenFailed, { jurisdictionIds: [prizren] }), true);
    assert.equal(await isOutboxMessageInScope(db, gjakovaFailed, WHOLE_OUTBOX), true);
    assert.equal(await requeueFailedMessage(db, gjakovaFailed, { jurisdictionIds: [prizren] }, now), false, 'outside the scope');
    assert.equal(await requeueFailedMessage(db, idOf.get('stranger@example.org')!, { jurisdictionIds: [prizren, gjakova] }, now), false);
    assert.deepEqual((await outbox()).filter((r) => r.status === 'failed').map((r) => r.to_address).sort(), [...failed].sort(), 'nothing requeued');
    assert.equal(await requeueFailedMessage(db, prizrenFailed, { jurisdictionIds: [prizren] }, now), true);
    assert.equal(await requeueFailedMessage(db, gjakovaFailed, WHOLE_OUTBOX, now), true);
    assert.deepEqual((await outbox()).filter((r) => r.status === 'failed').map((r) => r.to_address), ['stranger@example.org']);
  });

  test('two workers running at once deliver each message exactly once', async () => {
    await clear();
    const count = 30;
    await get().db.transaction().execute(async (trx) => {
      for (let i = 0; i < count; i++) await enqueueMail(trx, { to: `member${i}@example.org`, subject: `Meeting ${i}`, text: 'Agenda' });
    });
    // On PostgreSQL the second worker has its own connection pool, like a second app process.
    const other = get().url ? openDatabase({ databaseUrl: get().url, poolSize: 4 }) : undefined;
    try {
      const transports = [recordingTransport(2), recordingTransport(2)];
      const dbs = [get().db, other?.db ?? get().db];
      const skipped = [0, 0];
      await Promise.all(
        [0, 1].map(async (w) => {
          for (;;) {
            const result = await deliverDueMail(dbs[w]!, transports[w]!, new Date(), { batchSize: 5 });
            skipped[w]! += result.skipped;
            if (result.due === 0) break;
          }
        }),
      );
      const ids = [...transports[0]!.sent, ...transports[1]!.sent].map((m) => m.id);
      assert.equal(ids.length, count, `each message is sent once (skipped ${skipped.join('+')})`);
      assert.equal(new Set(ids).size, count);
      const rows = await outbox();
      assert.ok(rows.every((r) => r.status === 'sent' && r.attempts === 1));
    } finally {
      await other?.destroy();
    }
  });

  test(`sent messages are deleted after ${SENT_RETENTION_DAYS} days; queued and failed ones are kept`, async () => {
    await clear();
    for (const to of ['old@example.org', 'recent@example.org', 'waiting@example.org', 'broken@example.org']) await enqueueMail(get().db, { to, subject: 'S', text: 'T' });
    const now = new Date();
    const longAgo = new Date(now.getTime() - (SENT_RETENTION_DAYS + 1) * 86_400_000).toISOString();
    await get().db.updateTable('mail_outbox').set({ status: 'sent', sent_at: longAgo }).where('to_address', '=', 'old@example.org').execute();
    await get().db.updateTable('mail_outbox').set({ status: 'sent', sent_at: now.toISOString() }).where('to_address', '=', 'recent@example.org').execute();
    await get().db.updateTable('mail_outbox').set({ status: 'failed', next_attempt_at: longAgo }).where('to_address', '=', 'broken@example.org').execute();
    assert.equal(await purgeSentMail(get().db, now), 1);
    assert.deepEqual((await outbox()).map((r) => r.to_address), ['recent@example.org', 'waiting@example.org', 'broken@example.org']);
  });

  test('startMailWorker sends in the background and stops cleanly', async () => {
    await clear();
    const transport = recordingTransport();
    const log = recordingLog();
    const stop = startMailWorker(get().db, { mail: { transport: 'file', dir, from: 'x@example.org' } }, log, { intervalMs: 20, transport });
    try {
      await enqueueMail(get().db, { to: 'dita@example.org', subject: 'Background', text: 'Hello' });
      for (let i = 0; i < 200 && transport.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(transport.sent.map((m) => m.to), ['dita@example.org']);
    } finally {
      await stop();
    }
    assert.doesNotMatch(JSON.stringify(log.lines), /dita@/);
  });
});
