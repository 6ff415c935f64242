import type { Db, Executor, Trx } from '../../db/database.js';
import { translate } from '../../i18n/index.js';
import { LOCALES, type Locale } from '../../i18n/locales.js';
import { FormErrors, isIsoDate } from '../../lib/forms.js';
import { parseTranslatable, pickText, serializeTranslatable, type Translatable } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { authorize, runCommand, type Actor, type AuditRecorder } from '../audit/index.js';
import { refreshSearchDocuments } from '../search/index.js';
import { notifySubscribers } from '../subscriptions/notify.js';
import { ASSESSMENTS, MAX_EVIDENCE_LINKS, RATING_NAMES, RATINGS, RESPONSES, type RatingName } from './domain.js';
import { canRespondToRecommendation, canWriteReviews } from './policy.js';
import { vdb } from './tables.js';

export const TEXT_MAX = 20_000;

/** The input was refused; `errors` are keyed by form field name and carry message keys. */
export class ReviewInputError extends Error {
  constructor(readonly errors: FormErrors) {
    super(`Invalid input: ${errors.list.map((e) => `${e.field} (${e.message})`).join(', ')}`);
  }
}

/** The change is not possible in the current state (a message key). */
export class ReviewWorkflowError extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

/** A cycle with its plan and jurisdiction. */
export async function cycleScope(db: Executor, cycleId: number) {
  return db
    .withTables<{ reporting_cycles: { id: number; action_plan_id: number; number: number; status: string } }>()
    .selectFrom('reporting_cycles')
    .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['reporting_cycles.id', 'reporting_cycles.number', 'action_plans.id as plan_id', 'action_plans.jurisdiction_id', 'jurisdictions.slug as jurisdiction_slug'])
    .where('reporting_cycles.id', '=', cycleId)
    .executeTakeFirst();
}

async function loadCycle(trx: Executor, cycleId: number) {
  const cycle = await cycleScope(trx, cycleId);
  if (!cycle) throw new NotFoundError();
  return cycle;
}

async function reportOf(trx: Executor, cycleId: number) {
  return vdb(trx).selectFrom('monitoring_reports').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst();
}

/** The review with its commitment's code and its cycle's scope. */
async function loadReview(trx: Executor, reviewId: number) {
  const review = await vdb(trx)
    .selectFrom('reviews')
    .innerJoin('commitments', 'commitments.id', 'reviews.commitment_id')
    .selectAll('reviews')
    .select(['commitments.code as commitment_code'])
    .where('reviews.id', '=', reviewId)
    .executeTakeFirst();
  if (!review) throw new NotFoundError();
  const cycle = await loadCycle(trx, review.cycle_id);
  return { review, cycle };
}

async function loadRecommendation(trx: Executor, recommendationId: number) {
  const rec = await vdb(trx).selectFrom('recommendations').selectAll().where('id', '=', recommendationId).executeTakeFirst();
  if (!rec) throw new NotFoundError();
  const { review, cycle } = await loadReview(trx, rec.review_id);
  return { rec, review, cycle };
}

function checkTranslatable(value: Translatable, field: string, errors: FormErrors, required: boolean): void {
  let any = false;
  for (const l of LOCALES) {
    const text = value[l]?.trim() ?? '';
    if (text) any = true;
    if (text.length > TEXT_MAX) errors.add(`${field}_${l}`, 'form.error.tooLong', { max: TEXT_MAX });
  }
  if (required && !any) errors.add(`${field}_${LOCALES[0]}`, 'reviews.error.oneLanguage');
}

function isHttps(link: string): boolean {
  try {
    return new URL(link).protocol === 'https:' && link.length <= 2000;
  } catch {
    return false;
  }
}

async function institutionSlug(trx: Executor, id: number | null): Promise<string | null> {
  if (id === null) return null;
  return (await trx.selectFrom('institutions').select('slug').where('id', '=', id).executeTakeFirst())?.slug ?? null;
}

