import { defineModule } from '../manifest.js';
import { provenanceAdminRoutes } from './admin-routes.js';
export { DATE_PRECISIONS, PROVENANCE_FIELDS, RELATIONS, RENDERINGS, SOURCE_DOCUMENTS, isNotStated, precisionOf } from './domain.js';
export type { DatePrecision, ProvenanceEntity, Relation, Rendering, SourceDocument, SourceRef } from './domain.js';
export { NO_PROVENANCE, provenanceOf, visionSectionIds, type Provenance } from './queries.js';
export { insertSources, recordSource, sourceSummary, type RecordSourceInput, type SourceInput } from './commands.js';
export { NotStated, SourceNotes, SourcedText, formatPreciseDate, preciseDate } from './views.js';
export { provenanceAdminRoutes } from './admin-routes.js';

/** Where each published text comes from (source documents, sections, renderings). */
export const manifest = defineModule({
  name: 'provenance',
  messages: ['provenance'],
  routes: { admin: ({ db }) => provenanceAdminRoutes(db) },
});
