import { defineMessages } from '../../i18n/define.js';

export default defineMessages({
  en: {
    'institution.kind': 'Kind',
    'institution.leads': 'Commitments it leads',
    'institution.supports': 'Commitments it supports',
    'institution.milestones': 'Milestones it is responsible for',
    'institution.none': 'None.',
    'institution.website': 'Website',
    'institution.history': 'History of this institution: every published change, verifiable',
  },
  sq: {
    'institution.kind': 'Lloji',
    'institution.leads': 'Zotimet që udhëheq',
    'institution.supports': 'Zotimet që mbështet',
    'institution.milestones': 'Pikat kryesore për të cilat është përgjegjës',
    'institution.none': 'Asnjë.',
    'institution.website': 'Uebfaqja',
    'institution.history': 'Historia e këtij institucioni: çdo ndryshim i publikuar, i verifikueshëm',
  },
  'sr-Latn': {
    'institution.kind': 'Vrsta',
    'institution.leads': 'Obaveze koje vodi',
    'institution.supports': 'Obaveze koje podržava',
    'institution.milestones': 'Ključne etape za koje je odgovorna',
    'institution.none': 'Nema.',
    'institution.website': 'Veb-stranica',
    'institution.history': 'Istorija ove institucije: svaka objavljena izmena, proverljiva',
  },
  fr: {
    'institution.kind': 'Type',
    'institution.leads': 'Engagements dont elle est responsable',
    'institution.supports': 'Engagements qu’elle appuie',
    'institution.milestones': 'Jalons dont elle a la charge',
    'institution.none': 'Aucun.',
    'institution.website': 'Site web',
    'institution.history': 'Historique de cette institution : chaque modification publiée, vérifiable',
  },
});
