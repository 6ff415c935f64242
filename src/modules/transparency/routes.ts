import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import type { HistorySource, ModuleManifest } from '../manifest.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { latestHistoryCheck } from './check.js';
import { CHECKPOINT_FORMAT, checkpointNote, KEY_ENTITY, listPublicKeys, logVkey, NOTE_FORMAT_BESA_V1, NOTE_FORMAT_C2SP, signedCheckpointText, type PublicKeyInfo } from './keys.js';
import { tdb } from './tables.js';
import {
  allCheckpoints,
  consistencyProof,
  entityHistory,
  findCheckpoint,
  findEntry,
  inclusionProof,
  latestCheckpoint,
  listCheckpoints,
  listEntries,
  type Checkpoint,
} from './repository.js';
import { institutionIdsIn } from './describe.js';
import { HistoryPage, TransparencyPage } from './views.js';
import { checkpointWitnessing } from './witnesses/served.js';
import { witnessOverview } from './witnesses/queries.js';

/** Most entries one GET /transparency/entries answers with. */
export const MAX_ENTRIES_PAGE = 1000;
export const MAX_CHECKPOINTS_PAGE = 1000;
export const LOG_FORMAT = 'besa-transparency-log/v1';
/** Newest entries listed on the transparency page. */
export const RECENT_ENTRIES = 20;

const verifierPath = fileURLToPath(new URL('../../../scripts/verify-log.mjs', import.meta.url).href.replace('/dist/', '/'));

class BadRequest extends Error {}

/** A non-negative whole number from the query string; undefined when absent; BadRequest when malformed. */
function intParam(query: unknown, name: string, fallback?: number): number {
  const raw = query && typeof query === 'object' ? (query as Record<string, unknown>)[name] : undefined;
  if (raw === undefined || raw === '') {
    if (fallback === undefined) throw new BadRequest(`${name} is required`);
    return fallback;
  }
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw new BadRequest(`${name} must be a whole number`);
  return Number(raw);
}

/** The `format` of a note-format-2 checkpoint in JSON. */
export const C2SP_CHECKPOINT_FORMAT = 'c2sp.org/tlog-checkpoint';

/**
 * A checkpoint as the JSON API, log.json and the open-data download give it. `noteFormat` 1:
 * `text` is the `besa-checkpoint/v1` text the signature covers. `noteFormat` 2: `text` is the C2SP
 * checkpoint text, `note` the whole signed note (the log's signature line only; cosignatures are
 * served at /transparency/tlog/checkpoint) and `vkey` the log key's verifier key (ADR 0012).
 */
export function checkpointJson(c: Checkpoint, key: Pick<PublicKeyInfo, 'origin' | 'publicKey'> | undefined) {
  const root = Buffer.from(c.rootHash, 'hex');
  const c2sp = c.noteFormat === NOTE_FORMAT_C2SP;
  return {
    format: c2sp ? C2SP_CHECKPOINT_FORMAT : CHECKPOINT_FORMAT,
    noteFormat: c.noteFormat,
    origin: key?.origin ?? null,
    treeSize: c.treeSize,
    rootHash: c.rootHash,
    rootHashBase64: root.toString('base64'),
    issuedAt: c.issuedAt,
    keyId: c.keyId,
    signature: c.signature,
    publicKey: key?.publicKey ?? null,
    /** The exact text the signature covers. */
    text: key && (c2sp || c.noteFormat === NOTE_FORMAT_BESA_V1) ? signedCheckpointText(c.noteFormat, key.origin, c.treeSize, root, c.issuedAt) : null,
    /** Note format 2: the signed note, as c2sp.org/signed-note verifiers read it. */
    note: key && c2sp ? checkpointNote(key.origin, key.publicKey, c.treeSize, root, c.signature) : null,
    vkey: key ? logVkey(key.origin, key.publicKey) : null,
  };
}

export function keyJson(k: PublicKeyInfo) {
  return { id: k.id, origin: k.origin, publicKey: k.publicKey, publicKeyPem: k.publicKeyPem, vkey: logVkey(k.origin, k.publicKey), algorithm: 'Ed25519' as const, createdAt: k.createdAt };
}

