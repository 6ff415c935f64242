import type { Trx } from '../database.js';
import { serializeTranslatable, type Translatable } from '../../lib/translatable.js';
import type { AuditRecorder } from '../../modules/audit/index.js';
import { bdb } from '../../modules/bodies/index.js';
import { insertSources, type ProvenanceEntity, type SourceInput } from '../../modules/provenance/index.js';
import { publicChanges } from '../../modules/transparency/index.js';

/**
 * Gjakova's Municipal Transparency Forum and the monitoring body it establishes, as the adopted plan
 * (French, src/db/seeds/sources/action-plan-gjakova-2024-2025.fr.txt) states them: mandate, rules,
 * composition rules and meeting rhythm, each with its source. The French texts are the plan's own
 * words; the English ones are Besa's translations; Albanian and Serbian are left to the people who
 * hold the plan in those languages. No members: the plan names none.
 */

const tr = (value: Translatable): string => serializeTranslatable(value);

/** Sections of the adopted plan (the questions of OGP's template, word for word). */
export const SECTIONS = {
  arrangements: 'Quels types d\'arrangements institutionnels sont en place pour coordonner entre les agences gouvernementales et les départements afin de mettre en œuvre le plan d\'action OGP ?',
  continuedCollaboration: 'Comment les parties prenantes gouvernementales et non gouvernementales continueront-elles à collaborer à travers la mise en œuvre du plan d\'action ?',
  diversity: 'Quelles mesures avez-vous prises pour assurer la diversité de la représentation (y compris les populations vulnérables ou marginalisées) dans ces espaces ?',
  monitoring: 'Veuillez décrire l’organisme de surveillance indépendant que vous avez identifié pour ce plan.',
  activities: 'Quels types d\'activités aurez-vous en place pour discuter de l\'avancement des engagements avec les parties prenantes ?',
} as const;

/** The passages quoted word for word. */
export const QUOTES = {
  established: 'Le 27 juillet 2023, la municipalité de Gjakova a créé le Forum municipal sur la transparence, un mécanisme consultatif inclusif pour la co-création, la coordination et la mise en œuvre du Plan d\'action pour une gouvernance ouverte.',
  forumMandate: 'Le Forum municipal pour la transparence est composé de représentants des pouvoirs exécutif et législatif de Gjakova, ainsi que de membres d\'organisations locales de la société civile actives dans divers domaines. Le Forum a plusieurs fonctions clés :\n\n• Élaboration du plan d’action : Définir les engagements clés que la Municipalité doit atteindre dans un délai déterminé.\n• Organisation de réunions régulières : Offrir une plateforme aux membres pour discuter des questions liées aux engagements du Plan d’action.\n• Créer un espace collaboratif : Faciliter la coopération entre la municipalité, les organisations de la société civile et d’autres groupes et communautés vivant et travaillant à Gjakova.',
  forumRules: '• Réunions régulières du Forum sur la transparence municipale : Le Forum se réunira une fois par mois pour examiner les progrès accomplis dans la mise en œuvre des engagements et aborder les difficultés rencontrées au cours de leur mise en œuvre. Ces réunions serviront de plateforme de suivi et de garantie de responsabilisation.\n• Implication d’intervenants supplémentaires : Si nécessaire, le Forum invitera d’autres acteurs, tels que des experts, des dirigeants communautaires ou des représentants institutionnels, à participer aux réunions et à contribuer ou à soutenir des activités clés qui font progresser les engagements décrits dans le Plan d’action.\n• Groupes de travail thématiques : Le Forum pourra créer des groupes de travail spécialisés chargés de se pencher sur des thèmes spécifiques liés aux engagements. Ces groupes analyseront la situation actuelle, identifieront les défis et proposeront des mesures concrètes pour assurer la mise en œuvre réussie des engagements.',
  groups: 'Les organisations de la société civile (OSC) locales membres du Forum ont été soigneusement sélectionnées pour représenter et défendre les droits de groupes spécifiques, notamment :\n\n• Jeunes: Veiller à ce que les perspectives et les besoins des jeunes générations soient pris en compte dans la gouvernance.\n• Femmes: Promouvoir le sexe l’égalité et l’autonomisation des femmes pour contribuer aux processus de prise de décision.\n• Personnes handicapées:Défendre l’accessibilité et les politiques inclusives qui répondent à leurs besoins spécifiques.\n• Communautés non majoritaires:Représenter les voix des groupes minoritaires résidant à Gjakova pour favoriser la diversité et l\'égalité.',
  monitoringMandate: 'La mise en œuvre du Plan d’action sera supervisée par un mécanisme de suivi dédié établi par le Forum sur la transparence municipale.\n\nCet organe de surveillance aura une composition diversifiée pour assurer une surveillance équilibrée, notamment :\n\n• Représentants de la société civile : La majorité des membres proviendront d’organisations de la société civile locale, garantissant que le processus reste transparent et centré sur le citoyen.\n• Représentants des partis politiques : Les membres de différents partis politiques apporteront une perspective législative et garantiront la responsabilité politique.\n• Représentants exécutifs : Les participants issus du pouvoir exécutif municipal apporteront leur expertise technique et assureront l’alignement avec les opérations municipales en cours.\n\nCet organe examinera régulièrement les progrès accomplis dans la mise en œuvre des engagements du Plan d’action, identifiera les défis et formulera des recommandations en vue d’ajustements ou de mesures supplémentaires, si nécessaire. En intégrant un large éventail de parties prenantes, le mécanisme de suivi garantit la responsabilisation, l’inclusivité et la mise en œuvre efficace du Plan.',
  monitoringRules: '• Réunions périodiques : Des réunions seront organisées tous les deux à trois mois dans les locaux de la Municipalité pour faire le point sur l’avancement des engagements, relever les défis et identifier des solutions.\n• Réunions ad hoc : Des réunions supplémentaires peuvent être programmées si nécessaire pour traiter de questions urgentes ou d’aspects spécifiques du plan d’action qui nécessitent une attention immédiate.\n• Rapports de progression: Chaque réunion comprendra des mises à jour des parties prenantes concernées, y compris des représentants de la société civile, des services municipaux et des groupes de travail, afin de garantir que toutes les voix soient entendues et que les progrès soient partagés de manière transparente.',
} as const;

