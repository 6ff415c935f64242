import { defineModule } from '../manifest.js';
import newsMessages from './messages.js';

/** News items and press releases written by the coordinator (issue 12). */
export const manifest = defineModule({
  name: 'news',
  messages: [newsMessages],
});
