import { defineModule } from '../manifest.js';

export { default as standardsMessages } from './messages.js';

export const manifest = defineModule({
  name: 'standards',
});
