import type { Insertable } from 'kysely';
import type { Db, Trx } from '../database.js';
import type { CommitmentTable, MilestoneTable } from '../schema.js';
import { runCommand, SYSTEM } from '../../modules/audit/index.js';
import { rebuildSearchIndex } from '../../modules/search/index.js';
import { OGP_VALUES, type MilestoneStatus } from '../../modules/commitments/index.js';
import { serializeTranslatable, type Translatable } from '../../lib/translatable.js';

/**
 * Synthetic data at the scale of the whole Open Government Partnership (a few hundred members,
 * plans and thousands of commitments), to measure Besa where it must work. Every name says
 * "Synthetic", every slug starts with `synthetic-`, and every plan and milestone is marked
 * is_demo = 1 so pages say it is demonstration data. Jurisdiction synthetic-1 holds plan `big`
 * with 1,000 commitments for the big-plan benchmark.
 */
export interface Scale {
  jurisdictions: number;
  institutionsPerJurisdiction: number;
  commitmentsPerPlan: number;
  bigPlanCommitments: number;
  milestonesPerCommitment: number;
}

export const OGP_SCALE: Scale = {
  jurisdictions: 200,
  institutionsPerJurisdiction: 8,
  /** The first half of the jurisdictions get three plans, the others two: 500 plans. */
  commitmentsPerPlan: 11,
  bigPlanCommitments: 1000,
  milestonesPerCommitment: 5,
};

export const BIG_PLAN = { jurisdiction: 'synthetic-1', plan: 'big' } as const;

export interface GenerateResult {
  jurisdictions: number;
  institutions: number;
  plans: number;
  commitments: number;
  milestones: number;
  seconds: number;
}

export class AlreadyGeneratedError extends Error {
  constructor() {
    super('Synthetic data is already there (jurisdiction synthetic-1 exists); nothing was added.');
  }
}

/** Jurisdictions per transaction: a few thousand rows each, so a failure loses little and locks are short. */
const JURISDICTIONS_PER_TRANSACTION = 20;
/** Rows per INSERT: below SQLite's 32,766 bound parameters and PostgreSQL's 65,535 for every table here. */
const ROWS_PER_INSERT = 1000;

const COUNTRIES = ['AL', 'AM', 'AR', 'BA', 'BR', 'CO', 'GE', 'GH', 'ID', 'KE', 'MD', 'ME', 'MK', 'MN', 'NG', 'PH', 'RS', 'SN', 'UA', 'XK'];
const STATUSES: MilestoneStatus[] = ['completed', 'completed', 'in_progress', 'in_progress', 'delayed', 'not_started', 'not_started', 'cancelled'];
const TOPICS = [
  { en: 'open contracting', fr: 'commande publique ouverte', sq: 'kontraktim i hapur' },
  { en: 'participatory budgeting', fr: 'budget participatif', sq: 'buxhetim pjesëmarrës' },
  { en: 'access to information requests', fr: "demandes d'accès à l'information", sq: 'kërkesa për qasje në informacion' },
  { en: 'beneficial ownership', fr: 'bénéficiaires effectifs', sq: 'pronësi përfituese' },
  { en: 'open data portal', fr: 'portail de données ouvertes', sq: 'portal i të dhënave të hapura' },
  { en: 'waste management', fr: 'gestion des déchets', sq: 'menaxhim i mbeturinave' },
  { en: 'youth councils', fr: 'conseils de jeunes', sq: 'këshilla rinore' },
  { en: 'public service kiosks', fr: 'bornes de services publics', sq: 'kioska shërbimesh publike' },
  { en: 'climate action', fr: 'action climatique', sq: 'veprim klimatik' },
  { en: 'lobbying register', fr: 'registre des lobbies', sq: 'regjistër i lobimit' },
  { en: 'health services', fr: 'services de santé', sq: 'shërbime shëndetësore' },
  { en: 'accessibility of public buildings', fr: 'accessibilité des bâtiments publics', sq: 'qasshmëri e ndërtesave publike' },
] as const;

