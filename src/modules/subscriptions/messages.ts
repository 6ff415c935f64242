import { defineMessages } from '../../i18n/define.js';

// STUB (issue 11): the subscriptions helper fills every locale.
export default defineMessages({
  en: {},
  sq: {},
  'sr-Latn': {},
  fr: {},
});
