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
}

export class ConfigError extends Error {}

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
  };
}
