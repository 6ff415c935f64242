import { defineMessages } from '../../i18n/define.js';

export default defineMessages({
  en: {},
  sq: {},
  'sr-Latn': {},
  fr: {},
});
