import type { Db, Executor } from '../../db/database.js';
import type { Locale } from '../../i18n/locales.js';
import { parseTranslatable, serializeTranslatable, setLocaleText } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { authorize, runCommand, type Actor } from '../audit/index.js';
import { refreshSearchDocuments } from '../search/index.js';
import { notifySubscribers } from '../subscriptions/index.js';
import type { NewsKind } from './domain.js';
import { composeDraft, isAllDemo, periodMaterial, type DraftPeriod } from './draft.js';
import { canManageNews } from './policy.js';
import { ndb } from './tables.js';

/**
 * Every change to news. Each command checks canManageNews on the item's jurisdiction. A draft is
 * private: its changes are recorded in the audit trail only (audit.record) and leave the public
 * pages' cache alone. Publishing, correcting a published item and withdrawing it are published
 * in the transparency log (entity type `news_item`) with the public texts, and refresh search.
 */

/** The item was not in a state that allows this (e.g. publishing a withdrawn item); `key` is a message key. */
export class NewsStateError extends Error {
  constructor(readonly key: 'news.error.notDraft' | 'news.error.notPublished' | 'news.error.withdrawn') {
    super(key);
  }
}

export interface NewsInput {
  jurisdictionId: number;
  kind: NewsKind;
  /** The language the texts are in (the form edits one language at a time). */
  contentLocale: Locale;
  title: string;
  summary: string;
  body: string;
  /** ISO days, both or neither. */
  periodFrom: string | null;
  periodTo: string | null;
  isDemo?: boolean;
}

