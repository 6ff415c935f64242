import type { Trx } from '../database.js';
import type { AuditRecorder } from '../../modules/audit/index.js';
import { publicChanges } from '../../modules/transparency/index.js';
import type { CommitmentInstitutionRole, InstitutionKind, OgpValue } from '../../modules/commitments/index.js';
import { serializeTranslatable, type Translatable } from '../../lib/translatable.js';

/**
 * Gjakova's OGP Local action plan 2024–2025, as adopted and published by OGP.
 *
 * Sources: the plan's French text and the opening part of the English OGP pages
 * (/work/shared/reference at the time of writing). Long texts are summaries written in our own
 * words, in English and French; Albanian and Serbian are given only for names and titles we can
 * state with certainty (the source has no Albanian or Serbian text of the commitments).
 * The plan's milestones are not public, so none are loaded here (see demo.ts for illustrative ones).
 * Endorsements list organizations only, never the people who signed for them.
 */

const tr = (value: Translatable): string => serializeTranslatable(value);

export const GJAKOVA_SLUG = 'gjakova';
export const GJAKOVA_PLAN_SLUG = '2024-2025';

export const jurisdiction = {
  slug: GJAKOVA_SLUG,
  name: { sq: 'Gjakova', 'sr-Latn': 'Đakovica', en: 'Gjakova', fr: 'Gjakova' } satisfies Translatable,
  kind: 'local',
  country_code: 'XK',
  description: {
    en: 'Municipality in south-western Kosovo, a member of OGP Local. Its open government action plan 2024–2025 runs from December 2024 to September 2025.',
    fr: "Municipalité du sud-ouest du Kosovo, membre d'OGP Local. Son plan d'action pour un gouvernement ouvert 2024-2025 couvre la période de décembre 2024 à septembre 2025.",
    sq: 'Komunë në jugperëndim të Kosovës.',
    'sr-Latn': 'Opština na jugozapadu Kosova.',
  } satisfies Translatable,
  website: 'https://kk.rks-gov.net/gjakove/',
};

interface InstitutionSeed {
  slug: string;
  kind: InstitutionKind;
  name: Translatable;
}

