import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { scrubError } from './address.js';
import { claimMessage, deleteSentBefore, findDueMessages, markAttemptFailed, markSent } from './repository.js';
import { createMailTransport, OUTBOX_ID_HEADER, type MailTransport } from './transport.js';

/** Attempts before a message is marked failed (an administrator may then retry it). */
export const MAX_ATTEMPTS = 8;
/** Wait after the 1st, 2nd, … failed attempt: 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h (≈ 45 h in all). */
const BACKOFF_MS = [1, 5, 30, 120, 360, 720, 1440].map((minutes) => minutes * 60_000);
/** A claimed message is not tried by anyone else for this long (longer than any SMTP timeout). */
export const CLAIM_LEASE_MS = 15 * 60_000;
export const BATCH_SIZE = 10;
/** Sent messages (recipient and subject: personal data) are kept this long for the outbox page, then deleted. */
export const SENT_RETENTION_DAYS = 90;
const PURGE_EVERY_MS = 60 * 60_000;

/** Deletes sent messages older than the retention period; returns how many. */
export async function purgeSentMail(db: Db, now: Date = new Date()): Promise<number> {
  return deleteSentBefore(db, new Date(now.getTime() - SENT_RETENTION_DAYS * 86_400_000));
}

/** Delay before the next attempt after `attempts` failed ones; null: give up. */
export function retryDelay(attempts: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return BACKOFF_MS[Math.max(attempts, 1) - 1] ?? BACKOFF_MS[BACKOFF_MS.length - 1]!;
}

/** Pino-style logger (Fastify's app.log fits). Only ids, counts and error codes are logged. */
export interface MailLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DeliveryResult {
  /** Due messages seen. */
  due: number;
  sent: number;
  /** Failed this time, to be tried again later. */
  retrying: number;
  /** Failed for the last time. */
  failed: number;
  /** Claimed by another worker first. */
  skipped: number;
}

function errorCode(error: unknown): { code?: string; responseCode?: number } {
  const e = error as { code?: unknown; responseCode?: unknown };
  return {
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    ...(typeof e?.responseCode === 'number' ? { responseCode: e.responseCode } : {}),
  };
}

/**
 * Sends one batch of due messages. Safe to run in several processes at once: each message is
 * claimed by exactly one of them before it is sent (see claimMessage), so none is sent twice
 * unless a send outlives the claim's lease.
 */
export async function deliverDueMail(
  db: Db,
  transport: MailTransport,
  now: Date = new Date(),
  options: { batchSize?: number; log?: MailLog } = {},
): Promise<DeliveryResult> {
  const result: DeliveryResult = { due: 0, sent: 0, retrying: 0, failed: 0, skipped: 0 };
  const due = await findDueMessages(db, now, options.batchSize ?? BATCH_SIZE);
  result.due = due.length;
  for (const message of due) {
    const attempts = message.attempts + 1;
    if (!(await claimMessage(db, message.id, message.attempts, now, new Date(now.getTime() + CLAIM_LEASE_MS)))) {
      result.skipped++;
      continue;
    }
    try {
      await transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        headers: { ...(message.headers ?? {}), [OUTBOX_ID_HEADER]: String(message.id) },
      });
    } catch (error) {
      const delay = retryDelay(attempts);
      await markAttemptFailed(db, message.id, attempts, scrubError(error), delay === null ? null : new Date(now.getTime() + delay));
      if (delay === null) {
        result.failed++;
        options.log?.error({ mailId: message.id, attempts, ...errorCode(error) }, 'mail delivery failed for good');
      } else {
        result.retrying++;
        options.log?.warn({ mailId: message.id, attempts, retryInSeconds: delay / 1000, ...errorCode(error) }, 'mail delivery failed, will retry');
      }
      continue;
    }
    await markSent(db, message.id, attempts, now);
    result.sent++;
    options.log?.info({ mailId: message.id, attempts }, 'mail sent');
  }
  return result;
}

/**
 * Runs deliverDueMail every few seconds (batch after batch while there is more), never two
 * runs at once in this process. The timer does not keep the process alive; stop() waits for a
 * run in progress and closes the transport.
 */
export function startMailWorker(
  db: Db,
  config: Pick<Config, 'mail'>,
  log: MailLog,
  options: { intervalMs?: number; transport?: MailTransport } = {},
): () => Promise<void> {
  const transport = options.transport ?? createMailTransport(config.mail);
  if (config.mail.transport === 'file') log.info({ dir: config.mail.dir }, 'mail is written to .eml files, not sent (set BESA_SMTP_URL to send)');
  let running: Promise<void> | undefined;
  let stopped = false;
  let lastPurge = 0;
  const tick = () => {
    if (running || stopped) return;
    running = (async () => {
      try {
        if (Date.now() - lastPurge >= PURGE_EVERY_MS) {
          lastPurge = Date.now();
          const purged = await purgeSentMail(db);
          if (purged > 0) log.info({ purged }, 'old sent mail deleted');
        }
        for (let batch = 0; batch < 50 && !stopped; batch++) {
          const result = await deliverDueMail(db, transport, new Date(), { log });
          if (result.due < BATCH_SIZE) break;
        }
      } catch (error) {
        log.error({ err: { message: scrubError(error), ...errorCode(error) } }, 'mail delivery run failed');
      } finally {
        running = undefined;
      }
    })();
  };
  const timer = setInterval(tick, options.intervalMs ?? 5_000);
  timer.unref();
  const first = setTimeout(tick, 500);
  first.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    clearTimeout(first);
    await running;
    transport.close?.();
  };
}
