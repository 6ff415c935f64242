import type { Db } from '../../db/database.js';
import { translate } from '../../i18n/index.js';
import { FormErrors, hasUnstorable } from '../../lib/forms.js';
import { pickText } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { authorize, runCommand, type Actor } from '../audit/index.js';
import { composeMail, enqueueMail, InvalidMailError } from '../mail/send.js';
import { refreshSearchDocuments } from '../search/index.js';
import { consultationPath, findConsultationById } from './consultation-queries.js';
import { contributorLocale } from './moderation-notify.js';
import { canModerateContributions } from './moderation-policy.js';
import { findModeratedContribution } from './moderation-queries.js';
import { erasureLink } from './privacy.js';
import { pdb } from './tables.js';

/**
 * The moderator's decisions, each through runCommand: approve a pending contribution or restore a
 * hidden one (→ published, its open flags resolved), or hide one with a reason (→ hidden; the author
 * is told by e-mail, in the language they wrote in, with the reason, the consultation's link and the
 * erasure link). Recorded in the audit trail (audit.record, not the public log): ids and statuses
 * only, never a name, an address or the reason's text. The jurisdiction's search documents are
 * rebuilt and the content version bumped (runCommand), so no cached page shows the old state.
 */

export const HIDE_REASON_MAX = 2000;

/** The input was refused; `errors` are keyed by form field name and carry message keys. */
export class ModerationInputError extends Error {
  constructor(readonly errors: FormErrors) {
    super(`Invalid input: ${errors.list.map((e) => `${e.field} (${e.message})`).join(', ')}`);
  }
}

async function load(db: Parameters<typeof findModeratedContribution>[0], actor: Actor, contributionId: number) {
  const c = await findModeratedContribution(db, contributionId);
  if (!c || c.status === 'unconfirmed') throw new NotFoundError();
  authorize(actor, (user) => canModerateContributions(user, c.jurisdiction_id));
  return c;
}

/** Approves a pending contribution or restores a hidden one: published, flags resolved. Returns the status it had. */
export async function approveContribution(db: Db, actor: Actor, input: { contributionId: number }): Promise<{ from: string }> {
  return runCommand(db, actor, async (trx, audit) => {
    const c = await load(trx, actor, input.contributionId);
    if (c.status === 'published') return { from: c.status };
    const now = new Date().toISOString();
    await pdb(trx)
      .updateTable('contributions')
      .set((eb) => ({ status: 'published', published_at: eb.fn.coalesce('published_at', eb.val(now)), hidden_at: null, hidden_reason: null, flag_count: 0, updated_at: now }))
      .where('id', '=', c.id)
      .execute();
    await pdb(trx).updateTable('contribution_flags').set({ resolved_at: now }).where('contribution_id', '=', c.id).where('resolved_at', 'is', null).execute();
    await audit.record(c.status === 'hidden' ? 'contribution.restored' : 'contribution.approved', 'contribution', c.id, { consultation_id: c.consultation_id, from: c.status });
    await refreshSearchDocuments(trx, c.jurisdiction_id);
    return { from: c.status };
  });
}

/** Hides a contribution with a reason (required); the author, while their address is kept, is told why. */
export async function hideContribution(db: Db, actor: Actor, input: { contributionId: number; reason: string; field?: string }, publicUrl: string): Promise<void> {
  const field = input.field ?? 'reason';
  await runCommand(db, actor, async (trx, audit) => {
    const c = await load(trx, actor, input.contributionId);
    const reason = input.reason.trim();
    const errors = new FormErrors();
    if (hasUnstorable(input.reason)) errors.add(field, 'form.error.character');
    else if (!reason) errors.add(field, 'moderation.error.reasonRequired');
    else if (reason.length > HIDE_REASON_MAX) errors.add(field, 'form.error.tooLong', { max: HIDE_REASON_MAX });
    if (errors.any) throw new ModerationInputError(errors);
    if (c.status === 'hidden') return;
    const now = new Date().toISOString();
    await pdb(trx).updateTable('contributions').set({ status: 'hidden', hidden_at: now, hidden_reason: reason, updated_at: now }).where('id', '=', c.id).execute();
    await pdb(trx).updateTable('contribution_flags').set({ resolved_at: now }).where('contribution_id', '=', c.id).where('resolved_at', 'is', null).execute();
    await audit.record('contribution.hidden', 'contribution', c.id, { consultation_id: c.consultation_id, from: c.status });
    if (c.email) {
      const consultation = await findConsultationById(trx, c.consultation_id);
      const lang = contributorLocale(c.locale);
      const base = publicUrl.replace(/\/+$/, '');
      const values = {
        consultation: consultation ? pickText(consultation.title, lang) || consultation.slug : '',
        reason,
        link: consultation ? `${base}${consultationPath(lang, consultation.jurisdictionSlug, consultation.slug)}` : base,
        erasure: await erasureLink(trx, c.email, publicUrl, lang),
      };
      try {
        await enqueueMail(trx, composeMail(c.email, lang, { subject: translate(lang, 'moderation.mail.hidden.subject', values), text: translate(lang, 'moderation.mail.hidden.text', values) }));
      } catch (error) {
        if (!(error instanceof InvalidMailError)) throw error;
      }
    }
    await refreshSearchDocuments(trx, c.jurisdiction_id);
  });
}
