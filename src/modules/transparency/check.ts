import { readContentVersion } from '../../db/content-version.js';
import { PostgresAdapter, sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { ed25519Verifier, NoteError, openNote, parseCheckpoint, parseNote } from '../../lib/tlog/note.js';
import { listPublicKeys, NOTE_FORMAT_BESA_V1, NOTE_FORMAT_C2SP, originFor, verifyCheckpoint, type PublicKeyInfo } from './keys.js';
import { verifyConsistency } from './merkle.js';
import { consistencyProof, latestCheckpoint, rangeHashes } from './repository.js';
import { checkPublishedState, describeDifference, type StateDifference, type StateResult } from './state.js';
import { tdb } from './tables.js';
import { verifyTransparencyLog, type VerifyResult } from './verify.js';

/** The first problem a check found, as stored and shown on the transparency page. */
export type HistoryProblem =
  | { kind: 'log'; firstBadIndex: number | null; reason: string }
  | { kind: 'previous'; reason: string }
  | { kind: 'state'; difference: StateDifference };

export interface PreviousResult {
  ok: boolean;
  treeSize?: number;
  /** When the saved checkpoint says (its JSON; a C2SP note does not carry a time). */
  issuedAt?: string;
  /** Whether the log's signature covers issuedAt: note format 1 only (a C2SP checkpoint, format 2, does not sign a time). */
  issuedAtSigned?: boolean;
  reason?: string;
}

export interface HistoryCheck {
  ok: boolean;
  checkedAt: string;
  log: VerifyResult;
  /** Given a saved checkpoint: does the log still extend it? */
  previous?: PreviousResult;
  /** Run when the log verifies. */
  state?: StateResult;
  problem?: HistoryProblem;
  /** Milliseconds the check took. */
  milliseconds: number;
}

/** A saved checkpoint, as GET /transparency/checkpoint serves it (only the fields checked). */
interface SavedCheckpoint {
  treeSize: number;
  rootHash: string;
  issuedAt: string;
  keyId: number;
  signature: string;
  publicKey?: string | null;
  /** Absent in files saved before note format 2 (ADR 0012): 1. */
  noteFormat?: number;
}

function asSavedCheckpoint(value: unknown): SavedCheckpoint | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const c = value as Record<string, unknown>;
  if (!Number.isInteger(c.treeSize) || (c.treeSize as number) < 1) return undefined;
  if (typeof c.rootHash !== 'string' || !/^[0-9a-f]{64}$/.test(c.rootHash)) return undefined;
  if (typeof c.issuedAt !== 'string' || typeof c.signature !== 'string' || !Number.isInteger(c.keyId)) return undefined;
  if (c.publicKey !== undefined && c.publicKey !== null && typeof c.publicKey !== 'string') return undefined;
  if (c.noteFormat !== undefined && c.noteFormat !== NOTE_FORMAT_BESA_V1 && c.noteFormat !== NOTE_FORMAT_C2SP) return undefined;
  return c as unknown as SavedCheckpoint;
}

/** What a saved checkpoint vouches for, once its signature checked out: the key that signed it, its size and root. */
type OpenedSaved = { ok: true; key: PublicKeyInfo; treeSize: number; root: Buffer; issuedAt?: string; issuedAtSigned?: boolean } | { ok: false; result: PreviousResult };

/**
 * A C2SP checkpoint note (as GET /transparency/tlog/checkpoint serves it): the log's signature
 * line is recognised by key name and key ID among the keys the log publishes (cosignatures and
 * other unknown lines are ignored, as signed-note requires), and its origin line must be that
 * key's origin.
 */
