import { defineModule } from '../manifest.js';
import type { Db, Trx } from '../../db/database.js';
import { bumpContentVersion, contentVersionCommitted } from '../../db/content-version.js';
// The transparency module's own files, not its index: the index registers admin routes whose
// commands run through runCommand here, which would make an import circle.
import { appendToTransparencyLog } from '../transparency/commands.js';
import type { PublishedChange } from '../transparency/repository.js';
import { checkpointCommitted } from '../transparency/witnesses/trigger.js';

/** One role a person holds: on one jurisdiction (null: all of them), for commitment holders on one institution. */
export interface RoleGrant {
  role: string;
  jurisdictionId: number | null;
  institutionId: number | null;
}

/**
 * Who is acting: a signed-in person with their roles, or the system (CLI, seeds, scheduled jobs).
 * Commands check the roles themselves through `authorize` and the policy functions the routes and
 * views use; the system may do everything.
 */
export interface Actor {
  userId: number | null;
  /** A short label for logs and history, never personal data: `system`, `administrator`, `coordinator`. */
  role: string;
  roles: readonly RoleGrant[];
  system?: true;
}

export const SYSTEM: Actor = { userId: null, role: 'system', roles: [], system: true };

/** The acting person may not do this: a 403 page (routes check first, so users rarely see it). */
export class ForbiddenError extends Error {
  readonly statusCode = 403;
  constructor() {
    super('Not allowed');
  }
}

/**
 * Throws ForbiddenError unless the system acts or `allowed` (a policy function applied to the actor's
 * roles) says yes. Every command calls it before changing anything.
 */
export function authorize(actor: Actor, allowed: (user: { roles: readonly RoleGrant[] }) => boolean): void {
  if (actor.system) return;
  if (!allowed(actor)) throw new ForbiddenError();
}

export interface AuditRecorder {
  /** Records an audit event (internal: may hold ids and private details; never published). */
  record(action: string, entityType: string, entityId: number | null, data?: Record<string, unknown>): Promise<void>;
  /**
   * Records the audit event AND publishes the change in the transparency log. `summary` is
   * published for ever: only public facts (field names, new public values), never personal data.
   * The log entries and one signed checkpoint are written when the command ends, in its transaction.
   */
  publish(action: string, entityType: string, entityId: number | null, summary?: Record<string, unknown>): Promise<void>;
  /**
   * Says that this command changed nothing a public page shows (an unconfirmed contribution, a
   * subscription request): the content version, and with it every cached public page, is left as it
   * is. Without it every command empties the page cache, so a stream of such requests would keep the
   * public pages uncached. Ignored when the command also publishes.
   */
  nothingPublic(): void;
}

/**
 * Runs one change: opens the transaction, hands the command an audit recorder bound to it,
 * bumps the content version so cached pages are invalidated exactly when it commits (unless the
 * command said `nothingPublic()`), and appends
 * what the command published to the transparency log (after the bump: its row lock serializes
 * appends across processes).
 */
export async function runCommand<T>(db: Db, actor: Actor, work: (trx: Trx, audit: AuditRecorder) => Promise<T>): Promise<T> {
  let bumped: number | undefined;
  let checkpointed = false;
  const result = await db.transaction().execute(async (trx) => {
    const published: PublishedChange[] = [];
    let changesPublicPages = true;
    const audit: AuditRecorder = {
      nothingPublic() {
        changesPublicPages = false;
      },
      async publish(action, entityType, entityId, summary = {}) {
        await audit.record(action, entityType, entityId, summary);
        published.push({ occurredAt: new Date().toISOString(), action, entityType, entityId, role: actor.role, summary: structuredClone(summary) });
      },
      async record(action, entityType, entityId, data = {}) {
        await trx
          .insertInto('audit_events')
          .values({
            occurred_at: new Date().toISOString(),
            actor_user_id: actor.userId,
            action,
            entity_type: entityType,
            entity_id: entityId,
            data: JSON.stringify({ role: actor.role, ...data }),
          })
          .execute();
      },
    };
    const result = await work(trx, audit);
    if (changesPublicPages || published.length > 0) bumped = await bumpContentVersion(trx);
    checkpointed = (await appendToTransparencyLog(trx, published)) !== undefined;
    return result;
  });
  // Committed: this process's caches know it now, before the answer goes out (ADR 11).
  if (bumped !== undefined) contentVersionCommitted(db, bumped);
  // A new checkpoint: the witnesses are asked in the background (the answer does not wait).
  if (checkpointed) checkpointCommitted(db);
  return result;
}

export async function listAuditEvents(db: Db, entityType: string, entityId: number) {
  return db
    .selectFrom('audit_events')
    .select(['id', 'occurred_at', 'action', 'data'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('id', 'desc')
    .execute();
}

/** Commands, the audit trail and authorization: no pages, no messages of its own. */
export const manifest = defineModule({ name: 'audit' });
