import { defineMessages } from '../../i18n/define.js';

/** API: the pages' words. */
export default defineMessages({
  en: {
    'api.title': 'API',
  },
  sq: {
    'api.title': 'API',
  },
  'sr-Latn': {
    'api.title': 'API',
  },
  fr: {
    'api.title': 'API',
  },
});