function openSavedNote(note: string, keys: readonly PublicKeyInfo[]): OpenedSaved {
  const refuse = (reason: string, treeSize?: number): OpenedSaved => ({ ok: false, result: { ...(treeSize !== undefined ? { treeSize } : {}), ok: false, reason } });
  const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
  try {
    parseNote(note);
  } catch (error) {
    return refuse(`the saved checkpoint is neither a Besa checkpoint (JSON) nor a C2SP checkpoint note: ${message(error)}`);
  }
  const verifiers = keys.map((k) => ({ key: k, verifier: ed25519Verifier(k.origin, Buffer.from(k.publicKey, 'base64')) }));
  let opened;
  try {
    opened = openNote(note, verifiers.map((v) => v.verifier));
  } catch (error) {
    if (error instanceof NoteError && error.message === 'no signature from a known key') return refuse('the saved checkpoint was signed with a key this log does not publish: the log was replaced');
    return refuse(`the signature of the saved checkpoint is not valid (${message(error)})`);
  }
  // Only now is the text read (signed-note: a text counts once a trusted key's signature verified).
  let body;
  try {
    body = parseCheckpoint(opened.text);
  } catch (error) {
    return refuse(`the saved note is not a C2SP checkpoint: ${message(error)}`);
  }
  const signer = verifiers.find((v) => v.key.origin === body.origin && opened.verified.some((s) => s.name === v.verifier.name && s.keyId === v.verifier.keyId));
  if (!signer) return refuse(`the saved checkpoint's origin ${body.origin} is not the origin of the log key that signed it`, body.size);
  if (body.size < 1) return refuse('the saved checkpoint covers no entry', body.size);
  return { ok: true, key: signer.key, treeSize: body.size, root: body.root };
}

/** "signed" only when the log's signature covers the time (note format 1); format 2 only records it beside the checkpoint. */
function issuedAtWord(signed: boolean | undefined): string {
  return signed ? 'signed' : 'recorded';
}

async function openSaved(db: Executor, saved: unknown): Promise<OpenedSaved> {
  const keys = await listPublicKeys(db);
  if (typeof saved === 'string') return openSavedNote(saved, keys);
  const p = asSavedCheckpoint(saved);
  if (!p) return { ok: false, result: { ok: false, reason: 'the saved checkpoint is not a Besa checkpoint (treeSize, rootHash, issuedAt, keyId and signature expected, or a C2SP checkpoint note)' } };
  const base = { treeSize: p.treeSize, issuedAt: p.issuedAt };
  const key = keys.find((k) => k.id === p.keyId);
  const publicKey = p.publicKey ?? key?.publicKey;
  const root = Buffer.from(p.rootHash, 'hex');
  if (!publicKey || !verifyCheckpoint({ publicKey, origin: originFor(publicKey) }, { ...p, noteFormat: p.noteFormat ?? NOTE_FORMAT_BESA_V1 }, root)) {
    return { ok: false, result: { ...base, ok: false, reason: 'the signature of the saved checkpoint is not valid' } };
  }
  if (!key || key.publicKey !== publicKey) return { ok: false, result: { ...base, ok: false, reason: 'the saved checkpoint was signed with a key this log no longer publishes: the log was replaced' } };
  return { ok: true, key, treeSize: p.treeSize, root, issuedAt: p.issuedAt, issuedAtSigned: (p.noteFormat ?? NOTE_FORMAT_BESA_V1) === NOTE_FORMAT_BESA_V1 };
}

/**
 * Checks that the stored log still extends a checkpoint saved earlier: the checkpoint is signed by
 * a key the log publishes (its own public key, when the file carries it, must be that key), the
 * log is at least as long, the first `treeSize` entries still give the saved root, and an RFC 9162
 * consistency proof from the saved size to the latest checkpoint verifies. Removing the last
 * entries together with their checkpoints, or rewriting an entry and signing again with the log's
 * own key, fails here: the saved root was signed before.
 */
