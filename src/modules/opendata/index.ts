import { defineModule } from '../manifest.js';
import { openDataContentRoutes, openDataFileRoutes, openDataPageRoutes } from './routes.js';

export { OPEN_DATA_FORMAT, writeJsonExport, type ExportOptions, type ExportScope } from './export-json.js';
export { writeCsvZip } from './export-csv.js';

/** Bulk open data: JSON and CSV downloads per jurisdiction and for the instance, per-period snapshots, `besa export` and `besa import json` (issue 12). */
export const manifest = defineModule({
  name: 'opendata',
  messages: ['opendata'],
  routes: {
    unlocalized: openDataFileRoutes,
    public: openDataPageRoutes,
    content: openDataContentRoutes,
  },
});
