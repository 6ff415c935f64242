import { defineModule } from '../manifest.js';
import { bodiesRecent } from './recent.js';
import { bodiesAdminRoutes } from './admin-routes.js';
import { bodiesPublicRoutes } from './public-routes.js';
import { bodiesHistory, bodiesSearch } from './search.js';

/** Bodies: the Transparency Forum, the monitoring body and working groups, their mandates, rules and public membership. */
export { canManageBodies, canManageAnyBodies } from './policy.js';
export { createBody, updateBody, addBodyMember, updateBodyMember, removeBodyMember, memberFacts, BodiesInputError } from './commands.js';
export { listBodies, findBody, findJurisdiction as findBodiesJurisdiction, type BodyView, type PublicMember, type JurisdictionRef as BodiesJurisdictionRef } from './queries.js';
export { BODY_KINDS, SECTORS, GROUPS, MEMBER_ROLES, COMPOSITION_RULES, evaluateRules, isCurrent } from './domain.js';
export { bodiesPath, bodyPath } from './public-views.js';
export { bdb, type BodiesTables } from './tables.js';

export const manifest = defineModule({
  name: 'bodies',
  messages: ['bodies'],
  routes: {
    content: ({ db }) => bodiesPublicRoutes(db),
    admin: ({ db }) => bodiesAdminRoutes(db),
  },
  search: bodiesSearch,
  recent: bodiesRecent,
  history: bodiesHistory,
});
