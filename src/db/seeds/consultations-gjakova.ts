import type { Trx } from '../database.js';
import { serializeTranslatable, type Translatable } from '../../lib/translatable.js';
import type { AuditRecorder } from '../../modules/audit/index.js';
import { pdb } from '../../modules/participation/tables.js';
import { publicChanges } from '../../modules/transparency/index.js';

/**
 * Gjakova's 2024 co-creation call, as a closed consultation, with only what the adopted plan states
 * (French, src/db/seeds/sources/action-plan-gjakova-2024-2025.fr.txt): the call's title, who took
 * part, 6 groups and 15 public meetings, and that the plan it led to was submitted on 29 November
 * 2024. The French texts are the plan's own words; the English ones are Besa's translations.
 *
 * Dates: the plan gives none for the call. The consultation's days must be stored, so the seed uses
 * what the plan gives: the year of submission ("Soumission du plan d'action : 2024", opening shown
 * as 1 January 2024, year precision) and the day it was submitted ("Date de soumission 29ème
 * Novembre 2024", by which the call had closed). The page says so in `dates_note`, and the
 * provenance rows below record both sources with their precision.
 */

export const COCREATION_SLUG = 'co-creation-2024';

const tr = (value: Translatable): string => serializeTranslatable(value);

/** Sections of the adopted plan (the questions of OGP's template, word for word). */
export const COCREATION_SECTIONS = {
  commitments: 'Engagements:',
  diversity: 'Quelles mesures avez-vous prises pour assurer la diversité de la représentation (y compris les populations vulnérables ou marginalisées) dans ces espaces ?',
  who: 'Qui a participé à ces espaces ?',
  groups: 'Combien de groupes ont participé à ces espaces ?',
  meetings: 'Combien de réunions publiques ont été organisées dans le processus de co-création ?',
  atAGlance: "D'un coup d'œil",
  description: 'Description',
} as const;

/** The passages quoted word for word (provenance-check's sourceText finds each in the plan). */
export const COCREATION_QUOTES = {
  title: "Appel à consultation publique pour l'élaboration d'un plan d'action local",
  form: "Votre adresse courriel n'apparaitra pas. Les champs obligatoires sont marqués *",
  summary:
    'En plus du Forum, la municipalité a encouragé un dialogue ouvert par le biais de consultations publiques et d’ateliers, garantissant ainsi aux groupes marginalisés la possibilité de participer et de contribuer. La collaboration a été soutenue par des espaces physiques et numériques, notamment des outils en ligne, des documents partagés et des réunions virtuelles, afin de garantir une accessibilité et une représentation maximales.',
  who: "Le processus de co-création a impliqué un large éventail de participants afin de garantir l'inclusivité et une approche holistique de l'élaboration et de la mise en œuvre des politiques. Les principaux groupes comprennent :",
  groups: 'Combien de groupes ont participé à ces espaces ? 6',
  meetings: 'Combien de réunions publiques ont été organisées dans le processus de co-création ? 15',
  year: "Soumission du plan d'action : 2024",
  submitted: 'Date de soumission 29ème Novembre 2024',
} as const;

const OGP_PLAN_URL = 'https://opengovpartnership.org/documents/action-plan-gjakova-kosovo-2024-2025';

export const cocreation = {
  title: {
    fr: COCREATION_QUOTES.title,
    en: 'Call for public consultation on drafting a local action plan',
  } as Translatable,
  summary: {
    fr: COCREATION_QUOTES.summary,
    en: 'Besides the Forum, the municipality encouraged an open dialogue through public consultations and workshops, so that marginalised groups could take part and contribute. The collaboration was supported by physical and digital spaces, including online tools, shared documents and virtual meetings, for the widest accessibility and representation.',
  } as Translatable,
  body: {
    fr: `${COCREATION_QUOTES.who}\n\n• Représentants de la société civile : Les organisations locales axées sur les jeunes, les femmes, les personnes handicapées et les communautés non majoritaires ont contribué activement aux discussions, veillant à ce que les besoins et les perspectives des différents groupes sociaux soient reflétés dans le processus.\n• Fonctionnaires municipaux : Des fonctionnaires de différents services de la municipalité ont participé, apportant une expertise technique et alignant le processus sur les priorités et les capacités municipales.\n• Membres de l'Assemblée Municipale : Les représentants élus ont joué un rôle crucial dans l’orientation des discussions et des décisions, en garantissant l’alignement avec les cadres législatifs et les intérêts plus larges de la communauté.\n• Représentants du secteur privé : Des entreprises et des entrepreneurs locaux ont participé, offrant des perspectives sur le développement économique et la durabilité, et soulignant le rôle du secteur privé dans le soutien de la croissance communautaire.`,
    en: 'The co-creation process involved a wide range of participants, for inclusiveness and a holistic approach to drafting and implementing policies. The main groups were:\n\n• Civil society representatives: local organisations working with young people, women, persons with disabilities and non-majority communities took an active part in the discussions, so that the needs and views of the different social groups were reflected in the process.\n• Municipal officials: officials of several municipal departments took part, bringing technical expertise and aligning the process with municipal priorities and capacities.\n• Members of the Municipal Assembly: elected representatives played a crucial role in guiding the discussions and decisions, keeping them in line with the legal framework and the wider interests of the community.\n• Private sector representatives: local businesses and entrepreneurs took part, offering views on economic development and sustainability and underlining the private sector’s role in supporting the community’s growth.',
  } as Translatable,
  outcome: {
    fr: "Plan d’action – Gjakova, Kosovo, 2024 – 2025. Date de soumission : 29ème Novembre 2024.",
    en: 'The action plan of Gjakova, Kosovo, 2024–2025, submitted on 29 November 2024.',
  } as Translatable,
  datesNote: {
    fr: "Le plan ne donne pas les dates de l'appel : l'ouverture indiquée n'est que l'année de soumission du plan (2024), la clôture le jour où le plan a été soumis (29 novembre 2024).",
    en: 'The plan gives no dates for the call: the opening shown is only the year the plan was submitted (2024), the closing the day it was submitted (29 November 2024).',
    sq: 'Plani nuk i jep datat e thirrjes: hapja e treguar është vetëm viti i dorëzimit të planit (2024), mbyllja dita kur u dorëzua plani (29 nëntor 2024).',
    'sr-Latn': 'Plan ne navodi datume poziva: prikazano otvaranje je samo godina podnošenja plana (2024), a zatvaranje dan kada je plan podnet (29. novembar 2024).',
  } as Translatable,
  opensOn: '2024-01-01',
  closesOn: '2024-11-29',
  groupsConsulted: 6,
  publicMeetings: 15,
  document: {
    title: { en: 'Action plan – Gjakova, Kosovo, 2024 – 2025 (OGP)', fr: 'Plan d’action – Gjakova, Kosovo, 2024 – 2025 (OGP)' } as Translatable,
    url: OGP_PLAN_URL,
  },
};

