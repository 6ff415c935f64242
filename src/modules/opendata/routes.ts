import { createReadStream, type ReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/database.js';
import { currentContentVersion } from '../../db/content-version.js';
import { parseTranslatable } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { findBrand } from '../jurisdictions/index.js';
import type { ModuleContext } from '../manifest.js';
import { STORED_LOCALES } from './entities.js';
import { writeCsvZip } from './export-csv.js';
import { formulaSafe } from '../../lib/spreadsheet.js';
import { jurisdictionScope, writeJsonExport, type ExportOptions, type ExportScope } from './export-json.js';
import { DownloadCache } from './downloads.js';
import { computeSnapshot, listSnapshots, type Snapshot } from './snapshots.js';
import { JurisdictionOpenDataPage, OpenDataPage } from './views.js';

const schemaPath = fileURLToPath(new URL('../../../docs/open-data/v1.schema.json', import.meta.url).href.replace('/dist/', '/'));
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const today = () => new Date().toISOString().slice(0, 10);

/** The scope a file name asks for: `all` or a jurisdiction's slug; NotFoundError for anything else. */
async function scopeOf(db: Db, slug: string): Promise<ExportScope> {
  if (slug === 'all') return { kind: 'instance' };
  if (!SLUG.test(slug)) throw new NotFoundError();
  const scope = await jurisdictionScope(db, slug);
  if (!scope) throw new NotFoundError();
  return scope;
}

/**
 * Sends a download from its file (made once per content version, see downloads.ts), with an ETag
 * and 304, read from disk as the client takes it: memory stays flat whatever the size.
 */
async function serveDownload(cache: DownloadCache, db: Db, request: FastifyRequest, reply: FastifyReply, key: string, type: string, filename: string, write: (out: NodeJS.WritableStream) => Promise<unknown>): Promise<FastifyReply> {
  const version = await currentContentVersion(db);
  const file = await cache.acquire(key, version, write);
  reply.type(type).header('content-disposition', `attachment; filename="${filename}"`).header('etag', file.etag).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === file.etag) {
    cache.release(file);
    return reply.code(304).send();
  }
  let body: ReadStream;
  try {
    body = createReadStream(file.path);
  } catch (error) {
    cache.release(file);
    throw error;
  }
  body.once('close', () => cache.release(file));
  return reply.code(200).header('content-length', file.size).send(body);
}

/** A snapshot as one CSV table: a row per milestone, its commitment's code, status and progress beside it. */
export function snapshotCsv(s: Snapshot): string {
  const header = ['commitment_id', 'commitment_code', ...STORED_LOCALES.map((l) => `commitment_title_${l}`), 'commitment_status', 'commitment_progress', 'milestone_id', 'milestone_code', ...STORED_LOCALES.map((l) => `milestone_title_${l}`), 'due_on', 'weight', 'status', 'completion', 'update_id', 'published_at'];
  const rows: unknown[][] = [];
  for (const c of s.commitments) {
    for (const m of c.milestones) {
      rows.push([c.id, formulaSafe(c.code), ...STORED_LOCALES.map((l) => formulaSafe(c.title[l] ?? '')), c.status, c.progress, m.id, formulaSafe(m.code), ...STORED_LOCALES.map((l) => formulaSafe(m.title[l] ?? '')), m.due_on, m.weight, m.status ?? 'not_reported', m.completion, m.update_id, m.published_at]);
    }
  }
  return stringify(rows, { header: true, columns: header, bom: true, record_delimiter: 'windows' });
}

/** The downloads, outside the locale prefix: /open-data/{all|jurisdiction}.json and .csv.zip, snapshots, the JSON Schema. */
export function openDataFileRoutes({ db, publicUrl }: ModuleContext, cache: DownloadCache = new DownloadCache()) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.addHook('onClose', async () => cache.close());
    app.get('/open-data/schema/v1.json', async (_request, reply) =>
      reply.type('application/schema+json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(await readFile(schemaPath)),
    );

    app.get('/open-data/:file', async (request, reply) => {
      const { file } = request.params as { file: string };
      const match = /^(.+?)\.(json|csv\.zip)$/.exec(file);
      if (!match) throw new NotFoundError();
      const scope = await scopeOf(db, match[1]!);
      const options: ExportOptions = { scope, publicUrl };
      const name = `besa-open-data-${match[1]}-${today()}`;
      // Keyed on the scope found (a jurisdiction's id), never on the address.
      const key = `${scope.kind === 'instance' ? 'all' : `j${scope.id}`}.${match[2]}`;
      return match[2] === 'json'
        ? serveDownload(cache, db, request, reply, key, 'application/json; charset=utf-8', `${name}.json`, (out) => writeJsonExport(db, out, options))
        : serveDownload(cache, db, request, reply, key, 'application/zip', `${name}.csv.zip`, (out) => writeCsvZip(db, out, options));
    });

    app.get('/open-data/:jurisdiction/snapshots/:plan/:file', async (request, reply) => {
      const { jurisdiction, plan, file } = request.params as { jurisdiction: string; plan: string; file: string };
      const match = /^(\d{1,4})\.(json|csv)$/.exec(file);
      if (!match || !SLUG.test(jurisdiction) || !SLUG.test(plan)) throw new NotFoundError();
      const snapshot = await computeSnapshot(db, jurisdiction, plan, Number(match[1]), today());
      if (!snapshot) throw new NotFoundError();
      const name = `besa-snapshot-${jurisdiction}-${plan}-cycle-${match[1]}`;
      reply.header('content-disposition', `attachment; filename="${name}.${match[2]}"`).header('cache-control', 'no-cache');
      return match[2] === 'json' ? reply.type('application/json; charset=utf-8').send(JSON.stringify(snapshot, null, 1)) : reply.type('text/csv; charset=utf-8').send(snapshotCsv(snapshot));
    });
  };
}

/** `/{locale}/open-data`: the downloads and the format's documentation. */
export function openDataPageRoutes({ db }: ModuleContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/open-data', (request, reply) =>
      app.pageCache.serve(request, reply, async () => {
        const rows = await db.selectFrom('jurisdictions').select(['slug', 'name']).orderBy('slug').execute();
        return OpenDataPage({ ctx: pageContext(request), jurisdictions: rows.map((r) => ({ slug: r.slug, name: parseTranslatable(r.name) })) }) as string;
      }),
    );
  };
}

/** `/{locale}/{jurisdiction}/open-data`: a jurisdiction's downloads and its snapshots. */
export function openDataContentRoutes({ db }: ModuleContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/open-data', (request, reply) => {
      const { jurisdiction: slug } = request.params as { jurisdiction: string };
      return app.pageCache.serve(request, reply, async ({ today: day }) => {
        const row = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
        if (!row) throw new NotFoundError();
        const snapshots = await listSnapshots(db, day, Number(row.id));
        return JurisdictionOpenDataPage({ ctx: pageContext(request, { brand: await findBrand(db, slug) }), jurisdiction: { slug: row.slug, name: parseTranslatable(row.name) }, snapshots }) as string;
      });
    });
  };
}
