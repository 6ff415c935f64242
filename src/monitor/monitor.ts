import {
  cosignatureVerifier,
  ed25519Verifier,
  keyIdHex,
  NoteError,
  parseCheckpoint,
  parseNote,
  SIGNATURE_COSIGNATURE_V1,
  SIGNATURE_ED25519,
  type CheckpointBody,
  type ParsedNote,
  type Vkey,
} from '../lib/tlog/note.js';
import { entryBundlesFor, parseEntryBundle, tilePath, TILE_WIDTH, HASH_SIZE } from '../lib/tlog/tiles.js';
import { appendToCompactRange, EMPTY_ROOT, foldRight, hashLeaf, type Hash } from '../modules/transparency/merkle.js';
import { matchRules, parseLeaf, rememberFacts, type Finding, type WatchRule } from './rules.js';
import { parseVkey as readVkey } from '../lib/tlog/note.js';
import { lockState, readState, STATE_FORMAT, StateError, writeState, type MonitorState } from './state.js';

/**
 * `besa monitor URL`: follows a Besa transparency log from outside, with no database. Each run
 * fetches the log's latest C2SP checkpoint, checks the log's signature and the witnesses'
 * cosignatures, reads every new entry from the tlog-tiles entry bundles, appends their leaf
 * hashes to the compact range kept in the state file and requires the rebuilt root to be the
 * checkpoint's: the new checkpoint then provably extends the last one verified. Anything else is
 * reported with both signed notes as proof, and the state is kept as it was.
 */

export const EXIT_OK = 0;
export const EXIT_COULD_NOT_CHECK = 1;
export const EXIT_MISBEHAVIOUR = 2;
export const EXIT_FINDINGS = 3;
export const EXIT_QUORUM = 4;

/** Proof of misbehaviour: the log's signature on something, or two of its signed statements that cannot both be true. */
const MISBEHAVIOUR = new Set(['bad-signature', 'fork', 'rollback', 'inconsistent', 'tampered-entries', 'bad-entry']);
/** The run could not check: nothing is known either way. */
const COULD_NOT_CHECK = new Set(['usage', 'state', 'network', 'malformed', 'unknown-key', 'origin']);

export type ProblemKind =
  | 'usage'
  | 'state'
  | 'network'
  | 'malformed'
  | 'unknown-key'
  | 'origin'
  | 'bad-signature'
  | 'rollback'
  | 'fork'
  | 'inconsistent'
  | 'tampered-entries'
  | 'bad-entry'
  | 'bad-cosignature'
  | 'quorum';

export interface CheckpointProof {
  size: number;
  /** Base64, as in the note. */
  root: string;
  /** The whole signed note. */
  note: string;
}

export interface Problem {
  kind: ProblemKind;
  message: string;
  /** For a fork, a rollback or an inconsistency: the checkpoint verified before and the new one, both signed by the log. */
  proof?: { previous: CheckpointProof; current: CheckpointProof };
}

export interface Cosigner {
  name: string;
  keyId: string;
  /** POSIX seconds the witness signed at, and the same as ISO. */
  timestamp: number;
  time: string;
}

export interface MonitorReport {
  url: string;
  /** The checkpoint served now (when it could be read). */
  checkpoint?: { origin: string; size: number; root: string; note: string };
  /** What the state held before this run. */
  previous: { size: number; root: string };
  /** The size now verified (the previous one when this run verified nothing new). */
  verifiedSize: number;
  newEntries: number;
  /** The log's key changed: announced (a rotation read in a verified entry, followed by itself) or taken with --accept-key-change (then announced in entry `index`). */
  keyChange?: { from: string; to: string; index: number | null; announced: boolean };
  cosigners: Cosigner[];
  quorum: { required: number; witnesses: number; cosigned: number; met: boolean };
  findings: Finding[];
  problems: Problem[];
  stateWritten: boolean;
  exitCode: number;
}

export interface MonitorOptions {
  url: string;
  stateFile: string;
  logKey?: string;
  /** Replaces the stored witnesses when given (an empty list is not "given": use undefined). */
  witnesses?: string[];
  quorum?: number;
  rules: WatchRule[];
  /** Take --log-key although the state holds another (after the log announced a key change). */
  acceptKeyChange?: boolean;
  /** Milliseconds per request (default 30 s). */
  timeoutMs?: number;
  /** Bundles fetched at once (default 4). */
  parallel?: number;
}

