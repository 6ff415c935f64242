import type { Generated } from 'kysely';
import type { Executor } from '../../db/database.js';

/** Tables of migration 0016 (typed here so the module owns its own storage). */
export type BodyTable = {
  id: Generated<number>;
  jurisdiction_id: number;
  /** forum | monitoring_body | working_group */
  kind: string;
  /** A working group's forum. */
  parent_id: number | null;
  slug: string;
  /** Translatable JSON. */
  name: string;
  mandate: string;
  rules: string;
  /** JSON list of composition rule codes (domain.ts COMPOSITION_RULES). */
  composition_rules: string;
  meets_every_days: number | null;
  established_on: string | null;
  position: number;
  is_demo: number;
  created_at: string;
  updated_at: string;
};

export type BodyMemberTable = {
  id: Generated<number>;
  body_id: number;
  /** Translatable JSON; '{}' for a person without an organisation. */
  organisation: string;
  institution_id: number | null;
  /** Public only when name_consent_at is set. */
  person_name: string | null;
  name_consent_at: string | null;
  /** Private: admin pages and reminders only. */
  email: string | null;
  sector: string;
  /** JSON list of represented groups. */
  represented_groups: string;
  role: string;
  term_start: string | null;
  term_end: string | null;
  position: number;
  is_demo: number;
  created_at: string;
  updated_at: string;
};

export type BodiesTables = {
  bodies: BodyTable;
  body_members: BodyMemberTable;
};

/** The database or transaction, seen with the bodies tables. */
export function bdb(executor: Executor) {
  return executor.withTables<BodiesTables>();
}
