import { createHash } from 'node:crypto';
import type { Db, Executor, Trx } from '../../db/database.js';
import { formatDate, translate } from '../../i18n/index.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
import { FormErrors, isIsoDate } from '../../lib/forms.js';
import { parseTranslatable, pickText, serializeTranslatable } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { authorize, runCommand, SYSTEM, type Actor } from '../audit/index.js';
import { MILESTONE_STATUSES } from '../commitments/domain.js';
import { composeMail, enqueueMail, InvalidMailError, recipientLocale } from '../mail/send.js';
import { refreshSearchDocuments } from '../search/index.js';
import { notifySubscribers } from '../subscriptions/notify.js';
import {
  checkEvidence,
  COMPLETION_LEVELS,
  CYCLE_STATUSES,
  defaultCycles,
  MAX_FILE_BYTES,
  MAX_FILES_PER_FORM,
  MAX_LINKS_PER_MILESTONE,
  OBSTACLES,
  STATUSES_NEEDING_OBSTACLES,
} from './domain.js';
import { findCycle, findPlan, findUpdate, findUpdateById, reportingInstitutionIds, listCycles, listItems } from './repository.js';
import { canManageReportingCycles, canPublishProgressUpdates, canReportOnCommitment } from './policy.js';
import { rdb } from './tables.js';

export const TEXT_MAX = 20_000;
export const LABEL_MAX = 200;
export const NOTE_MAX = 2_000;

/** The input was refused; `errors` are keyed by form field name and carry message keys. */
export class InvalidInputError extends Error {
  constructor(readonly errors: FormErrors) {
    super(`Invalid input: ${errors.list.map((e) => `${e.field} (${e.message})`).join(', ')}`);
  }
}

/** The update is not in a state that allows this (e.g. editing a submitted update). `message` is a message key. */
export class WorkflowError extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

