import type { Db } from '../../db/database.js';
import { UsageError } from '../../lib/usage-error.js';

/** What `besa export` and `besa import json` are given (cli.ts parses them). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  /** Progress bars and reports go here. */
  stderr: NodeJS.WriteStream;
}

/**
 * `besa export --format json|csv|decidim [--jurisdiction SLUG] [--output FILE]`: the open-data
 * download (or Decidim's accountability CSV) to standard output or to a file, with a progress bar on
 * standard error.
 */
export async function exportCommand(_db: Db, _options: { format?: string | undefined; jurisdiction?: string | undefined; output?: string | undefined; publicUrl: string }, _io: CliIo): Promise<void> {
  throw new UsageError('export is not built yet');
}

/** `besa import json FILE`: a Besa open-data JSON download into an empty database. */
export async function importJsonCommand(_db: Db, _file: string, _io: CliIo): Promise<void> {
  throw new UsageError('import json is not built yet');
}
