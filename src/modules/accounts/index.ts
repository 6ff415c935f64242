export { adminGuard, adminContext, accountRoutes, SESSION_COOKIE } from './routes.js';
export { createSetupToken, SetupClosedError, hashPassword } from './commands.js';
export { canAccessAdmin, canManageContent, canManageJurisdictions } from './policy.js';
export type { SessionUser } from './repository.js';
export { default as accountMessages } from './messages.js';