/** The same form was already accepted (a double submit): nothing was changed. */
export class DuplicateSubmissionError extends Error {
  constructor(readonly updateId: number | undefined) {
    super('duplicate submission');
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  if (!e) return false;
  if (e.code === '23505') return true;
  return typeof e.message === 'string' && /UNIQUE constraint failed/i.test(e.message);
}

function setLocaleText(json: string | null | undefined, locale: Locale, text: string): string {
  const value = parseTranslatable(json);
  const trimmed = text.trim();
  if (trimmed) value[locale] = trimmed;
  else delete value[locale];
  return serializeTranslatable(value);
}

async function jurisdictionOfPlan(db: Executor, planId: number): Promise<number> {
  const plan = await findPlan(db, planId);
  if (!plan) throw new NotFoundError();
  return plan.jurisdiction_id;
}

/** Publishing or returning an update: administrators and coordinators of the plan's jurisdiction. Returns the update's cycle. */
async function authorizeReview(db: Executor, actor: Actor, cycleId: number) {
  const cycle = await findCycle(db, cycleId);
  if (!cycle) throw new NotFoundError();
  const jurisdictionId = await jurisdictionOfPlan(db, cycle.action_plan_id);
  authorize(actor, (user) => canPublishProgressUpdates(user, jurisdictionId));
  return cycle;
}

// ---------------------------------------------------------------------------------------------
// Cycles

/** Creates the plan's default cycles (every three months across its period) that do not exist yet. */
// ---------------------------------------------------------------------------------------------
// E-mails about the review of a progress update (issue 9, part 7)

/**
 * What the review e-mails need from the request: the instance's public address for absolute links,
 * and the language of the page, used for a recipient who has no language of their own.
 */
export interface ReviewMailContext {
  publicUrl?: string | undefined;
  locale?: Locale | undefined;
}

interface MailRecipient {
  id: number;
  email: string;
  display_name: string;
  locale: string | null;
}

/** Active accounts holding `role` in the jurisdiction (or everywhere), optionally for some institutions; each once. */
async function recipientsWithRole(trx: Executor, role: 'administrator' | 'coordinator' | 'commitment_holder', jurisdictionId: number, institutionIds?: number[]): Promise<MailRecipient[]> {
  if (institutionIds && institutionIds.length === 0) return [];
  let query = trx
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select(['users.id', 'users.email', 'users.display_name', 'users.locale'])
    .where('user_roles.role', '=', role)
    .where('users.disabled_at', 'is', null)
    .where((eb) => eb.or([eb('user_roles.jurisdiction_id', 'is', null), eb('user_roles.jurisdiction_id', '=', jurisdictionId)]));
  if (institutionIds) query = query.where('user_roles.institution_id', 'in', institutionIds);
  const rows = await query.orderBy('users.id').execute();
  const seen = new Set<number>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
}

async function displayNameOf(trx: Executor, actor: Actor): Promise<string> {
  if (actor.userId === null) return 'Besa';
  const row = await trx.selectFrom('users').select('display_name').where('id', '=', actor.userId).executeTakeFirst();
  return row?.display_name ?? 'Besa';
}

/**
 * Queues one review e-mail per recipient, each in the recipient's language, in the command's
 * transaction (sent only if the change commits). The acting person is not told of their own act.
 */
async function queueReviewMail(
  trx: Executor,
  actor: Actor,
  kind: 'submitted' | 'returned' | 'published',
  recipients: MailRecipient[],
  update: { id: number; cycle_id: number; commitment_id: number; coordinator_comment?: string | null },
  context: ReviewMailContext,
): Promise<void> {
  const others = recipients.filter((r) => r.id !== actor.userId);
  if (others.length === 0) return;
  const cycle = await findCycle(trx, update.cycle_id);
  const commitment = await trx.selectFrom('commitments').select(['code', 'title', 'action_plan_id']).where('id', '=', update.commitment_id).executeTakeFirst();
  if (!cycle || !commitment) return;
  const place = await trx
    .selectFrom('action_plans')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['action_plans.slug as plan', 'jurisdictions.slug as jurisdiction'])
    .where('action_plans.id', '=', commitment.action_plan_id)
    .executeTakeFirst();
  if (!place) return;
  const base = (context.publicUrl ?? '').replace(/\/+$/, '');
  const code = encodeURIComponent(commitment.code);
  const actorName = await displayNameOf(trx, actor);
  const title = parseTranslatable(commitment.title);
  const label = parseTranslatable(cycle.label);
  for (const person of others) {
    const lang = recipientLocale(person.locale, context.locale ?? 'sq');
    const link =
      kind === 'published'
        ? `${base}/${lang}/${place.jurisdiction}/plans/${place.plan}/commitments/${code}#update-${update.id}`
        : `${base}/${lang}/admin/jurisdictions/${place.jurisdiction}/plans/${place.plan}/cycles/${cycle.number}/updates/${code}`;
    const values = {
      name: person.display_name,
      code: commitment.code,
      title: pickText(title, lang),
      cycle: pickText(label, lang) || translate(lang, 'reporting.cycle.defaultLabel', { number: cycle.number }),
      author: actorName,
      reviewer: actorName,
      comment: update.coordinator_comment ?? '',
      link,
    };
    try {
      await enqueueMail(
        trx,
        composeMail(person.email, lang, {
          subject: translate(lang, `reporting.mail.${kind}.subject`, values),
          text: translate(lang, `reporting.mail.${kind}.text`, values),
        }),
      );
    } catch (error) {
      // One stored address that today's check refuses must not undo the submission, return or
      // publication for everyone: that person is left out (the outbox holds no message to retry).
      if (!(error instanceof InvalidMailError)) throw error;
    }
  }
}

