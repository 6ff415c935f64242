import type { Db, Trx } from '../database.js';
import { dayIn } from '../../i18n/index.js';
import { serializeTranslatable, type Translatable } from '../../lib/translatable.js';
import { runCommand, SYSTEM, type AuditRecorder } from '../../modules/audit/index.js';
import { pdb } from '../../modules/participation/tables.js';
import { rebuildSearchIndex } from '../../modules/search/index.js';
import { publicChanges } from '../../modules/transparency/index.js';

/**
 * Demonstration consultations of Gjakova, so that anyone can try the contribution form and see
 * what a response table looks like: one OPEN consultation on the digitalisation commitment (opened
 * three days before the seed runs, closing eighteen days after), with comments, a reply two levels
 * deep and a proposal; and one CLOSED consultation on the waste commitment whose contributions all
 * have a reasoned response. Everything is invented, marked is_demo = 1 and labelled as
 * demonstration on every page; contributors have pseudonyms and NO e-mail address.
 */

export const DEMO_OPEN_SLUG = 'digital-services-demo';
export const DEMO_CLOSED_SLUG = 'waste-collection-demo';

const tr = (value: Translatable): string => serializeTranslatable(value);

const demo = (en: string, sq: string, sr: string, fr: string): Translatable => ({
  en: `${en} (demonstration)`,
  sq: `${sq} (demonstrim)`,
  'sr-Latn': `${sr} (demonstracija)`,
  fr: `${fr} (démonstration)`,
});

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

interface DemoContribution {
  key: string;
  parent?: string;
  kind: 'comment' | 'proposal';
  author: string;
  locale: string;
  body: string;
  theme?: string;
  ogpValue?: string;
  response?: { outcome: 'accepted' | 'partly_accepted' | 'not_accepted' | 'out_of_scope'; reasons: Translatable };
}

interface DemoConsultation {
  slug: string;
  commitmentCode: string;
  title: Translatable;
  summary: Translatable;
  body: Translatable;
  /** Days from the seed's day (in Gjakova's calendar). */
  opens: number;
  closes: number;
  responded: boolean;
  outcome: Translatable;
  contributions: DemoContribution[];
}

