import { defineMessages } from '../../i18n/define.js';

/** Feeds: the pages' words. */
export default defineMessages({
  en: {
    'feeds.title': 'Feeds',
  },
  sq: {
    'feeds.title': 'Feeds',
  },
  'sr-Latn': {
    'feeds.title': 'Feeds',
  },
  fr: {
    'feeds.title': 'Feeds',
  },
});
