import type { Executor } from '../../db/database.js';
import { InvalidMailError, isMailAddress } from './address.js';
import { insertOutboxMessage } from './repository.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058). A name is
   * letters, digits and hyphens; a value one line of printable ASCII (no CR or LF, which would
   * start a new header). The worker sends them with either transport.
   */
  headers?: Record<string, string>;
}

const HEADER_NAME = /^[A-Za-z][A-Za-z0-9-]{0,75}$/;
const HEADER_VALUE = /^[\x20-\x7E]{1,900}$/;
/** Headers the outbox sets itself, or that would change who receives the message. */
const RESERVED_HEADERS = new Set(['to', 'from', 'cc', 'bcc', 'subject', 'sender', 'reply-to', 'content-type', 'content-transfer-encoding', 'mime-version', 'x-besa-outbox-id']);

function validateHeaders(headers: unknown): Record<string, string> | null {
  if (headers === undefined || headers === null) return null;
  if (typeof headers !== 'object' || Array.isArray(headers)) throw new InvalidMailError('enqueueMail: "headers" must be an object of strings');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) throw new InvalidMailError(`enqueueMail: header name "${name.slice(0, 80).replace(/[^\x20-\x7E]/g, '?')}" is not allowed`);
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) throw new InvalidMailError(`enqueueMail: header "${name}" must be one line of printable ASCII (no CR or LF)`);
    out[name] = value;
  }
  return Object.keys(out).length ? out : null;
}

/** Checks and normalizes a message; throws InvalidMailError naming what is wrong (never the address itself). */
export function validateMail(mail: OutgoingMail): { to: string; subject: string; text: string; html: string | null; headers: Record<string, string> | null } {
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
  return { to, subject, text: mail.text, html: mail.html || null, headers: validateHeaders(mail.headers) };
}

/**
 * Queues a message in the outbox, inside the caller's transaction: it is sent only if the
 * change commits, and a mail server outage loses nothing (the outbox retries).
 */
export async function enqueueMail(trx: Executor, mail: OutgoingMail): Promise<void> {
  await insertOutboxMessage(trx, validateMail(mail), new Date());
}
