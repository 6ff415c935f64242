import type { Db, Executor } from '../../db/database.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { FOLD_VERSION } from '../../lib/fold.js';
import type { ModuleManifest } from '../manifest.js';
import { allModules } from '../registry.js';
import {
  deleteOrphanDocuments,
  listJurisdictionIds,
  lockJurisdictionDocuments,
  replaceJurisdictionDocuments,
  upsertDocuments,
  type NewSearchDocument,
} from './repository.js';
import { bodyWith, WordFolder } from './text.js';

export { asTranslatable, searchBody, titleJson, updateTitle, WordFolder } from './text.js';

/**
 * The search documents of one jurisdiction: every module's search source (ModuleManifest.search),
 * in the order of the modules. Undefined when the jurisdiction does not exist.
 */
export async function buildSearchDocuments(db: Executor, jurisdictionId: number, modules?: readonly ModuleManifest[]): Promise<NewSearchDocument[] | undefined> {
  const jurisdiction = await db.selectFrom('jurisdictions').select(['id', 'slug']).where('id', '=', jurisdictionId).executeTakeFirst();
  if (!jurisdiction) return undefined;
  const folder = new WordFolder();
  const bodyOf = (...values: (string | null | undefined)[]) => bodyWith(folder, values);
  const docs: NewSearchDocument[] = [];
  for (const module of modules ?? (await allModules())) {
    if (!module.search) continue;
    const kinds = new Set(module.search.kinds);
    for (const draft of await module.search.documents(db, jurisdiction, bodyOf)) {
      if (!kinds.has(draft.kind)) throw new Error(`Module ${module.name} built a search document of undeclared kind ${draft.kind}`);
      docs.push({ ...draft, jurisdiction_id: jurisdiction.id });
    }
  }
  return docs;
}

/**
 * Rebuilds the search documents of one jurisdiction (every module's documents of it: see
 * buildSearchDocuments). Call it inside the command's transaction, after the change.
 * A jurisdiction that no longer exists loses its documents. Concurrent refreshes of one
 * jurisdiction take turns (lockJurisdictionDocuments), so each one reads what the one before it
 * committed.
 */
export async function refreshSearchDocuments(db: Executor, jurisdictionId: number): Promise<void> {
  await lockJurisdictionDocuments(db, jurisdictionId);
  const docs = await buildSearchDocuments(db, jurisdictionId);
  await replaceJurisdictionDocuments(db, jurisdictionId, docs ?? []);
}

/**
 * Adds or rewrites one document of a jurisdiction without rebuilding the others: for a command that
 * publishes one thing many times a second (a confirmed contribution), where a whole refresh would
 * cost more than the change. The document must be what the module's `documents` would build for it,
 * so that the next refresh leaves it as it is. Takes the jurisdiction's turn like a refresh.
 */
export async function upsertSearchDocument(db: Executor, doc: NewSearchDocument): Promise<void> {
  await lockJurisdictionDocuments(db, doc.jurisdiction_id);
  await upsertDocuments(db, [doc]);
}

/**
 * Rebuilds every search document (after a bulk import or seed), and records the folding they
 * were built with (FOLD_VERSION), so a start after it has nothing to rebuild.
 */
export async function rebuildSearchIndex(db: Executor): Promise<void> {
  await deleteOrphanDocuments(db);
  for (const id of await listJurisdictionIds(db)) await refreshSearchDocuments(db, id);
  await db.updateTable('cache_state').set({ search_fold_version: FOLD_VERSION }).where('id', '=', 1).execute();
}

/**
 * Rebuilds every search document when they were folded by another version of foldForSearch
 * (FOLD_VERSION), then records the version: run on start, after migrations, so a change to the
 * folding reaches the stored documents of existing instances once. Returns whether it rebuilt.
 * Several processes starting together may each rebuild: the rebuild is idempotent.
 */
export async function reindexIfFoldChanged(db: Db): Promise<boolean> {
  const row = await db.selectFrom('cache_state').select('search_fold_version').where('id', '=', 1).executeTakeFirst();
  if (!row || row.search_fold_version === FOLD_VERSION) return false;
  await runCommand(db, SYSTEM, (trx) => rebuildSearchIndex(trx));
  return true;
}
