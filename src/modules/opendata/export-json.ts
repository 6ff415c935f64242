import type { Executor } from '../../db/database.js';
import { ENTITIES, entityRows, STORED_LOCALES, toOpenValue, type EntitySpec } from './entities.js';
import { checkpointPages, entryPages, LOG_FORMAT, logHead } from './log.js';
import { writeChunk, type Progress } from './sink.js';

/** The download's format and version: a reader refuses a major version it does not know. */
export const OPEN_DATA_FORMAT = 'besa-open-data/1';
export const SCHEMA_PATH = '/open-data/schema/v1.json';

/** The instance, or one jurisdiction (by id and slug). */
export type ExportScope = { kind: 'instance' } | { kind: 'jurisdiction'; id: number; slug: string };

export interface ExportOptions {
  scope: ExportScope;
  publicUrl: string;
  /** The generation time written in the download (the only part two exports of the same data differ in). */
  now?: Date;
  onProgress?: Progress;
}

/** Finds a jurisdiction's scope by slug, or undefined. */
export async function jurisdictionScope(db: Executor, slug: string): Promise<ExportScope | undefined> {
  const row = await db.selectFrom('jurisdictions').select(['id', 'slug']).where('slug', '=', slug).executeTakeFirst();
  return row ? { kind: 'jurisdiction', id: Number(row.id), slug: row.slug } : undefined;
}

export function jurisdictionIdOf(scope: ExportScope): number | undefined {
  return scope.kind === 'jurisdiction' ? scope.id : undefined;
}

/** How many rows the download will have (for the progress bar): the entities' rows plus the log's entries. */
export async function countRows(db: Executor, scope: ExportScope): Promise<number> {
  let total = 0;
  for (const spec of ENTITIES) total += await countEntity(db, spec, jurisdictionIdOf(scope));
  total += (await logHead(db)).treeSize;
  return total;
}

async function countEntity(db: Executor, spec: EntitySpec, jurisdictionId: number | undefined): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let qb: any = (db as any).selectFrom(spec.table).select((eb: any) => eb.fn.countAll().as('n'));
  if (spec.where) qb = spec.where(qb);
  if (jurisdictionId !== undefined) qb = spec.inJurisdiction(qb, jurisdictionId);
  const row = (await qb.executeTakeFirst()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** One row of an entity as the download writes it. */
export function openRow(spec: EntitySpec, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of spec.columns) out[column.name] = toOpenValue(column, row[column.name]);
  return out;
}

/**
 * Writes the `besa-open-data/1` JSON document to `out`, incrementally: each entity 500 rows at a
 * time (keyset pages), the log 1,000 entries at a time, each chunk written with backpressure.
 * Memory holds one page, whatever the size of the instance.
 */
export async function writeJsonExport(db: Executor, out: NodeJS.WritableStream, options: ExportOptions): Promise<{ rows: number }> {
  const now = (options.now ?? new Date()).toISOString();
  const jurisdictionId = jurisdictionIdOf(options.scope);
  const total = options.onProgress ? await countRows(db, options.scope) : 0;
  let done = 0;
  const tick = (n: number) => {
    done += n;
    options.onProgress?.(done, total);
  };
  const head = await logHead(db);
  const scope = options.scope.kind === 'instance' ? { kind: 'instance' } : { kind: 'jurisdiction', slug: options.scope.slug };
  await writeChunk(
    out,
    `{"format":${JSON.stringify(OPEN_DATA_FORMAT)},"schema":${JSON.stringify(options.publicUrl.replace(/\/$/, '') + SCHEMA_PATH)},"generatedAt":${JSON.stringify(now)},"publicUrl":${JSON.stringify(options.publicUrl)},"scope":${JSON.stringify(scope)},"locales":${JSON.stringify(STORED_LOCALES)},\n"data":{`,
  );
  let firstEntity = true;
  for (const spec of ENTITIES) {
    await writeChunk(out, `${firstEntity ? '' : ','}\n${JSON.stringify(spec.name)}:[`);
    firstEntity = false;
    let first = true;
    for await (const page of entityRows(db, spec, jurisdictionId)) {
      await writeChunk(out, (first ? '\n' : ',\n') + page.map((row) => JSON.stringify(openRow(spec, row))).join(',\n'));
      first = false;
      tick(page.length);
    }
    await writeChunk(out, ']');
  }
  await writeChunk(out, `},\n"log":{"format":${JSON.stringify(LOG_FORMAT)},"treeSize":${head.treeSize},"keys":${JSON.stringify(head.keys)},"checkpoints":[`);
  let first = true;
  for await (const page of checkpointPages(db, head.treeSize, head.keys)) {
    await writeChunk(out, (first ? '\n' : ',\n') + page.map((c) => JSON.stringify(c)).join(',\n'));
    first = false;
  }
  await writeChunk(out, '],"entries":[');
  first = true;
  for await (const page of entryPages(db, head.treeSize)) {
    await writeChunk(out, (first ? '\n' : ',\n') + page.map((e) => JSON.stringify(e)).join(',\n'));
    first = false;
    tick(page.length);
  }
  await writeChunk(out, ']}}\n');
  return { rows: done };
}
