import type { Executor } from '../../db/database.js';
import { translate } from '../../i18n/index.js';
import { DEFAULT_LOCALE, isLocale } from '../../i18n/locales.js';
import { pickText } from '../../lib/translatable.js';
import { composeMail, enqueueMail, InvalidMailError, recipientLocale } from '../mail/send.js';
import { findConsultationById } from './consultation-queries.js';

/**
 * Tells the jurisdiction's moderators (by e-mail, through the outbox, in each one's language) that
 * a contribution waits for them: `new` (pre-moderation) or `flagged` (hidden after reaching the
 * consultation's flag threshold). Moderators are the people with the role `moderator` on the
 * jurisdiction (or on every jurisdiction); where there is none, its administrators. The message
 * names the consultation and links to the queue: nothing of the contributor (neither name nor
 * address), which the queue shows to those allowed to see it. One message per person and
 * consultation within BATCH_MINUTES: later ones in that time are left to the queue.
 */
/** A moderator hears of one consultation at most once in this many minutes. */
export const BATCH_MINUTES = 60;

export async function tellModerators(
  trx: Executor,
  what: { jurisdictionId: number; consultationId: number; contributionId: number; reason: 'new' | 'flagged' },
  publicUrl: string,
): Promise<void> {
  const consultation = await findConsultationById(trx, what.consultationId);
  if (!consultation) return;
  const peopleWith = (role: string, instanceWide: boolean) =>
    trx
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .select(['users.id', 'users.email', 'users.locale'])
      .where('user_roles.role', '=', role)
      .where('users.disabled_at', 'is', null)
      .where((eb) => (instanceWide ? eb('user_roles.jurisdiction_id', 'is', null) : eb('user_roles.jurisdiction_id', '=', what.jurisdictionId)))
      .orderBy('users.id')
      .execute();
  let people = [...(await peopleWith('moderator', false)), ...(await peopleWith('moderator', true))];
  if (!people.length) people = await peopleWith('administrator', false);
  if (!people.length) people = await peopleWith('administrator', true);
  const seen = new Set<number>();
  const base = publicUrl.replace(/\/+$/, '');
  for (const person of people) {
    if (seen.has(person.id)) continue;
    seen.add(person.id);
    const lang = recipientLocale(person.locale, DEFAULT_LOCALE);
    const values = {
      consultation: pickText(consultation.title, lang) || consultation.slug,
      link: `${base}/${lang}/admin/moderation#contribution-${what.contributionId}`,
    };
    const subject = translate(lang, 'moderation.mail.waiting.subject', values);
    // At most one message an hour per person and consultation: a burst of contributions under
    // pre-moderation (or of flags) is one message, and the queue shows them all.
    const recent = await trx
      .selectFrom('mail_outbox')
      .select('id')
      .where('to_address', '=', person.email)
      .where('subject', '=', subject)
      .where('created_at', '>', new Date(Date.now() - BATCH_MINUTES * 60_000).toISOString())
      .executeTakeFirst();
    if (recent) continue;
    try {
      await enqueueMail(
        trx,
        composeMail(person.email, lang, {
          subject,
          text: `${translate(lang, what.reason === 'flagged' ? 'moderation.mail.flagged.text' : 'moderation.mail.waiting.text', values)}\n\n${translate(lang, 'moderation.mail.batch')}`,
        }),
      );
    } catch (error) {
      if (!(error instanceof InvalidMailError)) throw error;
    }
  }
}

/** The language a contributor is written to in: the one they wrote in. */
export function contributorLocale(stored: string) {
  return isLocale(stored) ? stored : DEFAULT_LOCALE;
}
