import type { Trx } from '../database.js';
import type { AuditRecorder } from '../../modules/audit/index.js';
import { publicChanges } from '../../modules/transparency/index.js';
import type { InstitutionKind, OgpValue } from '../../modules/commitments/index.js';
import { insertGjakovaBodies } from './bodies-gjakova.js';
import { insertGjakovaConsultation } from './consultations-gjakova.js';
import { insertSources, type ProvenanceEntity, type SourceInput } from '../../modules/provenance/index.js';
import { serializeTranslatable, type Translatable } from '../../lib/translatable.js';

/**
 * Gjakova's OGP Local action plan 2024–2025, as adopted and published by OGP: only what the
 * sources say, each text and fact with its source (table `provenance`).
 *
 * Sources, kept word for word in src/db/seeds/sources/: the plan as adopted, in French
 * (action-plan-gjakova-2024-2025.fr.txt), and the opening part of OGP's English pages of the plan
 * and of each commitment (ogp-pages-gjakova.en.txt; their public copy breaks off). A text marked
 * 'words' is the source's own words (seeds.test.ts checks it against those files), 'translation'
 * a faithful translation by Besa, 'summary' a summary by Besa. Where the sources say nothing the
 * field stays empty and is marked 'not_stated'; pages then say so instead of guessing.
 * The plan's milestones are not public, so none are loaded here (see demo.ts for illustrative ones).
 */

const tr = (value: Translatable): string => serializeTranslatable(value);

export const GJAKOVA_SLUG = 'gjakova';
export const GJAKOVA_PLAN_SLUG = '2024-2025';

/** The seed's sources, per field (the field name is the key). */
export type FieldSources = Record<string, Omit<SourceInput, 'field'>[]>;

export const OGP_PLAN_URL = 'https://opengovpartnership.org/documents/action-plan-gjakova-kosovo-2024-2025';
const ogpCommitmentUrl = (code: string): string => `https://opengovpartnership.org/members/gjakova-kosovo/commitments/${code}`;

type Extra = Partial<Omit<SourceInput, 'field' | 'document' | 'section'>>;
const adoptedPlan = (section: string, extra: Extra = {}): Omit<SourceInput, 'field'> => ({ document: 'adopted_plan', section, rendering: 'words', ...extra });
const ogpPlanPage = (section: string, extra: Extra = {}): Omit<SourceInput, 'field'> => ({ document: 'ogp_plan_page', url: OGP_PLAN_URL, section, rendering: 'words', ...extra });
const ogpCommitmentPage = (code: string, section: string, extra: Extra = {}): Omit<SourceInput, 'field'> => ({
  document: 'ogp_commitment_page',
  url: ogpCommitmentUrl(code),
  section,
  rendering: 'words',
  ...extra,
});

/** The adopted plan's "At a glance" part. */
const AT_A_GLANCE_FR = "D'un coup d'œil";

/** Notes shown with a source, in every language. */
const NOTE = {
  cut: {
    en: 'The public copy of the source breaks off here.',
    fr: 'La copie publique de la source s’interrompt ici.',
    sq: 'Kopja publike e burimit ndërpritet këtu.',
    'sr-Latn': 'Javna kopija izvora se ovde prekida.',
  },
  noText: {
    en: 'The published sources hold no text for this field.',
    fr: 'Les sources publiées ne contiennent aucun texte pour ce champ.',
    sq: 'Burimet e publikuara nuk kanë tekst për këtë fushë.',
    'sr-Latn': 'Objavljeni izvori ne sadrže tekst za ovo polje.',
  },
  cutBefore: {
    en: 'OGP’s public page breaks off before this section.',
    fr: 'La page publique de l’OGP s’interrompt avant cette section.',
    sq: 'Faqja publike e OGP-së ndërpritet para këtij seksioni.',
    'sr-Latn': 'Javna stranica OGP-a se prekida pre ovog odeljka.',
  },
  policyBlank: {
    en: 'OGP’s page leaves the policy area and the sector blank.',
    fr: 'La page de l’OGP laisse vides le domaine d’action et le secteur.',
    sq: 'Faqja e OGP-së e lë bosh fushën e politikave dhe sektorin.',
    'sr-Latn': 'Stranica OGP-a ostavlja prazne oblast politike i sektor.',
  },
  roles: {
    en: 'OGP’s page lists the institutions involved without saying which lead.',
    fr: 'La page de l’OGP énumère les institutions impliquées sans dire lesquelles pilotent.',
    sq: 'Faqja e OGP-së rendit institucionet e përfshira pa thënë cilat udhëheqin.',
    'sr-Latn': 'Stranica OGP-a navodi uključene institucije ne navodeći koje vode.',
  },
  signatories: {
    en: 'The plan names, for each organisation, the person who signed and their role; Besa lists the organisations.',
    fr: 'Le plan nomme, pour chaque organisation, la personne signataire et sa fonction ; Besa indique les organisations.',
    sq: 'Plani emërton, për secilën organizatë, personin që nënshkroi dhe rolin e tij; Besa rendit organizatat.',
    'sr-Latn': 'Plan za svaku organizaciju navodi osobu koja je potpisala i njenu funkciju; Besa navodi organizacije.',
  },
  start: {
    en: 'For the plan’s start its pages give only the year of submission; this is the start of its commitments.',
    fr: 'Pour le début du plan, ses pages ne donnent que l’année de soumission ; c’est le début de ses engagements.',
    sq: 'Për fillimin e planit faqet e tij japin vetëm vitin e dorëzimit; ky është fillimi i zotimeve të tij.',
    'sr-Latn': 'Za početak plana njegove stranice navode samo godinu podnošenja; ovo je početak njegovih obaveza.',
  },
  asPublished: {
    en: 'Quoted as published, slips included.',
    fr: 'Cité tel que publié, coquilles comprises.',
    sq: 'Cituar siç është publikuar, bashkë me gabimet.',
    'sr-Latn': 'Citirano kako je objavljeno, zajedno sa greškama.',
  },
  serbianName: {
    en: 'The municipality’s name in Serbian.',
    fr: 'Le nom de la municipalité en serbe.',
    sq: 'Emri i komunës në serbisht.',
    'sr-Latn': 'Naziv opštine na srpskom.',
  },
  endConflict: {
    en: 'Besa keeps the stated end of the plan, September 2025, which agrees with the end of every commitment.',
    fr: 'Besa retient la fin du plan indiquée, septembre 2025, qui concorde avec la fin de chaque engagement.',
    sq: 'Besa mban fundin e deklaruar të planit, shtatorin 2025, që përputhet me fundin e çdo zotimi.',
    'sr-Latn': 'Besa zadržava navedeni kraj plana, septembar 2025, koji se slaže sa krajem svake obaveze.',
  },
  translatedTitle: {
    en: 'Translated by Besa from OGP’s English title.',
    fr: 'Traduit par Besa à partir du titre anglais de l’OGP.',
    sq: 'Përkthyer nga Besa nga titulli anglisht i OGP-së.',
    'sr-Latn': 'Prevela Besa sa engleskog naslova OGP-a.',
  },
} satisfies Record<string, Translatable>;

