import { defineModule } from '../manifest.js';

export { default as bodiesMessages } from './messages.js';

export const manifest = defineModule({
  name: 'bodies',
});
