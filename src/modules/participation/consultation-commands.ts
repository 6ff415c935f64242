import type { Db, Executor } from '../../db/database.js';
import { isUniqueViolationOf, type UniqueKey } from '../../db/errors.js';
import type { Locale } from '../../i18n/locales.js';
import { FormErrors, hasUnstorable, isIsoDate, SLUG } from '../../lib/forms.js';
import { parseTranslatable, serializeTranslatable, setLocaleText, type Translatable } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { authorize, runCommand, type Actor, type AuditRecorder } from '../audit/index.js';
import { refreshSearchDocuments } from '../search/index.js';
import { notifySubscribers, type Topic } from '../subscriptions/notify.js';
import { publicChanges } from '../transparency/index.js';
import { canManageConsultations } from './consultation-policy.js';
import { DEFAULT_MIN_NOTICE_DAYS } from './consultation-queries.js';
import { pdb } from './tables.js';

/**
 * Every change to consultations, each through runCommand: checked against the actor's roles
 * (canManageConsultations: the jurisdiction's administrators and coordinators), validated inside
 * the transaction, written, and the jurisdiction's search documents rebuilt.
 *
 * A draft is recorded in the audit log only; publishing it (draft → published) puts it in the
 * transparency log with its public facts, and every later change to a published consultation, its
 * documents or its outcome is published too. Summaries hold the consultation's own public text and
 * facts only: never a contributor's name or address.
 *
 * Translatable fields are written one content locale at a time: the other locales keep their text.
 */

export const CONSULTATION_TEXT_FIELDS = ['title', 'summary', 'body'] as const;
export type ConsultationTextField = (typeof CONSULTATION_TEXT_FIELDS)[number];
export const SUBJECTS = ['plan', 'commitment', 'topic'] as const;
export const MODERATIONS = ['post', 'pre'] as const;

export const TITLE_MAX = 300;
export const SUMMARY_MAX = 2_000;
export const BODY_MAX = 50_000;
export const OUTCOME_MAX = 20_000;
export const DOCUMENT_TITLE_MAX = 300;
export const URL_MAX = 2_000;
export const FLAG_THRESHOLD_MAX = 1_000;
export const FACT_MAX = 10_000;
export const NOTICE_MIN = 1;
export const NOTICE_MAX = 365;

const SLUG_KEY: UniqueKey = { constraint: 'consultations_jurisdiction_slug', table: 'consultations', columns: ['jurisdiction_id', 'slug'] };

/** The input was refused; `errors` are keyed by form field name and carry message keys. */
export class ConsultationInputError extends Error {
  constructor(readonly errors: FormErrors) {
    super(`Invalid input: ${errors.list.map((e) => `${e.field} (${e.message})`).join(', ')}`);
  }
}

export interface ConsultationInput {
  /** Errors already found while reading the form (text that cannot be stored). */
  formErrors?: FormErrors | undefined;
  slug: string;
  /** The content language of `texts`. */
  locale: Locale;
  /** This locale's text of each translatable field; an empty string removes it. Missing fields are left alone. */
  texts: Partial<Record<ConsultationTextField, string>>;
  subject: string;
  planId: number | null;
  commitmentId: number | null;
  opensOn: string;
  closesOn: string;
  moderation: string;
  /** NaN (or any non-integer) is refused. */
  flagThreshold: number;
  allowsProposals: boolean;
  /** Facts of a consultation held outside Besa; null: not stated. NaN is refused. */
  groupsConsulted: number | null;
  publicMeetings: number | null;
}

export interface NewConsultation extends ConsultationInput {
  jurisdictionId: number;
  isDemo?: boolean;
  /** Seeds only: where the dates come from when the source gives no exact days. */
  datesNote?: Translatable;
}

export interface ConsultationChange extends ConsultationInput {
  consultationId: number;
}

type Row = Awaited<ReturnType<typeof loadRow>>;

