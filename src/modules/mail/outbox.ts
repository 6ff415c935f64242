import type { Executor } from '../../db/database.js';
import { InvalidMailError, isMailAddress } from './address.js';
import { insertOutboxMessage } from './repository.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Checks and normalizes a message; throws InvalidMailError naming what is wrong (never the address itself). */
export function validateMail(mail: OutgoingMail): { to: string; subject: string; text: string; html: string | null } {
  const to = typeof mail.to === 'string' ? mail.to.trim() : '';
  if (!isMailAddress(to)) {
    throw new InvalidMailError('enqueueMail: "to" must be one e-mail address such as name@example.org (no name, list or line break)');
  }
  // A subject is one line: a line break in it would start a new header.
  const subject = typeof mail.subject === 'string' ? mail.subject.replace(/\s+/g, ' ').trim() : '';
  if (!subject) throw new InvalidMailError('enqueueMail: "subject" is empty');
  if (subject.length > 500) throw new InvalidMailError('enqueueMail: "subject" is longer than 500 characters');
  if (typeof mail.text !== 'string' || !mail.text.trim()) throw new InvalidMailError('enqueueMail: "text" is empty');
  if (mail.html !== undefined && typeof mail.html !== 'string') throw new InvalidMailError('enqueueMail: "html" must be a string');
  return { to, subject, text: mail.text, html: mail.html || null };
}

/**
 * Queues a message in the outbox, inside the caller's transaction: it is sent only if the
 * change commits, and a mail server outage loses nothing (the outbox retries).
 */
export async function enqueueMail(trx: Executor, mail: OutgoingMail): Promise<void> {
  await insertOutboxMessage(trx, validateMail(mail), new Date());
}
