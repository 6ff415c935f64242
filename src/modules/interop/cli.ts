import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { Db } from '../../db/database.js';
import { UsageError } from '../../lib/usage-error.js';
import { SYSTEM } from '../audit/index.js';
import type { CliIo } from '../opendata/cli.js';
import { CsvError } from './csv.js';
import { decidimCsv, importDecidim } from './decidim.js';
import { ImportFileError, importOgp, type ImportOptions } from './ogp.js';
import { formatReport, type ImportReport } from './report.js';

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A progress bar on standard error when it is a terminal; nothing otherwise (logs, pipes, tests). */
function progress(io: CliIo, label: string): { onProgress: ImportOptions['onProgress']; stop: () => void } {
  if (!io.stderr.isTTY) return { onProgress: undefined, stop: () => {} };
  const bar = new cliProgress.SingleBar({ stream: io.stderr, format: `${label} [{bar}] {value}/{total} rows`, hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    onProgress(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

async function run(io: CliIo, label: string, work: (options: ImportOptions) => Promise<ImportReport>, fileName: string): Promise<void> {
  const bar = progress(io, label);
  let report: ImportReport;
  try {
    report = await work({ fileName, ...(bar.onProgress ? { onProgress: bar.onProgress } : {}) });
  } catch (error) {
    if (error instanceof ImportFileError || error instanceof CsvError) throw new UsageError(`${fileName}: ${error.message}`);
    throw error;
  } finally {
    bar.stop();
  }
  io.stderr.write(formatReport(report));
}

/** `besa import ogp FILE`: OGP's commitment data download (CSV). */
export async function importOgpCommand(db: Db, file: string, io: CliIo): Promise<void> {
  const text = await readText(file);
  await run(io, 'Importing OGP commitments', (options) => importOgp(db, SYSTEM, text, options), basename(file));
}

/** `besa import decidim FILE --jurisdiction SLUG [--plan SLUG]`: Decidim's accountability results (CSV). */
export async function importDecidimCommand(db: Db, file: string, options: { jurisdiction?: string | undefined; plan?: string | undefined }, io: CliIo): Promise<void> {
  if (!options.jurisdiction) throw new UsageError('import decidim needs --jurisdiction (the jurisdiction the results belong to).');
  const text = await readText(file);
  await run(io, 'Importing Decidim results', (o) => importDecidim(db, SYSTEM, text, options, o), basename(file));
}

/** Decidim's accountability CSV for a jurisdiction's (or one plan's) commitments and milestones, written to `out`. */
export async function writeDecidimExport(db: Db, out: NodeJS.WritableStream, options: { jurisdiction?: string | undefined; plan?: string | undefined }): Promise<void> {
  if (!options.jurisdiction) throw new UsageError('export --format decidim needs --jurisdiction (Decidim holds one organisation’s results).');
  let text: string;
  try {
    text = await decidimCsv(db, options);
  } catch (error) {
    if (error instanceof ImportFileError) throw new UsageError(error.message);
    throw error;
  }
  await new Promise<void>((resolve, reject) => out.write(text, (error) => (error ? reject(error) : resolve())));
}
