import { defineModule } from '../manifest.js';
import { reportRoutes } from './routes.js';

/**
 * Reports: a plan's progress report, its monitoring report and a commitment's end-of-commitment
 * report, each built once from the database (model.ts) into blocks (document.ts) and rendered as
 * a printable page, a tagged PDF and a DOCX in the reader's language (issue 12).
 */
export const manifest = defineModule({
  name: 'reports',
  messages: ['reports'],
  routes: {
    content: ({ db }) => reportRoutes(db),
  },
});
