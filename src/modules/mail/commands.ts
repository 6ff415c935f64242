import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../plugins/errors.js';
import { ForbiddenError, runCommand, type Actor } from '../audit/index.js';
import { outboxAccess } from './policy.js';
import { isOutboxMessageInScope, requeueFailedMessage, WHOLE_OUTBOX } from './repository.js';

/**
 * Sends a failed message again (from the first attempt). Only messages in the actor's part of the
 * outbox: any other id is as missing as one that never was (NotFoundError). Returns false when the
 * message is not failed (already retried, or sent).
 */
export async function retryFailedMail(db: Db, actor: Actor, id: number, now = new Date()): Promise<boolean> {
  return runCommand(db, actor, async (trx, audit) => {
    const access = actor.system ? { scope: WHOLE_OUTBOX } : await outboxAccess(trx, actor);
    if (!access) throw new ForbiddenError();
    if (!(await isOutboxMessageInScope(trx, id, access.scope))) throw new NotFoundError();
    const done = await requeueFailedMessage(trx, id, access.scope, now);
    if (done) await audit.record('mail.retry', 'mail_outbox', id);
    return done;
  });
}