export async function verifyExtendsCheckpoint(db: Executor, saved: unknown): Promise<PreviousResult> {
  const opened = await openSaved(db, saved);
  if (!opened.ok) return opened.result;
  const p = { treeSize: opened.treeSize, issuedAt: opened.issuedAt };
  const base = { treeSize: p.treeSize, ...(p.issuedAt !== undefined ? { issuedAt: p.issuedAt, issuedAtSigned: opened.issuedAtSigned === true } : {}) };
  const signed = p.issuedAt !== undefined ? ` (${issuedAtWord(opened.issuedAtSigned)} ${p.issuedAt})` : '';
  const oldRoot = opened.root;
  const latest = await latestCheckpoint(db);
  const size = latest?.treeSize ?? 0;
  if (!latest || size < p.treeSize) {
    return { ...base, ok: false, reason: `the log has ${size} entries, fewer than the ${p.treeSize} of the saved checkpoint${signed}: entries were removed` };
  }
  const [prefixRoot] = await rangeHashes(db, [{ start: 0, end: p.treeSize }]);
  const proof = await consistencyProof(db, p.treeSize, size);
  const consistent = verifyConsistency(p.treeSize, size, oldRoot, Buffer.from(latest.rootHash, 'hex'), proof.path.map((h) => Buffer.from(h, 'hex')));
  if (!prefixRoot?.equals(oldRoot) || !consistent) {
    return { ...base, ok: false, reason: `history was rewritten: the first ${p.treeSize} entries no longer give the root of the saved checkpoint${signed}` };
  }
  return { ...base, ok: true };
}

/**
 * The whole check behind `besa audit verify` and the server's hourly check: the log (every leaf,
 * subtree, checkpoint and signature), optionally a saved checkpoint it must extend, and the state
 * check (the public content equals what the log says was published last).
 */
export async function verifyPublishedHistory(db: Db, options: { previous?: unknown } = {}): Promise<HistoryCheck> {
  // The log and the content must be read as of one moment, or a command committing meanwhile
  // would look like a difference. PostgreSQL: one REPEATABLE READ snapshot (readers block no one).
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return db.transaction().setIsolationLevel('repeatable read').execute((trx) => checkOnce(trx, options));
  }
  // SQLite has one connection per process: a transaction would hold every request until the check
  // ends. So the check reads page by page, letting requests run in between; a failure seen while
  // the content version moved (a command committed) is checked again, the last time inside one
  // transaction. Changes made behind the log do not move the version, so they are reported at once.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const version = await readContentVersion(db);
    const check = await checkOnce(db, options);
    if (check.ok || (await readContentVersion(db)) === version) return check;
  }
  return db.transaction().execute((trx) => checkOnce(trx, options));
}

async function checkOnce(db: Executor, options: { previous?: unknown }): Promise<HistoryCheck> {
  const started = performance.now();
  const checkedAt = new Date().toISOString();
  const done = (rest: Omit<HistoryCheck, 'checkedAt' | 'milliseconds' | 'ok'>): HistoryCheck => ({
    ok: !rest.problem,
    checkedAt,
    ...rest,
    milliseconds: Math.round(performance.now() - started),
  });
  const log = await verifyTransparencyLog(db);
  if (!log.ok) return done({ log, problem: { kind: 'log', firstBadIndex: log.firstBadIndex ?? null, reason: log.reason ?? 'the log does not verify' } });
  let previous: PreviousResult | undefined;
  if (options.previous !== undefined) {
    previous = await verifyExtendsCheckpoint(db, options.previous);
    if (!previous.ok) return done({ log, previous, problem: { kind: 'previous', reason: previous.reason ?? 'the log does not extend the saved checkpoint' } });
  }
  const state = await checkPublishedState(db);
  if (!state.ok && state.difference) return done({ log, ...(previous ? { previous } : {}), state, problem: { kind: 'state', difference: state.difference } });
  return done({ log, ...(previous ? { previous } : {}), state });
}