/** A small deterministic generator, so every run produces the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tr = (value: Translatable): string => serializeTranslatable(value);
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

interface PlanSpec {
  slug: string;
  number: number;
  starts_on: string;
  ends_on: string;
  status: string;
  commitments: number;
}

function plansOf(j: number, scale: Scale): PlanSpec[] {
  const periods = [
    { starts_on: '2020-01-01', ends_on: '2021-12-31', status: 'closed' },
    { starts_on: '2022-01-01', ends_on: '2023-12-31', status: 'closed' },
    { starts_on: '2024-09-01', ends_on: '2026-08-31', status: 'in_implementation' },
  ];
  const count = j <= scale.jurisdictions / 2 ? 3 : 2;
  const chosen = periods.slice(3 - count);
  return chosen.map((period, i) => {
    const number = i + 1;
    const big = j === 1 && i === chosen.length - 1;
    return {
      ...period,
      number,
      slug: big ? BIG_PLAN.plan : `${period.starts_on.slice(0, 4)}-${period.ends_on.slice(0, 4)}`,
      commitments: big ? scale.bigPlanCommitments : scale.commitmentsPerPlan,
    };
  });
}

async function generateJurisdictions(trx: Trx, scale: Scale, numbers: number[], now: string, counts: Omit<GenerateResult, 'seconds'>): Promise<void> {
  const rand = random(numbers[0] ?? 1);
  await trx
    .insertInto('jurisdictions')
    .values(
      numbers.map((j) => ({
        slug: `synthetic-${j}`,
        name: tr({ en: `Synthetic jurisdiction ${j}`, fr: `Juridiction synthétique ${j}`, sq: `Juridiksion sintetik ${j}`, 'sr-Latn': `Sintetička jurisdikcija ${j}` }),
        kind: j % 3 === 0 ? 'national' : 'local',
        country_code: COUNTRIES[j % COUNTRIES.length] ?? 'XK',
        description: tr({
          en: `Synthetic jurisdiction ${j}: generated demonstration data for load tests, not a real OGP member.`,
          fr: `Juridiction synthétique ${j} : données de démonstration générées pour les tests de charge, pas un vrai membre de l'OGP.`,
        }),
        website: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const jurisdictions = await trx
    .selectFrom('jurisdictions')
    .select(['id', 'slug'])
    .where(
      'slug',
      'in',
      numbers.map((j) => `synthetic-${j}`),
    )
    .execute();
  const jurisdictionId = new Map(jurisdictions.map((r) => [Number(r.slug.slice('synthetic-'.length)), r.id]));
  counts.jurisdictions += jurisdictions.length;

  // Institutions: government units, then one civil society organization and one international partner.
  const institutionRows = numbers.flatMap((j) =>
    Array.from({ length: scale.institutionsPerJurisdiction }, (_, i) => {
      const n = i + 1;
      const per = scale.institutionsPerJurisdiction;
      const kind = n <= per - 2 ? 'government' : n === per - 1 ? 'civil_society' : 'international';
      const label =
        kind === 'government'
          ? { en: `Synthetic directorate ${j}.${n}`, fr: `Direction synthétique ${j}.${n}`, sq: `Drejtori sintetike ${j}.${n}` }
          : kind === 'civil_society'
            ? { en: `Synthetic civil society organization ${j}`, fr: `Organisation synthétique de la société civile ${j}`, sq: `Organizatë sintetike e shoqërisë civile ${j}` }
            : { en: `Synthetic international partner ${j}`, fr: `Partenaire international synthétique ${j}`, sq: `Partner ndërkombëtar sintetik ${j}` };
      return {
        jurisdiction_id: jurisdictionId.get(j)!,
        slug: `synthetic-institution-${n}`,
        name: tr(label),
        kind,
        description: '{}',
        website: null,
        created_at: now,
        updated_at: now,
      };
    }),
  );
  for (const part of chunks(institutionRows, ROWS_PER_INSERT)) await trx.insertInto('institutions').values(part).execute();
  counts.institutions += institutionRows.length;
  const ids = [...jurisdictionId.values()];
  const institutions = await trx.selectFrom('institutions').select(['id', 'jurisdiction_id', 'slug']).where('jurisdiction_id', 'in', ids).orderBy('id').execute();
  const institutionsOf = new Map<number, number[]>();
  for (const i of institutions) {
    const list = institutionsOf.get(i.jurisdiction_id) ?? [];
    list.push(i.id);
    institutionsOf.set(i.jurisdiction_id, list);
  }

  // Plans.
  const planSpecs = new Map<string, PlanSpec & { jurisdiction: number }>();
  const planRows = numbers.flatMap((j) =>
    plansOf(j, scale).map((p) => {
      planSpecs.set(`${jurisdictionId.get(j)}/${p.slug}`, { ...p, jurisdiction: j });
      return {
        jurisdiction_id: jurisdictionId.get(j)!,
        slug: p.slug,
        title: tr({
          en: `Synthetic action plan ${j}.${p.number} (demonstration data)`,
          fr: `Plan d'action synthétique ${j}.${p.number} (données de démonstration)`,
          sq: `Plan veprimi sintetik ${j}.${p.number} (të dhëna demonstruese)`,
        }),
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        submitted_on: addDays(p.starts_on, -30),
        status: p.status,
        foreword: tr({
          en: `Generated foreword of synthetic plan ${j}.${p.number}. This plan does not exist; it is here to test Besa at the scale of all OGP members.`,
          fr: `Avant-propos généré du plan synthétique ${j}.${p.number}. Ce plan n'existe pas ; il sert à tester Besa à l'échelle de tous les membres de l'OGP.`,
        }),
        cocreation_groups: 3 + (j % 5),
        cocreation_public_meetings: 5 + (j % 11),
        cocreation_summary: tr({ en: 'Synthetic co-creation summary.', fr: 'Résumé synthétique de la co-création.' }),
        is_demo: 1,
        created_at: now,
        updated_at: now,
      };
    }),
  );
  await trx.insertInto('action_plans').values(planRows).execute();
  counts.plans += planRows.length;
  const plans = await trx.selectFrom('action_plans').select(['id', 'jurisdiction_id', 'slug']).where('jurisdiction_id', 'in', ids).execute();

  await trx
    .insertInto('action_plan_lead_institutions')
    .values(
      plans.flatMap((p) => {
        const inst = institutionsOf.get(p.jurisdiction_id) ?? [];
        return inst.slice(0, 2).map((institution_id, position) => ({ action_plan_id: p.id, institution_id, position }));
      }),
    )
    .execute();
  await trx
    .insertInto('vision_sections')
    .values(
      plans.flatMap((p) => [
        {
          action_plan_id: p.id,
          position: 0,
          question: tr({ en: 'What is the long-term vision for open government?', fr: 'Quelle est la vision à long terme du gouvernement ouvert ?' }),
          answer: tr({ en: 'A synthetic vision: open, accountable and participatory government.', fr: 'Une vision synthétique : un gouvernement ouvert, redevable et participatif.' }),
        },
        {
          action_plan_id: p.id,
          position: 1,
          question: tr({ en: 'What are the current challenges?', fr: 'Quels sont les défis actuels ?' }),
          answer: tr({ en: 'Synthetic challenges, generated for load tests.', fr: 'Défis synthétiques, générés pour les tests de charge.' }),
        },
      ]),
    )
    .execute();
  await trx
    .insertInto('endorsements')
    .values(
      plans.flatMap((p) => [
        { action_plan_id: p.id, position: 0, organization: `Synthetic civil society organization ${p.jurisdiction_id}`, sector: 'civil_society' },
        { action_plan_id: p.id, position: 1, organization: 'Synthetic university', sector: 'academia' },
      ]),
    )
    .execute();

  // Commitments.
  const commitmentRows: Insertable<CommitmentTable>[] = [];
  for (const p of plans) {
    const spec = planSpecs.get(`${p.jurisdiction_id}/${p.slug}`)!;
    const prefix = `${COUNTRIES[spec.jurisdiction % COUNTRIES.length]}S${pad(spec.jurisdiction, 3)}${spec.number}`;
    for (let k = 1; k <= spec.commitments; k++) {
      const topic = TOPICS[(spec.jurisdiction + k) % TOPICS.length]!;
      const label = `${spec.jurisdiction}.${spec.number}.${k}`;
      commitmentRows.push({
        action_plan_id: p.id,
        code: `${prefix}${pad(k, 4)}`,
        position: k - 1,
        title: tr({ en: `Synthetic commitment ${label}: ${topic.en}`, fr: `Engagement synthétique ${label} : ${topic.fr}`, sq: `Angazhim sintetik ${label}: ${topic.sq}` }),
        problem: tr({
          en: `Generated problem statement about ${topic.en}. Residents find it hard to follow decisions and results in this area.`,
          fr: `Problème généré sur le thème ${topic.fr}. Les habitants peinent à suivre les décisions et les résultats dans ce domaine.`,
        }),
        status_quo: tr({ en: `Generated status quo for ${topic.en}.`, fr: `Situation actuelle générée pour ${topic.fr}.` }),
        action: tr({ en: `Publish data and hold consultations on ${topic.en}.`, fr: `Publier des données et consulter le public sur ${topic.fr}.` }),
        contribution: tr({ en: 'More transparency and participation (synthetic).', fr: 'Plus de transparence et de participation (synthétique).' }),
        long_term_goal: tr({ en: 'An open, accountable administration (synthetic).', fr: 'Une administration ouverte et redevable (synthétique).' }),
        ogp_values: JSON.stringify(OGP_VALUES.filter((_, v) => (k + v) % 3 !== 0)),
        policy_areas: JSON.stringify([topic.en]),
        starts_on: spec.starts_on,
        ends_on: spec.ends_on,
        created_at: now,
        updated_at: now,
      });
    }
  }
  for (const part of chunks(commitmentRows, ROWS_PER_INSERT)) await trx.insertInto('commitments').values(part).execute();
  counts.commitments += commitmentRows.length;
  const planIds = plans.map((p) => p.id);
  const commitments = await trx.selectFrom('commitments').select(['id', 'action_plan_id', 'position']).where('action_plan_id', 'in', planIds).execute();
  const planById = new Map(plans.map((p) => [p.id, p]));

  const links: { commitment_id: number; institution_id: number; role: string }[] = [];
  const milestoneRows: Insertable<MilestoneTable>[] = [];
  const codes = new Map(commitmentRows.map((c) => [`${c.action_plan_id}/${c.position}`, c.code]));
  for (const c of commitments) {
    const p = planById.get(c.action_plan_id)!;
    const spec = planSpecs.get(`${p.jurisdiction_id}/${p.slug}`)!;
    const inst = institutionsOf.get(p.jurisdiction_id) ?? [];
    const government = inst.length - 2;
    const lead = inst[c.position % government]!;
    const supporting = inst[government + (c.position % 2)]!;
    links.push({ commitment_id: c.id, institution_id: lead, role: 'lead' }, { commitment_id: c.id, institution_id: supporting, role: 'supporting' });
    const code = codes.get(`${c.action_plan_id}/${c.position}`)!;
    const span = daysBetween(spec.starts_on, spec.ends_on);
    const closed = spec.status === 'closed';
    for (let m = 1; m <= scale.milestonesPerCommitment; m++) {
      const due = addDays(spec.starts_on, Math.round((span * m) / scale.milestonesPerCommitment) - Math.floor(rand() * 20));
      const start = addDays(due, -60 - Math.floor(rand() * 90));
      let status: MilestoneStatus = closed ? (rand() < 0.8 ? 'completed' : 'cancelled') : STATUSES[Math.floor(rand() * STATUSES.length)]!;
      if (status === 'completed' && m === scale.milestonesPerCommitment && !closed) status = 'in_progress';
      milestoneRows.push({
        commitment_id: c.id,
        code: `${code}.${m}`,
        position: m - 1,
        title: tr({ en: `Synthetic milestone ${code}.${m}`, fr: `Jalon synthétique ${code}.${m}`, sq: `Pikë kryesore sintetike ${code}.${m}` }),
        expected_output: tr({ en: 'A published, generated output.', fr: 'Un résultat généré et publié.' }),
        indicator: tr({ en: 'Generated indicator.', fr: 'Indicateur généré.' }),
        responsible_institution_id: m % 2 === 0 ? supporting : lead,
        starts_on: start < spec.starts_on ? spec.starts_on : start,
        due_on: due,
        status,
        completed_on: status === 'completed' ? addDays(due, Math.floor(rand() * 30) - 20) : null,
        cancelled_on: status === 'cancelled' ? addDays(due, -Math.floor(rand() * 30)) : null,
        weight: 1 + (m % 3),
        is_demo: 1,
        created_at: now,
        updated_at: now,
      });
    }
  }
  for (const part of chunks(links, ROWS_PER_INSERT * 4)) await trx.insertInto('commitment_institutions').values(part).execute();
  for (const part of chunks(milestoneRows, ROWS_PER_INSERT)) await trx.insertInto('milestones').values(part).execute();
  counts.milestones += milestoneRows.length;
}

/**
 * Adds the synthetic OGP-scale data. Inserts in batches, a few jurisdictions per transaction,
 * then one command that records the audit event, rebuilds the search index and bumps the content
 * version once. Refuses to run twice.
 */
