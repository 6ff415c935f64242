import type { Db } from '../database.js';
import { serializeTranslatable, type Translatable } from '../../lib/translatable.js';
import { runCommand, SYSTEM } from '../../modules/audit/index.js';
import { bdb, memberFacts } from '../../modules/bodies/index.js';
import { rebuildSearchIndex } from '../../modules/search/index.js';
import { publicChanges } from '../../modules/transparency/index.js';

/**
 * Demonstration members for Gjakova's Forum and monitoring body, and one demonstration working
 * group, so a visitor sees the body pages filled. Everything here is invented, marked is_demo = 1
 * and shown with the demonstration tag; organisations are named "(demonstration)". The seeded
 * Forum and monitoring body themselves are the plan's (no member is invented for them in the seed).
 */

const tr = (value: Translatable): string => serializeTranslatable(value);

export const DEMO_GROUP_SLUG = 'working-group-digital-services-demo';

const demo = (en: string, sq: string, sr: string, fr: string): Translatable => ({ en: `${en} (demonstration)`, sq: `${sq} (demonstrim)`, 'sr-Latn': `${sr} (demonstracija)`, fr: `${fr} (démonstration)` });

interface DemoMember {
  organisation: Translatable;
  personName?: string;
  consent?: boolean;
  email?: string;
  sector: string;
  groups: string[];
  role: string;
  termStart: string | null;
  termEnd: string | null;
}

const forumMembers: DemoMember[] = [
  { organisation: demo('Youth Voice Gjakova', 'Zëri i të Rinjve Gjakovë', 'Glas mladih Đakovica', 'Voix des jeunes de Gjakova'), personName: 'Example Chair', consent: true, email: 'forum-chair@example.org', sector: 'civil_society', groups: ['youth'], role: 'chair', termStart: '2023-07-27', termEnd: null },
  { organisation: demo('Women’s Network of Gjakova', 'Rrjeti i Grave të Gjakovës', 'Mreža žena Đakovice', 'Réseau des femmes de Gjakova'), sector: 'civil_society', groups: ['women'], role: 'member', termStart: '2023-07-27', termEnd: null },
  { organisation: demo('Access for All', 'Qasje për të Gjithë', 'Pristup za sve', 'Accès pour tous'), personName: 'Private Example', consent: false, sector: 'civil_society', groups: ['persons_with_disabilities'], role: 'member', termStart: '2023-07-27', termEnd: null },
  { organisation: demo('Communities Together', 'Komunitetet Bashkë', 'Zajednice zajedno', 'Communautés ensemble'), sector: 'civil_society', groups: ['non_majority_communities'], role: 'member', termStart: '2023-07-27', termEnd: null },
  { organisation: demo('Information Office', 'Zyra e Informimit', 'Kancelarija za informisanje', 'Bureau d’information'), email: 'forum-secretary@example.org', sector: 'executive', groups: [], role: 'secretary', termStart: '2023-07-27', termEnd: null },
  { organisation: demo('Municipal Assembly', 'Kuvendi Komunal', 'Skupština opštine', 'Assemblée municipale'), sector: 'assembly', groups: [], role: 'member', termStart: '2023-07-27', termEnd: null },
  { organisation: demo('Chamber of Commerce', 'Oda Ekonomike', 'Privredna komora', 'Chambre de commerce'), sector: 'private_sector', groups: [], role: 'observer', termStart: '2023-07-27', termEnd: null },
  { organisation: demo('Student Council', 'Këshilli i Studentëve', 'Studentski savet', 'Conseil des étudiants'), sector: 'civil_society', groups: ['youth'], role: 'member', termStart: '2023-07-27', termEnd: '2024-07-26' },
];

const monitoringMembers: DemoMember[] = [
  { organisation: demo('Citizens’ Watch', 'Vëzhgimi Qytetar', 'Građanski nadzor', 'Veille citoyenne'), personName: 'Example Monitor', consent: true, email: 'monitor@example.org', sector: 'civil_society', groups: [], role: 'chair', termStart: '2024-01-15', termEnd: null },
  { organisation: demo('Youth Voice Gjakova', 'Zëri i të Rinjve Gjakovë', 'Glas mladih Đakovica', 'Voix des jeunes de Gjakova'), sector: 'civil_society', groups: ['youth'], role: 'member', termStart: '2024-01-15', termEnd: null },
  { organisation: demo('Women’s Network of Gjakova', 'Rrjeti i Grave të Gjakovës', 'Mreža žena Đakovice', 'Réseau des femmes de Gjakova'), sector: 'civil_society', groups: ['women'], role: 'member', termStart: '2024-01-15', termEnd: null },
  { organisation: demo('A political party', 'Një parti politike', 'Jedna politička stranka', 'Un parti politique'), sector: 'political_party', groups: [], role: 'member', termStart: '2024-01-15', termEnd: null },
  { organisation: demo('Mayor’s Cabinet', 'Kabineti i Kryetarit', 'Kabinet predsednika opštine', 'Cabinet du maire'), sector: 'executive', groups: [], role: 'secretary', termStart: '2024-01-15', termEnd: null },
];

