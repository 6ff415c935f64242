import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Db } from '../../db/database.js';
import { UsageError } from '../../lib/usage-error.js';
import { writeDecidimExport } from '../interop/cli.js';
import { writeCsvZip } from './export-csv.js';
import { jurisdictionScope, writeJsonExport, type ExportScope } from './export-json.js';
import { importOpenData } from './import-json.js';

/** What `besa export` and `besa import json` are given (cli.ts parses them). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  /** Progress bars and reports go here. */
  stderr: NodeJS.WriteStream;
}

export const EXPORT_FORMATS = ['json', 'csv', 'decidim'] as const;

/** Seconds, with one decimal. */
const seconds = (since: bigint) => (Number(process.hrtime.bigint() - since) / 1e9).toFixed(1);

/**
 * `besa export --format json|csv|decidim [--jurisdiction SLUG] [--output FILE]`: the open-data
 * download (or Decidim's accountability CSV) to standard output or to a file, with a progress bar on
 * standard error.
 */
export async function exportCommand(db: Db, options: { format?: string | undefined; jurisdiction?: string | undefined; output?: string | undefined; publicUrl: string }, io: CliIo): Promise<void> {
  const format = options.format ?? 'json';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${EXPORT_FORMATS.join(', ')}, not "${format}"`);
  let scope: ExportScope = { kind: 'instance' };
  if (options.jurisdiction !== undefined) {
    const found = await jurisdictionScope(db, options.jurisdiction);
    if (!found) throw new UsageError(`no jurisdiction "${options.jurisdiction}" (besa export --jurisdiction takes a jurisdiction's slug)`);
    scope = found;
  }
  if (options.output === '') throw new UsageError('--output needs a file name');
  const out = options.output !== undefined ? createWriteStream(options.output) : io.stdout;
  const where = options.output ?? 'standard output';
  const started = process.hrtime.bigint();

  const bar = io.stderr.isTTY ? new cliProgress.SingleBar({ stream: io.stderr, format: 'besa export {bar} {value}/{total} rows · {eta_formatted} left', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  let barStarted = false;
  const onProgress = (done: number, total: number) => {
    if (!bar) return;
    if (!barStarted) {
      bar.start(total, 0);
      barStarted = true;
    }
    bar.update(done);
  };

  let rows = 0;
  try {
    if (format === 'decidim') {
      await writeDecidimExport(db, out, { jurisdiction: options.jurisdiction });
    } else {
      const write = format === 'json' ? writeJsonExport : writeCsvZip;
      rows = (await write(db, out, { scope, publicUrl: options.publicUrl, onProgress })).rows;
    }
  } finally {
    if (barStarted) bar?.stop();
    if (out !== io.stdout) {
      out.end();
      await finished(out).catch(() => undefined);
    }
  }
  const what = scope.kind === 'instance' ? 'the instance' : `jurisdiction ${scope.slug}`;
  io.stderr.write(`besa export: ${format === 'decidim' ? 'Decidim accountability CSV' : `${rows} rows`} of ${what} (${format}) to ${where} in ${seconds(started)} s\n`);
}

/** `besa import json FILE`: a Besa open-data JSON download into an empty database. */
export async function importJsonCommand(db: Db, file: string, io: CliIo): Promise<void> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const started = process.hrtime.bigint();
  const result = await importOpenData(db, doc);
  io.stderr.write(`besa import json: ${result.rows} rows and ${result.entries} log entries from ${file} in ${seconds(started)} s\n`);
}