// ---------------------------------------------------------------------------------------------
// Reviews

export interface ReviewInput {
  cycleId: number;
  commitmentId: number;
  assessment: string;
  ratings: Partial<Record<RatingName, string | null>>;
  findings: Translatable;
  links: string[];
}

export function checkReviewInput(input: ReviewInput): FormErrors {
  const errors = new FormErrors();
  if (!(ASSESSMENTS as readonly string[]).includes(input.assessment)) errors.add('assessment', input.assessment ? 'form.error.choice' : 'form.error.required');
  for (const name of RATING_NAMES) {
    const value = input.ratings[name];
    if (value && !(RATINGS[name] as readonly string[]).includes(value)) errors.add(name, 'form.error.choice');
  }
  checkTranslatable(input.findings, 'findings', errors, false);
  const links = cleanLinks(input.links);
  if (links.length > MAX_EVIDENCE_LINKS) errors.add('links', 'reviews.error.tooManyLinks', { max: MAX_EVIDENCE_LINKS });
  else if (links.some((l) => !isHttps(l))) errors.add('links', 'reviews.error.links');
  return errors;
}

function cleanLinks(links: string[]): string[] {
  return [...new Set(links.map((l) => l.trim()).filter(Boolean))];
}

function reviewSummary(review: { assessment: string; completion: string | null; verifiability: string | null; potential_for_results: string | null; did_it_open_government: string | null; early_results: string | null; findings: string }, code: string, cycleNumber: number) {
  return {
    commitment: code,
    cycle: cycleNumber,
    assessment: review.assessment,
    // What the body found, as published (the log keeps what was said, not only the ratings).
    findings: parseTranslatable(review.findings),
    verifiability: review.verifiability,
    potentialForResults: review.potential_for_results,
    completion: review.completion,
    didItOpenGovernment: review.did_it_open_government,
    earlyResults: review.early_results,
  };
}

/**
 * Writes the monitoring body's review of a commitment for a cycle (one per commitment and cycle):
 * a draft until the cycle's monitoring report is published; on a published report the change is
 * public at once (and in the transparency log).
 */