const consultations: DemoConsultation[] = [
  {
    slug: DEMO_OPEN_SLUG,
    commitmentCode: 'XKGJA0001',
    title: demo('Which municipal services should go online first?', 'Cilat shërbime komunale duhet të dalin të parat në internet?', 'Koje opštinske usluge prve treba da budu dostupne na internetu?', 'Quels services municipaux mettre en ligne en premier ?'),
    summary: demo(
      'Tell the municipality which certificates and requests you would most like to handle online.',
      'Tregojini komunës cilat certifikata dhe kërkesa do të donit t’i kryenit në internet.',
      'Recite opštini koja uverenja i zahteve biste najradije podnosili preko interneta.',
      'Dites à la municipalité quelles attestations et demandes vous aimeriez le plus faire en ligne.',
    ),
    body: demo(
      'Under commitment XKGJA0001 the municipality will move its most requested services online. Before choosing the first five, it asks residents which ones matter most to them, and what keeps them from using online services today.',
      'Sipas zotimit XKGJA0001 komuna do t’i kalojë në internet shërbimet më të kërkuara. Para se të zgjedhë pesë të parat, ajo i pyet banorët cilat kanë më shumë rëndësi për ta dhe çfarë i pengon sot të përdorin shërbimet në internet.',
      'U okviru obaveze XKGJA0001 opština će najtraženije usluge preneti na internet. Pre nego što izabere prvih pet, pita stanovnike koje su im najvažnije i šta ih danas sprečava da koriste usluge preko interneta.',
      'Dans le cadre de l’engagement XKGJA0001, la municipalité mettra en ligne ses services les plus demandés. Avant de choisir les cinq premiers, elle demande aux habitants lesquels comptent le plus pour eux et ce qui les empêche aujourd’hui d’utiliser les services en ligne.',
    ),
    opens: -3,
    closes: 18,
    responded: false,
    outcome: {},
    contributions: [
      { key: 'a', kind: 'comment', author: 'Arta (demonstration)', locale: 'sq', body: 'Certifikata e lindjes dhe ajo e vendbanimit: për to duhet të shkoj çdo herë në sportel. (demonstrim)' },
      { key: 'b', parent: 'a', kind: 'comment', author: 'Blerim (demonstration)', locale: 'sq', body: 'Pajtohem, dhe pagesa duhet të bëhet në internet gjithashtu. (demonstrim)' },
      { key: 'c', parent: 'b', kind: 'comment', author: 'Information Office reader (demonstration)', locale: 'en', body: 'Online payment would also help people living abroad who need documents from Gjakova. (demonstration)' },
      { key: 'd', kind: 'comment', author: 'Marko (demonstration)', locale: 'sr-Latn', body: 'Obrasci bi trebalo da budu dostupni i na srpskom jeziku. (demonstracija)' },
      {
        key: 'e',
        kind: 'proposal',
        author: 'Youth Voice reader (demonstration)',
        locale: 'en',
        body: 'Publish a monthly count of requests handled online and at the counter, per service, so that everyone can see whether the change works. (demonstration)',
        theme: 'Open data on municipal services (demonstration)',
        ogpValue: 'civic_participation',
      },
    ],
  },
  {
    slug: DEMO_CLOSED_SLUG,
    commitmentCode: 'XKGJA0003',
    title: demo('Waste collection timetable', 'Orari i grumbullimit të mbeturinave', 'Raspored odvoza otpada', 'Calendrier de collecte des déchets'),
    summary: demo(
      'The draft timetable for waste collection in the neighbourhoods, put to residents before it was adopted.',
      'Projekt-orari i grumbullimit të mbeturinave nëpër lagje, i paraqitur para banorëve para miratimit.',
      'Nacrt rasporeda odvoza otpada po naseljima, predstavljen stanovnicima pre usvajanja.',
      'Le projet de calendrier de collecte des déchets dans les quartiers, soumis aux habitants avant son adoption.',
    ),
    body: demo(
      'The draft timetable sets two collections a week in the centre and one in the outer neighbourhoods. Residents were asked whether the days and hours suit them.',
      'Projekt-orari parashikon dy grumbullime në javë në qendër dhe një në lagjet periferike. Banorët u pyetën nëse ditët dhe orët u përshtaten.',
      'Nacrt rasporeda predviđa dva odvoza nedeljno u centru i jedan u rubnim naseljima. Stanovnici su upitani da li im dani i sati odgovaraju.',
      'Le projet de calendrier prévoit deux collectes par semaine au centre et une dans les quartiers périphériques. Les habitants ont été interrogés sur les jours et les heures.',
    ),
    opens: -60,
    closes: -35,
    responded: true,
    outcome: demo(
      'The timetable was adopted with an extra collection in the market area.',
      'Orari u miratua me një grumbullim shtesë në zonën e tregut.',
      'Raspored je usvojen uz dodatni odvoz u zoni pijace.',
      'Le calendrier a été adopté avec une collecte supplémentaire dans le quartier du marché.',
    ),
    contributions: [
      {
        key: 'f',
        kind: 'comment',
        author: 'Market trader (demonstration)',
        locale: 'sq',
        body: 'Zona e tregut ka nevojë për grumbullim edhe të shtunën. (demonstrim)',
        response: {
          outcome: 'accepted',
          reasons: demo('A Saturday collection was added in the market area.', 'U shtua një grumbullim të shtunën në zonën e tregut.', 'Dodat je subotnji odvoz u zoni pijace.', 'Une collecte le samedi a été ajoutée dans le quartier du marché.'),
        },
      },
      {
        key: 'g',
        kind: 'comment',
        author: 'Drita (demonstration)',
        locale: 'en',
        body: 'Collections before 7 in the morning are too noisy in residential streets. (demonstration)',
        response: {
          outcome: 'partly_accepted',
          reasons: demo(
            'Collections in residential streets now start at 7; the centre keeps its early round to avoid traffic.',
            'Grumbullimi në rrugët e banimit tani fillon në orën 7; qendra e mban raundin e hershëm për të shmangur trafikun.',
            'Odvoz u stambenim ulicama sada počinje u 7; centar zadržava rani krug zbog saobraćaja.',
            'La collecte dans les rues résidentielles commence désormais à 7 h ; le centre garde sa tournée matinale pour éviter la circulation.',
          ),
        },
      },
      {
        key: 'h',
        kind: 'proposal',
        author: 'Green Gjakova reader (demonstration)',
        locale: 'fr',
        body: 'Publier chaque mois les tonnages collectés par quartier. (démonstration)',
        theme: 'Waste data (demonstration)',
        ogpValue: 'transparency',
        response: {
          outcome: 'not_accepted',
          reasons: demo(
            'The trucks do not weigh per neighbourhood yet; the question will come back when they can.',
            'Kamionët ende nuk peshojnë sipas lagjeve; çështja do të rikthehet kur të mundin.',
            'Kamioni još ne mere po naseljima; pitanje će se vratiti kada to bude moguće.',
            'Les camions ne pèsent pas encore par quartier ; la question reviendra quand ce sera possible.',
          ),
        },
      },
    ],
  },
];

