import { defineMessages } from '../../i18n/define.js';

/** Imports: the pages' words. */
export default defineMessages({
  en: {
    'interop.title': 'Imports',
  },
  sq: {
    'interop.title': 'Imports',
  },
  'sr-Latn': {
    'interop.title': 'Imports',
  },
  fr: {
    'interop.title': 'Imports',
  },
});