export async function saveReview(db: Db, actor: Actor, input: ReviewInput, options: { isDemo?: boolean } = {}): Promise<number> {
  return runCommand(db, actor, async (trx, audit) => {
    const cycle = await loadCycle(trx, input.cycleId);
    authorize(actor, (user) => canWriteReviews(user, cycle.jurisdiction_id));
    const commitment = await trx.selectFrom('commitments').select(['id', 'code']).where('id', '=', input.commitmentId).where('action_plan_id', '=', cycle.plan_id).executeTakeFirst();
    if (!commitment) throw new NotFoundError();
    const errors = checkReviewInput(input);
    if (errors.any) throw new ReviewInputError(errors);
    const report = await reportOf(trx, cycle.id);
    const published = report?.status === 'published';
    const now = new Date().toISOString();
    const values = {
      assessment: input.assessment,
      verifiability: input.ratings.verifiability || null,
      potential_for_results: input.ratings.potential_for_results || null,
      completion: input.ratings.completion || null,
      did_it_open_government: input.ratings.did_it_open_government || null,
      early_results: input.ratings.early_results || null,
      findings: serializeTranslatable(input.findings),
      evidence_links: JSON.stringify(cleanLinks(input.links)),
      updated_at: now,
    };
    const existing = await vdb(trx).selectFrom('reviews').select(['id', 'status', 'published_at']).where('cycle_id', '=', cycle.id).where('commitment_id', '=', commitment.id).executeTakeFirst();
    let id: number;
    if (existing) {
      id = existing.id;
      await vdb(trx)
        .updateTable('reviews')
        .set({ ...values, ...(published ? { status: 'published', published_at: existing.published_at ?? now } : {}) })
        .where('id', '=', id)
        .execute();
    } else {
      const row = await vdb(trx)
        .insertInto('reviews')
        .values({
          ...values,
          commitment_id: commitment.id,
          cycle_id: cycle.id,
          status: published ? 'published' : 'draft',
          published_at: published ? now : null,
          created_by: actor.userId,
          is_demo: options.isDemo ? 1 : 0,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    }
    if (published) {
      await audit.publish(existing ? 'review.updated' : 'review.published', 'review', id, reviewSummary(values, commitment.code, cycle.number));
      await refreshSearchDocuments(trx, cycle.jurisdiction_id);
    } else {
      await audit.record(existing ? 'review.updated' : 'review.created', 'review', id, { commitment: commitment.code, cycle: cycle.number });
    }
    return id;
  });
}

// ---------------------------------------------------------------------------------------------
// Recommendations

export interface RecommendationInput {
  reviewId: number;
  /** Absent: a new recommendation. */
  recommendationId?: number | undefined;
  text: Translatable;
  institutionId: number | null;
  dueOn: string;
}

export async function saveRecommendation(db: Db, actor: Actor, input: RecommendationInput): Promise<number> {
  return runCommand(db, actor, async (trx, audit) => {
    const { review, cycle } = await loadReview(trx, input.reviewId);
    authorize(actor, (user) => canWriteReviews(user, cycle.jurisdiction_id));
    const errors = new FormErrors();
    checkTranslatable(input.text, 'text', errors, true);
    if (input.institutionId !== null) {
      const inst = await trx.selectFrom('institutions').select('id').where('id', '=', input.institutionId).where('jurisdiction_id', '=', cycle.jurisdiction_id).executeTakeFirst();
      if (!inst) errors.add('institution', 'form.error.choice');
    }
    const dueOn = input.dueOn.trim();
    if (dueOn && !isIsoDate(dueOn)) errors.add('due_on', 'form.error.date');
    if (errors.any) throw new ReviewInputError(errors);
    const now = new Date().toISOString();
    const values = { text: serializeTranslatable(input.text), institution_id: input.institutionId, due_on: dueOn || null, updated_at: now };
    let id: number;
    let created = false;
    if (input.recommendationId !== undefined) {
      const rec = await vdb(trx).selectFrom('recommendations').select(['id', 'review_id']).where('id', '=', input.recommendationId).executeTakeFirst();
      if (!rec || rec.review_id !== review.id) throw new NotFoundError();
      id = rec.id;
      await vdb(trx).updateTable('recommendations').set(values).where('id', '=', id).execute();
    } else {
      const count = await vdb(trx).selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).where('review_id', '=', review.id).executeTakeFirstOrThrow();
      const row = await vdb(trx)
        .insertInto('recommendations')
        .values({ ...values, review_id: review.id, position: Number(count.n) + 1, response: null, response_reasons: '{}', responded_at: null, status: 'open', closed_at: null, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
      created = true;
    }
    // A recommendation is public with its review: on a published report, as soon as it is entered.
    if (review.status === 'published') {
      await audit.publish(created ? 'recommendation.published' : 'recommendation.updated', 'recommendation', id, {
        review: review.id,
        commitment: review.commitment_code,
        cycle: cycle.number,
        institution: await institutionSlug(trx, input.institutionId),
        dueOn: values.due_on,
        text: parseTranslatable(values.text),
      });
      await refreshSearchDocuments(trx, cycle.jurisdiction_id);
    } else {
      await audit.record(created ? 'recommendation.created' : 'recommendation.updated', 'recommendation', id, { review: review.id });
    }
    return id;
  });
}

async function publishOrRecord(audit: AuditRecorder, isPublic: boolean, action: string, id: number, summary: Record<string, unknown>): Promise<void> {
  if (isPublic) await audit.publish(action, 'recommendation', id, summary);
  else await audit.record(action, 'recommendation', id, summary);
}

/** The government's response: accepted, partially accepted or not accepted, with reasons. */
export async function respondToRecommendation(db: Db, actor: Actor, input: { recommendationId: number; response: string; reasons: Translatable }): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const { rec, review, cycle } = await loadRecommendation(trx, input.recommendationId);
    authorize(actor, (user) => canRespondToRecommendation(user, cycle.jurisdiction_id, rec.institution_id));
    // The government answers what the monitoring body has published (drafts are the body's own).
    if (review.status !== 'published') throw new ReviewWorkflowError('reviews.error.notPublished');
    const errors = new FormErrors();
    if (!(RESPONSES as readonly string[]).includes(input.response)) errors.add('response', input.response ? 'form.error.choice' : 'form.error.required');
    checkTranslatable(input.reasons, 'reasons', errors, input.response === 'not_accepted' || input.response === 'partially_accepted');
    if (errors.any) throw new ReviewInputError(errors);
    const now = new Date().toISOString();
    await vdb(trx)
      .updateTable('recommendations')
      .set({ response: input.response, response_reasons: serializeTranslatable(input.reasons), responded_at: now, updated_at: now })
      .where('id', '=', rec.id)
      .execute();
    await audit.publish('recommendation.responded', 'recommendation', rec.id, { response: input.response, reasons: input.reasons, commitment: review.commitment_code, cycle: cycle.number });
    await refreshSearchDocuments(trx, cycle.jurisdiction_id);
  });
}