async function loadRow(db: Executor, id: number) {
  const row = await pdb(db).selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

function addFormErrors(errors: FormErrors, found: FormErrors | undefined): void {
  for (const e of found?.list ?? []) errors.add(e.field, e.message, e.values);
}

function checkText(errors: FormErrors, field: string, text: string | undefined, max: number): void {
  if (text === undefined) return;
  if (hasUnstorable(text)) errors.add(field, 'form.error.character');
  else if (text.trim().length > max) errors.add(field, 'form.error.tooLong', { max });
}

function checkCount(errors: FormErrors, field: string, value: number | null, min: number, max: number): void {
  if (value === null) return;
  if (!Number.isInteger(value) || value < min || value > max) errors.add(field, 'form.error.integer', { min, max });
}

/** The stored JSON of each translatable field after an edit in one locale. */
function mergeTexts(stored: Partial<Record<ConsultationTextField, string>>, locale: Locale, given: Partial<Record<ConsultationTextField, string>>): Record<ConsultationTextField, string> {
  const out = {} as Record<ConsultationTextField, string>;
  for (const field of CONSULTATION_TEXT_FIELDS) {
    const text = given[field];
    out[field] = text === undefined ? (stored[field] ?? '{}') : setLocaleText(stored[field] ?? '{}', locale, text.trim());
  }
  return out;
}

/** Checks everything but the title's presence (which depends on the stored locales); returns the subject's ids. */
async function checkConsultation(
  db: Executor,
  jurisdictionId: number,
  consultationId: number | undefined,
  input: ConsultationInput,
  errors: FormErrors,
): Promise<{ planId: number | null; commitmentId: number | null }> {
  addFormErrors(errors, input.formErrors);
  const slug = input.slug.trim();
  if (!slug) errors.add('slug', 'form.error.required');
  else if (!SLUG.test(slug) || slug.length > 80) errors.add('slug', 'form.error.slug');
  else {
    let query = pdb(db).selectFrom('consultations').select('id').where('jurisdiction_id', '=', jurisdictionId).where('slug', '=', slug);
    if (consultationId !== undefined) query = query.where('id', '<>', consultationId);
    if (await query.executeTakeFirst()) errors.add('slug', 'form.error.taken');
  }
  checkText(errors, 'title', input.texts.title, TITLE_MAX);
  checkText(errors, 'summary', input.texts.summary, SUMMARY_MAX);
  checkText(errors, 'body', input.texts.body, BODY_MAX);

  let planId: number | null = null;
  let commitmentId: number | null = null;
  if (!(SUBJECTS as readonly string[]).includes(input.subject)) errors.add('subject', input.subject ? 'form.error.choice' : 'form.error.required');
  else if (input.subject === 'plan') {
    const plan = input.planId === null ? undefined : await db.selectFrom('action_plans').select('id').where('id', '=', input.planId).where('jurisdiction_id', '=', jurisdictionId).executeTakeFirst();
    if (!plan) errors.add('plan_id', 'consultations.error.plan');
    else planId = plan.id;
  } else if (input.subject === 'commitment') {
    const commitment =
      input.commitmentId === null
        ? undefined
        : await db
            .selectFrom('commitments')
            .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
            .select(['commitments.id', 'commitments.action_plan_id'])
            .where('commitments.id', '=', input.commitmentId)
            .where('action_plans.jurisdiction_id', '=', jurisdictionId)
            .executeTakeFirst();
    if (!commitment) errors.add('commitment_id', 'consultations.error.commitment');
    else {
      commitmentId = commitment.id;
      planId = commitment.action_plan_id;
    }
  }

  const opensOk = isIsoDate(input.opensOn);
  const closesOk = isIsoDate(input.closesOn);
  if (!input.opensOn) errors.add('opens_on', 'form.error.required');
  else if (!opensOk) errors.add('opens_on', 'form.error.date');
  if (!input.closesOn) errors.add('closes_on', 'form.error.required');
  else if (!closesOk) errors.add('closes_on', 'form.error.date');
  if (opensOk && closesOk && input.closesOn < input.opensOn) errors.add('closes_on', 'consultations.error.dateOrder');

  if (!(MODERATIONS as readonly string[]).includes(input.moderation)) errors.add('moderation', input.moderation ? 'form.error.choice' : 'form.error.required');
  checkCount(errors, 'flag_threshold', input.flagThreshold, 1, FLAG_THRESHOLD_MAX);
  checkCount(errors, 'groups_consulted', input.groupsConsulted, 0, FACT_MAX);
  checkCount(errors, 'public_meetings', input.publicMeetings, 0, FACT_MAX);
  return { planId, commitmentId };
}

/** The consultation's public facts, as published in the log. */
function consultationFacts(v: {
  slug: string;
  subject: string;
  plan_id: number | null;
  commitment_id: number | null;
  title: string;
  summary: string;
  body: string;
  opens_on: string;
  closes_on: string;
  moderation: string;
  flag_threshold: number;
  allows_proposals: number;
  groups_consulted: number | null;
  public_meetings: number | null;
}) {
  return {
    slug: v.slug,
    subject: v.subject,
    plan_id: v.plan_id,
    commitment_id: v.commitment_id,
    title: v.title,
    summary: v.summary,
    body: v.body,
    opens_on: v.opens_on,
    closes_on: v.closes_on,
    moderation: v.moderation,
    flag_threshold: v.flag_threshold,
    allows_proposals: v.allows_proposals === 1,
    groups_consulted: v.groups_consulted,
    public_meetings: v.public_meetings,
  };
}

function rowValues(input: ConsultationInput, subject: { planId: number | null; commitmentId: number | null }, texts: Record<ConsultationTextField, string>) {
  return {
    slug: input.slug.trim(),
    subject: input.subject,
    plan_id: subject.planId,
    commitment_id: subject.commitmentId,
    ...texts,
    opens_on: input.opensOn,
    closes_on: input.closesOn,
    moderation: input.moderation,
    flag_threshold: input.flagThreshold,
    allows_proposals: input.allowsProposals ? 1 : 0,
    groups_consulted: input.groupsConsulted,
    public_meetings: input.publicMeetings,
  };
}

async function withSlugGuard<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (!isUniqueViolationOf(error, SLUG_KEY)) throw error;
    const errors = new FormErrors();
    errors.add('slug', 'form.error.taken');
    throw new ConsultationInputError(errors);
  }
}

