import type { Db } from '../database.js';
import { seedDemoBodies } from './bodies-demo.js';
import { runCommand, SYSTEM } from '../../modules/audit/index.js';
import { rebuildSearchIndex } from '../../modules/search/index.js';
import { publicChanges } from '../../modules/transparency/index.js';
import type { MilestoneStatus } from '../../modules/commitments/index.js';
import { serializeTranslatable, type Translatable } from '../../lib/translatable.js';
import { GJAKOVA_PLAN_SLUG, GJAKOVA_SLUG } from './gjakova.js';
import { seedDemoMeetings } from './meetings-demo.js';
import { seedReviewsDemo } from './reviews-demo.js';
import { seedDemoConsultations } from './consultations-demo.js';
import { seedDemoNews } from './news-demo.js';
import { seedDemoIrmAssessment } from '../../modules/interop/demo.js'; // Issue 12, imports
import { seedDemoWitnesses } from './witnesses-demo.js'; // Issue 14, witnesses

/**
 * Illustrative milestones for Gjakova's three commitments. The plan's real milestones are not
 * public: these are invented to show how progress looks, and every row is marked is_demo = 1 so
 * pages can say so.
 */
interface DemoMilestone {
  code: string;
  title: Translatable;
  expected_output: Translatable;
  indicator: Translatable;
  responsible: string;
  starts_on: string;
  due_on: string;
  status: MilestoneStatus;
  completed_on?: string;
  weight: number;
}

