import type { Executor } from '../../db/database.js';
import { parseTranslatable } from '../../lib/translatable.js';
import { canonicalJson } from './repository.js';
import { normalizePublished } from './summary.js';
import { tdb } from './tables.js';
import { yieldToEventLoop } from './verify.js';

/**
 * The state check: does the public content in the database equal what the log says was published
 * last? The log's entries are replayed, oldest first: each entry's `summary.values` holds the
 * fields it changed with their new values, so the last value seen for a field is its last
 * published value. Every entity the log names is then read from the database and each field the
 * log ever gave a value is compared. Fields the log never recorded are not compared (see
 * README.md, "State check").
 */

/** Entity types compared, in the order they are checked (the first difference is named). */
export const STATE_ENTITY_TYPES = ['jurisdiction', 'institution', 'action_plan', 'commitment', 'milestone', 'progress_update'] as const;
export type StateEntityType = (typeof STATE_ENTITY_TYPES)[number];

export interface StateDifference {
  entityType: StateEntityType;
  entityId: number;
  /** The entity's code or slug as the database has it (as the log has it when removed). */
  code?: string | undefined;
  /**
   * `changed`: a field differs from its last published value; `removed`: the log published the
   * entity and the database no longer holds it (or a published update is no longer published);
   * `unpublished`: the database serves an entity the log never published.
   */
  kind: 'changed' | 'removed' | 'unpublished';
  /** The field that differs (a stored field name), for `changed`. */
  field?: string | undefined;
}

export interface StateResult {
  ok: boolean;
  /** Entities compared (present both in the log and in the database). */
  entitiesChecked: number;
  /** Field values compared. */
  fieldsChecked: number;
  /** Log entries replayed. */
  entriesReplayed: number;
  difference?: StateDifference;
}

/** A field whose last published value is not known exactly (a date set by a published progress update). */
const UNKNOWN = Symbol('unknown');
type Published = Map<string, unknown>;

/** Log entity types, as stored, to the tables holding them. */
const TABLES = {
  jurisdiction: 'jurisdictions',
  institution: 'institutions',
  action_plan: 'action_plans',
  commitment: 'commitments',
  milestone: 'milestones',
} as const;
type LoggedTable = keyof typeof TABLES;

/** Fields published in summaries that are not columns: how to read them from the database. */
const DERIVED_FIELDS: Partial<Record<LoggedTable, readonly string[]>> = {
  action_plan: ['lead_institution_ids', 'endorsements', 'vision_sections'],
  commitment: ['institutions'],
};

/**
 * Columns that are no longer read and were rewritten by a migration, so older log entries hold
 * values the database no longer keeps: not compared. A plan's hand-set `status` became 'derived'
 * (migration 0011): its status now follows its dates and events.
 */
const RETIRED_FIELDS: Partial<Record<LoggedTable, readonly string[]>> = {
  action_plan: ['status'],
};

/** Tables of other modules read here, typed only as far as the check needs them. */
type ReadTables = {
  jurisdictions: { id: number; slug: string };
  institutions: { id: number; jurisdiction_id: number; slug: string };
  action_plans: { id: number; jurisdiction_id: number; slug: string };
  commitments: { id: number; action_plan_id: number; code: string };
  milestones: { id: number; commitment_id: number; code: string };
  action_plan_lead_institutions: { action_plan_id: number; institution_id: number; position: number };
  endorsements: { action_plan_id: number; position: number; organization: string; sector: string };
  vision_sections: { id: number; action_plan_id: number; position: number; question: string; answer: string };
  commitment_institutions: { commitment_id: number; institution_id: number; role: string };
  progress_updates: { id: number; commitment_id: number; status: string };
  progress_update_items: { id: number; update_id: number; milestone_id: number; status: string; completion: string };
};

