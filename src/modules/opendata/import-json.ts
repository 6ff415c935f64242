import { createHash } from 'node:crypto';
import { PostgresAdapter, sql } from 'kysely';
import type { Db, Trx } from '../../db/database.js';
import { UsageError } from '../../lib/usage-error.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { rebuildSearchIndex } from '../search/index.js';
import { canonicalJson, KEY_ADOPTED, KEY_ENTITY, originFor, processSigningKey, verifyTransparencyLog } from '../transparency/index.js';
import { anyDb, ENTITIES, toStoredValue } from './entities.js';
import { OPEN_DATA_FORMAT } from './export-json.js';
import { tlog, type LogCheckpoint, type LogEntry, type LogKey } from './log.js';

interface OpenDocument {
  format: string;
  scope: { kind: string; slug?: string };
  data: Record<string, Record<string, unknown>[]>;
  log: { format: string; treeSize: number; keys: LogKey[]; checkpoints: LogCheckpoint[]; entries: LogEntry[] };
}

export interface ImportResult {
  rows: number;
  entries: number;
}

/** Checks a parsed document is an instance download this version reads; a UsageError says what is wrong. */
export function checkDocument(doc: unknown): OpenDocument {
  const d = doc as Partial<OpenDocument> | null;
  if (!d || typeof d !== 'object' || typeof d.format !== 'string' || !d.format.startsWith('besa-open-data/')) throw new UsageError('not a Besa open-data download (its "format" should be besa-open-data/1)');
  if (d.format !== OPEN_DATA_FORMAT) throw new UsageError(`this Besa reads ${OPEN_DATA_FORMAT}, not ${d.format}`);
  if (d.scope?.kind !== 'instance') throw new UsageError("only the instance's download (all.json, or besa export without --jurisdiction) can be imported: a jurisdiction's holds the whole log, whose entries name other jurisdictions' items");
  if (!d.data || typeof d.data !== 'object' || !d.log || !Array.isArray(d.log.entries) || !Array.isArray(d.log.checkpoints) || !Array.isArray(d.log.keys)) throw new UsageError('the download has no "data" or no "log"');
  for (const spec of ENTITIES) if (!Array.isArray(d.data[spec.name])) throw new UsageError(`the download has no "${spec.name}" list`);
  return d as OpenDocument;
}

/** The perfect subtrees above the leaves (level ≥ 1) that transparency_nodes stores, for inclusion and consistency proofs. */
export function subtreeNodes(leafHashesHex: readonly string[]): { level: number; node_index: number; hash: string }[] {
  const out: { level: number; node_index: number; hash: string }[] = [];
  const stack: { level: number; index: number; hash: Buffer }[] = [];
  leafHashesHex.forEach((hex, i) => {
    let node = { level: 0, index: i, hash: Buffer.from(hex, 'hex') };
    while (stack.length > 0 && stack[stack.length - 1]!.level === node.level) {
      const left = stack.pop()!;
      const hash = createHash('sha256').update(Buffer.from([1])).update(left.hash).update(node.hash).digest();
      node = { level: node.level + 1, index: left.index / 2, hash };
      out.push({ level: node.level, node_index: node.index, hash: hash.toString('hex') });
    }
    stack.push(node);
  });
  return out;
}

/** A checkpoint's note format: downloads made before it was published (ADR 0012) hold only format 1. */
function noteFormatOf(c: { noteFormat?: unknown; treeSize: number }): number {
  if (c.noteFormat === undefined || c.noteFormat === null) return 1;
  if (c.noteFormat !== 1 && c.noteFormat !== 2) throw new UsageError(`the checkpoint of size ${c.treeSize} has an unknown noteFormat`);
  return c.noteFormat;
}

async function insertChunked(trx: Trx, table: string, rows: Record<string, unknown>[], size = 200): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await anyDb(trx).insertInto(table).values(rows.slice(i, i + size)).execute();
}