export const institutions: InstitutionSeed[] = [
  {
    slug: 'mayors-office',
    kind: 'government',
    name: { en: "Mayor's Office", fr: 'Cabinet du maire', sq: 'Kabineti i Kryetarit', 'sr-Latn': 'Kabinet predsednika opštine' },
  },
  {
    slug: 'municipal-directorates',
    kind: 'government',
    name: { en: 'Municipal Directorates', fr: 'Directions municipales', sq: 'Drejtoritë komunale', 'sr-Latn': 'Opštinske direkcije' },
  },
  {
    slug: 'information-office',
    kind: 'government',
    name: { en: 'Information Office', fr: "Bureau d'information", sq: 'Zyra për Informim', 'sr-Latn': 'Kancelarija za informisanje' },
  },
  {
    slug: 'procurement-office',
    kind: 'government',
    name: { en: 'Procurement Office', fr: 'Bureau des marchés publics', sq: 'Zyra e Prokurimit', 'sr-Latn': 'Kancelarija za javne nabavke' },
  },
  {
    slug: 'it-office',
    kind: 'government',
    name: { en: 'IT Office', fr: 'Bureau informatique', sq: 'Zyra e Teknologjisë Informative', 'sr-Latn': 'Kancelarija za informacione tehnologije' },
  },
  {
    slug: 'municipal-assembly-secretariat',
    kind: 'government',
    name: {
      en: 'Secretariat of the Municipal Assembly',
      fr: "Secrétariat de l'Assemblée municipale",
      sq: 'Sekretariati i Kuvendit Komunal',
      'sr-Latn': 'Sekretarijat Skupštine opštine',
    },
  },
  {
    slug: 'directorate-public-services',
    kind: 'government',
    name: {
      en: 'Directorate for Public Services (Waste Management Sector)',
      fr: 'Direction des services publics (secteur de la gestion des déchets)',
      sq: 'Drejtoria për Shërbime Publike (Sektori i Menaxhimit të Mbeturinave)',
      'sr-Latn': 'Direkcija za javne usluge (Sektor za upravljanje otpadom)',
    },
  },
  {
    slug: 'directorate-urbanism-environment',
    kind: 'government',
    name: {
      en: 'Directorate for Urbanism and Environmental Protection',
      fr: "Direction de l'urbanisme et de la protection de l'environnement",
      sq: 'Drejtoria për Urbanizëm dhe Mbrojtje të Mjedisit',
      'sr-Latn': 'Direkcija za urbanizam i zaštitu životne sredine',
    },
  },
  {
    slug: 'information-society-agency',
    kind: 'government',
    name: {
      en: 'Information Society Agency',
      fr: "Agence de la société de l'information",
      sq: 'Agjencia e Shoqërisë së Informacionit',
      'sr-Latn': 'Agencija za informaciono društvo',
    },
  },
  {
    slug: 'local-youth-action-council',
    kind: 'civil_society',
    name: {
      en: 'Local Youth Action Council',
      fr: "Conseil local d'action de la jeunesse",
      sq: 'Këshilli Lokal i Veprimit Rinor',
      'sr-Latn': 'Lokalni savet za akciju mladih',
    },
  },
  { slug: 'ymca', kind: 'civil_society', name: { en: 'YMCA', fr: 'YMCA', sq: 'YMCA', 'sr-Latn': 'YMCA' } },
  { slug: 'rilindja-e-gjelber', kind: 'civil_society', name: { en: 'Rilindja e Gjelbër', fr: 'Rilindja e Gjelbër', sq: 'Rilindja e Gjelbër', 'sr-Latn': 'Rilindja e Gjelbër' } },
  {
    slug: 'pamcos',
    kind: 'civil_society',
    name: { en: 'PAMCos – Environmental Association', fr: 'PAMCos – association environnementale', sq: 'PAMCos – Shoqata mjedisore', 'sr-Latn': 'PAMCos – ekološko udruženje' },
  },
  { slug: 'usaid-kmi', kind: 'international', name: { en: 'USAID – KMI', fr: 'USAID – KMI', sq: 'USAID – KMI', 'sr-Latn': 'USAID – KMI' } },
  {
    slug: 'ndi',
    kind: 'international',
    name: { en: 'National Democratic Institute (NDI)', fr: 'National Democratic Institute (NDI)', sq: 'Instituti Demokratik Kombëtar (NDI)', 'sr-Latn': 'Nacionalni demokratski institut (NDI)' },
  },
  { slug: 'giz', kind: 'international', name: { en: 'GIZ', fr: 'GIZ', sq: 'GIZ', 'sr-Latn': 'GIZ' } },
];

/**
 * The plan's period. The plan and the OGP page say "Action Plan End: September 2025" and every
 * commitment ends in September 2025, but the same page's "Duration" field says December 2025.
 * We keep September 2025: it is the stated end of the plan and agrees with all three commitments,
 * whereas "Duration" appears to be a mistaken field. Start: the commitments start in December 2024,
 * just after the plan was submitted (29 November 2024).
 */
