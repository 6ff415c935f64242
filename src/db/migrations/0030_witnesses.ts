import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Witnessed history (issue 14, ADR 0012).
 *
 * - `transparency_checkpoints.note_format`: 1 for the checkpoints signed before this migration
 *   (`besa-checkpoint/v1` text, keys.ts), 2 for C2SP tlog-checkpoint signed notes (origin, size,
 *   base64 root; the signature is a signed-note Ed25519 signature over that text). Rows written
 *   before keep 1 and stay verifiable as they were signed.
 * - `transparency_witnesses`: the witnesses the instance asks to cosign its checkpoints: `name`
 *   (the witness's key name, a schema-less URL), `public_key` (raw 32-byte Ed25519 cosigner key,
 *   base64), `url` (its tlog-witness submission prefix), `operator` (who runs it, shown in public),
 *   `policy` (translatable JSON: what the witness promises, shown in public), `active` (0: kept
 *   for the record of its past cosignatures, no longer asked), `is_demo` (1: demonstration data
 *   from `besa seed --demo`, labelled as such wherever it shows and never contacted). Contact state, public by design:
 *   `last_contact_at` (the last time it answered at all), `last_status` (cosigned | unreachable |
 *   refused | conflict), `last_error` (a short public-safe reason), `cosigned_size` (the tree size
 *   of the latest checkpoint it cosigned for this log: the `old` size of the next request).
 * - `transparency_cosignatures`: one per (checkpoint, witness): the tlog-cosignature/v1 line's
 *   value (`signature`: base64 of key ID, timestamp and Ed25519 signature), its `timestamp`
 *   (POSIX seconds, as signed), and when Besa received it.
 * - `transparency_witness_settings` (one row, id 1): `quorum`, how many active witnesses must
 *   cosign a checkpoint for it to count as witnessed (0: none required).
 */
export function witnesses(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('transparency_checkpoints').addColumn('note_format', 'integer', (c) => c.notNull().defaultTo(1)).execute();
      await db.schema
        .createTable('transparency_witnesses')
        .addColumn('id', id, idColumn)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('public_key', 'text', (c) => c.notNull().unique())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('operator', 'text', (c) => c.notNull())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('last_contact_at', 'text')
        .addColumn('last_status', 'text')
        .addColumn('last_error', 'text')
        .addColumn('cosigned_size', 'integer')
        .execute();
      await db.schema
        .createTable('transparency_cosignatures')
        .addColumn('tree_size', 'integer', (c) => c.notNull())
        .addColumn('witness_id', 'integer', (c) => c.notNull().references('transparency_witnesses.id'))
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('transparency_cosignatures_pk', ['tree_size', 'witness_id'])
        .execute();
      await db.schema.createIndex('transparency_cosignatures_witness').on('transparency_cosignatures').columns(['witness_id', 'tree_size']).execute();
      await db.schema
        .createTable('transparency_witness_settings')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('quorum', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.insertInto('transparency_witness_settings').values({ id: 1, quorum: 0, updated_at: new Date().toISOString() }).execute();
    },
  };
}
