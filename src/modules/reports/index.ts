import { defineModule } from '../manifest.js';
import reportsMessages from './messages.js';

/** Reports: plan progress, monitoring and end-of-commitment reports as printable pages, PDF and DOCX (issue 12). */
export const manifest = defineModule({
  name: 'reports',
  messages: [reportsMessages],
});