interface Source {
  field: string;
  language: string | null;
  section: string;
  rendering: 'words' | 'translation' | 'summary';
  quote?: string;
  precision?: 'day' | 'month' | 'year';
}

const words = (field: string, section: string, quote?: string, extra: Partial<Source> = {}): Source => ({ field, language: 'fr', section, rendering: 'words', ...(quote ? { quote } : {}), ...extra });
const translation = (field: string, section: string): Source => ({ field, language: 'en', section, rendering: 'translation' });

/** Where each text and fact of the seeded consultation comes from (all in the adopted plan). */
export const COCREATION_SOURCES: Source[] = [
  words('title', COCREATION_SECTIONS.commitments, COCREATION_QUOTES.title),
  translation('title', COCREATION_SECTIONS.commitments),
  words('summary', COCREATION_SECTIONS.diversity, COCREATION_QUOTES.summary),
  translation('summary', COCREATION_SECTIONS.diversity),
  words('body', COCREATION_SECTIONS.who, COCREATION_QUOTES.who),
  translation('body', COCREATION_SECTIONS.who),
  words('groups_consulted', COCREATION_SECTIONS.groups, COCREATION_QUOTES.groups, { language: null }),
  words('public_meetings', COCREATION_SECTIONS.meetings, COCREATION_QUOTES.meetings, { language: null }),
  words('opens_on', COCREATION_SECTIONS.atAGlance, COCREATION_QUOTES.year, { language: null, precision: 'year' }),
  words('closes_on', COCREATION_SECTIONS.description, COCREATION_QUOTES.submitted, { language: null, precision: 'day' }),
  words('outcome', COCREATION_SECTIONS.description, COCREATION_QUOTES.submitted),
  translation('outcome', COCREATION_SECTIONS.description),
  // The call's page carried a comment form with this notice: the consultation took comments.
  words('moderation', COCREATION_SECTIONS.commitments, COCREATION_QUOTES.form, { rendering: 'summary', language: null }),
];

/** Inserts the closed co-creation consultation of Gjakova's plan, published, with its document and sources. */
export async function insertGjakovaConsultation(trx: Trx, audit: AuditRecorder, jurisdictionId: number, planId: number, now: string): Promise<number> {
  const values = {
    slug: COCREATION_SLUG,
    subject: 'plan',
    plan_id: planId,
    commitment_id: null,
    title: tr(cocreation.title),
    summary: tr(cocreation.summary),
    body: tr(cocreation.body),
    opens_on: cocreation.opensOn,
    closes_on: cocreation.closesOn,
    moderation: 'post',
    flag_threshold: 3,
    // A call for comments: the plan shows no separate form for proposals.
    allows_proposals: 0,
    groups_consulted: cocreation.groupsConsulted,
    public_meetings: cocreation.publicMeetings,
    outcome: tr(cocreation.outcome),
  };
  const { id } = await pdb(trx)
    .insertInto('consultations')
    .values({ ...values, jurisdiction_id: jurisdictionId, dates_note: tr(cocreation.datesNote), published_at: now, responded_at: null, is_demo: 0, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await pdb(trx).insertInto('consultation_documents').values({ consultation_id: id, title: tr(cocreation.document.title), url: cocreation.document.url, locale: 'en', position: 0 }).execute();
  await trx
    .insertInto('provenance')
    .values(
      COCREATION_SOURCES.map((s, position) => ({
        entity_type: 'consultation',
        entity_id: id,
        field: s.field,
        language: s.language,
        position,
        document: 'adopted_plan',
        title: '',
        url: null,
        section: s.section,
        rendering: s.rendering,
        relation: 'basis',
        quote: s.quote ?? null,
        precision: s.precision ?? null,
        note: '{}',
        recorded_by: null,
        recorded_at: now,
      })),
    )
    .execute();
  const sources: Record<string, string[]> = {};
  for (const s of COCREATION_SOURCES) (sources[s.field] ??= []).push(`adopted_plan:${s.rendering}${s.precision ? `:${s.precision}` : ''}`);
  await audit.publish('consultation.published', 'consultation', id, {
    seed: 'gjakova',
    ...publicChanges(undefined, {
      ...values,
      allows_proposals: false,
      documents: [{ title: cocreation.document.title, url: cocreation.document.url, locale: 'en' }],
    }),
    sources,
  });
  return id;
}
