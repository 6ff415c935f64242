import type { Db, Executor } from '../../db/database.js';
import { dayIn, translate } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { FormErrors } from '../../lib/forms.js';
import { OGP_LENSES, OGP_VALUES } from '../commitments/domain.js';
import { runCommand, SYSTEM, type Actor } from '../audit/index.js';
import { composeMail, enqueueMail, isMailAddress } from '../mail/send.js';
import { refreshSearchDocuments } from '../search/index.js';
import { consultationPath, consultationStatus, findConsultationById, type ConsultationView } from './consultation-queries.js';
import { admitContribution, admitFlag, clientHash, RateLimitedError } from './contribution-limits.js';
import { indexContribution } from './contribution-sources.js';
import { tellModerators } from './moderation-notify.js';
import { hashToken as hashOneTimeToken, newToken as newOneTimeToken } from '../../lib/tokens.js';
import { addressHash, CONFIRM_HOURS, erasureLinkForHash } from './privacy.js';
import { pdb } from './tables.js';

/**
 * Every change a member of the public makes: submitting a contribution (stored unconfirmed, a
 * confirmation link mailed), confirming it (published, or waiting for a moderator), flagging one.
 * The actor is the public (no account): audit events say "public" and hold ids and counts, never a
 * name, an address or an IP. Contributions are not published in the transparency log (what is
 * logged there is kept for ever, and a person may have theirs anonymised): the responses are.
 */

export const PUBLIC: Actor = { ...SYSTEM, role: 'public' };

export { CONFIRM_HOURS };
export const LIMITS_TEXT = { name: 120, email: 254, body: 5000, theme: 200, reason: 1000 } as const;
export const CONTRIBUTION_KINDS = ['comment', 'proposal'] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];
/** The OGP values a proposal may serve: the plan's own vocabulary (commitments/domain.ts). */
export const PROPOSAL_VALUES = [...OGP_VALUES, 'inclusion'] as const satisfies readonly (string | (typeof OGP_LENSES)[number])[];
/** Replies go at most this deep (0: a comment, 1: a reply, 2: a reply to a reply). */
export const MAX_DEPTH = 2;
export const FLAG_REASONS = ['spam', 'abusive', 'personal_data', 'off_topic', 'other'] as const;

export class ContributionInputError extends Error {
  constructor(readonly errors: FormErrors) {
    super('Invalid contribution');
  }
}

/** The consultation cannot take contributions now (announced, closed, responded, draft) or the reply is not allowed. */
export class ContributionClosedError extends Error {
  constructor() {
    super('The consultation does not take contributions now');
  }
}

export interface ContributionInput {
  consultationId: number;
  /** A reply's comment, or null. */
  parentId: number | null;
  kind: string;
  authorName: string;
  email: string;
  body: string;
  theme: string;
  ogpValue: string;
  consent: boolean;
  /** The page's language: the author is written to in it. */
  locale: Locale;
  /** Errors found while reading the form (characters that cannot be stored). */
  formErrors?: FormErrors;
}

export interface SubmitContext {
  publicUrl: string;
  /** The client's IP as Fastify reads it (trustProxy): hashed for the limits, never stored. */
  ip: string;
  now?: Date;
  /** The consultation, when the caller has just read it (saves reading it again). */
  consultation?: ConsultationView;
}

/** The published parent a reply may answer, or undefined (the reply cannot be made). */
export async function findReplyParent(db: Executor, consultationId: number, parentId: number): Promise<{ id: number; depth: number } | undefined> {
  const row = await pdb(db)
    .selectFrom('contributions')
    .select(['id', 'depth', 'kind'])
    .where('id', '=', parentId)
    .where('consultation_id', '=', consultationId)
    .where('status', '=', 'published')
    .executeTakeFirst();
  if (!row || row.kind !== 'comment' || row.depth >= MAX_DEPTH) return undefined;
  return { id: row.id, depth: row.depth };
}

