import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isValidKeyName, parseVkey, SIGNATURE_ED25519, verifierFromVkey, type NoteVerifier } from '../lib/tlog/note.js';
import { WitnessError } from './files.js';

/** A log the witness follows: its origin line and the Ed25519 keys (type 0x01) it trusts for it. */
export interface FollowedLog {
  origin: string;
  vkeys: string[];
  verifiers: NoteVerifier[];
}

export interface WitnessConfig {
  /** The witness's key name (its cosignature lines carry it). */
  name: string;
  /** Absolute path of the witness's private key. */
  keyFile: string;
  host: string;
  port: number;
  /** Absolute path of the state file (last cosigned checkpoint per log). */
  stateFile: string;
  /** A plain-text statement of what the witness promises, shown at GET /. */
  policy?: string;
  logs: FollowedLog[];
}

const KNOWN = new Set(['name', 'keyFile', 'host', 'port', 'stateFile', 'policy', 'logs']);

/**
 * Checks a parsed config (`file` names it in errors; relative paths are taken from `baseDir`).
 * Every error names the field and why.
 */
export function parseWitnessConfig(raw: unknown, file: string, baseDir: string): WitnessConfig {
  const fail = (field: string, why: string): never => {
    throw new WitnessError(`${file}: ${field}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('(top level)', 'the config is a JSON object');
  const c = raw as Record<string, unknown>;
  for (const key of Object.keys(c)) if (!KNOWN.has(key)) fail(key, `unknown field (the fields are ${[...KNOWN].join(', ')})`);
  const text = (field: string): string => {
    const v = c[field];
    if (typeof v !== 'string' || v.trim() === '') fail(field, 'missing or not a non-empty string');
    return v as string;
  };
  const name = text('name');
  if (!isValidKeyName(name)) fail('name', `"${name}" is not a valid key name (no spaces, no "+"), e.g. witness.example.org/besa`);
  const keyFile = resolve(baseDir, text('keyFile'));
  const host = text('host');
  const port = c.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) fail('port', 'must be a whole number from 0 to 65535 (0: any free port)');
  const stateFile = resolve(baseDir, text('stateFile'));
  let policy: string | undefined;
  if (c.policy !== undefined) {
    if (typeof c.policy !== 'string') fail('policy', 'must be a string (plain text)');
    policy = c.policy as string;
  }
  if (!Array.isArray(c.logs)) fail('logs', 'missing or not a list of { "origin": …, "vkeys": [ … ] }');
  const logs: FollowedLog[] = [];
  const seen = new Set<string>();
  (c.logs as unknown[]).forEach((entry, i) => {
    const at = `logs[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(at, 'must be an object { "origin": …, "vkeys": [ … ] }');
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) if (key !== 'origin' && key !== 'vkeys') fail(`${at}.${key}`, 'unknown field (the fields are origin, vkeys)');
    const origin = e.origin;
    if (typeof origin !== 'string' || origin.length === 0 || /[\n\r]/.test(origin) || origin.trim() !== origin) fail(`${at}.origin`, 'must be the log\'s origin line, e.g. besa-log/0123456789abcdef');
    if (seen.has(origin as string)) fail(`${at}.origin`, `"${origin as string}" is listed twice`);
    seen.add(origin as string);
    if (!Array.isArray(e.vkeys) || e.vkeys.length === 0) fail(`${at}.vkeys`, 'must be a non-empty list of the log\'s verifier keys');
    const vkeys: string[] = [];
    const verifiers: NoteVerifier[] = [];
    (e.vkeys as unknown[]).forEach((v, j) => {
      const field = `${at}.vkeys[${j}]`;
      if (typeof v !== 'string') fail(field, 'must be a string <name>+<key ID>+<base64 key>');
      let parsed;
      try {
        parsed = parseVkey(v as string);
      } catch (error) {
        return fail(field, (error as Error).message);
      }
      if (parsed.type !== SIGNATURE_ED25519) fail(field, `is a key of type 0x${parsed.type.toString(16).padStart(2, '0')}; a log signs its checkpoints with an Ed25519 key (type 0x01), as besa prints it`);
      vkeys.push((v as string).trim());
      verifiers.push(verifierFromVkey(parsed));
    });
    logs.push({ origin: origin as string, vkeys, verifiers });
  });
  return { name, keyFile, host, port: port as number, stateFile, ...(policy !== undefined ? { policy } : {}), logs };
}

/** Reads and checks a config file. */
export function loadWitnessConfig(path: string): WitnessConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new WitnessError(`cannot read the config ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new WitnessError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  return parseWitnessConfig(raw, file, dirname(file));
}
