import { defineMessages } from '../../i18n/define.js';

/**
 * The e-mails about a progress update's review (issue 9, part 7), each written in the
 * recipient's language: submitted (to the jurisdiction's coordinators), returned and published
 * (to the lead institution's commitment holders).
 */
export default defineMessages({
  en: {
    'reporting.mail.submitted.subject': 'Progress update to review: {code}',
    'reporting.mail.submitted.text':
      'Hello {name},\n\nThe progress update for commitment {code} ({title}), {cycle}, was submitted by {author}.\n\nReview it, then publish it or return it with a comment:\n{link}\n\n— Besa',
    'reporting.mail.returned.subject': 'Progress update returned: {code}',
    'reporting.mail.returned.text':
      'Hello {name},\n\nThe progress update for commitment {code} ({title}), {cycle}, was returned by {reviewer} with this comment:\n\n{comment}\n\nCorrect it and submit it again:\n{link}\n\n— Besa',
    'reporting.mail.published.subject': 'Progress update published: {code}',
    'reporting.mail.published.text':
      'Hello {name},\n\nThe progress update for commitment {code} ({title}), {cycle}, is now public:\n{link}\n\nThank you for reporting.\n\n— Besa',
  },
  sq: {
    'reporting.mail.submitted.subject': 'Raport progresi për shqyrtim: {code}',
    'reporting.mail.submitted.text':
      'Përshëndetje {name},\n\nRaporti i progresit për zotimin {code} ({title}), {cycle}, u dorëzua nga {author}.\n\nShqyrtojeni, pastaj publikojeni ose kthejeni me një koment:\n{link}\n\n— Besa',
    'reporting.mail.returned.subject': 'Raporti i progresit u kthye: {code}',
    'reporting.mail.returned.text':
      'Përshëndetje {name},\n\nRaporti i progresit për zotimin {code} ({title}), {cycle}, u kthye nga {reviewer} me këtë koment:\n\n{comment}\n\nKorrigjojeni dhe dorëzojeni përsëri:\n{link}\n\n— Besa',
    'reporting.mail.published.subject': 'Raporti i progresit u publikua: {code}',
    'reporting.mail.published.text':
      'Përshëndetje {name},\n\nRaporti i progresit për zotimin {code} ({title}), {cycle}, tani është publik:\n{link}\n\nFaleminderit që raportuat.\n\n— Besa',
  },
  'sr-Latn': {
    'reporting.mail.submitted.subject': 'Izveštaj o napretku za pregled: {code}',
    'reporting.mail.submitted.text':
      'Zdravo, {name},\n\npodnet je izveštaj o napretku za obavezu {code} ({title}), {cycle} (podnosilac: {author}).\n\nPregledajte ga, pa ga objavite ili vratite uz komentar:\n{link}\n\n— Besa',
    'reporting.mail.returned.subject': 'Izveštaj o napretku je vraćen: {code}',
    'reporting.mail.returned.text':
      'Zdravo, {name},\n\nizveštaj o napretku za obavezu {code} ({title}), {cycle}, vraćen je uz ovaj komentar (koordinator: {reviewer}):\n\n{comment}\n\nIspravite ga i ponovo podnesite:\n{link}\n\n— Besa',
    'reporting.mail.published.subject': 'Izveštaj o napretku je objavljen: {code}',
    'reporting.mail.published.text':
      'Zdravo, {name},\n\nizveštaj o napretku za obavezu {code} ({title}), {cycle}, sada je javan:\n{link}\n\nHvala vam na izveštaju.\n\n— Besa',
  },
  fr: {
    'reporting.mail.submitted.subject': 'Rapport d’avancement à examiner : {code}',
    'reporting.mail.submitted.text':
      'Bonjour {name},\n\nLe rapport d’avancement de l’engagement {code} ({title}), {cycle}, a été soumis par {author}.\n\nExaminez-le, puis publiez-le ou renvoyez-le avec un commentaire :\n{link}\n\n— Besa',
    'reporting.mail.returned.subject': 'Rapport d’avancement renvoyé : {code}',
    'reporting.mail.returned.text':
      'Bonjour {name},\n\nLe rapport d’avancement de l’engagement {code} ({title}), {cycle}, a été renvoyé par {reviewer} avec ce commentaire :\n\n{comment}\n\nCorrigez-le et soumettez-le de nouveau :\n{link}\n\n— Besa',
    'reporting.mail.published.subject': 'Rapport d’avancement publié : {code}',
    'reporting.mail.published.text':
      'Bonjour {name},\n\nLe rapport d’avancement de l’engagement {code} ({title}), {cycle}, est maintenant public :\n{link}\n\nMerci pour votre rapport.\n\n— Besa',
  },
});
