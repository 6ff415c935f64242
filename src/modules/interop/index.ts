import { defineModule } from '../manifest.js';
import { interopAdminRoutes } from './admin-routes.js';

export { findIrmAssessment, IrmAssessment, type IrmAssessmentView, type IrmRating } from './irm.js';

/** Imports of OGP's commitment data and Decidim's accountability results, and the export to Decidim (issue 12). */
export const manifest = defineModule({
  name: 'interop',
  messages: ['interop'],
  routes: {
    admin: ({ db }) => interopAdminRoutes(db),
  },
});