export const plan = {
  slug: GJAKOVA_PLAN_SLUG,
  title: {
    en: 'Action plan – Gjakova, Kosovo, 2024–2025',
    fr: "Plan d'action – Gjakova, Kosovo, 2024–2025",
    sq: 'Plani i veprimit – Gjakova, Kosovë, 2024–2025',
    'sr-Latn': 'Akcioni plan – Đakovica, Kosovo, 2024–2025',
  } satisfies Translatable,
  starts_on: '2024-12-01',
  ends_on: '2025-09-30',
  submitted_on: '2024-11-29',
  status: 'derived', // not read: the plan's status is derived from its dates (planStatusOf)
  leadInstitutions: ['mayors-office', 'municipal-directorates', 'information-office', 'procurement-office'],
  foreword: {
    en: [
      'Gjakova presents its local action plan for open government, prepared jointly by municipal representatives and civil society organizations. It commits the municipality to transparency, accountability and inclusion, so that every resident, including marginalized groups, has a say in decisions.',
      'The plan follows international standards and focuses on three priorities: digital municipal services, stronger citizen participation and new environmental initiatives.',
      'The Municipal Transparency Forum, which brings together civil society, the municipal executive, political parties and the private sector, steers implementation and monitoring through regular meetings, progress reports and thematic working groups. Results will be published on the municipal website, on social media and at public meetings.',
    ].join('\n\n'),
    fr: [
      "Gjakova présente son plan d'action local pour un gouvernement ouvert, préparé conjointement par des représentants de la municipalité et des organisations de la société civile. Il engage la municipalité en faveur de la transparence, de la redevabilité et de l'inclusion, afin que chaque habitant, y compris les groupes marginalisés, ait voix au chapitre.",
      "Le plan suit les normes internationales et retient trois priorités : des services municipaux numériques, une participation citoyenne renforcée et de nouvelles initiatives environnementales.",
      "Le Forum municipal pour la transparence, qui réunit la société civile, l'exécutif municipal, les partis politiques et le secteur privé, pilote la mise en œuvre et le suivi au moyen de réunions régulières, de rapports d'étape et de groupes de travail thématiques. Les résultats seront publiés sur le site de la municipalité, sur les réseaux sociaux et lors de réunions publiques.",
    ].join('\n\n'),
  } satisfies Translatable,
  cocreation_groups: 6,
  cocreation_public_meetings: 15,
  cocreation_summary: {
    en: 'The plan was co-created in the Municipal Transparency Forum, set up on 27 July 2023 with members from the municipal executive and assembly and from local civil society organizations. Work took place in municipal premises, in hired private venues, in shared online documents and in online meetings. Organizations representing young people, women, persons with disabilities and non-majority communities took part, together with municipal officials, assembly members and local businesses: six groups in all, in fifteen public meetings.',
    fr: "Le plan a été co-construit au sein du Forum municipal pour la transparence, créé le 27 juillet 2023 avec des membres de l'exécutif et de l'assemblée municipale et des organisations locales de la société civile. Les travaux se sont déroulés dans des locaux municipaux, dans des lieux privés loués, dans des documents partagés en ligne et lors de réunions en ligne. Des organisations représentant les jeunes, les femmes, les personnes handicapées et les communautés non majoritaires y ont pris part, avec des agents municipaux, des membres de l'assemblée et des entreprises locales : six groupes au total, en quinze réunions publiques.",
  } satisfies Translatable,
};