const PAGE = 500;

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function same(published: unknown, current: unknown): boolean {
  // Most values are plain text, numbers or empty: compared as they are, without serializing.
  if ((published === null || typeof published !== 'object') && !(typeof current === 'string' && /^[[{]/.test(current))) {
    return published === (current ?? null);
  }
  return canonicalJson(published) === canonicalJson(normalizePublished(current));
}

/** What the log says was published last, per entity, and which progress updates it published. */
interface Replay {
  entities: Record<LoggedTable, Map<number, Published>>;
  /** Progress update id → the commitment and the items' (status, completion) as published. */
  updates: Map<number, { commitmentId: number; items: string[] }>;
  /** The log recorded `besa generate` (synthetic data inserted in bulk, not entry by entry). */
  generated: boolean;
  entries: number;
}

async function replayLog(db: Executor): Promise<Replay> {
  const t = tdb(db);
  const entities: Replay['entities'] = { jurisdiction: new Map(), institution: new Map(), action_plan: new Map(), commitment: new Map(), milestone: new Map() };
  const updates: Replay['updates'] = new Map();
  let generated = false;
  let next = 0;
  for (;;) {
    const rows = await t
      .selectFrom('transparency_entries')
      .select(['leaf_index', 'action', 'entity_type', 'entity_id', 'summary'])
      .where('leaf_index', '>=', next)
      .orderBy('leaf_index')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      next = Number(row.leaf_index) + 1;
      if (row.action === 'seed.generate') generated = true;
      if (row.entity_id === null || !(row.entity_type in TABLES)) continue;
      const id = Number(row.entity_id);
      let summary: unknown;
      try {
        summary = JSON.parse(row.summary);
      } catch {
        continue; // verifyTransparencyLog reports a broken entry; nothing to replay here
      }
      if (!isObject(summary)) continue;
      const byId = entities[row.entity_type as LoggedTable];
      const published = byId.get(id) ?? new Map<string, unknown>();
      byId.set(id, published);
      if (isObject(summary.values)) {
        for (const [field, value] of Object.entries(summary.values)) published.set(field, value);
      }
      if (row.action === 'milestone.status_changed' && typeof summary.status === 'string') {
        // A published progress update sets the status; the completion or cancellation date is
        // the update's submission day, which the entry does not record: only its presence is known.
        published.set('status', summary.status);
        if (typeof summary.code === 'string') published.set('code', summary.code);
        published.set('completed_on', summary.status === 'completed' ? UNKNOWN : null);
        published.set('cancelled_on', summary.status === 'cancelled' ? UNKNOWN : null);
      }
      if (row.action === 'progress_update.published' && row.entity_type === 'commitment' && typeof summary.progressUpdate === 'number') {
        const items = Array.isArray(summary.milestones) ? summary.milestones.filter(isObject).map((m) => canonicalJson({ status: m.status, completion: m.completion })) : [];
        updates.set(summary.progressUpdate, { commitmentId: id, items: items.sort() });
      }
    }
    if (rows.length < PAGE) break;
    await yieldToEventLoop();
  }
  return { entities, updates, generated, entries: next };
}

/** Every row of a table, in id order, page by page. */
async function* rowsOf(db: Executor, table: (typeof TABLES)[LoggedTable]): AsyncGenerator<Record<string, unknown>> {
  const r = db.withTables<ReadTables>();
  let after = 0;
  for (;;) {
    const rows = (await r.selectFrom(table).selectAll().where('id', '>', after).orderBy('id').limit(PAGE).execute()) as Array<Record<string, unknown>>;
    for (const row of rows) yield row;
    if (rows.length < PAGE) return;
    await yieldToEventLoop();
    after = Number(rows.at(-1)!.id);
  }
}

/** The published-only parts of plans and commitments (lead institutions, endorsements, vision, institution roles), as the commands publish them. */
async function derivedValues(db: Executor): Promise<{ plans: Map<number, Record<string, unknown>>; commitments: Map<number, string[]> }> {
  const r = db.withTables<ReadTables>();
  const plans = new Map<number, Record<string, unknown>>();
  const plan = (id: number) => {
    let value = plans.get(id);
    if (!value) plans.set(id, (value = { lead_institution_ids: [], endorsements: [], vision_sections: [] }));
    return value as { lead_institution_ids: number[]; endorsements: unknown[]; vision_sections: unknown[] };
  };
  for (const l of await r.selectFrom('action_plan_lead_institutions').selectAll().orderBy('action_plan_id').orderBy('position').execute()) {
    plan(Number(l.action_plan_id)).lead_institution_ids.push(Number(l.institution_id));
  }
  await yieldToEventLoop();
  for (const e of await r.selectFrom('endorsements').selectAll().orderBy('action_plan_id').orderBy('position').execute()) {
    plan(Number(e.action_plan_id)).endorsements.push({ organization: e.organization, sector: e.sector });
  }
  await yieldToEventLoop();
  for (const v of await r.selectFrom('vision_sections').selectAll().orderBy('action_plan_id').orderBy('position').orderBy('id').execute()) {
    plan(Number(v.action_plan_id)).vision_sections.push({ question: parseTranslatable(v.question), answer: parseTranslatable(v.answer) });
  }
  await yieldToEventLoop();
  const commitments = new Map<number, string[]>();
  for (const c of await r.selectFrom('commitment_institutions').selectAll().execute()) {
    const id = Number(c.commitment_id);
    commitments.set(id, [...(commitments.get(id) ?? []), `${c.role}:${Number(c.institution_id)}`]);
  }
  for (const list of commitments.values()) list.sort();
  return { plans, commitments };
}

function codeOf(row: Record<string, unknown>): string | undefined {
  const code = row.code ?? row.slug;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Compares the database with the log's last published values. Stops at the first difference, in
 * the order jurisdictions, institutions, plans, commitments, milestones, progress updates, each by id.
 * Synthetic data from `besa generate` (recorded in the log as one `seed.generate` entry, not entity
 * by entity) is not compared: rows of jurisdictions whose slug starts with `synthetic-`.
 */
export async function checkPublishedState(db: Executor): Promise<StateResult> {
  const replay = await replayLog(db);
  const derived = await derivedValues(db);
  let entitiesChecked = 0;
  let fieldsChecked = 0;
  const result = (difference?: StateDifference): StateResult => ({
    ok: !difference,
    entitiesChecked,
    fieldsChecked,
    entriesReplayed: replay.entries,
    ...(difference ? { difference } : {}),
  });

  // Rows of synthetic jurisdictions, when the log says `besa generate` added them.
  const synthetic = { jurisdiction: new Set<number>(), institution: new Set<number>(), action_plan: new Set<number>(), commitment: new Set<number>(), milestone: new Set<number>() };
  const parentOf: Record<LoggedTable, string | undefined> = {
    jurisdiction: undefined,
    institution: 'jurisdiction_id',
    action_plan: 'jurisdiction_id',
    commitment: 'action_plan_id',
    milestone: 'commitment_id',
  };
  const parentType: Record<LoggedTable, LoggedTable | undefined> = {
    jurisdiction: undefined,
    institution: 'jurisdiction',
    action_plan: 'jurisdiction',
    commitment: 'action_plan',
    milestone: 'commitment',
  };

  for (const entityType of Object.keys(TABLES) as LoggedTable[]) {
    const published = replay.entities[entityType];
    const seen = new Set<number>();
    for await (const row of rowsOf(db, TABLES[entityType])) {
      const id = Number(row.id);
      seen.add(id);
      const parentColumn = parentOf[entityType];
      const parent = parentType[entityType];
      if (
        replay.generated &&
        ((entityType === 'jurisdiction' && typeof row.slug === 'string' && row.slug.startsWith('synthetic-')) ||
          (parentColumn && parent && synthetic[parent].has(Number(row[parentColumn]))))
      ) {
        synthetic[entityType].add(id);
        if (!published.has(id)) continue;
      }
      const fields = published.get(id);
      if (!fields) return result({ entityType, entityId: id, code: codeOf(row), kind: 'unpublished' });
      entitiesChecked += 1;
      const extra: Record<string, unknown> =
        entityType === 'action_plan' ? (derived.plans.get(id) ?? { lead_institution_ids: [], endorsements: [], vision_sections: [] }) : entityType === 'commitment' ? { institutions: derived.commitments.get(id) ?? [] } : {};
      for (const [field, value] of fields) {
        if (RETIRED_FIELDS[entityType]?.includes(field)) continue;
        if (value === UNKNOWN) {
          fieldsChecked += 1;
          if (row[field] === null || row[field] === undefined || row[field] === '') return result({ entityType, entityId: id, code: codeOf(row), kind: 'changed', field });
          continue;
        }
        const current = field in row ? row[field] : DERIVED_FIELDS[entityType]?.includes(field) ? extra[field] : undefined;
        if (current === undefined) continue; // a published value that is not a column (e.g. a removed field): not compared
        fieldsChecked += 1;
        if (!same(value, current)) return result({ entityType, entityId: id, code: codeOf(row), kind: 'changed', field });
      }
    }
    for (const [id, fields] of published) {
      if (seen.has(id)) continue;
      // Entries without values (e.g. `seed.demo` names a plan) do not make an entity on their own.
      if (fields.size === 0) continue;
      const code = fields.get('code') ?? fields.get('slug');
      return result({ entityType, entityId: id, code: typeof code === 'string' ? code : undefined, kind: 'removed' });
    }
  }

  await yieldToEventLoop();
  // Published progress updates: each one the log published is still published, with the same
  // milestone statuses and completion, and none is published that the log does not record.
  const r = db.withTables<ReadTables>();
  const updates = await r.selectFrom('progress_updates').select(['id', 'commitment_id', 'status']).orderBy('id').execute();
  const items = new Map<number, string[]>();
  for (const item of await r.selectFrom('progress_update_items').innerJoin('progress_updates', 'progress_updates.id', 'progress_update_items.update_id').select(['progress_update_items.update_id', 'progress_update_items.status', 'progress_update_items.completion']).where('progress_updates.status', '=', 'published').execute()) {
    const id = Number(item.update_id);
    items.set(id, [...(items.get(id) ?? []), canonicalJson({ status: item.status, completion: item.completion })]);
  }
  const stored = new Map(updates.map((u) => [Number(u.id), u]));
  for (const [id, logged] of [...replay.updates].sort((a, b) => a[0] - b[0])) {
    const update = stored.get(id);
    if (!update || update.status !== 'published' || Number(update.commitment_id) !== logged.commitmentId) return result({ entityType: 'progress_update', entityId: id, kind: 'removed' });
    entitiesChecked += 1;
    fieldsChecked += 1;
    if (canonicalJson((items.get(id) ?? []).sort()) !== canonicalJson(logged.items)) return result({ entityType: 'progress_update', entityId: id, kind: 'changed', field: 'milestones' });
  }
  for (const update of updates) {
    if (update.status === 'published' && !replay.updates.has(Number(update.id))) return result({ entityType: 'progress_update', entityId: Number(update.id), kind: 'unpublished' });
  }
  return result();
}

/** One line for the command line and the server log, e.g. `commitment 12 (XKGJA0001): field title differs from its last published value`. */
export function describeDifference(d: StateDifference): string {
  const name = `${d.entityType} ${d.entityId}${d.code ? ` (${d.code})` : ''}`;
  if (d.kind === 'removed') return `${name} was published in the log but is no longer in the database`;
  if (d.kind === 'unpublished') return `${name} is in the database but the log never published it`;
  return `${name}: field ${d.field ?? '?'} differs from its last published value`;
}
