import type { Generated } from 'kysely';

/**
 * Table types. Conventions (see docs/adr/0002-portable-storage.md):
 * - translatable text is a JSON object `{ "sq": "…", "en": "…" }` stored as TEXT;
 * - lists are JSON arrays stored as TEXT;
 * - dates are ISO `YYYY-MM-DD` text, instants ISO-8601 UTC text;
 * - booleans are integers 0/1.
 * The same SQL then runs on SQLite and PostgreSQL.
 */
export interface Database {
  jurisdictions: JurisdictionTable;
  institutions: InstitutionTable;
  action_plans: ActionPlanTable;
  action_plan_lead_institutions: ActionPlanLeadInstitutionTable;
  vision_sections: VisionSectionTable;
  endorsements: EndorsementTable;
  commitments: CommitmentTable;
  commitment_institutions: CommitmentInstitutionTable;
  milestones: MilestoneTable;
  users: UserTable;
  user_roles: UserRoleTable;
  sessions: SessionTable;
  setup_tokens: SetupTokenTable;
  invitations: InvitationTable;
  password_resets: PasswordResetTable;
  login_challenges: LoginChallengeTable;
  login_attempts: LoginAttemptTable;
  totp_used_steps: TotpUsedStepTable;
  audit_events: AuditEventTable;
  search_documents: SearchDocumentTable;
  cache_state: CacheStateTable;
  mail_outbox: MailOutboxTable;
  provenance: ProvenanceTable;
  jurisdiction_branding: JurisdictionBrandingTable;
  api_tokens: ApiTokenTable;
  external_ids: ExternalIdTable;
  irm_assessments: IrmAssessmentTable;
}

export interface JurisdictionTable {
  id: Generated<number>;
  slug: string;
  name: string;
  kind: string;
  country_code: string;
  description: string;
  website: string | null;
  /** IANA time zone the jurisdiction's times are shown in (0015_jurisdiction_time_zone; 'UTC' by default). */
  time_zone: Generated<string>;
  created_at: string;
  updated_at: string;
}

/** A jurisdiction's portal name (translatable), accent colour and emblem (0013_jurisdiction_branding). */
export interface JurisdictionBrandingTable {
  jurisdiction_id: number;
  portal_name: string;
  accent_color: string | null;
  emblem: Buffer | Uint8Array | null;
  emblem_type: string | null;
  emblem_sha256: string | null;
  updated_at: string;
}

export interface InstitutionTable {
  id: Generated<number>;
  jurisdiction_id: number;
  slug: string;
  name: string;
  kind: string;
  description: string;
  website: string | null;
  created_at: string;
  updated_at: string;
}

export interface ActionPlanTable {
  id: Generated<number>;
  jurisdiction_id: number;
  slug: string;
  title: string;
  starts_on: string;
  ends_on: string;
  submitted_on: string | null;
  /** No longer read: a plan's status is derived (planStatusOf in modules/plans/status.ts). */
  status: string;
  foreword: string;
  cocreation_groups: number | null;
  cocreation_public_meetings: number | null;
  cocreation_summary: string;
  is_demo: number;
  created_at: string;
  updated_at: string;
  /** The day the plan was withdrawn (an event: dates cannot tell it). */
  withdrawn_on: Generated<string | null>;
  /** The day the plan's end-of-term assessment was published. */
  assessed_on: Generated<string | null>;
}

export interface ActionPlanLeadInstitutionTable {
  action_plan_id: number;
  institution_id: number;
  position: number;
}

export interface VisionSectionTable {
  id: Generated<number>;
  action_plan_id: number;
  position: number;
  question: string;
  answer: string;
}

export interface EndorsementTable {
  id: Generated<number>;
  action_plan_id: number;
  position: number;
  organization: string;
  sector: string;
}

export interface CommitmentTable {
  id: Generated<number>;
  action_plan_id: number;
  code: string;
  position: number;
  title: string;
  problem: string;
  status_quo: string;
  action: string;
  contribution: string;
  long_term_goal: string;
  ogp_values: string;
  policy_areas: string;
  starts_on: string;
  ends_on: string;
  created_at: string;
  updated_at: string;
}

export interface CommitmentInstitutionTable {
  commitment_id: number;
  institution_id: number;
  role: string;
}