/* Generated from src/db/seeds/sources/ (the passages the seed quotes word for word). */
const QUOTED = {
  forewordEn: "The Municipality of Gjakova is proud to present this Local Action Plan for Open Governance, developed through the collaborative efforts of government representatives and civil society organizations. This plan represents our shared commitment to fostering transparency, accountability, and inclusivity in local governance, ensuring that the voices of all citizens, including marginalized and sensitive groups, are heard and reflected in decision-making processes.\n\nThis ambitious plan aligns with international standards and best practices, underscoring our vision to make Gjakova a model of democratic values, sustainable development, and participatory governance. Through this plan, we aim to address critical priorities such as the digitalization of services, the enhancement of citizen participation, and the implementation of innovative environmental initiatives.\n\nThe Municipal Transparency Forum, established as a cornerstone of this collaboration, will play a key role in the implementation and monitoring of the plan. Comprising representatives from civil society, the municipal executive, political parties, and the private sector, the Forum ensures a balanced and inclusive approach to governance. Regular meetings, progress reports, and thematic working groups will provide a structured framework for monitoring commitments and addressing challenges.\n\nTo keep the public informed and engaged, results and updates will be shared transparently through the Municipality's official channels, including the website, social media, and public forums. […]",
  forewordFr: "La municipalité de Gjakova est fière de présenter ce Plan d'action local pour une gouvernance ouverte, élaboré grâce aux efforts collaboratifs des représentants du gouvernement et des organisations de la société civile. Ce plan représente notre engagement commun engagement à favoriser la transparence, la responsabilité et l’inclusion dans la gouvernance locale, en veillant à ce que les voix de tous les citoyens, y compris les groupes marginalisés et sensibles, soient entendues et reflétées dans les processus décisionnels.\n\nCe plan ambitieux s’aligne sur les normes internationales et les meilleures pratiques, soulignant notre vision de faire de Gjakova un modèle de valeurs démocratiques, de développement durable et de gouvernance participative. Grâce à ce plan, nous souhaitons répondre à des priorités essentielles telles que la numérisation des services, l’amélioration de la qualité de vie et la mise en œuvre de la politique de santé. participation citoyenne, et la mise en œuvre d’initiatives environnementales innovantes.\n\nLe Forum municipal pour la transparence, établi comme pierre angulaire de cette collaboration, jouera un rôle clé dans la mise en œuvre et le suivi du plan. Il est composé de représentants de la société civile, de l'exécutif municipal, des partis politiques et du gouvernement. secteur privéLe Forum garantit une approche équilibrée et inclusive de la gouvernance. Des réunions régulières, des rapports d’étape et des groupes de travail thématiques fourniront un cadre structuré pour le suivi des engagements et la résolution des problèmes.\n\nAfin de tenir le public informé et de le mobiliser, les résultats et les mises à jour seront partagés de manière transparente via les canaux officiels de la municipalité, notamment le site Web, les médias sociaux et les forums publics. Cela garantit que les citoyens restent des participants actifs dans notre démarche vers la réalisation des objectifs du Plan d'action.\n\nNous nous engageons à travailler ensemble pour construire un modèle de gouvernance qui réponde aux besoins de chaque habitant de Gjakova, favorisant la confiance, la collaboration et le progrès durable. Ce plan d’action n’est pas seulement une feuille de route, mais une vision commune pour un avenir meilleur et plus inclusif.",
  XKGJA0001Problem: "Despite notable progress in the Municipality's digital governance efforts, accessing municipal information and documents remains a persistent issue for citizens. A significant portion of municipal records and services are not yet digitized, requiring individuals to physically visit municipal offices to obtain basic services and information. This not only results in inefficiencies and delays but also imposes unnecessary challenges, especially for individuals with mobility restrictions, time constraints, or those living in remote areas.\n\nThis lack of comprehensive digital infrastructure limits transparency, reducing citizens' ability to access important information and actively participate in local governance processes.\n\nMoreover, the manual nature of these interactions increases the administrative burden on municipal staff, diverting resources that could otherwise be allocated to improving service delivery.\n\nAddressing this issue by digitizing municipal services and making them accessible through user-friendly platforms is crucial. It will improve efficiency, ensure inclusivity, enhance transparency, and empower citizens to interact with their local government in a seamless and modern way, fostering trust and satisfaction in public services.",
  XKGJA0001StatusQuo: "The Municipality of Gjakova has made significant strides in leveraging technology to enhance governance and service delivery. […]",
  XKGJA0002Problem: "Citizen participation in policymaking and decision-making processes remains very low, despite the Municipality's ongoing efforts to encourage their involvement. This lack of engagement partly stems from citizens' limited awareness of the legal frameworks and internal regulations governing the implementation of municipal projects. During the monitoring of budget hearings, it was evident that citizens were not well-informed about their rights or the mechanisms available to influence decisions. Moreover, the current forms of participation, such as public hearings, have not been very effective in fostering meaningful engagement.\n\nThe recently introduced law on notifying and resolving citizen-submitted issues highlights the need for improved processes. The Municipality recognizes that a new approach, allowing citizens to directly propose projects and participate more actively in decision-making, is essential to address these gaps and ensure their voices are heard in shaping local governance.",
  XKGJA0002StatusQuo: "The Municipality of Gjakova regularly organizes meetings and public consultations to engage citizens, gathering their ideas, requests, and suggestions for various decision-making processes, including budget allocation, project implementation, and the development of legal documents. […]",
  XKGJA0003Problem: "Environmental pollution caused by improper waste management is a pressing issue for the Municipality of Gjakova, severely affecting air quality and creating significant challenges for residents' quality of life. This issue is compounded by the lack of robust municipal and central-level regulations that address environmental protection comprehensively and ensure compliance with air quality standards.\n\nAnother contributing factor is the limited engagement of the community in environmental stewardship. There is a notable lack of active citizenship, particularly in organizing voluntary cleanup actions and maintaining communal spaces. This lack of participation diminishes the community's ability to collectively address waste management challenges and sustain a clean and healthy environment.\n\nCollaboration with the central government also remains a critical challenge, particularly regarding the management of inert waste. Key measures necessary to address this issue, such as approvals and regulatory support from the central level, have faced delays, further exacerbating the problem and hindering progress toward sustainable waste management solutions. […]",
};