/** Published consultations go to the transparency log; drafts stay in the audit log. */
async function log(audit: AuditRecorder, published: boolean, action: string, id: number, summary: Record<string, unknown>): Promise<void> {
  if (published) await audit.publish(action, 'consultation', id, summary);
  else await audit.record(action, 'consultation', id, summary);
}

/** Creates a consultation as a draft (seen only in the administration until it is published). */
export async function createConsultation(db: Db, actor: Actor, input: NewConsultation): Promise<{ id: number; slug: string }> {
  return withSlugGuard(() =>
    runCommand(db, actor, async (trx, audit) => {
      authorize(actor, (user) => canManageConsultations(user, input.jurisdictionId));
      const jurisdiction = await trx.selectFrom('jurisdictions').select('id').where('id', '=', input.jurisdictionId).executeTakeFirst();
      if (!jurisdiction) throw new NotFoundError();
      const errors = new FormErrors();
      const subject = await checkConsultation(trx, input.jurisdictionId, undefined, input, errors);
      if (!(input.texts.title ?? '').trim()) errors.add('title', 'form.error.required');
      if (errors.any) throw new ConsultationInputError(errors);
      const now = new Date().toISOString();
      const values = rowValues(input, subject, mergeTexts({}, input.locale, input.texts));
      const row = await pdb(trx)
        .insertInto('consultations')
        .values({
          ...values,
          jurisdiction_id: input.jurisdictionId,
          outcome: '{}',
          dates_note: serializeTranslatable(input.datesNote ?? {}),
          is_demo: input.isDemo ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit.record('consultation.created', 'consultation', row.id, { locale: input.locale, slug: values.slug });
      return { id: row.id, slug: values.slug };
    }),
  );
}

/** Edits a consultation in one content locale; a published one publishes what changed. */
export async function updateConsultation(db: Db, actor: Actor, input: ConsultationChange): Promise<{ id: number; slug: string }> {
  return withSlugGuard(() =>
    runCommand(db, actor, async (trx, audit) => {
      const stored = await loadRow(trx, input.consultationId);
      authorize(actor, (user) => canManageConsultations(user, stored.jurisdiction_id));
      const errors = new FormErrors();
      const subject = await checkConsultation(trx, stored.jurisdiction_id, stored.id, input, errors);
      const texts = mergeTexts(stored, input.locale, input.texts);
      if (Object.keys(parseTranslatable(texts.title)).length === 0) errors.add('title', 'form.error.required');
      if (errors.any) throw new ConsultationInputError(errors);
      const values = rowValues(input, subject, texts);
      const changes = publicChanges(consultationFacts(stored), consultationFacts(values));
      if (changes.changed.length === 0) return { id: stored.id, slug: stored.slug };
      await pdb(trx).updateTable('consultations').set({ ...values, updated_at: new Date().toISOString() }).where('id', '=', stored.id).execute();
      const published = stored.published_at !== null;
      await log(audit, published, 'consultation.updated', stored.id, published ? { locale: input.locale, ...changes } : { locale: input.locale, changed: changes.changed });
      if (published) await refreshSearchDocuments(trx, stored.jurisdiction_id);
      return { id: stored.id, slug: values.slug };
    }),
  );
}

/** The topics a consultation's notice reaches: its jurisdiction, its plan and commitment, itself. */
function topicsOf(row: Row): Topic[] {
  const topics: Topic[] = [{ type: 'jurisdiction', id: row.jurisdiction_id }];
  if (row.plan_id !== null) topics.push({ type: 'plan', id: row.plan_id });
  if (row.commitment_id !== null) topics.push({ type: 'commitment', id: row.commitment_id });
  topics.push({ type: 'consultation', id: row.id });
  return topics;
}

/**
 * Publishes a draft: from now on it is on the public pages (announced, open or closed by its
 * dates), in search, recent changes and the transparency log, and its subscribers hear of it.
 * Publishing a published consultation again changes nothing.
 */
export async function publishConsultation(db: Db, actor: Actor, input: { consultationId: number }): Promise<{ id: number; slug: string; published: boolean }> {
  return runCommand(db, actor, async (trx, audit) => {
    const stored = await loadRow(trx, input.consultationId);
    authorize(actor, (user) => canManageConsultations(user, stored.jurisdiction_id));
    if (stored.published_at !== null) return { id: stored.id, slug: stored.slug, published: false };
    const now = new Date().toISOString();
    await pdb(trx).updateTable('consultations').set({ published_at: now, updated_at: now }).where('id', '=', stored.id).execute();
    const documents = await pdb(trx).selectFrom('consultation_documents').select(['title', 'url', 'locale']).where('consultation_id', '=', stored.id).orderBy('position').orderBy('id').execute();
    await audit.publish('consultation.published', 'consultation', stored.id, {
      ...publicChanges(undefined, {
        ...consultationFacts(stored),
        outcome: stored.outcome,
        documents: documents.map((d) => ({ title: parseTranslatable(d.title), url: d.url, locale: d.locale })),
      }),
    });
    await notifySubscribers(trx, {
      jurisdictionId: stored.jurisdiction_id,
      topics: topicsOf(stored),
      kind: 'consultation',
      title: parseTranslatable(stored.title),
      path: `/${await jurisdictionSlug(trx, stored.jurisdiction_id)}/consultations/${encodeURIComponent(stored.slug)}`,
      isDemo: Number(stored.is_demo) === 1,
    });
    await refreshSearchDocuments(trx, stored.jurisdiction_id);
    return { id: stored.id, slug: stored.slug, published: true };
  });
}

async function jurisdictionSlug(db: Executor, id: number): Promise<string> {
  const row = await db.selectFrom('jurisdictions').select('slug').where('id', '=', id).executeTakeFirstOrThrow();
  return row.slug;
}

export interface DocumentInput {
  consultationId: number;
  formErrors?: FormErrors | undefined;
  /** The content language of `title`. */
  locale: Locale;
  title: string;
  url: string;
  /** The document's own language, when it is in one only; '' or null: several or unknown. */
  documentLocale: string | null;
}

const DOCUMENT_LOCALES = ['sq', 'sr-Latn', 'sr-Cyrl', 'en', 'fr'];

/** Only http(s) addresses: a `javascript:` or `data:` link never reaches a page. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !!url.hostname;
  } catch {
    return false;
  }
}

/** Adds a document (a title and a web address) to a consultation. */
export async function addConsultationDocument(db: Db, actor: Actor, input: DocumentInput): Promise<{ id: number }> {
  return runCommand(db, actor, async (trx, audit) => {
    const stored = await loadRow(trx, input.consultationId);
    authorize(actor, (user) => canManageConsultations(user, stored.jurisdiction_id));
    const errors = new FormErrors();
    addFormErrors(errors, input.formErrors);
    const title = input.title.trim();
    const url = input.url.trim();
    if (!title) errors.add('document_title', 'form.error.required');
    else checkText(errors, 'document_title', title, DOCUMENT_TITLE_MAX);
    if (!url) errors.add('document_url', 'form.error.required');
    else if (hasUnstorable(url) || url.length > URL_MAX || !isWebUrl(url)) errors.add('document_url', 'form.error.url');
    const documentLocale = input.documentLocale ? input.documentLocale : null;
    if (documentLocale !== null && !DOCUMENT_LOCALES.includes(documentLocale)) errors.add('document_locale', 'form.error.choice');
    if (errors.any) throw new ConsultationInputError(errors);
    const last = await pdb(trx).selectFrom('consultation_documents').select((eb) => eb.fn.max('position').as('max')).where('consultation_id', '=', stored.id).executeTakeFirst();
    const titleJson = setLocaleText('{}', input.locale, title);
    const row = await pdb(trx)
      .insertInto('consultation_documents')
      .values({ consultation_id: stored.id, title: titleJson, url, locale: documentLocale, position: Number(last?.max ?? -1) + 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await pdb(trx).updateTable('consultations').set({ updated_at: new Date().toISOString() }).where('id', '=', stored.id).execute();
    await log(audit, stored.published_at !== null, 'consultation.document_added', stored.id, { document_id: row.id, title: parseTranslatable(titleJson), url, locale: documentLocale });
    if (stored.published_at !== null) await refreshSearchDocuments(trx, stored.jurisdiction_id);
    return { id: row.id };
  });
}

/** Removes a document from a consultation. */
export async function removeConsultationDocument(db: Db, actor: Actor, input: { consultationId: number; documentId: number }): Promise<void> {
  return runCommand(db, actor, async (trx, audit) => {
    const stored = await loadRow(trx, input.consultationId);
    authorize(actor, (user) => canManageConsultations(user, stored.jurisdiction_id));
    const doc = await pdb(trx).selectFrom('consultation_documents').select(['id', 'url']).where('id', '=', input.documentId).where('consultation_id', '=', stored.id).executeTakeFirst();
    if (!doc) throw new NotFoundError();
    await pdb(trx).deleteFrom('consultation_documents').where('id', '=', doc.id).execute();
    await pdb(trx).updateTable('consultations').set({ updated_at: new Date().toISOString() }).where('id', '=', stored.id).execute();
    await log(audit, stored.published_at !== null, 'consultation.document_removed', stored.id, { document_id: doc.id, url: doc.url });
    if (stored.published_at !== null) await refreshSearchDocuments(trx, stored.jurisdiction_id);
  });
}

/** Records what came of a consultation (per locale): shown on its page, published once the consultation is. */
export async function recordConsultationOutcome(db: Db, actor: Actor, input: { consultationId: number; locale: Locale; outcome: string; formErrors?: FormErrors | undefined }): Promise<void> {
  return runCommand(db, actor, async (trx, audit) => {
    const stored = await loadRow(trx, input.consultationId);
    authorize(actor, (user) => canManageConsultations(user, stored.jurisdiction_id));
    const errors = new FormErrors();
    addFormErrors(errors, input.formErrors);
    checkText(errors, 'outcome', input.outcome, OUTCOME_MAX);
    if (errors.any) throw new ConsultationInputError(errors);
    const outcome = setLocaleText(stored.outcome, input.locale, input.outcome.trim());
    const changes = publicChanges({ outcome: stored.outcome }, { outcome });
    if (changes.changed.length === 0) return;
    await pdb(trx).updateTable('consultations').set({ outcome, updated_at: new Date().toISOString() }).where('id', '=', stored.id).execute();
    await log(audit, stored.published_at !== null, 'consultation.outcome_recorded', stored.id, { locale: input.locale, ...changes });
    if (stored.published_at !== null) await refreshSearchDocuments(trx, stored.jurisdiction_id);
  });
}

/** Sets a jurisdiction's minimum notice period (days); shorter consultations are flagged to the coordinator. */
export async function setMinimumNotice(db: Db, actor: Actor, input: { jurisdictionId: number; days: number; formErrors?: FormErrors | undefined }): Promise<void> {
  return runCommand(db, actor, async (trx, audit) => {
    authorize(actor, (user) => canManageConsultations(user, input.jurisdictionId));
    const jurisdiction = await trx.selectFrom('jurisdictions').select('id').where('id', '=', input.jurisdictionId).executeTakeFirst();
    if (!jurisdiction) throw new NotFoundError();
    const errors = new FormErrors();
    addFormErrors(errors, input.formErrors);
    checkCount(errors, 'min_notice_days', input.days, NOTICE_MIN, NOTICE_MAX);
    if (errors.any) throw new ConsultationInputError(errors);
    const now = new Date().toISOString();
    const existing = await pdb(trx).selectFrom('consultation_settings').select('min_notice_days').where('jurisdiction_id', '=', input.jurisdictionId).executeTakeFirst();
    const before = existing ? Number(existing.min_notice_days) : DEFAULT_MIN_NOTICE_DAYS;
    if (existing) await pdb(trx).updateTable('consultation_settings').set({ min_notice_days: input.days, updated_at: now }).where('jurisdiction_id', '=', input.jurisdictionId).execute();
    else await pdb(trx).insertInto('consultation_settings').values({ jurisdiction_id: input.jurisdictionId, min_notice_days: input.days, updated_at: now }).execute();
    if (before !== input.days) await audit.record('consultation_settings.updated', 'jurisdiction', input.jurisdictionId, { min_notice_days: input.days });
  });
}