export interface MilestoneTable {
  id: Generated<number>;
  commitment_id: number;
  code: string;
  position: number;
  title: string;
  expected_output: string;
  indicator: string;
  responsible_institution_id: number | null;
  starts_on: string | null;
  due_on: string;
  status: string;
  completed_on: string | null;
  cancelled_on: string | null;
  weight: number;
  is_demo: number;
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  password_hash: string;
  created_at: string;
  /** Accounts (0004): confirmed TOTP secret (base32), the one being set up, the last step used. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  /** Set when an administrator removed the person's access. */
  disabled_at: string | null;
  /** The person's language for e-mails (0014): a locale, or null for the language of the page that caused them. */
  locale: string | null;
}

export interface InvitationTable {
  id: Generated<number>;
  token_hash: string;
  email: string;
  display_name: string | null;
  role: string;
  jurisdiction_id: number | null;
  institution_id: number | null;
  invited_by: number | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** The invited person's language (0014): their e-mails' language, given to the account on acceptance. */
  locale: string | null;
}

export interface PasswordResetTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface LoginChallengeTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  failures: Generated<number>;
}

export interface LoginAttemptTable {
  key: string;
  window_start: string;
  count: number;
}

/** A TOTP time step that completed a sign-in (or switched two-factor off): unique per account. */
export interface TotpUsedStepTable {
  user_id: number;
  step: number;
  used_at: string;
}

export interface UserRoleTable {
  user_id: number;
  /** null: the role holds on every jurisdiction of the instance. */
  jurisdiction_id: number | null;
  role: string;
  /** Set for a commitment holder: the role holds for this institution only. */
  institution_id: number | null;
}

export interface SessionTable {
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface SetupTokenTable {
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: string;
  actor_user_id: number | null;
  action: string;
  entity_type: string;
  entity_id: number | null;
  data: string;
}

export interface SearchDocumentTable {
  id: Generated<number>;
  doc_key: string;
  jurisdiction_id: number;
  kind: string;
  title: string;
  path: string;
  body: string;
  /** 1 when the document is demonstration data (0008; default 0). */
  is_demo: Generated<number>;
}

export interface CacheStateTable {
  id: number;
  version: number;
  /** The FOLD_VERSION (lib/fold.ts) the stored search documents were folded with. */
  search_fold_version: Generated<number>;
}

export interface MailOutboxTable {
  id: Generated<number>;
  created_at: string;
  to_address: string;
  subject: string;
  /** Emptied once sent (bodies may hold one-time links). */
  text_body: string;
  html_body: string | null;
  /** queued | sent | failed */
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  sent_at: string | null;
}

/** Where a public text or fact comes from (0012); see src/modules/provenance. */
export interface ProvenanceTable {
  id: Generated<number>;
  entity_type: string;
  entity_id: number;
  field: string;
  /** The language of the text this row covers; null: the field as a whole (a date, a number, a list). */
  language: string | null;
  position: Generated<number>;
  document: string;
  title: Generated<string>;
  url: string | null;
  section: Generated<string>;
  rendering: string;
  relation: Generated<string>;
  quote: string | null;
  precision: string | null;
  note: Generated<string>;
  recorded_by: number | null;
  recorded_at: string;
}

/** Personal API tokens (0027): only the SHA-256 of a token is stored; see modules/accounts/api-tokens.ts. */
export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  expires_at: string | null;
}

/** What another system (OGP's data, Decidim) calls a Besa record (0028_interop); see src/modules/interop. */
export interface ExternalIdTable {
  /** `ogp` or `decidim`. */
  source: string;
  /** The other system's identifier, prefixed by the kind of record: `commitment:1234`. */
  external_key: string;
  entity_type: string;
  entity_id: number;
  /** JSON object: what the other system says that Besa has no column for. */
  data: Generated<string>;
  /** The file and row it was last read from. */
  origin: Generated<string>;
  updated_at: string;
}

/** A commitment's IRM assessment as OGP's data gives it (0028_interop). */
export interface IrmAssessmentTable {
  commitment_id: number;
  source: string;
  /** JSON array of `{ name, value }`: each rating as its text (ND, NR, N/A kept), null for an empty cell. */
  ratings: Generated<string>;
  updated_at: string;
}