export const jurisdiction = {
  slug: GJAKOVA_SLUG,
  name: { sq: 'Gjakova', 'sr-Latn': 'Đakovica', en: 'Gjakova', fr: 'Gjakova' } satisfies Translatable,
  kind: 'local',
  country_code: 'XK',
  description: {
    en: 'Municipality in Kosovo. Its open government action plan covers 2024–2025.',
    fr: 'Municipalité du Kosovo. Son plan d’action pour un gouvernement ouvert couvre 2024-2025.',
    sq: 'Komunë në Kosovë. Plani i saj i veprimit për qeverisje të hapur mbulon vitet 2024–2025.',
    'sr-Latn': 'Opština na Kosovu. Njen akcioni plan za otvorenu upravu obuhvata 2024–2025.',
  } satisfies Translatable,
  /** Not in the sources: left empty rather than guessed. */
  website: null as string | null,
  /** Kosovo's time zone (IANA names it after Belgrade): a fact of the place, not a branding choice. */
  time_zone: 'Europe/Belgrade',
  sources: {
    name: [
      ogpPlanPage('At-a-Glance', { language: 'en' }),
      adoptedPlan(AT_A_GLANCE_FR, { language: 'fr' }),
      adoptedPlan(AT_A_GLANCE_FR, { language: 'sq' }),
      adoptedPlan(AT_A_GLANCE_FR, { language: 'sr-Latn', rendering: 'translation', note: NOTE.serbianName }),
    ],
    description: [ogpPlanPage('At-a-Glance', { rendering: 'summary' })],
    website: [adoptedPlan('', { rendering: 'not_stated', note: NOTE.noText })],
  } satisfies FieldSources,
};

interface InstitutionSeed {
  slug: string;
  kind: InstitutionKind;
  name: Translatable;
  sources: FieldSources;
}

/** An institution named by OGP's English pages (and, for the plan's leads, by the French plan). */
const named = (slug: string, kind: InstitutionKind, en: string, where: Omit<SourceInput, 'field'>, fr?: { name: string; section: string }): InstitutionSeed => ({
  slug,
  kind,
  name: fr ? { en, fr: fr.name } : { en },
  sources: { name: [{ ...where, language: 'en' }, ...(fr ? [adoptedPlan(fr.section, { language: 'fr' })] : [])] },
});
/** A proper name or acronym, written alike in every language. */
const properName = (slug: string, kind: InstitutionKind, name: string, where: Omit<SourceInput, 'field'>): InstitutionSeed => ({
  slug,
  kind,
  name: { en: name, fr: name, sq: name, 'sr-Latn': name },
  sources: { name: [where] },
});

const LEAD_INSTITUTION = ogpPlanPage('At-a-Glance');
const involved = (code: string) => ogpCommitmentPage(code, 'Institutions involved');

/**
 * Institutions as the sources name them. The plan's lead "Mayor" and XKGJA0002's "Mayor's
 * Cabinet" are two entries, as the sources keep them apart. Kinds: municipal units and the
 * Information Society Agency are government; the Local Youth Action Council is neither a
 * municipal unit nor a civil society organisation in the sources, so its kind is 'other'.
 */
export const institutions: InstitutionSeed[] = [
  named('mayor', 'government', 'Mayor', LEAD_INSTITUTION, { name: 'Maire', section: AT_A_GLANCE_FR }),
  named('municipal-directorates', 'government', 'Municipal Directorates', LEAD_INSTITUTION, { name: 'Directions municipales', section: AT_A_GLANCE_FR }),
  named('information-office', 'government', 'Information Office', LEAD_INSTITUTION, { name: "Bureau d'information", section: AT_A_GLANCE_FR }),
  named('procurement-office', 'government', 'Procurement Office', LEAD_INSTITUTION, { name: 'Bureau des marchés publics', section: AT_A_GLANCE_FR }),
  named('mayors-cabinet', 'government', "Mayor's Cabinet", involved('XKGJA0002')),
  named('it-office', 'government', 'IT Office', involved('XKGJA0001')),
  named('assembly-secretariat', 'government', 'Secretariat of the Assembly', involved('XKGJA0002')),
  named('directorate-public-services', 'government', 'Directorate for Public Services – Waste Management Sector', involved('XKGJA0003')),
  named('directorate-urbanism-environment', 'government', 'Directorate for Urbanism and Environmental Protection', involved('XKGJA0003')),
  named('information-society-agency', 'government', 'information Society Agency', { ...involved('XKGJA0001'), note: NOTE.asPublished }),
  named('local-youth-action-council', 'other', 'Local Youth Action Council', involved('XKGJA0002')),
  properName('ymca', 'civil_society', 'YMCA', involved('XKGJA0001')),
  properName('rilindja-e-gjelbert', 'civil_society', 'Rilindja e Gjelbert', involved('XKGJA0003')),
  named('pamcos', 'civil_society', 'PAMCos - Environmental Association', involved('XKGJA0003')),
  properName('usaid-kmi', 'international', 'USAID - KMI', involved('XKGJA0001')),
  properName('ndi', 'international', 'NDI', involved('XKGJA0002')),
  properName('giz', 'international', 'GIZ', involved('XKGJA0003')),
];