const groupMembers: DemoMember[] = [
  { organisation: demo('Access for All', 'Qasje për të Gjithë', 'Pristup za sve', 'Accès pour tous'), sector: 'civil_society', groups: ['persons_with_disabilities'], role: 'chair', termStart: '2024-03-01', termEnd: null },
  { organisation: demo('Directorate of Public Services', 'Drejtoria e Shërbimeve Publike', 'Direkcija za javne usluge', 'Direction des services publics'), sector: 'executive', groups: [], role: 'member', termStart: '2024-03-01', termEnd: null },
  { organisation: demo('IT Department', 'Departamenti i TI-së', 'Odeljenje za IT', 'Service informatique'), sector: 'executive', groups: [], role: 'member', termStart: '2024-03-01', termEnd: null },
];

/** Adds the demonstration members and working group once (nothing when the working group exists). */
export async function seedDemoBodies(db: Db, jurisdictionId: number, now = new Date().toISOString()): Promise<number> {
  const present = await bdb(db).selectFrom('bodies').select('id').where('jurisdiction_id', '=', jurisdictionId).where('slug', '=', DEMO_GROUP_SLUG).executeTakeFirst();
  if (present) return 0;
  // Nothing to illustrate without the seeded Forum (a database seeded before bodies existed): no command at all.
  const seeded = await bdb(db).selectFrom('bodies').select('id').where('jurisdiction_id', '=', jurisdictionId).where('slug', 'in', ['transparency-forum', 'monitoring-body']).executeTakeFirst();
  if (!seeded) return 0;
  return runCommand(db, SYSTEM, async (trx, audit) => {
    const bodies = await bdb(trx).selectFrom('bodies').select(['id', 'slug']).where('jurisdiction_id', '=', jurisdictionId).execute();
    const forum = bodies.find((b) => b.slug === 'transparency-forum');
    const monitoring = bodies.find((b) => b.slug === 'monitoring-body');
    let added = 0;
    const addMembers = async (bodyId: number, members: DemoMember[]) => {
      for (const [position, m] of members.entries()) {
        const values = {
          organisation: tr(m.organisation),
          person_name: m.personName ?? null,
          name_consent_at: m.personName && m.consent ? now : null,
          email: m.email ?? null,
          sector: m.sector,
          represented_groups: JSON.stringify(m.groups),
          role: m.role,
          term_start: m.termStart,
          term_end: m.termEnd,
        };
        const { id } = await bdb(trx)
          .insertInto('body_members')
          .values({ ...values, body_id: bodyId, institution_id: null, position, is_demo: 1, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        // Public facts only (memberFacts): no e-mail address, no name.
        await audit.publish(
          'body_member.added',
          'body_member',
          id,
          {
            seed: 'demo',
            ...publicChanges(undefined, { ...memberFacts(bodyId, values), is_demo: 1 }),
          },
        );
        added++;
      }
    };
    if (forum) await addMembers(forum.id, forumMembers);
    if (monitoring) await addMembers(monitoring.id, monitoringMembers);
    if (forum) {
      const values = {
        kind: 'working_group',
        parent_id: forum.id,
        slug: DEMO_GROUP_SLUG,
        name: tr(demo('Working group on digital services', 'Grupi i punës për shërbimet digjitale', 'Radna grupa za digitalne usluge', 'Groupe de travail sur les services numériques')),
        mandate: tr({
          en: 'Demonstration: follows the digitalisation of municipal services (commitment XKGJA0001) between the Forum’s monthly meetings and reports to the Forum.',
          sq: 'Demonstrim: ndjek digjitalizimin e shërbimeve komunale (zotimi XKGJA0001) ndërmjet takimeve mujore të Forumit dhe i raporton Forumit.',
          'sr-Latn': 'Demonstracija: prati digitalizaciju opštinskih usluga (obaveza XKGJA0001) između mesečnih sastanaka Foruma i podnosi izveštaje Forumu.',
          fr: 'Démonstration : suit la numérisation des services municipaux (engagement XKGJA0001) entre les réunions mensuelles du Forum et rend compte au Forum.',
        }),
        rules: '{}',
        composition_rules: JSON.stringify(['civil_society_majority']),
        meets_every_days: 31,
        established_on: '2024-03-01',
      };
      const { id } = await bdb(trx)
        .insertInto('bodies')
        .values({ ...values, jurisdiction_id: jurisdictionId, position: 2, is_demo: 1, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit.publish('body.created', 'body', id, { seed: 'demo', ...publicChanges(undefined, { ...values, is_demo: 1 }) });
      await addMembers(id, groupMembers);
    }
    if (added > 0) await rebuildSearchIndex(trx);
    return added;
  });
}
