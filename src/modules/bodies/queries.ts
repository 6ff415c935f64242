import type { Executor } from '../../db/database.js';
import { parseList, parseTranslatable, type Translatable } from '../../lib/translatable.js';
import type { MemberFacts } from './domain.js';
import { bdb } from './tables.js';

/** Read models of bodies and their members. Public views never receive a member's e-mail address. */

export interface JurisdictionRef {
  id: number;
  slug: string;
  name: Translatable;
  timeZone: string;
}

export async function findJurisdiction(db: Executor, slug: string): Promise<JurisdictionRef | undefined> {
  const row = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name', 'time_zone']).where('slug', '=', slug).executeTakeFirst();
  return row ? { id: row.id, slug: row.slug, name: parseTranslatable(row.name), timeZone: row.time_zone || 'UTC' } : undefined;
}

export interface BodyView {
  id: number;
  jurisdictionId: number;
  kind: string;
  parentId: number | null;
  slug: string;
  name: Translatable;
  mandate: Translatable;
  rules: Translatable;
  compositionRules: string[];
  meetsEveryDays: number | null;
  establishedOn: string | null;
  position: number;
  isDemo: boolean;
}

/** A member as the public sees them: the name only with recorded consent, never the e-mail address. */
export interface PublicMember extends MemberFacts {
  id: number;
  organisation: Translatable;
  /** Set only when consent to publish the name is recorded. */
  personName: string | null;
  isDemo: boolean;
}

/** A member as the administration sees them (private fields included). */
export interface AdminMember extends PublicMember {
  storedName: string | null;
  nameConsentAt: string | null;
  email: string | null;
  institutionId: number | null;
}

type BodyRow = {
  id: number;
  jurisdiction_id: number;
  kind: string;
  parent_id: number | null;
  slug: string;
  name: string;
  mandate: string;
  rules: string;
  composition_rules: string;
  meets_every_days: number | null;
  established_on: string | null;
  position: number;
  is_demo: number;
};

export function bodyView(r: BodyRow): BodyView {
  return {
    id: r.id,
    jurisdictionId: r.jurisdiction_id,
    kind: r.kind,
    parentId: r.parent_id,
    slug: r.slug,
    name: parseTranslatable(r.name),
    mandate: parseTranslatable(r.mandate),
    rules: parseTranslatable(r.rules),
    compositionRules: parseList(r.composition_rules),
    meetsEveryDays: r.meets_every_days === null ? null : Number(r.meets_every_days),
    establishedOn: r.established_on,
    position: Number(r.position),
    isDemo: Number(r.is_demo) === 1,
  };
}

const KIND_ORDER: Record<string, number> = { forum: 0, monitoring_body: 1, working_group: 2 };

/** A jurisdiction's bodies: forum, monitoring body, then working groups; by position within a kind. */
export async function listBodies(db: Executor, jurisdictionId: number): Promise<BodyView[]> {
  const rows = await bdb(db).selectFrom('bodies').selectAll().where('jurisdiction_id', '=', jurisdictionId).orderBy('position').orderBy('id').execute();
  return rows.map(bodyView).sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9));
}

export async function findBody(db: Executor, jurisdictionId: number, slug: string): Promise<BodyView | undefined> {
  const row = await bdb(db).selectFrom('bodies').selectAll().where('jurisdiction_id', '=', jurisdictionId).where('slug', '=', slug).executeTakeFirst();
  return row ? bodyView(row) : undefined;
}

type MemberRow = {
  id: number;
  body_id: number;
  organisation: string;
  institution_id: number | null;
  person_name: string | null;
  name_consent_at: string | null;
  email: string | null;
  sector: string;
  represented_groups: string;
  role: string;
  term_start: string | null;
  term_end: string | null;
  is_demo: number;
};

export function publicMember(r: MemberRow): PublicMember {
  return {
    id: r.id,
    organisation: parseTranslatable(r.organisation),
    personName: r.name_consent_at && r.person_name ? r.person_name : null,
    sector: r.sector,
    representedGroups: parseList(r.represented_groups),
    role: r.role,
    termStart: r.term_start,
    termEnd: r.term_end,
    isDemo: Number(r.is_demo) === 1,
  };
}

const ROLE_ORDER: Record<string, number> = { chair: 0, secretary: 1, member: 2, observer: 3 };

function byRole<T extends { role: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => (ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9));
}

/** The members of some bodies as the public sees them, by body id (chair, secretary, members, observers). */
export async function listPublicMembers(db: Executor, bodyIds: readonly number[]): Promise<Map<number, PublicMember[]>> {
  const out = new Map<number, PublicMember[]>(bodyIds.map((id) => [id, []]));
  if (bodyIds.length === 0) return out;
  // The e-mail address is not even selected.
  const rows = await bdb(db)
    .selectFrom('body_members')
    .select(['id', 'body_id', 'organisation', 'institution_id', 'person_name', 'name_consent_at', 'sector', 'represented_groups', 'role', 'term_start', 'term_end', 'is_demo'])
    .where('body_id', 'in', [...bodyIds])
    .orderBy('position')
    .orderBy('id')
    .execute();
  for (const r of rows) out.get(r.body_id)?.push(publicMember({ ...r, email: null }));
  for (const list of out.values()) byRole(list);
  return out;
}

/** A body's members for the administration, e-mail address included. */
export async function listAdminMembers(db: Executor, bodyId: number): Promise<AdminMember[]> {
  const rows = await bdb(db).selectFrom('body_members').selectAll().where('body_id', '=', bodyId).orderBy('position').orderBy('id').execute();
  return byRole(
    rows.map((r) => ({
      ...publicMember(r),
      storedName: r.person_name,
      nameConsentAt: r.name_consent_at,
      email: r.email,
      institutionId: r.institution_id,
    })),
  );
}

export async function findAdminMember(db: Executor, bodyId: number, memberId: number): Promise<AdminMember | undefined> {
  return (await listAdminMembers(db, bodyId)).find((m) => m.id === memberId);
}

/**
 * On how many meetings' attendance rolls a member stands (the meetings module's table, read here
 * only to count): a member who attended is not removed, their term is ended instead, so past rolls
 * keep them.
 */
export async function countAttendance(db: Executor, memberId: number): Promise<number> {
  const row = await db
    .withTables<{ meeting_attendance: { meeting_id: number; member_id: number } }>()
    .selectFrom('meeting_attendance')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