/**
 * The plan. Its period is given in months: the commitments run from December 2024 to September
 * 2025 and the plan ends in September 2025, but both the French plan ("Durée : décembre 2025")
 * and OGP's page ("Duration: Dec 2025") also give December 2025. Besa keeps September 2025 (the
 * stated end, which every commitment agrees with), stores the month's last day, shows the month,
 * and names the conflicting source on the page.
 */
export const plan = {
  slug: GJAKOVA_PLAN_SLUG,
  title: {
    en: 'Action plan – Gjakova, Kosovo, 2024 – 2025',
    fr: 'Plan d’action – Gjakova, Kosovo, 2024 – 2025',
    sq: 'Plani i veprimit – Gjakova, Kosovë, 2024 – 2025',
    'sr-Latn': 'Akcioni plan – Đakovica, Kosovo, 2024 – 2025',
  } satisfies Translatable,
  starts_on: '2024-12-01',
  ends_on: '2025-09-30',
  submitted_on: '2024-11-29',
  status: 'derived', // not read: the plan's status is derived from its dates (planStatusOf)
  leadInstitutions: ['mayor', 'municipal-directorates', 'information-office', 'procurement-office'],
  foreword: { en: QUOTED.forewordEn, fr: QUOTED.forewordFr } satisfies Translatable,
  cocreation_groups: 6,
  cocreation_public_meetings: 15,
  cocreation_summary: {
    en: 'The Municipal Transparency Forum, set up by the municipality on 27 July 2023, is the plan’s mechanism for co-creation, coordination and implementation. Taking part in the co-creation were representatives of civil society (local organisations focused on young people, women, persons with disabilities and non-majority communities), municipal officials, members of the Municipal Assembly and representatives of the private sector. Work took place in municipal premises, in private venues, through shared documents and in online meetings.',
    fr: "Le Forum municipal pour la transparence, créé par la municipalité le 27 juillet 2023, est le mécanisme de co-création, de coordination et de mise en œuvre du plan. Ont pris part à la co-création des représentants de la société civile (organisations locales axées sur les jeunes, les femmes, les personnes handicapées et les communautés non majoritaires), des fonctionnaires municipaux, des membres de l'Assemblée municipale et des représentants du secteur privé. Les travaux se sont déroulés dans des locaux municipaux, dans des lieux privés, au moyen de documents partagés et lors de réunions en ligne.",
  } satisfies Translatable,
  sources: {
    title: [
      ogpPlanPage('At-a-Glance', { language: 'en' }),
      adoptedPlan(AT_A_GLANCE_FR, { language: 'fr' }),
      ogpPlanPage('At-a-Glance', { language: 'sq', rendering: 'translation' }),
      ogpPlanPage('At-a-Glance', { language: 'sr-Latn', rendering: 'translation' }),
    ],
    starts_on: [ogpCommitmentPage('XKGJA0001', 'At-a-Glance', { quote: 'Commitment Start: Dec 2024', precision: 'month', note: NOTE.start })],
    ends_on: [
      adoptedPlan(AT_A_GLANCE_FR, { quote: "Fin du plan d'action : septembre 2025", precision: 'month' }),
      ogpPlanPage('At-a-Glance', { quote: 'Action Plan End: September 2025', precision: 'month' }),
      adoptedPlan('Description', { relation: 'conflict', quote: 'Durée décembre 2025', precision: 'month' }),
      ogpPlanPage('Description', { relation: 'conflict', quote: 'Duration Dec 2025', precision: 'month', note: NOTE.endConflict }),
    ],
    submitted_on: [
      adoptedPlan('Description', { quote: 'Date de soumission 29ème Novembre 2024', precision: 'day' }),
      ogpPlanPage('Description', { quote: 'Date Submitted 29th November 2024', precision: 'day' }),
    ],
    lead_institutions: [
      adoptedPlan(AT_A_GLANCE_FR, { quote: "Institution responsable : Maire, Directions municipales, Bureau d'information, Bureau des marchés publics" }),
      ogpPlanPage('At-a-Glance', { quote: 'Lead Institution: Mayor, Municipal Directorates, Information Office, Procurement Office' }),
    ],
    foreword: [ogpPlanPage('Foreword(s)', { language: 'en', note: NOTE.cut }), adoptedPlan('Avant-propos', { language: 'fr', note: NOTE.asPublished })],
    cocreation_groups: [adoptedPlan('Combien de groupes ont participé à ces espaces ?', { quote: 'Combien de groupes ont participé à ces espaces ? 6' })],
    cocreation_public_meetings: [
      adoptedPlan('Combien de réunions publiques ont été organisées dans le processus de co-création ?', {
        quote: 'Combien de réunions publiques ont été organisées dans le processus de co-création ? 15',
      }),
    ],
    cocreation_summary: [
      adoptedPlan("Quels types d'arrangements institutionnels sont en place pour coordonner entre les agences gouvernementales et les départements afin de mettre en œuvre le plan d'action OGP ?", { rendering: 'summary' }),
      adoptedPlan('Qui a participé à ces espaces ?', { rendering: 'summary' }),
      adoptedPlan("Quels types d'espaces avez-vous utilisés ou créés pour permettre la collaboration entre le gouvernement et la société civile dans la co-création et la mise en œuvre de ce plan d'action ? Mentionnez les espaces hors ligne et en ligne.", {
        rendering: 'summary',
      }),
    ],
    endorsements: [adoptedPlan('Approbation des parties prenantes non gouvernementales', { note: NOTE.signatories })],
  } satisfies FieldSources,
};

