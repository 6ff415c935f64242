import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { isUniqueViolationOf, UNIQUE_KEYS, type UniqueKey } from '../../db/errors.js';
import type { Locale } from '../../i18n/locales.js';
import { FormErrors, hasUnstorable, isIsoDate } from '../../lib/forms.js';
import { parseTranslatable, serializeTranslatable, setLocaleText, type Translatable } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { canManageContent } from '../accounts/index.js';
import { authorize, runCommand, type Actor } from '../audit/index.js';
import { refreshSearchDocuments } from '../search/index.js';
import { publicChanges } from '../transparency/index.js';
import { COMMITMENT_CODE, MILESTONE_CODE, MILESTONE_STATUSES, OGP_LENSES, OGP_VALUES, OLDER_OGP_VALUES, currentOgpKey } from './domain.js';

/** Keys a form may send for OGP values and lenses: today's, and the older ones still in stored records. */
const OGP_KEYS: readonly string[] = [...OGP_VALUES, ...OGP_LENSES, ...Object.keys(OLDER_OGP_VALUES)];

/** What is stored for chosen values and lenses: today's keys, in OGP's order (an older key is saved as today's). */
function storedOgpValues(chosen: readonly string[]): string {
  const keys = new Set(chosen.map(currentOgpKey));
  return JSON.stringify([...OGP_VALUES, ...OGP_LENSES].filter((v) => keys.has(v)));
}

/**
 * Commands that create and edit commitments and their milestones. Each one validates its input
 * inside the transaction (so a code taken a moment earlier is still caught), writes, records an
 * audit event and refreshes the jurisdiction's search documents, all through runCommand.
 *
 * Translatable fields are written one content locale at a time: the other locales keep their text.
 */

export const COMMITMENT_TEXT_FIELDS = ['title', 'problem', 'status_quo', 'action', 'contribution', 'long_term_goal'] as const;
export type CommitmentTextField = (typeof COMMITMENT_TEXT_FIELDS)[number];

export const MILESTONE_TEXT_FIELDS = ['title', 'expected_output', 'indicator'] as const;
export type MilestoneTextField = (typeof MILESTONE_TEXT_FIELDS)[number];

/** The example commitment codes shown in hints and errors (kept in Latin script in every locale): local and national. */
export const CODE_EXAMPLE = 'XKGJA0001';
export const NATIONAL_CODE_EXAMPLE = 'CA0069';

export const TITLE_MAX = 500;
export const TEXT_MAX = 20_000;
export const POSITION_MIN = 0;
export const POSITION_MAX = 100_000;
export const POLICY_AREA_MAX = 200;
export const POLICY_AREAS_MAX = 30;
export const WEIGHT_MIN = 1;
export const WEIGHT_MAX = 100;

/** The input was refused; `errors` are keyed by form field name and carry message keys. */
export class InvalidInputError extends Error {
  constructor(readonly errors: FormErrors) {
    super(`Invalid input: ${errors.list.map((e) => `${e.field} (${e.message})`).join(', ')}`);
  }
}

export interface CommitmentInput {
  code: string;
  /** Errors already found while reading the form (text that cannot be stored); the command refuses with them and its own. */
  formErrors?: FormErrors;
  /** Order in the plan; null puts a new commitment last and keeps an existing one's place. */
  position?: number | null;
  /** The content language of `texts`. */
  locale: Locale;
  /** This locale's text of each translatable field; an empty string removes it. Missing fields are left alone. */
  texts: Partial<Record<CommitmentTextField, string>>;
  /** OGP values and lenses, in one list (stored together). */
  ogpValues: string[];
  policyAreas: string[];
  leadInstitutionIds: number[];
  supportingInstitutionIds: number[];
  /** Institutions involved whose role (lead or supporting) the sources do not state. */
  involvedInstitutionIds?: number[];
  startsOn: string;
  endsOn: string;
}

export interface NewCommitment extends CommitmentInput {
  actionPlanId: number;
}

export interface CommitmentChange extends CommitmentInput {
  commitmentId: number;
}