/** The plan's questions (OGP's template) with our summaries of Gjakova's answers. */
export const visionSections: { question: Translatable; answer: Translatable }[] = [
  {
    question: {
      en: 'What is the long-term vision for open government in your jurisdiction?',
      fr: 'Quelle est la vision à long terme du gouvernement ouvert dans votre juridiction ?',
    },
    answer: {
      en: 'A transparent, inclusive and innovative municipality built on three pillars: digital services that make daily life easier, co-created policies in which every voice counts, and regional leadership on the environment through better waste management and climate action.',
      fr: "Une municipalité transparente, inclusive et innovante, fondée sur trois piliers : des services numériques qui simplifient la vie quotidienne, des politiques co-construites où chaque voix compte, et un rôle moteur dans la région pour l'environnement grâce à une meilleure gestion des déchets et à l'action climatique.",
    },
  },
  {
    question: {
      en: 'What open government achievements has the jurisdiction made so far?',
      fr: "Quelles réalisations en matière de gouvernement ouvert la juridiction a-t-elle déjà obtenues ?",
    },
    answer: {
      en: 'A budget line and a youth action plan funding local youth organizations; regular publication of executive and assembly documents; renovated, more accessible schools and public buildings; digital tools such as the e-School platform, the national e-Procurement platform with digital tracking of invoices, and kiosks for official documents; and new channels of cooperation between municipal services and local public and private enterprises.',
      fr: "Une ligne budgétaire et un plan d'action pour la jeunesse qui financent des associations de jeunes ; la publication régulière des documents de l'exécutif et de l'assemblée ; des écoles et bâtiments publics rénovés et plus accessibles ; des outils numériques comme la plateforme e-School, la plateforme nationale e-Procurement avec le suivi numérique des factures, et des bornes pour obtenir des documents officiels ; enfin de nouveaux canaux de coopération entre les services municipaux et les entreprises publiques et privées locales.",
    },
  },
  {
    question: {
      en: 'What are the current challenges the jurisdiction wants to address?',
      fr: 'Quels sont les défis actuels que la juridiction veut relever ?',
    },
    answer: {
      en: "Understanding what young people in Gjakova actually need; making municipal information quicker and simpler to obtain; completing the accessibility of public buildings for persons with disabilities; extending digital services beyond the first platforms; and better coordination between municipal services and public and private enterprises.",
      fr: "Mieux connaître les besoins réels des jeunes de Gjakova ; rendre l'information municipale plus simple et plus rapide à obtenir ; achever l'accessibilité des bâtiments publics pour les personnes handicapées ; étendre les services numériques au-delà des premières plateformes ; mieux coordonner les services municipaux et les entreprises publiques et privées.",
    },
  },
  {
    question: {
      en: 'What medium-term open government goals does the government want to achieve?',
      fr: 'Quels objectifs à moyen terme le gouvernement veut-il atteindre ?',
    },
    answer: {
      en: 'Run every step of public procurement digitally on the national e-Procurement platform; widen citizen participation through the Municipal Transparency Forum and partnerships with organizations that reach marginalized groups and communities; and introduce new environmental and climate policies on waste, renewable energy and community climate action.',
      fr: "Mener chaque étape des marchés publics de façon numérique sur la plateforme nationale e-Procurement ; élargir la participation citoyenne grâce au Forum municipal pour la transparence et à des partenariats avec des organisations proches des groupes marginalisés et des communautés ; adopter de nouvelles politiques environnementales et climatiques sur les déchets, les énergies renouvelables et l'action climatique de proximité.",
    },
  },
  {
    question: {
      en: 'How does this action plan contribute to the open government vision?',
      fr: "Comment ce plan d'action contribue-t-il à la vision du gouvernement ouvert ?",
    },
    answer: {
      en: 'Each commitment serves one pillar: digital services and transparent procurement for openness; the Transparency Forum and civil society partners against low participation; and action against illegal dumping, tyre burning and poor waste management, including a wider district heating network, treatment of inert waste and a recycling strategy.',
      fr: "Chaque engagement sert un pilier : services numériques et marchés publics transparents pour l'ouverture ; le Forum pour la transparence et les partenaires de la société civile contre la faible participation ; la lutte contre les dépôts sauvages, le brûlage de pneus et la mauvaise gestion des déchets, avec l'extension du chauffage urbain, le traitement des déchets inertes et une stratégie de recyclage.",
    },
  },
  {
    question: {
      en: "How does the open government vision support the administration's wider policy goals?",
      fr: "Comment la vision du gouvernement ouvert sert-elle les objectifs généraux de l'administration ?",
    },
    answer: {
      en: "It serves the municipality's own aims of transparency, accountability and participation, strengthens trust between residents and local institutions, and places Gjakova in the international open government community.",
      fr: "Elle sert les objectifs propres de la municipalité en matière de transparence, de redevabilité et de participation, renforce la confiance entre les habitants et les institutions locales, et inscrit Gjakova dans la communauté internationale du gouvernement ouvert.",
    },
  },
  {
    question: {
      en: 'How will government and civil society keep working together during implementation?',
      fr: 'Comment le gouvernement et la société civile continueront-ils à collaborer pendant la mise en œuvre ?',
    },
    answer: {
      en: 'The Municipal Transparency Forum meets monthly to review progress and difficulties, invites experts and community representatives when useful, and may set up thematic working groups to analyse specific commitments and propose concrete measures.',
      fr: "Le Forum municipal pour la transparence se réunit chaque mois pour examiner les progrès et les difficultés, invite des experts et des représentants de la communauté si nécessaire, et peut créer des groupes de travail thématiques pour analyser certains engagements et proposer des mesures concrètes.",
    },
  },
  {
    question: {
      en: 'Who monitors the plan, and how are results shared?',
      fr: 'Qui assure le suivi du plan et comment les résultats sont-ils communiqués ?',
    },
    answer: {
      en: 'A monitoring body set up by the Forum, with a civil society majority alongside political party and executive members, reviews progress every two to three months and whenever needed; commitment holders report at these meetings and the body recommends adjustments. Results are published on the municipal website and social media, in press releases and, where useful, at public meetings.',
      fr: "Un organe de suivi créé par le Forum, majoritairement composé de la société civile aux côtés de membres des partis politiques et de l'exécutif, examine les progrès tous les deux à trois mois et chaque fois que nécessaire ; les porteurs d'engagements y rendent compte et l'organe recommande des ajustements. Les résultats sont publiés sur le site et les réseaux sociaux de la municipalité, dans des communiqués de presse et, si utile, lors de réunions publiques.",
    },
  },
];