export async function generateCycles(db: Db, actor: Actor, planId: number): Promise<number> {
  return runCommand(db, actor, async (trx, audit) => {
    const plan = await findPlan(trx, planId);
    if (!plan) throw new NotFoundError();
    authorize(actor, (user) => canManageReportingCycles(user, plan.jurisdiction_id));
    const existing = new Set((await listCycles(trx, planId)).map((c) => c.number));
    const now = new Date().toISOString();
    let created = 0;
    for (const period of defaultCycles(plan.starts_on, plan.ends_on)) {
      if (existing.has(period.number)) continue;
      const row = await rdb(trx)
        .insertInto('reporting_cycles')
        .values({
          action_plan_id: planId,
          number: period.number,
          label: '{}',
          period_start: period.periodStart,
          period_end: period.periodEnd,
          due_on: period.dueOn,
          status: 'open',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit.publish('reporting_cycle.opened', 'reporting_cycle', row.id, {
        plan: plan.slug,
        number: period.number,
        periodStart: period.periodStart,
        periodEnd: period.periodEnd,
        dueOn: period.dueOn,
      });
      created++;
    }
    return created;
  });
}

export interface CycleChange {
  cycleId: number;
  locale: Locale;
  label: string;
  periodStart: string;
  periodEnd: string;
  dueOn: string;
  status: string;
}

/** Edits a cycle: its label (in one locale), period, due date and whether it is open. */
export async function updateCycle(db: Db, actor: Actor, input: CycleChange): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const cycle = await findCycle(trx, input.cycleId);
    if (!cycle) throw new NotFoundError();
    const jurisdictionId = await jurisdictionOfPlan(trx, cycle.action_plan_id);
    authorize(actor, (user) => canManageReportingCycles(user, jurisdictionId));
    const errors = new FormErrors();
    if (input.label.trim().length > LABEL_MAX) errors.add('label', 'form.error.tooLong', { max: LABEL_MAX });
    for (const [field, value] of [
      ['period_start', input.periodStart],
      ['period_end', input.periodEnd],
      ['due_on', input.dueOn],
    ] as const) {
      if (!value.trim()) errors.add(field, 'form.error.required');
      else if (!isIsoDate(value)) errors.add(field, 'form.error.date');
    }
    if (!errors.for('period_start') && !errors.for('period_end') && input.periodEnd < input.periodStart) errors.add('period_end', 'form.error.dateOrder');
    if (!errors.for('period_start') && !errors.for('due_on') && input.dueOn < input.periodStart) errors.add('due_on', 'reporting.error.dueBeforeStart');
    if (!(CYCLE_STATUSES as readonly string[]).includes(input.status)) errors.add('status', 'form.error.choice');
    if (errors.any) throw new InvalidInputError(errors);
    const next = {
      label: setLocaleText(cycle.label, input.locale, input.label),
      period_start: input.periodStart,
      period_end: input.periodEnd,
      due_on: input.dueOn,
      status: input.status,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== cycle[k]);
    if (changed.length === 0) return;
    await rdb(trx)
      .updateTable('reporting_cycles')
      .set({ ...next, updated_at: new Date().toISOString() })
      .where('id', '=', cycle.id)
      .execute();
    await audit.publish('reporting_cycle.updated', 'reporting_cycle', cycle.id, {
      number: cycle.number,
      changed,
      periodStart: next.period_start,
      periodEnd: next.period_end,
      dueOn: next.due_on,
      status: next.status,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Progress updates

export interface ItemInput {
  milestoneId: number;
  status: string;
  completion: string;
  narrative: string;
  obstacles: string[];
  obstacleNote: string;
  /** One URL per entry; blanks are ignored. */
  links: string[];
}

export interface FileInput {
  /** The form field the file came from (errors are reported on it). */
  field: string;
  milestoneId: number | null;
  filename: string;
  content: Buffer;
  /** True when the upload was cut at the size limit. */
  truncated: boolean;
}

export interface UpdateInput {
  cycleId: number;
  commitmentId: number;
  /** The content language of the texts. */
  locale: Locale;
  summary: string;
  items: ItemInput[];
  files: FileInput[];
  /** Evidence files to remove (ids of this update's files). */
  removeFileIds: number[];
  /** Submit for publication (else: save as a draft). */
  submit: boolean;
  /** The hidden token of the form: a form posted twice is accepted once. */
  formToken: string | null;
}

export interface SavedUpdate {
  id: number;
  status: string;
}

function cleanLinks(links: string[]): string[] {
  return [...new Set(links.map((l) => l.trim()).filter(Boolean))];
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Every problem with an update's texts and items; files are checked separately (by content). */
export function checkUpdateInput(input: UpdateInput, milestoneIds: Set<number>, errors = new FormErrors()): FormErrors {
  if (input.summary.trim().length > TEXT_MAX) errors.add('summary', 'form.error.tooLong', { max: TEXT_MAX });
  for (const item of input.items) {
    const p = `m${item.milestoneId}_`;
    if (!milestoneIds.has(item.milestoneId)) {
      errors.add(`${p}status`, 'form.error.choice');
      continue;
    }
    if (!item.status) errors.add(`${p}status`, 'form.error.required');
    else if (!(MILESTONE_STATUSES as readonly string[]).includes(item.status)) errors.add(`${p}status`, 'form.error.choice');
    if (!item.completion) errors.add(`${p}completion`, 'form.error.required');
    else if (!(COMPLETION_LEVELS as readonly string[]).includes(item.completion)) errors.add(`${p}completion`, 'form.error.choice');
    if (item.narrative.trim().length > TEXT_MAX) errors.add(`${p}narrative`, 'form.error.tooLong', { max: TEXT_MAX });
    if (item.obstacles.some((o) => !(OBSTACLES as readonly string[]).includes(o))) errors.add(`${p}obstacles`, 'form.error.choice');
    else if ((STATUSES_NEEDING_OBSTACLES as readonly string[]).includes(item.status) && item.obstacles.length === 0) {
      errors.add(`${p}obstacles`, 'reporting.error.obstaclesRequired');
    }
    if (item.obstacleNote.trim().length > NOTE_MAX) errors.add(`${p}obstacle_note`, 'form.error.tooLong', { max: NOTE_MAX });
    else if (item.obstacles.includes('other') && !item.obstacleNote.trim()) errors.add(`${p}obstacle_note`, 'reporting.error.obstacleNoteRequired');
    const links = cleanLinks(item.links);
    if (links.length > MAX_LINKS_PER_MILESTONE) errors.add(`${p}links`, 'reporting.error.tooManyLinks', { max: MAX_LINKS_PER_MILESTONE });
    else if (links.some((l) => l.length > 2000 || !isWebUrl(l))) errors.add(`${p}links`, 'reporting.error.links');
  }
  return errors;
}

/** Checks the uploads by content; returns the accepted ones, adds an error per refused file field. */
async function checkFiles(files: FileInput[], errors: FormErrors) {
  const accepted: (FileInput & { contentType: string; storedName: string })[] = [];
  if (files.length > MAX_FILES_PER_FORM) {
    errors.add(files[MAX_FILES_PER_FORM]!.field, 'reporting.error.tooManyFiles', { max: MAX_FILES_PER_FORM });
    return accepted;
  }
  for (const file of files) {
    if (file.truncated || file.content.length > MAX_FILE_BYTES) {
      errors.add(file.field, 'reporting.error.fileTooLarge', { filename: file.filename, max: MAX_FILE_BYTES / (1024 * 1024) });
      continue;
    }
    const check = await checkEvidence(file.filename, file.content);
    if (!check.ok) {
      errors.add(file.field, check.reason === 'empty' ? 'reporting.error.fileEmpty' : 'reporting.error.fileType', { filename: file.filename });
      continue;
    }
    accepted.push({ ...file, contentType: check.contentType, storedName: check.filename });
  }
  return accepted;
}

/**
 * Saves a commitment's progress update for a cycle, as a draft or submitted. One update per
 * commitment and cycle (a unique constraint); the same form posted twice is accepted once
 * (DuplicateSubmissionError). Submitted and published updates cannot be edited (WorkflowError).
 */
export async function saveProgressUpdate(db: Db, actor: Actor, input: UpdateInput, mail: ReviewMailContext = {}): Promise<SavedUpdate> {
  try {
    return await runCommand(db, actor, async (trx, audit) => {
      const cycle = await findCycle(trx, input.cycleId);
      if (!cycle) throw new NotFoundError();
      const commitment = await trx.selectFrom('commitments').select(['id', 'code', 'action_plan_id']).where('id', '=', input.commitmentId).executeTakeFirst();
      if (!commitment || commitment.action_plan_id !== cycle.action_plan_id) throw new NotFoundError();
      const jurisdictionId = await jurisdictionOfPlan(trx, cycle.action_plan_id);
      const leads = await reportingInstitutionIds(trx, commitment.id);
      authorize(actor, (user) => canReportOnCommitment(user, jurisdictionId, leads));
      const existing = await findUpdate(trx, cycle.id, commitment.id);
      // The same form, with the same button, already accepted: a double submit changes nothing.
      const wanted = input.submit ? 'submitted' : 'draft';
      if (existing && input.formToken && existing.form_token === input.formToken && existing.status === wanted) throw new DuplicateSubmissionError(existing.id);
      if (existing && (existing.status === 'submitted' || existing.status === 'published')) throw new WorkflowError('reporting.error.locked');
      if (cycle.status !== 'open') throw new WorkflowError('reporting.error.cycleClosed');

      const milestones = await trx.selectFrom('milestones').select('id').where('commitment_id', '=', commitment.id).execute();
      const errors = checkUpdateInput(input, new Set(milestones.map((m) => m.id)));
      const files = await checkFiles(input.files, errors);
      if (errors.any) throw new InvalidInputError(errors);

      const now = new Date().toISOString();
      const status = input.submit ? 'submitted' : 'draft';
      let updateId: number;
      if (existing) {
        updateId = existing.id;
        await rdb(trx)
          .updateTable('progress_updates')
          .set({
            status,
            summary: setLocaleText(existing.summary, input.locale, input.summary),
            form_token: input.formToken,
            updated_at: now,
            ...(input.submit ? { submitted_at: now, first_submitted_at: existing.first_submitted_at ?? now } : {}),
          })
          .where('id', '=', existing.id)
          .execute();
      } else {
        const row = await rdb(trx)
          .insertInto('progress_updates')
          .values({
            cycle_id: cycle.id,
            commitment_id: commitment.id,
            status,
            summary: setLocaleText('{}', input.locale, input.summary),
            coordinator_comment: null,
            form_token: input.formToken,
            created_by: actor.userId,
            created_at: now,
            updated_at: now,
            first_submitted_at: input.submit ? now : null,
            submitted_at: input.submit ? now : null,
            returned_at: null,
            published_at: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        updateId = row.id;
      }

      const storedItems = new Map((existing ? await listItems(trx, existing.id) : []).map((i) => [i.milestone_id, i]));
      for (const item of input.items) {
        const before = storedItems.get(item.milestoneId);
        const values = {
          status: item.status,
          completion: item.completion,
          narrative: setLocaleText(before?.narrative, input.locale, item.narrative),
          obstacles: JSON.stringify(OBSTACLES.filter((o) => item.obstacles.includes(o))),
          obstacle_note: setLocaleText(before?.obstacle_note, input.locale, item.obstacleNote),
          evidence_links: JSON.stringify(cleanLinks(item.links)),
        };
        if (before) await rdb(trx).updateTable('progress_update_items').set(values).where('id', '=', before.id).execute();
        else await rdb(trx).insertInto('progress_update_items').values({ update_id: updateId, milestone_id: item.milestoneId, ...values }).execute();
      }
      if (input.removeFileIds.length) {
        await rdb(trx).deleteFrom('evidence_files').where('update_id', '=', updateId).where('id', 'in', input.removeFileIds).execute();
      }
      const storedFiles = await rdb(trx).selectFrom('evidence_files').select(['sha256', 'milestone_id']).where('update_id', '=', updateId).execute();
      const storedKeys = new Set(storedFiles.map((x) => `${x.milestone_id ?? ''}:${x.sha256}`));
      for (const file of files) {
        const sha256 = createHash('sha256').update(file.content).digest('hex');
        // The same file for the same milestone is kept once (a form sent again after saving it).
        if (storedKeys.has(`${file.milestoneId ?? ''}:${sha256}`)) continue;
        storedKeys.add(`${file.milestoneId ?? ''}:${sha256}`);
        await rdb(trx)
          .insertInto('evidence_files')
          .values({
            update_id: updateId,
            milestone_id: file.milestoneId,
            filename: file.storedName,
            content_type: file.contentType,
            size: file.content.length,
            sha256,
            content: file.content,
            created_at: now,
          })
          .execute();
      }
      await audit.record(input.submit ? 'progress_update.submitted' : 'progress_update.saved', 'progress_update', updateId, {
        cycle: cycle.number,
        commitment: commitment.code,
        locale: input.locale,
        files: files.length,
      });
      // Submitted: the jurisdiction's coordinators are asked to review it; where it has none, its
      // administrators (who may publish too), so that no report waits unseen.
      if (input.submit) {
        const coordinators = await recipientsWithRole(trx, 'coordinator', jurisdictionId);
        const reviewers = coordinators.length ? coordinators : await recipientsWithRole(trx, 'administrator', jurisdictionId);
        await queueReviewMail(trx, actor, 'submitted', reviewers, { id: updateId, cycle_id: cycle.id, commitment_id: commitment.id }, { locale: input.locale, ...mail });
      }
      return { id: updateId, status };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSubmissionError(undefined);
    throw error;
  }
}

/** The coordinator sends a submitted update back to its holders with a comment. */
export async function returnProgressUpdate(db: Db, actor: Actor, input: { updateId: number; comment: string }, mail: ReviewMailContext = {}): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const update = await findUpdateById(trx, input.updateId);
    if (!update) throw new NotFoundError();
    await authorizeReview(trx, actor, update.cycle_id);
    if (update.status !== 'submitted') throw new WorkflowError('reporting.error.notSubmitted');
    const comment = input.comment.trim();
    const errors = new FormErrors();
    if (!comment) errors.add('comment', 'form.error.required');
    else if (comment.length > NOTE_MAX) errors.add('comment', 'form.error.tooLong', { max: NOTE_MAX });
    if (errors.any) throw new InvalidInputError(errors);
    const now = new Date().toISOString();
    await rdb(trx)
      .updateTable('progress_updates')
      .set({ status: 'returned', coordinator_comment: comment, returned_at: now, updated_at: now, form_token: null })
      .where('id', '=', update.id)
      .execute();
    await audit.record('progress_update.returned', 'progress_update', update.id, {});
    // The lead institution's commitment holders are told why, with a link to correct it.
    const jurisdictionId = await jurisdictionOfPlan(trx, (await findCycle(trx, update.cycle_id))!.action_plan_id);
    const holders = await recipientsWithRole(trx, 'commitment_holder', jurisdictionId, await reportingInstitutionIds(trx, update.commitment_id));
    await queueReviewMail(trx, actor, 'returned', holders, { ...update, coordinator_comment: comment }, mail);
  });
}

/**
 * Sets each milestone's status to that of its latest published update (the latest cycle period,
 * then the latest publication), with its completion or cancellation date.
 */
export async function applyLatestPublishedStatus(trx: Executor, milestoneIds: number[]): Promise<{ id: number; code: string; status: string }[]> {
  const changed: { id: number; code: string; status: string }[] = [];
  for (const milestoneId of milestoneIds) {
    const latest = await rdb(trx)
      .selectFrom('progress_update_items')
      .innerJoin('progress_updates', 'progress_updates.id', 'progress_update_items.update_id')
      .innerJoin('reporting_cycles', 'reporting_cycles.id', 'progress_updates.cycle_id')
      .select(['progress_update_items.status', 'progress_updates.submitted_at', 'progress_updates.published_at'])
      .where('progress_update_items.milestone_id', '=', milestoneId)
      .where('progress_updates.status', '=', 'published')
      .orderBy('reporting_cycles.period_end', 'desc')
      .orderBy('reporting_cycles.number', 'desc')
      .orderBy('progress_updates.published_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!latest) continue;
    const milestone = await trx.selectFrom('milestones').select(['id', 'code', 'status', 'completed_on', 'cancelled_on']).where('id', '=', milestoneId).executeTakeFirst();
    if (!milestone) continue;
    const day = (latest.submitted_at ?? latest.published_at ?? new Date().toISOString()).slice(0, 10);
    const next = {
      status: latest.status,
      completed_on: latest.status === 'completed' ? (milestone.status === 'completed' && milestone.completed_on ? milestone.completed_on : day) : null,
      cancelled_on: latest.status === 'cancelled' ? (milestone.status === 'cancelled' && milestone.cancelled_on ? milestone.cancelled_on : day) : null,
    };
    if (next.status === milestone.status && next.completed_on === milestone.completed_on && next.cancelled_on === milestone.cancelled_on) continue;
    await trx
      .updateTable('milestones')
      .set({ ...next, updated_at: new Date().toISOString() })
      .where('id', '=', milestone.id)
      .execute();
    changed.push({ id: milestone.id, code: milestone.code, status: next.status });
  }
  return changed;
}

/**
 * The coordinator publishes a submitted update: it appears on the public pages, each of its
 * milestones takes the status of its latest published update, and the search documents follow.
 */
export async function publishProgressUpdate(db: Db, actor: Actor, input: { updateId: number }, mail: ReviewMailContext = {}): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const update = await findUpdateById(trx, input.updateId);
    if (!update) throw new NotFoundError();
    const cycle = await authorizeReview(trx, actor, update.cycle_id);
    if (update.status !== 'submitted') throw new WorkflowError('reporting.error.notSubmitted');
    const commitment = await trx.selectFrom('commitments').select(['id', 'code', 'action_plan_id']).where('id', '=', update.commitment_id).executeTakeFirst();
    if (!commitment) throw new NotFoundError();
    const now = new Date().toISOString();
    await rdb(trx).updateTable('progress_updates').set({ status: 'published', published_at: now, updated_at: now }).where('id', '=', update.id).execute();
    const items = await listItems(trx, update.id);
    const milestones = await trx.selectFrom('milestones').select(['id', 'code']).where('commitment_id', '=', commitment.id).execute();
    const codeOf = new Map(milestones.map((m) => [m.id, m.code]));
    // Published under the commitment: the update is part of the commitment's public record, so its
    // history page (and anyone following the commitment in the log) sees it.
    await audit.publish('progress_update.published', 'commitment', commitment.id, {
      progressUpdate: update.id,
      commitment: commitment.code,
      cycle: cycle.number,
      dueOn: cycle.due_on,
      submittedOn: (update.first_submitted_at ?? update.submitted_at ?? now).slice(0, 10),
      milestones: items.map((i) => ({ code: codeOf.get(i.milestone_id) ?? null, status: i.status, completion: i.completion })),
    });
    const changed = await applyLatestPublishedStatus(
      trx,
      items.map((i) => i.milestone_id),
    );
    for (const m of changed) {
      await audit.publish('milestone.status_changed', 'milestone', m.id, { code: m.code, status: m.status, source: 'progress_update' });
    }
    const plan = await findPlan(trx, commitment.action_plan_id);
    if (plan) await refreshSearchDocuments(trx, plan.jurisdiction_id);
    // Whoever follows the jurisdiction, the plan or the commitment hears of it (subscriptions).
    if (plan) {
      const where = await trx
        .selectFrom('action_plans')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
        .select(['jurisdictions.slug as jurisdiction', 'action_plans.slug as plan', 'action_plans.is_demo'])
        .where('action_plans.id', '=', plan.id)
        .executeTakeFirstOrThrow();
      const demoMilestone = items.length
        ? await trx.selectFrom('milestones').select('id').where('id', 'in', items.map((i) => i.milestone_id)).where('is_demo', '=', 1).executeTakeFirst()
        : undefined;
      const title = await trx.selectFrom('commitments').select('title').where('id', '=', commitment.id).executeTakeFirstOrThrow();
      const titles = parseTranslatable(title.title);
      await notifySubscribers(trx, {
        jurisdictionId: plan.jurisdiction_id,
        topics: [
          { type: 'plan', id: plan.id },
          { type: 'commitment', id: commitment.id },
        ],
        kind: 'update',
        title: Object.keys(titles).length ? Object.fromEntries(Object.entries(titles).map(([l, text]) => [l, `${commitment.code} ${text}`])) : { sq: commitment.code },
        path: `/${where.jurisdiction}/plans/${where.plan}/commitments/${commitment.code}#update-${update.id}`,
        isDemo: where.is_demo === 1 || demoMilestone !== undefined,
      });
    }
    // The lead institution's commitment holders are told it is public, with a link to it.
    if (plan) {
      const holders = await recipientsWithRole(trx, 'commitment_holder', plan.jurisdiction_id, await reportingInstitutionIds(trx, commitment.id));
      await queueReviewMail(trx, actor, 'published', holders, update, mail);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Reminders

/** Where the reminder run reports a reminder it could not queue (a pino logger fits). */
export interface ReminderLog {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface ReminderOptions {
  /** Days before the due date when the first reminder goes out. */
  daysBefore?: number;
  /** Base URL for links in the messages. */
  publicUrl?: string;
  /** Language of the messages to people who have no language of their own (users.locale). */
  locale?: Locale;
  /** Where a reminder that could not be queued is reported (the run goes on with the others). */
  log?: ReminderLog;
}

interface Reminder {
  cycleId: number;
  commitmentId: number;
  userId: number;
  email: string;
  /** The recipient's language. */
  locale: Locale;
  kind: 'before' | 'overdue';
  code: string;
  title: string;
  dueOn: string;
  path: string;
}

async function dueReminders(db: Executor, now: Date, daysBefore: number, locale: Locale): Promise<Reminder[]> {
  const today = now.toISOString().slice(0, 10);
  const cycles = await rdb(db)
    .selectFrom('reporting_cycles')
    .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select([
      'reporting_cycles.id',
      'reporting_cycles.number',
      'reporting_cycles.due_on',
      'reporting_cycles.action_plan_id',
      'action_plans.jurisdiction_id',
      'action_plans.slug as plan_slug',
      'jurisdictions.slug as jurisdiction_slug',
    ])
    .where('reporting_cycles.status', '=', 'open')
    .execute();
  const out: Reminder[] = [];
  for (const cycle of cycles) {
    const daysLeft = Math.round((Date.parse(`${cycle.due_on}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
    const kind = daysLeft < 0 ? 'overdue' : daysLeft <= daysBefore ? 'before' : undefined;
    if (!kind) continue;
    const commitments = await db.selectFrom('commitments').select(['id', 'code', 'title']).where('action_plan_id', '=', cycle.action_plan_id).execute();
    for (const commitment of commitments) {
      const update = await findUpdate(db, cycle.id, commitment.id);
      if (update && update.first_submitted_at) continue;
      const leads = await reportingInstitutionIds(db, commitment.id);
      if (leads.length === 0) continue;
      const holders = await db
        .selectFrom('user_roles')
        .innerJoin('users', 'users.id', 'user_roles.user_id')
        .select(['users.id', 'users.email', 'users.locale'])
        .where('user_roles.role', '=', 'commitment_holder')
        .where('user_roles.institution_id', 'in', leads)
        .where((eb) => eb.or([eb('user_roles.jurisdiction_id', 'is', null), eb('user_roles.jurisdiction_id', '=', cycle.jurisdiction_id)]))
        .execute();
      const seen = new Set<number>();
      for (const holder of holders) {
        if (seen.has(holder.id)) continue;
        seen.add(holder.id);
        const sent = await rdb(db)
          .selectFrom('reminders_sent')
          .select('user_id')
          .where('cycle_id', '=', cycle.id)
          .where('commitment_id', '=', commitment.id)
          .where('user_id', '=', holder.id)
          .where('kind', '=', kind)
          .executeTakeFirst();
        if (sent) continue;
        const lang = recipientLocale(holder.locale, locale);
        out.push({
          cycleId: cycle.id,
          commitmentId: commitment.id,
          userId: holder.id,
          email: holder.email,
          locale: lang,
          kind,
          code: commitment.code,
          title: pickText(parseTranslatable(commitment.title), lang),
          dueOn: cycle.due_on,
          path: `/${lang}/admin/jurisdictions/${cycle.jurisdiction_slug}/plans/${cycle.plan_slug}/cycles/${cycle.number}/updates/${encodeURIComponent(commitment.code)}`,
        });
      }
    }
  }
  return out;
}

/**
 * Queues reminder e-mails to commitment holders whose progress update is not yet submitted:
 * once when the due date is `daysBefore` days away or nearer, and once after it has passed.
 * Each reminder is its own command: it is remembered in reminders_sent first (a reminder another
 * process has just sent is skipped quietly, not an error), then queued. One the database refuses
 * (a commitment's bad title, say) is rolled back alone and logged; the others go on, and the
 * refused one is tried again on the next run. Returns the number of reminders queued.
 */
export async function remindDueReports(db: Db, now: Date = new Date(), options: ReminderOptions = {}): Promise<number> {
  const daysBefore = options.daysBefore ?? 7;
  const locale = options.locale && isLocale(options.locale) ? options.locale : 'sq';
  const base = (options.publicUrl ?? '').replace(/\/+$/, '');
  const reminders = await dueReminders(db, now, daysBefore, locale);
  let queued = 0;
  for (const r of reminders) {
    try {
      const sent = await runCommand(db, SYSTEM, async (trx: Trx, audit) => {
        // The primary key decides between processes: the second insert waits for the first to
        // commit, then inserts nothing, and this process leaves the reminder to the other one.
        const claimed = await rdb(trx)
          .insertInto('reminders_sent')
          .values({ cycle_id: r.cycleId, commitment_id: r.commitmentId, user_id: r.userId, kind: r.kind, sent_at: now.toISOString() })
          .onConflict((oc) => oc.columns(['cycle_id', 'commitment_id', 'user_id', 'kind']).doNothing())
          .returning('user_id')
          .executeTakeFirst();
        if (!claimed) return false;
        // The due date written out in the recipient's language ("15 korrik 2025", "15. jul 2025."), never ISO.
        const values = { code: r.code, title: r.title, due: formatDate(r.locale, r.dueOn), link: `${base}${r.path}` };
        await enqueueMail(
          trx,
          composeMail(r.email, r.locale, {
            subject: translate(r.locale, r.kind === 'before' ? 'reporting.mail.before.subject' : 'reporting.mail.overdue.subject', values),
            text: translate(r.locale, r.kind === 'before' ? 'reporting.mail.before.text' : 'reporting.mail.overdue.text', values),
          }),
        );
        await audit.record('reporting.reminder_sent', 'reporting_cycle', r.cycleId, { commitment: r.commitmentId, user: r.userId, kind: r.kind });
        return true;
      });
      if (sent) queued += 1;
      else options.log?.debug({ cycleId: r.cycleId, commitmentId: r.commitmentId, userId: r.userId, kind: r.kind }, 'progress report reminder already sent by another process');
    } catch (error) {
      options.log?.error(
        { err: error, cycleId: r.cycleId, commitmentId: r.commitmentId, userId: r.userId, kind: r.kind },
        'progress report reminder could not be queued; the others go on',
      );
    }
  }
  return queued;
}

export { jurisdictionOfPlan };
