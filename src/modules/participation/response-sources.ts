import type { Db } from '../../db/database.js';
import { formatDate, translate, type MessageKey } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import { parseTranslatable, pickText } from '../../lib/translatable.js';
import type { HistorySource, HistoryWords, RecentChange, RecentSource, SearchSource } from '../manifest.js';
import type { PageContext } from '../../ui/context.js';
import { answerable, isOutcome } from './response-queries.js';
import { pdb } from './tables.js';

/**
 * The reasoned responses in search (kind `response`: the outcome's words and the reasons, in every
 * language, of published response tables), in a jurisdiction's recent changes ("Responses to …
 * published") and in the history pages (entity type `contribution_response`). Never a contributor's
 * name or address.
 */

export const responseSearch: SearchSource = {
  kinds: ['response'],
  labels: { response: 'responses.search.kind' },
  async documents(db, jurisdiction, body) {
    const rows = await pdb(db)
      .selectFrom('contribution_responses as r')
      .innerJoin('contributions as c', 'c.id', 'r.contribution_id')
      .innerJoin('consultations as k', 'k.id', 'c.consultation_id')
      .select(['r.contribution_id', 'r.outcome', 'r.reasons', 'k.slug', 'k.title', 'k.is_demo as consultation_demo', 'c.is_demo'])
      .where('k.jurisdiction_id', '=', jurisdiction.id)
      .where('k.responded_at', 'is not', null)
      .where('k.published_at', 'is not', null)
      .where(answerable('c'))
      .orderBy('r.contribution_id')
      .execute();
    return rows.map((r) => {
      const title = parseTranslatable(r.title);
      const titles: Record<string, string> = {};
      for (const locale of LOCALES) {
        if (locale === 'sr-Cyrl') continue;
        titles[locale] = translate(locale, 'responses.search.title', { title: pickText(title, locale) || r.slug });
      }
      const outcomeWords = isOutcome(r.outcome) ? LOCALES.filter((l) => l !== 'sr-Cyrl').map((l) => translate(l, `responses.outcome.${r.outcome}` as MessageKey)) : [];
      return {
        doc_key: `response:${r.contribution_id}`,
        kind: 'response',
        title: JSON.stringify(titles),
        path: `/${jurisdiction.slug}/consultations/${encodeURIComponent(r.slug)}#response-${r.contribution_id}`,
        body: body(...Object.values(parseTranslatable(r.reasons)), ...outcomeWords, ...Object.values(title)),
        is_demo: r.is_demo === 1 || r.consultation_demo === 1 ? 1 : 0,
      };
    });
  },
};

export const responseRecent: RecentSource = {
  async recent(db, jurisdictionId, limit) {
    const rows = await pdb(db)
      .selectFrom('consultations as k')
      .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
      .select((eb) => [
        'k.id',
        'k.slug',
        'k.title',
        'k.responded_at',
        'k.is_demo',
        'j.slug as jurisdiction',
        'j.time_zone',
        eb.selectFrom('contributions as c').innerJoin('contribution_responses as r', 'r.contribution_id', 'c.id').select(eb.fn.countAll<number | string>().as('n')).whereRef('c.consultation_id', '=', 'k.id').where(answerable('c')).as('answered'),
      ])
      .where('k.jurisdiction_id', '=', jurisdictionId)
      .where('k.responded_at', 'is not', null)
      .where('k.published_at', 'is not', null)
      .orderBy('k.responded_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(
      (r): RecentChange => ({
        key: `responses:${r.id}`,
        at: r.responded_at!,
        title: parseTranslatable(r.title),
        path: `/${r.jurisdiction}/consultations/${encodeURIComponent(r.slug)}#responses`,
        isDemo: r.is_demo === 1,
        line: (ctx) => ctx.t('responses.recent.published', { count: Number(r.answered ?? 0), date: formatDate(ctx.locale, r.responded_at!, 'long', r.time_zone) }),
      }),
    );
  },
};

async function locateResponse(db: Db, id: number) {
  const row = await pdb(db)
    .selectFrom('contributions as c')
    .innerJoin('consultations as k', 'k.id', 'c.consultation_id')
    .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
    .select(['j.slug', 'j.time_zone', 'k.is_demo as consultation_demo', 'c.is_demo'])
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row ? { jurisdictionSlug: row.slug, timeZone: row.time_zone || 'UTC', isDemo: row.is_demo === 1 || row.consultation_demo === 1 } : undefined;
}

const FIELDS: Record<string, MessageKey> = {
  consultation: 'responses.history.consultation',
  kind: 'responses.history.kind',
  outcome: 'responses.col.outcome',
  reasons: 'responses.col.reasons',
  shaped: 'responses.col.shaped',
  link: 'responses.history.link',
};

const ACTIONS: Record<string, MessageKey> = {
  'contribution_response.published': 'responses.history.action.published',
  'contribution_response.updated': 'responses.history.action.updated',
};

export const responseHistoryWords: HistoryWords = {
  label: 'responses.search.kind',
  title: 'responses.history.title',
  field: (ctx: PageContext, field: string) => (FIELDS[field] ? ctx.t(FIELDS[field]) : undefined),
  value: (ctx: PageContext, field: string, value: unknown) => {
    if (field === 'outcome' && typeof value === 'string' && isOutcome(value)) return ctx.t(`responses.outcome.${value}` as MessageKey);
    if (field === 'kind' && typeof value === 'string') return ctx.t(`responses.kind.${value === 'proposal' ? 'proposal' : 'comment'}` as MessageKey);
    if ((field === 'shaped' || field === 'link') && value === null) return ctx.t('responses.table.none');
    return undefined;
  },
  action: (ctx: PageContext, action: string) => (ACTIONS[action] ? ctx.t(ACTIONS[action]) : undefined),
};

export const responseHistory: HistorySource[] = [{ kind: 'contribution_response', entityType: 'contribution_response', locate: locateResponse, describe: responseHistoryWords }];