/** Organizations that endorsed the plan (names of the signatories are deliberately left out). */
export const endorsements: { organization: string; sector: string }[] = [
  { organization: 'Handikos Gjakova', sector: 'civil_society' },
  { organization: 'Medika', sector: 'civil_society' },
  { organization: 'YMCA', sector: 'civil_society' },
  { organization: 'Activism Roots', sector: 'civil_society' },
  { organization: 'Active Women of Gjakova', sector: 'civil_society' },
  { organization: 'Community Committee', sector: 'civil_society' },
  { organization: 'OSCE', sector: 'international' },
];

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
  institutions: { slug: string; role: CommitmentInstitutionRole }[];
}

/*
 * The OGP pages list the "institutions involved" without saying who leads: we record the
 * municipal units as lead and the others as supporting. The OGP pages give problem and status quo
 * (cut short); action, contribution and long-term goal summarise what the plan's vision answers
 * say about each area. OGP values are those the OGP page states.
 */
export const commitments: CommitmentSeed[] = [
  {
    code: 'XKGJA0001',
    title: { en: 'Digitalization of municipal services', fr: 'Numérisation des services municipaux' },
    problem: {
      en: 'Many municipal records and services are still on paper, so residents must come to municipal offices for basic documents and information. This is slow, hard for people with reduced mobility, little time or who live far away, limits transparency and participation, and ties up staff in manual work.',
      fr: "De nombreux registres et services municipaux sont encore sur papier : les habitants doivent se rendre dans les bureaux pour obtenir des documents et informations de base. C'est lent, difficile pour les personnes à mobilité réduite, pressées ou éloignées, cela limite la transparence et la participation et mobilise le personnel sur des tâches manuelles.",
    },
    status_quo: {
      en: 'Gjakova already leads among Kosovo municipalities in digital governance: the e-School platform follows pupils’ progress, the national e-Procurement platform is used with digital tracking of invoices, and kiosks let residents obtain official documents. A large part of records and services is nevertheless not yet digital.',
      fr: "Gjakova est déjà en avance parmi les municipalités du Kosovo en matière de gouvernance numérique : la plateforme e-School suit les progrès des élèves, la plateforme nationale e-Procurement est utilisée avec un suivi numérique des factures et des bornes délivrent des documents officiels. Une grande partie des registres et des services n'est toutefois pas encore numérique.",
    },
    action: {
      en: 'Digitize further municipal services and records and offer them on easy-to-use online platforms, and carry out every stage of public procurement digitally on the national e-Procurement platform, in cooperation between the Information Office, the IT Office and the Procurement Office.',
      fr: "Numériser davantage de services et de registres municipaux et les proposer sur des plateformes en ligne simples d'utilisation, et conduire chaque étape des marchés publics de façon numérique sur la plateforme nationale e-Procurement, en coopération entre le Bureau d'information, le Bureau informatique et le Bureau des marchés publics.",
    },
    contribution: {
      en: 'Residents get information and documents faster without travelling, procurement becomes traceable step by step, and staff time moves from paperwork to better service.',
      fr: "Les habitants obtiennent informations et documents plus vite et sans se déplacer, les marchés publics deviennent traçables à chaque étape, et le temps du personnel passe de la paperasse à un meilleur service.",
    },
    long_term_goal: {
      en: 'Accessible, efficient digital municipal services that improve daily life and build trust in local government.',
      fr: 'Des services municipaux numériques accessibles et efficaces qui améliorent la vie quotidienne et renforcent la confiance dans la gouvernance locale.',
    },
    ogp_values: ['technology_and_innovation'],
    policy_areas: ['Digital governance', 'Public service delivery', 'Public procurement'],
    starts_on: '2024-12-01',
    ends_on: '2025-09-30',
    institutions: [
      { slug: 'information-office', role: 'lead' },
      { slug: 'it-office', role: 'lead' },
      { slug: 'procurement-office', role: 'lead' },
      { slug: 'information-society-agency', role: 'supporting' },
      { slug: 'ymca', role: 'supporting' },
      { slug: 'usaid-kmi', role: 'supporting' },
    ],
  },
  {
    code: 'XKGJA0002',
    title: {
      en: 'Enhancing inclusive citizen engagement in key decision-making processes',
      fr: 'Renforcer une participation citoyenne inclusive aux principales décisions',
    },
    problem: {
      en: 'Few residents take part in policy and decision making despite the municipality’s efforts. Many do not know the rules and procedures behind municipal projects or their own rights, as budget hearings showed, and public hearings in their current form do little to engage them. A recent law on reporting and resolving citizens’ issues calls for better processes.',
      fr: "Peu d'habitants participent à l'élaboration des politiques et aux décisions malgré les efforts de la municipalité. Beaucoup ignorent les règles et procédures des projets municipaux et leurs propres droits, comme l'ont montré les audiences budgétaires, et les audiences publiques actuelles mobilisent peu. Une loi récente sur le signalement et le traitement des problèmes soulevés par les citoyens appelle de meilleurs processus.",
    },
    status_quo: {
      en: 'The municipality regularly holds meetings and public consultations on the budget, projects and draft regulations to collect residents’ ideas and requests, but attendance stays low.',
      fr: "La municipalité organise régulièrement des réunions et des consultations publiques sur le budget, les projets et les projets de règlements pour recueillir idées et demandes des habitants, mais la participation reste faible.",
    },
    action: {
      en: 'Introduce a new way for residents to propose projects directly and take part in decisions, explain their rights and the available participation channels, and use the Municipal Transparency Forum and partnerships with civil society organizations to involve young people, women, persons with disabilities and non-majority communities.',
      fr: "Mettre en place un moyen pour les habitants de proposer directement des projets et de prendre part aux décisions, leur expliquer leurs droits et les canaux de participation existants, et s'appuyer sur le Forum municipal pour la transparence et sur des partenariats avec la société civile pour associer les jeunes, les femmes, les personnes handicapées et les communautés non majoritaires.",
    },
    contribution: {
      en: 'More residents, and more diverse ones, shape municipal decisions, and their proposals receive a visible answer.',
      fr: 'Des habitants plus nombreux et plus divers façonnent les décisions municipales, et leurs propositions reçoivent une réponse visible.',
    },
    long_term_goal: {
      en: 'Inclusive, collaborative local democracy in which every voice is heard and taken into account.',
      fr: 'Une démocratie locale inclusive et collaborative où chaque voix est entendue et prise en compte.',
    },
    ogp_values: ['civic_participation'],
    policy_areas: ['Civic space', 'Inclusion'],
    starts_on: '2024-12-01',
    ends_on: '2025-09-30',
    institutions: [
      { slug: 'information-office', role: 'lead' },
      { slug: 'mayors-office', role: 'lead' },
      { slug: 'municipal-assembly-secretariat', role: 'lead' },
      { slug: 'local-youth-action-council', role: 'supporting' },
      { slug: 'ndi', role: 'supporting' },
    ],
  },
  {
    code: 'XKGJA0003',
    title: {
      en: 'Enhancing waste management and environmental protection through public awareness, community involvement, and new regulations',
      fr: "Améliorer la gestion des déchets et la protection de l'environnement par la sensibilisation, l'implication de la population et de nouvelles réglementations",
    },
    problem: {
      en: 'Poor waste management pollutes the environment and the air and lowers residents’ quality of life. Municipal and central regulations on environmental protection and air quality are incomplete, few residents join voluntary clean-ups or care for shared spaces, and approvals from the central level needed to deal with inert waste have been delayed.',
      fr: "Une gestion déficiente des déchets pollue l'environnement et l'air et dégrade la qualité de vie. Les règles municipales et nationales sur la protection de l'environnement et la qualité de l'air sont incomplètes, peu d'habitants participent aux nettoyages bénévoles ou à l'entretien des espaces communs, et les autorisations nationales nécessaires au traitement des déchets inertes ont pris du retard.",
    },
    status_quo: {
      en: 'Illegal dumping, the burning of tyres and inadequate waste management persist; the treatment of inert waste still awaits decisions at central level.',
      fr: 'Les dépôts sauvages, le brûlage de pneus et une gestion inadaptée des déchets persistent ; le traitement des déchets inertes attend encore des décisions au niveau national.',
    },
    action: {
      en: 'Raise public awareness and organize community clean-up actions with civil society, prepare new municipal regulations, develop a solution for inert waste with the central government, draw up a strategic recycling plan and extend the district heating network.',
      fr: "Sensibiliser le public et organiser des actions de nettoyage avec la société civile, préparer de nouvelles réglementations municipales, mettre au point une solution pour les déchets inertes avec le gouvernement central, élaborer un plan stratégique de recyclage et étendre le réseau de chauffage urbain.",
    },
    contribution: {
      en: 'Less illegal dumping and burning, cleaner air and public spaces, and residents who take part in keeping their neighbourhoods clean.',
      fr: "Moins de dépôts sauvages et de brûlage, un air et des espaces publics plus propres, et des habitants qui participent à la propreté de leurs quartiers.",
    },
    long_term_goal: {
      en: 'Gjakova as a regional leader in sustainable waste management and climate action, and a healthy environment for future generations.',
      fr: "Faire de Gjakova une référence régionale de la gestion durable des déchets et de l'action climatique, et préserver un environnement sain pour les générations futures.",
    },
    ogp_values: ['public_accountability'],
    policy_areas: ['Environment and climate', 'Waste management'],
    starts_on: '2024-12-01',
    ends_on: '2025-09-30',
    institutions: [
      { slug: 'directorate-public-services', role: 'lead' },
      { slug: 'directorate-urbanism-environment', role: 'lead' },
      { slug: 'ymca', role: 'supporting' },
      { slug: 'giz', role: 'supporting' },
      { slug: 'rilindja-e-gjelber', role: 'supporting' },
      { slug: 'pamcos', role: 'supporting' },
    ],
  },
];

