import type { Db } from '../database.js';
import { runCommand, SYSTEM } from '../../modules/audit/index.js';
import { defaultCycles, publishProgressUpdate, saveProgressUpdate } from '../../modules/reporting/index.js';
import { rdb } from '../../modules/reporting/tables.js';
import { addFollowUp, publishMonitoringReport, respondToRecommendation, saveRecommendation, saveReview } from '../../modules/reviews/commands.js';
import { vdb } from '../../modules/reviews/tables.js';
import { GJAKOVA_PLAN_SLUG, GJAKOVA_SLUG } from './gjakova.js';

/**
 * Demonstration reviews for Gjakova's plan (`besa seed --demo`, after the demonstration
 * milestones). Nothing here is stated by the plan: every report, review and recommendation is
 * invented to show the monitoring pages filled, marked is_demo = 1 and labelled "Demonstration".
 *
 * Reporting cycle 2 (March–May 2025, created with cycle 1 if missing) gets published progress
 * updates of XKGJA0002 and XKGJA0003 (each milestone keeps the status the demonstration milestones
 * already have; XKGJA0001's report is left for the reporting pages to show being filed), then the
 * monitoring body's reviews of the three commitments, with ONE planted disagreement: XKGJA0002 is
 * reported complete (its one milestone due in the period, completed), the monitoring body rates
 * its completion "limited". Three recommendations: one answered and closed after a follow-up,
 * one open, one overdue. Runs once: nothing is added when cycle 2 already has reviews.
 */
export const DEMO_REVIEW_CYCLE = 2;

const DEMO = { en: 'Demonstration', sq: 'Demonstrim', 'sr-Latn': 'Demonstracija', fr: 'Démonstration' } as const;
const demo = (t: { en: string; sq: string; 'sr-Latn': string; fr: string }) => ({
  en: `${DEMO.en}: ${t.en}`,
  sq: `${DEMO.sq}: ${t.sq}`,
  'sr-Latn': `${DEMO['sr-Latn']}: ${t['sr-Latn']}`,
  fr: `${DEMO.fr} : ${t.fr}`,
});

interface DemoItem {
  milestone: string;
  completion: string;
  narrative: string;
  obstacles?: string[];
}

const UPDATES: { commitment: string; summary: string; items: DemoItem[] }[] = [
  {
    commitment: 'XKGJA0002',
    summary: 'Demonstration: the information campaign is complete.',
    items: [{ milestone: 'XKGJA0002.1', completion: 'complete', narrative: 'Demonstration: leaflets, posts and neighbourhood sessions done.' }],
  },
  {
    commitment: 'XKGJA0003',
    summary: 'Demonstration: the awareness campaign ended; clean-up days have started.',
    items: [
      { milestone: 'XKGJA0003.1', completion: 'complete', narrative: 'Demonstration: campaign in schools and media.' },
      { milestone: 'XKGJA0003.2', completion: 'limited', narrative: 'Demonstration: a first clean-up day was held.' },
    ],
  },
];

