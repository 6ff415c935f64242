import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

/** All SQL of the mail outbox. Instants are ISO-8601 UTC text, compared as text. */

/**
 * Which messages an administrator may see and retry: the whole outbox (an instance-wide
 * administrator), or the messages to the people of some jurisdictions (their administrator).
 */
export type OutboxScope = { all: true } | { jurisdictionIds: readonly number[] };

export const WHOLE_OUTBOX: OutboxScope = { all: true };

/**
 * The one definition of a scope, as a condition on `mail_outbox`: the message goes to a person who
 * holds a role in one of the jurisdictions (instance-wide roles do not count, as on the people
 * page), or to an address invited to one of them (pending, used or expired invitations alike).
 * Accounts store addresses trimmed and lower-cased and the outbox stores them trimmed, so both
 * sides are compared lower-cased. No jurisdictions: no messages.
 */
export function inOutboxScope(scope: OutboxScope) {
  return (eb: ExpressionBuilder<Database, 'mail_outbox'>): Expression<SqlBool> => {
    if ('all' in scope) return eb.and([]);
    const ids = [...new Set(scope.jurisdictionIds)];
    if (ids.length === 0) return eb.or([]);
    const to = eb.fn<string>('lower', ['mail_outbox.to_address']);
    return eb.or([
      eb(
        to,
        'in',
        eb
          .selectFrom('users')
          .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
          .select((s) => s.fn<string>('lower', ['users.email']).as('address'))
          .where('user_roles.jurisdiction_id', 'in', ids),
      ),
      eb(
        to,
        'in',
        eb
          .selectFrom('invitations')
          .select((s) => s.fn<string>('lower', ['invitations.email']).as('address'))
          .where('invitations.jurisdiction_id', 'in', ids),
      ),
    ]);
  };
}

export type OutboxStatus = 'queued' | 'sent' | 'failed';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['queued', 'failed', 'sent'];

export interface NewOutboxMessage {
  to: string;
  subject: string;
  text: string;
  html: string | null;
  /** Extra headers (List-Unsubscribe …), already checked by validateMail; null: none. */
  headers?: Record<string, string> | null;
}

/** The outbox seen with its `headers` column (migration 0024: a JSON object, or null). */
function odb(db: Executor) {
  return db.withTables<{ mail_outbox: { headers: string | null } }>();
}

function parseHeaders(json: string | null | undefined): Record<string, string> | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    const out: Record<string, string> = {};
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === 'string') out[name] = v;
    return Object.keys(out).length ? out : null;
  } catch {
    return null;
  }
}

export interface DueMessage {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string> | null;
  attempts: number;
}

export interface OutboxListItem {
  id: number;
  createdAt: string;
  to: string;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
}

export async function insertOutboxMessage(db: Executor, mail: NewOutboxMessage, now: Date): Promise<number> {
  const row = await odb(db)
    .insertInto('mail_outbox')
    .values({
      headers: mail.headers && Object.keys(mail.headers).length ? JSON.stringify(mail.headers) : null,
      created_at: now.toISOString(),
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      status: 'queued',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      last_error: null,
      sent_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Queued messages whose next attempt is due, oldest first. */
export async function findDueMessages(db: Executor, now: Date, limit: number): Promise<DueMessage[]> {
  const rows = await odb(db)
    .selectFrom('mail_outbox')
    .select(['id', 'to_address', 'subject', 'text_body', 'html_body', 'headers', 'attempts'])
    .where('status', '=', 'queued')
    .where('next_attempt_at', '<=', now.toISOString())
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, to: r.to_address, subject: r.subject, text: r.text_body, html: r.html_body, headers: parseHeaders(r.headers), attempts: r.attempts }));
}

/**
 * Claims a message for one delivery attempt: counts the attempt and pushes the next attempt
 * past `leaseUntil`, but only if nobody else counted one since we read it (`attempts = seen`).
 * Exactly one of several concurrent workers gets `true`; a worker that dies mid-send leaves the
 * message to be tried again once the lease ends.
 */
