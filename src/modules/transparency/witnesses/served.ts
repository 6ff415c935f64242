import type { FastifyInstance } from 'fastify';
import type { Db, Executor } from '../../../db/database.js';
import { formatVkey, keyIdHex, signatureLine, SIGNATURE_COSIGNATURE_V1 } from '../../../lib/tlog/note.js';
import { parseTranslatable, type Translatable } from '../../../lib/translatable.js';
import { checkpointNote } from '../keys.js';
import { tdb } from '../tables.js';
import { cosignaturesOn, latestNoteCheckpoint, witnessQuorum, type StoredCosignature } from './store.js';

/** The note signature line of a stored cosignature (its signature is base64 of key ID || timestamp || Ed25519 signature). */
export function cosignatureLine(c: Pick<StoredCosignature, 'name' | 'signature'>): string {
  const bytes = Buffer.from(c.signature, 'base64');
  return signatureLine(c.name, bytes.readUInt32BE(0), bytes.subarray(4));
}

/**
 * How many witnesses count toward the quorum among these cosignatures: active, not demonstration,
 * one per distinct public key (cosignature/v1 does not sign the witness's name).
 */
export function countCosigners(stored: ReadonlyArray<Pick<StoredCosignature, 'active' | 'isDemo' | 'publicKey'>>): number {
  return new Set(stored.filter((c) => c.active && !c.isDemo).map((c) => c.publicKey)).size;
}

export interface CheckpointWitnessing {
  cosignatures: Array<{ witness: string; keyId: string; timestamp: string; line: string }>;
  /** cosigners: active, non-demonstration witnesses that cosigned; met: at least the quorum. */
  witnessed: { cosigners: number; quorum: number; met: boolean };
}

/** The cosignatures on the checkpoint of `treeSize` and whether they reach the quorum (GET /transparency/checkpoint). */
export async function checkpointWitnessing(executor: Executor, treeSize: number): Promise<CheckpointWitnessing> {
  const [stored, quorum] = await Promise.all([cosignaturesOn(executor, treeSize), witnessQuorum(executor)]);
  const cosigners = countCosigners(stored);
  return {
    cosignatures: stored.map((c) => ({
      witness: c.name,
      keyId: keyIdHex(Buffer.from(c.signature, 'base64').readUInt32BE(0)),
      timestamp: new Date(c.timestamp * 1000).toISOString(),
      line: cosignatureLine(c),
    })),
    witnessed: { cosigners, quorum, met: cosigners >= quorum },
  };
}

export interface WitnessSummary {
  /** The latest C2SP checkpoint (the one witnesses are asked about), or null before the first. */
  checkpoint: { treeSize: number; issuedAt: string } | null;
  quorum: number;
  witnesses: Array<{
    id: number;
    name: string;
    operator: string;
    policy: Translatable;
    url: string;
    vkey: string;
    active: boolean;
    isDemo: boolean;
    lastContactAt: string | null;
    lastStatus: string | null;
    lastError: string | null;
    /** When the witness cosigned the latest checkpoint (from the cosignature's timestamp), or null. */
    cosignedAt: string | null;
  }>;
}

/** Everything the public transparency page shows about witnessing. */
export async function witnessSummary(db: Db): Promise<WitnessSummary> {
  const checkpoint = await latestNoteCheckpoint(db);
  const [rows, quorum, cosignatures] = await Promise.all([
    tdb(db).selectFrom('transparency_witnesses').selectAll().orderBy('id').execute(),
    witnessQuorum(db),
    checkpoint ? cosignaturesOn(db, checkpoint.treeSize) : Promise.resolve([]),
  ]);
  const cosignedAt = new Map(cosignatures.map((c) => [c.witnessId, new Date(c.timestamp * 1000).toISOString()]));
  return {
    checkpoint: checkpoint ? { treeSize: checkpoint.treeSize, issuedAt: checkpoint.issuedAt } : null,
    quorum,
    witnesses: rows.map((w) => {
      let vkey = '';
      try {
        vkey = formatVkey(w.name, SIGNATURE_COSIGNATURE_V1, Buffer.from(w.public_key, 'base64'));
      } catch {
        // A name the form should have refused: shown without a vkey rather than failing the page.
      }
      return {
        id: Number(w.id),
        name: w.name,
        operator: w.operator,
        policy: parseTranslatable(w.policy),
        url: w.url,
        vkey,
        active: Number(w.active) === 1,
        isDemo: Number(w.is_demo) === 1,
        lastContactAt: w.last_contact_at,
        lastStatus: w.last_status,
        lastError: w.last_error,
        cosignedAt: cosignedAt.get(Number(w.id)) ?? null,
      };
    }),
  };
}

/** The latest C2SP checkpoint as a signed note: the log's signature line, then every stored cosignature on it. */
export async function cosignedCheckpointNote(db: Db): Promise<string | undefined> {
  const checkpoint = await latestNoteCheckpoint(db);
  if (!checkpoint) return undefined;
  const cosignatures = await cosignaturesOn(db, checkpoint.treeSize);
  return checkpointNote(checkpoint.origin, checkpoint.publicKey, checkpoint.treeSize, checkpoint.root, checkpoint.signature, cosignatures.map(cosignatureLine));
}

/** GET /transparency/tlog/checkpoint: the cosigned checkpoint (c2sp.org/tlog-checkpoint, text/plain). */
export function witnessRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/transparency/tlog/checkpoint', async (_request, reply) => {
      const note = await cosignedCheckpointNote(db);
      reply.header('cache-control', 'no-cache').type('text/plain; charset=utf-8');
      if (!note) return reply.code(404).send('The log has no checkpoint in the signed-note format yet.\n');
      return reply.code(200).send(note);
    });
  };
}
