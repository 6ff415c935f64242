import { sql } from 'kysely';
import { precompiled, type Executor, type Trx } from '../../db/database.js';
import { ensureSigningKey, isKeyChange, KEY_ADOPTED, KEY_ROTATED, listPublicKeys, NOTE_FORMAT_C2SP, signCheckpointNote, signingKeyFor, type KeyChangeSummary, type PublicKeyInfo, type SigningKey } from './keys.js';
import {
  appendToCompactRange,
  compactRangeNodes,
  consistencyProofRanges,
  foldRight,
  hashLeaf,
  inclusionProofRanges,
  rangeNodes,
  type Hash,
  type NodeRef,
  type Range,
} from './merkle.js';
import { tdb } from './tables.js';

/** A change a command publishes: what happened to which entity, and a summary of public values only. */
export interface PublishedChange {
  occurredAt: string;
  action: string;
  entityType: string;
  entityId: number | null;
  /** A role label (`administrator`, `system`), never a person. */
  role: string;
  summary: Record<string, unknown>;
}

export const LEAF_FORMAT = 1;

/** JSON with object keys sorted and no whitespace: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The leaf that is hashed for entry `index`: the entry's own position is part of it. */
export function leafText(index: number, change: PublishedChange): string {
  return canonicalJson({
    v: LEAF_FORMAT,
    index,
    occurredAt: change.occurredAt,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    role: change.role,
    summary: change.summary,
  });
}

export interface Checkpoint {
  treeSize: number;
  /** Hex. */
  rootHash: string;
  issuedAt: string;
  keyId: number;
  /** Base64 of the 64-byte Ed25519 signature over the text of its note format (keys.ts signedCheckpointText). */
  signature: string;
  /** 1: `besa-checkpoint/v1` (signed before migration 0030); 2: C2SP tlog-checkpoint signed note (ADR 0012). */
  noteFormat: number;
}

export interface Entry {
  index: number;
  occurredAt: string;
  action: string;
  entityType: string;
  entityId: number | null;
  role: string;
  summary: Record<string, unknown>;
  leaf: string;
  /** Hex. */
  leafHash: string;
}

type CheckpointRow = { tree_size: number; root_hash: string; issued_at: string; key_id: number; signature: string; note_format: number };
type EntryRow = {
  leaf_index: number;
  occurred_at: string;
  action: string;
  entity_type: string;
  entity_id: number | null;
  role: string;
  summary: string;
  leaf: string;
  leaf_hash: string;
};

function toCheckpoint(r: CheckpointRow): Checkpoint {
  return { treeSize: Number(r.tree_size), rootHash: r.root_hash, issuedAt: r.issued_at, keyId: Number(r.key_id), signature: r.signature, noteFormat: Number(r.note_format) };
}

