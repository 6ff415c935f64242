import { randomBytes } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import { translate } from '../../i18n/index.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
import { pickText } from '../../lib/translatable.js';
import { runCommand, type Actor } from '../audit/index.js';
import { composeMail, enqueueMail } from '../mail/send.js';
import { admit, currentKey as currentLimitKey, LIMITS } from '../participation/contribution-limits.js';
import { addressHash, CONFIRM_HOURS, erasureLink, normaliseAddress } from '../participation/privacy.js';
import { sdb } from './tables.js';
import { hashToken, newToken } from '../../lib/tokens.js';
import { currentManageKey, manageToken, subscriptionIdOfToken } from './tokens.js';
import { findTopic, topicParam, type TopicView } from './topics.js';
import type { Topic } from './notify.js';

/**
 * Every change a subscriber makes: subscribe (double opt-in), confirm, change frequency or language,
 * unsubscribe. Nobody signs in for these: the link's token is the authority, and the commands run
 * as SUBSCRIBER (a system actor with its own label, so audit events say who acted without naming
 * anyone). Audit events never hold the address.
 */
export const SUBSCRIBER: Actor = { userId: null, role: 'subscriber', roles: [], system: true };

export const FREQUENCIES = ['immediate', 'daily', 'weekly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export function isFrequency(value: unknown): value is Frequency {
  return typeof value === 'string' && (FREQUENCIES as readonly string[]).includes(value);
}

/** An unconfirmed subscription is deleted this long after its link expired (CONFIRM_HOURS, participation/privacy.ts). */
export const PRUNE_MARGIN_MS = 60 * 60_000;
/**
 * Subscribe requests per hour: per client IP (beyond it a 429 page) and per e-mail address (beyond
 * it the same answer as always, but no message, so the page never tells whether an address was
 * used). Counted by participation's limiter (contribution-limits.ts), the one rate limit of the
 * public's forms: in hourly buckets keyed by an HMAC with a key that changes every UTC day and is
 * then deleted, so neither the IP nor the address can be read back from them.
 */
export const SUBSCRIBE_LIMITS = { windowMinutes: LIMITS.windowMinutes, perClient: 20, perAddress: 5 } as const;

export interface SubscriberMailContext {
  publicUrl: string;
}