/** A follow-up entry (a note and the recommendation's status after it): `closed` closes it, `open` reopens it. */
export async function addFollowUp(db: Db, actor: Actor, input: { recommendationId: number; note: Translatable; status: string }): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const { rec, review, cycle } = await loadRecommendation(trx, input.recommendationId);
    authorize(actor, (user) => canWriteReviews(user, cycle.jurisdiction_id));
    const errors = new FormErrors();
    if (input.status !== 'open' && input.status !== 'closed') errors.add('status', input.status ? 'form.error.choice' : 'form.error.required');
    checkTranslatable(input.note, 'note', errors, true);
    if (errors.any) throw new ReviewInputError(errors);
    const now = new Date().toISOString();
    await vdb(trx).insertInto('recommendation_follow_ups').values({ recommendation_id: rec.id, note: serializeTranslatable(input.note), status: input.status, created_at: now }).execute();
    await vdb(trx)
      .updateTable('recommendations')
      .set({ status: input.status, closed_at: input.status === 'closed' ? (rec.closed_at ?? now) : null, updated_at: now })
      .where('id', '=', rec.id)
      .execute();
    const action = input.status === 'closed' && rec.status !== 'closed' ? 'recommendation.closed' : input.status === 'open' && rec.status === 'closed' ? 'recommendation.reopened' : 'recommendation.followed_up';
    await publishOrRecord(audit, review.status === 'published', action, rec.id, { status: input.status, note: input.note, commitment: review.commitment_code, cycle: cycle.number });
    if (review.status === 'published') await refreshSearchDocuments(trx, cycle.jurisdiction_id);
  });
}

// ---------------------------------------------------------------------------------------------
// Monitoring report

