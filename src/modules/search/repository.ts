import { PostgresAdapter, sql, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Dialect } from '../../db/dialect.js';
import { stemWord } from './stem.js';

/**
 * All SQL of the search module. The only dialect-specific SQL of Besa's search lives here:
 * SQLite uses the FTS5 table `search_fts`, PostgreSQL the generated tsvector column `tsv`.
 */

export const SEARCH_KINDS = ['jurisdiction', 'institution', 'plan', 'commitment', 'milestone', 'update'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export function isSearchKind(value: unknown): value is SearchKind {
  return typeof value === 'string' && (SEARCH_KINDS as readonly string[]).includes(value);
}

export interface NewSearchDocument {
  doc_key: string;
  jurisdiction_id: number;
  kind: SearchKind;
  /** Translatable JSON. */
  title: string;
  /** Locale-less path, e.g. `/gjakova/plans/2024-2025`. */
  path: string;
  /** Folded text (see foldForSearch), words separated by single spaces. */
  body: string;
  /** 1 when the document is demonstration data (a demonstration plan or milestone), else 0. */
  is_demo: 0 | 1;
}

export interface SearchHit {
  id: number;
  kind: string;
  title: string;
  path: string;
  jurisdictionSlug: string;
  /** Raw jurisdiction name (translatable JSON or plain text). */
  jurisdictionName: string;
  /** The result is demonstration data: pages label it so. */
  isDemo: boolean;
}

export interface SearchResult {
  /** How many documents match, counted up to COUNT_CAP. */
  count: number;
  /** True when more than COUNT_CAP documents match (count is then COUNT_CAP). */
  moreThanCount: boolean;
  hits: SearchHit[];
}

/** Counting stops here: a one-letter search over thousands of commitments need not be counted exactly. */
export const COUNT_CAP = 1000;

export interface SearchFilters {
  /** Terms from searchTerms() or searchTermVariants(): letters and digits only. */
  terms: readonly (string | readonly string[])[];
  kind?: SearchKind | undefined;
  jurisdictionSlug?: string | undefined;
  limit?: number;
}

/** Which database the executor talks to, read from Kysely's adapter. */
export function dialectOf(db: Executor): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Rows per insert: 7 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 500;
/** Ids or keys per `in (…)` list. */
const LIST_CHUNK = 1000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The first key of the advisory locks on a jurisdiction's search documents (the second is its id). */
const SEARCH_LOCK = 0x5ea4c4;

/**
 * Makes concurrent refreshes of one jurisdiction's documents take turns, until the transaction
 * ends. Without it, on PostgreSQL (read committed) two commands refreshing at once each read the
 * documents and the content before the other committed: one then inserts a key the other has
 * just written (`search_documents_doc_key_key`), or deletes a document it never saw the content
 * of. Taken before anything is read, so every later statement sees the other command's committed
 * rows. SQLite runs one writing transaction at a time already.
 *
 * Lock order, which keeps this free of deadlocks: a command writes its own rows, then refreshes
 * (this lock) as its last step, then runCommand takes the content-version row; nothing locks a
 * content row after this lock. rebuildSearchIndex takes the jurisdictions in id order.
 */
export async function lockJurisdictionDocuments(db: Executor, jurisdictionId: number): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(${SEARCH_LOCK}::int, ${jurisdictionId}::int)`.execute(db);
}

/**
 * Replaces the search documents of one jurisdiction with `documents`. Call it inside the
 * command's transaction. Only what changed is written: documents that are gone or different are
 * deleted and the new versions inserted, in batches, so an edit to one commitment rewrites one
 * or two rows (and their full-text entries) instead of the jurisdiction's thousands.
 */
export async function replaceJurisdictionDocuments(db: Executor, jurisdictionId: number, documents: NewSearchDocument[]): Promise<void> {
  const existing = await db
    .selectFrom('search_documents')
    .select(['id', 'doc_key', 'kind', 'title', 'path', 'body', 'is_demo'])
    .where('jurisdiction_id', '=', jurisdictionId)
    .execute();
  const byKey = new Map(existing.map((row) => [row.doc_key, row]));
  const wanted = new Set<string>();
  const stale: number[] = [];
  const fresh: NewSearchDocument[] = [];
  for (const doc of documents) {
    if (wanted.has(doc.doc_key)) continue;
    wanted.add(doc.doc_key);
    const old = byKey.get(doc.doc_key);
    if (old && old.kind === doc.kind && old.title === doc.title && old.path === doc.path && old.body === doc.body && Number(old.is_demo) === doc.is_demo) {
      continue;
    }
    if (old) stale.push(old.id);
    fresh.push(doc);
  }
  for (const row of existing) if (!wanted.has(row.doc_key)) stale.push(row.id);

  for (const ids of chunks(stale, LIST_CHUNK)) {
    await db.deleteFrom('search_documents').where('id', 'in', ids).execute();
  }
  // A key held by another jurisdiction (an entity that moved) is taken over, never duplicated.
  for (const keys of chunks(fresh.filter((d) => !byKey.has(d.doc_key)).map((d) => d.doc_key), LIST_CHUNK)) {
    await db.deleteFrom('search_documents').where('doc_key', 'in', keys).execute();
  }
  // Written as an upsert on the key, so the write is idempotent: a key written meanwhile by a
  // refresh of another jurisdiction (an entity that moved) is taken over, never a unique violation.
  for (const rows of chunks(fresh, INSERT_CHUNK)) {
    await db
      .insertInto('search_documents')
      .values(rows)
      .onConflict((oc) =>
        oc.column('doc_key').doUpdateSet((eb) => ({
          jurisdiction_id: eb.ref('excluded.jurisdiction_id'),
          kind: eb.ref('excluded.kind'),
          title: eb.ref('excluded.title'),
          path: eb.ref('excluded.path'),
          body: eb.ref('excluded.body'),
          is_demo: eb.ref('excluded.is_demo'),
        })),
      )
      .execute();
  }
}

/** Removes the documents of jurisdictions that no longer exist (after a deletion). */
export async function deleteOrphanDocuments(db: Executor): Promise<void> {
  await db
    .deleteFrom('search_documents')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('jurisdictions').select('jurisdictions.id').whereRef('jurisdictions.id', '=', 'search_documents.jurisdiction_id'))),
    )
    .execute();
}

export async function listJurisdictionIds(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('jurisdictions').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

export interface JurisdictionOption {
  slug: string;
  name: string;
}

export async function listJurisdictionOptions(db: Executor): Promise<JurisdictionOption[]> {
  return db.selectFrom('jurisdictions').select(['slug', 'name']).orderBy('slug').execute();
}

/**
 * The query text for the full-text engine, built only from sanitized terms (letters and digits).
 * Every term must match: as written (the last one as a prefix), or by its stem as a prefix (see
 * stemWord: `gjakoves` matches `gjakova`), or by one of its other spellings (a code typed in
 * Cyrillic). A term is a folded word, or the list of spellings one typed word stands for.
 */
export function matchExpression(dialect: Dialect, terms: readonly (string | readonly string[])[]): string {
  const groups = terms
    .map((term) => (typeof term === 'string' ? [term] : term).map((t) => t.replace(/[^\p{L}\p{N}]/gu, '')).filter((t) => t.length > 0))
    .filter((group) => group.length > 0);
  return groups
    .map((group, i) => {
      const last = i === groups.length - 1;
      const patterns = new Map<string, boolean>();
      for (const spelling of group) {
        const stem = stemWord(spelling);
        if (stem !== spelling) patterns.set(stem, true);
        else patterns.set(spelling, last || patterns.get(spelling) === true);
      }
      const parts = [...patterns].map(([text, prefix]) =>
        dialect === 'postgres' ? (prefix ? `${text}:*` : text) : prefix ? `"${text}"*` : `"${text}"`,
      );
      if (parts.length === 1) return parts[0]!;
      return dialect === 'postgres' ? `(${parts.join(' | ')})` : `(${parts.join(' OR ')})`;
    })
    .join(dialect === 'postgres' ? ' & ' : ' ');
}

/**
 * Broader entities rank first when the text matches about as well: a milestone (or a progress
 * update) is shown on its commitment's page, and a short milestone would otherwise outrank its own
 * commitment for the commitment's code. (bm25 is better when lower, ts_rank when higher: both
 * scale the same way.)
 */
const KIND_WEIGHT = sql`(case d.kind when 'milestone' then 1 when 'update' then 1 when 'jurisdiction' then 4 else 3 end)`;

/** Full-text search over the documents: at most `limit` hits, best first, with the total count. */
export async function searchDocuments(db: Executor, filters: SearchFilters): Promise<SearchResult> {
  const dialect = dialectOf(db);
  const expression = matchExpression(dialect, filters.terms);
  if (!expression) return { count: 0, moreThanCount: false, hits: [] };
  const limit = Math.max(1, Math.min(filters.limit ?? 50, 200));

  const kindFilter = filters.kind ? sql`and d.kind = ${filters.kind}` : sql``;
  const jurisdictionFilter = filters.jurisdictionSlug ? sql`and j.slug = ${filters.jurisdictionSlug}` : sql``;

  if (dialect === 'postgres') {
    const where = sql<SqlBool>`d.tsv @@ to_tsquery('simple', ${expression}) ${kindFilter} ${jurisdictionFilter}`;
    const counted = await sql<{ count: number | string }>`
      select count(*) as count from (
        select 1 from search_documents d join jurisdictions j on j.id = d.jurisdiction_id
        where ${where} limit ${COUNT_CAP + 1}) matched`.execute(db);
    const { count, moreThanCount } = capped(counted.rows[0]?.count);
    if (count === 0) return { count, moreThanCount, hits: [] };
    const rows = await sql<HitRow>`
      select d.id, d.kind, d.title, d.path, d.is_demo as "isDemo", j.slug as "jurisdictionSlug", j.name as "jurisdictionName"
      from search_documents d join jurisdictions j on j.id = d.jurisdiction_id
      where ${where}
      order by ts_rank(d.tsv, to_tsquery('simple', ${expression})) * ${KIND_WEIGHT} desc, d.id
      limit ${limit}`.execute(db);
    return { count, moreThanCount, hits: rows.rows.map(toHit) };
  }

  const where = sql<SqlBool>`search_fts match ${expression} ${kindFilter} ${jurisdictionFilter}`;
  const counted = await sql<{ count: number }>`
    select count(*) as count from (
      select 1 from search_fts join search_documents d on d.id = search_fts.rowid join jurisdictions j on j.id = d.jurisdiction_id
      where ${where} limit ${COUNT_CAP + 1}) matched`.execute(db);
  const { count, moreThanCount } = capped(counted.rows[0]?.count);
  if (count === 0) return { count, moreThanCount, hits: [] };
  const rows = await sql<HitRow>`
    select d.id, d.kind, d.title, d.path, d.is_demo as "isDemo", j.slug as "jurisdictionSlug", j.name as "jurisdictionName"
    from search_fts join search_documents d on d.id = search_fts.rowid join jurisdictions j on j.id = d.jurisdiction_id
    where ${where}
    order by bm25(search_fts) * ${KIND_WEIGHT}, d.id
    limit ${limit}`.execute(db);
  return { count, moreThanCount, hits: rows.rows.map(toHit) };
}

type HitRow = Omit<SearchHit, 'isDemo'> & { isDemo: number | string };

function toHit(row: HitRow): SearchHit {
  return { ...row, isDemo: Number(row.isDemo) === 1 };
}

function capped(raw: number | string | undefined): { count: number; moreThanCount: boolean } {
  const total = Number(raw ?? 0);
  return total > COUNT_CAP ? { count: COUNT_CAP, moreThanCount: true } : { count: total, moreThanCount: false };
}

/* ------------------------------------------------------------------------------------------
 * Reading the content of one jurisdiction for the indexer: a fixed handful of queries,
 * however many institutions, commitments and milestones it has.
 * ---------------------------------------------------------------------------------------- */

export interface JurisdictionContent {
  jurisdiction: { id: number; slug: string; name: string; description: string; website: string | null };
  institutions: { id: number; slug: string; name: string; description: string }[];
  plans: { id: number; slug: string; title: string; foreword: string; cocreation_summary: string; is_demo: number }[];
  visionSections: { action_plan_id: number; question: string; answer: string }[];
  endorsements: { action_plan_id: number; organization: string }[];
  commitments: {
    id: number;
    action_plan_id: number;
    code: string;
    title: string;
    problem: string;
    status_quo: string;
    action: string;
    contribution: string;
    long_term_goal: string;
    policy_areas: string;
  }[];
  commitmentInstitutions: { commitment_id: number; name: string }[];
  milestones: {
    id: number;
    commitment_id: number;
    code: string;
    title: string;
    expected_output: string;
    indicator: string;
    responsible_name: string | null;
    is_demo: number;
  }[];
  /** Published progress updates only (never drafts, submitted or returned ones), with their cycle. */
  updates: { id: number; commitment_id: number; summary: string; cycle_number: number; cycle_label: string }[];
  /** The milestone items of the published updates. */
  updateItems: { id: number; update_id: number; milestone_id: number; narrative: string; obstacles: string; obstacle_note: string }[];
}

/**
 * The columns of the reporting tables (migration 0006) the indexer reads. The reporting module
 * owns these tables; search reads published updates only, never writes them.
 */
type ReportingTablesRead = {
  reporting_cycles: { id: number; number: number; label: string };
  progress_updates: { id: number; cycle_id: number; commitment_id: number; status: string; summary: string };
  progress_update_items: { id: number; update_id: number; milestone_id: number; narrative: string; obstacles: string; obstacle_note: string };
}

const PUBLISHED = 'published';

export async function loadJurisdictionContent(db: Executor, jurisdictionId: number): Promise<JurisdictionContent | undefined> {
  const jurisdiction = await db
    .selectFrom('jurisdictions')
    .select(['id', 'slug', 'name', 'description', 'website'])
    .where('id', '=', jurisdictionId)
    .executeTakeFirst();
  if (!jurisdiction) return undefined;

  const institutions = await db
    .selectFrom('institutions')
    .select(['id', 'slug', 'name', 'description'])
    .where('jurisdiction_id', '=', jurisdictionId)
    .orderBy('id')
    .execute();

  const plans = await db
    .selectFrom('action_plans')
    .select(['id', 'slug', 'title', 'foreword', 'cocreation_summary', 'is_demo'])
    .where('jurisdiction_id', '=', jurisdictionId)
    .orderBy('id')
    .execute();

  const visionSections = await db
    .selectFrom('vision_sections as v')
    .innerJoin('action_plans as p', 'p.id', 'v.action_plan_id')
    .select(['v.action_plan_id', 'v.question', 'v.answer'])
    .where('p.jurisdiction_id', '=', jurisdictionId)
    .orderBy('v.action_plan_id')
    .orderBy('v.position')
    .execute();

  const endorsements = await db
    .selectFrom('endorsements as e')
    .innerJoin('action_plans as p', 'p.id', 'e.action_plan_id')
    .select(['e.action_plan_id', 'e.organization'])
    .where('p.jurisdiction_id', '=', jurisdictionId)
    .orderBy('e.action_plan_id')
    .orderBy('e.position')
    .execute();

  const commitments = await db
    .selectFrom('commitments as c')
    .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
    .select([
      'c.id',
      'c.action_plan_id',
      'c.code',
      'c.title',
      'c.problem',
      'c.status_quo',
      'c.action',
      'c.contribution',
      'c.long_term_goal',
      'c.policy_areas',
    ])
    .where('p.jurisdiction_id', '=', jurisdictionId)
    .orderBy('c.action_plan_id')
    .orderBy('c.position')
    .execute();

  const commitmentInstitutions = await db
    .selectFrom('commitment_institutions as ci')
    .innerJoin('commitments as c', 'c.id', 'ci.commitment_id')
    .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
    .innerJoin('institutions as i', 'i.id', 'ci.institution_id')
    .select(['ci.commitment_id', 'i.name'])
    .where('p.jurisdiction_id', '=', jurisdictionId)
    .execute();

  const milestones = await db
    .selectFrom('milestones as m')
    .innerJoin('commitments as c', 'c.id', 'm.commitment_id')
    .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
    .leftJoin('institutions as i', 'i.id', 'm.responsible_institution_id')
    .select(['m.id', 'm.commitment_id', 'm.code', 'm.title', 'm.expected_output', 'm.indicator', 'i.name as responsible_name', 'm.is_demo'])
    .where('p.jurisdiction_id', '=', jurisdictionId)
    .orderBy('m.commitment_id')
    .orderBy('m.position')
    .execute();

  const reporting = db.withTables<ReportingTablesRead>();
  const updates = await reporting
    .selectFrom('progress_updates as u')
    .innerJoin('reporting_cycles as rc', 'rc.id', 'u.cycle_id')
    .innerJoin('commitments as c', 'c.id', 'u.commitment_id')
    .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
    .select(['u.id', 'u.commitment_id', 'u.summary', 'rc.number as cycle_number', 'rc.label as cycle_label'])
    .where('p.jurisdiction_id', '=', jurisdictionId)
    .where('u.status', '=', PUBLISHED)
    .orderBy('u.id')
    .execute();

  const updateItems = await reporting
    .selectFrom('progress_update_items as pi')
    .innerJoin('progress_updates as u', 'u.id', 'pi.update_id')
    .innerJoin('commitments as c', 'c.id', 'u.commitment_id')
    .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
    .select(['pi.id', 'pi.update_id', 'pi.milestone_id', 'pi.narrative', 'pi.obstacles', 'pi.obstacle_note'])
    .where('p.jurisdiction_id', '=', jurisdictionId)
    .where('u.status', '=', PUBLISHED)
    .orderBy('pi.update_id')
    .orderBy('pi.id')
    .execute();

  return { jurisdiction, institutions, plans, visionSections, endorsements, commitments, commitmentInstitutions, milestones, updates, updateItems };
}
