import type { Executor } from '../../../db/database.js';
import { formatVkey, SIGNATURE_COSIGNATURE_V1 } from '../../../lib/tlog/note.js';
import { parseTranslatable, type Translatable } from '../../../lib/translatable.js';
import { tdb } from '../tables.js';

/** What the witnesses' pages read: the list, one witness, the quorum and the cosigners of a checkpoint. */

export const WITNESS_STATUSES = ['cosigned', 'unreachable', 'refused', 'conflict'] as const;
export type WitnessStatus = (typeof WITNESS_STATUSES)[number];

export interface WitnessView {
  id: number;
  /** The witness's key name. */
  name: string;
  /** Raw 32-byte cosigner public key, base64. */
  publicKey: string;
  /** `<name>+<key ID>+<base64 of 0x04 and the key>`: what monitors are configured with. */
  vkey: string;
  url: string;
  operator: string;
  policy: Translatable;
  active: boolean;
  isDemo: boolean;
  lastContactAt: string | null;
  /** cosigned | unreachable | refused | conflict, or null before the first contact. */
  lastStatus: WitnessStatus | null;
  lastError: string | null;
  cosignedSize: number | null;
  /** Its newest stored cosignature: the tree size and when it signed (ISO, from the signed timestamp). */
  latest: { treeSize: number; signedAt: string } | undefined;
}

export interface Cosigner {
  witnessId: number;
  name: string;
  operator: string;
  isDemo: boolean;
  active: boolean;
  /** When it cosigned (ISO, from the cosignature's own timestamp). */
  signedAt: string;
}

/** The vkey of a witness's cosigner key (type 0x04). */
export function witnessVkey(name: string, publicKeyBase64: string): string {
  try {
    return formatVkey(name, SIGNATURE_COSIGNATURE_V1, Buffer.from(publicKeyBase64, 'base64'));
  } catch {
    return '';
  }
}

const isoOfSeconds = (seconds: number | string) => new Date(Number(seconds) * 1000).toISOString();

function statusOf(value: string | null): WitnessStatus | null {
  return value && (WITNESS_STATUSES as readonly string[]).includes(value) ? (value as WitnessStatus) : null;
}

type WitnessRow = {
  id: number;
  name: string;
  public_key: string;
  url: string;
  operator: string;
  policy: string;
  active: number;
  is_demo: number;
  last_contact_at: string | null;
  last_status: string | null;
  last_error: string | null;
  cosigned_size: number | null;
};

function view(row: WitnessRow, latest: Map<number, { treeSize: number; signedAt: string }>): WitnessView {
  return {
    id: Number(row.id),
    name: row.name,
    publicKey: row.public_key,
    vkey: witnessVkey(row.name, row.public_key),
    url: row.url,
    operator: row.operator,
    policy: parseTranslatable(row.policy),
    active: Number(row.active) === 1,
    isDemo: Number(row.is_demo) === 1,
    lastContactAt: row.last_contact_at,
    lastStatus: statusOf(row.last_status),
    lastError: row.last_error,
    cosignedSize: row.cosigned_size === null ? null : Number(row.cosigned_size),
    latest: latest.get(Number(row.id)),
  };
}

/** Each witness's newest cosignature (two small queries: the newest size per witness, then its timestamp). */
async function latestCosignatures(db: Executor, ids: number[]): Promise<Map<number, { treeSize: number; signedAt: string }>> {
  const result = new Map<number, { treeSize: number; signedAt: string }>();
  if (ids.length === 0) return result;
  const t = tdb(db);
  const newest = await t
    .selectFrom('transparency_cosignatures')
    .select(['witness_id', (eb) => eb.fn.max('tree_size').as('size')])
    .where('witness_id', 'in', ids)
    .groupBy('witness_id')
    .execute();
  for (const n of newest) {
    const row = await t
      .selectFrom('transparency_cosignatures')
      .select('timestamp')
      .where('witness_id', '=', n.witness_id)
      .where('tree_size', '=', Number(n.size))
      .executeTakeFirst();
    if (row) result.set(Number(n.witness_id), { treeSize: Number(n.size), signedAt: isoOfSeconds(row.timestamp) });
  }
  return result;
}

