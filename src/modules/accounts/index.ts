import { defineModule } from '../manifest.js';
import { accountRoutes, adminGuard, adminWithoutLocaleRoutes } from './routes.js';
import { userAdminRoutes } from './admin-routes.js';
export { adminGuard, adminContext, adminWithoutLocaleRoutes, requestActor, accountRoutes, SESSION_COOKIE } from './routes.js';
export { userAdminRoutes, describeRolesOf } from './admin-routes.js';
export {
  createSetupToken,
  SetupClosedError,
  hashPassword,
  createUserCommand,
  CreateUserError,
  type CreateUserOptions,
  type CreateUserResult,
} from './commands.js';
export { insertSession, findUserRoles } from './repository.js';
export { pruneAccountRecords } from './housekeeping.js';
export {
  ROLES,
  type Role,
  actorFor,
  type PolicyUser,
  canAccessAdmin,
  canManageContent,
  canManageJurisdictions,
  canManageUsers,
  canGrantRole,
  canManageReportingCycles,
  canPublishProgressUpdates,
  canReportOnInstitution,
  canModerate,
} from './policy.js';
export type { SessionUser } from './repository.js';
export { findSessionUser } from './repository.js';
export { findTokenUser, listApiTokens, createApiToken, revokeApiToken, API_TOKEN_PREFIX } from './api-tokens.js';
export { admitApiWrite, API_WRITE_THROTTLE } from './throttle.js';

/** Sign-in, accounts, roles; the administration's guard; /admin without a language. */
export const manifest = defineModule({
  name: 'accounts',
  messages: ['accounts'],
  adminGuard: ({ db }) => adminGuard(db),
  routes: {
    unlocalized: () => adminWithoutLocaleRoutes,
    public: ({ db, publicUrl }) => accountRoutes(db, { publicUrl }),
    admin: ({ db, publicUrl }) => userAdminRoutes(db, { publicUrl }),
  },
});