export async function generateOgpScale(db: Db, options: { log?: (message: string) => void; scale?: Partial<Scale> } = {}): Promise<GenerateResult> {
  const log = options.log ?? (() => undefined);
  const scale: Scale = { ...OGP_SCALE, ...options.scale };
  if (scale.institutionsPerJurisdiction < 3 || scale.jurisdictions < 1) throw new Error('generate: at least 1 jurisdiction and 3 institutions each');
  const started = performance.now();
  const exists = await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'synthetic-1').executeTakeFirst();
  if (exists) throw new AlreadyGeneratedError();
  const now = new Date().toISOString();
  const counts = { jurisdictions: 0, institutions: 0, plans: 0, commitments: 0, milestones: 0 };
  const all = Array.from({ length: scale.jurisdictions }, (_, i) => i + 1);
  for (const part of chunks(all, JURISDICTIONS_PER_TRANSACTION)) {
    await db.transaction().execute((trx) => generateJurisdictions(trx, scale, part, now, counts));
    log(`  ${counts.jurisdictions} jurisdictions, ${counts.commitments} commitments, ${counts.milestones} milestones`);
  }
  log('  rebuilding the search index');
  await runCommand(db, SYSTEM, async (trx, audit) => {
    await audit.publish('seed.generate', 'jurisdiction', null, { scale: options.scale ? 'custom' : 'ogp', ...counts });
    await rebuildSearchIndex(trx);
  });
  return { ...counts, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