export function exitCodeFor(problems: readonly Problem[], findings: readonly Finding[]): number {
  if (problems.some((p) => MISBEHAVIOUR.has(p.kind))) return EXIT_MISBEHAVIOUR;
  if (problems.some((p) => COULD_NOT_CHECK.has(p.kind))) return EXIT_COULD_NOT_CHECK;
  if (problems.some((p) => p.kind === 'quorum')) return EXIT_QUORUM;
  if (findings.length > 0) return EXIT_FINDINGS;
  return EXIT_OK;
}

class Stop extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

const stop = (kind: ProblemKind, message: string, proof?: Problem['proof']): never => {
  throw new Stop({ kind, message, ...(proof ? { proof } : {}) });
};

function logVkeyOf(text: string, what: string): Vkey {
  let key: Vkey;
  try {
    key = readVkey(text);
  } catch (error) {
    return stop('usage', `${what} "${text}" is not a verifier key: ${(error as Error).message}`);
  }
  return key;
}

/** The log's base URL without a trailing slash; the routes are below /transparency/tlog/. */
export function logBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return stop('usage', `"${url}" is not a URL (for example https://besa.example.org)`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') stop('usage', `"${url}" is not an http(s) URL`);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** Response size caps: a hostile log cannot make the monitor hold more than this per response. */
export const MAX_CHECKPOINT_BYTES = 1 << 20;
export const MAX_BUNDLE_BYTES = TILE_WIDTH * (65_535 + 2);
export const MAX_TILE_BYTES = TILE_WIDTH * HASH_SIZE;

async function get(url: string, timeoutMs: number, maxBytes: number): Promise<{ status: number; body: Buffer }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { 'accept-encoding': 'gzip, identity', 'user-agent': 'besa-monitor' } });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return stop('network', `cannot fetch ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const reader = response.body?.getReader();
    for (;;) {
      if (!reader) break;
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return stop('network', `${url} answered more than ${maxBytes} bytes: refused`);
      }
      chunks.push(Buffer.from(value));
    }
  } catch (error) {
    if (error instanceof Stop) throw error;
    return stop('network', `cannot read ${url}: ${(error as Error).message}`);
  }
  return { status: response.status, body: Buffer.concat(chunks) };
}

async function getOk(url: string, timeoutMs: number, maxBytes: number): Promise<Buffer> {
  const { status, body } = await get(url, timeoutMs, maxBytes);
  if (status !== 200) stop('network', `${url} answered ${status}`);
  return body;
}

interface Config {
  logKey: Vkey;
  logKeyText: string;
  witnesses: Vkey[];
  witnessTexts: string[];
  quorum: number;
}

function resolveConfig(options: MonitorOptions, state: MonitorState | undefined): Config {
  let logKeyText: string;
  if (!state) {
    if (!options.logKey) stop('usage', 'the first run needs --log-key: the log\'s verifier key, as its transparency page shows it');
    logKeyText = options.logKey!.trim();
  } else if (options.logKey !== undefined && options.logKey.trim() !== state.logKey) {
    if (!options.acceptKeyChange) {
      stop(
        'usage',
        `--log-key differs from the key this state file follows (${state.logKey}). If the log announced a new key on its transparency page, ` +
          'run again with --accept-key-change to follow it from here on; otherwise use another --state file for another log.',
      );
    }
    logKeyText = options.logKey.trim();
  } else {
    logKeyText = state.logKey;
  }
  const logKey = logVkeyOf(logKeyText, '--log-key');
  if (logKey.type !== SIGNATURE_ED25519) stop('usage', `--log-key must be an Ed25519 key (type 0x01), this one is of type 0x${logKey.type.toString(16).padStart(2, '0')}`);
  const witnessTexts = (options.witnesses ?? state?.witnesses ?? []).map((w) => w.trim());
  const witnesses = witnessTexts.map((w) => logVkeyOf(w, '--witness'));
  for (const w of witnesses) {
    if (w.type !== SIGNATURE_COSIGNATURE_V1) stop('usage', `--witness ${w.name}: a witness key is a cosignature key (type 0x04), this one is of type 0x${w.type.toString(16).padStart(2, '0')}`);
  }
  if (new Set(witnesses.map((w) => `${w.name}+${w.keyId}`)).size !== witnesses.length) stop('usage', 'the same --witness is given twice');
  // cosignature/v1 does not sign the witness's name: two names with one public key are one witness.
  if (new Set(witnesses.map((w) => w.publicKey.toString('hex'))).size !== witnesses.length) stop('usage', 'two --witness keys share one public key: they are one witness, whatever their names');
  const quorum = options.quorum ?? (options.witnesses !== undefined ? witnesses.length : (state?.quorum ?? witnesses.length));
  if (!Number.isSafeInteger(quorum) || quorum < 0) stop('usage', '--quorum is a whole number, 0 or more');
  if (quorum > witnesses.length) stop('usage', `--quorum ${quorum} is more than the ${witnesses.length} witness key(s) given`);
  return { logKey, logKeyText, witnesses, witnessTexts, quorum };
}

function freshState(url: string, config: Config): MonitorState {
  return {
    format: STATE_FORMAT,
    url,
    logKey: config.logKeyText,
    witnesses: config.witnessTexts,
    quorum: config.quorum,
    size: 0,
    root: EMPTY_ROOT.toString('base64'),
    note: null,
    verifiedAt: null,
    range: [],
    plans: {},
    commitments: {},
  };
}

/** Does the note bear a line of this key (its name and key ID)? Not whether it verifies. */
function signedBy(note: string, key: Vkey): boolean {
  try {
    return parseNote(note).signatures.some((s) => s.name === key.name && s.keyId === key.keyId);
  } catch {
    return false;
  }
}

interface CheckedNote {
  body: CheckpointBody;
  note: string;
  parsed: ParsedNote;
}

/** The log's signature, then the checkpoint it signs. */
function checkLogSignature(note: string, logKey: Vkey): CheckedNote {
  let parsed: ParsedNote;
  try {
    parsed = parseNote(note);
  } catch (error) {
    return stop('malformed', `the checkpoint is not a signed note: ${(error as Error).message}`);
  }
  const verifier = ed25519Verifier(logKey.name, logKey.publicKey);
  const mine = parsed.signatures.filter((s) => s.name === logKey.name && s.keyId === logKey.keyId);
  if (mine.length === 0) {
    const names = parsed.signatures.map((s) => `${s.name} (${keyIdHex(s.keyId)})`).join(', ');
    stop(
      'unknown-key',
      `the checkpoint bears no signature of the log key ${logKey.name} (${keyIdHex(logKey.keyId)}); it is signed by: ${names || 'nobody'}. ` +
        'If the log changed its key, its transparency page names the new one: check the announcement, then run with --log-key NEW --accept-key-change.',
    );
  }
  for (const s of mine) {
    if (!verifier.verify(parsed.text, s.signature)) stop('bad-signature', `the signature of the log key ${logKey.name} (${keyIdHex(logKey.keyId)}) on the checkpoint does not verify`);
  }
  let body: CheckpointBody;
  try {
    body = parseCheckpoint(parsed.text);
  } catch (error) {
    if (error instanceof NoteError) return stop('bad-signature', `the log key signed a text that is not a checkpoint: ${error.message}`);
    throw error;
  }
  if (body.origin !== logKey.name) stop('origin', `the checkpoint's origin "${body.origin}" is not the log key's name "${logKey.name}": refused`);
  return { body, note, parsed };
}

function countCosignatures(checked: CheckedNote, witnesses: readonly Vkey[], problems: Problem[]): Cosigner[] {
  const cosigners: Cosigner[] = [];
  const counted = new Set<string>();
  for (const w of witnesses) {
    // One public key counts once (cosignature/v1 does not sign the name).
    if (counted.has(w.publicKey.toString('hex'))) continue;
    const verifier = cosignatureVerifier(w.name, w.publicKey);
    const lines = checked.parsed.signatures.filter((s) => s.name === w.name && s.keyId === w.keyId);
    let good: Cosigner | undefined;
    for (const line of lines) {
      const result = verifier.verify(checked.parsed.text, line.signature);
      if (result?.timestamp !== undefined) {
        good ??= { name: w.name, keyId: keyIdHex(w.keyId), timestamp: result.timestamp, time: new Date(result.timestamp * 1000).toISOString() };
      } else {
        problems.push({ kind: 'bad-cosignature', message: `the cosignature of witness ${w.name} (${keyIdHex(w.keyId)}) does not verify: not counted` });
      }
    }
    if (good) {
      cosigners.push(good);
      counted.add(w.publicKey.toString('hex'));
    }
  }
  return cosigners;
}

async function fetchBundle(base: string, index: number, width: number, timeoutMs: number): Promise<Buffer[]> {
  const url = `${base}/transparency/tlog/${tilePath({ level: 'entries', index, width })}`;
  let { status, body } = await get(url, timeoutMs, MAX_BUNDLE_BYTES);
  // A partial bundle may be gone once its full bundle exists (tlog-tiles): the full one then holds these entries first.
  if (status === 404 && width < TILE_WIDTH) ({ status, body } = await get(`${base}/transparency/tlog/${tilePath({ level: 'entries', index, width: TILE_WIDTH })}`, timeoutMs, MAX_BUNDLE_BYTES));
  if (status !== 200) stop('network', `${url} answered ${status}`);
  let entries: Buffer[];
  try {
    entries = parseEntryBundle(body);
  } catch (error) {
    return stop('tampered-entries', `the entry bundle ${url} is not an entry bundle: ${(error as Error).message}`);
  }
  if (entries.length < width || (width === TILE_WIDTH && entries.length !== width) || (width < TILE_WIDTH && entries.length !== width && entries.length !== TILE_WIDTH)) {
    stop('tampered-entries', `the entry bundle ${url} holds ${entries.length} entries, not ${width}`);
  }
  return entries.slice(0, width);
}

/** The level-0 tile hashes for [from, to): to tell a bundle that lies about its entries from a tree that does not extend the last one. */
async function fetchLeafHashes(base: string, from: number, to: number, timeoutMs: number): Promise<Hash[] | undefined> {
  const hashes: Hash[] = [];
  for (const b of entryBundlesFor(from, to)) {
    const url = `${base}/transparency/tlog/${tilePath({ level: 0, index: b.index, width: b.width })}`;
    const { status, body } = await get(url, timeoutMs, MAX_TILE_BYTES);
    if (status !== 200 || body.length < b.width * HASH_SIZE) return undefined;
    for (let i = b.first - b.index * TILE_WIDTH; i < b.width; i += 1) hashes.push(body.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  }
  return hashes;
}

function proofOf(state: MonitorState, checked: CheckedNote): Problem['proof'] {
  return {
    previous: { size: state.size, root: state.root, note: state.note ?? '' },
    current: { size: checked.body.size, root: checked.body.root.toString('base64'), note: checked.note },
  };
}

/** One run of the monitor. Never throws for what it checks: problems are in the report, with its exit code. */
export async function runMonitor(options: MonitorOptions): Promise<MonitorReport> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const parallel = Math.max(1, options.parallel ?? 4);
  const problems: Problem[] = [];
  let findings: Finding[] = [];
  const report: MonitorReport = {
    url: options.url,
    previous: { size: 0, root: EMPTY_ROOT.toString('base64') },
    verifiedSize: 0,
    newEntries: 0,
    cosigners: [],
    quorum: { required: 0, witnesses: 0, cosigned: 0, met: true },
    findings,
    problems,
    stateWritten: false,
    exitCode: EXIT_OK,
  };
  let unlock: (() => Promise<void>) | undefined;
  try {
    let state: MonitorState | undefined;
    try {
      unlock = await lockState(options.stateFile);
      state = await readState(options.stateFile);
    } catch (error) {
      if (error instanceof StateError) stop('state', error.message);
      throw error;
    }
    const base = logBase(options.url);
    const config = resolveConfig(options, state);
    const old = state ?? freshState(options.url, config);
    report.previous = { size: old.size, root: old.root };
    report.verifiedSize = old.size;
    report.quorum = { required: config.quorum, witnesses: config.witnesses.length, cosigned: 0, met: config.quorum === 0 };

    const note = (await getOk(`${base}/transparency/tlog/checkpoint`, timeoutMs, MAX_CHECKPOINT_BYTES)).toString('utf8');
    // A rotation the log announced in an entry already verified under the key followed (the old key
    // signed the checkpoint that holds it): its new key is followed without asking.
    const announced = (old.announcedKeys ?? []).filter((k) => k.action === 'signing_key.rotated' && k.index < old.size).at(-1);
    let checked: CheckedNote;
    if (announced && announced.vkey !== config.logKeyText && !signedBy(note, config.logKey)) {
      const next = readVkey(announced.vkey);
      checked = checkLogSignature(note, next);
      report.keyChange = { from: config.logKeyText, to: announced.vkey, index: announced.index, announced: true };
      config.logKeyText = announced.vkey;
      config.logKey = next;
    } else {
      checked = checkLogSignature(note, config.logKey);
    }
    if (state && config.logKeyText !== state.logKey && !report.keyChange) report.keyChange = { from: state.logKey, to: config.logKeyText, index: null, announced: false };
    const { size, root } = checked.body;
    report.checkpoint = { origin: checked.body.origin, size, root: root.toString('base64'), note };

    report.cosigners = countCosignatures(checked, config.witnesses, problems);
    report.quorum.cosigned = report.cosigners.length;
    report.quorum.met = report.cosigners.length >= config.quorum;

    if (size < old.size) {
      stop('rollback', `the log now shows ${size} entries, fewer than the ${old.size} it signed before: its history was cut or forked`, proofOf(old, checked));
    }
    if (size === old.size && !root.equals(Buffer.from(old.root, 'base64'))) {
      stop('fork', `the log signed two different trees of ${size} entries: a fork (a split view or a rewritten history)`, proofOf(old, checked));
    }

    // Read the new entries, oldest first, appending their hashes to the compact range.
    const next: MonitorState = structuredClone(old);
    let range: Hash[] = old.range.map((h) => Buffer.from(h, 'base64'));
    let rangeSize = old.size;
    const leaves: Buffer[] = [];
    const bundles = entryBundlesFor(old.size, size);
    for (let at = 0; at < bundles.length; at += parallel) {
      const batch = bundles.slice(at, at + parallel);
      const got = await Promise.all(batch.map((b) => fetchBundle(base, b.index, b.width, timeoutMs)));
      batch.forEach((b, i) => {
        const entries = got[i]!.slice(b.first - b.index * TILE_WIDTH);
        const appended = appendToCompactRange(rangeSize, range, entries.map((e) => hashLeaf(e)));
        range = appended.range;
        rangeSize = appended.size;
        leaves.push(...entries);
      });
    }
    const rebuilt = size === 0 ? EMPTY_ROOT : foldRight(range);
    if (!rebuilt.equals(root)) {
      const tileHashes = size > old.size ? await fetchLeafHashes(base, old.size, size, timeoutMs).catch(() => undefined) : undefined;
      const fromTiles = tileHashes ? foldRight(appendToCompactRange(old.size, old.range.map((h) => Buffer.from(h, 'base64')), tileHashes).range) : undefined;
      if (fromTiles?.equals(root)) {
        stop('tampered-entries', `the entries served for ${old.size}…${size - 1} do not hash to the log's own tiles; the tiles do extend the last verified checkpoint: the entry bundles were altered`);
      }
      stop(
        'inconsistent',
        `the checkpoint of ${size} entries does not extend the one of ${old.size} verified before: the entries after ${old.size} (and the log's tiles) do not rebuild its root on top of the old tree. A fork or a rewritten history`,
        proofOf(old, checked),
      );
    }

    // A key taken with --accept-key-change must be one the log announced in an entry (read now or before).
    if (report.keyChange && !report.keyChange.announced) {
      const facts: Pick<MonitorState, 'plans' | 'commitments' | 'announcedKeys'> = { plans: {}, commitments: {}, announcedKeys: [...(old.announcedKeys ?? [])] };
      leaves.forEach((bytes) => {
        const leaf = parseLeaf(bytes);
        if (leaf) rememberFacts(facts, leaf);
      });
      const entry = facts.announcedKeys!.find((k) => k.vkey === config.logKeyText);
      if (!entry) stop('unknown-key', `the log never announced the key ${config.logKeyText} in an entry (signing_key.rotated or signing_key.adopted): not followed`);
      report.keyChange.index = entry!.index;
    }

    // The tree is verified: read the entries for the watch rules.
    leaves.forEach((bytes, i) => {
      const index = old.size + i;
      const leaf = parseLeaf(bytes);
      if (!leaf || leaf.index !== index) {
        problems.push({ kind: 'bad-entry', message: `entry ${index}, signed into the log, is not a Besa entry${leaf ? ` (it says it is entry ${leaf.index})` : ''}` });
        return;
      }
      findings.push(...matchRules(options.rules, next, leaf));
      rememberFacts(next, leaf);
    });
    report.newEntries = leaves.length;
    report.verifiedSize = size;

    if (!report.quorum.met) {
      problems.push({ kind: 'quorum', message: `cosigned by ${report.cosigners.length} of the ${config.witnesses.length} witness(es) named; ${config.quorum} required` });
    }

    Object.assign(next, {
      url: options.url,
      logKey: config.logKeyText,
      witnesses: config.witnessTexts,
      quorum: config.quorum,
      size,
      root: root.toString('base64'),
      note,
      verifiedAt: new Date().toISOString(),
      range: range.map((h) => h.toString('base64')),
    } satisfies Partial<MonitorState>);
    try {
      await writeState(options.stateFile, next);
    } catch (error) {
      stop('state', `cannot write the state file ${options.stateFile}: ${(error as Error).message}`);
    }
    report.stateWritten = true;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    problems.push(error.problem);
    // Findings of entries that could not be verified are not reported.
    findings = [];
    report.findings = findings;
  } finally {
    await unlock?.();
  }
  report.exitCode = exitCodeFor(problems, findings);
  return report;
}