function parseSummary(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function toEntry(r: EntryRow): Entry {
  return {
    index: Number(r.leaf_index),
    occurredAt: r.occurred_at,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id === null ? null : Number(r.entity_id),
    role: r.role,
    summary: parseSummary(r.summary),
    leaf: r.leaf,
    leafHash: r.leaf_hash,
  };
}

/* ---------- Stored subtrees ---------- */

/** Hashes of perfect subtrees: leaves from the entries, larger subtrees from transparency_nodes. */
export async function loadNodes(executor: Executor, refs: readonly NodeRef[]): Promise<Map<string, Hash>> {
  const t = tdb(executor);
  const out = new Map<string, Hash>();
  const leafIndexes = [...new Set(refs.filter((r) => r.level === 0).map((r) => r.index))];
  const inner = refs.filter((r) => r.level > 0);
  const leafQuery = (indexes: number[]) =>
    t
      .selectFrom('transparency_entries')
      .select([sql<number>`0`.as('level'), 'leaf_index as node_index', 'leaf_hash as hash'])
      .where('leaf_index', 'in', indexes);
  const innerQuery = (chunk: NodeRef[]) =>
    t
      .selectFrom('transparency_nodes')
      .select(['level', 'node_index', 'hash'])
      .where((eb) => eb.or(chunk.map((r) => eb.and([eb('level', '=', r.level), eb('node_index', '=', r.index)]))));
  const rows: Array<{ level: number; node_index: number; hash: string }> = [];
  if (leafIndexes.length > 0 && inner.length > 0 && leafIndexes.length + inner.length <= 200) {
    // The usual case (an append's right edge, a proof): one round trip.
    rows.push(...(await leafQuery(leafIndexes).unionAll(innerQuery(inner)).execute()));
  } else {
    for (let i = 0; i < leafIndexes.length; i += 500) rows.push(...(await leafQuery(leafIndexes.slice(i, i + 500)).execute()));
    for (let i = 0; i < inner.length; i += 200) rows.push(...(await innerQuery(inner.slice(i, i + 200)).execute()));
  }
  for (const r of rows) out.set(`${Number(r.level)}/${Number(r.node_index)}`, Buffer.from(r.hash, 'hex'));
  for (const r of refs) {
    if (!out.has(`${r.level}/${r.index}`)) throw new Error(`transparency log: stored subtree ${r.level}/${r.index} is missing`);
  }
  return out;
}

/** MTH of each range, from stored subtrees, with one round of queries. */
export async function rangeHashes(executor: Executor, ranges: readonly Range[]): Promise<Hash[]> {
  const perRange = ranges.map((r) => rangeNodes(r.start, r.end));
  const nodes = await loadNodes(executor, perRange.flat());
  return perRange.map((refs) => foldRight(refs.map((r) => nodes.get(`${r.level}/${r.index}`)!)));
}

/* ---------- Appending ---------- */

/** Number of entries in the log (the next leaf index). */
export async function logSize(executor: Executor): Promise<number> {
  const row = await tdb(executor)
    .selectFrom('transparency_entries')
    .select((eb) => eb.fn.max('leaf_index').as('last'))
    .executeTakeFirst();
  const last = row?.last;
  return last === null || last === undefined ? 0 : Number(last) + 1;
}

async function insertChunked<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Appends changes to the log and issues one signed checkpoint for the new tree. Must run inside
 * the command's transaction *after* it has bumped the content version: that row lock serializes
 * writers (on PostgreSQL the next index is then read from committed data; SQLite has one writer),
 * so leaf indexes stay contiguous. Cost: O(log n) reads for the right edge, O(k) hashing for k changes.
 */
export async function appendChanges(trx: Trx, changes: readonly PublishedChange[]): Promise<Checkpoint | undefined> {
  if (changes.length === 0) return undefined;
  const t = tdb(trx);
  const keyChange = keyChangeOf(changes);
  // The signing key and the log size in one round trip (the first key is registered on first need).
  const head = await t
    .selectFrom('transparency_keys')
    .select((eb) => ['id', 'origin', 'public_key', eb.selectFrom('transparency_entries').select((e) => e.fn.max('leaf_index').as('m')).as('last')])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  let key: SigningKey;
  if (keyChange?.action === KEY_ADOPTED) {
    // This instance takes the log over without the previous key: its own key signs the entry that says so.
    await t.insertInto('transparency_keys').values(keyRow(keyChange.summary)).execute();
    key = signingKeyFor({ id: keyChange.summary.keyId, origin: keyChange.summary.origin, public_key: keyChange.summary.publicKey });
  } else {
    key = head ? signingKeyFor({ id: Number(head.id), origin: head.origin, public_key: head.public_key }) : await ensureSigningKey(trx);
  }
  const size = head ? (head.last === null || head.last === undefined ? 0 : Number(head.last) + 1) : await logSize(trx);
  const edgeRefs = compactRangeNodes(size);
  const edgeNodes = await loadNodes(trx, edgeRefs);
  const edge = edgeRefs.map((r) => edgeNodes.get(`${r.level}/${r.index}`)!);

  const rows: EntryRow[] = changes.map((change, i) => {
    const index = size + i;
    const leaf = leafText(index, change);
    return {
      leaf_index: index,
      occurred_at: change.occurredAt,
      action: change.action,
      entity_type: change.entityType,
      entity_id: change.entityId,
      role: change.role,
      summary: canonicalJson(change.summary),
      leaf,
      leaf_hash: hashLeaf(leaf).toString('hex'),
    };
  });
  const appended = appendToCompactRange(
    size,
    edge,
    rows.map((r) => Buffer.from(r.leaf_hash, 'hex')),
  );
  await insertChunked(rows, 500, (chunk) => t.insertInto('transparency_entries').values(chunk).execute());
  await insertChunked(
    appended.completed.map((c) => ({ level: c.level, node_index: c.index, hash: c.hash.toString('hex') })),
    1000,
    (chunk) => t.insertInto('transparency_nodes').values(chunk).execute(),
  );

  const root = foldRight(appended.range);
  const issuedAt = new Date().toISOString();
  const checkpoint: CheckpointRow = {
    tree_size: appended.size,
    root_hash: root.toString('hex'),
    issued_at: issuedAt,
    key_id: key.id,
    // A C2SP checkpoint (origin, size, root) signed under the key's origin; issued_at is kept beside it, unsigned.
    signature: signCheckpointNote(key, appended.size, root),
    note_format: NOTE_FORMAT_C2SP,
  };
  await t.insertInto('transparency_checkpoints').values(checkpoint).execute();
  // A rotation: the previous key signed the entry naming the new one; the new key signs from now on.
  if (keyChange?.action === KEY_ROTATED) await t.insertInto('transparency_keys').values(keyRow(keyChange.summary)).execute();
  return toCheckpoint(checkpoint);
}

function keyRow(s: KeyChangeSummary) {
  return { id: s.keyId, public_key: s.publicKey, origin: s.origin, created_at: new Date().toISOString() };
}

/** The key change among the changes, if any: it must be published alone (its checkpoint is what the previous key signs). */
function keyChangeOf(changes: readonly PublishedChange[]): { action: string; summary: KeyChangeSummary } | undefined {
  const found = changes.filter((c) => isKeyChange(c.action));
  if (found.length === 0) return undefined;
  if (changes.length !== 1) throw new Error('transparency log: a signing key change is published alone, in a command of its own');
  const change = found[0]!;
  return { action: change.action, summary: change.summary as unknown as KeyChangeSummary };
}

/* ---------- Reads ---------- */

export async function latestCheckpoint(executor: Executor): Promise<Checkpoint | undefined> {
  const row = await tdb(executor).selectFrom('transparency_checkpoints').selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
  return row ? toCheckpoint(row) : undefined;
}

export async function findCheckpoint(executor: Executor, treeSize: number): Promise<Checkpoint | undefined> {
  const row = await tdb(executor).selectFrom('transparency_checkpoints').selectAll().where('tree_size', '=', treeSize).executeTakeFirst();
  return row ? toCheckpoint(row) : undefined;
}

/** Checkpoints, newest first, those with tree size below `before` when given. */
export async function listCheckpoints(executor: Executor, options: { limit: number; before?: number | undefined }): Promise<Checkpoint[]> {
  let query = tdb(executor).selectFrom('transparency_checkpoints').selectAll().orderBy('tree_size', 'desc').limit(options.limit);
  if (options.before !== undefined) query = query.where('tree_size', '<', options.before);
  return (await query.execute()).map(toCheckpoint);
}

/** Every checkpoint up to a tree size, oldest first. */
export async function allCheckpoints(executor: Executor, upTo?: number): Promise<Checkpoint[]> {
  let query = tdb(executor).selectFrom('transparency_checkpoints').selectAll().orderBy('tree_size');
  if (upTo !== undefined) query = query.where('tree_size', '<=', upTo);
  return (await query.execute()).map(toCheckpoint);
}

/** Entries [start, end), in order. */
export async function listEntries(executor: Executor, start: number, end: number): Promise<Entry[]> {
  if (end <= start) return [];
  const rows = await tdb(executor)
    .selectFrom('transparency_entries')
    .selectAll()
    .where('leaf_index', '>=', start)
    .where('leaf_index', '<', end)
    .orderBy('leaf_index')
    .execute();
  return rows.map(toEntry);
}

export async function findEntry(executor: Executor, index: number): Promise<Entry | undefined> {
  const row = await tdb(executor).selectFrom('transparency_entries').selectAll().where('leaf_index', '=', index).executeTakeFirst();
  return row ? toEntry(row) : undefined;
}

/** The published changes of one entity, newest first. */
export async function entityHistory(executor: Executor, entityType: string, entityId: number, limit = 500): Promise<Entry[]> {
  const rows = await tdb(executor)
    .selectFrom('transparency_entries')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('leaf_index', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toEntry);
}

/** The key of an entity in the set entitiesWithHistory answers. */
export function historyKey(entityType: string, entityId: number): string {
  return `${entityType}:${entityId}`;
}

/**
 * Which of the given entities (ids per entity type) have at least one published change, so a
 * page links to a history only where /history/{kind}/{id} has something to show (it answers 404
 * otherwise). One query on the entity index for a page's handful of ids; keys are historyKey().
 */
export async function entitiesWithHistory(executor: Executor, entities: Readonly<Record<string, readonly number[]>>): Promise<Set<string>> {
  const found = new Set<string>();
  const wanted = Object.entries(entities).flatMap(([entityType, ids]) => [...new Set(ids)].map((id) => [entityType, id] as const));
  // Chunks keep the parameter count far below both databases' limits on a page with many items.
  for (let i = 0; i < wanted.length; i += 500) {
    const byType = new Map<string, number[]>();
    for (const [entityType, id] of wanted.slice(i, i + 500)) byType.set(entityType, [...(byType.get(entityType) ?? []), id]);
    const rows = await entitiesWithHistoryQuery(executor, [...byType.keys()], [...byType.values()]);
    for (const r of rows) if (r.entity_id !== null) found.add(historyKey(r.entity_type, Number(r.entity_id)));
  }
  return found;
}

/**
 * Compiled once per count of ids per type: public pages ask it on every request. One SELECT
 * DISTINCT per type, joined by UNION ALL: each reads the entity index in order, where one DISTINCT
 * over an OR of the types needs a temporary table on SQLite, which cost ten times the query itself.
 */
const entitiesWithHistoryQuery = precompiled((executor: Executor, entityTypes: string[], ids: number[][]) => {
  const ofType = (t: number) =>
    tdb(executor)
      .selectFrom('transparency_entries')
      .select(['entity_type', 'entity_id'])
      .distinct()
      .where('entity_type', '=', entityTypes[t]!)
      .where('entity_id', 'in', ids[t]!);
  let query = ofType(0);
  for (let t = 1; t < entityTypes.length; t++) query = query.unionAll(ofType(t));
  return query;
});

export { listPublicKeys, type PublicKeyInfo };

/* ---------- Proofs ---------- */

export interface InclusionProof {
  index: number;
  treeSize: number;
  leafHash: string;
  /** Hex hashes, leaf end first (RFC 9162 §2.1.3.1). */
  path: string[];
  rootHash: string;
}

export interface ConsistencyProof {
  first: number;
  second: number;
  firstRootHash: string;
  secondRootHash: string;
  /** Hex hashes (RFC 9162 §2.1.4.1). */
  path: string[];
}

/** The audit path of leaf `index` in the tree of `treeSize` leaves; the caller checks 0 ≤ index < treeSize ≤ log size. */
export async function inclusionProof(executor: Executor, index: number, treeSize: number): Promise<InclusionProof> {
  const ranges = [...inclusionProofRanges(index, treeSize), { start: 0, end: treeSize }, { start: index, end: index + 1 }];
  const hashes = await rangeHashes(executor, ranges);
  const leaf = hashes.pop()!;
  const root = hashes.pop()!;
  return { index, treeSize, leafHash: leaf.toString('hex'), path: hashes.map((h) => h.toString('hex')), rootHash: root.toString('hex') };
}

/** The proof that the tree of `first` leaves is a prefix of the tree of `second`; the caller checks 0 ≤ first ≤ second ≤ log size. */
export async function consistencyProof(executor: Executor, first: number, second: number): Promise<ConsistencyProof> {
  const ranges = [...consistencyProofRanges(first, second), { start: 0, end: first }, { start: 0, end: second }];
  const hashes = await rangeHashes(executor, ranges);
  const secondRoot = hashes.pop()!;
  const firstRoot = hashes.pop()!;
  return {
    first,
    second,
    firstRootHash: firstRoot.toString('hex'),
    secondRootHash: secondRoot.toString('hex'),
    path: hashes.map((h) => h.toString('hex')),
  };
}
