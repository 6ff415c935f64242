import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';

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
  /**
   * Which peers' X-Forwarded-* headers are believed (Fastify's `trustProxy`): `false` none, a
   * number of proxy hops in front of Besa, or a list of proxy addresses and CIDR ranges.
   */
  trustProxy: TrustProxy;
  /**
   * The `secure` attribute of every cookie Besa sets: `true` when the public address is https,
   * else `'auto'` (Secure only when the request itself arrived over https, e.g. through a trusted proxy).
   */
  cookieSecure: true | 'auto';
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Number of rendered public pages kept in memory. */
  pageCacheEntries: number;
  logLevel: string;
  /** BESA_METRICS_TOKEN: /metrics answers only when set, to `Authorization: Bearer <token>` (plugins/metrics.ts). */
  metricsToken: string | undefined;
  /**
   * BESA_WORKERS: how many processes serve HTTP behind the one port (node:cluster); 1 runs today's
   * single process, without a primary. Default: the number of cores.
   */
  workers: number;
  /** Outgoing e-mail (the mail module's outbox worker delivers through this transport). */
  mail: MailConfig;
  /**
   * BESA_SIGNING_KEY_FILE: the transparency log's private signing key (made, mode 0600, on first
   * start). Default: signing-key.pem beside the SQLite file, or ./besa-signing-key.pem with PostgreSQL.
   */
  signingKeyFile: string;
  /** BESA_SIGNING_KEY: the key itself (PKCS#8 PEM or base64) instead of a file. */
  signingKey: string | undefined;
}

/**
 * `smtp`: delivered through an SMTP server (BESA_SMTP_URL, BESA_MAIL_FROM).
 * `file`: each message written as an .eml file in `dir` (development and tests).
 */
export type MailConfig =
  | { transport: 'smtp'; smtpUrl: string; from: string }
  | { transport: 'file'; dir: string; from: string };

export type TrustProxy = false | number | string[];

export class ConfigError extends Error {}

/** Names proxy-addr (Fastify's trustProxy) accepts for well-known ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 10;

/** One proxy address or CIDR range, e.g. `127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`, `loopback`. */
function proxyAddress(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  if (extra !== undefined) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * BESA_TRUST_PROXY: unset, `false` or `0`: X-Forwarded-* is ignored. A whole number N: Besa sits
 * behind N proxies; the client is the address the outermost of them saw (the N-th from the right
 * in X-Forwarded-For), whatever the client wrote itself. `true` means 1 (one reverse proxy, the usual
 * set-up), never "believe every X-Forwarded-For". A comma-separated list of addresses and CIDR
 * ranges: only those peers are believed, hop by hop.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return 1;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_HOPS) throw new ConfigError(`BESA_TRUST_PROXY must be a number of proxies between 1 and ${MAX_HOPS}, got "${raw}"`);
    return hops;
  }
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !proxyAddress(e));
  if (bad.length > 0) {
    throw new ConfigError(
      `BESA_TRUST_PROXY must be false, true (one proxy), a number of proxies (1–${MAX_HOPS}) or a comma-separated list of proxy addresses and CIDR ranges such as "127.0.0.1,10.0.0.0/8"; not an address or range: ${bad.map((e) => `"${e}"`).join(', ')}`,
    );
  }
  return entries;
}

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

/** At least 16 characters of the printable ASCII a header carries; unset or empty: no /metrics. */
function metricsToken(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw.length < 16 || !/^[\x21-\x7e]+$/.test(raw)) throw new ConfigError('BESA_METRICS_TOKEN must be at least 16 printable characters without spaces (e.g. from `openssl rand -hex 24`)');
  return raw;
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
  const sqlitePath = env.BESA_DB || 'data/besa.sqlite';
  return {
    port,
    host,
    databaseUrl,
    sqlitePath,
    publicUrl,
    trustProxy: parseTrustProxy(env.BESA_TRUST_PROXY),
    cookieSecure: new URL(publicUrl).protocol === 'https:' ? true : 'auto',
    bodyLimit: integer(env, 'BESA_BODY_LIMIT', 1024 * 1024, 1024, 100 * 1024 * 1024),
    pageCacheEntries: integer(env, 'BESA_PAGE_CACHE_ENTRIES', 5000, 0, 1_000_000),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    metricsToken: metricsToken(env.BESA_METRICS_TOKEN),
    workers: integer(env, 'BESA_WORKERS', availableParallelism(), 1, 256),
    mail: loadMailConfig(env),
    signingKeyFile: env.BESA_SIGNING_KEY_FILE || (databaseUrl ? 'besa-signing-key.pem' : join(dirname(sqlitePath), 'signing-key.pem')),
    signingKey: env.BESA_SIGNING_KEY || undefined,
  };
}
