export { searchRoutes } from './routes.js';
export { default as searchMessages } from './messages.js';
export { refreshSearchDocuments, rebuildSearchIndex, reindexIfFoldChanged } from './indexer.js';