/** Checks a submitted contribution's fields; adds every error to `errors`. */
export function checkContribution(input: ContributionInput, consultation: Pick<ConsultationView, 'allowsProposals'>, errors: FormErrors): void {
  const name = input.authorName.trim();
  if (!name) errors.add('author_name', 'form.error.required');
  else if (name.length > LIMITS_TEXT.name) errors.add('author_name', 'form.error.tooLong', { max: LIMITS_TEXT.name });
  const email = input.email.trim();
  if (!email) errors.add('email', 'form.error.required');
  else if (!isMailAddress(email)) errors.add('email', 'contribution.error.email');
  const body = input.body.trim();
  if (!body) errors.add('body', 'form.error.required');
  else if (body.length > LIMITS_TEXT.body) errors.add('body', 'contribution.error.bodyTooLong', { max: LIMITS_TEXT.body, length: body.length });
  if (input.kind === 'proposal') {
    if (!consultation.allowsProposals || input.parentId !== null) errors.add('kind', 'form.error.choice');
    const theme = input.theme.trim();
    if (!theme) errors.add('theme', 'form.error.required');
    else if (theme.length > LIMITS_TEXT.theme) errors.add('theme', 'form.error.tooLong', { max: LIMITS_TEXT.theme });
    if (input.ogpValue && !(PROPOSAL_VALUES as readonly string[]).includes(input.ogpValue)) errors.add('ogp_value', 'form.error.choice');
  } else if (input.kind !== 'comment') errors.add('kind', 'form.error.choice');
  if (!input.consent) errors.add('consent', 'contribution.error.consent');
}

export function isOpen(consultation: ConsultationView, now: Date): boolean {
  return consultationStatus(consultation, dayIn(now.toISOString(), consultation.timeZone)) === 'open';
}

/**
 * Stores a contribution as `unconfirmed` with its address, the address's erasure hash and the hash
 * of a one-time confirmation token (CONFIRM_HOURS), and queues the message with the confirmation
 * and erasure links, in the page's language. Refuses with ContributionInputError (the form's
 * errors), ContributionClosedError, or RateLimitedError (per IP, then per address).
 */