const COLUMNS = ['id', 'name', 'public_key', 'url', 'operator', 'policy', 'active', 'is_demo', 'last_contact_at', 'last_status', 'last_error', 'cosigned_size'] as const;

/** Every witness, active ones first, then by name; each with its newest cosignature. */
export async function listWitnesses(db: Executor): Promise<WitnessView[]> {
  const rows = await tdb(db).selectFrom('transparency_witnesses').select(COLUMNS).orderBy('active', 'desc').orderBy('name').execute();
  const latest = await latestCosignatures(
    db,
    rows.map((r) => Number(r.id)),
  );
  return rows.map((r) => view(r, latest));
}

export async function findWitness(db: Executor, id: number): Promise<WitnessView | undefined> {
  const row = await tdb(db).selectFrom('transparency_witnesses').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return view(row, await latestCosignatures(db, [Number(row.id)]));
}

/** How many active witnesses must cosign a checkpoint for it to count as witnessed (0: none required). */
export async function witnessQuorum(db: Executor): Promise<number> {
  const row = await tdb(db).selectFrom('transparency_witness_settings').select('quorum').where('id', '=', 1).executeTakeFirst();
  return row ? Number(row.quorum) : 0;
}

/** The witnesses that cosigned the checkpoint of `treeSize`, in the order they signed. */
export async function cosignersOf(db: Executor, treeSize: number): Promise<Cosigner[]> {
  const rows = await tdb(db)
    .selectFrom('transparency_cosignatures as c')
    .innerJoin('transparency_witnesses as w', 'w.id', 'c.witness_id')
    .select(['w.id as id', 'w.name as name', 'w.operator as operator', 'w.is_demo as is_demo', 'w.active as active', 'c.timestamp as timestamp'])
    .where('c.tree_size', '=', treeSize)
    .orderBy('c.timestamp')
    .orderBy('w.name')
    .execute();
  return rows.map((r) => ({
    witnessId: Number(r.id),
    name: r.name,
    operator: r.operator,
    isDemo: Number(r.is_demo) === 1,
    active: Number(r.active) === 1,
    signedAt: isoOfSeconds(r.timestamp),
  }));
}

/** The newest checkpoint size any witness cosigned, if any. */
export async function newestCosignedSize(db: Executor): Promise<number | undefined> {
  const row = await tdb(db)
    .selectFrom('transparency_cosignatures')
    .select((eb) => eb.fn.max('tree_size').as('size'))
    .executeTakeFirst();
  return row?.size === null || row?.size === undefined ? undefined : Number(row.size);
}

/** What the transparency page shows about witnesses. */
export interface WitnessOverview {
  witnesses: WitnessView[];
  quorum: number;
  /** The cosigners of the latest checkpoint. */
  cosigners: Cosigner[];
  /** When the latest checkpoint has fewer cosignatures than the newest cosigned one: that one, with its cosigners. */
  lastWitnessed?: { treeSize: number; issuedAt: string | undefined; cosigners: Cosigner[] } | undefined;
}

/** The witnesses, the quorum and the cosigners of the checkpoint of `treeSize` (the latest, read before). */
export async function witnessOverview(db: Executor, treeSize: number | undefined): Promise<WitnessOverview> {
  const [witnesses, quorum] = await Promise.all([listWitnesses(db), witnessQuorum(db)]);
  if (witnesses.length === 0) return { witnesses, quorum, cosigners: [] };
  const cosigners = treeSize === undefined ? [] : await cosignersOf(db, treeSize);
  let lastWitnessed: WitnessOverview['lastWitnessed'];
  const newest = await newestCosignedSize(db);
  if (newest !== undefined && newest !== treeSize && (treeSize === undefined || newest < treeSize)) {
    const checkpoint = await tdb(db).selectFrom('transparency_checkpoints').select('issued_at').where('tree_size', '=', newest).executeTakeFirst();
    lastWitnessed = { treeSize: newest, issuedAt: checkpoint?.issued_at, cosigners: await cosignersOf(db, newest) };
  }
  return { witnesses, quorum, cosigners, lastWitnessed };
}
