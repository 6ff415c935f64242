import type { Executor } from '../../db/database.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Queues a message in the outbox, inside the caller's transaction: it is sent only if the
 * change commits, and a mail server outage loses nothing (the outbox retries).
 * (Stub: the mail module replaces this with the real outbox.)
 */
export async function enqueueMail(trx: Executor, mail: OutgoingMail): Promise<void> {
  void trx;
  void mail;
  throw new Error('mail outbox not implemented yet');
}
