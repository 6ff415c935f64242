import { defineModule } from '../manifest.js';
import { planPublicRoutes } from './public-routes.js';
import { planAdminRoutes } from './admin-routes.js';
import { planSearch } from './search.js';
import { planHistory } from './history.js';
export { planPublicRoutes } from './public-routes.js';
export { planAdminRoutes } from './admin-routes.js';
export { listPlans, currentPlan, listPlanCommitments, findJurisdictionRef } from './queries.js';
export type { PlanCommitments, PlanSummary, CommitmentSummary, InstitutionRef, JurisdictionRef } from './queries.js';
export { CommitmentTable, StatusCounts, commitmentStatusToday, planPath, planStatusLabel, statusLabel } from './public-views.js';

/** Action plans: their pages, vision, endorsements and administration. */
export const manifest = defineModule({
  name: 'plans',
  messages: ['plan', 'plansAdmin'],
  routes: {
    admin: ({ db }) => planAdminRoutes(db),
    content: ({ db }) => planPublicRoutes(db),
  },
  search: planSearch,
  history: [planHistory],
});
