import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { translate } from '../../i18n/index.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
import { parseTranslatable, pickText } from '../../lib/translatable.js';
import { composeMail, enqueueMail, InvalidMailError } from '../mail/send.js';
import { erasureLink } from '../participation/privacy.js';
import { forgetMailOfDeleted } from '../participation/privacy-outbox.js';
import { manageUrl, PRUNE_MARGIN_MS, topicName, unsubscribeHeaders, unsubscribeUrl, type Frequency } from './commands.js';
import type { Topic } from './notify.js';
import { sdb } from './tables.js';
import { manageToken } from './tokens.js';
import { findTopic, type TopicView } from './topics.js';

/**
 * Delivery of notices to subscribers, through the outbox. Run by every process on a short timer
 * (server.ts) and safe to run in several at once: a message is queued in the same transaction as
 * the `subscription_deliveries` rows of the notices it tells of, and those rows are unique per
 * notice and person (erasure hash), inserted with ON CONFLICT DO NOTHING; only the rows a
 * transaction really inserted are told. So nobody hears of a notice twice, whichever worker,
 * frequency or second subscription (a person following a plan and its commitment) would send it.
 *
 * - immediate: one message per notice;
 * - daily: one digest at the first run of each UTC day, of the notices published before that day began;
 * - weekly: the same on Mondays (UTC), of the notices published before that Monday.
 * A subscriber hears of notices published after they confirmed, and of none older than
 * NOTICE_WINDOW_DAYS. Demonstration notices are delivered like the others (so a demonstration
 * consultation can be tried from end to end), marked as demonstration in subject and text.
 */

export const NOTICE_WINDOW_DAYS = 14;
/** Notices are kept this long, then deleted with their topics and delivery records. */
export const NOTICE_RETENTION_DAYS = 60;
const BATCH = 200;

/** Where a run reports what it could not do (a pino logger fits). Never an address. */
export interface DeliveryLog {
  warn(obj: object, msg?: string): void;
}

interface NoticeRow {
  id: number;
  kind: string;
  title: string;
  path: string;
  is_demo: number;
  created_at: string;
}

interface SubscriptionRow {
  id: number;
  email: string;
  email_hash: string;
  locale: string;
  frequency: string;
  topic_type: string;
  topic_id: number;
  token_nonce: string;
  secret: string;
}

function windowStart(now: Date): string {
  return new Date(now.getTime() - NOTICE_WINDOW_DAYS * 86_400_000).toISOString();
}

/** The start of the digest period `now` is in: today (daily) or this week's Monday (weekly), 00:00 UTC. */
export function digestCutoff(frequency: 'daily' | 'weekly', now: Date): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (frequency === 'daily') return day;
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000);
}

async function loadSubscription(trx: Executor, id: number): Promise<SubscriptionRow | undefined> {
  return sdb(trx)
    .selectFrom('subscriptions')
    .innerJoin('subscription_keys', 'subscription_keys.id', 'subscriptions.token_key_id')
    .select([
      'subscriptions.id',
      'subscriptions.email',
      'subscriptions.email_hash',
      'subscriptions.locale',
      'subscriptions.frequency',
      'subscriptions.topic_type',
      'subscriptions.topic_id',
      'subscriptions.token_nonce',
      'subscription_keys.secret',
    ])
    .where('subscriptions.id', '=', id)
    .where('subscriptions.confirmed_at', 'is not', null)
    .executeTakeFirst();
}

/** Records that the person heard of these notices; returns the ids really recorded now (not by someone else before). */
async function recordDeliveries(trx: Executor, subscription: SubscriptionRow, noticeIds: number[], now: Date): Promise<number[]> {
  if (noticeIds.length === 0) return [];
  const rows = await sdb(trx)
    .insertInto('subscription_deliveries')
    .values(noticeIds.map((id) => ({ notice_id: id, email_hash: subscription.email_hash, subscription_id: subscription.id, delivered_at: now.toISOString() })))
    .onConflict((oc) => oc.columns(['notice_id', 'email_hash']).doNothing())
    .returning('notice_id')
    .execute();
  return rows.map((r) => r.notice_id);
}

