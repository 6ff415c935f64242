import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Search results say when they are demonstration data: search_documents.is_demo (0/1), set by
 * the indexer for demonstration plans, their commitments, and demonstration milestones (and the
 * progress updates about them). The documents already there are marked here, the same way, so
 * search results are labelled before the next rebuild. The same SQL runs on SQLite and PostgreSQL.
 */
export function searchDemoFlag(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('search_documents')
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await markDemoDocuments(db);
    },
  };
}

/** Marks the documents of demonstration plans, their commitments and demonstration milestones. */
export async function markDemoDocuments(db: Kysely<any>): Promise<void> {
  await sql`
    update search_documents set is_demo = 1
    where doc_key in (select 'plan:' || cast(p.id as text) from action_plans p where p.is_demo = 1)
       or doc_key in (
         select 'commitment:' || cast(c.id as text) from commitments c
         join action_plans p on p.id = c.action_plan_id where p.is_demo = 1)
       or doc_key in (
         select 'milestone:' || cast(m.id as text) from milestones m
         join commitments c on c.id = m.commitment_id
         join action_plans p on p.id = c.action_plan_id where m.is_demo = 1 or p.is_demo = 1)`.execute(db);
}
