import type { Executor } from '../../db/database.js';

/** Rebuilds the search documents of one jurisdiction (call inside the command's transaction). */
export async function refreshSearchDocuments(db: Executor, jurisdictionId: number): Promise<void> {
  void db;
  void jurisdictionId;
}

/** Rebuilds every search document (after a bulk import or seed). */
export async function rebuildSearchIndex(db: Executor): Promise<void> {
  void db;
}