/** Inserts everything above; the caller owns the transaction (runCommand). Returns the plan id. */
export async function insertGjakova(trx: Trx, audit: AuditRecorder, now = new Date().toISOString()): Promise<{ jurisdictionId: number; planId: number }> {
  // Every seeded item is published in the transparency log, as if created one by one.
  const published = (values: object) => ({ seed: 'gjakova', ...publicChanges(undefined, values) });
  const jurisdictionValues = {
    slug: jurisdiction.slug,
    name: tr(jurisdiction.name),
    kind: jurisdiction.kind,
    country_code: jurisdiction.country_code,
    description: tr(jurisdiction.description),
    website: jurisdiction.website,
  };
  const { id: jurisdictionId } = await trx
    .insertInto('jurisdictions')
    .values({ ...jurisdictionValues, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit.publish('jurisdiction.created', 'jurisdiction', jurisdictionId, published(jurisdictionValues));

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
    await audit.publish('institution.created', 'institution', id, published(values));
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
  await audit.publish(
    'action_plan.created',
    'action_plan',
    planId,
    published({
      ...planValues,
      lead_institution_ids: plan.leadInstitutions.map((slug) => institutionId(slug)),
      endorsements: endorsements.map((e) => ({ organization: e.organization, sector: e.sector })),
      vision_sections: visionSections.map((s) => ({ question: JSON.parse(tr(s.question)) as unknown, answer: JSON.parse(tr(s.answer)) as unknown })),
    }),
  );

  await trx
    .insertInto('action_plan_lead_institutions')
    .values(plan.leadInstitutions.map((slug, position) => ({ action_plan_id: planId, institution_id: institutionId(slug), position })))
    .execute();
  await trx
    .insertInto('vision_sections')
    .values(visionSections.map((s, position) => ({ action_plan_id: planId, position, question: tr(s.question), answer: tr(s.answer) })))
    .execute();
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
    const institutionRoles = c.institutions.map((i) => `${i.role}:${institutionId(i.slug)}`).sort();
    await audit.publish('commitment.created', 'commitment', commitmentId, published({ ...values, institutions: institutionRoles }));
  }

  await audit.publish('seed.gjakova', 'action_plan', planId, {
    jurisdiction: jurisdiction.slug,
    plan: plan.slug,
    institutions: institutions.length,
    commitments: commitments.length,
  });
  return { jurisdictionId, planId };
}