export interface MilestoneInput {
  code: string;
  /** Errors already found while reading the form (text that cannot be stored); the command refuses with them and its own. */
  formErrors?: FormErrors;
  /** Order in the commitment; null puts a new milestone last and keeps an existing one's place. */
  position?: number | null;
  locale: Locale;
  texts: Partial<Record<MilestoneTextField, string>>;
  responsibleInstitutionId: number | null;
  startsOn: string | null;
  dueOn: string;
  status: string;
  /** Kept only when the status is completed; cleared otherwise. */
  completedOn: string | null;
  /** Kept only when the status is cancelled; cleared otherwise. */
  cancelledOn: string | null;
  weight: number;
}

export interface NewMilestone extends MilestoneInput {
  commitmentId: number;
}

export interface MilestoneChange extends MilestoneInput {
  milestoneId: number;
}

export interface Created {
  id: number;
  code: string;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** Normalizes a list of policy areas: trimmed, no blanks, no duplicates, order kept. */
export function cleanPolicyAreas(lines: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of lines) {
    const area = line.trim();
    if (!area || seen.has(area.toLowerCase())) continue;
    seen.add(area.toLowerCase());
    out.push(area);
  }
  return out;
}

function checkDate(errors: FormErrors, field: string, value: string | null, required: boolean): boolean {
  if (value === null || value.trim() === '') {
    if (required) errors.add(field, 'form.error.required');
    return false;
  }
  if (!isIsoDate(value)) {
    errors.add(field, 'form.error.date');
    return false;
  }
  return true;
}

function checkTexts(errors: FormErrors, texts: Record<string, string | undefined>): void {
  for (const [field, text] of Object.entries(texts)) {
    if (text === undefined) continue;
    const max = field === 'title' ? TITLE_MAX : TEXT_MAX;
    if (hasUnstorable(text)) errors.add(field, 'form.error.character');
    else if (text.trim().length > max) errors.add(field, 'form.error.tooLong', { max });
  }
}

/** Errors found while the form was read come first: they describe what was typed. */
function addFormErrors(errors: FormErrors, found: FormErrors | undefined): void {
  for (const e of found?.list ?? []) errors.add(e.field, e.message, e.values);
}

/**
 * Positions only order the list; 0 is valid because the seeds and the OGP-scale generator count
 * from 0, so a seeded commitment or milestone can be saved unchanged.
 */
function checkPosition(errors: FormErrors, position: number | null | undefined): void {
  if (position === null || position === undefined) return;
  if (!Number.isInteger(position) || position < POSITION_MIN || position > POSITION_MAX) errors.add('position', 'form.error.integer', { min: POSITION_MIN, max: POSITION_MAX });
}

async function institutionIdsOf(db: Executor, jurisdictionId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('institutions').select('id').where('jurisdiction_id', '=', jurisdictionId).execute();
  return new Set(rows.map((r) => r.id));
}

