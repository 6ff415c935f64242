/** Typed configuration from the environment, validated once at start. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; when absent Besa uses the embedded SQLite file. */
  databaseUrl: string | undefined;
  /** SQLite file path (ignored when databaseUrl is set). */
  sqlitePath: string;
  /** Public base URL, used in links printed by the CLI and to decide on Secure cookies. */
  publicUrl: string;
  /** Trust X-Forwarded-* headers from a reverse proxy. */
  trustProxy: boolean;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Number of rendered public pages kept in memory. */
  pageCacheEntries: number;
  logLevel: string;
  /** Outgoing e-mail (the mail module's outbox worker delivers through this transport). */
  mail: MailConfig;
}

/**
 * `smtp`: delivered through an SMTP server (BESA_SMTP_URL, BESA_MAIL_FROM).
 * `file`: each message written as an .eml file in `dir` (development and tests).
 */
export type MailConfig =
  | { transport: 'smtp'; smtpUrl: string; from: string }
  | { transport: 'file'; dir: string; from: string };

export class ConfigError extends Error {}

const MAIL_ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** `name@example.org` or `Name <name@example.org>`. */
function mailFrom(raw: string): boolean {
  const match = /^(?:[^<>\r\n]*<([^<>\s]+)>|([^<>\s]+))$/.exec(raw.trim());
  const address = match?.[1] ?? match?.[2];
  return !!address && MAIL_ADDRESS.test(address);
}

function loadMailConfig(env: NodeJS.ProcessEnv): MailConfig {
  const smtpUrl = env.BESA_SMTP_URL || undefined;
  const transport = env.BESA_MAIL_TRANSPORT || (smtpUrl && env.NODE_ENV !== 'test' ? 'smtp' : 'file');
  const from = (env.BESA_MAIL_FROM ?? '').trim();
  if (from && !mailFrom(from)) {
    throw new ConfigError(`BESA_MAIL_FROM must be an address such as "Besa <no-reply@example.org>", got "${from}"`);
  }
  if (transport === 'file') {
    return { transport, dir: env.BESA_MAIL_DIR || 'data/mail', from: from || 'Besa <no-reply@localhost>' };
  }
  if (transport !== 'smtp') throw new ConfigError(`BESA_MAIL_TRANSPORT must be "smtp" or "file", got "${transport}"`);
  if (!smtpUrl) throw new ConfigError('BESA_MAIL_TRANSPORT=smtp needs BESA_SMTP_URL (smtp://user:password@host:587 or smtps://…:465)');
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new ConfigError('BESA_SMTP_URL is not a URL (expected smtp://user:password@host:587 or smtps://…:465)');
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    // The URL may hold a password: never repeat it in the message.
    throw new ConfigError('BESA_SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465');
  }
  if (!from) throw new ConfigError('BESA_MAIL_TRANSPORT=smtp needs BESA_MAIL_FROM, e.g. "Besa <no-reply@example.org>"');
  return { transport, smtpUrl, from };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const publicUrl = (env.BESA_PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`BESA_PUBLIC_URL is not a URL: "${publicUrl}"`);
  }
  return {
    port,
    host,
    databaseUrl,
    sqlitePath: env.BESA_DB || 'data/besa.sqlite',
    publicUrl,
    trustProxy: env.BESA_TRUST_PROXY === '1' || env.BESA_TRUST_PROXY === 'true',
    bodyLimit: integer(env, 'BESA_BODY_LIMIT', 1024 * 1024, 1024, 100 * 1024 * 1024),
    pageCacheEntries: integer(env, 'BESA_PAGE_CACHE_ENTRIES', 5000, 0, 1_000_000),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    mail: loadMailConfig(env),
  };
}
