export { searchRoutes } from './routes.js';
export { default as searchMessages } from './messages.js';
export { refreshSearchDocuments, rebuildSearchIndex } from './indexer.js';
