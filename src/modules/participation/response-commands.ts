import type { Db, Executor } from '../../db/database.js';
import { dayIn, translate, type MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { FormErrors, hasUnstorable } from '../../lib/forms.js';
import { parseTranslatable, pickText, setLocaleText } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { authorize, runCommand, type Actor, type AuditRecorder } from '../audit/index.js';
import { composeMail, enqueueMail, InvalidMailError } from '../mail/send.js';
import { refreshSearchDocuments } from '../search/index.js';
import { notifySubscribers, type Topic } from '../subscriptions/notify.js';
import { publicChanges } from '../transparency/index.js';
import { consultationPath, findConsultationById, type ConsultationView } from './consultation-queries.js';
import { contributorLocale } from './moderation-notify.js';
import { canRespondToContributions } from './moderation-policy.js';
import { answerable, countAnswered, findResponseRow, isOutcome, listResponseRows, publishBlock, type PublishBlock, type ResponseRow } from './response-queries.js';
import { erasureLink } from './privacy.js';
import { pdb } from './tables.js';

/**
 * The reasoned responses, each change through runCommand, checked against the actor's roles
 * (canRespondToContributions: the jurisdiction's administrators and coordinators):
 *
 * - saveContributionResponse: the outcome, the reasons in one content language (the others kept),
 *   optionally the commitment or milestone of the jurisdiction it shaped. While the response table
 *   is not published a response is a draft (audit.record); afterwards each change is published.
 * - publishResponseTable: refused (ResponseTableNotReadyError) while the consultation is not closed
 *   (announced or open in the jurisdiction's day: contributions may still come) or a contribution
 *   waits for a moderator, and (ResponsesIncompleteError) until every answerable contribution
 *   (published, or hidden after it was published) has an outcome;
 *   then sets responded_at (status "responded"), publishes each response in the transparency log
 *   (outcome, reasons, the commitment or milestone: never the contributor's name, address or text),
 *   tells the subscribers of the consultation, its jurisdiction, plan and commitment, and writes to
 *   every contributor whose address is kept, in the language they wrote in, what became of their
 *   contribution (with the erasure link).
 */

export const REASONS_MAX = 10_000;

export class ResponseInputError extends Error {
  constructor(readonly errors: FormErrors) {
    super(`Invalid input: ${errors.list.map((e) => `${e.field} (${e.message})`).join(', ')}`);
  }
}

/** The response table cannot be published yet: some contributions have no outcome. */
export class ResponsesIncompleteError extends Error {
  constructor(
    readonly answered: number,
    readonly total: number,
  ) {
    super(`${total - answered} contributions have no response`);
  }
}

/** The response table cannot be published yet: the consultation is not closed, or contributions wait for a moderator. */
export class ResponseTableNotReadyError extends Error {
  constructor(readonly block: Exclude<PublishBlock, { reason: 'incomplete' } | { reason: 'draft' }>) {
    super(block.reason === 'pending' ? `${block.pending} contributions wait for a moderator` : `The consultation is ${block.status}, not closed`);
  }
}

export interface ResponseInput {
  consultationId: number;
  contributionId: number;
  formErrors?: FormErrors | undefined;
  outcome: string;
  /** The content language of `reasons`. */
  locale: Locale;
  reasons: string;
  /** '' (none), `c:{commitment id}` or `m:{milestone id}`. */
  shaped: string;
}

async function loadConsultation(db: Executor, actor: Actor, consultationId: number): Promise<ConsultationView> {
  const consultation = await findConsultationById(db, consultationId);
  if (!consultation) throw new NotFoundError();
  authorize(actor, (user) => canRespondToContributions(user, consultation.jurisdictionId));
  return consultation;
}

/** The commitment (and milestone) named by `c:{id}` / `m:{id}`, if it belongs to the jurisdiction. */
async function resolveShaped(db: Executor, jurisdictionId: number, value: string): Promise<{ commitmentId: number | null; milestoneId: number | null } | undefined> {
  if (value === '') return { commitmentId: null, milestoneId: null };
  const match = /^([cm]):(\d{1,9})$/.exec(value);
  if (!match) return undefined;
  const id = Number(match[2]);
  if (match[1] === 'c') {
    const row = await pdb(db)
      .selectFrom('commitments as cm')
      .innerJoin('action_plans as p', 'p.id', 'cm.action_plan_id')
      .select('cm.id')
      .where('cm.id', '=', id)
      .where('p.jurisdiction_id', '=', jurisdictionId)
      .executeTakeFirst();
    return row ? { commitmentId: row.id, milestoneId: null } : undefined;
  }
  const row = await pdb(db)
    .selectFrom('milestones as m')
    .innerJoin('commitments as cm', 'cm.id', 'm.commitment_id')
    .innerJoin('action_plans as p', 'p.id', 'cm.action_plan_id')
    .select(['m.id', 'm.commitment_id'])
    .where('m.id', '=', id)
    .where('p.jurisdiction_id', '=', jurisdictionId)
    .executeTakeFirst();
  return row ? { commitmentId: row.commitment_id, milestoneId: row.id } : undefined;
}

/** What the transparency log holds of a response: public facts only. */
function responseFacts(consultation: ConsultationView, row: ResponseRow) {
  return {
    consultation: consultation.slug,
    kind: row.kind,
    outcome: row.response?.outcome ?? null,
    reasons: row.response?.reasons ?? {},
    shaped: row.response?.shaped?.code ?? null,
    link: row.response?.shaped?.path ?? null,
  };
}

async function publishResponse(audit: AuditRecorder, consultation: ConsultationView, row: ResponseRow, before: ResponseRow | undefined): Promise<void> {
  const action = before?.response ? 'contribution_response.updated' : 'contribution_response.published';
  await audit.publish(action, 'contribution_response', row.contributionId, publicChanges(before?.response ? responseFacts(consultation, before) : undefined, responseFacts(consultation, row)));
}

const OUTCOME_KEYS: Record<string, MessageKey> = {
  accepted: 'responses.outcome.accepted',
  partly_accepted: 'responses.outcome.partly_accepted',
  not_accepted: 'responses.outcome.not_accepted',
  out_of_scope: 'responses.outcome.out_of_scope',
};

/** Tells a contributor (whose address is kept) what became of their contribution. */
async function tellContributor(trx: Executor, consultation: ConsultationView, row: ResponseRow, c: { email: string | null; locale: string } | undefined, publicUrl: string): Promise<void> {
  if (!c?.email || !row.response) return;
  const lang = contributorLocale(c.locale);
  const base = publicUrl.replace(/\/+$/, '');
  const values = {
    consultation: pickText(consultation.title, lang) || consultation.slug,
    outcome: translate(lang, OUTCOME_KEYS[row.response.outcome]!),
    reasons: pickText(row.response.reasons, lang),
    shaped: row.response.shaped ? `${row.response.shaped.code}: ${base}/${lang}${row.response.shaped.path}` : '',
    link: `${base}${consultationPath(lang, consultation.jurisdictionSlug, consultation.slug)}#responses`,
    erasure: await erasureLink(trx, c.email, publicUrl, lang),
  };
  try {
    await enqueueMail(
      trx,
      composeMail(c.email, lang, {
        subject: translate(lang, 'responses.mail.subject', values),
        text: translate(lang, row.response.shaped ? 'responses.mail.textShaped' : 'responses.mail.text', values),
      }),
    );
  } catch (error) {
    if (!(error instanceof InvalidMailError)) throw error;
  }
}

/** Saves (creates or changes) the response to one contribution. */
export async function saveContributionResponse(db: Db, actor: Actor, input: ResponseInput, publicUrl: string): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const consultation = await loadConsultation(trx, actor, input.consultationId);
    const before = await findResponseRow(trx, consultation.id, input.contributionId);
    if (!before) throw new NotFoundError();
    const errors = new FormErrors();
    for (const e of input.formErrors?.list ?? []) errors.add(e.field, e.message, e.values);
    if (!isOutcome(input.outcome)) errors.add('outcome', 'responses.error.outcome');
    const reasons = input.reasons.trim();
    if (hasUnstorable(input.reasons)) errors.add('reasons', 'form.error.character');
    else if (!reasons) errors.add('reasons', 'responses.error.reasonsRequired');
    else if (reasons.length > REASONS_MAX) errors.add('reasons', 'form.error.tooLong', { max: REASONS_MAX });
    const shaped = await resolveShaped(trx, consultation.jurisdictionId, input.shaped.trim());
    if (!shaped) errors.add('shaped', 'responses.error.shaped');
    if (errors.any) throw new ResponseInputError(errors);
    const now = new Date().toISOString();
    const stored = await pdb(trx).selectFrom('contribution_responses').select('reasons').where('contribution_id', '=', input.contributionId).executeTakeFirst();
    const reasonsJson = setLocaleText(stored?.reasons ?? '{}', input.locale, reasons);
    const values = { outcome: input.outcome, reasons: reasonsJson, commitment_id: shaped!.commitmentId, milestone_id: shaped!.milestoneId, updated_at: now };
    if (stored) {
      await pdb(trx).updateTable('contribution_responses').set(values).where('contribution_id', '=', input.contributionId).execute();
    } else {
      await pdb(trx)
        .insertInto('contribution_responses')
        .values({ contribution_id: input.contributionId, ...values, responded_by: actor.userId, created_at: now })
        // Two people answering the same contribution at once: the later one's answer stands.
        .onConflict((oc) => oc.column('contribution_id').doUpdateSet(values))
        .execute();
    }
    const after = (await findResponseRow(trx, consultation.id, input.contributionId))!;
    if (consultation.respondedAt) {
      // The table is public: the change is published, the search documents follow, and a contribution answered
      // only now (published after the table was) is told to its author.
      await publishResponse(audit, consultation, after, before);
      if (!before.response) {
        const c = await pdb(trx).selectFrom('contributions').select(['email', 'locale']).where('id', '=', input.contributionId).executeTakeFirst();
        await tellContributor(trx, consultation, after, c, publicUrl);
      }
      await refreshSearchDocuments(trx, consultation.jurisdictionId);
    } else {
      await audit.record('contribution_response.saved', 'contribution_response', input.contributionId, { consultation_id: consultation.id, outcome: input.outcome, locale: input.locale });
    }
  });
}

