import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect.js';

/** The foundation: jurisdictions, institutions, plans, commitments, milestones, accounts, audit, search, cache. */
export function foundation(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idColumn = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('jurisdictions')
        .addColumn('id', id, idColumn)
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('country_code', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('website', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('institutions')
        .addColumn('id', id, idColumn)
        .addColumn('jurisdiction_id', 'integer', (c) => c.notNull().references('jurisdictions.id').onDelete('cascade'))
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('website', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('institutions_jurisdiction_slug', ['jurisdiction_id', 'slug'])
        .execute();

      await db.schema
        .createTable('action_plans')
        .addColumn('id', id, idColumn)
        .addColumn('jurisdiction_id', 'integer', (c) => c.notNull().references('jurisdictions.id').onDelete('cascade'))
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('ends_on', 'text', (c) => c.notNull())
        .addColumn('submitted_on', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('foreword', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('cocreation_groups', 'integer')
        .addColumn('cocreation_public_meetings', 'integer')
        .addColumn('cocreation_summary', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('action_plans_jurisdiction_slug', ['jurisdiction_id', 'slug'])
        .execute();

      await db.schema
        .createTable('action_plan_lead_institutions')
        .addColumn('action_plan_id', 'integer', (c) => c.notNull().references('action_plans.id').onDelete('cascade'))
        .addColumn('institution_id', 'integer', (c) => c.notNull().references('institutions.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('action_plan_lead_institutions_pk', ['action_plan_id', 'institution_id'])
        .execute();

      await db.schema
        .createTable('vision_sections')
        .addColumn('id', id, idColumn)
        .addColumn('action_plan_id', 'integer', (c) => c.notNull().references('action_plans.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('answer', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('vision_sections_plan').on('vision_sections').column('action_plan_id').execute();

      await db.schema
        .createTable('endorsements')
        .addColumn('id', id, idColumn)
        .addColumn('action_plan_id', 'integer', (c) => c.notNull().references('action_plans.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('organization', 'text', (c) => c.notNull())
        .addColumn('sector', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('endorsements_plan').on('endorsements').column('action_plan_id').execute();

      await db.schema
        .createTable('commitments')
        .addColumn('id', id, idColumn)
        .addColumn('action_plan_id', 'integer', (c) => c.notNull().references('action_plans.id').onDelete('cascade'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('problem', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('status_quo', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('action', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('contribution', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('long_term_goal', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('ogp_values', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('policy_areas', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('ends_on', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('commitments_plan_code', ['action_plan_id', 'code'])
        .execute();

      await db.schema
        .createTable('commitment_institutions')
        .addColumn('commitment_id', 'integer', (c) => c.notNull().references('commitments.id').onDelete('cascade'))
        .addColumn('institution_id', 'integer', (c) => c.notNull().references('institutions.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('commitment_institutions_pk', ['commitment_id', 'institution_id'])
        .execute();
      await db.schema.createIndex('commitment_institutions_institution').on('commitment_institutions').column('institution_id').execute();

      await db.schema
        .createTable('milestones')
        .addColumn('id', id, idColumn)
        .addColumn('commitment_id', 'integer', (c) => c.notNull().references('commitments.id').onDelete('cascade'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('expected_output', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('indicator', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('responsible_institution_id', 'integer', (c) => c.references('institutions.id').onDelete('set null'))
        .addColumn('starts_on', 'text')
        .addColumn('due_on', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('completed_on', 'text')
        .addColumn('cancelled_on', 'text')
        .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('milestones_commitment_code', ['commitment_id', 'code'])
        .execute();
      await db.schema.createIndex('milestones_responsible').on('milestones').column('responsible_institution_id').execute();
      await db.schema.createIndex('milestones_due_on').on('milestones').column('due_on').execute();

      await db.schema
        .createTable('users')
        .addColumn('id', id, idColumn)
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('user_roles')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('jurisdiction_id', 'integer', (c) => c.references('jurisdictions.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('user_roles_user').on('user_roles').column('user_id').execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('setup_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();

      await db.schema
        .createTable('audit_events')
        .addColumn('id', id, idColumn)
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('actor_user_id', 'integer')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'integer')
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_entity').on('audit_events').columns(['entity_type', 'entity_id']).execute();

      await db.schema
        .createTable('search_documents')
        .addColumn('id', id, idColumn)
        .addColumn('doc_key', 'text', (c) => c.notNull().unique())
        .addColumn('jurisdiction_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      if (dialect === 'postgres') {
        await sql`alter table search_documents add column tsv tsvector generated always as (to_tsvector('simple', body)) stored`.execute(db);
        await sql`create index search_documents_tsv on search_documents using gin (tsv)`.execute(db);
      } else {
        await sql`create virtual table search_fts using fts5(body, content='search_documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(db);
        await sql`create trigger search_documents_ai after insert on search_documents begin insert into search_fts(rowid, body) values (new.id, new.body); end`.execute(db);
        await sql`create trigger search_documents_ad after delete on search_documents begin insert into search_fts(search_fts, rowid, body) values ('delete', old.id, old.body); end`.execute(db);
        await sql`create trigger search_documents_au after update on search_documents begin insert into search_fts(search_fts, rowid, body) values ('delete', old.id, old.body); insert into search_fts(rowid, body) values (new.id, new.body); end`.execute(db);
      }

      await db.schema
        .createTable('cache_state')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.insertInto('cache_state').values({ id: 1, version: 1 }).execute();
    },
  };
}
