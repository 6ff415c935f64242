import { defineModule } from '../manifest.js';
import { standardsAdminRoutes } from './admin-routes.js';
import { standardsPublicRoutes } from './public-routes.js';

/**
 * The OGP standards checklist of a plan (issue 10): computed from the data, never ticked by hand
 * (checklist.ts), public at /{locale}/{jurisdiction}/plans/{plan}/standards; administrators and
 * coordinators record the two assessment days it cannot derive at
 * /{locale}/admin/jurisdictions/{jurisdiction}/plans/{plan}/standards. Its changes are published
 * on the plan and its commitments (whose history pages show them), so it declares no search
 * documents or history kinds of its own.
 */
export { standardsPath } from './public-views.js';
export { computeChecklist, type StandardItem, type StandardsSnapshot } from './checklist.js';

export const manifest = defineModule({
  name: 'standards',
  messages: ['standards'],
  routes: {
    content: ({ db }) => standardsPublicRoutes(db),
    admin: ({ db }) => standardsAdminRoutes(db),
  },
});
