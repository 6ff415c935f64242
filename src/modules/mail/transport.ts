import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { MailConfig } from '../../config.js';

/** One message as the worker hands it to a transport (a subset of nodemailer's message options). */
export interface TransportMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

/**
 * Anything that sends a message: a nodemailer transporter fits, and so does a test double.
 * `sendMail` rejects when the message could not be handed over.
 */
export interface MailTransport {
  sendMail(message: TransportMessage): Promise<unknown>;
  close?(): void;
}

/** Header naming the outbox row a message came from (tests use it; it holds no personal data). */
export const OUTBOX_ID_HEADER = 'X-Besa-Outbox-Id';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** SMTP through nodemailer, from `smtp[s]://user:password@host:port`. */
export function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  const transporter = nodemailer.createTransport(
    {
      pool: true,
      maxConnections: 2,
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      // Never send a password in clear text to another machine: STARTTLS is then required.
      requireTLS: !secure && !!user && !LOOPBACK.has(url.hostname),
      ...(user ? { auth: { user, pass: decodeURIComponent(url.password) } } : {}),
      // Well under the worker's lease, so a hung server cannot make two workers send one message.
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    },
    { from },
  );
  return {
    sendMail: (message) => transporter.sendMail(message),
    close: () => transporter.close(),
  };
}

/**
 * Writes each message as an RFC 822 `.eml` file in `dir` (development and tests): nothing leaves
 * the machine, and tests read the messages with readMailbox(). Written to a temporary name, then
 * renamed, so a reader never sees half a message.
 */
export function fileTransport(dir: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from });
  return {
    async sendMail(message) {
      const info = await transporter.sendMail(message);
      const bytes = info.message;
      if (!Buffer.isBuffer(bytes)) throw new Error('the stream transport returned no buffer');
      await mkdir(dir, { recursive: true });
      const id = (message.headers?.[OUTBOX_ID_HEADER] ?? '0').padStart(8, '0');
      const name = `${Date.now()}-${id}-${randomBytes(4).toString('hex')}.eml`;
      await writeFile(join(dir, `.${name}.tmp`), bytes, { mode: 0o600 });
      await rename(join(dir, `.${name}.tmp`), join(dir, name));
      return info;
    },
  };
}

/** The transport the configuration asks for (validated once in loadConfig). */
export function createMailTransport(config: MailConfig): MailTransport {
  return config.transport === 'smtp' ? smtpTransport(config.smtpUrl, config.from) : fileTransport(config.dir, config.from);
}
