export { commitmentPublicRoutes } from './public-routes.js';
export { commitmentAdminRoutes } from './admin-routes.js';
export { default as commitmentMessages } from './messages.js';
export { default as commitmentAdminMessages } from './admin-messages.js';
export * from './domain.js';