export const demoMilestones: DemoMilestone[] = [
  {
    code: 'XKGJA0001.1',
    title: { en: 'Inventory of paper-based services and records', fr: 'Inventaire des services et registres encore sur papier', sq: 'Inventari i shërbimeve dhe regjistrave në letër' },
    expected_output: { en: 'A list of municipal services ranked by demand and ease of digitization', fr: 'Une liste des services municipaux classés selon la demande et la facilité de numérisation' },
    indicator: { en: 'Inventory published on the municipal website', fr: "Inventaire publié sur le site de la municipalité" },
    responsible: 'it-office',
    starts_on: '2024-12-01',
    due_on: '2025-02-28',
    status: 'completed',
    completed_on: '2025-02-20',
    weight: 1,
  },
  {
    code: 'XKGJA0001.2',
    title: { en: 'All procurement stages run on e-Procurement', fr: 'Toutes les étapes des marchés publics sur e-Procurement', sq: 'Të gjitha fazat e prokurimit në e-Prokurim' },
    expected_output: { en: 'Procurement files handled end to end on the national platform', fr: 'Dossiers de marchés traités de bout en bout sur la plateforme nationale' },
    indicator: { en: 'Share of 2025 procedures fully digital (target 100%)', fr: 'Part des procédures 2025 entièrement numériques (objectif 100 %)' },
    responsible: 'procurement-office',
    starts_on: '2025-01-15',
    due_on: '2025-06-30',
    status: 'in_progress',
    weight: 2,
  },
  {
    code: 'XKGJA0001.3',
    title: { en: 'Five most requested certificates available online', fr: 'Les cinq attestations les plus demandées disponibles en ligne', sq: 'Pesë certifikatat më të kërkuara në internet' },
    expected_output: { en: 'Online requests and delivery for five certificates', fr: 'Demande et délivrance en ligne de cinq attestations' },
    indicator: { en: 'Number of certificates issued online per month', fr: "Nombre d'attestations délivrées en ligne par mois" },
    responsible: 'information-office',
    starts_on: '2025-03-01',
    due_on: '2025-07-31',
    status: 'delayed',
    weight: 2,
  },
  {
    code: 'XKGJA0001.4',
    title: { en: 'Training for staff and residents on the new services', fr: 'Formation du personnel et des habitants aux nouveaux services', sq: 'Trajnim për stafin dhe qytetarët për shërbimet e reja' },
    expected_output: { en: 'Training sessions and a short user guide', fr: "Sessions de formation et guide d'utilisation" },
    indicator: { en: 'People trained, of whom persons with disabilities', fr: 'Personnes formées, dont personnes handicapées' },
    responsible: 'information-office',
    starts_on: '2025-07-01',
    due_on: '2025-09-15',
    status: 'not_started',
    weight: 1,
  },
  {
    code: 'XKGJA0002.1',
    title: { en: 'Information campaign on participation rights', fr: 'Campagne d’information sur les droits de participation', sq: 'Fushatë informimi për të drejtat e pjesëmarrjes' },
    expected_output: { en: 'Leaflets, social media posts and neighbourhood sessions', fr: 'Dépliants, publications sur les réseaux sociaux et séances de quartier' },
    indicator: { en: 'Residents reached, by community and age group', fr: "Habitants touchés, par communauté et tranche d'âge" },
    responsible: 'information-office',
    starts_on: '2025-01-10',
    due_on: '2025-03-31',
    status: 'completed',
    completed_on: '2025-04-04',
    weight: 1,
  },
  {
    code: 'XKGJA0002.2',
    title: { en: 'Rules for citizen project proposals adopted', fr: 'Règles pour les propositions de projets citoyens adoptées', sq: 'Rregullat për propozimet e projekteve qytetare të miratuara' },
    expected_output: { en: 'A regulation on how residents submit and vote on projects', fr: 'Un règlement sur le dépôt et le vote des projets par les habitants' },
    indicator: { en: 'Regulation adopted by the Municipal Assembly', fr: "Règlement adopté par l'Assemblée municipale" },
    responsible: 'assembly-secretariat',
    starts_on: '2025-02-01',
    due_on: '2025-05-31',
    status: 'in_progress',
    weight: 2,
  },
  {
    code: 'XKGJA0002.3',
    title: { en: 'First round of citizen project proposals', fr: 'Premier appel à projets citoyens', sq: 'Raundi i parë i propozimeve qytetare' },
    expected_output: { en: 'Proposals collected, assessed and answered in public', fr: 'Propositions recueillies, évaluées et publiquement motivées' },
    indicator: { en: 'Proposals received and share answered with reasons', fr: 'Propositions reçues et part ayant reçu une réponse motivée' },
    responsible: 'mayors-cabinet',
    starts_on: '2025-06-01',
    due_on: '2025-09-30',
    status: 'not_started',
    weight: 2,
  },
  {
    code: 'XKGJA0003.1',
    title: { en: 'Awareness campaign against illegal dumping and tyre burning', fr: 'Campagne contre les dépôts sauvages et le brûlage de pneus', sq: 'Fushatë kundër hedhjes ilegale të mbeturinave dhe djegies së gomave' },
    expected_output: { en: 'Campaign in schools, media and neighbourhoods', fr: 'Campagne dans les écoles, les médias et les quartiers' },
    indicator: { en: 'Reported dumping sites, compared with 2024', fr: 'Dépôts sauvages signalés, par rapport à 2024' },
    responsible: 'directorate-public-services',
    starts_on: '2025-01-15',
    due_on: '2025-04-30',
    status: 'completed',
    completed_on: '2025-04-28',
    weight: 1,
  },
  {
    code: 'XKGJA0003.2',
    title: { en: 'Community clean-up days', fr: 'Journées de nettoyage citoyennes', sq: 'Ditë pastrimi me komunitetin' },
    expected_output: { en: 'Quarterly clean-up actions with local organizations', fr: 'Actions de nettoyage trimestrielles avec les associations locales' },
    indicator: { en: 'Clean-up actions held and volunteers taking part', fr: 'Actions menées et nombre de bénévoles' },
    responsible: 'directorate-public-services',
    starts_on: '2025-03-01',
    due_on: '2025-09-30',
    status: 'in_progress',
    weight: 1,
  },
  {
    code: 'XKGJA0003.3',
    title: { en: 'Municipal regulation on waste and air quality drafted', fr: 'Projet de règlement municipal sur les déchets et la qualité de l’air', sq: 'Hartimi i rregullores komunale për mbeturinat dhe cilësinë e ajrit' },
    expected_output: { en: 'Draft regulation put to public consultation', fr: 'Projet de règlement soumis à consultation publique' },
    indicator: { en: 'Draft published and consultation held', fr: 'Projet publié et consultation tenue' },
    responsible: 'directorate-urbanism-environment',
    starts_on: '2025-02-01',
    due_on: '2025-06-30',
    status: 'delayed',
    weight: 2,
  },
  {
    code: 'XKGJA0003.4',
    title: { en: 'Strategic recycling plan', fr: 'Plan stratégique de recyclage', sq: 'Plani strategjik i riciklimit' },
    expected_output: { en: 'Recycling plan approved by the municipality', fr: 'Plan de recyclage approuvé par la municipalité' },
    indicator: { en: 'Plan approved and published', fr: 'Plan approuvé et publié' },
    responsible: 'directorate-urbanism-environment',
    starts_on: '2025-06-01',
    due_on: '2025-09-30',
    status: 'not_started',
    weight: 2,
  },
];

const tr = (value: Translatable): string => serializeTranslatable(value);

/**
 * `besa seed --demo`: the demonstration milestones (their count is returned), then each module's
 * demonstration data, which builds on them.
 */