function sameList(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// ---------------------------------------------------------------------------------------------
// Commitments

interface CommitmentScope {
  actionPlanId: number;
  jurisdictionId: number;
  /** Set when editing: the commitment itself is not a duplicate of its own code. */
  commitmentId?: number | undefined;
}

/** The plan a new commitment goes into, with its jurisdiction; NotFoundError when unknown. */
async function planScope(db: Executor, actionPlanId: number): Promise<CommitmentScope> {
  const plan = await db.selectFrom('action_plans').select(['id', 'jurisdiction_id']).where('id', '=', actionPlanId).executeTakeFirst();
  if (!plan) throw new NotFoundError();
  return { actionPlanId: plan.id, jurisdictionId: plan.jurisdiction_id };
}

/**
 * Adds to `errors` every problem with a commitment's input: code format and uniqueness in the
 * plan, order, text lengths, OGP values, policy areas, institutions of the jurisdiction with at
 * least one lead, and dates in order. The title's presence is checked by the commands, which
 * know the text already stored in other locales.
 */
export async function checkCommitment(db: Executor, scope: CommitmentScope, input: CommitmentInput, errors = new FormErrors()): Promise<FormErrors> {
  addFormErrors(errors, input.formErrors);
  const code = input.code.trim();
  if (!code) errors.add('code', 'form.error.required');
  else if (!COMMITMENT_CODE.test(code)) errors.add('code', 'commitmentsAdmin.error.code', { example: CODE_EXAMPLE, national: NATIONAL_CODE_EXAMPLE });
  else {
    let query = db.selectFrom('commitments').select('id').where('action_plan_id', '=', scope.actionPlanId).where('code', '=', code);
    if (scope.commitmentId !== undefined) query = query.where('id', '<>', scope.commitmentId);
    if (await query.executeTakeFirst()) errors.add('code', 'form.error.taken');
  }
  checkPosition(errors, input.position);
  checkTexts(errors, input.texts);

  if (input.ogpValues.length === 0) errors.add('ogp_values', 'commitmentsAdmin.error.ogpValues');
  else if (input.ogpValues.some((v) => !OGP_KEYS.includes(v))) errors.add('ogp_values', 'form.error.choice');

  const areas = cleanPolicyAreas(input.policyAreas);
  if (areas.length > POLICY_AREAS_MAX) errors.add('policy_areas', 'commitmentsAdmin.error.policyAreasCount', { max: POLICY_AREAS_MAX });
  else if (areas.some((a) => a.length > POLICY_AREA_MAX)) errors.add('policy_areas', 'commitmentsAdmin.error.policyAreaLength', { max: POLICY_AREA_MAX });

  const known = await institutionIdsOf(db, scope.jurisdictionId);
  const involved = input.involvedInstitutionIds ?? [];
  const chosen = [...input.leadInstitutionIds, ...input.supportingInstitutionIds, ...involved];
  if (chosen.some((id) => !known.has(id)) || new Set(chosen).size !== chosen.length) errors.add('institutions', 'form.error.choice');
  // A lead is required unless the sources name the institutions involved without saying which lead.
  else if (input.leadInstitutionIds.length === 0 && involved.length === 0) errors.add('institutions', 'commitmentsAdmin.error.lead');

  const startOk = checkDate(errors, 'starts_on', input.startsOn, true);
  const endOk = checkDate(errors, 'ends_on', input.endsOn, true);
  if (startOk && endOk && input.endsOn < input.startsOn) errors.add('ends_on', 'form.error.dateOrder');
  return errors;
}

async function writeCommitmentInstitutions(db: Executor, commitmentId: number, input: CommitmentInput): Promise<void> {
  await db.deleteFrom('commitment_institutions').where('commitment_id', '=', commitmentId).execute();
  const rows = [
    ...input.leadInstitutionIds.map((id) => ({ commitment_id: commitmentId, institution_id: id, role: 'lead' })),
    ...input.supportingInstitutionIds.map((id) => ({ commitment_id: commitmentId, institution_id: id, role: 'supporting' })),
    ...(input.involvedInstitutionIds ?? []).map((id) => ({ commitment_id: commitmentId, institution_id: id, role: 'involved' })),
  ];
  if (rows.length) await db.insertInto('commitment_institutions').values(rows).execute();
}

async function institutionRoles(db: Executor, commitmentId: number): Promise<string[]> {
  const rows = await db.selectFrom('commitment_institutions').select(['institution_id', 'role']).where('commitment_id', '=', commitmentId).execute();
  return rows.map((r) => `${r.role}:${r.institution_id}`).sort();
}

function rolesOf(input: CommitmentInput): string[] {
  return [
    ...input.leadInstitutionIds.map((id) => `lead:${id}`),
    ...input.supportingInstitutionIds.map((id) => `supporting:${id}`),
    ...(input.involvedInstitutionIds ?? []).map((id) => `involved:${id}`),
  ].sort();
}

/** Creates a commitment in a plan, in one content locale. */
export async function createCommitment(db: Db, actor: Actor, input: NewCommitment): Promise<Created> {
  return withCodeGuard(UNIQUE_KEYS.commitmentCode, () =>
    runCommand(db, actor, async (trx, audit) => {
      const scope = await planScope(trx, input.actionPlanId);
      authorize(actor, (user) => canManageContent(user, scope.jurisdictionId));
      const errors = await checkCommitment(trx, scope, input);
      if (!(input.texts.title ?? '').trim()) errors.add('title', 'form.error.required');
      if (errors.any) throw new InvalidInputError(errors);

      const code = input.code.trim();
      const position = input.position ?? (await nextPosition(trx, 'commitments', scope.actionPlanId));
      const now = new Date().toISOString();
      const texts = mergeTexts(COMMITMENT_TEXT_FIELDS, {}, input.locale, input.texts);
      const values = {
        action_plan_id: scope.actionPlanId,
        code,
        position,
        ...texts,
        ogp_values: storedOgpValues(input.ogpValues),
        policy_areas: JSON.stringify(cleanPolicyAreas(input.policyAreas)),
        starts_on: input.startsOn,
        ends_on: input.endsOn,
      };
      const row = await trx
        .insertInto('commitments')
        .values({ ...values, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await writeCommitmentInstitutions(trx, row.id, input);
      await audit.publish('commitment.created', 'commitment', row.id, {
        locale: input.locale,
        ...publicChanges(undefined, { ...values, institutions: rolesOf(input) }),
      });
      await refreshSearchDocuments(trx, scope.jurisdictionId);
      return { id: row.id, code };
    }),
  );
}

/**
 * Runs a change; a code taken meanwhile (a violation of the code's own unique key, e.g. two
 * administrators at once) becomes a field error. Any other unique violation is a real error.
 */
async function withCodeGuard<T>(key: UniqueKey, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (!isUniqueViolationOf(error, key)) throw error;
    const errors = new FormErrors();
    errors.add('code', 'form.error.taken');
    throw new InvalidInputError(errors);
  }
}

/** The position after the last one: of a plan's commitments, or of a commitment's milestones. */
async function nextPosition(db: Executor, table: 'commitments' | 'milestones', parentId: number): Promise<number> {
  const parent = table === 'commitments' ? 'action_plan_id' : 'commitment_id';
  const last = await sql<{ max: number | null }>`select max(position) as max from ${sql.table(table)} where ${sql.ref(parent)} = ${parentId}`.execute(db);
  return Number(last.rows[0]?.max ?? 0) + 1;
}

/**
 * The stored text of each translatable field after an edit in one locale: a given text replaces that
 * locale's (empty removes it), a field not given keeps its stored value (`'{}'` for a new record).
 */
function mergeTexts<F extends string>(fields: readonly F[], stored: Partial<Record<F, string>>, locale: Locale, given: Partial<Record<F, string>>): Record<F, string> {
  const texts = {} as Record<F, string>;
  for (const field of fields) {
    const text = given[field];
    texts[field] = text === undefined ? (stored[field] ?? '{}') : setLocaleText(stored[field] ?? '{}', locale, text);
  }
  return texts;
}

/**
 * Edits a commitment: the non-translatable fields, and the translatable ones in `input.locale`
 * only. A new code renames its milestones' codes too (`OLD.2` becomes `NEW.2`).
 */
export async function updateCommitment(db: Db, actor: Actor, input: CommitmentChange): Promise<Created> {
  return withCodeGuard(UNIQUE_KEYS.commitmentCode, () =>
    runCommand(db, actor, async (trx, audit) => {
      const current = await trx.selectFrom('commitments').selectAll().where('id', '=', input.commitmentId).executeTakeFirst();
      if (!current) throw new NotFoundError();
      const scope = { ...(await planScope(trx, current.action_plan_id)), commitmentId: current.id };
      authorize(actor, (user) => canManageContent(user, scope.jurisdictionId));
      const errors = await checkCommitment(trx, scope, input);

      const texts = mergeTexts(COMMITMENT_TEXT_FIELDS, current, input.locale, input.texts);
      if (texts.title === '{}') errors.add('title', 'form.error.required');
      if (errors.any) throw new InvalidInputError(errors);

      const code = input.code.trim();
      const next = {
        code,
        position: input.position ?? current.position,
        ...texts,
        ogp_values: storedOgpValues(input.ogpValues),
        policy_areas: JSON.stringify(cleanPolicyAreas(input.policyAreas)),
        starts_on: input.startsOn,
        ends_on: input.endsOn,
      };
      const rolesBefore = await institutionRoles(trx, current.id);
      // The public summary: changed fields with their new values (institutions as `role:id`).
      const changes = publicChanges({ ...current, institutions: rolesBefore }, { ...next, institutions: sameList(rolesBefore, rolesOf(input)) ? rolesBefore : rolesOf(input) });

      await trx
        .updateTable('commitments')
        .set({ ...next, updated_at: new Date().toISOString() })
        .where('id', '=', current.id)
        .execute();
      await writeCommitmentInstitutions(trx, current.id, input);

      let renamedMilestones = 0;
      if (code !== current.code) {
        const milestones = await trx.selectFrom('milestones').select(['id', 'code']).where('commitment_id', '=', current.id).execute();
        for (const m of milestones) {
          if (!m.code.startsWith(`${current.code}.`)) continue;
          const renamed = `${code}${m.code.slice(current.code.length)}`;
          await trx.updateTable('milestones').set({ code: renamed }).where('id', '=', m.id).execute();
          await audit.publish('milestone.updated', 'milestone', m.id, { previousCode: m.code, ...publicChanges({ code: m.code }, { code: renamed }) });
          renamedMilestones++;
        }
      }
      await audit.publish('commitment.updated', 'commitment', current.id, {
        code,
        locale: input.locale,
        ...changes,
        ...(code !== current.code ? { previousCode: current.code, renamedMilestones } : {}),
      });
      await refreshSearchDocuments(trx, scope.jurisdictionId);
      return { id: current.id, code };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Milestones

interface MilestoneScope {
  commitmentId: number;
  commitmentCode: string;
  jurisdictionId: number;
  /** Set when editing. */
  milestoneId?: number | undefined;
}

async function commitmentScope(db: Executor, commitmentId: number): Promise<MilestoneScope> {
  const row = await db
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select(['commitments.id', 'commitments.code', 'action_plans.jurisdiction_id'])
    .where('commitments.id', '=', commitmentId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  return { commitmentId: row.id, commitmentCode: row.code, jurisdictionId: row.jurisdiction_id };
}

/**
 * Adds to `errors` every problem with a milestone's input: code format (its commitment's code,
 * a dot, a number) and uniqueness, order, texts, responsible institution of the jurisdiction,
 * dates, status with its completion or cancellation date, and weight.
 */
export async function checkMilestone(db: Executor, scope: MilestoneScope, input: MilestoneInput, errors = new FormErrors()): Promise<FormErrors> {
  addFormErrors(errors, input.formErrors);
  const code = input.code.trim();
  if (!code) errors.add('code', 'form.error.required');
  else if (!MILESTONE_CODE.test(code) || !code.startsWith(`${scope.commitmentCode}.`)) {
    errors.add('code', 'commitmentsAdmin.error.milestoneCode', { prefix: `${scope.commitmentCode}.` });
  } else {
    let query = db.selectFrom('milestones').select('id').where('commitment_id', '=', scope.commitmentId).where('code', '=', code);
    if (scope.milestoneId !== undefined) query = query.where('id', '<>', scope.milestoneId);
    if (await query.executeTakeFirst()) errors.add('code', 'form.error.taken');
  }
  checkPosition(errors, input.position);
  checkTexts(errors, input.texts);

  if (input.responsibleInstitutionId !== null) {
    const known = await institutionIdsOf(db, scope.jurisdictionId);
    if (!known.has(input.responsibleInstitutionId)) errors.add('responsible_institution_id', 'form.error.choice');
  }

  const startOk = checkDate(errors, 'starts_on', input.startsOn, false);
  const dueOk = checkDate(errors, 'due_on', input.dueOn, true);
  if (startOk && dueOk && input.dueOn < (input.startsOn ?? '')) errors.add('due_on', 'commitmentsAdmin.error.dueBeforeStart');

  if (!(MILESTONE_STATUSES as readonly string[]).includes(input.status)) {
    errors.add('status', input.status ? 'form.error.choice' : 'form.error.required');
  } else if (input.status === 'completed') {
    if (!input.completedOn) errors.add('completed_on', 'commitmentsAdmin.error.completedOn');
    else checkDate(errors, 'completed_on', input.completedOn, true);
  } else if (input.status === 'cancelled') {
    if (!input.cancelledOn) errors.add('cancelled_on', 'commitmentsAdmin.error.cancelledOn');
    else checkDate(errors, 'cancelled_on', input.cancelledOn, true);
  }

  if (!Number.isInteger(input.weight) || input.weight < WEIGHT_MIN || input.weight > WEIGHT_MAX) {
    errors.add('weight', 'form.error.integer', { min: WEIGHT_MIN, max: WEIGHT_MAX });
  }
  return errors;
}

/** The stored status dates: only the one matching the status is kept. */
function statusDates(input: MilestoneInput): { completed_on: string | null; cancelled_on: string | null } {
  return {
    completed_on: input.status === 'completed' ? input.completedOn : null,
    cancelled_on: input.status === 'cancelled' ? input.cancelledOn : null,
  };
}

/** Creates a milestone of a commitment, in one content locale. Admin-made milestones are never demonstration data. */
export async function createMilestone(db: Db, actor: Actor, input: NewMilestone): Promise<Created> {
  return withCodeGuard(UNIQUE_KEYS.milestoneCode, () =>
    runCommand(db, actor, async (trx, audit) => {
      const scope = await commitmentScope(trx, input.commitmentId);
      authorize(actor, (user) => canManageContent(user, scope.jurisdictionId));
      const errors = await checkMilestone(trx, scope, input);
      if (!(input.texts.title ?? '').trim()) errors.add('title', 'form.error.required');
      if (errors.any) throw new InvalidInputError(errors);

      const code = input.code.trim();
      const position = input.position ?? (await nextPosition(trx, 'milestones', scope.commitmentId));
      const now = new Date().toISOString();
      const texts = mergeTexts(MILESTONE_TEXT_FIELDS, {}, input.locale, input.texts);
      const values = {
        commitment_id: scope.commitmentId,
        code,
        position,
        ...texts,
        responsible_institution_id: input.responsibleInstitutionId,
        starts_on: input.startsOn || null,
        due_on: input.dueOn,
        status: input.status,
        ...statusDates(input),
        weight: input.weight,
      };
      const row = await trx
        .insertInto('milestones')
        .values({ ...values, is_demo: 0, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit.publish('milestone.created', 'milestone', row.id, { locale: input.locale, ...publicChanges(undefined, values) });
      await refreshSearchDocuments(trx, scope.jurisdictionId);
      return { id: row.id, code };
    }),
  );
}

/** Edits a milestone: the non-translatable fields, and the translatable ones in `input.locale` only. */
export async function updateMilestone(db: Db, actor: Actor, input: MilestoneChange): Promise<Created> {
  return withCodeGuard(UNIQUE_KEYS.milestoneCode, () =>
    runCommand(db, actor, async (trx, audit) => {
      const current = await trx.selectFrom('milestones').selectAll().where('id', '=', input.milestoneId).executeTakeFirst();
      if (!current) throw new NotFoundError();
      const scope = { ...(await commitmentScope(trx, current.commitment_id)), milestoneId: current.id };
      authorize(actor, (user) => canManageContent(user, scope.jurisdictionId));
      const errors = await checkMilestone(trx, scope, input);

      const texts = mergeTexts(MILESTONE_TEXT_FIELDS, current, input.locale, input.texts);
      if (texts.title === '{}') errors.add('title', 'form.error.required');
      if (errors.any) throw new InvalidInputError(errors);

      const code = input.code.trim();
      const next = {
        code,
        position: input.position ?? current.position,
        ...texts,
        responsible_institution_id: input.responsibleInstitutionId,
        starts_on: input.startsOn || null,
        due_on: input.dueOn,
        status: input.status,
        ...statusDates(input),
        weight: input.weight,
      };
      await trx
        .updateTable('milestones')
        .set({ ...next, updated_at: new Date().toISOString() })
        .where('id', '=', current.id)
        .execute();
      await audit.publish('milestone.updated', 'milestone', current.id, {
        code,
        locale: input.locale,
        ...publicChanges(current, next),
        ...(next.status !== current.status ? { previousStatus: current.status } : {}),
      });
      await refreshSearchDocuments(trx, scope.jurisdictionId);
      return { id: current.id, code };
    }),
  );
}

