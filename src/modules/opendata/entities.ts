import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Executor } from '../../db/database.js';

/**
 * What the open-data download holds, table by table: the public columns of each, how each column
 * is written (`int`, `text`, `bool` 0/1 ↔ true/false, `tr` translatable JSON ↔ an object keyed by
 * locale, `list` JSON list ↔ an array), the key its rows are paged and ordered by, and which rows
 * belong to one jurisdiction. One list drives the JSON writer, the CSV writer, the importer and
 * the JSON Schema test, so a column added here is added everywhere.
 *
 * Never here: accounts, roles, sessions, e-mail addresses, tokens, the outbox, drafts (only
 * published progress updates and their items), the coordinator's comments, who wrote an update,
 * evidence files' bytes.
 */
export type ColumnKind = 'int' | 'text' | 'bool' | 'tr' | 'list';

export interface Column {
  name: string;
  kind: ColumnKind;
  nullable?: boolean;
}

export interface EntitySpec {
  /** The member of `data` in the JSON and the CSV file's name (`{name}.csv`). */
  name: string;
  table: string;
  columns: readonly Column[];
  /** Ordering and keyset paging: unique together. */
  key: readonly string[];
  /** The published rows only (progress updates: status published). */
  where?: (qb: AnyQuery) => AnyQuery;
  /** The rows of one jurisdiction. */
  inJurisdiction: (qb: AnyQuery, jurisdictionId: number) => AnyQuery;
  /** Serial id column whose sequence the importer moves on (PostgreSQL). */
  serial?: boolean;
  /** Columns not in the download that the importer must fill (required but no longer read). */
  importDefaults?: Readonly<Record<string, unknown>>;
  /** Required columns not in the download that the importer fills from the row's downloaded values. */
  importDerived?: (row: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

// The tables are named by string here (one generic reader for all): the typed schema is in db/schema.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyQuery = SelectQueryBuilder<any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

export const anyDb = (db: Executor): AnyDb => db as unknown as AnyDb;

const c = (name: string, kind: ColumnKind = 'text', nullable = false): Column => ({ name, kind, nullable });
const n = (name: string, kind: ColumnKind = 'text'): Column => c(name, kind, true);
const stamps = [c('created_at'), c('updated_at')];

const plansOf = (j: number) => sql`(select id from action_plans where jurisdiction_id = ${j})`;
const commitmentsOf = (j: number) => sql`(select c.id from commitments c join action_plans p on p.id = c.action_plan_id where p.jurisdiction_id = ${j})`;

export const ENTITIES: readonly EntitySpec[] = [
  {
    name: 'jurisdictions',
    table: 'jurisdictions',
    columns: [c('id', 'int'), c('slug'), c('name', 'tr'), c('kind'), c('country_code'), c('description', 'tr'), n('website'), c('time_zone'), ...stamps],
    key: ['id'],
    inJurisdiction: (qb, j) => qb.where('id', '=', j),
    serial: true,
  },
  {
    name: 'institutions',
    table: 'institutions',
    columns: [c('id', 'int'), c('jurisdiction_id', 'int'), c('slug'), c('name', 'tr'), c('kind'), c('description', 'tr'), n('website'), ...stamps],
    key: ['id'],
    inJurisdiction: (qb, j) => qb.where('jurisdiction_id', '=', j),
    serial: true,
  },
  {
    name: 'plans',
    table: 'action_plans',
    columns: [
      c('id', 'int'),
      c('jurisdiction_id', 'int'),
      c('slug'),
      c('title', 'tr'),
      c('starts_on'),
      c('ends_on'),
      n('submitted_on'),
      n('withdrawn_on'),
      n('assessed_on'),
      c('foreword', 'tr'),
      n('cocreation_groups', 'int'),
      n('cocreation_public_meetings', 'int'),
      c('cocreation_summary', 'tr'),
      c('is_demo', 'bool'),
      ...stamps,
    ],
    key: ['id'],
    inJurisdiction: (qb, j) => qb.where('jurisdiction_id', '=', j),
    serial: true,
    // The old hand-set status (migration 0011): a plan's status is derived from its dates and events.
    importDefaults: { status: 'derived' },
  },
  {
    name: 'plan_lead_institutions',
    table: 'action_plan_lead_institutions',
    columns: [c('action_plan_id', 'int'), c('institution_id', 'int'), c('position', 'int')],
    key: ['action_plan_id', 'institution_id'],
    inJurisdiction: (qb, j) => qb.where('action_plan_id', 'in', plansOf(j)),
  },
  {
    name: 'vision_sections',
    table: 'vision_sections',
    columns: [c('id', 'int'), c('action_plan_id', 'int'), c('position', 'int'), c('question', 'tr'), c('answer', 'tr')],
    key: ['id'],
    inJurisdiction: (qb, j) => qb.where('action_plan_id', 'in', plansOf(j)),
    serial: true,
  },
  {
    name: 'endorsements',
    table: 'endorsements',
    columns: [c('id', 'int'), c('action_plan_id', 'int'), c('position', 'int'), c('organization'), c('sector')],
    key: ['id'],
    inJurisdiction: (qb, j) => qb.where('action_plan_id', 'in', plansOf(j)),
    serial: true,
  },
  {
    name: 'commitments',
    table: 'commitments',
    columns: [
      c('id', 'int'),
      c('action_plan_id', 'int'),
      c('code'),
      c('position', 'int'),
      c('title', 'tr'),
      c('problem', 'tr'),
      c('status_quo', 'tr'),
      c('action', 'tr'),
      c('contribution', 'tr'),
      c('long_term_goal', 'tr'),
      c('ogp_values', 'list'),
      c('policy_areas', 'list'),
      c('starts_on'),
      c('ends_on'),
      ...stamps,
    ],
    key: ['id'],
    inJurisdiction: (qb, j) => qb.where('action_plan_id', 'in', plansOf(j)),
    serial: true,
  },
  {
    name: 'commitment_institutions',
    table: 'commitment_institutions',
    columns: [c('commitment_id', 'int'), c('institution_id', 'int'), c('role')],
    key: ['commitment_id', 'institution_id', 'role'],
    inJurisdiction: (qb, j) => qb.where('commitment_id', 'in', commitmentsOf(j)),
  },
  {
    name: 'milestones',
    table: 'milestones',
    columns: [
      c('id', 'int'),
      c('commitment_id', 'int'),
      c('code'),
      c('position', 'int'),
      c('title', 'tr'),
      c('expected_output', 'tr'),
      c('indicator', 'tr'),
      n('responsible_institution_id', 'int'),
      n('starts_on'),
      c('due_on'),
      c('status'),
      n('completed_on'),
      n('cancelled_on'),
      c('weight', 'int'),
      c('is_demo', 'bool'),
      ...stamps,
    ],
    key: ['id'],
    inJurisdiction: (qb, j) => qb.where('commitment_id', 'in', commitmentsOf(j)),
    serial: true,
  },
  {
    name: 'reporting_cycles',
    table: 'reporting_cycles',
    columns: [c('id', 'int'), c('action_plan_id', 'int'), c('number', 'int'), c('label', 'tr'), c('period_start'), c('period_end'), c('due_on'), c('status'), ...stamps],
    key: ['id'],
    inJurisdiction: (qb, j) => qb.where('action_plan_id', 'in', plansOf(j)),
    serial: true,
  },
  {
    name: 'progress_updates',
    table: 'progress_updates',
    // As the API shows an update: first submission and publication only. The drafting stamps
    // (submitted_at, created_at, updated_at) stay out: a submitted_at later than first_submitted_at
    // would tell that the update was returned, which nothing public says.
    columns: [c('id', 'int'), c('cycle_id', 'int'), c('commitment_id', 'int'), c('status'), c('summary', 'tr'), n('first_submitted_at'), n('published_at')],
    key: ['id'],
    importDerived: (row) => {
      const stamp = row.published_at ?? row.first_submitted_at;
      return { submitted_at: row.first_submitted_at ?? null, created_at: stamp, updated_at: stamp };
    },
    where: (qb) => qb.where('status', '=', 'published'),
    inJurisdiction: (qb, j) => qb.where('commitment_id', 'in', commitmentsOf(j)),
    serial: true,
  },
  {
    name: 'progress_update_items',
    table: 'progress_update_items',
    columns: [
      c('id', 'int'),
      c('update_id', 'int'),
      c('milestone_id', 'int'),
      c('status'),
      c('completion'),
      c('narrative', 'tr'),
      c('obstacles', 'list'),
      c('obstacle_note', 'tr'),
      c('evidence_links', 'list'),
    ],
    key: ['id'],
    where: (qb) => qb.where('update_id', 'in', sql`(select id from progress_updates where status = 'published')`),
    inJurisdiction: (qb, j) => qb.where('update_id', 'in', sql`(select id from progress_updates where commitment_id in ${commitmentsOf(j)})`),
    serial: true,
  },
];

/** The locales a translatable value is stored in (Serbian Cyrillic is derived from Serbian Latin). */
export const STORED_LOCALES = ['sq', 'sr-Latn', 'en', 'fr'] as const;

/** A database row as the download writes it: translatable and list columns parsed, booleans true/false. */
export function toOpenValue(column: Column, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  switch (column.kind) {
    case 'int':
      return Number(raw);
    case 'bool':
      return Number(raw) === 1;
    case 'tr':
    case 'list': {
      try {
        return JSON.parse(String(raw)) as unknown;
      } catch {
        return String(raw);
      }
    }
    default:
      return String(raw);
  }
}

/** The inverse of toOpenValue: a value of the download as the column stores it. */
export function toStoredValue(column: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case 'int':
      return Number(value);
    case 'bool':
      return value === true || value === 1 ? 1 : 0;
    case 'tr':
    case 'list':
      return typeof value === 'string' ? value : JSON.stringify(value);
    default:
      return String(value);
  }
}

/**
 * The rows of one entity, `pageSize` at a time, ordered by its key (keyset paging: each page
 * starts after the last key of the one before, so no page re-reads what came before).
 */
export async function* entityRows(db: Executor, spec: EntitySpec, jurisdictionId: number | undefined, pageSize = 500): AsyncGenerator<Record<string, unknown>[]> {
  const any = anyDb(db);
  let after: unknown[] | undefined;
  for (;;) {
    let qb: AnyQuery = any.selectFrom(spec.table).select(spec.columns.map((col) => col.name));
    if (spec.where) qb = spec.where(qb);
    if (jurisdictionId !== undefined) qb = spec.inJurisdiction(qb, jurisdictionId);
    if (after) {
      const last = after;
      qb = qb.where((eb) => {
        const ors = spec.key.map((k, i) => eb.and([...spec.key.slice(0, i).map((p, j) => eb(p, '=', last[j])), eb(k, '>', last[i])]));
        return eb.or(ors);
      });
    }
    for (const k of spec.key) qb = qb.orderBy(k);
    const rows = (await qb.limit(pageSize).execute()) as Record<string, unknown>[];
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    const lastRow = rows[rows.length - 1]!;
    after = spec.key.map((k) => lastRow[k]);
  }
}
