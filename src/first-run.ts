import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { createSetupToken, SetupClosedError } from './modules/accounts/index.js';

/** Hosts that mean "every address": not something a browser can open, so links name this machine. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The address printed in links on the console (setup link, invitations): BESA_PUBLIC_URL when it is
 * set, otherwise this machine at HOST and PORT, as the server listens there (`port`: the port it
 * really listens on, when PORT=0 let the system choose). The server at start and `besa setup-link`
 * use this one function, so both print the same address.
 */
export function linkBase(config: Pick<Config, 'publicUrl' | 'host' | 'port'>, env: NodeJS.ProcessEnv = process.env, port: number = config.port): string {
  if (env.BESA_PUBLIC_URL) return config.publicUrl;
  const host = WILDCARD_HOSTS.has(config.host) ? 'localhost' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** What the person at the console reads when no administrator exists yet: the link and what comes next. */
export function setupLinkMessage(base: string, token: string): string {
  return [
    'No administrator exists yet. Open this link within 24 hours to create the first one (it works once):',
    '',
    `  ${base}/sq/setup/${token}`,
    '',
    `Next: choose your name, e-mail address and password there; you are then signed in to the administration (${base}/sq/admin),`,
    'where you invite the other people who run the plan. Another link, if this one expires: npm run besa -- setup-link',
    '',
  ].join('\n');
}

/**
 * At start: when nobody has an account yet, creates a setup link and prints it with the next step.
 * Returns whether it did (false once any account exists: setup links are closed then).
 */
export async function announceFirstRun(db: Db, base: string, write: (text: string) => void = (text) => process.stdout.write(text)): Promise<boolean> {
  let token: string;
  try {
    token = await createSetupToken(db);
  } catch (error) {
    if (error instanceof SetupClosedError) return false;
    throw error;
  }
  write(`\n${setupLinkMessage(base, token)}\n`);
  return true;
}
