export { pageRoutes } from './routes.js';
export { default as pageMessages } from './messages.js';
