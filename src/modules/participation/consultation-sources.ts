import type { Db } from '../../db/database.js';
import { formatDate, type MessageKey } from '../../i18n/index.js';
import { dayIn } from '../../i18n/index.js';
import { parseTranslatable } from '../../lib/translatable.js';
import type { HistorySource, HistoryWords, RecentChange, RecentSource, SearchSource } from '../manifest.js';
import { pdb } from './tables.js';

/**
 * The consultations in search, recent changes and the history pages. Only published consultations
 * count: a draft is in none of them.
 */

export const consultationSearch: SearchSource = {
  kinds: ['consultation'],
  labels: { consultation: 'consultations.search.kind' },
  async documents(db, jurisdiction, body) {
    const rows = await pdb(db)
      .selectFrom('consultations')
      .select(['id', 'slug', 'title', 'summary', 'body', 'outcome', 'is_demo'])
      .where('jurisdiction_id', '=', jurisdiction.id)
      .where('published_at', 'is not', null)
      .orderBy('id')
      .execute();
    if (rows.length === 0) return [];
    const docs = await pdb(db)
      .selectFrom('consultation_documents')
      .select(['consultation_id', 'title'])
      .where(
        'consultation_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      doc_key: `consultation:${r.id}`,
      kind: 'consultation',
      title: r.title,
      path: `/${jurisdiction.slug}/consultations/${encodeURIComponent(r.slug)}`,
      body: body(r.title, r.summary, r.body, r.outcome, ...docs.filter((d) => d.consultation_id === r.id).map((d) => d.title)),
      is_demo: Number(r.is_demo) === 1 ? 1 : 0,
    }));
  },
};

/**
 * Each published consultation once in a jurisdiction's recent changes: "opened for comments" from
 * its opening day on (at the start of that day), "published" before.
 */
export const consultationRecent: RecentSource = {
  async recent(db, jurisdictionId, limit) {
    const rows = await pdb(db)
      .selectFrom('consultations as c')
      .innerJoin('jurisdictions as j', 'j.id', 'c.jurisdiction_id')
      .select(['c.id', 'c.slug', 'c.title', 'c.opens_on', 'c.published_at', 'c.is_demo', 'j.slug as jurisdiction', 'j.time_zone'])
      .where('c.jurisdiction_id', '=', jurisdictionId)
      .where('c.published_at', 'is not', null)
      .orderBy('c.published_at', 'desc')
      .limit(limit * 2)
      .execute();
    const now = new Date().toISOString();
    const out: RecentChange[] = rows.map((r) => {
      const zone = r.time_zone || 'UTC';
      const published = r.published_at!;
      const today = dayIn(now, zone);
      // Opened after it was published: from the opening day on, the change is its opening.
      const opened = r.opens_on <= today && r.opens_on > dayIn(published, zone);
      const at = opened ? `${r.opens_on}T00:00:00.000Z` : published;
      return {
        key: `consultation:${r.id}`,
        at,
        title: parseTranslatable(r.title),
        path: `/${r.jurisdiction}/consultations/${encodeURIComponent(r.slug)}`,
        isDemo: Number(r.is_demo) === 1,
        line: (ctx) =>
          opened
            ? ctx.t('consultations.recent.opened', { date: formatDate(ctx.locale, r.opens_on) })
            : ctx.t('consultations.recent.published', { date: formatDate(ctx.locale, published, 'long', zone) }),
      };
    });
    return out.sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0)).slice(0, limit);
  },
};

async function locateConsultation(db: Db, id: number) {
  const row = await pdb(db)
    .selectFrom('consultations as c')
    .innerJoin('jurisdictions as j', 'j.id', 'c.jurisdiction_id')
    .select(['j.slug as slug', 'j.time_zone as time_zone', 'c.is_demo as is_demo'])
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row ? { jurisdictionSlug: row.slug, timeZone: row.time_zone || 'UTC', isDemo: Number(row.is_demo) === 1 } : undefined;
}

const FIELDS: Record<string, MessageKey> = {
  slug: 'consultations.field.slug',
  subject: 'consultations.field.subject',
  plan_id: 'consultations.field.plan_id',
  commitment_id: 'consultations.field.commitment_id',
  title: 'consultations.field.title',
  summary: 'consultations.field.summary',
  body: 'consultations.field.body',
  opens_on: 'consultations.field.opens_on',
  closes_on: 'consultations.field.closes_on',
  moderation: 'consultations.field.moderation',
  flag_threshold: 'consultations.field.flag_threshold',
  allows_proposals: 'consultations.field.allows_proposals',
  groups_consulted: 'consultations.field.groups_consulted',
  public_meetings: 'consultations.field.public_meetings',
  outcome: 'consultations.page.outcome',
  documents: 'consultations.page.documents',
  url: 'consultations.field.document_url',
  document_id: 'consultations.history.document',
  locale: 'consultations.field.document_locale',
};

const ACTIONS = ['consultation.published', 'consultation.updated', 'consultation.document_added', 'consultation.document_removed', 'consultation.outcome_recorded'];

export const consultationHistoryWords: HistoryWords = {
  label: 'consultations.search.kind',
  title: 'consultations.history.title',
  field: (ctx, field) => (FIELDS[field] ? ctx.t(FIELDS[field]) : undefined),
  value(ctx, field, v) {
    if (field === 'subject' && typeof v === 'string' && ['plan', 'commitment', 'topic'].includes(v)) return ctx.t(`consultations.subject.${v}` as MessageKey);
    if (field === 'moderation' && (v === 'pre' || v === 'post')) return ctx.t(`consultations.moderation.${v}` as MessageKey);
    if (field === 'allows_proposals' && typeof v === 'boolean') return ctx.t(v ? 'consultations.history.yes' : 'consultations.history.no');
    if ((field === 'opens_on' || field === 'closes_on') && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(ctx.locale, v);
    if (field === 'documents' && Array.isArray(v)) return v.map((d) => (d && typeof d === 'object' && 'url' in d ? String((d as { url: unknown }).url) : '')).filter(Boolean).join(', ');
    return undefined;
  },
  action: (ctx, action) => (ACTIONS.includes(action) ? ctx.t(`consultations.history.action.${action.replace('.', '_')}` as MessageKey) : undefined),
};

export const consultationHistory: HistorySource[] = [{ kind: 'consultation', entityType: 'consultation', locate: locateConsultation, describe: consultationHistoryWords }];
