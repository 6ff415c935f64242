import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { Db } from '../../db/database.js';
import type { ModuleContext } from '../manifest.js';
import { decodeCursor, type Paged } from './cursor.js';
import * as q from './queries.js';
import { COMMITMENT_STATUS, filters, IdParams, IndexParams, MAX_LIMIT, MILESTONE_STATUS, Page, paging, PLAN_STATUS, SHARED_SCHEMAS } from './schemas.js';
import { problem, sendProblem } from './problem.js';
import { writeRoutes } from './write.js';

/**
 * The JSON API under /api/v1 (ADR 6), registered without a language. Everything lives in one
 * encapsulated context: @fastify/swagger's hook sees only the routes registered here (the HTML
 * app's routes have no schemas and never appear in the document), the error and not-found
 * handlers answer RFC 9457 problems, and read-only GETs are open to any origin (CORS, no credentials).
 */

export const API_PREFIX = '/api/v1';

/** The generated document as the /{locale}/api page reads it (the parts it lists). */
export interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId?: string; summary?: string; security?: unknown[] }>>;
}

/** Each app's generated document, for the /{locale}/api page (registered in another context). */
const documents = new WeakMap<ModuleContext, () => OpenApiDocument>();
export function openApiDocumentOf(context: ModuleContext): OpenApiDocument | undefined {
  return documents.get(context)?.();
}

/** How long a reader may keep an answer (lists and items change when something is published). */
const READ_CACHE = 'public, max-age=60';

function pageBody<T>(request: FastifyRequest, page: Paged<T>) {
  let next: string | null = null;
  if (page.next) {
    const url = new URL(request.url, 'http://api.invalid');
    url.searchParams.set('cursor', page.next);
    next = url.pathname + url.search;
  }
  return { items: page.items, next, nextCursor: page.next };
}

interface ListQuery {
  limit?: number;
  cursor?: string;
  changed_since?: string;
  jurisdiction?: number;
  plan?: number;
  institution?: number;
  commitment?: number;
  status?: string;
  entity_type?: string;
}

function listFilters(query: ListQuery): q.ListFilters {
  return {
    after: decodeCursor(query.cursor),
    limit: Math.min(query.limit ?? 50, MAX_LIMIT),
    jurisdiction: query.jurisdiction,
    plan: query.plan,
    institution: query.institution,
    commitment: query.commitment,
    status: query.status,
    // Normalised, so that text comparison with the stored ISO instants is exact.
    changedSince: query.changed_since ? new Date(query.changed_since).toISOString() : undefined,
    entityType: query.entity_type,
  };
}

