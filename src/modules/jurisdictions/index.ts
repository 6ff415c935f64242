import { defineModule } from '../manifest.js';
import { jurisdictionPublicRoutes } from './public-routes.js';
import { jurisdictionAdminRoutes } from './admin-routes.js';
import { jurisdictionBrandRoutes } from './brand-routes.js';
import { findBrand } from './branding.js';
import { jurisdictionSearch } from './search.js';
import { jurisdictionHistory } from './history.js';
export { jurisdictionPublicRoutes } from './public-routes.js';
export { jurisdictionAdminRoutes } from './admin-routes.js';
export { jurisdictionBrandRoutes } from './brand-routes.js';
export { findBrand } from './branding.js';

/** Jurisdictions: their portals (home page, emblem, accent colour) and administration. */
export const manifest = defineModule({
  name: 'jurisdictions',
  messages: ['brandingAdmin', 'home', 'jurisdiction', 'jurisdictionsAdmin', 'story'],
  routes: {
    // Each jurisdiction's emblem and accent-colour stylesheet, the same in every language.
    unlocalized: ({ db }) => jurisdictionBrandRoutes(db),
    admin: ({ db }) => jurisdictionAdminRoutes(db),
    content: ({ db, modules }) => jurisdictionPublicRoutes(db, modules),
  },
  brandOf: findBrand,
  search: jurisdictionSearch,
  history: [jurisdictionHistory],
});
