import type { Db } from '../../../db/database.js';
import { askWitnesses, witnessesBeingAsked, type WitnessOutcome } from './cosign.js';

/** How often the process that runs background jobs asks again (a witness that was down catches up). */
export const WITNESS_CATCH_UP_MS = 30_000;

interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Called by runCommand after a command that appended a checkpoint has COMMITTED: asks the
 * witnesses in the background. Never awaited: the command's answer does not wait for witnesses
 * (a silent witness costs up to WITNESS_TIMEOUT_MS of a background request, nothing else). A
 * failure here is left to the periodic catch-up, which logs.
 */
export function checkpointCommitted(db: Db): void {
  askWitnesses(db).catch(() => undefined);
}

function logChanges(log: JobLogger, outcomes: readonly WitnessOutcome[]): void {
  for (const o of outcomes) {
    if (o.status === 'skipped' || o.status === o.previousStatus) continue;
    const fields = { witness: o.name, treeSize: o.treeSize, status: o.status, reason: o.reason };
    if (o.status === 'cosigned') log.info(fields, 'witness cosigned the checkpoint');
    else log.warn(fields, `witness ${o.status}: ${o.reason ?? ''}`);
  }
}

/**
 * Every `intervalMs`, asks the witnesses again (only those without a cosignature on the latest
 * checkpoint are contacted). Logs a witness whose status changed. The timer does not keep the
 * process alive; the returned function stops it and waits for a pass in flight.
 */
export function startWitnessCatchUp(db: Db, log: JobLogger, intervalMs = WITNESS_CATCH_UP_MS): () => Promise<void> {
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    askWitnesses(db).then(
      (outcomes) => logChanges(log, outcomes),
      (error: unknown) => !stopped && log.warn({ err: error }, 'asking the witnesses failed'),
    );
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await witnessesBeingAsked(db)?.catch(() => undefined);
  };
}