export function apiRoutes(context: ModuleContext) {
  const { db, publicUrl } = context;
  return async function routes(root: FastifyInstance): Promise<void> {
    await root.register(
      async (plain) => {
        const app = plain.withTypeProvider<TypeBoxTypeProvider>();
        for (const schema of SHARED_SCHEMAS) app.addSchema(schema as TSchema);
        await app.register(swagger, {
          openapi: {
            openapi: '3.1.0',
            info: {
              title: 'Besa API',
              version: '1.0.0',
              description:
                'Read-only JSON for every public entity of this Open Government Partnership action plan site (no key needed, any origin), and a write route for progress updates with a personal token. Lists are paged with an opaque cursor; texts in several languages are objects keyed by language; demonstration data says isDemo.',
              license: { name: 'Open data: see the site’s notice', url: `${publicUrl}/` },
            },
            servers: [{ url: publicUrl }],
            components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token, made on one’s account page.' } } },
            tags: [
              { name: 'plans', description: 'Jurisdictions, institutions, plans, commitments and milestones' },
              { name: 'reporting', description: 'Published progress updates, and filing one' },
              { name: 'transparency', description: 'The transparency log' },
            ],
          },
          refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
          hideUntagged: true,
        });

        // Read-only GETs from any origin (no credentials: the read API knows no session).
        app.addHook('onRequest', async (request, reply) => {
          if (request.method === 'GET' || request.method === 'HEAD') reply.header('access-control-allow-origin', '*');
        });
        app.setErrorHandler((error: FastifyError, request, reply) => {
          if (error.validation) {
            const where = error.validationContext ?? 'request';
            const errors = error.validation.map((v) => {
              const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
              const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
              return { field: [where, path, missing].filter(Boolean).join('.'), code: v.keyword, message: v.message ?? 'invalid' };
            });
            return sendProblem(reply, 400, `The ${where} is not valid.`, errors);
          }
          let status = typeof error.statusCode === 'number' ? error.statusCode : 500;
          if (status < 400 || status > 599) status = 500;
          if (status >= 500) request.log.error({ err: error }, 'api request failed');
          const detail = status === 400 ? error.message : status === 413 ? 'The body is larger than this route accepts.' : undefined;
          return sendProblem(reply, status, detail);
        });
        app.setNotFoundHandler((request, reply) => {
          if (request.method === 'GET' || request.method === 'HEAD') reply.header('access-control-allow-origin', '*');
          return sendProblem(reply, 404, 'No such route.');
        });

        app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
          return reply.header('cache-control', 'public, max-age=300').type('application/json; charset=utf-8').send(JSON.stringify(app.swagger(), null, 2));
        });

        documents.set(context, () => app.swagger() as unknown as OpenApiDocument);
        const links = (): q.Links => ({ publicUrl, today: root.pageCache.today() });
        const listErrors = { 400: problem('A parameter or the cursor is not valid.') };
        const itemErrors = { 400: problem('The id is not valid.'), 404: problem('No such item.') };
        const read = (reply: FastifyReply) => reply.header('cache-control', READ_CACHE);

        type Lister = (db: Db, f: q.ListFilters, l: q.Links) => Promise<Paged<unknown>>;
        type Finder = (db: Db, id: number, l: q.Links) => Promise<unknown>;
        const collection = (
          path: string,
          item: string,
          tag: string,
          names: { list: string; get: string; what: string },
          query: Record<string, TSchema>,
          list: Lister,
          find: Finder,
        ) => {
          app.get(
            path,
            {
              schema: {
                operationId: names.list,
                summary: `List ${names.what}`,
                tags: [tag],
                security: [],
                querystring: Type.Object({ ...paging, ...query }),
                response: { 200: Page(item), ...listErrors },
              },
            },
            async (request, reply) => read(reply).send(pageBody(request, await list(db, listFilters(request.query as ListQuery), links()))),
          );
          app.get(
            `${path}/:id`,
            {
              schema: { operationId: names.get, summary: `One of the ${names.what}, by id`, tags: [tag], security: [], params: IdParams, response: { 200: Type.Ref(item), ...itemErrors } },
            },
            async (request, reply) => {
              const found = await find(db, request.params.id, links());
              if (!found) return sendProblem(reply, 404, `No ${item.toLowerCase()} has this id.`);
              return read(reply).send(found);
            },
          );
        };

        const status = (values: readonly string[]) => ({ status: Type.Optional(Type.String({ enum: [...values], description: 'Only items with this status (derived for today where the pages derive it).' })) });
        const { jurisdiction, plan, institution, commitment } = filters;

        collection('/jurisdictions', 'Jurisdiction', 'plans', { list: 'listJurisdictions', get: 'getJurisdiction', what: 'jurisdictions' }, {}, q.listJurisdictions, q.findJurisdiction);
        collection('/institutions', 'Institution', 'plans', { list: 'listInstitutions', get: 'getInstitution', what: 'institutions' }, { jurisdiction }, q.listInstitutions, q.findInstitution);
        collection('/plans', 'Plan', 'plans', { list: 'listPlans', get: 'getPlan', what: 'action plans' }, { jurisdiction, institution, ...status(PLAN_STATUS) }, q.listPlans, q.findPlan);
        collection(
          '/commitments',
          'Commitment',
          'plans',
          { list: 'listCommitments', get: 'getCommitment', what: 'commitments' },
          { jurisdiction, plan, institution, ...status(COMMITMENT_STATUS) },
          q.listCommitments,
          q.findCommitment,
        );
        collection(
          '/milestones',
          'Milestone',
          'plans',
          { list: 'listMilestones', get: 'getMilestone', what: 'milestones' },
          { jurisdiction, plan, commitment, institution, ...status(MILESTONE_STATUS) },
          q.listMilestones,
          q.findMilestone,
        );
        collection(
          '/updates',
          'ProgressUpdate',
          'reporting',
          { list: 'listUpdates', get: 'getUpdate', what: 'published progress updates' },
          { jurisdiction, plan, commitment, institution },
          q.listUpdates,
          q.findPublishedUpdate,
        );

        app.get(
          '/log',
          {
            schema: {
              operationId: 'listLogEntries',
              summary: 'List the entries of the transparency log',
              tags: ['transparency'],
              security: [],
              querystring: Type.Object({ ...paging, entity_type: Type.Optional(Type.String({ maxLength: 100, description: 'Only entries about this kind of entity, e.g. commitment.' })) }),
              response: { 200: Page('LogEntry'), ...listErrors },
            },
          },
          async (request, reply) => read(reply).send(pageBody(request, await q.listLogEntries(db, listFilters(request.query as ListQuery)))),
        );
        app.get(
          '/log/:index',
          { schema: { operationId: 'getLogEntry', summary: 'One entry of the transparency log, by index', tags: ['transparency'], security: [], params: IndexParams, response: { 200: Type.Ref('LogEntry'), ...itemErrors } } },
          async (request, reply) => {
            const entry = await q.findLogEntry(db, request.params.index);
            if (!entry) return sendProblem(reply, 404, 'The log has no entry at this index.');
            return read(reply).send(entry);
          },
        );

        await app.register(writeRoutes(context));
      },
      { prefix: API_PREFIX },
    );
  };
}