async function monitoringBodyOf(trx: Trx, jurisdictionId: number): Promise<number | null> {
  const row = await trx
    .withTables<{ bodies: { id: number; jurisdiction_id: number; kind: string; position: number } }>()
    .selectFrom('bodies')
    .select('id')
    .where('jurisdiction_id', '=', jurisdictionId)
    .where('kind', '=', 'monitoring_body')
    .orderBy('position')
    .orderBy('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Publishes a cycle's reviews together as its monitoring report, with a summary per language:
 * every review of the cycle and its recommendations become public, each an entry in the log.
 */
export async function publishMonitoringReport(db: Db, actor: Actor, input: { cycleId: number; summary: Translatable }, options: { isDemo?: boolean } = {}): Promise<number> {
  return runCommand(db, actor, async (trx, audit) => {
    const cycle = await loadCycle(trx, input.cycleId);
    authorize(actor, (user) => canWriteReviews(user, cycle.jurisdiction_id));
    const errors = new FormErrors();
    checkTranslatable(input.summary, 'summary', errors, false);
    if (errors.any) throw new ReviewInputError(errors);
    const existing = await reportOf(trx, cycle.id);
    if (existing?.status === 'published') throw new ReviewWorkflowError('reviews.error.alreadyPublished');
    const reviews = await vdb(trx)
      .selectFrom('reviews')
      .innerJoin('commitments', 'commitments.id', 'reviews.commitment_id')
      .selectAll('reviews')
      .select('commitments.code as commitment_code')
      .where('reviews.cycle_id', '=', cycle.id)
      .orderBy('commitments.position')
      .orderBy('commitments.code')
      .execute();
    if (reviews.length === 0) throw new ReviewWorkflowError('reviews.error.noReviews');
    const now = new Date().toISOString();
    let id: number;
    const values = { summary: serializeTranslatable(input.summary), status: 'published', published_at: now, updated_at: now, body_id: await monitoringBodyOf(trx, cycle.jurisdiction_id) };
    if (existing) {
      id = existing.id;
      await vdb(trx).updateTable('monitoring_reports').set(values).where('id', '=', id).execute();
    } else {
      const row = await vdb(trx)
        .insertInto('monitoring_reports')
        .values({ ...values, cycle_id: cycle.id, is_demo: options.isDemo ? 1 : 0, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    }
    await audit.publish('monitoring_report.published', 'monitoring_report', id, { cycle: cycle.number, reviews: reviews.map((r) => r.commitment_code) });
    for (const r of reviews) {
      await vdb(trx).updateTable('reviews').set({ status: 'published', published_at: now }).where('id', '=', r.id).execute();
      await audit.publish('review.published', 'review', r.id, reviewSummary(r, r.commitment_code, cycle.number));
      const recs = await vdb(trx).selectFrom('recommendations').selectAll().where('review_id', '=', r.id).orderBy('position').orderBy('id').execute();
      for (const rec of recs) {
        await audit.publish('recommendation.published', 'recommendation', rec.id, {
          review: r.id,
          commitment: r.commitment_code,
          cycle: cycle.number,
          institution: await institutionSlug(trx, rec.institution_id),
          dueOn: rec.due_on,
          text: parseTranslatable(rec.text),
          response: rec.response,
          status: rec.status,
        });
      }
    }
    await refreshSearchDocuments(trx, cycle.jurisdiction_id);
    // Whoever follows the jurisdiction, the plan, a reviewed commitment or the monitoring body hears of it.
    const plan = await trx.selectFrom('action_plans').select(['slug', 'title', 'is_demo']).where('id', '=', cycle.plan_id).executeTakeFirstOrThrow();
    const planTitle = parseTranslatable(plan.title);
    const bodyId = values.body_id;
    await notifySubscribers(trx, {
      jurisdictionId: cycle.jurisdiction_id,
      topics: [
        { type: 'plan', id: cycle.plan_id },
        ...reviews.map((r) => ({ type: 'commitment' as const, id: r.commitment_id })),
        ...(bodyId !== null ? [{ type: 'body' as const, id: bodyId }] : []),
      ],
      kind: 'review',
      title: Object.fromEntries(
        (['sq', 'sr-Latn', 'en', 'fr'] as Locale[]).map((l) => [l, translate(l, 'subscriptions.notice.monitoringReport', { cycle: cycle.number, plan: pickText(planTitle, l) || plan.slug })]),
      ),
      path: `/${cycle.jurisdiction_slug}/plans/${plan.slug}/monitoring/${cycle.number}`,
      isDemo: options.isDemo === true || (existing?.is_demo ?? 0) === 1 || plan.is_demo === 1,
    });
    return id;
  });
}