/** The plan's questions (OGP's template) in the plan's words, with Besa's summaries of Gjakova's answers. */
export const visionSections: { question: Translatable; answer: Translatable; sources: FieldSources }[] = [
  {
    question: { en: "What is the long-term vision of open government in your context and your jurisdiction?", fr: "Quelle est la vision à long terme d'un gouvernement ouvert dans votre contexte et votre juridiction ?" },
    answer: {
      en: 'A transparent, inclusive and innovative municipality built on three pillars: digital services that make daily life easier, co-created policies in which every voice counts, and regional leadership on the environment through better waste management and climate action.',
      fr: "Une municipalité transparente, inclusive et innovante, fondée sur trois piliers : des services numériques qui simplifient la vie quotidienne, des politiques co-construites où chaque voix compte, et un rôle moteur dans la région pour l'environnement grâce à une meilleure gestion des déchets et à l'action climatique.",
    },
    sources: {
      question: [adoptedPlan("Quelle est la vision à long terme d'un gouvernement ouvert dans votre contexte et votre juridiction ?", { language: 'fr' }), adoptedPlan("Quelle est la vision à long terme d'un gouvernement ouvert dans votre contexte et votre juridiction ?", { language: 'en', rendering: 'translation' })],
      answer: [adoptedPlan("Quelle est la vision à long terme d'un gouvernement ouvert dans votre contexte et votre juridiction ?", { rendering: 'summary' })],
    },
  },
  {
    question: { en: "What are the open government achievements to date (for example, recent open government reforms)?", fr: "Quelles sont les réalisations du gouvernement ouvert à ce jour (par exemple, les récentes réformes du gouvernement ouvert) ?" },
    answer: {
      en: 'A budget line and a youth action plan funding local youth organizations; regular publication of executive and assembly documents; renovated, more accessible schools and public buildings; digital tools such as the e-School platform, the national e-Procurement platform with digital tracking of invoices, and kiosks for official documents; and new channels of cooperation between municipal services and local public and private enterprises.',
      fr: "Une ligne budgétaire et un plan d'action pour la jeunesse qui financent des associations de jeunes ; la publication régulière des documents de l'exécutif et de l'assemblée ; des écoles et bâtiments publics rénovés et plus accessibles ; des outils numériques comme la plateforme e-School, la plateforme nationale e-Procurement avec le suivi numérique des factures, et des bornes pour obtenir des documents officiels ; enfin de nouveaux canaux de coopération entre les services municipaux et les entreprises publiques et privées locales.",
    },
    sources: {
      question: [adoptedPlan("Quelles sont les réalisations du gouvernement ouvert à ce jour (par exemple, les récentes réformes du gouvernement ouvert) ?", { language: 'fr' }), adoptedPlan("Quelles sont les réalisations du gouvernement ouvert à ce jour (par exemple, les récentes réformes du gouvernement ouvert) ?", { language: 'en', rendering: 'translation' })],
      answer: [adoptedPlan("Quelles sont les réalisations du gouvernement ouvert à ce jour (par exemple, les récentes réformes du gouvernement ouvert) ?", { rendering: 'summary' })],
    },
  },
  {
    question: { en: "What are the current challenges and areas for improvement in open government that the jurisdiction wishes to address?", fr: "Quels sont les défis/domaines actuels à améliorer en matière de gouvernement ouvert que la juridiction souhaite relever ?" },
    answer: {
      en: "Understanding what young people in Gjakova actually need; making municipal information quicker and simpler to obtain; completing the accessibility of public buildings for persons with disabilities; extending digital services beyond the first platforms; and better coordination between municipal services and public and private enterprises.",
      fr: "Mieux connaître les besoins réels des jeunes de Gjakova ; rendre l'information municipale plus simple et plus rapide à obtenir ; achever l'accessibilité des bâtiments publics pour les personnes handicapées ; étendre les services numériques au-delà des premières plateformes ; mieux coordonner les services municipaux et les entreprises publiques et privées.",
    },
    sources: {
      question: [adoptedPlan("Quels sont les défis/domaines actuels à améliorer en matière de gouvernement ouvert que la juridiction souhaite relever ?", { language: 'fr' }), adoptedPlan("Quels sont les défis/domaines actuels à améliorer en matière de gouvernement ouvert que la juridiction souhaite relever ?", { language: 'en', rendering: 'translation' })],
      answer: [adoptedPlan("Quels sont les défis/domaines actuels à améliorer en matière de gouvernement ouvert que la juridiction souhaite relever ?", { rendering: 'summary' })],
    },
  },
  {
    question: { en: "What medium-term open government goals does the government wish to achieve?", fr: "Quels sont les objectifs de gouvernement ouvert à moyen terme que le gouvernement souhaite atteindre?" },
    answer: {
      en: 'Run every step of public procurement digitally on the national e-Procurement platform; widen citizen participation through the Municipal Transparency Forum and partnerships with organizations that reach marginalized groups and communities; and introduce new environmental and climate policies on waste, renewable energy and community climate action.',
      fr: "Mener chaque étape des marchés publics de façon numérique sur la plateforme nationale e-Procurement ; élargir la participation citoyenne grâce au Forum municipal pour la transparence et à des partenariats avec des organisations proches des groupes marginalisés et des communautés ; adopter de nouvelles politiques environnementales et climatiques sur les déchets, les énergies renouvelables et l'action climatique de proximité.",
    },
    sources: {
      question: [adoptedPlan("Quels sont les objectifs de gouvernement ouvert à moyen terme que le gouvernement souhaite atteindre?", { language: 'fr' }), adoptedPlan("Quels sont les objectifs de gouvernement ouvert à moyen terme que le gouvernement souhaite atteindre?", { language: 'en', rendering: 'translation' })],
      answer: [adoptedPlan("Quels sont les objectifs de gouvernement ouvert à moyen terme que le gouvernement souhaite atteindre?", { rendering: 'summary' })],
    },
  },
  {
    question: { en: "How does this action plan contribute to achieving the strategic open government vision?", fr: "Comment ce plan d'action contribue-t-il à la réalisation de la vision stratégique du gouvernement ouvert?" },
    answer: {
      en: 'Each commitment serves one pillar: digital services and transparent procurement for openness; the Transparency Forum and civil society partners against low participation; and action against illegal dumping, tyre burning and poor waste management, including a wider district heating network, treatment of inert waste and a recycling strategy.',
      fr: "Chaque engagement sert un pilier : services numériques et marchés publics transparents pour l'ouverture ; le Forum pour la transparence et les partenaires de la société civile contre la faible participation ; la lutte contre les dépôts sauvages, le brûlage de pneus et la mauvaise gestion des déchets, avec l'extension du chauffage urbain, le traitement des déchets inertes et une stratégie de recyclage.",
    },
    sources: {
      question: [adoptedPlan("Comment ce plan d'action contribue-t-il à la réalisation de la vision stratégique du gouvernement ouvert?", { language: 'fr' }), adoptedPlan("Comment ce plan d'action contribue-t-il à la réalisation de la vision stratégique du gouvernement ouvert?", { language: 'en', rendering: 'translation' })],
      answer: [adoptedPlan("Comment ce plan d'action contribue-t-il à la réalisation de la vision stratégique du gouvernement ouvert?", { rendering: 'summary' })],
    },
  },
  {
    question: { en: "How does the strategic open government vision contribute to the general policy goals of the current administration?", fr: "Comment la vision stratégique du gouvernement ouvert contribue-t-elle à la réalisation des objectifs politiques généraux de l'administration actuelle?" },
    answer: {
      en: "It serves the municipality's own aims of transparency, accountability and participation, strengthens trust between residents and local institutions, and places Gjakova in the international open government community.",
      fr: "Elle sert les objectifs propres de la municipalité en matière de transparence, de redevabilité et de participation, renforce la confiance entre les habitants et les institutions locales, et inscrit Gjakova dans la communauté internationale du gouvernement ouvert.",
    },
    sources: {
      question: [adoptedPlan("Comment la vision stratégique du gouvernement ouvert contribue-t-elle à la réalisation des objectifs politiques généraux de l'administration actuelle?", { language: 'fr' }), adoptedPlan("Comment la vision stratégique du gouvernement ouvert contribue-t-elle à la réalisation des objectifs politiques généraux de l'administration actuelle?", { language: 'en', rendering: 'translation' })],
      answer: [adoptedPlan("Comment la vision stratégique du gouvernement ouvert contribue-t-elle à la réalisation des objectifs politiques généraux de l'administration actuelle?", { rendering: 'summary' })],
    },
  },
  {
    question: { en: "How will government and non-governmental stakeholders continue to collaborate through the implementation of the action plan?", fr: "Comment les parties prenantes gouvernementales et non gouvernementales continueront-elles à collaborer à travers la mise en œuvre du plan d'action ?" },
    answer: {
      en: 'The Municipal Transparency Forum meets monthly to review progress and difficulties, invites experts and community representatives when useful, and may set up thematic working groups to analyse specific commitments and propose concrete measures.',
      fr: "Le Forum municipal pour la transparence se réunit chaque mois pour examiner les progrès et les difficultés, invite des experts et des représentants de la communauté si nécessaire, et peut créer des groupes de travail thématiques pour analyser certains engagements et proposer des mesures concrètes.",
    },
    sources: {
      question: [adoptedPlan("Comment les parties prenantes gouvernementales et non gouvernementales continueront-elles à collaborer à travers la mise en œuvre du plan d'action ?", { language: 'fr' }), adoptedPlan("Comment les parties prenantes gouvernementales et non gouvernementales continueront-elles à collaborer à travers la mise en œuvre du plan d'action ?", { language: 'en', rendering: 'translation' })],
      answer: [adoptedPlan("Comment les parties prenantes gouvernementales et non gouvernementales continueront-elles à collaborer à travers la mise en œuvre du plan d'action ?", { rendering: 'summary' })],
    },
  },
  {
    question: { en: 'Who monitors the plan, and how are results shared?', fr: 'Qui assure le suivi du plan et comment les résultats sont-ils communiqués ?' },
    answer: {
      en: 'A monitoring body set up by the Forum, with a civil society majority alongside political party and executive members, reviews progress every two to three months and whenever needed; commitment holders report at these meetings and the body recommends adjustments. Results are published on the municipal website and social media, in press releases and, where useful, at public meetings.',
      fr: "Un organe de suivi créé par le Forum, majoritairement composé de la société civile aux côtés de membres des partis politiques et de l'exécutif, examine les progrès tous les deux à trois mois et chaque fois que nécessaire ; les porteurs d'engagements y rendent compte et l'organe recommande des ajustements. Les résultats sont publiés sur le site et les réseaux sociaux de la municipalité, dans des communiqués de presse et, si utile, lors de réunions publiques.",
    },
    sources: {
      question: [adoptedPlan("Veuillez décrire l’organisme de surveillance indépendant que vous avez identifié pour ce plan.", { rendering: 'summary' }), adoptedPlan("Comment vérifierez-vous régulièrement les progrès avec les agences de mise en œuvre ?", { rendering: 'summary' }), adoptedPlan("Comment partagerez-vous les résultats de vos efforts de surveillance avec le public ?", { rendering: 'summary' })],
      answer: [adoptedPlan("Veuillez décrire l’organisme de surveillance indépendant que vous avez identifié pour ce plan.", { rendering: 'summary' }), adoptedPlan("Comment vérifierez-vous régulièrement les progrès avec les agences de mise en œuvre ?", { rendering: 'summary' }), adoptedPlan("Comment partagerez-vous les résultats de vos efforts de surveillance avec le public ?", { rendering: 'summary' })],
    },
  },
];

