import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { searchTermVariants } from '../../lib/fold.js';
import { withoutUnstorable } from '../../lib/forms.js';
import { pageContext, sendHtml } from '../../plugins/locale.js';
import { hasMessage, type MessageKey } from '../../i18n/index.js';
import type { ModuleManifest } from '../manifest.js';
import { listJurisdictionOptions, searchDocuments } from './repository.js';
import { SearchPage, type SearchKindOption } from './views.js';

/** Longer queries are cut to this many characters, never refused. */
export const MAX_QUERY_LENGTH = 200;
export const RESULT_LIMIT = 50;

/** The first value of a query-string parameter, whatever shape the parser gave it. */
function param(query: unknown, name: string): string {
  if (!query || typeof query !== 'object') return '';
  const value = (query as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/**
 * The kinds of result of every module (ModuleManifest.search), in the modules' order, each with the
 * message key of its label: the module's own `labels[kind]`, else `search.kind.{kind}`.
 */
export function searchKinds(modules: readonly ModuleManifest[]): SearchKindOption[] {
  const out: SearchKindOption[] = [];
  for (const module of modules) {
    for (const kind of module.search?.kinds ?? []) {
      if (out.some((k) => k.kind === kind)) throw new Error(`Search kind ${kind} is declared twice (module ${module.name})`);
      const label = module.search?.labels?.[kind] ?? (`search.kind.${kind}` as MessageKey);
      if (!hasMessage('en', label)) throw new Error(`Search kind ${kind} of module ${module.name} has no label (${label})`);
      out.push({ kind, label });
    }
  }
  return out;
}

/** Full-text search, GET /{locale}/search?q=…&kind=…&jurisdiction=…; a plain GET form, no JavaScript needed. */
export function searchRoutes(db: Db, modules: readonly ModuleManifest[]) {
  const kinds = searchKinds(modules);
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/search', async (request, reply) => {
      const ctx = pageContext(request);
      // Cut by code points so a surrogate pair is never split; control characters and lone
      // surrogates (which no page can show) are dropped like the form helpers drop them.
      const typed = withoutUnstorable(param(request.query, 'q')).replace(/\s+/g, ' ').trim();
      const chars = Array.from(typed);
      const query = chars.length > MAX_QUERY_LENGTH ? chars.slice(0, MAX_QUERY_LENGTH).join('').trim() : typed;
      const kindParam = param(request.query, 'kind');
      const kind = kinds.some((k) => k.kind === kindParam) ? kindParam : undefined;
      const jurisdictionParam = param(request.query, 'jurisdiction');
      const jurisdiction = /^[a-z0-9][a-z0-9-]{0,99}$/.test(jurisdictionParam) ? jurisdictionParam : undefined;

      const terms = searchTermVariants(query);
      const [jurisdictions, result] = await Promise.all([
        listJurisdictionOptions(db),
        terms.length > 0 ? searchDocuments(db, { terms, kind, jurisdictionSlug: jurisdiction, limit: RESULT_LIMIT }) : undefined,
      ]);

      reply.header('cache-control', 'no-cache');
      const html = SearchPage({
        ctx,
        query,
        kind: kind ?? '',
        kinds,
        jurisdiction: jurisdiction ?? '',
        jurisdictions,
        result,
        hasTerms: terms.length > 0,
        truncatedTo: chars.length > MAX_QUERY_LENGTH ? MAX_QUERY_LENGTH : undefined,
      }) as string;
      return sendHtml(reply, html);
    });
  };
}