function json(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('cache-control', 'no-cache').type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** The index of the entry that announced key `keyId` (a rotation or an adoption); undefined for the log's first key. */
async function keyAnnouncedAt(db: Db, keyId: number): Promise<number | undefined> {
  const row = await tdb(db)
    .selectFrom('transparency_entries')
    .select('leaf_index')
    .where('entity_type', '=', KEY_ENTITY)
    .where('entity_id', '=', keyId)
    .orderBy('leaf_index', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.leaf_index) : undefined;
}

/** The whole published log as one JSON document, streamed page by page; consistent with its latest checkpoint. */
export async function* logDocument(db: Db): AsyncGenerator<string> {
  const latest = await latestCheckpoint(db);
  const size = latest?.treeSize ?? 0;
  const keys = await listPublicKeys(db);
  const byId = new Map(keys.map((k) => [k.id, k]));
  const checkpoints = await allCheckpoints(db, size);
  yield `{"format":${JSON.stringify(LOG_FORMAT)},"treeSize":${size},"keys":${JSON.stringify(keys.map(keyJson))},"checkpoints":[`;
  yield checkpoints.map((c) => JSON.stringify(checkpointJson(c, byId.get(c.keyId)))).join(',\n');
  yield '],"entries":[';
  for (let start = 0; start < size; start += 2000) {
    const entries = await listEntries(db, start, Math.min(size, start + 2000));
    yield (start > 0 ? ',\n' : '\n') + entries.map((e) => JSON.stringify({ index: e.index, leaf: e.leaf, leafHash: e.leafHash })).join(',\n');
  }
  yield ']}\n';
}

/**
 * The log's public JSON API, outside the locale prefix: /transparency/checkpoint, /checkpoints,
 * /entries, /proof/inclusion, /proof/consistency, /log.json and the verifier script.
 * Bad parameters are answered with 400 and a JSON error, never a page.
 */
export function transparencyApiRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(
      async (api) => {
        api.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
          if (error instanceof BadRequest) return json(reply, 400, { error: 'bad_request', message: error.message });
          const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
          if (status >= 500) request.log.error({ err: error }, 'transparency request failed');
          return json(reply, status, { error: status === 404 ? 'not_found' : status >= 500 ? 'server_error' : 'bad_request' });
        });
        api.setNotFoundHandler((_request, reply) => json(reply, 404, { error: 'not_found' }));

        api.get('/checkpoint', async (_request, reply) => {
          const latest = await latestCheckpoint(db);
          if (!latest) return json(reply, 404, { error: 'not_found', message: 'The log has no entries yet.' });
          const [keys, witnessing] = await Promise.all([listPublicKeys(db), checkpointWitnessing(db, latest.treeSize)]);
          const key = keys.find((k) => k.id === latest.keyId);
          return json(reply, 200, { ...checkpointJson(latest, key), publicKeyPem: key?.publicKeyPem ?? null, ...witnessing });
        });

        api.get('/checkpoints', async (request, reply) => {
          const limit = Math.min(intParam(request.query, 'limit', 100), MAX_CHECKPOINTS_PAGE);
          const before = intParam(request.query, 'before', -1);
          if (limit < 1) throw new BadRequest('limit must be at least 1');
          const [checkpoints, keys] = await Promise.all([
            listCheckpoints(db, { limit, before: before >= 0 ? Math.min(before, 2 ** 31 - 1) : undefined }),
            listPublicKeys(db),
          ]);
          const byId = new Map(keys.map((k) => [k.id, k]));
          const last = checkpoints.at(-1);
          return json(reply, 200, {
            keys: keys.map(keyJson),
            checkpoints: checkpoints.map((c) => checkpointJson(c, byId.get(c.keyId))),
            next: checkpoints.length === limit && last ? `/transparency/checkpoints?before=${last.treeSize}&limit=${limit}` : null,
          });
        });

        api.get('/entries', async (request, reply) => {
          const latest = await latestCheckpoint(db);
          const size = latest?.treeSize ?? 0;
          const start = intParam(request.query, 'start', 0);
          const end = intParam(request.query, 'end', start + 100);
          if (end < start) throw new BadRequest('end must not be below start');
          if (end - start > MAX_ENTRIES_PAGE) throw new BadRequest(`at most ${MAX_ENTRIES_PAGE} entries per request`);
          const entries = await listEntries(db, start, Math.min(end, size));
          return json(reply, 200, {
            treeSize: size,
            start,
            end: Math.min(end, size),
            entries: entries.map((e) => ({
              index: e.index,
              occurredAt: e.occurredAt,
              action: e.action,
              entityType: e.entityType,
              entityId: e.entityId,
              role: e.role,
              summary: e.summary,
              leaf: e.leaf,
              leafHash: e.leafHash,
            })),
          });
        });

        api.get('/proof/inclusion', async (request, reply) => {
          const latest = await latestCheckpoint(db);
          const logSize = latest?.treeSize ?? 0;
          const index = intParam(request.query, 'index');
          const size = intParam(request.query, 'size', logSize);
          if (size > logSize) throw new BadRequest(`size must not exceed the log size (${logSize})`);
          if (index >= size) throw new BadRequest('index must be below size');
          const [proof, entry, checkpoint, keys] = await Promise.all([inclusionProof(db, index, size), findEntry(db, index), findCheckpoint(db, size), listPublicKeys(db)]);
          return json(reply, 200, {
            ...proof,
            leaf: entry?.leaf ?? null,
            checkpoint: checkpoint ? checkpointJson(checkpoint, keys.find((k) => k.id === checkpoint.keyId)) : null,
          });
        });

        api.get('/proof/consistency', async (request, reply) => {
          const latest = await latestCheckpoint(db);
          const logSize = latest?.treeSize ?? 0;
          const from = intParam(request.query, 'from');
          const to = intParam(request.query, 'to', logSize);
          if (to > logSize) throw new BadRequest(`to must not exceed the log size (${logSize})`);
          if (from > to) throw new BadRequest('from must not exceed to');
          return json(reply, 200, await consistencyProof(db, from, to));
        });

        api.get('/log.json', async (_request, reply) => {
          return reply
            .header('cache-control', 'no-cache')
            .header('content-disposition', 'inline; filename="log.json"')
            .type('application/json; charset=utf-8')
            .send(Readable.from(logDocument(db)));
        });

        // Unknown paths here answer in JSON too (the localized /:locale/:slug routes would match them).
        api.get('/*', async (_request, reply) => json(reply, 404, { error: 'not_found' }));

        api.get('/verify-log.mjs', async (_request, reply) => {
          const text = await readFile(verifierPath, 'utf8');
          return reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(text);
        });
      },
      { prefix: '/transparency' },
    );
  };
}

