export { planPublicRoutes } from './public-routes.js';
export { planAdminRoutes } from './admin-routes.js';
export { default as planMessages } from './messages.js';
export { default as planAdminMessages } from './admin-messages.js';
