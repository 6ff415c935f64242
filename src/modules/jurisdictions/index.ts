export { jurisdictionPublicRoutes } from './public-routes.js';
export { jurisdictionAdminRoutes } from './admin-routes.js';
export { jurisdictionBrandRoutes } from './brand-routes.js';
export { findBrand } from './branding.js';
export { default as jurisdictionMessages } from './messages.js';
export { default as jurisdictionAdminMessages } from './admin-messages.js';