/**
 * Endorsements as the adopted plan lists them ("Approbation des parties prenantes non
 * gouvernementales"): the organisations, in the plan's words; the plan also names each signatory
 * and their role, which the page says (NOTE.signatories) without repeating the names.
 */
export const endorsements: { organization: string; sector: string }[] = [
  { organization: 'Handikos Gjakova', sector: 'civil_society' },
  { organization: 'Medika', sector: 'civil_society' },
  { organization: 'YMCA', sector: 'civil_society' },
  { organization: 'Activism Roots', sector: 'civil_society' },
  { organization: 'Femmes actives de Gjakova', sector: 'civil_society' },
  { organization: 'comité communautaire', sector: 'civil_society' },
  { organization: 'OSCE', sector: 'international' },
];

/** How an institution takes part in a commitment: 'involved' when the sources do not say whether it leads. */
export type SeedInstitutionRole = 'lead' | 'supporting' | 'involved';

interface CommitmentSeed {
  code: string;
  title: Translatable;
  problem: Translatable;
  status_quo: Translatable;
  action: Translatable;
  contribution: Translatable;
  long_term_goal: Translatable;
  ogp_values: OgpValue[];
  policy_areas: string[];
  starts_on: string;
  ends_on: string;
  institutions: { slug: string; role: SeedInstitutionRole }[];
  sources: FieldSources;
}

