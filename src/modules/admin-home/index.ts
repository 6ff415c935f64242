export { adminHomeRoutes } from './routes.js';
export { default as adminHomeMessages } from './messages.js';
