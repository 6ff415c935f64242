import type { Generated } from 'kysely';
import type { Executor } from '../../db/database.js';

/** The table of migration 0026 (typed here so the module owns its own storage). */
export type NewsItemTable = {
  id: Generated<number>;
  jurisdiction_id: number;
  /** news | press_release */
  kind: string;
  /** Translatable JSON. */
  title: string;
  summary: string;
  /** Translatable JSON; plain text, blank lines between paragraphs. */
  body: string;
  /** draft | published | withdrawn */
  status: string;
  /** ISO days. */
  period_from: string | null;
  period_to: string | null;
  reporting_cycle_id: number | null;
  generated: Generated<number>;
  /** ISO instants. */
  published_at: string | null;
  corrected_at: string | null;
  withdrawn_at: string | null;
  is_demo: Generated<number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
};

export type NewsTables = {
  news_items: NewsItemTable;
};

/** The database or transaction, seen with the news table. */
export function ndb(executor: Executor) {
  return executor.withTables<NewsTables>();
}