function noticeTitle(notice: NoticeRow, locale: Locale): string {
  return pickText(parseTranslatable(notice.title), locale) || notice.path;
}

function kindLabel(kind: string, locale: Locale): string {
  switch (kind) {
    case 'update':
    case 'consultation':
    case 'response':
    case 'meeting':
    case 'review':
      return translate(locale, `subscriptions.notice.kind.${kind}`);
    default:
      return translate(locale, 'subscriptions.notice.kind.other');
  }
}

async function footer(trx: Executor, subscription: SubscriptionRow, locale: Locale, topic: TopicView | undefined, publicUrl: string): Promise<string> {
  const token = manageToken(subscription.secret, subscription);
  return translate(locale, 'subscriptions.mail.footer', {
    topic: topicName(topic, locale) || translate(locale, 'subscriptions.topicGone'),
    frequency: translate(locale, `subscriptions.frequency.${(['immediate', 'daily', 'weekly'].includes(subscription.frequency) ? subscription.frequency : 'immediate') as Frequency}`),
    manage: manageUrl(publicUrl, locale, token),
    unsubscribe: unsubscribeUrl(publicUrl, token),
    erasure: await erasureLink(trx, subscription.email, publicUrl, locale),
  });
}

function noticeLines(notice: NoticeRow, locale: Locale, publicUrl: string): string {
  const demo = notice.is_demo ? ` ${translate(locale, 'subscriptions.notice.demoMark')}` : '';
  return `${kindLabel(notice.kind, locale)}: ${noticeTitle(notice, locale)}${demo}\n${publicUrl}/${locale}${notice.path}`;
}

/** Topics already looked up in this run (read through the caller's transaction: SQLite has one connection). */
class TopicCache {
  private readonly cache = new Map<string, TopicView | undefined>();
  async get(executor: Executor, type: string, id: number): Promise<TopicView | undefined> {
    const key = `${type}:${id}`;
    if (!this.cache.has(key)) this.cache.set(key, await findTopic(executor, { type: type as Topic['type'], id }));
    return this.cache.get(key);
  }
}

async function queue(trx: Executor, subscription: SubscriptionRow, locale: Locale, subject: string, text: string, publicUrl: string, log?: DeliveryLog): Promise<boolean> {
  try {
    await enqueueMail(trx, composeMail(subscription.email, locale, { subject, text, headers: unsubscribeHeaders(publicUrl, manageToken(subscription.secret, subscription)) }));
    return true;
  } catch (error) {
    // An address the outbox refuses (stored before a stricter check): nothing is sent, and the
    // delivery stays recorded so the run does not try again and again.
    if (!(error instanceof InvalidMailError)) throw error;
    log?.warn({ subscription: subscription.id }, 'subscription message refused by the outbox');
    return false;
  }
}

