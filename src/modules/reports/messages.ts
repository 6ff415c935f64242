import { defineMessages } from '../../i18n/define.js';

/** Reports: the pages' words. */
export default defineMessages({
  en: {
    'reports.title': 'Reports',
  },
  sq: {
    'reports.title': 'Reports',
  },
  'sr-Latn': {
    'reports.title': 'Reports',
  },
  fr: {
    'reports.title': 'Reports',
  },
});
