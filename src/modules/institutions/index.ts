export { institutionPublicRoutes } from './public-routes.js';
export { institutionAdminRoutes } from './admin-routes.js';
export { default as institutionMessages } from './messages.js';
export { default as institutionAdminMessages } from './admin-messages.js';
