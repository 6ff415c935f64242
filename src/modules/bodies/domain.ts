/**
 * What a body is made of and the composition rules checked against its membership. Pure functions:
 * the pages, the search documents and the tests use the same verdicts.
 */

export const BODY_KINDS = ['forum', 'monitoring_body', 'working_group'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

export const SECTORS = ['civil_society', 'executive', 'assembly', 'political_party', 'private_sector', 'international_partner', 'other'] as const;
export type Sector = (typeof SECTORS)[number];

export const GROUPS = ['youth', 'women', 'persons_with_disabilities', 'non_majority_communities', 'other'] as const;
export type Group = (typeof GROUPS)[number];

/** The groups the rule `represents_all_groups` asks for (the plan's list). */
export const REQUIRED_GROUPS: readonly Group[] = ['youth', 'women', 'persons_with_disabilities', 'non_majority_communities'];

export const MEMBER_ROLES = ['chair', 'secretary', 'member', 'observer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Roles that vote (observers do not). */
export const VOTING_ROLES: readonly string[] = ['chair', 'secretary', 'member'];

export const COMPOSITION_RULES = ['civil_society_majority', 'represents_all_groups'] as const;
export type CompositionRule = (typeof COMPOSITION_RULES)[number];

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** What the rules need of a member. */
export interface MemberFacts {
  sector: string;
  representedGroups: readonly string[];
  role: string;
  termStart: string | null;
  termEnd: string | null;
}

/** A member is current when their term covers `today` (YYYY-MM-DD in the jurisdiction's time zone); an open side is no limit. */
export function isCurrent(member: Pick<MemberFacts, 'termStart' | 'termEnd'>, today: string): boolean {
  if (member.termStart && member.termStart > today) return false;
  if (member.termEnd && member.termEnd < today) return false;
  return true;
}

export interface RuleVerdict {
  rule: CompositionRule;
  met: boolean;
  /** civil_society_majority: civil-society voting members; represents_all_groups: groups represented. */
  count: number;
  /** civil_society_majority: current voting members; represents_all_groups: groups required. */
  total: number;
  /** represents_all_groups: the required groups no current member represents. */
  missing: Group[];
}

/** The verdict of each rule on the current members (`today` in the jurisdiction's time zone). */
export function evaluateRules(rules: readonly string[], members: readonly MemberFacts[], today: string): RuleVerdict[] {
  const current = members.filter((m) => isCurrent(m, today));
  const out: RuleVerdict[] = [];
  for (const rule of COMPOSITION_RULES) {
    if (!rules.includes(rule)) continue;
    if (rule === 'civil_society_majority') {
      const voting = current.filter((m) => VOTING_ROLES.includes(m.role));
      const civil = voting.filter((m) => m.sector === 'civil_society').length;
      // More than half: 2 of 4 is not a majority; no voting member at all is not one either.
      out.push({ rule, met: voting.length > 0 && civil * 2 > voting.length, count: civil, total: voting.length, missing: [] });
    } else {
      const missing = REQUIRED_GROUPS.filter((g) => !current.some((m) => m.representedGroups.includes(g)));
      out.push({ rule, met: missing.length === 0, count: REQUIRED_GROUPS.length - missing.length, total: REQUIRED_GROUPS.length, missing });
    }
  }
  return out;
}

export interface CompositionCount<K extends string> {
  key: K;
  count: number;
}

/** Current members per sector, in the sectors' order (every sector listed, zero included). */
export function countBySector(members: readonly MemberFacts[], today: string): CompositionCount<Sector>[] {
  const current = members.filter((m) => isCurrent(m, today));
  return SECTORS.map((key) => ({ key, count: current.filter((m) => m.sector === key).length }));
}

/** Current members representing each group (a member may represent several). */
export function countByGroup(members: readonly MemberFacts[], today: string): CompositionCount<Group>[] {
  const current = members.filter((m) => isCurrent(m, today));
  return GROUPS.map((key) => ({ key, count: current.filter((m) => m.representedGroups.includes(key)).length }));
}
