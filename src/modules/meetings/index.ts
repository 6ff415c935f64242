import { defineModule } from '../manifest.js';

export { default as meetingsMessages } from './messages.js';

export const manifest = defineModule({
  name: 'meetings',
});