/** The sources every commitment shares: OGP's page of the commitment, in its At-a-Glance and Description parts. */
function commitmentSources(code: string, ogpValue: string, cut: { problem: boolean; statusQuo: 'words' | 'cut' | 'none' }): FieldSources {
  const notStated = [ogpCommitmentPage(code, 'Description', { rendering: 'not_stated', note: NOTE.noText })];
  return {
    title: [
      ogpCommitmentPage(code, 'Commitment Title', { language: 'en' }),
      ogpCommitmentPage(code, 'Commitment Title', { language: 'fr', rendering: 'translation', note: NOTE.translatedTitle }),
      ogpCommitmentPage(code, 'Commitment Title', { language: 'sq', rendering: 'translation', note: NOTE.translatedTitle }),
      ogpCommitmentPage(code, 'Commitment Title', { language: 'sr-Latn', rendering: 'translation', note: NOTE.translatedTitle }),
    ],
    problem: [ogpCommitmentPage(code, 'Problem', { language: 'en', ...(cut.problem ? { note: NOTE.cut } : {}) })],
    status_quo:
      cut.statusQuo === 'none'
        ? [ogpCommitmentPage(code, 'Status quo', { rendering: 'not_stated', note: NOTE.cutBefore })]
        : [ogpCommitmentPage(code, 'Status quo', { language: 'en', ...(cut.statusQuo === 'cut' ? { note: NOTE.cut } : {}) })],
    action: notStated,
    contribution: notStated,
    long_term_goal: notStated,
    ogp_values: [ogpCommitmentPage(code, 'OGP Value', { quote: ogpValue })],
    policy_areas: [ogpCommitmentPage(code, 'Primary Policy Area', { rendering: 'not_stated', note: NOTE.policyBlank })],
    starts_on: [ogpCommitmentPage(code, 'At-a-Glance', { quote: 'Commitment Start: Dec 2024', precision: 'month' })],
    ends_on: [ogpCommitmentPage(code, 'At-a-Glance', { quote: 'Commitment End: Sep 2025', precision: 'month' })],
    institutions: [ogpCommitmentPage(code, 'Institutions involved', { note: NOTE.roles })],
  };
}

/*
 * The commitments as OGP's pages give them: title, problem and status quo in OGP's English words
 * (cut where the public copy breaks off, marked "[…]"); what will be done, how it will help and
 * the long-term goal are in no source available, so they stay empty. Policy areas are blank on
 * OGP's pages. Institutions are those "involved", none of them said to lead.
 */
export const commitments: CommitmentSeed[] = [
  {
    code: 'XKGJA0001',
    title: {
      en: 'Digitalization of municipal services',
      fr: 'Numérisation des services municipaux',
      sq: 'Digjitalizimi i shërbimeve komunale',
      'sr-Latn': 'Digitalizacija opštinskih usluga',
    },
    problem: { en: QUOTED.XKGJA0001Problem },
    status_quo: { en: QUOTED.XKGJA0001StatusQuo },
    action: {},
    contribution: {},
    long_term_goal: {},
    // OGP's "Technology and Innovation for Transparency and Accountability": today a lens on two values.
    ogp_values: ['transparency', 'public_accountability', 'technology_and_innovation'],
    policy_areas: [],
    starts_on: '2024-12-01',
    ends_on: '2025-09-30',
    institutions: [
      { slug: 'information-office', role: 'involved' },
      { slug: 'it-office', role: 'involved' },
      { slug: 'procurement-office', role: 'involved' },
      { slug: 'ymca', role: 'involved' },
      { slug: 'information-society-agency', role: 'involved' },
      { slug: 'usaid-kmi', role: 'involved' },
    ],
    sources: commitmentSources('XKGJA0001', 'Technology and Innovation for Transparency and Accountability', { problem: false, statusQuo: 'cut' }),
  },
  {
    code: 'XKGJA0002',
    title: {
      en: 'Enhancing inclusive citizen engagement in key decision-making processes',
      fr: 'Renforcer l’engagement citoyen inclusif dans les principaux processus de décision',
      sq: 'Forcimi i angazhimit gjithëpërfshirës të qytetarëve në proceset kryesore të vendimmarrjes',
      'sr-Latn': 'Jačanje inkluzivnog učešća građana u ključnim procesima odlučivanja',
    },
    problem: { en: QUOTED.XKGJA0002Problem },
    status_quo: { en: QUOTED.XKGJA0002StatusQuo },
    action: {},
    contribution: {},
    long_term_goal: {},
    ogp_values: ['civic_participation'],
    policy_areas: [],
    starts_on: '2024-12-01',
    ends_on: '2025-09-30',
    institutions: [
      { slug: 'information-office', role: 'involved' },
      { slug: 'mayors-cabinet', role: 'involved' },
      { slug: 'assembly-secretariat', role: 'involved' },
      { slug: 'local-youth-action-council', role: 'involved' },
      { slug: 'ndi', role: 'involved' },
    ],
    sources: commitmentSources('XKGJA0002', 'Civic Participation', { problem: false, statusQuo: 'cut' }),
  },
  {
    code: 'XKGJA0003',
    title: {
      en: 'Enhancing waste management and environmental protection through public awareness, community involvement, and new regulations',
      fr: "Améliorer la gestion des déchets et la protection de l'environnement par la sensibilisation du public, l'implication de la communauté et de nouvelles réglementations",
      sq: 'Përmirësimi i menaxhimit të mbeturinave dhe i mbrojtjes së mjedisit përmes vetëdijesimit publik, përfshirjes së komunitetit dhe rregulloreve të reja',
      'sr-Latn': 'Unapređenje upravljanja otpadom i zaštite životne sredine kroz podizanje javne svesti, uključivanje zajednice i nove propise',
    },
    problem: { en: QUOTED.XKGJA0003Problem },
    status_quo: {},
    action: {},
    contribution: {},
    long_term_goal: {},
    ogp_values: ['public_accountability'],
    policy_areas: [],
    starts_on: '2024-12-01',
    ends_on: '2025-09-30',
    institutions: [
      { slug: 'directorate-public-services', role: 'involved' },
      { slug: 'directorate-urbanism-environment', role: 'involved' },
      { slug: 'ymca', role: 'involved' },
      { slug: 'giz', role: 'involved' },
      { slug: 'rilindja-e-gjelbert', role: 'involved' },
      { slug: 'pamcos', role: 'involved' },
    ],
    sources: commitmentSources('XKGJA0003', 'Public Accountability', { problem: true, statusQuo: 'none' }),
  },
];

