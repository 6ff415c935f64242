import { defineMessages } from '../../i18n/define.js';

export default defineMessages({
  en: {
    'adminHome.roles': 'Your roles',
    'adminHome.nothingYet': 'Your role has no tasks in Besa yet: the Forum’s meetings and the monitoring body’s reviews come in a later version. Meanwhile you can look after your account, and follow the plan on the public pages.',
    'adminHome.title': 'Administration',
    'adminHome.jurisdictions': 'Jurisdictions you manage',
    'adminHome.empty': 'You do not manage any jurisdiction yet.',
    'adminHome.empty.first': 'There are no jurisdictions yet. Start by adding the first one, for example your municipality.',
    'adminHome.newJurisdiction': 'Add a jurisdiction',
    'adminHome.allJurisdictions': 'All jurisdictions',
  },
  sq: {
    'adminHome.roles': 'Rolet tuaja',
    'adminHome.nothingYet': 'Roli juaj ende nuk ka detyra në Besa: takimet e Forumit dhe shqyrtimet e organit monitorues vijnë në një version të mëvonshëm. Ndërkohë mund të kujdeseni për llogarinë tuaj dhe ta ndiqni planin në faqet publike.',
    'adminHome.title': 'Administrimi',
    'adminHome.jurisdictions': 'Juridiksionet që menaxhoni',
    'adminHome.empty': 'Ende nuk menaxhoni asnjë juridiksion.',
    'adminHome.empty.first': 'Ende nuk ka juridiksione. Filloni duke shtuar të parin, për shembull komunën tuaj.',
    'adminHome.newJurisdiction': 'Shto një juridiksion',
    'adminHome.allJurisdictions': 'Të gjitha juridiksionet',
  },
  'sr-Latn': {
    'adminHome.roles': 'Vaše uloge',
    'adminHome.nothingYet': 'Vaša uloga još nema zadatke u Besi: sastanci Foruma i pregledi tela za praćenje dolaze u kasnijoj verziji. U međuvremenu možete da vodite računa o svom nalogu i pratite plan na javnim stranicama.',
    'adminHome.title': 'Administracija',
    'adminHome.jurisdictions': 'Jurisdikcije kojima upravljate',
    'adminHome.empty': 'Još ne upravljate nijednom jurisdikcijom.',
    'adminHome.empty.first': 'Još nema jurisdikcija. Počnite dodavanjem prve, na primer vaše opštine.',
    'adminHome.newJurisdiction': 'Dodaj jurisdikciju',
    'adminHome.allJurisdictions': 'Sve jurisdikcije',
  },
  fr: {
    'adminHome.roles': 'Vos rôles',
    'adminHome.nothingYet': 'Votre rôle n’a pas encore de tâches dans Besa : les réunions du Forum et les revues de l’organe de suivi viendront dans une version ultérieure. En attendant, vous pouvez gérer votre compte et suivre le plan sur les pages publiques.',
    'adminHome.title': 'Administration',
    'adminHome.jurisdictions': 'Juridictions que vous gérez',
    'adminHome.empty': 'Vous ne gérez encore aucune juridiction.',
    'adminHome.empty.first': 'Il n’y a encore aucune juridiction. Commencez par ajouter la première, par exemple votre commune.',
    'adminHome.newJurisdiction': 'Ajouter une juridiction',
    'adminHome.allJurisdictions': 'Toutes les juridictions',
  },
});
