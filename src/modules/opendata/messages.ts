import { defineMessages } from '../../i18n/define.js';

/** Open data: the pages' words. */
export default defineMessages({
  en: {
    'opendata.title': 'Open data',
  },
  sq: {
    'opendata.title': 'Open data',
  },
  'sr-Latn': {
    'opendata.title': 'Open data',
  },
  fr: {
    'opendata.title': 'Open data',
  },
});