/** The check in sentences, for the command line and the server log. */
export function describeHistoryCheck(check: HistoryCheck): string[] {
  const lines: string[] = [];
  const { log, previous, state, problem } = check;
  if (log.ok) lines.push(`The transparency log is intact: ${log.treeSize} entries, ${log.checkpointsChecked} signed checkpoints verified.`);
  else lines.push(`The transparency log does NOT verify: first bad entry ${log.firstBadIndex ?? '?'}${log.reason ? ` (${log.reason})` : ''}. ${log.treeSize} entries before it are intact.`);
  for (const change of log.ok ? (log.keyChanges ?? []) : []) {
    lines.push(
      change.kind === 'rotated'
        ? `Key ${change.keyId} signs from entry ${change.index}: a rotation, vouched for by the key before it.`
        : `Key ${change.keyId} signs from entry ${change.index}: an adoption, NOT vouched for by the key before it (an import, or a lost key).`,
    );
  }
  if (previous?.ok) lines.push(`The log extends the saved checkpoint of ${previous.treeSize} entries${previous.issuedAt !== undefined ? ` (${issuedAtWord(previous.issuedAtSigned)} ${previous.issuedAt})` : ''}: nothing it covered was removed or rewritten.`);
  else if (previous) lines.push(`The log does NOT extend the saved checkpoint: ${previous.reason ?? 'unknown reason'}.`);
  if (state?.ok) lines.push(`The public content equals what the log published last: ${state.entitiesChecked} items, ${state.fieldsChecked} published values compared.`);
  else if (problem?.kind === 'state') lines.push(`The public content does NOT equal what the log published: ${describeDifference(problem.difference)}.`);
  return lines;
}

/** What the transparency page shows: the latest check's outcome. */
export interface StoredHistoryCheck {
  checkedAt: string;
  intact: boolean;
  lastIntactAt: string | null;
  problem: HistoryProblem | null;
}

/** Stores a check's outcome (one row; the last intact time is kept when a check fails). */
export async function recordHistoryCheck(db: Executor, check: HistoryCheck): Promise<void> {
  const t = tdb(db);
  const problem = check.problem ? JSON.stringify(check.problem) : null;
  const intact = check.ok ? 1 : 0;
  const lastIntact = check.ok ? check.checkedAt : null;
  await t
    .insertInto('transparency_verifications')
    .values({ id: 1, checked_at: check.checkedAt, intact, last_intact_at: lastIntact, problem })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        checked_at: eb.ref('excluded.checked_at'),
        intact: eb.ref('excluded.intact'),
        problem: eb.ref('excluded.problem'),
        // A failing check keeps the time the content was last found intact.
        last_intact_at: check.ok ? eb.ref('excluded.last_intact_at') : eb.ref('transparency_verifications.last_intact_at'),
      }))
      // Every process runs the check: one that started earlier but ends later never hides a newer outcome.
      .where(sql<boolean>`excluded.checked_at >= transparency_verifications.checked_at`),
    )
    .execute();
}

export async function latestHistoryCheck(db: Executor): Promise<StoredHistoryCheck | undefined> {
  const row = await tdb(db).selectFrom('transparency_verifications').selectAll().where('id', '=', 1).executeTakeFirst();
  if (!row) return undefined;
  let problem: HistoryProblem | null = null;
  if (row.problem) {
    try {
      problem = JSON.parse(row.problem) as HistoryProblem;
    } catch {
      problem = { kind: 'log', firstBadIndex: null, reason: 'unreadable' };
    }
  }
  return { checkedAt: row.checked_at, intact: Number(row.intact) === 1, lastIntactAt: row.last_intact_at, problem };
}

/** Logger the scheduled check writes to (the app's pino logger fits). */
interface CheckLogger {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * The server's check, on start and hourly in every process: verify, store the outcome, log a
 * failure at error level. Never throws (a failing check is reported, not fatal).
 */
export async function runScheduledHistoryCheck(db: Db, log: CheckLogger): Promise<HistoryCheck | undefined> {
  try {
    const check = await verifyPublishedHistory(db);
    await recordHistoryCheck(db, check);
    if (check.ok) log.info({ entries: check.log.treeSize, items: check.state?.entitiesChecked, ms: check.milliseconds }, 'transparency log and public content verified intact');
    else log.error({ problem: check.problem, ms: check.milliseconds }, `transparency check FAILED: ${describeHistoryCheck(check).join(' ')}`);
    return check;
  } catch (error) {
    log.error({ err: error }, 'transparency check could not run');
    return undefined;
  }
}
