import { PostgresAdapter, sql, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Dialect } from '../../db/dialect.js';
import { stemWord } from './stem.js';

/**
 * All SQL of the search module. The only dialect-specific SQL of Besa's search lives here:
 * SQLite uses the FTS5 table `search_fts`, PostgreSQL the generated tsvector column `tsv`.
 */

export interface NewSearchDocument {
  doc_key: string;
  jurisdiction_id: number;
  /** One of the `search.kinds` of the module that built it (ModuleManifest.search). */
  kind: string;
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
  kind?: string | undefined;
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
  for (const rows of chunks(fresh, INSERT_CHUNK)) await upsertDocuments(db, rows);
}

/** Writes documents as an upsert on their key (a key held by another jurisdiction is taken over). */
export async function upsertDocuments(db: Executor, rows: NewSearchDocument[]): Promise<void> {
  if (rows.length === 0) return;
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
