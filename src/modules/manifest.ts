import type { FastifyPluginAsync } from 'fastify';
import type { Db, Executor } from '../db/database.js';

/**
 * What a module brings to the app, in one object exported from its `index.ts` as `manifest`;
 * `modules/index.ts` lists the manifests in order. The app registers their routes, search indexes
 * their documents, the history pages know their entity types, and (later) feeds and open data take
 * their entries, without module-specific code anywhere else: a new module is a folder plus one line.
 */
export interface ModuleContext {
  db: Db;
  /** The instance's public base URL (links in e-mails, feeds and calendars). */
  publicUrl: string;
}

type Routes = (context: ModuleContext) => FastifyPluginAsync;

/** A search document as a module builds it; the indexer adds the jurisdiction. */
export interface SearchDocumentDraft {
  /** Unique across the instance, e.g. `meeting:12`. */
  doc_key: string;
  /** One of the module's `search.kinds`. */
  kind: string;
  /** Translatable JSON. */
  title: string;
  /** Locale-less path, e.g. `/gjakova/meetings/12`. */
  path: string;
  /** Folded text: build it with the `body` function the indexer passes. */
  body: string;
  is_demo: 0 | 1;
}

export interface SearchSource {
  /** The kinds of result the module's documents have (each needs a `search.kind.{kind}` message). */
  kinds: readonly string[];
  /**
   * Every published document of one jurisdiction, rebuilt inside the transaction of each command
   * that changes it. `body` folds and joins texts (translatable JSON, lists or plain text).
   */
  documents(db: Executor, jurisdiction: { id: number; slug: string }, body: (...values: (string | null | undefined)[]) => string): Promise<SearchDocumentDraft[]>;
}

/** An entity type whose published changes have a history page, `/{locale}/history/{kind}/{id}`. */
export interface HistorySource {
  /** The path segment (e.g. `meeting`). */
  kind: string;
  /** The entity type written to the audit and transparency logs (e.g. `meeting`). */
  entityType: string;
  /** The jurisdiction of one item (its slug and time zone) and whether it is demonstration data. */
  locate(db: Db, id: number): Promise<{ jurisdictionSlug: string; timeZone: string; isDemo: boolean } | undefined>;
}

export interface ModuleManifest {
  name: string;
  routes?: {
    /** Paths without a language (files, JSON, feeds the same in every language). */
    unlocalized?: Routes;
    /** Pages under `/{locale}`. */
    public?: Routes;
    /** Pages under `/{locale}/admin`, behind the administration's guard. */
    admin?: Routes;
  };
  search?: SearchSource;
  history?: readonly HistorySource[];
  /** Room for the next modules: feed entries and open-data exports (shapes to come). */
  feeds?: readonly unknown[];
  exports?: readonly unknown[];
}

export function defineModule<M extends ModuleManifest>(manifest: M): M {
  return manifest;
}
