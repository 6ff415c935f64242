import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Public participation (issue 11): consultations, the contributions citizens make to them
 * (comments, threaded up to three levels, and proposals), flags, the reasoned response each
 * contribution gets, and what keeps robots out without storing anyone's address in clear.
 *
 * Privacy: a contribution's e-mail address (`contributions.email`) is private (the author is told
 * by e-mail what became of it) and is erased on request or when the contribution is anonymised;
 * `email_hash` (HMAC with the instance's erasure key) finds a person's contributions for erasure
 * without the address. Rate limits count per hashed address and hashed client IP
 * (`participation_buckets.key_hash`, HMAC with a key from `participation_keys` that rotates):
 * neither an address nor an IP is ever stored for them.
 * Conventions as in the foundation: translatable text JSON, days and instants ISO text.
 */
export function participation(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('consultations')
        .addColumn('id', id, idColumn)
        .addColumn('jurisdiction_id', 'integer', (c) => c.notNull().references('jurisdictions.id').onDelete('cascade'))
        .addColumn('slug', 'text', (c) => c.notNull())
        // plan | commitment | topic: what is consulted on.
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('plan_id', 'integer', (c) => c.references('action_plans.id').onDelete('set null'))
        .addColumn('commitment_id', 'integer', (c) => c.references('commitments.id').onDelete('set null'))
        .addColumn('title', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('body', 'text', (c) => c.notNull().defaultTo('{}'))
        // Days in the jurisdiction's calendar, both included.
        .addColumn('opens_on', 'text', (c) => c.notNull())
        .addColumn('closes_on', 'text', (c) => c.notNull())
        // pre: a contribution shows once a moderator approves it; post: at once, hidden if need be.
        .addColumn('moderation', 'text', (c) => c.notNull().defaultTo('post'))
        // Hidden until a moderator decides once this many people flagged it.
        .addColumn('flag_threshold', 'integer', (c) => c.notNull().defaultTo(3))
        .addColumn('allows_proposals', 'integer', (c) => c.notNull().defaultTo(1))
        // Facts of a consultation held outside Besa (the 2024 co-creation: 6 groups, 15 public meetings).
        .addColumn('groups_consulted', 'integer')
        .addColumn('public_meetings', 'integer')
        // What came of it, per locale, written with the response.
        .addColumn('outcome', 'text', (c) => c.notNull().defaultTo('{}'))
        // Null: a draft, seen only in the admin pages.
        .addColumn('published_at', 'text')
        // Set when the coordinator publishes the response table: status "responded".
        .addColumn('responded_at', 'text')
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('consultations_jurisdiction_slug', ['jurisdiction_id', 'slug'])
        .execute();

      await db.schema
        .createTable('consultation_documents')
        .addColumn('id', id, idColumn)
        .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('url', 'text', (c) => c.notNull())
        // The document's language, when it is in one only.
        .addColumn('locale', 'text')
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable('contributions')
        .addColumn('id', id, idColumn)
        .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
        // A reply's comment; depth 0 (a comment or proposal), 1 or 2.
        .addColumn('parent_id', 'integer', (c) => c.references('contributions.id').onDelete('cascade'))
        .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
        // comment | proposal
        .addColumn('kind', 'text', (c) => c.notNull())
        // A name or pseudonym, public; null once anonymised.
        .addColumn('author_name', 'text')
        // Private: never on a page, feed, export, API response or log. Null once erased.
        .addColumn('email', 'text')
        .addColumn('email_hash', 'text')
        // The language the author wrote in (and is written to in).
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        // A proposal's theme and the OGP value it serves (transparency | participation | accountability | inclusion).
        .addColumn('theme', 'text')
        .addColumn('ogp_value', 'text')
        // unconfirmed | pending (awaits a moderator: pre-moderation or flagged) | published | hidden
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('confirm_token_hash', 'text')
        .addColumn('confirm_expires_at', 'text')
        .addColumn('confirmed_at', 'text')
        .addColumn('published_at', 'text')
        .addColumn('hidden_at', 'text')
        .addColumn('hidden_reason', 'text')
        .addColumn('flag_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('anonymised_at', 'text')
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('contributions_consultation').on('contributions').columns(['consultation_id', 'status']).execute();
      await db.schema.createIndex('contributions_confirm').on('contributions').column('confirm_token_hash').execute();
      await db.schema.createIndex('contributions_email_hash').on('contributions').column('email_hash').execute();

      await db.schema
        .createTable('contribution_flags')
        .addColumn('id', id, idColumn)
        .addColumn('contribution_id', 'integer', (c) => c.notNull().references('contributions.id').onDelete('cascade'))
        .addColumn('reason', 'text', (c) => c.notNull())
        // The flagging client, hashed with the rotating key: one flag per client and contribution.
        .addColumn('reporter_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        // Set when a moderator decided (hid or restored) after this flag.
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema.createIndex('contribution_flags_contribution').on('contribution_flags').column('contribution_id').execute();

      await db.schema
        .createTable('contribution_responses')
        .addColumn('contribution_id', 'integer', (c) => c.primaryKey().references('contributions.id').onDelete('cascade'))
        // accepted | partly_accepted | not_accepted | out_of_scope
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('commitment_id', 'integer', (c) => c.references('commitments.id').onDelete('set null'))
        .addColumn('milestone_id', 'integer', (c) => c.references('milestones.id').onDelete('set null'))
        .addColumn('responded_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      // Keys of the rate-limit hashes; a new one every day, the old ones deleted with their buckets.
      await db.schema
        .createTable('participation_keys')
        .addColumn('id', id, idColumn)
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('participation_buckets')
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('participation_buckets_pk', ['key_hash', 'window_start'])
        .execute();
    },
  };
}
