import { defineMessages } from '../../i18n/define.js';

/** News: the pages' words. */
export default defineMessages({
  en: {
    'news.title': 'News',
  },
  sq: {
    'news.title': 'News',
  },
  'sr-Latn': {
    'news.title': 'News',
  },
  fr: {
    'news.title': 'News',
  },
});
