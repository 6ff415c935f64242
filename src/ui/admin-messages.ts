import { defineMessages } from '../i18n/define.js';

/**
 * The messages of the admin pages' shared pieces (admin.tsx): a file of its own so that the
 * catalog (i18n/catalog.ts) imports them without importing the components, which import i18n.
 */
export const adminUiMessages = defineMessages({
  en: {
    'admin.content.title': 'Language of the text',
    'admin.content.intro': 'You are editing the text in {language}. Text in the other languages stays as it is.',
    'admin.content.hasText': 'has text',
    'admin.content.noText': 'no text yet',
    'admin.content.reference': '{field} in {language}',
  },
  sq: {
    'admin.content.title': 'Gjuha e tekstit',
    'admin.content.intro': 'Po e ndryshoni tekstin në {language}. Teksti në gjuhët e tjera mbetet siç është.',
    'admin.content.hasText': 'ka tekst',
    'admin.content.noText': 'ende pa tekst',
    'admin.content.reference': '{field} në {language}',
  },
  'sr-Latn': {
    'admin.content.title': 'Jezik teksta',
    'admin.content.intro': 'Uređujete tekst na jeziku: {language}. Tekst na ostalim jezicima ostaje nepromenjen.',
    'admin.content.hasText': 'ima tekst',
    'admin.content.noText': 'još bez teksta',
    'admin.content.reference': '{field} na jeziku: {language}',
  },
  fr: {
    'admin.content.title': 'Langue du texte',
    'admin.content.intro': 'Vous modifiez le texte en {language}. Le texte dans les autres langues reste inchangé.',
    'admin.content.hasText': 'texte présent',
    'admin.content.noText': 'pas encore de texte',
    'admin.content.reference': '{field} en {language}',
  },
});
