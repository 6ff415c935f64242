import { sql } from 'kysely';
import type { Executor, Trx } from '../../db/database.js';
import type { AuditRecorder } from '../audit/index.js';
import { publicChanges } from '../transparency/index.js';
import type { ImportReport, RecordKind } from './report.js';

/**
 * The writes both imports share: external identifiers, and records created or updated with their
 * change published in the transparency log entry by entry (the log's state check compares every
 * public record with what the log published last, so an import publishes exactly like the admin
 * forms do). A record whose values are all the same is left alone and publishes nothing.
 */

export type Source = 'ogp' | 'decidim';

export interface ExternalRef {
  entityType: string;
  entityId: number;
  data: Record<string, unknown>;
}

/** Every external identifier of a source whose key starts with `prefix`, by key. */
export async function loadExternalIds(db: Executor, source: Source, prefix = ''): Promise<Map<string, ExternalRef>> {
  let query = db.selectFrom('external_ids').select(['external_key', 'entity_type', 'entity_id', 'data']).where('source', '=', source);
  // LIKE with the prefix's own `\\`, `%` and `_` escaped; SQLite has no default escape character,
  // so the ESCAPE clause is spelled out (PostgreSQL's default is the same backslash).
  if (prefix) query = query.where(sql<boolean>`external_key like ${`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`);
  const rows = await query.execute();
  const map = new Map<string, ExternalRef>();
  for (const r of rows) {
    let data: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(r.data) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
    } catch {
      // a damaged data cell is read as empty
    }
    map.set(r.external_key, { entityType: r.entity_type, entityId: Number(r.entity_id), data });
  }
  return map;
}

/** Records (or moves) an external identifier; `data` replaces what was kept. */
export async function saveExternalId(trx: Trx, source: Source, key: string, ref: ExternalRef, origin: string, known: Map<string, ExternalRef>): Promise<void> {
  const before = known.get(key);
  const data = JSON.stringify(ref.data);
  const now = new Date().toISOString();
  if (!before) {
    await trx.insertInto('external_ids').values({ source, external_key: key, entity_type: ref.entityType, entity_id: ref.entityId, data, origin, updated_at: now }).execute();
  } else if (before.entityId !== ref.entityId || before.entityType !== ref.entityType || JSON.stringify(before.data) !== data) {
    await trx.updateTable('external_ids').set({ entity_type: ref.entityType, entity_id: ref.entityId, data, origin, updated_at: now }).where('source', '=', source).where('external_key', '=', key).execute();
  }
  known.set(key, ref);
}

type Table = 'jurisdictions' | 'institutions' | 'action_plans' | 'commitments' | 'milestones';

export interface Upserted {
  id: number;
  outcome: 'created' | 'updated' | 'unchanged';
}

/**
 * Creates a record, or updates the one given by id when a value differs. `values` are the public
 * columns (published as they are, JSON text parsed); `derived` values that are not columns but are
 * published with the record (a plan's lead institutions, a commitment's institutions) and compared
 * with `derivedBefore`; `insertOnly` columns are written on creation and never compared.
 */
export async function upsertRecord(
  trx: Trx,
  audit: AuditRecorder,
  report: ImportReport,
  kind: RecordKind,
  table: Table,
  entityType: string,
  existingId: number | undefined,
  values: Record<string, string | number | null>,
  options: { derived?: Record<string, unknown>; derivedBefore?: Record<string, unknown>; insertOnly?: Record<string, string | number | null>; summary?: Record<string, unknown> } = {},
): Promise<Upserted> {
  const now = new Date().toISOString();
  if (existingId !== undefined) {
    const current = (await trx.selectFrom(table).selectAll().where('id', '=', existingId).executeTakeFirst()) as Record<string, unknown> | undefined;
    if (current) {
      const changes = publicChanges({ ...current, ...options.derivedBefore }, { ...values, ...options.derived });
      if (changes.changed.length === 0) {
        report.unchanged[kind]++;
        return { id: existingId, outcome: 'unchanged' };
      }
      await trx
        .updateTable(table)
        .set({ ...values, updated_at: now } as never)
        .where('id', '=', existingId)
        .execute();
      await audit.publish(`${entityType}.updated`, entityType, existingId, { ...options.summary, ...changes });
      report.updated[kind]++;
      return { id: existingId, outcome: 'updated' };
    }
  }
  const row = await trx
    .insertInto(table)
    .values({ ...values, ...options.insertOnly, created_at: now, updated_at: now } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number((row as { id: number }).id);
  await audit.publish(`${entityType}.created`, entityType, id, { ...options.summary, ...publicChanges(undefined, { ...values, ...options.derived }) });
  report.created[kind]++;
  return { id, outcome: 'created' };
}
