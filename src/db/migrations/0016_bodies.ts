import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Bodies: the Transparency Forum, the monitoring body and the Forum's working groups, each with a
 * mandate, rules and a public membership (organisation or person, sector, represented groups, role,
 * term). A person's name is public only with their recorded consent (`name_consent_at`); a member's
 * e-mail address (for meeting reminders) is private and never published.
 * Conventions as in the foundation: translatable text and lists are JSON text, dates ISO text.
 */
export function bodies(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('bodies')
        .addColumn('id', id, idColumn)
        .addColumn('jurisdiction_id', 'integer', (c) => c.notNull().references('jurisdictions.id').onDelete('cascade'))
        // forum | monitoring_body | working_group
        .addColumn('kind', 'text', (c) => c.notNull())
        // A working group's forum.
        .addColumn('parent_id', 'integer', (c) => c.references('bodies.id').onDelete('cascade'))
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('mandate', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('rules', 'text', (c) => c.notNull().defaultTo('{}'))
        // Composition rules checked against the membership, a JSON list of codes (e.g. "civil_society_majority").
        .addColumn('composition_rules', 'text', (c) => c.notNull().defaultTo('[]'))
        // The rhythm the body's own rules set: at most this many days between two regular meetings.
        .addColumn('meets_every_days', 'integer')
        .addColumn('established_on', 'text')
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('bodies_jurisdiction_slug', ['jurisdiction_id', 'slug'])
        .execute();

      await db.schema
        .createTable('body_members')
        .addColumn('id', id, idColumn)
        .addColumn('body_id', 'integer', (c) => c.notNull().references('bodies.id').onDelete('cascade'))
        // The member organisation (translatable JSON; may be empty for a person without one).
        .addColumn('organisation', 'text', (c) => c.notNull().defaultTo('{}'))
        // An institution of the jurisdiction, when the member is one (or represents one).
        .addColumn('institution_id', 'integer', (c) => c.references('institutions.id').onDelete('set null'))
        // A person's name: shown only when name_consent_at is set.
        .addColumn('person_name', 'text')
        .addColumn('name_consent_at', 'text')
        // Private: for reminders only, never on a public page, feed, export, log or audit summary.
        .addColumn('email', 'text')
        // civil_society | executive | assembly | political_party | private_sector | international_partner | other
        .addColumn('sector', 'text', (c) => c.notNull())
        // JSON list: youth | women | persons_with_disabilities | non_majority_communities | other
        .addColumn('represented_groups', 'text', (c) => c.notNull().defaultTo('[]'))
        // chair | secretary | member | observer
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('term_start', 'text')
        .addColumn('term_end', 'text')
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('body_members_body').on('body_members').column('body_id').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('body_members').execute();
      await db.schema.dropTable('bodies').execute();
    },
  };
}
