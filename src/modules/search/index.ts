import { defineModule } from '../manifest.js';
import { searchRoutes } from './routes.js';
export { searchRoutes } from './routes.js';
export { refreshSearchDocuments, rebuildSearchIndex, reindexIfFoldChanged, upsertSearchDocument } from './indexer.js';
export { asTranslatable, searchBody, titleJson, updateTitle } from './text.js';

/** Full-text search over every module's documents (ModuleManifest.search). */
export const manifest = defineModule({
  name: 'search',
  messages: ['search'],
  routes: { public: ({ db, modules }) => searchRoutes(db, modules) },
});
