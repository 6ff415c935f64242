import type { Db } from '../../db/database.js';
import { UsageError } from '../../lib/usage-error.js';
import type { CliIo } from '../opendata/cli.js';

/** `besa import ogp FILE`: OGP's commitment data download (CSV). */
export async function importOgpCommand(_db: Db, _file: string, _io: CliIo): Promise<void> {
  throw new UsageError('import ogp is not built yet');
}

/** `besa import decidim FILE --jurisdiction SLUG [--plan SLUG]`: Decidim's accountability results (CSV). */
export async function importDecidimCommand(_db: Db, _file: string, _options: { jurisdiction?: string | undefined; plan?: string | undefined }, _io: CliIo): Promise<void> {
  throw new UsageError('import decidim is not built yet');
}

/** Decidim's accountability CSV for a jurisdiction's (or one plan's) commitments and milestones, written to `out`. */
export async function writeDecidimExport(_db: Db, _out: NodeJS.WritableStream, _options: { jurisdiction?: string | undefined; plan?: string | undefined }): Promise<void> {
  throw new UsageError('export --format decidim is not built yet');
}
