import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Subscriptions (issue 11): anyone can follow a jurisdiction, a plan, a commitment, a consultation
 * or a body by e-mail, confirmed by a link (double opt-in), at once or in a daily or weekly digest.
 *
 * - `subscriptions`: one row per address and topic. `email` is private (never on a page, feed,
 *   export or log; deleted with the row when the person unsubscribes or asks for erasure);
 *   `email_hash` is participation's erasure hash of the address (finds a person's rows without the
 *   address). The confirmation link's token is stored hashed and works 48 hours; unconfirmed rows
 *   are deleted after that (hourly). The manage and unsubscribe links carry a token made from the
 *   row's `token_nonce` with a key of `subscription_keys` (HMAC): the token itself is never stored.
 * - `subscription_notices` and `subscription_notice_topics`: what was published (kind, title per
 *   locale, path, demonstration flag) and every topic it belongs to, written in the transaction of
 *   the command that published it.
 * - `subscription_deliveries`: one row per notice and person (erasure hash), written in the same
 *   transaction as the message that tells them, unique on both: nobody hears of a notice twice,
 *   whichever worker, frequency or second subscription would otherwise send it again.
 * - `mail_outbox.headers`: extra headers of a message (JSON object), e.g. List-Unsubscribe.
 */
export function subscriptions(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('subscription_keys')
        .addColumn('id', id, idColumn)
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('subscriptions')
        .addColumn('id', id, idColumn)
        .addColumn('jurisdiction_id', 'integer', (c) => c.notNull().references('jurisdictions.id').onDelete('cascade'))
        // jurisdiction | plan | commitment | consultation | body
        .addColumn('topic_type', 'text', (c) => c.notNull())
        .addColumn('topic_id', 'integer', (c) => c.notNull())
        // Private. Deleted with the row.
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('email_hash', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        // immediate | daily | weekly
        .addColumn('frequency', 'text', (c) => c.notNull())
        .addColumn('confirm_token_hash', 'text')
        .addColumn('confirm_expires_at', 'text')
        .addColumn('confirmed_at', 'text')
        // With the key: the manage and unsubscribe token (never stored).
        .addColumn('token_key_id', 'integer', (c) => c.notNull().references('subscription_keys.id'))
        .addColumn('token_nonce', 'text', (c) => c.notNull())
        .addColumn('last_digest_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('subscriptions_topic_address', ['topic_type', 'topic_id', 'email_hash'])
        .execute();
      await db.schema.createIndex('subscriptions_topic').on('subscriptions').columns(['topic_type', 'topic_id', 'confirmed_at']).execute();
      await db.schema.createIndex('subscriptions_confirm').on('subscriptions').column('confirm_token_hash').execute();
      await db.schema.createIndex('subscriptions_email_hash').on('subscriptions').column('email_hash').execute();

      await db.schema
        .createTable('subscription_notices')
        .addColumn('id', id, idColumn)
        .addColumn('jurisdiction_id', 'integer', (c) => c.notNull().references('jurisdictions.id').onDelete('cascade'))
        // update | consultation | response | meeting | review
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull().defaultTo('{}'))
        // The page's path after the locale.
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('subscription_notices_created').on('subscription_notices').column('created_at').execute();

      await db.schema
        .createTable('subscription_notice_topics')
        .addColumn('notice_id', 'integer', (c) => c.notNull().references('subscription_notices.id').onDelete('cascade'))
        .addColumn('topic_type', 'text', (c) => c.notNull())
        .addColumn('topic_id', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('subscription_notice_topics_pk', ['notice_id', 'topic_type', 'topic_id'])
        .execute();
      await db.schema.createIndex('subscription_notice_topics_topic').on('subscription_notice_topics').columns(['topic_type', 'topic_id']).execute();

      await db.schema
        .createTable('subscription_deliveries')
        .addColumn('notice_id', 'integer', (c) => c.notNull().references('subscription_notices.id').onDelete('cascade'))
        .addColumn('email_hash', 'text', (c) => c.notNull())
        .addColumn('subscription_id', 'integer', (c) => c.references('subscriptions.id').onDelete('set null'))
        .addColumn('delivered_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('subscription_deliveries_pk', ['notice_id', 'email_hash'])
        .execute();
      await db.schema.createIndex('subscription_deliveries_email_hash').on('subscription_deliveries').column('email_hash').execute();

      await db.schema.alterTable('mail_outbox').addColumn('headers', 'text').execute();
    },
  };
}