export async function claimMessage(db: Executor, id: number, seenAttempts: number, now: Date, leaseUntil: Date): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set({ attempts: seenAttempts + 1, next_attempt_at: leaseUntil.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .where('attempts', '=', seenAttempts)
    .where('next_attempt_at', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks a claimed message sent and empties its bodies and headers (they may hold one-time links). */
export async function markSent(db: Executor, id: number, attempts: number, now: Date): Promise<void> {
  await odb(db)
    .updateTable('mail_outbox')
    .set({ status: 'sent', sent_at: now.toISOString(), last_error: null, text_body: '', html_body: null, headers: null })
    .where('id', '=', id)
    .where('attempts', '=', attempts)
    .where('status', '=', 'queued')
    .execute();
}

/** After a failed attempt: try again at `nextAttemptAt`, or give up (`failed`) when it is null. */
export async function markAttemptFailed(db: Executor, id: number, attempts: number, error: string, nextAttemptAt: Date | null): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set(nextAttemptAt ? { last_error: error, next_attempt_at: nextAttemptAt.toISOString() } : { last_error: error, status: 'failed' })
    .where('id', '=', id)
    .where('attempts', '=', attempts)
    .where('status', '=', 'queued')
    .execute();
}

/** Whether a message exists within the scope (outside it, it is treated as missing). */
export async function isOutboxMessageInScope(db: Executor, id: number, scope: OutboxScope): Promise<boolean> {
  const row = await db.selectFrom('mail_outbox').select('id').where('id', '=', id).where(inOutboxScope(scope)).executeTakeFirst();
  return row !== undefined;
}

/** Puts a failed message within the scope back in the queue, due now, with a fresh series of attempts. */
export async function requeueFailedMessage(db: Executor, id: number, scope: OutboxScope, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set({ status: 'queued', attempts: 0, next_attempt_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .where(inOutboxScope(scope))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countByStatus(db: Executor, scope: OutboxScope): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where(inOutboxScope(scope))
    .groupBy('status')
    .execute();
  const counts: Record<OutboxStatus, number> = { queued: 0, sent: 0, failed: 0 };
  for (const r of rows) if (r.status in counts) counts[r.status as OutboxStatus] = Number(r.n);
  return counts;
}

/** The newest messages of the scope first, optionally of one status, older than `beforeId` (paging). */
export async function listOutbox(db: Executor, options: { scope: OutboxScope; status?: OutboxStatus; beforeId?: number; limit: number }): Promise<OutboxListItem[]> {
  let query = db
    .selectFrom('mail_outbox')
    .select(['id', 'created_at', 'to_address', 'subject', 'status', 'attempts', 'next_attempt_at', 'last_error', 'sent_at'])
    .where(inOutboxScope(options.scope))
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.status) query = query.where('status', '=', options.status);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    to: r.to_address,
    subject: r.subject,
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    sentAt: r.sent_at,
  }));
}

/** Deletes sent messages sent before `before`; returns how many. */
export async function deleteSentBefore(db: Executor, before: Date): Promise<number> {
  const result = await db.deleteFrom('mail_outbox').where('status', '=', 'sent').where('sent_at', '<', before.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes every message (queued, failed or sent) to these addresses, compared trimmed and
 * lower-cased as the scope is; returns how many. For the erasure of an address: a queued message
 * is then never sent, a sent one no longer keeps the address until SENT_RETENTION_DAYS.
 */
export async function deleteMailTo(db: Executor, addresses: readonly string[]): Promise<number> {
  const wanted = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];
  let deleted = 0;
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    const result = await db
      .deleteFrom('mail_outbox')
      .where((eb) => eb(eb.fn<string>('lower', [eb.fn<string>('trim', ['mail_outbox.to_address'])]), 'in', chunk))
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
