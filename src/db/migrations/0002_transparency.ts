import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The transparency log (RFC 9162-style Merkle tree of every published change), its signed
 * checkpoints, the stored perfect subtrees that make proofs cheap, and the signing key.
 * Same SQL on SQLite and PostgreSQL: instants are ISO text, JSON is text, hashes are hex text.
 */
export function transparency(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('transparency_entries')
        // Assigned by the appender (0, 1, 2, …) inside the command's transaction, never by a sequence.
        .addColumn('leaf_index', 'integer', (c) => c.primaryKey())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'integer')
        // A role label such as `administrator` or `system`: never a person's name or e-mail.
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        // The canonical JSON text that is hashed; the columns above are copies for queries.
        .addColumn('leaf', 'text', (c) => c.notNull())
        .addColumn('leaf_hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('transparency_entries_entity')
        .on('transparency_entries')
        .columns(['entity_type', 'entity_id', 'leaf_index'])
        .execute();

      await db.schema
        .createTable('transparency_nodes')
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('node_index', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('transparency_nodes_pk', ['level', 'node_index'])
        .execute();

      await db.schema
        .createTable('transparency_keys')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        // Raw 32-byte Ed25519 public key, base64; and the PKCS#8 PEM private key.
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('private_key', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('transparency_checkpoints')
        .addColumn('tree_size', 'integer', (c) => c.primaryKey())
        .addColumn('root_hash', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('key_id', 'integer', (c) => c.notNull().references('transparency_keys.id'))
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