/** Publishes the consultation's response table once it is closed, nothing waits for a moderator and every contribution has an outcome. */
export async function publishResponseTable(db: Db, actor: Actor, input: { consultationId: number }, publicUrl: string): Promise<{ answered: number; total: number }> {
  return runCommand(db, actor, async (trx, audit) => {
    const consultation = await loadConsultation(trx, actor, input.consultationId);
    let counts = await countAnswered(trx, consultation.id);
    if (consultation.respondedAt) return counts;
    if (!consultation.publishedAt) throw new NotFoundError();
    const now = new Date().toISOString();
    // Conditional, and first: of two coordinators publishing at once, one publishes; the other finds it done.
    // Claiming the row before counting also waits for a confirmation under way (confirmContribution locks
    // the same row), so what is counted below includes it; a refusal below rolls the claim back.
    const claimed = await pdb(trx).updateTable('consultations').set({ responded_at: now, updated_at: now }).where('id', '=', consultation.id).where('responded_at', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return counts;
    const block = await publishBlock(trx, consultation, dayIn(now, consultation.timeZone));
    if (block?.reason === 'incomplete') throw new ResponsesIncompleteError(block.answered, block.total);
    if (block && block.reason !== 'draft') throw new ResponseTableNotReadyError(block);
    counts = await countAnswered(trx, consultation.id);
    const rows = await listResponseRows(trx, consultation.id);
    for (const row of rows) await publishResponse(audit, consultation, row, undefined);
    await audit.publish('consultation.responded', 'consultation', consultation.id, publicChanges(undefined, { responded_at: now, answered: counts.answered, total: counts.total }));
    const topics: Topic[] = [
      { type: 'consultation', id: consultation.id },
      { type: 'jurisdiction', id: consultation.jurisdictionId },
    ];
    if (consultation.planId !== null) topics.push({ type: 'plan', id: consultation.planId });
    if (consultation.commitmentId !== null) topics.push({ type: 'commitment', id: consultation.commitmentId });
    await notifySubscribers(trx, {
      jurisdictionId: consultation.jurisdictionId,
      topics,
      kind: 'response',
      title: consultation.title,
      path: `/${consultation.jurisdictionSlug}/consultations/${consultation.slug}`,
      isDemo: consultation.isDemo,
    });
    const addresses = new Map(
      (await pdb(trx).selectFrom('contributions').select(['id', 'email', 'locale']).where('consultation_id', '=', consultation.id).where(answerable('contributions')).where('email', 'is not', null).execute()).map(
        (c) => [c.id, c] as const,
      ),
    );
    for (const row of rows) await tellContributor(trx, consultation, row, addresses.get(row.contributionId), publicUrl);
    await refreshSearchDocuments(trx, consultation.jurisdictionId);
    return counts;
  });
}

/** The reasons of a stored response in one locale (the form's value), '' if none. */
export function reasonsIn(json: string | null | undefined, locale: Locale): string {
  return parseTranslatable(json)[locale] ?? '';
}