export async function submitContribution(db: Db, input: ContributionInput, context: SubmitContext): Promise<{ id: number }> {
  const now = context.now ?? new Date();
  const consultation = context.consultation?.id === input.consultationId ? context.consultation : await findConsultationById(db, input.consultationId);
  if (!consultation || !isOpen(consultation, now)) throw new ContributionClosedError();
  const errors = input.formErrors ?? new FormErrors();
  checkContribution(input, consultation, errors);
  if (errors.any) throw new ContributionInputError(errors);
  const email = input.email.trim();
  return runCommand(db, PUBLIC, async (trx, audit) => {
    let depth = 0;
    if (input.parentId !== null) {
      const parent = await findReplyParent(trx, consultation.id, input.parentId);
      if (!parent) throw new ContributionClosedError();
      depth = parent.depth + 1;
    }
    if (!(await admitContribution(trx, email, context.ip, now))) throw new RateLimitedError();
    const token = newOneTimeToken();
    const at = now.toISOString();
    const proposal = input.kind === 'proposal';
    const emailHash = await addressHash(trx, email);
    const row = await pdb(trx)
      .insertInto('contributions')
      .values({
        consultation_id: consultation.id,
        parent_id: input.parentId,
        depth,
        kind: proposal ? 'proposal' : 'comment',
        author_name: input.authorName.trim(),
        email,
        email_hash: emailHash,
        locale: input.locale,
        body: input.body.trim(),
        theme: proposal ? input.theme.trim() : null,
        ogp_value: proposal && input.ogpValue ? input.ogpValue : null,
        status: 'unconfirmed',
        confirm_token_hash: hashOneTimeToken(token),
        confirm_expires_at: new Date(now.getTime() + CONFIRM_HOURS * 3_600_000).toISOString(),
        confirmed_at: null,
        published_at: null,
        hidden_at: null,
        hidden_reason: null,
        flag_count: 0,
        anonymised_at: null,
        is_demo: consultation.isDemo ? 1 : 0,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit.record('contribution.submitted', 'contribution', row.id, { consultation_id: consultation.id, kind: proposal ? 'proposal' : 'comment', depth });
    // Unconfirmed: no public page shows it yet, so the cached pages stay.
    audit.nothingPublic();
    const t = (key: Parameters<typeof translate>[1], values?: Parameters<typeof translate>[2]) => translate(input.locale, key, values);
    const title = consultation.title[input.locale] ?? Object.values(consultation.title)[0] ?? '';
    const text = [
      t('contribution.mail.confirm.greeting', { name: input.authorName.trim() }),
      t('contribution.mail.confirm.body', { title }),
      `${context.publicUrl}/${input.locale}/contributions/confirm/${token}`,
      t('contribution.mail.confirm.expiry', { hours: CONFIRM_HOURS }),
      t('contribution.mail.confirm.notYou'),
      t('contribution.mail.erase', { link: await erasureLinkForHash(trx, emailHash, context.publicUrl, input.locale, now) }),
      t('contribution.mail.privacy', { link: `${context.publicUrl}/${input.locale}/privacy` }),
    ].join('\n\n');
    await enqueueMail(trx, composeMail(email, input.locale, { subject: t('contribution.mail.confirm.subject'), text }));
    return { id: row.id };
  });
}

export type ConfirmResult =
  | { state: 'published' | 'pending' | 'already'; contributionId: number; consultation: ConsultationView; status: string }
  /** `reason: 'responded'`: the consultation's response table is already published, so the contribution was not added. */
  | { state: 'invalid'; reason?: 'responded' };

/** Whether the consultation's response table is published (read inside the caller's transaction). */
async function isResponded(db: Executor, consultationId: number): Promise<boolean> {
  const row = await pdb(db).selectFrom('consultations').select('responded_at').where('id', '=', consultationId).executeTakeFirst();
  return !!row?.responded_at;
}

/** What a confirmation link stands for, without changing anything (the GET page). */
export async function findConfirmation(
  db: Executor,
  token: string,
  now = new Date(),
): Promise<{ state: 'ready' | 'already' | 'invalid'; contributionId?: number; consultationId?: number; reason?: 'responded' }> {
  if (!token || token.length > 100) return { state: 'invalid' };
  const row = await pdb(db)
    .selectFrom('contributions')
    .select(['id', 'consultation_id', 'status', 'confirmed_at', 'confirm_expires_at'])
    .where('confirm_token_hash', '=', hashOneTimeToken(token))
    .executeTakeFirst();
  if (!row) return { state: 'invalid' };
  if (row.confirmed_at) return { state: 'already', contributionId: row.id, consultationId: row.consultation_id };
  if (row.status !== 'unconfirmed' || !row.confirm_expires_at || row.confirm_expires_at <= now.toISOString()) return { state: 'invalid' };
  if (await isResponded(db, row.consultation_id)) return { state: 'invalid', reason: 'responded' };
  return { state: 'ready', contributionId: row.id, consultationId: row.consultation_id };
}

/**
 * Confirms a contribution by its one-time link, exactly once: one conditional update from
 * `unconfirmed` decides (a second click, or two at once, finds it confirmed and changes nothing).
 * Post-moderation publishes it (search documents refreshed); pre-moderation puts it before the
 * moderators, who are told. The link keeps working as "already confirmed" until it expires.
 * Refused (`invalid`, reason `responded`; nothing changes) once the consultation's response table
 * is published: the table answers what was there when it was published. A contribution sent while
 * the consultation was open and confirmed after it closed, before the table is published, is taken
 * as usual (and then needs its response before the table can be published).
 */
export async function confirmContribution(db: Db, token: string, publicUrl: string, now = new Date()): Promise<ConfirmResult> {
  const found = await findConfirmation(db, token, now);
  if (found.state === 'invalid' || found.contributionId === undefined) return found.reason ? { state: 'invalid', reason: found.reason } : { state: 'invalid' };
  const consultation = await findConsultationById(db, found.consultationId!);
  if (!consultation) return { state: 'invalid' };
  const id = found.contributionId;
  return runCommand(db, PUBLIC, async (trx, audit) => {
    // Checked again in the transaction, holding the consultation's row (publishResponseTable claims the same
    // row first): the table may have been published since the link was opened, and cannot be while this runs.
    const open = await pdb(trx)
      .updateTable('consultations')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', consultation.id)
      .where('responded_at', 'is', null)
      .executeTakeFirst();
    if (Number(open.numUpdatedRows) === 0) {
      const row = await pdb(trx).selectFrom('contributions').select(['status', 'confirmed_at']).where('id', '=', id).executeTakeFirst();
      if (!row?.confirmed_at) return { state: 'invalid', reason: 'responded' };
    }
    const next = consultation.moderation === 'pre' ? 'pending' : 'published';
    const at = now.toISOString();
    const result = await pdb(trx)
      .updateTable('contributions')
      .set({ status: next, confirmed_at: at, published_at: next === 'published' ? at : null, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'unconfirmed')
      .where('confirmed_at', 'is', null)
      .where('confirm_expires_at', '>', at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      const row = await pdb(trx).selectFrom('contributions').select(['status', 'confirmed_at']).where('id', '=', id).executeTakeFirst();
      return row?.confirmed_at ? { state: 'already', contributionId: id, consultation, status: row.status } : { state: 'invalid' };
    }
    await audit.record('contribution.confirmed', 'contribution', id, { consultation_id: consultation.id, status: next });
    if (next === 'published') await indexContribution(trx, id);
    else await tellModerators(trx, { jurisdictionId: consultation.jurisdictionId, consultationId: consultation.id, contributionId: id, reason: 'new' }, publicUrl);
    return { state: next, contributionId: id, consultation, status: next };
  });
}

export interface FlagInput {
  contributionId: number;
  consultationId: number;
  reason: string;
  /** More words, optional. */
  details: string;
  ip: string;
  formErrors?: FormErrors;
}

export type FlagResult = 'flagged' | 'already' | 'hidden';

/** A published contribution of this consultation that may be flagged, or undefined. */
export async function findFlaggable(db: Executor, consultationId: number, contributionId: number) {
  return pdb(db)
    .selectFrom('contributions')
    .select(['id', 'kind', 'author_name', 'anonymised_at', 'body', 'published_at', 'status', 'is_demo'])
    .where('id', '=', contributionId)
    .where('consultation_id', '=', consultationId)
    .where('status', 'in', ['published', 'pending'])
    .executeTakeFirst();
}

export function checkFlag(input: FlagInput, errors: FormErrors): void {
  if (!(FLAG_REASONS as readonly string[]).includes(input.reason)) errors.add('reason', input.reason ? 'form.error.choice' : 'form.error.required');
  if (input.details.trim().length > LIMITS_TEXT.reason) errors.add('details', 'form.error.tooLong', { max: LIMITS_TEXT.reason });
}

/**
 * Flags a contribution: one flag per client (reporter_hash: HMAC of the IP with today's key) and
 * contribution; rate limited per IP. The flag that reaches the consultation's threshold hides the
 * contribution (`pending`) until a moderator decides, and the moderators are told.
 */
export async function flagContribution(db: Db, input: FlagInput, publicUrl: string, now = new Date()): Promise<FlagResult> {
  const errors = input.formErrors ?? new FormErrors();
  checkFlag(input, errors);
  if (errors.any) throw new ContributionInputError(errors);
  const consultation = await findConsultationById(db, input.consultationId);
  if (!consultation || !consultation.publishedAt) throw new ContributionClosedError();
  return runCommand(db, PUBLIC, async (trx, audit) => {
    const target = await findFlaggable(trx, consultation.id, input.contributionId);
    if (!target) throw new ContributionClosedError();
    if (!(await admitFlag(trx, input.ip, now))) throw new RateLimitedError();
    const reporter = await clientHash(trx, 'reporter', input.ip, now);
    const reason = input.details.trim() ? `${input.reason}: ${input.details.trim()}` : input.reason;
    const inserted = await pdb(trx)
      .insertInto('contribution_flags')
      .values({ contribution_id: target.id, reason, reporter_hash: reporter, created_at: now.toISOString(), resolved_at: null })
      .onConflict((oc) => oc.columns(['contribution_id', 'reporter_hash']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      audit.nothingPublic();
      return 'already';
    }
    const updated = await pdb(trx)
      .updateTable('contributions')
      .set((eb) => ({ flag_count: eb('flag_count', '+', 1), updated_at: now.toISOString() }))
      .where('id', '=', target.id)
      .returning(['flag_count', 'status'])
      .executeTakeFirstOrThrow();
    await audit.record('contribution.flagged', 'contribution', target.id, { consultation_id: consultation.id, reason: input.reason, flags: updated.flag_count });
    if (updated.status === 'published' && updated.flag_count >= consultation.flagThreshold) {
      await pdb(trx).updateTable('contributions').set({ status: 'pending', updated_at: now.toISOString() }).where('id', '=', target.id).where('status', '=', 'published').execute();
      await audit.record('contribution.held', 'contribution', target.id, { consultation_id: consultation.id, flags: updated.flag_count });
      await refreshSearchDocuments(trx, consultation.jurisdictionId);
      await tellModerators(trx, { jurisdictionId: consultation.jurisdictionId, consultationId: consultation.id, contributionId: target.id, reason: 'flagged' }, publicUrl);
      return 'hidden';
    }
    // Below the threshold a flag changes nothing a public page shows.
    audit.nothingPublic();
    return 'flagged';
  });
}

/** The path of a consultation's contribution anchor (for links after confirming). */
export function contributionAnchor(locale: string, consultation: Pick<ConsultationView, 'jurisdictionSlug' | 'slug'>, id: number): string {
  return `${consultationPath(locale, consultation.jurisdictionSlug, consultation.slug)}#contribution-${id}`;
}
