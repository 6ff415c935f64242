import { defineMessages } from '../../i18n/define.js';

export default defineMessages({
  en: {
    'adminHome.title': 'Administration',
    'adminHome.jurisdictions': 'Jurisdictions you manage',
    'adminHome.empty': 'You do not manage any jurisdiction yet.',
    'adminHome.empty.first': 'There are no jurisdictions yet. Start by adding the first one, for example your municipality.',
    'adminHome.newJurisdiction': 'Add a jurisdiction',
    'adminHome.allJurisdictions': 'All jurisdictions',
  },
  sq: {
    'adminHome.title': 'Administrimi',
    'adminHome.jurisdictions': 'Juridiksionet që menaxhoni',
    'adminHome.empty': 'Ende nuk menaxhoni asnjë juridiksion.',
    'adminHome.empty.first': 'Ende nuk ka juridiksione. Filloni duke shtuar të parin, për shembull komunën tuaj.',
    'adminHome.newJurisdiction': 'Shto një juridiksion',
    'adminHome.allJurisdictions': 'Të gjitha juridiksionet',
  },
  'sr-Latn': {
    'adminHome.title': 'Administracija',
    'adminHome.jurisdictions': 'Jurisdikcije kojima upravljate',
    'adminHome.empty': 'Još ne upravljate nijednom jurisdikcijom.',
    'adminHome.empty.first': 'Još nema jurisdikcija. Počnite dodavanjem prve, na primer vaše opštine.',
    'adminHome.newJurisdiction': 'Dodaj jurisdikciju',
    'adminHome.allJurisdictions': 'Sve jurisdikcije',
  },
  fr: {
    'adminHome.title': 'Administration',
    'adminHome.jurisdictions': 'Juridictions que vous gérez',
    'adminHome.empty': 'Vous ne gérez encore aucune juridiction.',
    'adminHome.empty.first': 'Il n’y a encore aucune juridiction. Commencez par ajouter la première, par exemple votre commune.',
    'adminHome.newJurisdiction': 'Ajouter une juridiction',
    'adminHome.allJurisdictions': 'Toutes les juridictions',
  },
});