async function loadItem(db: Executor, id: number) {
  const row = await ndb(db).selectFrom('news_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

/** The public facts of an item, as the log publishes them. */
function publicValues(row: { kind: string; title: string; summary: string; body: string; period_from: string | null; period_to: string | null }) {
  return {
    kind: row.kind,
    title: parseTranslatable(row.title),
    summary: parseTranslatable(row.summary),
    body: parseTranslatable(row.body),
    period_from: row.period_from,
    period_to: row.period_to,
  };
}

/** Writes a new draft; returns its id. */
export async function createNewsDraft(db: Db, actor: Actor, input: NewsInput): Promise<number> {
  return runCommand(db, actor, async (trx, audit) => {
    authorize(actor, (user) => canManageNews(user, input.jurisdictionId));
    audit.nothingPublic();
    const now = new Date().toISOString();
    const row = await ndb(trx)
      .insertInto('news_items')
      .values({
        jurisdiction_id: input.jurisdictionId,
        kind: input.kind,
        title: setLocaleText('{}', input.contentLocale, input.title),
        summary: setLocaleText('{}', input.contentLocale, input.summary),
        body: setLocaleText('{}', input.contentLocale, input.body),
        status: 'draft',
        period_from: input.periodFrom,
        period_to: input.periodTo,
        reporting_cycle_id: null,
        generated: 0,
        published_at: null,
        corrected_at: null,
        withdrawn_at: null,
        is_demo: input.isDemo ? 1 : 0,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit.record('news_item.drafted', 'news_item', row.id, { kind: input.kind });
    return row.id;
  });
}

/**
 * Saves one language of an item's texts, its kind and period. A draft changes privately; a
 * published item's change is a correction, published in the log with the fields it changed and
 * shown on its page ("corrected on …"). A withdrawn item is not edited.
 */
export async function updateNewsItem(db: Db, actor: Actor, id: number, input: NewsInput): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const current = await loadItem(trx, id);
    authorize(actor, (user) => canManageNews(user, current.jurisdiction_id));
    if (current.status === 'withdrawn') throw new NewsStateError('news.error.withdrawn');
    const now = new Date().toISOString();
    const next = {
      kind: input.kind,
      title: setLocaleText(current.title, input.contentLocale, input.title),
      summary: setLocaleText(current.summary, input.contentLocale, input.summary),
      body: setLocaleText(current.body, input.contentLocale, input.body),
      period_from: input.periodFrom,
      period_to: input.periodTo,
    };
    const before = publicValues(current);
    const after = publicValues(next);
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (current.status === 'published') {
      if (!changed.length) {
        audit.nothingPublic();
        return;
      }
      await ndb(trx).updateTable('news_items').set({ ...next, corrected_at: now, updated_at: now }).where('id', '=', id).execute();
      await audit.publish('news_item.corrected', 'news_item', id, { values: Object.fromEntries(changed.map((k) => [k, after[k]])) });
      await refreshSearchDocuments(trx, current.jurisdiction_id);
      return;
    }
    audit.nothingPublic();
    await ndb(trx).updateTable('news_items').set({ ...next, generated: 0, updated_at: now }).where('id', '=', id).execute();
    await audit.record('news_item.draft_saved', 'news_item', id, { changed });
  });
}

/**
 * Generates a draft from a period (a reporting cycle or two days): its title, summary and body in
 * every language list what was published in the period, with links. Returns its id, or undefined
 * when the cycle is not one of the jurisdiction's.
 */
export async function generateNewsDraft(
  db: Db,
  actor: Actor,
  input: { jurisdiction: { id: number; slug: string; timeZone: string }; period: DraftPeriod; kind: NewsKind; publicUrl: string; isDemo?: boolean },
): Promise<number> {
  return runCommand(db, actor, async (trx, audit) => {
    authorize(actor, (user) => canManageNews(user, input.jurisdiction.id));
    audit.nothingPublic();
    const material = await periodMaterial(trx, input.jurisdiction, input.period);
    if (!material) throw new NotFoundError();
    const texts = composeDraft(material, input.publicUrl, input.jurisdiction.timeZone);
    const now = new Date().toISOString();
    const row = await ndb(trx)
      .insertInto('news_items')
      .values({
        jurisdiction_id: input.jurisdiction.id,
        kind: input.kind,
        title: serializeTranslatable(texts.title),
        summary: serializeTranslatable(texts.summary),
        body: serializeTranslatable(texts.body),
        status: 'draft',
        period_from: material.from,
        period_to: material.to,
        reporting_cycle_id: material.cycleId,
        generated: 1,
        published_at: null,
        corrected_at: null,
        withdrawn_at: null,
        is_demo: input.isDemo || isAllDemo(material) ? 1 : 0,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit.record('news_item.generated', 'news_item', row.id, {
      from: material.from,
      to: material.to,
      cycle: material.cycleId,
      updates: material.updates.length,
      reviews: material.reviews.length,
      meetings: material.meetings.length,
    });
    return row.id;
  });
}

/** Publishes a draft: public from now on, in the log with its texts, searchable, in the feeds. */
export async function publishNewsItem(db: Db, actor: Actor, id: number): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const current = await loadItem(trx, id);
    authorize(actor, (user) => canManageNews(user, current.jurisdiction_id));
    if (current.status !== 'draft') throw new NewsStateError('news.error.notDraft');
    const now = new Date().toISOString();
    await ndb(trx).updateTable('news_items').set({ status: 'published', published_at: now, generated: 0, updated_at: now }).where('id', '=', id).execute();
    await audit.publish('news_item.published', 'news_item', id, publicValues(current));
    await refreshSearchDocuments(trx, current.jurisdiction_id);
    // Whoever follows the jurisdiction hears of it, at once or in their digest.
    const jurisdiction = await trx.selectFrom('jurisdictions').select('slug').where('id', '=', current.jurisdiction_id).executeTakeFirstOrThrow();
    await notifySubscribers(trx, {
      jurisdictionId: current.jurisdiction_id,
      topics: [],
      kind: 'news',
      title: parseTranslatable(current.title),
      path: `/${jurisdiction.slug}/news/${id}`,
      isDemo: current.is_demo === 1,
    });
  });
}

/**
 * Withdraws a published item: it leaves the news page, the feeds and search; its history (every
 * published text) stays in the log, and its page says it was withdrawn and when. Not undone.
 */
export async function withdrawNewsItem(db: Db, actor: Actor, id: number): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    const current = await loadItem(trx, id);
    authorize(actor, (user) => canManageNews(user, current.jurisdiction_id));
    if (current.status !== 'published') throw new NewsStateError('news.error.notPublished');
    const now = new Date().toISOString();
    await ndb(trx).updateTable('news_items').set({ status: 'withdrawn', withdrawn_at: now, updated_at: now }).where('id', '=', id).execute();
    await audit.publish('news_item.withdrawn', 'news_item', id, { title: parseTranslatable(current.title) });
    await refreshSearchDocuments(trx, current.jurisdiction_id);
  });
}

