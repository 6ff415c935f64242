export { planPublicRoutes } from './public-routes.js';
export { planAdminRoutes } from './admin-routes.js';
export { default as planMessages } from './messages.js';
export { default as planAdminMessages } from './admin-messages.js';
export { listPlans, currentPlan, listPlanCommitments, findJurisdictionRef } from './queries.js';
export type { PlanCommitments, PlanSummary, CommitmentSummary, InstitutionRef, JurisdictionRef } from './queries.js';
export { CommitmentTable, StatusCounts, commitmentStatusToday, planPath, planStatusLabel, statusLabel } from './public-views.js';
