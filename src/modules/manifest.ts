import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Executor } from '../db/database.js';
import type { MessageKey } from '../i18n/index.js';
import type { Brand } from '../ui/brand.js';
import type { PageContext } from '../ui/context.js';
import type { Translatable } from '../lib/translatable.js';

/**
 * What a module brings to the app, in one object exported from its `index.ts` as `manifest`;
 * `modules/index.ts` lists the manifests in order. The app registers their routes, search indexes
 * their documents, the history pages know their entity types and the feeds take their items,
 * without module-specific code anywhere else: a new module is a folder plus one line.
 */
export interface ModuleContext {
  db: Db;
  /** The instance's public base URL (links in e-mails, feeds and calendars). */
  publicUrl: string;
  /**
   * Every module of the app, in order (modules/index.ts MODULES, or a test's list): what search
   * and the history pages read to cover every module without naming one.
   */
  modules: readonly ModuleManifest[];
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
  /**
   * The kinds of result the module's documents have, in the order the search form offers them.
   * Each kind's label is `labels[kind]` when given (a key of the module's own messages, e.g.
   * `meetings.search.kind`), else the search module's `search.kind.{kind}`.
   */
  kinds: readonly string[];
  labels?: Readonly<Record<string, MessageKey>>;
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
  /**
   * Optional words for the history pages (transparency/describe.tsx). Without them an entry of the
   * kind is still described: its published values by field, unknown fields as "other field".
   */
  describe?: HistoryWords;
}

/** A line of a history entry: a label and, optionally, its value (plain text, escaped when shown). */
export interface HistoryLine {
  label: string;
  value?: string | undefined;
}

/** A published entry as the history page reads it (the transparency log's Entry, structurally). */
export interface HistoryEntryView {
  action: string;
  entityType: string;
  summary: Record<string, unknown>;
}

export interface HistoryWords {
  /** The kind's name ("Meeting"), in the item column of the transparency page's latest changes. */
  label?: MessageKey;
  /** The history page's title ("History of the meeting"). */
  title?: MessageKey;
  /** A field's label ("Place"), or undefined to fall back to the shared field labels. */
  field?(ctx: PageContext, field: string): string | undefined;
  /** A field's value in words ("Civil society" for `civil_society`), or undefined for the default. */
  value?(ctx: PageContext, field: string, value: unknown): string | undefined;
  /** The lines of an entry without published values (e.g. `meeting.minutes_approved`), or undefined. */
  entry?(ctx: PageContext, entry: HistoryEntryView): HistoryLine[] | undefined;
  /** The action's label ("Minutes approved"), or undefined for the shared created/updated/deleted words. */
  action?(ctx: PageContext, action: string): string | undefined;
}

/**
 * One published change for a jurisdiction's "Recent changes": a link to where it shows, what it is
 * in the reader's words (`line`) and when it was published.
 */
export interface RecentChange {
  /** Unique across modules, e.g. `update:12`. */
  key: string;
  /** ISO instant of publication; the newest come first. */
  at: string;
  title: Translatable;
  /** A code shown before the title (a commitment's code), when there is one. */
  code?: string | undefined;
  /** Locale-less path, anchor included, e.g. `/gjakova/plans/2024-2025/commitments/XKGJA0001#update-3`. */
  path: string;
  /** What changed, e.g. "progress update for Cycle 2 published on 3 March 2025". */
  line(ctx: PageContext): string;
  isDemo: boolean;
}

/** A module's published changes of one jurisdiction, newest first, at most `limit`. */
export interface RecentSource {
  recent(db: Executor, jurisdictionId: number, limit: number): Promise<RecentChange[]>;
}

/** Where a feed is: the whole instance, one jurisdiction, one plan or one commitment. */
export type FeedScope =
  | { kind: 'instance' }
  | { kind: 'jurisdiction'; id: number }
  | { kind: 'plan'; id: number }
  | { kind: 'commitment'; id: number };

/** One published item of a feed, as a module gives it; modules/feeds writes the Atom. */
export interface FeedItem {
  /** Unique and stable across the instance, e.g. `update:12` (the entry's id is built from it). */
  key: string;
  title: Translatable;
  /** A code the feed writes before the title (a commitment's code), when there is one. */
  code?: string | undefined;
  /** Plain text, per locale (may be empty). */
  summary: Translatable;
  /** Locale-less path, anchor included. */
  path: string;
  /** ISO instants. */
  published: string;
  updated: string;
  isDemo: boolean;
}

export interface FeedSource {
  /**
   * The module's published items in the scope, newest first, at most `limit` (never a draft, never
   * private data). A jurisdiction's scope holds its plans' and commitments' items, and the instance's
   * everything; a source with nothing at a scope (meetings for a commitment) returns none.
   */
  items(db: Executor, scope: FeedScope, limit: number): Promise<FeedItem[]>;
}

export interface ModuleManifest {
  name: string;
  /**
   * The first segments of the module's message keys: `['feeds']` owns every `feeds.*` message of
   * `locales/*.json` (docs/TRANSLATING.md). modules/manifest.test.ts checks that every key belongs
   * to exactly one module or to the shared interface, and that each prefix owns a message.
   */
  messages?: readonly string[];
  /**
   * Routes, registered by app.ts in three passes over MODULES: every module's `unlocalized`, then
   * under `/{locale}` every `public` and (under `/admin`) every `admin`, then every `content`.
   */
  routes?: {
    /** Paths without a language (files, JSON, feeds the same in every language). */
    unlocalized?: Routes;
    /** Pages under `/{locale}`. */
    public?: Routes;
    /** Pages under `/{locale}/admin`, behind the administration's guard. */
    admin?: Routes;
    /**
     * Pages under `/{locale}` whose first segment is a slug (`/{locale}/{jurisdiction}/…`),
     * registered after every module's fixed paths so that a slug never shadows them.
     */
    content?: Routes;
  };
  /**
   * The guard in front of everything under `/{locale}/admin` (a preHandler hook). Exactly one
   * module provides it: the accounts module, which knows who is signed in.
   */
  adminGuard?: (context: ModuleContext) => (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /**
   * The header of a jurisdiction's portal, for pages of other modules that belong to a
   * jurisdiction (history pages). The jurisdictions module provides it.
   */
  brandOf?: (db: Db, jurisdictionSlug: string) => Promise<Brand | undefined>;
  search?: SearchSource;
  history?: readonly HistorySource[];
  /** Its published changes, counted in each jurisdiction's recent changes. */
  recent?: RecentSource;
  /** Its published items in the Atom feeds (modules/feeds): the instance's, a jurisdiction's, a plan's, a commitment's. */
  feeds?: FeedSource;
}

export function defineModule<M extends ModuleManifest>(manifest: M): M {
  return manifest;
}
