import type { Db } from '../../../db/database.js';
import { checkpointNote, checkpointNoteText } from '../keys.js';
import { consistencyProof } from '../repository.js';
import { addCheckpoint, type AddCheckpointResult } from './client.js';
import {
  contactableWitnesses,
  cosignerIds,
  largestSignedSize,
  latestNoteCheckpoint,
  recordContact,
  recordWitnessSize,
  storeCosignature,
  type NoteCheckpoint,
  type WitnessRecord,
  type WitnessStatus,
} from './store.js';

/**
 * Asking the witnesses to cosign the latest C2SP checkpoint (tlog-witness, log side).
 *
 * Every active witness that is not demonstration data and has no cosignature on the latest
 * note-format-2 checkpoint is asked, all in parallel, with `old` = the size it last cosigned for
 * this log. A 409 carries the witness's own size: at most the checkpoint's, Besa asks once more
 * from it; larger than any checkpoint the log ever signed, the witness saw a tree Besa never
 * published (status `conflict`).
 */

export interface WitnessOutcome {
  witnessId: number;
  name: string;
  treeSize: number;
  /** `skipped`: the witness already holds a newer checkpoint of this log (a later run asks about that one). */
  status: WitnessStatus | 'skipped';
  reason: string | null;
  previousStatus: string | null;
}

export interface AskOptions {
  timeoutMs?: number;
  now?: () => Date;
}

function proofFrom(db: Db, oldSize: number, size: number): Promise<Buffer[]> {
  if (oldSize === 0 || oldSize === size) return Promise.resolve([]);
  return consistencyProof(db, oldSize, size).then((p) => p.path.map((h) => Buffer.from(h, 'hex')));
}

async function askOne(db: Db, witness: WitnessRecord, checkpoint: NoteCheckpoint, options: AskOptions): Promise<WitnessOutcome> {
  const now = options.now ?? (() => new Date());
  const text = checkpointNoteText(checkpoint.origin, checkpoint.treeSize, checkpoint.root);
  const note = checkpointNote(checkpoint.origin, checkpoint.publicKey, checkpoint.treeSize, checkpoint.root, checkpoint.signature);
  const identity = { name: witness.name, publicKey: Buffer.from(witness.publicKey, 'base64'), url: witness.url };
  const outcome = (status: WitnessOutcome['status'], reason: string | null): WitnessOutcome => ({
    witnessId: witness.id,
    name: witness.name,
    treeSize: checkpoint.treeSize,
    status,
    reason,
    previousStatus: witness.lastStatus,
  });
  const conflict = async (witnessSize: number): Promise<WitnessOutcome | undefined> => {
    const largest = await largestSignedSize(db);
    if (witnessSize > largest) {
      const reason = `the witness has cosigned a tree of ${witnessSize} entries for this log, larger than any checkpoint the log has signed (${largest})`;
      await recordContact(db, witness.id, { status: 'conflict', error: reason, answeredAt: now().toISOString() });
      return outcome('conflict', reason);
    }
    if (witnessSize > checkpoint.treeSize) {
      // Another process (or run) already had a newer checkpoint cosigned.
      await recordWitnessSize(db, witness.id, witnessSize, now().toISOString());
      return outcome('skipped', null);
    }
    return undefined;
  };

  let oldSize = witness.cosignedSize ?? 0;
  if (oldSize > checkpoint.treeSize) {
    const stop = await conflict(oldSize);
    if (stop) return stop;
  }
  let result: AddCheckpointResult = { kind: 'refused', reason: 'not asked' };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const proof = await proofFrom(db, oldSize, checkpoint.treeSize);
    result = await addCheckpoint(identity, { oldSize, proof, text, note }, options);
    if (result.kind !== 'size') break;
    const stop = await conflict(result.witnessSize);
    if (stop) return stop;
    if (attempt === 1 || result.witnessSize === oldSize) {
      result = { kind: 'refused', reason: `the witness answered 409 again (its size: ${result.witnessSize})` };
      break;
    }
    oldSize = result.witnessSize;
  }
  const answeredAt = now().toISOString();
  switch (result.kind) {
    case 'cosigned':
      await storeCosignature(db, { treeSize: checkpoint.treeSize, witnessId: witness.id, timestamp: result.timestamp, signature: result.signature, receivedAt: answeredAt });
      await recordContact(db, witness.id, { status: 'cosigned', error: null, answeredAt, cosignedSize: checkpoint.treeSize });
      return outcome('cosigned', null);
    case 'refused':
      await recordContact(db, witness.id, { status: 'refused', error: result.reason, answeredAt });
      return outcome('refused', result.reason);
    case 'unreachable':
      await recordContact(db, witness.id, { status: 'unreachable', error: result.reason });
      return outcome('unreachable', result.reason);
    default:
      throw new Error('unreachable: a size answer is handled above');
  }
}

/** One pass: the latest note-format-2 checkpoint, every contactable witness without a cosignature on it. */
async function askOnce(db: Db, options: AskOptions): Promise<WitnessOutcome[]> {
  const witnesses = await contactableWitnesses(db);
  if (witnesses.length === 0) return [];
  const checkpoint = await latestNoteCheckpoint(db);
  if (!checkpoint) return [];
  const done = await cosignerIds(db, checkpoint.treeSize);
  const asked = witnesses.filter((w) => !done.has(w.id));
  // Every witness's request ends (answer, refusal or timeout) before the pass does.
  const settled = await Promise.allSettled(asked.map((w) => askOne(db, w, checkpoint, options)));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<WitnessOutcome>).value);
}

interface Flight {
  again: boolean;
  promise: Promise<WitnessOutcome[]>;
}

const flights = new WeakMap<Db, Flight>();

/**
 * Asks the witnesses to cosign the latest checkpoint and stores what they return. Single-flight
 * per process and database: a call while a pass runs asks for one more pass after it (any number
 * of such calls make one pass) and gets the outcomes of every pass until the flight ends. Several processes may ask
 * at once: a cosignature another stored first is kept, and each witness's 409 tells the others
 * its size.
 */
export function askWitnesses(db: Db, options: AskOptions = {}): Promise<WitnessOutcome[]> {
  const running = flights.get(db);
  if (running) {
    running.again = true;
    return running.promise;
  }
  const flight: Flight = { again: false, promise: Promise.resolve([]) };
  flights.set(db, flight);
  flight.promise = (async () => {
    try {
      const outcomes: WitnessOutcome[] = [];
      do {
        flight.again = false;
        outcomes.push(...(await askOnce(db, options)));
      } while (flight.again);
      return outcomes;
    } finally {
      flights.delete(db);
    }
  })();
  return flight.promise;
}

/** The pass running for `db` in this process, if any (tests and shutdown wait for it). */
export function witnessesBeingAsked(db: Db): Promise<unknown> | undefined {
  return flights.get(db)?.promise;
}