/** The seed's sources as rows for one record. */
function sourceRows(sources: FieldSources): SourceInput[] {
  return Object.entries(sources).flatMap(([field, list]) => list.map((s) => ({ field, ...s })));
}

/** Inserts everything above; the caller owns the transaction (runCommand). Returns the plan id. */
export async function insertGjakova(trx: Trx, audit: AuditRecorder, now = new Date().toISOString()): Promise<{ jurisdictionId: number; planId: number }> {
  // Every seeded item is published in the transparency log, as if created one by one, with its sources.
  const published = (values: object, sources?: FieldSources) => ({
    seed: 'gjakova',
    ...publicChanges(undefined, values),
    ...(sources ? { sources: Object.fromEntries(Object.entries(sources).map(([field, list]) => [field, list.map((s) => `${s.document}:${s.rendering}`)])) } : {}),
  });
  const addSources = (type: ProvenanceEntity, id: number, sources: FieldSources) => insertSources(trx, type, id, sourceRows(sources), null, now);

  const jurisdictionValues = {
    slug: jurisdiction.slug,
    name: tr(jurisdiction.name),
    kind: jurisdiction.kind,
    country_code: jurisdiction.country_code,
    description: tr(jurisdiction.description),
    website: jurisdiction.website,
    time_zone: jurisdiction.time_zone,
  };
  const { id: jurisdictionId } = await trx
    .insertInto('jurisdictions')
    .values({ ...jurisdictionValues, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addSources('jurisdiction', jurisdictionId, jurisdiction.sources);
  await audit.publish('jurisdiction.created', 'jurisdiction', jurisdictionId, published(jurisdictionValues, jurisdiction.sources));

  const institutionIds = new Map<string, number>();
  for (const institution of institutions) {
    const values = {
      jurisdiction_id: jurisdictionId,
      slug: institution.slug,
      name: tr(institution.name),
      kind: institution.kind,
      description: '{}',
      website: null,
    };
    const { id } = await trx
      .insertInto('institutions')
      .values({ ...values, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addSources('institution', id, institution.sources);
    await audit.publish('institution.created', 'institution', id, published(values, institution.sources));
    institutionIds.set(institution.slug, id);
  }
  const institutionId = (slug: string): number => {
    const id = institutionIds.get(slug);
    if (id === undefined) throw new Error(`seed: unknown institution ${slug}`);
    return id;
  };

  const planValues = {
    jurisdiction_id: jurisdictionId,
    slug: plan.slug,
    title: tr(plan.title),
    starts_on: plan.starts_on,
    ends_on: plan.ends_on,
    submitted_on: plan.submitted_on,
    status: plan.status,
    foreword: tr(plan.foreword),
    cocreation_groups: plan.cocreation_groups,
    cocreation_public_meetings: plan.cocreation_public_meetings,
    cocreation_summary: tr(plan.cocreation_summary),
  };
  const { id: planId } = await trx
    .insertInto('action_plans')
    .values({ ...planValues, is_demo: 0, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addSources('action_plan', planId, plan.sources);
  await audit.publish(
    'action_plan.created',
    'action_plan',
    planId,
    published(
      {
        ...planValues,
        lead_institution_ids: plan.leadInstitutions.map((slug) => institutionId(slug)),
        endorsements: endorsements.map((e) => ({ organization: e.organization, sector: e.sector })),
        vision_sections: visionSections.map((s) => ({ question: JSON.parse(tr(s.question)) as unknown, answer: JSON.parse(tr(s.answer)) as unknown })),
      },
      plan.sources,
    ),
  );

  await trx
    .insertInto('action_plan_lead_institutions')
    .values(plan.leadInstitutions.map((slug, position) => ({ action_plan_id: planId, institution_id: institutionId(slug), position })))
    .execute();
  for (const [position, s] of visionSections.entries()) {
    const { id } = await trx
      .insertInto('vision_sections')
      .values({ action_plan_id: planId, position, question: tr(s.question), answer: tr(s.answer) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addSources('vision_section', id, s.sources);
  }
  await trx
    .insertInto('endorsements')
    .values(endorsements.map((e, position) => ({ action_plan_id: planId, position, organization: e.organization, sector: e.sector })))
    .execute();

  for (const [position, c] of commitments.entries()) {
    const values = {
      action_plan_id: planId,
      code: c.code,
      position,
      title: tr(c.title),
      problem: tr(c.problem),
      status_quo: tr(c.status_quo),
      action: tr(c.action),
      contribution: tr(c.contribution),
      long_term_goal: tr(c.long_term_goal),
      ogp_values: JSON.stringify(c.ogp_values),
      policy_areas: JSON.stringify(c.policy_areas),
      starts_on: c.starts_on,
      ends_on: c.ends_on,
    };
    const { id: commitmentId } = await trx
      .insertInto('commitments')
      .values({ ...values, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('commitment_institutions')
      .values(c.institutions.map((i) => ({ commitment_id: commitmentId, institution_id: institutionId(i.slug), role: i.role })))
      .execute();
    await addSources('commitment', commitmentId, c.sources);
    const institutionRoles = c.institutions.map((i) => `${i.role}:${institutionId(i.slug)}`).sort();
    await audit.publish('commitment.created', 'commitment', commitmentId, published({ ...values, institutions: institutionRoles }, c.sources));
  }

  await insertGjakovaBodies(trx, audit, jurisdictionId, now);
  // The 2024 co-creation call, closed, with the facts the plan states (6 groups, 15 public meetings).
  await insertGjakovaConsultation(trx, audit, jurisdictionId, planId, now);

  await audit.publish('seed.gjakova', 'action_plan', planId, {
    jurisdiction: jurisdiction.slug,
    plan: plan.slug,
    institutions: institutions.length,
    commitments: commitments.length,
  });
  return { jurisdictionId, planId };
}