export async function seedReviewsDemo(db: Db): Promise<number> {
  const plan = await db
    .selectFrom('action_plans')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['action_plans.id', 'action_plans.slug', 'action_plans.starts_on', 'action_plans.ends_on', 'jurisdictions.id as jurisdiction_id'])
    .where('jurisdictions.slug', '=', GJAKOVA_SLUG)
    .where('action_plans.slug', '=', GJAKOVA_PLAN_SLUG)
    .executeTakeFirst();
  if (!plan) return 0;

  // The demonstration cycles (1 and 2), if missing (no command at all when none is: a second run changes nothing).
  const existing = new Set((await rdb(db).selectFrom('reporting_cycles').select('number').where('action_plan_id', '=', plan.id).execute()).map((c) => c.number));
  const missing = defaultCycles(plan.starts_on, plan.ends_on).filter((p) => p.number <= DEMO_REVIEW_CYCLE && !existing.has(p.number));
  if (missing.length) await runCommand(db, SYSTEM, async (trx, audit) => {
    const now = new Date().toISOString();
    for (const period of missing) {
      const row = await rdb(trx)
        .insertInto('reporting_cycles')
        .values({ action_plan_id: plan.id, number: period.number, label: '{}', period_start: period.periodStart, period_end: period.periodEnd, due_on: period.dueOn, status: 'open', created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit.publish('reporting_cycle.opened', 'reporting_cycle', row.id, { plan: plan.slug, number: period.number, periodStart: period.periodStart, periodEnd: period.periodEnd, dueOn: period.dueOn, seed: 'demo' });
    }
  });
  const cycle = await rdb(db).selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', plan.id).where('number', '=', DEMO_REVIEW_CYCLE).executeTakeFirst();
  if (!cycle) return 0;
  if (await vdb(db).selectFrom('reviews').select('id').where('cycle_id', '=', cycle.id).executeTakeFirst()) return 0;

  const commitments = new Map((await db.selectFrom('commitments').select(['id', 'code']).where('action_plan_id', '=', plan.id).execute()).map((c) => [c.code, c.id]));
  const milestones = await db
    .selectFrom('milestones')
    .innerJoin('commitments', 'commitments.id', 'milestones.commitment_id')
    .select(['milestones.id', 'milestones.code', 'milestones.status'])
    .where('commitments.action_plan_id', '=', plan.id)
    .execute();
  const milestone = new Map(milestones.map((m) => [m.code, m]));
  const institutions = new Map((await db.selectFrom('institutions').select(['id', 'slug']).where('jurisdiction_id', '=', plan.jurisdiction_id).execute()).map((i) => [i.slug, i.id]));

  // Published progress updates: each milestone reported with the status it has (nothing changes).
  for (const u of UPDATES) {
    const commitmentId = commitments.get(u.commitment);
    const items = u.items.flatMap((i) => {
      const m = milestone.get(i.milestone);
      if (!m) return [];
      const obstacles = m.status === 'delayed' || m.status === 'not_started' ? ['coordination'] : [];
      return [{ milestoneId: m.id, status: m.status, completion: i.completion, narrative: i.narrative, obstacles, obstacleNote: '', links: [] }];
    });
    if (commitmentId === undefined || items.length === 0) continue;
    const existing = await rdb(db).selectFrom('progress_updates').select(['id', 'status']).where('cycle_id', '=', cycle.id).where('commitment_id', '=', commitmentId).executeTakeFirst();
    if (existing?.status === 'published') continue;
    if (existing && existing.status !== 'draft' && existing.status !== 'returned' && existing.status !== 'submitted') continue;
    const saved = existing?.status === 'submitted' ? existing : await saveProgressUpdate(db, SYSTEM, { cycleId: cycle.id, commitmentId, locale: 'en', summary: u.summary, items, files: [], removeFileIds: [], submit: true, formToken: null });
    await publishProgressUpdate(db, SYSTEM, { updateId: saved.id });
  }

  // The monitoring body's reviews of the cycle.
  const review = async (code: string, input: { assessment: string; ratings: Record<string, string | null>; findings: ReturnType<typeof demo>; links?: string[] }) => {
    const commitmentId = commitments.get(code);
    if (commitmentId === undefined) return undefined;
    return saveReview(db, SYSTEM, { cycleId: cycle.id, commitmentId, assessment: input.assessment, ratings: input.ratings, findings: input.findings, links: input.links ?? [] }, { isDemo: true });
  };
  const r1 = await review('XKGJA0001', {
    assessment: 'minor_delays',
    ratings: { verifiability: 'verifiable', potential_for_results: 'substantial', completion: 'substantial', did_it_open_government: 'marginal', early_results: 'moderate' },
    findings: demo({
      en: 'The inventory is online and matches what the office reported. e-Procurement is used for most, not all, procedures.',
      sq: 'Inventari është në internet dhe përputhet me atë që raportoi zyra. e-Prokurimi përdoret për shumicën e procedurave, jo për të gjitha.',
      'sr-Latn': 'Popis je na internetu i odgovara onome što je kancelarija izvestila. e-Nabavke se koriste za većinu postupaka, ali ne za sve.',
      fr: 'L’inventaire est en ligne et correspond à ce que le bureau a déclaré. e-Procurement est utilisé pour la plupart des procédures, pas toutes.',
    }),
    links: ['https://gjakovaportal.rks-gov.net/'],
  });
  // The planted disagreement: reported complete, found limited.
  const r2 = await review('XKGJA0002', {
    assessment: 'minor_delays',
    ratings: { verifiability: 'verifiable', potential_for_results: 'modest', completion: 'limited', did_it_open_government: 'did_not_change', early_results: 'no_notable' },
    findings: demo({
      en: 'The campaign was reported complete, but sessions took place in two neighbourhoods only and no material was available in Serbian or for persons with disabilities.',
      sq: 'Fushata u raportua e përfunduar, por seancat u mbajtën vetëm në dy lagje dhe nuk kishte material në serbisht ose për personat me aftësi të kufizuara.',
      'sr-Latn': 'Kampanja je izveštena kao završena, ali su sesije održane samo u dva naselja i nije bilo materijala na srpskom ni za osobe sa invaliditetom.',
      fr: 'La campagne a été déclarée achevée, mais les séances n’ont eu lieu que dans deux quartiers et aucun support n’existait en serbe ni pour les personnes handicapées.',
    }),
  });
  const r3 = await review('XKGJA0003', {
    assessment: 'on_track',
    ratings: { verifiability: 'verifiable', potential_for_results: 'modest', completion: 'substantial', did_it_open_government: null, early_results: null },
    findings: demo({
      en: 'The awareness campaign took place as reported; the first clean-up day was held with local organisations.',
      sq: 'Fushata e ndërgjegjësimit u zhvillua siç u raportua; dita e parë e pastrimit u mbajt me organizatat lokale.',
      'sr-Latn': 'Kampanja podizanja svesti održana je kako je izvešteno; prvi dan čišćenja održan je sa lokalnim organizacijama.',
      fr: 'La campagne de sensibilisation a eu lieu comme déclaré ; la première journée de nettoyage s’est tenue avec les associations locales.',
    }),
  });

  const recommend = async (reviewId: number | undefined, institution: string, dueOn: string, text: ReturnType<typeof demo>) =>
    reviewId === undefined ? undefined : saveRecommendation(db, SYSTEM, { reviewId, text, institutionId: institutions.get(institution) ?? null, dueOn });
  // Answered, then closed after a follow-up.
  const answered = await recommend(r2, 'information-office', '2025-09-30', demo({
    en: 'Repeat the sessions in every neighbourhood, with material in Albanian, Serbian and accessible formats.',
    sq: 'Përsëritni seancat në çdo lagje, me material në shqip, serbisht dhe në formate të qasshme.',
    'sr-Latn': 'Ponovite sesije u svakom naselju, sa materijalom na albanskom, srpskom i u pristupačnim formatima.',
    fr: 'Refaire les séances dans chaque quartier, avec des supports en albanais, en serbe et dans des formats accessibles.',
  }));
  // Open, due later.
  await recommend(r1, 'it-office', '2027-06-30', demo({
    en: 'Publish each month the share of procedures run fully on e-Procurement.',
    sq: 'Publikoni çdo muaj përqindjen e procedurave të zhvilluara plotësisht në e-Prokurim.',
    'sr-Latn': 'Objavljujte svakog meseca udeo postupaka sprovedenih u potpunosti kroz e-Nabavke.',
    fr: 'Publier chaque mois la part des procédures entièrement menées sur e-Procurement.',
  }));
  // Open and overdue.
  await recommend(r3, 'directorate-public-services', '2025-08-31', demo({
    en: 'Map the reported dumping sites and publish the map with each clean-up day.',
    sq: 'Hartografoni vendet e raportuara të hedhjes së mbeturinave dhe publikoni hartën me çdo ditë pastrimi.',
    'sr-Latn': 'Mapirajte prijavljena divlja odlagališta i objavite mapu uz svaki dan čišćenja.',
    fr: 'Cartographier les dépôts sauvages signalés et publier la carte à chaque journée de nettoyage.',
  }));

  await publishMonitoringReport(db, SYSTEM, {
    cycleId: cycle.id,
    summary: demo({
      en: 'Three commitments reviewed. One report does not match what the monitoring body found.',
      sq: 'U shqyrtuan tre zotime. Një raport nuk përputhet me atë që gjeti organi i monitorimit.',
      'sr-Latn': 'Razmotrene su tri obaveze. Jedan izveštaj se ne slaže sa onim što je utvrdilo telo za praćenje.',
      fr: 'Trois engagements examinés. Un rapport ne correspond pas à ce que l’organe de suivi a constaté.',
    }),
  }, { isDemo: true });

  if (answered !== undefined) {
    await respondToRecommendation(db, SYSTEM, {
      recommendationId: answered,
      response: 'accepted',
      reasons: demo({
        en: 'The office will hold the sessions again before the end of the plan.',
        sq: 'Zyra do t’i mbajë sërish seancat para përfundimit të planit.',
        'sr-Latn': 'Kancelarija će ponovo održati sesije pre kraja plana.',
        fr: 'Le bureau tiendra de nouveau les séances avant la fin du plan.',
      }),
    });
    await addFollowUp(db, SYSTEM, {
      recommendationId: answered,
      status: 'closed',
      note: demo({
        en: 'Sessions held in all neighbourhoods, with material in both languages and in easy-to-read format.',
        sq: 'Seancat u mbajtën në të gjitha lagjet, me material në të dyja gjuhët dhe në format të lehtë për t’u lexuar.',
        'sr-Latn': 'Sesije su održane u svim naseljima, sa materijalom na oba jezika i u lako čitljivom formatu.',
        fr: 'Séances tenues dans tous les quartiers, avec des supports dans les deux langues et en facile à lire.',
      }),
    });
  }
  return [r1, r2, r3].filter((x) => x !== undefined).length;
}
