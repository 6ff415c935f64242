import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isValidKeyName } from '../lib/tlog/note.js';
import { loadWitnessConfig } from './config.js';
import { createWitnessKey, readWitnessKey, witnessVkey, WitnessError } from './files.js';
import { createWitnessServer } from './server.js';
import { WitnessStore } from './store.js';

export const WITNESS_HELP = `besa witness – cosigns the checkpoints of Besa transparency logs (C2SP tlog-witness)

Usage:
  besa witness init --name NAME --key FILE
                          make the witness's Ed25519 key in FILE (mode 0600, never overwritten) and
                          print its cosigner key (vkey) and what to send the log operator. NAME is
                          the witness's public name, e.g. witness.example.org/besa
  besa witness serve --config FILE
                          run the witness (HTTP) as the JSON config FILE says: name, keyFile, host,
                          port, stateFile, policy, and the logs it follows ({ origin, vkeys })
  besa witness help       show this help

The witness needs no database. See src/witness/README.md.
`;

type Say = (line: string) => void;

export function initWitness(name: string, keyFile: string): { keyFile: string; vkey: string } {
  if (!isValidKeyName(name)) throw new WitnessError(`--name "${name}" is not a valid witness name (no spaces, no "+"), e.g. witness.example.org/besa`);
  const path = resolve(keyFile);
  const key = createWitnessKey(path);
  return { keyFile: path, vkey: witnessVkey(name, key) };
}

/** Starts the witness from its config; resolves once it listens. */
export async function serveWitness(configFile: string, say: Say = console.log) {
  const config = loadWitnessConfig(configFile);
  const key = readWitnessKey(config.keyFile);
  const log = (line: string) => say(`${new Date().toISOString()} ${line}`);
  const store = WitnessStore.open(config.stateFile, { log });
  const witness = createWitnessServer({ config, key, store, log });
  let url: string;
  try {
    url = await witness.listen();
  } catch (error) {
    await store.close();
    throw new WitnessError(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  return { config, url, vkey: witness.vkey, close: () => witness.close() };
}

/** `besa witness …`: the exit code. */
export async function witnessMain(argv: string[], say: Say = console.log, complain: Say = console.error): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { name: { type: 'string' }, key: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    complain(`besa witness: ${(error as Error).message}\n`);
    complain(WITNESS_HELP);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, ...extra] = positionals;
  if (!sub || sub === 'help' || values.help) {
    say(WITNESS_HELP);
    return 0;
  }
  if (extra.length > 0) {
    complain(`besa witness: unexpected argument "${extra[0]}"`);
    return 2;
  }
  try {
    if (sub === 'init') {
      if (!values.name || !values.key || values.config !== undefined) {
        complain('besa witness: init needs --name NAME and --key FILE (and no --config)');
        return 2;
      }
      const made = initWitness(values.name, values.key);
      say(`Made the witness key ${made.keyFile} (mode 0600). Back it up somewhere safe and offline: whoever holds it can cosign in this witness's name.`);
      say('');
      say(`vkey: ${made.vkey}`);
      say('');
      say('Send the log operator (the municipality running Besa):');
      say(`  the witness name: ${values.name}`);
      say(`  its cosigner key: ${made.vkey}`);
      say('  its URL: where this witness will be reachable, e.g. https://witness.example.org/ (Besa posts to <URL>/add-checkpoint)');
      say('Ask them for their log\'s origin and verifier key (the log vkey Besa prints): they go under "logs" in the config.');
      return 0;
    }
    if (sub === 'serve') {
      if (!values.config || values.name !== undefined || values.key !== undefined) {
        complain('besa witness: serve needs --config FILE (and no --name or --key: they are in the config)');
        return 2;
      }
      const running = await serveWitness(values.config, say);
      say(`besa witness ${running.config.name} listening on ${running.url}`);
      say(`vkey: ${running.vkey}`);
      say(`following ${running.config.logs.length} log(s); state in ${running.config.stateFile}`);
      await new Promise<void>((done) => {
        const stop = (signal: string) => {
          say(`${signal}: stopping`);
          running.close().then(done, (error: unknown) => {
            complain(`besa witness: ${(error as Error).message}`);
            done();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      return 0;
    }
    complain(`besa witness: unknown command "${sub}" (init, serve or help)`);
    return 2;
  } catch (error) {
    if (error instanceof WitnessError) {
      complain(`besa witness: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