/** The current names of the institutions a history refers to: one query for the whole page. */
async function institutionNames(db: Db, ids: number[]): Promise<Map<number, Translatable>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('institutions').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, parseTranslatable(r.name)]));
}

/**
 * Every module's history sources (ModuleManifest.history), by the kind in the URL and by the
 * entity type in the log. A kind or entity type declared twice is a programming error.
 */
export function historySources(modules: readonly ModuleManifest[]): { byKind: Map<string, HistorySource>; byEntityType: Map<string, HistorySource> } {
  const byKind = new Map<string, HistorySource>();
  const byEntityType = new Map<string, HistorySource>();
  for (const module of modules) {
    for (const source of module.history ?? []) {
      if (!/^[a-z][a-z0-9_-]*$/.test(source.kind)) throw new Error(`History kind ${source.kind} of module ${module.name} is not a path segment`);
      if (byKind.has(source.kind) || byEntityType.has(source.entityType)) throw new Error(`History kind ${source.kind} (${source.entityType}) is declared twice (module ${module.name})`);
      byKind.set(source.kind, source);
      byEntityType.set(source.entityType, source);
    }
  }
  return { byKind, byEntityType };
}

/**
 * The localized pages: /{locale}/transparency and /{locale}/history/{kind}/{id}, for the kinds the
 * modules declare (ModuleManifest.history); a jurisdiction's item has its portal's header
 * (ModuleManifest.brandOf).
 */
export function transparencyPageRoutes(db: Db, publicUrl: string, options: { modules: readonly ModuleManifest[] }) {
  const { byKind, byEntityType } = historySources(options.modules);
  const brandOf = options.modules.find((m) => m.brandOf)?.brandOf;
  return async function routes(app: FastifyInstance): Promise<void> {
    // Not from the page cache: the latest check (hourly, in every process) changes the page without
    // changing the content version. Four small queries.
    app.get('/transparency', async (request, reply) => {
      const [checkpoint, keys, check] = await Promise.all([latestCheckpoint(db), listPublicKeys(db), latestHistoryCheck(db)]);
      const publicKey = keys.find((k) => k.id === checkpoint?.keyId) ?? keys.at(-1);
      // Read after the checkpoint: every entry shown is covered by it.
      const size = checkpoint?.treeSize ?? 0;
      const recent = (await listEntries(db, Math.max(0, size - RECENT_ENTRIES), size)).reverse();
      const keySince = publicKey ? await keyAnnouncedAt(db, publicKey.id) : undefined;
      // The witnesses and the cosigners of the checkpoint read above.
      const witnesses = await witnessOverview(db, checkpoint?.treeSize);
      const html = TransparencyPage({ ctx: pageContext(request), publicUrl, checkpoint, publicKey, keySince, recent, check, sources: byEntityType, witnesses }) as string;
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    });

    app.get('/history/:kind/:id', (request, reply) => {
      const { kind, id } = request.params as { kind: string; id: string };
      const source = byKind.get(kind);
      if (!source || !/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2147483647) throw new NotFoundError();
      return app.pageCache.serve(request, reply, async () => {
        // Entries first, then the checkpoint: every entry read is then covered by the tree size linked.
        const entries = await entityHistory(db, source.entityType, Number(id));
        if (entries.length === 0) throw new NotFoundError();
        const checkpoint = await latestCheckpoint(db);
        const treeSize = Math.max(checkpoint?.treeSize ?? 0, (entries[0]?.index ?? 0) + 1);
        const [institutions, located] = await Promise.all([institutionNames(db, institutionIdsIn(entries)), source.locate(db, Number(id))]);
        // An item no longer in the database: its times in UTC, no portal.
        const timeZone = located?.timeZone ?? 'UTC';
        // The history of a jurisdiction's item is one of its portal's pages: its header too.
        const brand = located && brandOf ? await brandOf(db, located.jurisdictionSlug) : undefined;
        return HistoryPage({ ctx: pageContext(request, { brand }), kind, words: source.describe, entries, treeSize, institutions, demo: located?.isDemo ?? false, timeZone }) as string;
      });
    });
  };
}
