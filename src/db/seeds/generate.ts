import type { Insertable, Kysely } from 'kysely';
import type { Db, Trx } from '../database.js';
import type { CommitmentTable, MilestoneTable } from '../schema.js';
import { runCommand, SYSTEM } from '../../modules/audit/index.js';
import { rebuildSearchIndex } from '../../modules/search/index.js';
import { OGP_VALUES, type MilestoneStatus } from '../../modules/commitments/index.js';
import { defaultCycles } from '../../modules/reporting/index.js';
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
  /** Members of each body: from the first to the second number (the forum has the most). */
  membersPerBody: readonly [number, number];
  /** Every n-th jurisdiction has a working group under its forum. */
  workingGroupEvery: number;
}

export const OGP_SCALE: Scale = {
  jurisdictions: 200,
  institutionsPerJurisdiction: 8,
  /** The first half of the jurisdictions get three plans, the others two: 500 plans. */
  commitmentsPerPlan: 11,
  bigPlanCommitments: 1000,
  milestonesPerCommitment: 5,
  membersPerBody: [10, 25],
  workingGroupEvery: 3,
};

export const BIG_PLAN = { jurisdiction: 'synthetic-1', plan: 'big' } as const;
/** A jurisdiction with three plans of ordinary size, its bodies and their years of meetings and reviews: the benchmark's pages of the people's side. */
export const PEOPLE_JURISDICTION = 'synthetic-2';
export const PEOPLE_PLAN = '2024-2026';

export interface GenerateResult {
  jurisdictions: number;
  institutions: number;
  plans: number;
  commitments: number;
  milestones: number;
  bodies: number;
  members: number;
  meetings: number;
  reviews: number;
  recommendations: number;
  monitoringReports: number;
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

  const leadOf = new Map(links.filter((l) => l.role === 'lead').map((l) => [l.commitment_id, l.institution_id]));
  await generatePeopleSide(trx, scale, {
    numbers,
    jurisdictionId,
    institutionsOf,
    plans: plans.map((p) => ({ id: p.id, jurisdictionId: p.jurisdiction_id, spec: planSpecs.get(`${p.jurisdiction_id}/${p.slug}`)! })),
    commitments: commitments.map((c) => ({ id: c.id, planId: c.action_plan_id, position: c.position, lead: leadOf.get(c.id) ?? null })),
    now,
    counts,
    rand,
  });
}

// ---------------------------------------------------------------------------------------------
// The people's side (issue 10): bodies, members, meetings with their records, reporting cycles,
// reviews with recommendations and monitoring reports, in proportion to the plans above.

const SECTORS = ['civil_society', 'executive', 'assembly', 'political_party', 'private_sector', 'international_partner', 'other'] as const;
const GROUPS = ['youth', 'women', 'persons_with_disabilities', 'non_majority_communities'] as const;
const ASSESSMENTS = ['on_track', 'on_track', 'minor_delays', 'major_delays', 'not_started', 'completed', 'completed'] as const;
const COMPLETION = ['no_evidence', 'not_started', 'limited', 'substantial', 'complete'] as const;
const OPENED = ['did_not_change', 'marginal', 'marginal', 'major', 'outstanding'] as const;
const RESPONSES = ['accepted', 'accepted', 'partially_accepted', 'not_accepted', null] as const;
/** The forum meets monthly (the rule of Gjakova's plan); monitoring every two to three months. */
const FORUM_EVERY_DAYS = 31;
const MONITORING_EVERY_DAYS = [61, 92] as const;

interface PeopleInput {
  numbers: number[];
  jurisdictionId: Map<number, number>;
  institutionsOf: Map<number, number[]>;
  plans: { id: number; jurisdictionId: number; spec: PlanSpec & { jurisdiction: number } }[];
  commitments: { id: number; planId: number; position: number; lead: number | null }[];
  now: string;
  counts: Omit<GenerateResult, 'seconds'>;
  rand: () => number;
}

