import type { Db } from '../database.js';
import { SYSTEM } from '../../modules/audit/index.js';
import { createNewsDraft, publishNewsItem, updateNewsItem, type NewsInput } from '../../modules/news/commands.js';
import { ndb } from '../../modules/news/tables.js';
import type { Locale } from '../../i18n/locales.js';
import { GJAKOVA_SLUG } from './gjakova.js';

/**
 * Demonstration news of Gjakova (`besa seed --demo`): the plan names no press release, so these
 * are invented, is_demo = 1, shown with the demonstration tag and saying so in their text: one
 * published press release and one draft. Nothing is added when demonstration news exist already.
 * Returns the number of items added.
 */

type Texts = Record<'sq' | 'sr-Latn' | 'en' | 'fr', { title: string; summary: string; body: string }>;

const PRESS_RELEASE: Texts = {
  en: {
    title: 'Demonstration: the Transparency Forum reviews the first half of the action plan',
    summary: 'Demonstration press release: invented text showing how the municipality announces results.',
    body: 'This press release is demonstration data: it was invented to show how news look in Besa.\n\nThe Transparency Forum met to review the progress reported on the commitments of the action plan. Citizens can read every published progress update on the plan’s pages and follow the next meetings in the calendar.\n\n- Every progress update is published with its evidence.\n- The monitoring body’s reviews follow each reporting cycle.',
  },
  sq: {
    title: 'Demonstrim: Forumi i Transparencës shqyrton gjysmën e parë të planit të veprimit',
    summary: 'Njoftim për shtyp demonstrues: tekst i sajuar që tregon si komuna i njofton rezultatet.',
    body: 'Ky njoftim për shtyp është të dhëna demonstruese: u sajua për të treguar si duken lajmet në Besa.\n\nForumi i Transparencës u mblodh për të shqyrtuar përparimin e raportuar për zotimet e planit të veprimit. Qytetarët mund të lexojnë çdo raport përparimi të publikuar në faqet e planit dhe të ndjekin takimet e ardhshme në kalendar.\n\n- Çdo raport përparimi publikohet me dëshmitë e tij.\n- Shqyrtimet e organit monitorues pasojnë çdo cikël raportimi.',
  },
  'sr-Latn': {
    title: 'Demonstracija: Forum za transparentnost razmatra prvu polovinu akcionog plana',
    summary: 'Demonstraciono saopštenje za medije: izmišljen tekst koji pokazuje kako opština najavljuje rezultate.',
    body: 'Ovo saopštenje za medije su demonstracioni podaci: izmišljeno je da pokaže kako vesti izgledaju u Besi.\n\nForum za transparentnost se sastao da razmotri napredak prijavljen o obavezama akcionog plana. Građani mogu da pročitaju svaki objavljeni izveštaj o napretku na stranicama plana i da prate naredne sastanke u kalendaru.\n\n- Svaki izveštaj o napretku objavljuje se sa svojim dokazima.\n- Pregledi tela za praćenje slede svaki ciklus izveštavanja.',
  },
  fr: {
    title: 'Démonstration : le Forum de la transparence examine la première moitié du plan d’action',
    summary: 'Communiqué de presse de démonstration : texte inventé montrant comment la municipalité annonce ses résultats.',
    body: 'Ce communiqué de presse est une donnée de démonstration : il a été inventé pour montrer à quoi ressemblent les actualités dans Besa.\n\nLe Forum de la transparence s’est réuni pour examiner les progrès rapportés sur les engagements du plan d’action. Les citoyens peuvent lire chaque rapport d’avancement publié sur les pages du plan et suivre les prochaines réunions dans le calendrier.\n\n- Chaque rapport d’avancement est publié avec ses preuves.\n- Les examens de l’organe de suivi suivent chaque cycle de rapport.',
  },
};

const DRAFT: Texts = {
  en: { title: 'Demonstration: draft news item about the next public meeting', summary: '', body: 'Demonstration draft: not published. The coordinator is still writing it.' },
  sq: { title: 'Demonstrim: projekt-lajm për takimin e ardhshëm publik', summary: '', body: 'Projekt demonstrues: i pabotuar. Koordinatori ende po e shkruan.' },
  'sr-Latn': { title: 'Demonstracija: nacrt vesti o narednom javnom sastanku', summary: '', body: 'Demonstracioni nacrt: nije objavljen. Koordinator ga još piše.' },
  fr: { title: 'Démonstration : projet d’actualité sur la prochaine réunion publique', summary: '', body: 'Projet de démonstration : non publié. Le coordinateur est encore en train de l’écrire.' },
};

async function write(db: Db, jurisdictionId: number, kind: NewsInput['kind'], texts: Texts, period: { from: string; to: string } | null): Promise<number> {
  const locales = Object.keys(texts) as (keyof Texts)[];
  const input = (locale: Locale, t: Texts[keyof Texts]): NewsInput => ({
    jurisdictionId,
    kind,
    contentLocale: locale,
    title: t.title,
    summary: t.summary,
    body: t.body,
    periodFrom: period?.from ?? null,
    periodTo: period?.to ?? null,
    isDemo: true,
  });
  const id = await createNewsDraft(db, SYSTEM, input(locales[0]!, texts[locales[0]!]));
  for (const locale of locales.slice(1)) await updateNewsItem(db, SYSTEM, id, input(locale, texts[locale]));
  return id;
}

export async function seedDemoNews(db: Db): Promise<number> {
  const jurisdiction = await db.selectFrom('jurisdictions').select(['id']).where('slug', '=', GJAKOVA_SLUG).executeTakeFirst();
  if (!jurisdiction) return 0;
  const existing = await ndb(db).selectFrom('news_items').select('id').where('jurisdiction_id', '=', jurisdiction.id).where('is_demo', '=', 1).executeTakeFirst();
  if (existing) return 0;
  const release = await write(db, jurisdiction.id, 'press_release', PRESS_RELEASE, { from: '2024-01-01', to: '2024-06-30' });
  await publishNewsItem(db, SYSTEM, release);
  await write(db, jurisdiction.id, 'news', DRAFT, null);
  return 2;
}