type Source = Omit<SourceInput, 'field'>;
const words = (section: string, quote?: string): Source => ({ document: 'adopted_plan', section, rendering: 'words', language: 'fr', ...(quote ? { quote } : {}) });
const translation = (section: string): Source => ({ document: 'adopted_plan', section, rendering: 'translation', language: 'en' });
const summary = (section: string, quote: string, language: string | null = null): Source => ({ document: 'adopted_plan', section, rendering: 'summary', language, quote });

interface BodySeed {
  slug: string;
  kind: 'forum' | 'monitoring_body';
  name: Translatable;
  mandate: Translatable;
  rules: Translatable;
  compositionRules: string[];
  meetsEveryDays: number;
  establishedOn: string | null;
  sources: Record<string, Source[]>;
}

export const gjakovaBodies: BodySeed[] = [
  {
    slug: 'transparency-forum',
    kind: 'forum',
    name: { fr: 'Forum municipal pour la transparence', en: 'Municipal Transparency Forum' },
    mandate: {
      fr: QUOTES.forumMandate,
      en: 'The Municipal Transparency Forum is made up of representatives of the executive and legislative branches of Gjakova and of members of local civil society organisations active in various fields. The Forum has several key functions:\n\n• Drafting the action plan: defining the key commitments the Municipality must achieve within a set period.\n• Holding regular meetings: giving members a platform to discuss questions related to the commitments of the Action Plan.\n• Creating a collaborative space: facilitating cooperation between the Municipality, civil society organisations and other groups and communities living and working in Gjakova.',
    },
    rules: {
      fr: QUOTES.forumRules,
      en: '• Regular meetings of the Municipal Transparency Forum: the Forum will meet once a month to review progress in implementing the commitments and to address the difficulties met in implementing them. These meetings will serve as a platform for monitoring and for ensuring accountability.\n• Involving further stakeholders: when needed, the Forum will invite other actors, such as experts, community leaders or institutional representatives, to take part in meetings and to contribute to or support key activities that advance the commitments described in the Action Plan.\n• Thematic working groups: the Forum may create specialised working groups to look into specific themes related to the commitments. These groups will analyse the current situation, identify the challenges and propose concrete measures for the successful implementation of the commitments.',
    },
    // The plan: the Forum's civil society organisations were selected to represent youth, women,
    // persons with disabilities and non-majority communities.
    compositionRules: ['represents_all_groups'],
    // "Le Forum se réunira une fois par mois": monthly, so at most 31 days apart.
    meetsEveryDays: 31,
    establishedOn: '2023-07-27',
    sources: {
      name: [words(SECTIONS.arrangements, 'Le Forum municipal pour la transparence'), translation(SECTIONS.arrangements)],
      mandate: [words(SECTIONS.arrangements), translation(SECTIONS.arrangements)],
      rules: [words(SECTIONS.continuedCollaboration), translation(SECTIONS.continuedCollaboration)],
      composition_rules: [summary(SECTIONS.diversity, QUOTES.groups)],
      meets_every_days: [summary(SECTIONS.continuedCollaboration, 'Le Forum se réunira une fois par mois')],
      established_on: [{ ...words(SECTIONS.arrangements, QUOTES.established), language: null, precision: 'day' }],
    },
  },
  {
    slug: 'monitoring-body',
    kind: 'monitoring_body',
    name: { fr: 'Mécanisme de suivi', en: 'Monitoring body' },
    mandate: {
      fr: QUOTES.monitoringMandate,
      en: 'The implementation of the Action Plan will be overseen by a dedicated monitoring mechanism established by the Municipal Transparency Forum.\n\nThis monitoring body will have a diverse composition to ensure balanced oversight, including:\n\n• Civil society representatives: the majority of members will come from local civil society organisations, ensuring that the process stays transparent and citizen-centred.\n• Representatives of political parties: members from different political parties will bring a legislative perspective and ensure political accountability.\n• Executive representatives: participants from the municipal executive will bring their technical expertise and ensure alignment with ongoing municipal operations.\n\nThis body will regularly review progress in implementing the commitments of the Action Plan, identify challenges and make recommendations for adjustments or further measures where needed. By bringing together a wide range of stakeholders, the monitoring mechanism ensures the accountability, inclusiveness and effective implementation of the Plan.',
    },
    rules: {
      fr: QUOTES.monitoringRules,
      en: '• Periodic meetings: meetings will be held every two to three months in the Municipality’s premises to take stock of progress on the commitments, address challenges and identify solutions.\n• Ad hoc meetings: further meetings may be scheduled when needed to deal with urgent matters or specific aspects of the action plan that need immediate attention.\n• Progress reports: each meeting will include updates from the stakeholders concerned, including representatives of civil society, municipal services and working groups, so that all voices are heard and progress is shared transparently.',
    },
    compositionRules: ['civil_society_majority'],
    // "tous les deux à trois mois": at most three months (92 days) apart.
    meetsEveryDays: 92,
    establishedOn: null,
    sources: {
      name: [summary(SECTIONS.monitoring, 'un mécanisme de suivi dédié établi par le Forum sur la transparence municipale', 'fr'), translation(SECTIONS.monitoring)],
      mandate: [words(SECTIONS.monitoring), translation(SECTIONS.monitoring)],
      rules: [words(SECTIONS.activities), translation(SECTIONS.activities)],
      composition_rules: [summary(SECTIONS.monitoring, 'La majorité des membres proviendront d’organisations de la société civile locale')],
      meets_every_days: [summary(SECTIONS.activities, 'Des réunions seront organisées tous les deux à trois mois dans les locaux de la Municipalité')],
      established_on: [{ document: 'adopted_plan', section: SECTIONS.monitoring, rendering: 'not_stated' }],
    },
  },
];

