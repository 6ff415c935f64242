import { defineModule } from '../manifest.js';

export { default as reviewsMessages } from './messages.js';

export const manifest = defineModule({
  name: 'reviews',
});