/**
 * Restores an instance's open-data download into an empty database: every entity with its id, the
 * transparency log verbatim (entries, checkpoints, the public keys that signed them; the subtrees
 * recomputed), then, unless this instance's signing key is already the log's, an entry adopting
 * it (the old private half is not in the download; ADR 0010). The log is verified before the transaction commits; the search index
 * is rebuilt. Refuses a database that holds a jurisdiction or a log entry.
 */
export async function importOpenData(db: Db, doc: unknown): Promise<ImportResult> {
  const d = checkDocument(doc);
  const hasJurisdiction = await db.selectFrom('jurisdictions').select('id').limit(1).executeTakeFirst();
  const hasEntry = await tlog(db).selectFrom('transparency_entries').select('leaf_index').limit(1).executeTakeFirst();
  if (hasJurisdiction || hasEntry) throw new UsageError('the database is not empty: import json only loads into a database without jurisdictions and without a transparency log (run besa migrate on a new database first)');
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  return runCommand(db, SYSTEM, async (trx, audit) => {
    let rows = 0;
    for (const spec of ENTITIES) {
      const list = d.data[spec.name]!;
      const stored = list.map((row) => {
        const values: Record<string, unknown> = { ...spec.importDefaults };
        for (const column of spec.columns) values[column.name] = toStoredValue(column, row[column.name]);
        if (spec.importDerived) Object.assign(values, spec.importDerived(values));
        return values;
      });
      await insertChunked(trx, spec.table, stored);
      rows += stored.length;
      if (postgres && spec.serial && stored.length > 0) {
        await sql`select setval(pg_get_serial_sequence(${spec.table}, 'id'), (select max(id) from ${sql.table(spec.table)}))`.execute(trx);
      }
    }

    const t = tlog(trx);
    // A new database's key signed nothing yet: the download's keys take their ids.
    await t.deleteFrom('transparency_keys').execute();
    await insertChunked(
      trx,
      'transparency_keys',
      d.log.keys.map((k) => ({ id: k.id, public_key: k.publicKey, origin: k.origin, created_at: k.createdAt })),
    );
    await insertChunked(
      trx,
      'transparency_entries',
      d.log.entries.map((e) => {
        const leaf = JSON.parse(e.leaf) as { index: number; occurredAt: string; action: string; entityType: string; entityId: number | null; role: string; summary: unknown };
        return {
          leaf_index: e.index,
          occurred_at: leaf.occurredAt,
          action: leaf.action,
          entity_type: leaf.entityType,
          entity_id: leaf.entityId ?? null,
          role: leaf.role,
          summary: canonicalJson(leaf.summary ?? {}),
          leaf: e.leaf,
          leaf_hash: e.leafHash,
        };
      }),
      500,
    );
    await insertChunked(trx, 'transparency_nodes', subtreeNodes(d.log.entries.map((e) => e.leafHash)), 1000);
    await insertChunked(
      trx,
      'transparency_checkpoints',
      d.log.checkpoints.map((c) => ({ tree_size: c.treeSize, root_hash: c.rootHash, issued_at: c.issuedAt, key_id: c.keyId, signature: c.signature, note_format: noteFormatOf(c) })),
      500,
    );
    const check = await verifyTransparencyLog(trx);
    if (!check.ok) throw new UsageError(`the download's log does not verify: ${check.reason ?? 'unknown problem'}`);

    // This instance signs what it publishes next with its own key (the download carries no private
    // half). Unless it is the log's current key, the log says so in an entry of its own, signed by
    // that key: verifiers name the adoption, as the previous key could not vouch for it.
    const mine = processSigningKey().publicKey;
    const latest = [...d.log.keys].sort((a, b) => b.id - a.id)[0];
    if (latest?.publicKey !== mine) {
      const keyId = Math.max(0, ...d.log.keys.map((k) => k.id)) + 1;
      await audit.publish(KEY_ADOPTED, KEY_ENTITY, keyId, { keyId, publicKey: mine, origin: originFor(mine), previousKeyId: latest?.id ?? null });
    }

    await rebuildSearchIndex(trx);
    await audit.record('opendata.imported', 'instance', null, { rows, entries: d.log.entries.length });
    return { rows, entries: d.log.entries.length };
  });
}