async function insertDemoConsultation(trx: Trx, audit: AuditRecorder, jurisdictionId: number, today: string, now: string, c: DemoConsultation): Promise<number> {
  const commitment = await trx
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select(['commitments.id', 'commitments.action_plan_id'])
    .where('action_plans.jurisdiction_id', '=', jurisdictionId)
    .where('commitments.code', '=', c.commitmentCode)
    .executeTakeFirst();
  const opensOn = addDays(today, c.opens);
  const closesOn = addDays(today, c.closes);
  const values = {
    slug: c.slug,
    subject: commitment ? 'commitment' : 'topic',
    plan_id: commitment?.action_plan_id ?? null,
    commitment_id: commitment?.id ?? null,
    title: tr(c.title),
    summary: tr(c.summary),
    body: tr(c.body),
    opens_on: opensOn,
    closes_on: closesOn,
    moderation: 'post',
    flag_threshold: 3,
    allows_proposals: 1,
    groups_consulted: null,
    public_meetings: null,
    outcome: tr(c.outcome),
  };
  const closedAt = `${closesOn}T22:00:00.000Z`;
  const { id } = await pdb(trx)
    .insertInto('consultations')
    .values({ ...values, jurisdiction_id: jurisdictionId, dates_note: '{}', published_at: now, responded_at: c.responded ? closedAt : null, is_demo: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit.publish('consultation.published', 'consultation', id, { seed: 'demo', ...publicChanges(undefined, { ...values, allows_proposals: true }) });

  const ids = new Map<string, { id: number; depth: number }>();
  for (const k of c.contributions) {
    const parent = k.parent ? ids.get(k.parent) : undefined;
    const depth = parent ? parent.depth + 1 : 0;
    const at = c.opens < 0 && c.closes < 0 ? `${addDays(today, c.opens + 2)}T10:00:00.000Z` : now;
    const row = await pdb(trx)
      .insertInto('contributions')
      .values({
        consultation_id: id,
        parent_id: parent?.id ?? null,
        depth,
        kind: k.kind,
        author_name: k.author,
        // Demonstration contributions have no address: nobody is written to about them.
        email: null,
        email_hash: null,
        locale: k.locale,
        body: k.body,
        theme: k.theme ?? null,
        ogp_value: k.ogpValue ?? null,
        status: 'published',
        confirm_token_hash: null,
        confirm_expires_at: null,
        confirmed_at: at,
        published_at: at,
        hidden_at: null,
        hidden_reason: null,
        flag_count: 0,
        anonymised_at: null,
        is_demo: 1,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(k.key, { id: row.id, depth });
    if (k.response) {
      await pdb(trx)
        .insertInto('contribution_responses')
        .values({
          contribution_id: row.id,
          outcome: k.response.outcome,
          reasons: tr(k.response.reasons),
          commitment_id: commitment?.id ?? null,
          milestone_id: null,
          responded_by: null,
          created_at: closedAt,
          updated_at: closedAt,
        })
        .execute();
    }
  }
  return id;
}

/**
 * Adds the demonstration consultations that are not there yet (by slug); running it again adds
 * nothing and runs no command. Returns how many consultations were added. Gjakova must be loaded.
 */
export async function seedDemoConsultations(db: Db, jurisdictionId: number, now = new Date().toISOString()): Promise<number> {
  const present = await pdb(db)
    .selectFrom('consultations')
    .select('slug')
    .where('jurisdiction_id', '=', jurisdictionId)
    .where(
      'slug',
      'in',
      consultations.map((c) => c.slug),
    )
    .execute();
  const missing = consultations.filter((c) => !present.some((p) => p.slug === c.slug));
  if (missing.length === 0) return 0;
  return runCommand(db, SYSTEM, async (trx, audit) => {
    const j = await trx.selectFrom('jurisdictions').select('time_zone').where('id', '=', jurisdictionId).executeTakeFirstOrThrow();
    const today = dayIn(now, j.time_zone || 'UTC');
    for (const c of missing) await insertDemoConsultation(trx, audit, jurisdictionId, today, now, c);
    await rebuildSearchIndex(trx);
    return missing.length;
  });
}
