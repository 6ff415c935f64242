import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../../db/database.js';
import { fileTransport, OUTBOX_ID_HEADER } from './transport.js';
import { BATCH_SIZE, deliverDueMail } from './worker.js';

/**
 * Test helpers: read the `.eml` files the file transport wrote (for instance to find the link in
 * an invitation). A small RFC 822/MIME reader, enough for what nodemailer writes.
 */
export interface MailboxMessage {
  /** File name inside the mailbox folder. */
  file: string;
  /** The outbox row the message came from. */
  outboxId: number | null;
  from: string;
  /** The recipient's bare address. */
  to: string;
  subject: string;
  text: string;
  html: string | null;
  /** Every header, lower-case names, decoded. */
  headers: Record<string, string>;
  raw: string;
}

function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(data: string): string {
  const bytes: number[] = [];
  const text = data.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

function parsePart(raw: string): Part {
  const split = raw.indexOf('\n\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

/** The text/plain and text/html leaves of a (possibly multipart) message. */
function leaves(part: Part, out: { text?: string; html?: string }): void {
  const type = part.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const sections = part.body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      // The line break before a boundary belongs to the boundary (RFC 2046).
      leaves(parsePart(section.replace(/^\n/, '').replace(/\n$/, '')), out);
    }
    return;
  }
  if (/^text\/html/i.test(type)) out.html ??= decodeBody(part);
  else if (/^text\/plain/i.test(type)) out.text ??= decodeBody(part);
}

function bareAddress(value: string): string {
  return (/<([^<>]+)>/.exec(value)?.[1] ?? value).trim();
}

export function parseEml(file: string, raw: string): MailboxMessage {
  // The writer ends the message with a line break that is not part of the body.
  const top = parsePart(raw.replace(/\r\n/g, '\n').replace(/\n$/, ''));
  const body: { text?: string; html?: string } = {};
  leaves(top, body);
  const outboxId = Number(top.headers[OUTBOX_ID_HEADER.toLowerCase()]);
  return {
    file,
    outboxId: Number.isInteger(outboxId) && outboxId > 0 ? outboxId : null,
    from: top.headers.from ?? '',
    to: bareAddress(top.headers.to ?? ''),
    subject: top.headers.subject ?? '',
    text: body.text ?? '',
    html: body.html ?? null,
    headers: top.headers,
    raw,
  };
}

/** Every message in a mailbox folder, oldest first (an absent folder is an empty mailbox). */
export async function readMailbox(dir: string): Promise<MailboxMessage[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.eml') && !n.startsWith('.')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(names.map(async (name) => parseEml(name, await readFile(join(dir, name), 'utf8'))));
}

/** Deletes every message in a mailbox folder. */
export async function clearMailbox(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.endsWith('.eml')).map((n) => rm(join(dir, n), { force: true })));
}

/**
 * For tests: delivers every due message in the outbox to `dir` with the file transport and
 * returns the mailbox's messages.
 */
export async function deliverToMailbox(db: Db, dir: string, now: Date = new Date()): Promise<MailboxMessage[]> {
  const transport = fileTransport(dir, 'Besa <no-reply@localhost>');
  for (let i = 0; i < 1000; i++) {
    const result = await deliverDueMail(db, transport, now);
    if (result.due < BATCH_SIZE) break;
  }
  return readMailbox(dir);
}