export async function seedDemo(db: Db, now = new Date().toISOString()): Promise<number> {
  const added = await seedDemoMilestones(db, now);
  const gjakova = await db.selectFrom('jurisdictions').select('id').where('slug', '=', GJAKOVA_SLUG).executeTakeFirstOrThrow();
  // Demonstration members and a working group of Gjakova's bodies.
  await seedDemoBodies(db, gjakova.id, now);
  // Demonstration meetings of the bodies (after their members; none without the bodies, none twice).
  await seedDemoMeetings(db);
  // Demonstration cycles, progress updates, reviews and recommendations.
  await seedReviewsDemo(db);
  // An open demonstration consultation with contributions, and a closed one with its responses.
  await seedDemoConsultations(db, gjakova.id, now);
  // A published demonstration press release and a draft.
  await seedDemoNews(db);
  // Issue 12, imports: an invented IRM assessment on the first commitment (marked as demonstration data).
  await seedDemoIrmAssessment(db, gjakova.id, now);
  // Issue 14: three demonstration witnesses and the quorum (log entries), last: they cosign the latest checkpoint.
  await seedDemoWitnesses(db);
  return added;
}

/**
 * Adds the demonstration milestones that are not there yet (by code); running it again adds
 * nothing. Returns how many were added. Gjakova's plan must be loaded first.
 */
async function seedDemoMilestones(db: Db, now: string): Promise<number> {
  const plan = await db
    .selectFrom('action_plans')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['action_plans.id as id', 'jurisdictions.id as jurisdictionId'])
    .where('jurisdictions.slug', '=', GJAKOVA_SLUG)
    .where('action_plans.slug', '=', GJAKOVA_PLAN_SLUG)
    .executeTakeFirst();
  if (!plan) {
    throw new Error(
      `The demonstration milestones illustrate Gjakova's plan ${GJAKOVA_PLAN_SLUG}, which is not in this database (the Gjakova seed loads only into a database without jurisdictions).`,
    );
  }
  // Nothing to add: no command at all, so the content version and the audit log stay unchanged.
  const present = await db
    .selectFrom('milestones')
    .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
    .select('milestones.code')
    .where('commitments.action_plan_id', '=', plan.id)
    .where(
      'milestones.code',
      'in',
      demoMilestones.map((m) => m.code),
    )
    .execute();
  if (present.length === demoMilestones.length) return 0;

  return runCommand(db, SYSTEM, async (trx, audit) => {
    const commitments = await trx.selectFrom('commitments').select(['id', 'code']).where('action_plan_id', '=', plan.id).execute();
    const commitmentIds = new Map(commitments.map((c) => [c.code, c.id]));
    const institutions = await trx.selectFrom('institutions').select(['id', 'slug']).where('jurisdiction_id', '=', plan.jurisdictionId).execute();
    const institutionIds = new Map(institutions.map((i) => [i.slug, i.id]));
    const existing =
      commitments.length === 0
        ? []
        : await trx
            .selectFrom('milestones')
            .select(['commitment_id', 'code', 'position'])
            .where(
              'commitment_id',
              'in',
              commitments.map((c) => c.id),
            )
            .execute();
    const have = new Set(existing.map((m) => m.code));
    const nextPosition = new Map<number, number>();
    for (const m of existing) nextPosition.set(m.commitment_id, Math.max(nextPosition.get(m.commitment_id) ?? 0, m.position + 1));

    let added = 0;
    for (const m of demoMilestones) {
      if (have.has(m.code)) continue;
      const commitmentId = commitmentIds.get(m.code.split('.')[0] ?? '');
      if (commitmentId === undefined) continue; // the commitment was removed: nothing to illustrate
      const position = nextPosition.get(commitmentId) ?? 0;
      nextPosition.set(commitmentId, position + 1);
      const values = {
        commitment_id: commitmentId,
        code: m.code,
        position,
        title: tr(m.title),
        expected_output: tr(m.expected_output),
        indicator: tr(m.indicator),
        responsible_institution_id: institutionIds.get(m.responsible) ?? null,
        starts_on: m.starts_on,
        due_on: m.due_on,
        status: m.status,
        completed_on: m.completed_on ?? null,
        cancelled_on: null,
        weight: m.weight,
        is_demo: 1,
      };
      const { id } = await trx
        .insertInto('milestones')
        .values({ ...values, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Demonstration milestones are public (marked as such), so they are published too.
      await audit.publish('milestone.created', 'milestone', id, { seed: 'demo', ...publicChanges(undefined, values) });
      added++;
    }
    if (added > 0) {
      await audit.publish('seed.demo', 'action_plan', plan.id, { milestones: added });
      await rebuildSearchIndex(trx);
    }
    return added;
  });
}