/** Queues one message per notice for the immediate subscribers who have not heard of it yet; returns how many. */
export async function deliverImmediateNotices(db: Db, options: { publicUrl: string; now?: Date; log?: DeliveryLog }): Promise<number> {
  const now = options.now ?? new Date();
  const topics = new TopicCache();
  let queued = 0;
  for (let round = 0; round < 50; round++) {
    const candidates = await sdb(db)
      .selectFrom('subscription_notices as n')
      .innerJoin('subscription_notice_topics as t', 't.notice_id', 'n.id')
      .innerJoin('subscriptions as s', (join) => join.onRef('s.topic_type', '=', 't.topic_type').onRef('s.topic_id', '=', 't.topic_id'))
      .select(['n.id as notice_id', 's.id as subscription_id', 's.email_hash'])
      .where('s.frequency', '=', 'immediate')
      .where('s.confirmed_at', 'is not', null)
      .whereRef('s.confirmed_at', '<=', 'n.created_at')
      .where('n.created_at', '>', windowStart(now))
      .where('n.created_at', '<=', now.toISOString())
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('subscription_deliveries as d').select(sql<number>`1`.as('one')).whereRef('d.notice_id', '=', 'n.id').whereRef('d.email_hash', '=', 's.email_hash'))),
      )
      .orderBy('n.id')
      .orderBy('s.id')
      .limit(BATCH)
      .execute();
    if (candidates.length === 0) break;
    const seen = new Set<string>();
    let progressed = false;
    for (const c of candidates) {
      const key = `${c.notice_id}:${c.email_hash}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const sent = await db.transaction().execute(async (trx) => {
        const subscription = await loadSubscription(trx, c.subscription_id);
        if (!subscription) return false;
        const [recorded] = await recordDeliveries(trx, subscription, [c.notice_id], now);
        if (recorded === undefined) return false;
        const notice = await sdb(trx).selectFrom('subscription_notices').select(['id', 'kind', 'title', 'path', 'is_demo', 'created_at']).where('id', '=', c.notice_id).executeTakeFirstOrThrow();
        const locale: Locale = isLocale(subscription.locale) ? subscription.locale : 'sq';
        const topic = await topics.get(trx, subscription.topic_type, subscription.topic_id);
        const demo = notice.is_demo ? `${translate(locale, 'subscriptions.notice.demoSubject')} ` : '';
        const subject = `${demo}${kindLabel(notice.kind, locale)}: ${noticeTitle(notice, locale)}`;
        const text = [
          noticeLines(notice, locale, options.publicUrl),
          notice.is_demo ? translate(locale, 'subscriptions.notice.demoNote') : '',
          await footer(trx, subscription, locale, topic, options.publicUrl),
        ]
          .filter(Boolean)
          .join('\n\n');
        return queue(trx, subscription, locale, subject, text, options.publicUrl, options.log);
      });
      progressed = true;
      if (sent) queued++;
    }
    if (!progressed || candidates.length < BATCH) break;
  }
  return queued;
}

/** Queues the daily and weekly digests that are due; returns how many. */
export async function deliverDigests(db: Db, options: { publicUrl: string; now?: Date; log?: DeliveryLog }): Promise<number> {
  const now = options.now ?? new Date();
  const topics = new TopicCache();
  let queued = 0;
  for (const frequency of ['daily', 'weekly'] as const) {
    const cutoff = digestCutoff(frequency, now).toISOString();
    const pending = (trx: Executor, subscription: { id: number; email_hash: string }) =>
      sdb(trx)
        .selectFrom('subscription_notices as n')
        .innerJoin('subscription_notice_topics as t', 't.notice_id', 'n.id')
        .innerJoin('subscriptions as s', (join) => join.onRef('s.topic_type', '=', 't.topic_type').onRef('s.topic_id', '=', 't.topic_id'))
        .select(['n.id', 'n.kind', 'n.title', 'n.path', 'n.is_demo', 'n.created_at'])
        .distinct()
        .where('s.id', '=', subscription.id)
        .whereRef('s.confirmed_at', '<=', 'n.created_at')
        .where('n.created_at', '>', windowStart(now))
        .where('n.created_at', '<', cutoff)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('subscription_deliveries as d').select(sql<number>`1`.as('one')).whereRef('d.notice_id', '=', 'n.id').where('d.email_hash', '=', subscription.email_hash))),
        )
        .orderBy('n.id');
    let lastId = 0;
    for (let round = 0; round < 500; round++) {
      const due = await sdb(db)
        .selectFrom('subscriptions')
        .select(['id', 'email_hash'])
        .where('frequency', '=', frequency)
        .where('confirmed_at', 'is not', null)
        .where('id', '>', lastId)
        .where((eb) => eb.or([eb('last_digest_at', 'is', null), eb('last_digest_at', '<', cutoff)]))
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (due.length === 0) break;
      lastId = due[due.length - 1]!.id;
      for (const candidate of due) {
        const sent = await db.transaction().execute(async (trx) => {
          // The claim: one process per subscription and period. Claimed even when there is nothing
          // to tell, so that an idle subscriber is looked at once a period, not at every run.
          const claimed = await sdb(trx)
            .updateTable('subscriptions')
            .set({ last_digest_at: now.toISOString() })
            .where('id', '=', candidate.id)
            .where((eb) => eb.or([eb('last_digest_at', 'is', null), eb('last_digest_at', '<', cutoff)]))
            .executeTakeFirst();
          if (Number(claimed.numUpdatedRows) !== 1) return false;
          const subscription = await loadSubscription(trx, candidate.id);
          if (!subscription) return false;
          const notices = await pending(trx, subscription).execute();
          const recorded = new Set(await recordDeliveries(trx, subscription, notices.map((n) => n.id), now));
          const told = notices.filter((n) => recorded.has(n.id));
          if (told.length === 0) return false;
          const locale: Locale = isLocale(subscription.locale) ? subscription.locale : 'sq';
          const topic = await topics.get(trx, subscription.topic_type, subscription.topic_id);
          const name = topicName(topic, locale) || translate(locale, 'subscriptions.topicGone');
          const subject = translate(locale, `subscriptions.mail.digest.subject.${frequency}`, { count: told.length, topic: name });
          const text = [
            translate(locale, `subscriptions.mail.digest.intro.${frequency}`, { count: told.length, topic: name }),
            ...told.map((n) => noticeLines(n, locale, options.publicUrl)),
            told.some((n) => n.is_demo) ? translate(locale, 'subscriptions.notice.demoNote') : '',
            await footer(trx, subscription, locale, topic, options.publicUrl),
          ]
            .filter(Boolean)
            .join('\n\n');
          return queue(trx, subscription, locale, subject, text, options.publicUrl, options.log);
        });
        if (sent) queued++;
      }
      if (due.length < BATCH) break;
    }
  }
  return queued;
}

/**
 * Hourly: deletes unconfirmed subscriptions whose link expired (plus a margin), with the messages to
 * their addresses when Besa holds the address for nothing else (no account, contribution or other
 * subscription), and old notices.
 */
export async function pruneSubscriptions(db: Db, now: Date = new Date()): Promise<{ unconfirmed: number; notices: number; messages: number }> {
  return db.transaction().execute(async (trx) => {
    const unconfirmed = await sdb(trx)
      .deleteFrom('subscriptions')
      .where('confirmed_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('confirm_expires_at', '<', new Date(now.getTime() - PRUNE_MARGIN_MS).toISOString()),
          eb('confirm_expires_at', 'is', null),
        ]),
      )
      .returning('email')
      .execute();
    const messages = await forgetMailOfDeleted(trx, unconfirmed.map((r) => r.email));
    const notices = await sdb(trx)
      .deleteFrom('subscription_notices')
      .where('created_at', '<', new Date(now.getTime() - NOTICE_RETENTION_DAYS * 86_400_000).toISOString())
      .executeTakeFirst();
    return { unconfirmed: unconfirmed.length, notices: Number(notices.numDeletedRows), messages };
  });
}

/**
 * Every minute in every process: immediate messages, then the digests that are due. Never two
 * runs at once in one process; the timer does not keep the process alive. Returns stop().
 */
export function startSubscriptionDelivery(
  db: Db,
  options: { publicUrl: string; log: DeliveryLog & { error(obj: object, msg?: string): void; info(obj: object, msg?: string): void }; intervalMs?: number },
): () => Promise<void> {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = (async () => {
      try {
        const immediate = await deliverImmediateNotices(db, { publicUrl: options.publicUrl, log: options.log });
        const digests = await deliverDigests(db, { publicUrl: options.publicUrl, log: options.log });
        if (immediate + digests > 0) options.log.info({ immediate, digests }, 'subscription messages queued');
      } catch (error) {
        // The message only, with anything that looks like an address masked.
        const message = (error instanceof Error ? error.message : String(error)).replace(/[^\s<>"']+@[^\s<>"']+/g, '[address]').slice(0, 500);
        options.log.error({ err: { message } }, 'subscription delivery failed');
      } finally {
        running = undefined;
      }
    })();
  };
  const timer = setInterval(tick, options.intervalMs ?? 60_000);
  timer.unref();
  const first = setTimeout(tick, 2_000);
  first.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    clearTimeout(first);
    await running;
  };
}