/** Inserts Gjakova's bodies, each published in the transparency log with its sources (no members). */
export async function insertGjakovaBodies(trx: Trx, audit: AuditRecorder, jurisdictionId: number, now: string): Promise<void> {
  for (const [position, b] of gjakovaBodies.entries()) {
    const values = {
      kind: b.kind,
      parent_id: null,
      slug: b.slug,
      name: tr(b.name),
      mandate: tr(b.mandate),
      rules: tr(b.rules),
      composition_rules: JSON.stringify(b.compositionRules),
      meets_every_days: b.meetsEveryDays,
      established_on: b.establishedOn,
    };
    const { id } = await bdb(trx)
      .insertInto('bodies')
      .values({ ...values, jurisdiction_id: jurisdictionId, position, is_demo: 0, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rows = Object.entries(b.sources).flatMap(([field, list]) => list.map((s) => ({ field, ...s })));
    // Bodies are not among the provenance module's record types yet: their rows are stored under 'body'.
    await insertSources(trx, 'body' as ProvenanceEntity, id, rows, null, now);
    await audit.publish('body.created', 'body', id, {
      seed: 'gjakova',
      ...publicChanges(undefined, values),
      sources: Object.fromEntries(Object.entries(b.sources).map(([field, list]) => [field, list.map((s) => `${s.document}:${s.rendering}`)])),
    });
  }
}