export function manageUrl(publicUrl: string, locale: string, token: string): string {
  return `${publicUrl}/${locale}/subscriptions/manage/${token}`;
}
export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/subscriptions/unsubscribe/${token}`;
}

/** The headers of every message to a subscriber: one-click unsubscribe (RFC 8058). */
export function unsubscribeHeaders(publicUrl: string, token: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${unsubscribeUrl(publicUrl, token)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

export function topicName(view: TopicView | undefined, locale: Locale): string {
  if (!view) return '';
  const title = pickText(view.title, locale);
  return view.code ? `${view.code} ${title}`.trim() : title;
}

export type SubscribeResult = 'sent' | 'throttled';

/**
 * Asks for a subscription: a confirmation link goes to the address (valid 48 hours). Asking again
 * for an unconfirmed subscription sends a fresh link (with the new choices); for a confirmed one, a
 * message with its manage link. The answer is the same in every case.
 */
export async function requestSubscription(
  db: Db,
  input: { topic: Topic; email: string; frequency: Frequency; locale: Locale; clientIp: string },
  mail: SubscriberMailContext,
  now = new Date(),
): Promise<SubscribeResult> {
  const email = input.email.trim();
  const view = await findTopic(db, input.topic);
  if (!view) throw new Error('requestSubscription: no such topic');
  const limitKey = await currentLimitKey(db, now);
  if (!(await admit(db, 'subscribe-ip', input.clientIp, SUBSCRIBE_LIMITS.perClient, now, limitKey))) return 'throttled';
  if (!(await admit(db, 'subscribe-address', normaliseAddress(email), SUBSCRIBE_LIMITS.perAddress, now, limitKey))) return 'sent';
  const emailHash = await addressHash(db, email);
  await runCommand(db, SUBSCRIBER, async (trx, audit) => {
    // No public page shows subscriptions: the cached pages stay.
    audit.nothingPublic();
    const nowIso = now.toISOString();
    const find = () =>
      sdb(trx)
        .selectFrom('subscriptions')
        .selectAll()
        .where('topic_type', '=', input.topic.type)
        .where('topic_id', '=', input.topic.id)
        .where('email_hash', '=', emailHash)
        .executeTakeFirst();
    let row = await find();
    if (row?.confirmed_at) {
      const key = await sdb(trx).selectFrom('subscription_keys').select('secret').where('id', '=', row.token_key_id).executeTakeFirstOrThrow();
      const token = manageToken(key.secret, row);
      const lang = isLocale(row.locale) ? row.locale : input.locale;
      const t = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate(lang, k, v);
      await enqueueMail(
        trx,
        composeMail(row.email, lang, {
          subject: t('subscriptions.mail.already.subject', { topic: topicName(view, lang) }),
          text: t('subscriptions.mail.already.body', {
            topic: topicName(view, lang),
            manage: manageUrl(mail.publicUrl, lang, token),
            erasure: await erasureLink(trx, row.email, mail.publicUrl, lang),
          }),
          headers: unsubscribeHeaders(mail.publicUrl, token),
        }),
      );
      await audit.record('subscription.requested_again', 'subscription', row.id, { topic: topicParam(input.topic) });
      return;
    }
    const confirm = newToken();
    const expires = new Date(now.getTime() + CONFIRM_HOURS * 3_600_000).toISOString();
    const fields = { email, locale: input.locale, frequency: input.frequency, confirm_token_hash: hashToken(confirm), confirm_expires_at: expires, updated_at: nowIso };
    if (row) {
      await sdb(trx).updateTable('subscriptions').set(fields).where('id', '=', row.id).where('confirmed_at', 'is', null).execute();
    } else {
      const key = await currentManageKey(trx, now);
      await sdb(trx)
        .insertInto('subscriptions')
        .values({
          ...fields,
          jurisdiction_id: view.jurisdictionId,
          topic_type: input.topic.type,
          topic_id: input.topic.id,
          email_hash: emailHash,
          token_key_id: key.id,
          token_nonce: randomBytes(16).toString('base64url'),
          confirmed_at: null,
          last_digest_at: null,
          created_at: nowIso,
        })
        .onConflict((oc) => oc.columns(['topic_type', 'topic_id', 'email_hash']).doNothing())
        .execute();
    }
    row = await find();
    // Confirmed meanwhile by another request's link: nothing more to send.
    if (!row || row.confirmed_at) return;
    // Made by a parallel request (the insert did nothing): this request's link is the one that works.
    if (row.confirm_token_hash !== fields.confirm_token_hash) {
      await sdb(trx).updateTable('subscriptions').set(fields).where('id', '=', row.id).where('confirmed_at', 'is', null).execute();
    }
    const lang = input.locale;
    await enqueueMail(
      trx,
      composeMail(email, lang, {
        subject: translate(lang, 'subscriptions.mail.confirm.subject', { topic: topicName(view, lang) }),
        text: translate(lang, 'subscriptions.mail.confirm.body', {
          topic: topicName(view, lang),
          link: `${mail.publicUrl}/${lang}/subscriptions/confirm/${confirm}`,
          hours: CONFIRM_HOURS,
          frequency: translate(lang, `subscriptions.frequency.${input.frequency}`),
          erasure: await erasureLink(trx, email, mail.publicUrl, lang),
        }),
      }),
    );
    await audit.record('subscription.requested', 'subscription', row.id, { topic: topicParam(input.topic), frequency: input.frequency, locale: input.locale });
  });
  return 'sent';
}

/** The subscription a confirmation link names while it works (for the page with the button). */
export async function findPendingConfirmation(db: Executor, token: string, now = new Date()): Promise<{ id: number; topic: Topic; frequency: Frequency; locale: string } | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const row = await sdb(db)
    .selectFrom('subscriptions')
    .select(['id', 'topic_type', 'topic_id', 'frequency', 'locale'])
    .where('confirm_token_hash', '=', hashToken(token))
    .where('confirmed_at', 'is', null)
    .where('confirm_expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, topic: { type: row.topic_type as Topic['type'], id: row.topic_id }, frequency: isFrequency(row.frequency) ? row.frequency : 'immediate', locale: row.locale };
}

/** Confirms a subscription from its link (a POST: link scanners only GET); returns its manage token, or undefined when the link does not work. */
export async function confirmSubscription(db: Db, token: string, now = new Date()): Promise<string | undefined> {
  const pending = await findPendingConfirmation(db, token, now);
  if (!pending) return undefined;
  return runCommand(db, SUBSCRIBER, async (trx, audit) => {
    // No public page shows subscriptions: the cached pages stay.
    audit.nothingPublic();
    const done = await sdb(trx)
      .updateTable('subscriptions')
      .set({ confirmed_at: now.toISOString(), confirm_token_hash: null, confirm_expires_at: null, updated_at: now.toISOString() })
      .where('id', '=', pending.id)
      .where('confirm_token_hash', '=', hashToken(token))
      .where('confirmed_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return undefined;
    await audit.record('subscription.confirmed', 'subscription', pending.id, { topic: topicParam(pending.topic) });
    return tokenOf(trx, pending.id);
  });
}

/** The manage token of a subscription (for a redirect after confirming). */
export async function tokenOf(db: Executor, id: number): Promise<string | undefined> {
  const row = await sdb(db)
    .selectFrom('subscriptions')
    .innerJoin('subscription_keys', 'subscription_keys.id', 'subscriptions.token_key_id')
    .select(['subscriptions.id', 'subscriptions.token_nonce', 'subscription_keys.secret'])
    .where('subscriptions.id', '=', id)
    .executeTakeFirst();
  return row ? manageToken(row.secret, row) : undefined;
}

export interface ManagedSubscription {
  id: number;
  topic: Topic;
  frequency: Frequency;
  locale: Locale;
  confirmed: boolean;
}

/** The subscription a manage token names (confirmed or not), or undefined. */
export async function findManagedSubscription(db: Executor, token: string): Promise<ManagedSubscription | undefined> {
  const id = await subscriptionIdOfToken(db, token);
  if (id === undefined) return undefined;
  const row = await sdb(db).selectFrom('subscriptions').select(['id', 'topic_type', 'topic_id', 'frequency', 'locale', 'confirmed_at']).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    topic: { type: row.topic_type as Topic['type'], id: row.topic_id },
    frequency: isFrequency(row.frequency) ? row.frequency : 'immediate',
    locale: isLocale(row.locale) ? row.locale : 'sq',
    confirmed: row.confirmed_at !== null,
  };
}

/** Changes how often and in which language a subscriber hears (from the manage link). */
export async function updateSubscription(db: Db, id: number, input: { frequency: Frequency; locale: Locale }): Promise<void> {
  await runCommand(db, SUBSCRIBER, async (trx, audit) => {
    // No public page shows subscriptions: the cached pages stay.
    audit.nothingPublic();
    await sdb(trx).updateTable('subscriptions').set({ frequency: input.frequency, locale: input.locale, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    await audit.record('subscription.updated', 'subscription', id, { frequency: input.frequency, locale: input.locale });
  });
}

/** Ends a subscription: the row and its address are deleted. Returns whether there was one. */
export async function unsubscribe(db: Db, id: number): Promise<boolean> {
  return runCommand(db, SUBSCRIBER, async (trx, audit) => {
    // No public page shows subscriptions: the cached pages stay.
    audit.nothingPublic();
    const result = await sdb(trx).deleteFrom('subscriptions').where('id', '=', id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return false;
    await audit.record('subscription.ended', 'subscription', id);
    return true;
  });
}
