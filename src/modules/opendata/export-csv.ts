import { PassThrough, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import yazl from 'yazl';
import type { Executor } from '../../db/database.js';
import { formulaSafe } from '../../lib/spreadsheet.js';
import { ENTITIES, entityRows, STORED_LOCALES, toOpenValue, type Column, type EntitySpec } from './entities.js';
import { countRows, jurisdictionIdOf, type ExportOptions } from './export-json.js';
import { checkpointPages, entryPages, logHead } from './log.js';
import { writeChunk } from './sink.js';


/** The CSV header of an entity: a translatable column becomes one column per stored locale (title_sq, title_sr-Latn, title_en, title_fr). */
export function csvHeader(spec: EntitySpec): string[] {
  return spec.columns.flatMap((c) => (c.kind === 'tr' ? STORED_LOCALES.map((l) => `${c.name}_${l}`) : [c.name]));
}

function cells(column: Column, raw: unknown): (string | number | null)[] {
  const value = toOpenValue(column, raw);
  if (column.kind === 'tr') {
    const object = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
    return STORED_LOCALES.map((l) => (typeof object[l] === 'string' ? formulaSafe(object[l]) : null));
  }
  if (value === null) return [null];
  if (column.kind === 'list') return [formulaSafe(Array.isArray(value) ? value.map(String).join('; ') : String(value))];
  if (column.kind === 'bool') return [value ? 1 : 0];
  if (typeof value === 'number') return [value];
  return [formulaSafe(String(value))];
}

export function csvRow(spec: EntitySpec, row: Record<string, unknown>): (string | number | null)[] {
  return spec.columns.flatMap((c) => cells(c, row[c.name]));
}

/** One CSV file's bytes, produced only when the ZIP asks for them, rows written with backpressure. */
function csvStream(header: string[], rows: () => AsyncGenerator<(string | number | null)[][]>, onRows: (n: number) => void): Readable {
  const csv = stringify({ header: true, columns: header, bom: true, record_delimiter: 'windows' });
  const out = new PassThrough();
  csv.pipe(out);
  (async () => {
    for await (const page of rows()) {
      for (const r of page) await writeChunk(csv, r as unknown as string);
      onRows(page.length);
    }
    csv.end();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

/**
 * The CSV download: a ZIP (written by yazl as it goes) with one file per entity (`plans.csv`,
 * `milestones.csv`…), the log's entries and checkpoints, each file produced only when the ZIP
 * reaches it, from keyset pages of rows. UTF-8 with a byte-order mark and CRLF lines, so
 * spreadsheets open it as Unicode.
 */
export async function writeCsvZip(db: Executor, out: NodeJS.WritableStream, options: ExportOptions): Promise<{ rows: number }> {
  const now = options.now ?? new Date();
  const jurisdictionId = jurisdictionIdOf(options.scope);
  const total = options.onProgress ? await countRows(db, options.scope) : 0;
  let done = 0;
  const tick = (n: number) => {
    done += n;
    options.onProgress?.(done, total);
  };
  const head = await logHead(db);
  const zip = new yazl.ZipFile();
  const entry = { mtime: now, compress: true };
  zip.addBuffer(
    Buffer.from(
      `Besa open data (besa-open-data/1), CSV edition\r\nGenerated ${now.toISOString()} from ${options.publicUrl}\r\nScope: ${options.scope.kind === 'instance' ? 'the whole instance' : `jurisdiction ${options.scope.slug}`}\r\n` +
        `One file per entity; translatable text one column per language (name_sq, name_sr-Latn, name_en, name_fr); lists joined with "; ".\r\n` +
        `Cells that begin with = + - @, a tab or a carriage return start with an apostrophe, so no spreadsheet runs them as a formula.\r\n` +
        `The same data as JSON, with the fields explained: ${options.publicUrl.replace(/\/$/, '')}/en/open-data\r\n`,
      'utf8',
    ),
    'README.txt',
    entry,
  );
  for (const spec of ENTITIES) {
    zip.addReadStreamLazy(`${spec.name}.csv`, entry, (cb) =>
      cb(
        null,
        csvStream(
          csvHeader(spec),
          async function* () {
            for await (const page of entityRows(db, spec, jurisdictionId)) yield page.map((row) => csvRow(spec, row));
          },
          tick,
        ),
      ),
    );
  }
  zip.addReadStreamLazy('log_entries.csv', entry, (cb) =>
    cb(
      null,
      csvStream(
        ['index', 'occurred_at', 'action', 'entity_type', 'entity_id', 'role', 'summary', 'leaf_hash'],
        async function* () {
          for await (const page of entryPages(db, head.treeSize)) {
            yield page.map((e) => {
              const leaf = JSON.parse(e.leaf) as { occurredAt: string; action: string; entityType: string; entityId: number | null; role: string; summary: unknown };
              return [e.index, leaf.occurredAt, formulaSafe(leaf.action), formulaSafe(leaf.entityType), leaf.entityId, formulaSafe(leaf.role), formulaSafe(JSON.stringify(leaf.summary)), e.leafHash];
            });
          }
        },
        tick,
      ),
    ),
  );
  zip.addReadStreamLazy('log_checkpoints.csv', entry, (cb) =>
    cb(
      null,
      csvStream(
        // Key and signature in hex, not the JSON's base64: base64 may begin with "+", which a spreadsheet would read as a formula.
        // note_format: 1 = besa-checkpoint/v1 text, 2 = C2SP checkpoint signed note (ADR 0012); last, so older readers' columns stay in place.
        ['tree_size', 'root_hash', 'issued_at', 'key_id', 'origin', 'public_key_hex', 'signature_hex', 'note_format'],
        async function* () {
          const hex = (b64: string | null) => (b64 === null ? null : Buffer.from(b64, 'base64').toString('hex'));
          for await (const page of checkpointPages(db, head.treeSize, head.keys)) yield page.map((c) => [c.treeSize, c.rootHash, c.issuedAt, c.keyId, c.origin === null ? null : formulaSafe(c.origin), hex(c.publicKey), hex(c.signature), c.noteFormat]);
        },
        () => {},
      ),
    ),
  );
  zip.end();
  const done$ = new Promise<void>((resolve, reject) => {
    zip.outputStream.on('error', reject);
    (out as NodeJS.WritableStream & { on: (e: string, f: (err?: Error) => void) => void }).on('error', reject);
    zip.outputStream.on('end', () => resolve());
  });
  zip.outputStream.pipe(out, { end: false });
  await done$;
  return { rows: done };
}
