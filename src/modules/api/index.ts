import { defineModule } from '../manifest.js';
import apiMessages from './messages.js';

/** The JSON API under /api/v1 with its OpenAPI 3.1 description, and personal API tokens (issue 12). */
export const manifest = defineModule({
  name: 'api',
  messages: [apiMessages],
});