interface BodySpec {
  jurisdictionId: number;
  j: number;
  kind: 'forum' | 'monitoring_body' | 'working_group';
  slug: string;
}

async function insertAll(x: Kysely<any>, table: string, rows: Record<string, unknown>[], perInsert = ROWS_PER_INSERT): Promise<void> {
  for (const part of chunks(rows, perInsert)) await x.insertInto(table).values(part).execute();
}

function bodyName(kind: BodySpec['kind'], j: number): Translatable {
  if (kind === 'forum') return { en: `Synthetic Transparency Forum ${j}`, fr: `Forum synthétique de la transparence ${j}`, sq: `Forumi sintetik i transparencës ${j}`, 'sr-Latn': `Sintetički forum za transparentnost ${j}` };
  if (kind === 'monitoring_body') return { en: `Synthetic monitoring body ${j}`, fr: `Organe de suivi synthétique ${j}`, sq: `Organi sintetik monitorues ${j}`, 'sr-Latn': `Sintetičko telo za praćenje ${j}` };
  return { en: `Synthetic working group on open data ${j}`, fr: `Groupe de travail synthétique sur les données ouvertes ${j}`, sq: `Grup pune sintetik për të dhëna të hapura ${j}` };
}

async function generatePeopleSide(trx: Trx, scale: Scale, input: PeopleInput): Promise<void> {
  const x = trx as unknown as Kysely<any>;
  const { now, counts, rand } = input;
  const today = now.slice(0, 10);

  // Bodies: a forum and a monitoring body per jurisdiction; a working group under some forums.
  const specs: BodySpec[] = input.numbers.flatMap((j) => {
    const jurisdictionId = input.jurisdictionId.get(j)!;
    const list: BodySpec[] = [
      { jurisdictionId, j, kind: 'forum', slug: 'forum' },
      { jurisdictionId, j, kind: 'monitoring_body', slug: 'monitoring-body' },
    ];
    if (scale.workingGroupEvery > 0 && j % scale.workingGroupEvery === 0) list.push({ jurisdictionId, j, kind: 'working_group', slug: 'open-data-working-group' });
    return list;
  });
  await insertAll(
    x,
    'bodies',
    specs.map((b, position) => ({
      jurisdiction_id: b.jurisdictionId,
      kind: b.kind,
      slug: b.slug,
      name: tr(bodyName(b.kind, b.j)),
      mandate: tr({ en: 'Synthetic mandate: review progress, propose adjustments and share results with the public.', fr: 'Mandat synthétique : examiner les progrès, proposer des ajustements et partager les résultats.' }),
      rules: tr({ en: 'Synthetic rules of procedure (demonstration data).', fr: 'Règlement intérieur synthétique (données de démonstration).' }),
      composition_rules: JSON.stringify(b.kind === 'monitoring_body' ? ['civil_society_majority'] : []),
      meets_every_days: b.kind === 'forum' ? FORUM_EVERY_DAYS : b.kind === 'monitoring_body' ? MONITORING_EVERY_DAYS[1] : null,
      established_on: '2019-12-01',
      position: position % 3,
      is_demo: 1,
      created_at: now,
      updated_at: now,
    })),
  );
  const jurisdictionIds = [...input.jurisdictionId.values()];
  const bodies: { id: number; jurisdiction_id: number; kind: string; slug: string }[] = await x.selectFrom('bodies').select(['id', 'jurisdiction_id', 'kind', 'slug']).where('jurisdiction_id', 'in', jurisdictionIds).execute();
  const forumOf = new Map(bodies.filter((b) => b.kind === 'forum').map((b) => [b.jurisdiction_id, b.id]));
  for (const b of bodies.filter((b) => b.kind === 'working_group')) await x.updateTable('bodies').set({ parent_id: forumOf.get(b.jurisdiction_id) }).where('id', '=', b.id).execute();
  counts.bodies += bodies.length;

  // Members: organisations only (no person's name without consent), a civil-society majority in the monitoring body.
  const [low, high] = scale.membersPerBody;
  const memberRows = bodies.flatMap((b) => {
    const size = b.kind === 'forum' ? high : b.kind === 'monitoring_body' ? Math.round((low + high) / 2) : low;
    return Array.from({ length: size }, (_, i) => {
      const sector = b.kind === 'monitoring_body' ? (i < Math.floor(size / 2) + 1 ? 'civil_society' : i % 2 ? 'political_party' : 'executive') : SECTORS[i % SECTORS.length]!;
      const groups = GROUPS.filter((_, g) => (i + g) % 3 === 0);
      return {
        body_id: b.id,
        organisation: tr({ en: `Synthetic member organisation ${b.id}.${i + 1}`, fr: `Organisation membre synthétique ${b.id}.${i + 1}`, sq: `Organizatë anëtare sintetike ${b.id}.${i + 1}` }),
        institution_id: null,
        person_name: null,
        name_consent_at: null,
        email: null,
        sector,
        represented_groups: JSON.stringify(groups),
        role: i === 0 ? 'chair' : i === 1 ? 'secretary' : i === size - 1 ? 'observer' : 'member',
        term_start: '2020-01-01',
        term_end: null,
        position: i,
        is_demo: 1,
        created_at: now,
        updated_at: now,
      };
    });
  });
  await insertAll(x, 'body_members', memberRows);
  counts.members += memberRows.length;
  const members: { id: number; body_id: number }[] = await x.selectFrom('body_members').select(['id', 'body_id']).where('body_id', 'in', bodies.map((b) => b.id)).orderBy('id').execute();
  const membersOf = new Map<number, number[]>();
  for (const m of members) membersOf.set(m.body_id, [...(membersOf.get(m.body_id) ?? []), m.id]);

  // The assessments the standards checklist reads: the inception assessment seven weeks after
  // submission, each end-of-commitment assessment three weeks after the end (six weeks, late, in
  // every fourth jurisdiction); only what has happened by today.
  for (const p of input.plans) {
    const inception = addDays(p.spec.starts_on, -30 + 49);
    if (inception < today) await x.updateTable('action_plans').set({ inception_assessed_on: inception }).where('id', '=', p.id).execute();
    const assessed = addDays(p.spec.ends_on, p.spec.jurisdiction % 4 === 0 ? 42 : 21);
    if (assessed < today) await x.updateTable('commitments').set({ end_assessed_on: assessed }).where('action_plan_id', '=', p.id).execute();
  }

  // Reporting cycles of every plan (quarterly, as reporting proposes them).
  const cycleRows = input.plans.flatMap((p) =>
    defaultCycles(p.spec.starts_on, p.spec.ends_on).map((c) => ({
      action_plan_id: p.id,
      number: c.number,
      label: '{}',
      period_start: c.periodStart,
      period_end: c.periodEnd,
      due_on: c.dueOn,
      status: c.dueOn < today ? 'closed' : 'open',
      created_at: now,
      updated_at: now,
    })),
  );
  await insertAll(x, 'reporting_cycles', cycleRows);
  const cycles: { id: number; action_plan_id: number; number: number; period_start: string; period_end: string; due_on: string }[] = await x
    .selectFrom('reporting_cycles')
    .select(['id', 'action_plan_id', 'number', 'period_start', 'period_end', 'due_on'])
    .where('action_plan_id', 'in', input.plans.map((p) => p.id))
    .execute();

  // Meetings over each plan's period: the forum monthly, the monitoring body every two to three
  // months (each presenting the latest cycle due), the working group quarterly.
  interface MeetingSpec {
    row: Record<string, unknown>;
    bodyId: number;
    cycleId: number | null;
    commitmentIds: number[];
    held: boolean;
  }
  const meetingSpecs: MeetingSpec[] = [];
  const commitmentsOf = new Map<number, number[]>();
  for (const c of input.commitments) commitmentsOf.set(c.planId, [...(commitmentsOf.get(c.planId) ?? []), c.id]);
  for (const p of input.plans) {
    const planCycles = cycles.filter((c) => c.action_plan_id === p.id).sort((a, b) => a.number - b.number);
    const planCommitments = commitmentsOf.get(p.id) ?? [];
    for (const b of bodies.filter((b) => b.jurisdiction_id === p.jurisdictionId)) {
      let day = addDays(p.spec.starts_on, 14);
      for (let k = 1; day <= p.spec.ends_on; k++) {
        const held = day < today;
        const cycle = b.kind === 'monitoring_body' ? [...planCycles].reverse().find((c) => c.due_on <= day) : undefined;
        const kind = b.kind === 'forum' ? 'forum' : b.kind === 'monitoring_body' ? 'monitoring_review' : 'working_group';
        meetingSpecs.push({
          bodyId: b.id,
          cycleId: cycle?.id ?? null,
          commitmentIds: planCommitments.length ? [planCommitments[k % planCommitments.length]!, planCommitments[(k + 1) % planCommitments.length]!] : [],
          held,
          row: {
            jurisdiction_id: p.jurisdictionId,
            body_id: b.id,
            kind,
            title: tr({ en: `Synthetic meeting ${k} of ${b.slug} (${p.spec.slug})`, fr: `Réunion synthétique ${k} de ${b.slug} (${p.spec.slug})`, sq: `Takim sintetik ${k} i ${b.slug} (${p.spec.slug})` }),
            starts_at: `${day}T10:00:00.000Z`,
            ends_at: `${day}T12:00:00.000Z`,
            time_zone: 'UTC',
            place: tr({ en: 'Synthetic town hall, room 1', fr: 'Mairie synthétique, salle 1' }),
            online_url: null,
            step_free_access: 1,
            sign_language: k % 4 === 0 ? 1 : 0,
            languages: JSON.stringify(['sq', 'en']),
            accessibility_note: '{}',
            reporting_cycle_id: cycle?.id ?? null,
            status: held ? 'held' : 'scheduled',
            uid: `synthetic-${b.id}-${p.id}-${k}@besa.invalid`,
            sequence: 0,
            minutes: held ? tr({ en: `Synthetic minutes of meeting ${k}.`, fr: `Procès-verbal synthétique de la réunion ${k}.` }) : '{}',
            minutes_published_at: held ? `${addDays(day, 3)}T09:00:00.000Z` : null,
            minutes_approved_at: null,
            minutes_approved_in_id: null,
            reminded_at: null,
            is_demo: 1,
            created_at: now,
            updated_at: now,
          },
        });
        const every = b.kind === 'forum' ? FORUM_EVERY_DAYS : b.kind === 'monitoring_body' ? MONITORING_EVERY_DAYS[k % 2]! : 91;
        day = addDays(day, every - 3 + Math.floor(rand() * 3));
      }
    }
  }
  await insertAll(x, 'meetings', meetingSpecs.map((m) => m.row), 500);
  counts.meetings += meetingSpecs.length;
  const meetingIds: { id: number; uid: string }[] = await x.selectFrom('meetings').select(['id', 'uid']).where('jurisdiction_id', 'in', jurisdictionIds).execute();
  const idOfUid = new Map(meetingIds.map((m) => [m.uid, m.id]));

  const agenda: Record<string, unknown>[] = [];
  const attendance: Record<string, unknown>[] = [];
  const decisions: Record<string, unknown>[] = [];
  const actions: Record<string, unknown>[] = [];
  for (const m of meetingSpecs) {
    const id = idOfUid.get(m.row.uid as string)!;
    agenda.push(
      { meeting_id: id, position: 0, title: tr({ en: 'Approval of the previous minutes', fr: 'Approbation du procès-verbal précédent', sq: 'Miratimi i procesverbalit të mëparshëm' }), description: '{}', commitment_id: null, reporting_cycle_id: null },
      ...m.commitmentIds.map((commitmentId, i) => ({
        meeting_id: id,
        position: i + 1,
        title: tr({ en: 'Progress of a commitment', fr: "Avancement d'un engagement", sq: 'Progresi i një zotimi' }),
        description: '{}',
        commitment_id: commitmentId,
        reporting_cycle_id: m.cycleId,
      })),
    );
    if (!m.held) continue;
    const roll = membersOf.get(m.bodyId) ?? [];
    for (const memberId of roll) {
      const r = rand();
      attendance.push({ meeting_id: id, member_id: memberId, status: r < 0.8 ? 'present' : r < 0.92 ? 'excused' : 'absent' });
    }
    decisions.push({
      meeting_id: id,
      position: 0,
      text: tr({ en: 'Synthetic decision: the progress reports were reviewed and next steps agreed.', fr: 'Décision synthétique : les rapports ont été examinés et les prochaines étapes convenues.' }),
      votes_for: Math.max(1, roll.length - 3),
      votes_against: 1,
      votes_abstaining: 2,
      commitment_ids: JSON.stringify(m.commitmentIds.slice(0, 1)),
      created_at: m.row.starts_at,
    });
    const startDay = (m.row.starts_at as string).slice(0, 10);
    const closed = addDays(startDay, 60) < today;
    actions.push({
      meeting_id: id,
      text: tr({ en: 'Synthetic action item: publish the supporting documents.', fr: 'Action synthétique : publier les documents justificatifs.' }),
      owner_institution_id: null,
      owner_member_id: roll[1] ?? null,
      owner_label: '{}',
      due_on: addDays(startDay, 30),
      status: closed ? 'done' : 'open',
      commitment_id: m.commitmentIds[0] ?? null,
      closed_at: closed ? `${addDays(startDay, 31)}T10:00:00.000Z` : null,
      closed_in_id: null,
      created_at: m.row.starts_at,
      updated_at: m.row.starts_at,
    });
  }
  await insertAll(x, 'meeting_agenda_items', agenda);
  await insertAll(x, 'meeting_attendance', attendance, 5000);
  await insertAll(x, 'meeting_decisions', decisions);
  await insertAll(x, 'action_items', actions);

  // Reviews of every commitment in each cycle whose report was due, published together as the
  // cycle's monitoring report; recommendations where the review found delays, with responses.
  const monitoringOf = new Map(bodies.filter((b) => b.kind === 'monitoring_body').map((b) => [b.jurisdiction_id, b.id]));
  const planById = new Map(input.plans.map((p) => [p.id, p]));
  const pastCycles = cycles.filter((c) => addDays(c.due_on, 30) < today);
  const reportRows = pastCycles.map((c) => ({
    cycle_id: c.id,
    body_id: monitoringOf.get(planById.get(c.action_plan_id)!.jurisdictionId) ?? null,
    summary: tr({ en: `Synthetic monitoring report of cycle ${c.number}.`, fr: `Rapport de suivi synthétique du cycle ${c.number}.` }),
    status: 'published',
    published_at: `${addDays(c.due_on, 30)}T12:00:00.000Z`,
    is_demo: 1,
    created_at: now,
    updated_at: now,
  }));
  await insertAll(x, 'monitoring_reports', reportRows);
  counts.monitoringReports += reportRows.length;
  const reviewRows: Record<string, unknown>[] = [];
  for (const c of pastCycles) {
    const published = `${addDays(c.due_on, 30)}T12:00:00.000Z`;
    for (const commitmentId of commitmentsOf.get(c.action_plan_id) ?? []) {
      const assessment = ASSESSMENTS[Math.floor(rand() * ASSESSMENTS.length)]!;
      reviewRows.push({
        commitment_id: commitmentId,
        cycle_id: c.id,
        assessment,
        verifiability: rand() < 0.9 ? 'verifiable' : 'not_verifiable',
        potential_for_results: ['unclear', 'modest', 'substantial'][Math.floor(rand() * 3)],
        completion: COMPLETION[Math.floor(rand() * COMPLETION.length)],
        did_it_open_government: OPENED[Math.floor(rand() * OPENED.length)],
        early_results: null,
        findings: tr({ en: `Synthetic findings for cycle ${c.number}: ${assessment.replace(/_/g, ' ')}.`, fr: `Constats synthétiques du cycle ${c.number}.` }),
        evidence_links: '[]',
        status: 'published',
        published_at: published,
        created_by: null,
        is_demo: 1,
        created_at: published,
        updated_at: published,
      });
    }
  }
  await insertAll(x, 'reviews', reviewRows);
  counts.reviews += reviewRows.length;
  const reviews: { id: number; commitment_id: number; assessment: string; published_at: string }[] = await x
    .selectFrom('reviews')
    .select(['id', 'commitment_id', 'assessment', 'published_at'])
    .where('cycle_id', 'in', pastCycles.length ? pastCycles.map((c) => c.id) : [-1])
    .execute();
  const leadOf = new Map(input.commitments.map((c) => [c.id, c.lead]));
  const recommendationRows = reviews
    .filter((r) => r.assessment === 'minor_delays' || r.assessment === 'major_delays' || r.assessment === 'not_started')
    .map((r) => {
      const day = r.published_at.slice(0, 10);
      const response = RESPONSES[Math.floor(rand() * RESPONSES.length)] ?? null;
      const closed = response !== null && addDays(day, 120) < today && rand() < 0.7;
      return {
        review_id: r.id,
        position: 0,
        text: tr({ en: 'Synthetic recommendation: publish a revised timeline with the missing evidence.', fr: 'Recommandation synthétique : publier un calendrier révisé avec les preuves manquantes.' }),
        institution_id: leadOf.get(r.commitment_id) ?? null,
        due_on: addDays(day, 90),
        response,
        response_reasons: response ? tr({ en: 'Synthetic reasons of the government.', fr: 'Motifs synthétiques du gouvernement.' }) : '{}',
        responded_at: response ? `${addDays(day, 20)}T09:00:00.000Z` : null,
        status: closed ? 'closed' : 'open',
        closed_at: closed ? `${addDays(day, 110)}T09:00:00.000Z` : null,
        created_at: r.published_at,
        updated_at: r.published_at,
      };
    });
  await insertAll(x, 'recommendations', recommendationRows);
  counts.recommendations += recommendationRows.length;
  const closedRecommendations: { id: number; closed_at: string }[] = await x
    .selectFrom('recommendations')
    .innerJoin('reviews', 'reviews.id', 'recommendations.review_id')
    .select(['recommendations.id', 'recommendations.closed_at'])
    .where('reviews.cycle_id', 'in', pastCycles.length ? pastCycles.map((c) => c.id) : [-1])
    .where('recommendations.status', '=', 'closed')
    .execute();
  await insertAll(
    x,
    'recommendation_follow_ups',
    closedRecommendations.map((r) => ({ recommendation_id: r.id, note: tr({ en: 'Synthetic follow-up: done and published.', fr: 'Suivi synthétique : fait et publié.' }), status: 'closed', created_at: r.closed_at })),
  );
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
  const counts = { jurisdictions: 0, institutions: 0, plans: 0, commitments: 0, milestones: 0, bodies: 0, members: 0, meetings: 0, reviews: 0, recommendations: 0, monitoringReports: 0 };
  const all = Array.from({ length: scale.jurisdictions }, (_, i) => i + 1);
  for (const part of chunks(all, JURISDICTIONS_PER_TRANSACTION)) {
    await db.transaction().execute((trx) => generateJurisdictions(trx, scale, part, now, counts));
    log(`  ${counts.jurisdictions} jurisdictions, ${counts.commitments} commitments, ${counts.milestones} milestones, ${counts.meetings} meetings, ${counts.reviews} reviews`);
  }
  log('  rebuilding the search index');
  await runCommand(db, SYSTEM, async (trx, audit) => {
    await audit.publish('seed.generate', 'jurisdiction', null, { scale: options.scale ? 'custom' : 'ogp', ...counts });
    await rebuildSearchIndex(trx);
  });
  return { ...counts, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
