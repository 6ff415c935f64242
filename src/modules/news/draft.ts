import type { Executor } from '../../db/database.js';
import { formatDate, translate, type MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { parseTranslatable, pickText, type Translatable } from '../../lib/translatable.js';
import { localToUtc } from '../meetings/domain.js';
import { mdb } from '../meetings/tables.js';
import { rdb } from '../reporting/tables.js';
import { vdb } from '../reviews/tables.js';

/**
 * A news draft generated from a period: what the jurisdiction published in it (progress updates,
 * reviews of the monitoring body) and the meetings held in it, each with its link, in every
 * language, headed by a notice that the text is generated and must be edited before publishing.
 * Reads the other modules' tables (their pure table files) and writes nothing.
 */

/** The languages a draft is written in (Serbian Cyrillic is derived from Serbian Latin). */
export const DRAFT_LOCALES: readonly Locale[] = ['sq', 'sr-Latn', 'en', 'fr'];

export type DraftPeriod = { kind: 'cycle'; cycleId: number } | { kind: 'range'; from: string; to: string };

export interface PeriodMaterial {
  from: string;
  to: string;
  cycleId: number | null;
  updates: { id: number; code: string; title: Translatable; cycle: number; cycleLabel: Translatable; path: string; isDemo: boolean }[];
  reviews: { id: number; code: string; title: Translatable; cycle: number; cycleLabel: Translatable; path: string; isDemo: boolean }[];
  meetings: { id: number; title: Translatable; kind: string; startsAt: string; path: string; isDemo: boolean }[];
}

/** The cycle (of one of the jurisdiction's plans), or undefined. */
export async function findCycle(db: Executor, jurisdictionId: number, cycleId: number) {
  return rdb(db)
    .selectFrom('reporting_cycles')
    .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id')
    .select(['reporting_cycles.id', 'reporting_cycles.number', 'reporting_cycles.label', 'reporting_cycles.period_start', 'reporting_cycles.period_end', 'action_plans.slug as plan', 'action_plans.title as plan_title'])
    .where('reporting_cycles.id', '=', cycleId)
    .where('action_plans.jurisdiction_id', '=', jurisdictionId)
    .executeTakeFirst();
}

/** The jurisdiction's reporting cycles, newest plan and cycle first (the draft form's choices). */
export async function listCycles(db: Executor, jurisdictionId: number) {
  const rows = await rdb(db)
    .selectFrom('reporting_cycles')
    .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id')
    .select(['reporting_cycles.id', 'reporting_cycles.number', 'reporting_cycles.label', 'reporting_cycles.period_start', 'reporting_cycles.period_end', 'action_plans.slug as plan', 'action_plans.title as plan_title'])
    .where('action_plans.jurisdiction_id', '=', jurisdictionId)
    .orderBy('action_plans.starts_on', 'desc')
    .orderBy('reporting_cycles.number', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, number: r.number, label: parseTranslatable(r.label), from: r.period_start, to: r.period_end, plan: r.plan, planTitle: parseTranslatable(r.plan_title) }));
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** What the period holds. Undefined when the cycle is not the jurisdiction's. */
export async function periodMaterial(db: Executor, jurisdiction: { id: number; slug: string; timeZone: string }, period: DraftPeriod): Promise<PeriodMaterial | undefined> {
  let from: string;
  let to: string;
  let cycleId: number | null = null;
  if (period.kind === 'cycle') {
    const cycle = await findCycle(db, jurisdiction.id, period.cycleId);
    if (!cycle) return undefined;
    from = cycle.period_start;
    to = cycle.period_end;
    cycleId = cycle.id;
  } else {
    from = period.from;
    to = period.to;
  }
  const start = localToUtc(from, '00:00', jurisdiction.timeZone);
  const end = localToUtc(nextDay(to), '00:00', jurisdiction.timeZone);

  let updates = rdb(db)
    .selectFrom('progress_updates')
    .innerJoin('reporting_cycles', 'reporting_cycles.id', 'progress_updates.cycle_id')
    .innerJoin('commitments', 'commitments.id', 'progress_updates.commitment_id')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select(['progress_updates.id', 'progress_updates.published_at', 'reporting_cycles.number', 'reporting_cycles.label', 'commitments.code', 'commitments.title', 'action_plans.slug as plan', 'action_plans.is_demo'])
    .where('action_plans.jurisdiction_id', '=', jurisdiction.id)
    .where('progress_updates.status', '=', 'published');
  updates = cycleId !== null ? updates.where('progress_updates.cycle_id', '=', cycleId) : updates.where('progress_updates.published_at', '>=', start).where('progress_updates.published_at', '<', end);

  let reviews = vdb(db)
    .withTables<{ reporting_cycles: { id: number; number: number; label: string } }>()
    .selectFrom('reviews')
    .innerJoin('reporting_cycles', 'reporting_cycles.id', 'reviews.cycle_id')
    .innerJoin('commitments', 'commitments.id', 'reviews.commitment_id')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select(['reviews.id', 'reviews.is_demo', 'reporting_cycles.number', 'reporting_cycles.label', 'commitments.code', 'commitments.title', 'action_plans.slug as plan'])
    .where('action_plans.jurisdiction_id', '=', jurisdiction.id)
    .where('reviews.status', '=', 'published');
  reviews = cycleId !== null ? reviews.where('reviews.cycle_id', '=', cycleId) : reviews.where('reviews.published_at', '>=', start).where('reviews.published_at', '<', end);

  const meetings = await mdb(db)
    .selectFrom('meetings')
    .select(['id', 'title', 'kind', 'starts_at', 'is_demo'])
    .where('jurisdiction_id', '=', jurisdiction.id)
    .where('status', '!=', 'cancelled')
    .where((eb) => {
      const within = eb.and([eb('starts_at', '>=', start), eb('starts_at', '<', end)]);
      return cycleId !== null ? eb.or([within, eb('reporting_cycle_id', '=', cycleId)]) : within;
    })
    .orderBy('starts_at')
    .orderBy('id')
    .execute();

  const [u, r] = await Promise.all([updates.orderBy('commitments.code').orderBy('progress_updates.id').execute(), reviews.orderBy('commitments.code').orderBy('reviews.id').execute()]);
  const commitmentPath = (plan: string, code: string) => `/${jurisdiction.slug}/plans/${plan}/commitments/${encodeURIComponent(code)}`;
  return {
    from,
    to,
    cycleId,
    updates: u.map((x) => ({ id: x.id, code: x.code, title: parseTranslatable(x.title), cycle: x.number, cycleLabel: parseTranslatable(x.label), path: `${commitmentPath(x.plan, x.code)}#update-${x.id}`, isDemo: x.is_demo === 1 })),
    reviews: r.map((x) => ({ id: x.id, code: x.code, title: parseTranslatable(x.title), cycle: x.number, cycleLabel: parseTranslatable(x.label), path: `/${jurisdiction.slug}/plans/${x.plan}/monitoring/${x.number}`, isDemo: x.is_demo === 1 })),
    meetings: meetings.map((m) => ({ id: m.id, title: parseTranslatable(m.title), kind: m.kind, startsAt: m.starts_at, path: `/${jurisdiction.slug}/meetings/${m.id}`, isDemo: m.is_demo === 1 })),
  };
}

/** Whether the period's material is all demonstration data (and there is some): its draft is then demonstration too. */
export function isAllDemo(material: PeriodMaterial): boolean {
  const all = [...material.updates, ...material.reviews, ...material.meetings];
  return all.length > 0 && all.every((x) => x.isDemo);
}

/** The generated draft's texts in every language of DRAFT_LOCALES; each demonstration line is marked. */
export function composeDraft(material: PeriodMaterial, publicUrl: string, timeZone: string): { title: Translatable; summary: Translatable; body: Translatable } {
  const base = publicUrl.replace(/\/+$/, '');
  const title: Translatable = {};
  const summary: Translatable = {};
  const body: Translatable = {};
  for (const locale of DRAFT_LOCALES) {
    const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
    const period = t('news.draft.period', { from: formatDate(locale, material.from), to: formatDate(locale, material.to) });
    const link = (path: string) => `${base}/${locale}${path}`;
    const cycleName = (n: number, label: Translatable) => pickText(label, locale) || t('news.draft.cycle', { number: n });
    // Demonstration material says so on its line, in the draft's language, so it cannot be published as real.
    const demo = (isDemo: boolean) => (isDemo ? ` ${t('news.draft.demo')}` : '');
    title[locale] = t('news.draft.title', { period });
    summary[locale] = t('news.draft.summary', { period, updates: material.updates.length, reviews: material.reviews.length, meetings: material.meetings.length });
    const blocks: string[] = [t('news.draft.notice'), t('news.draft.intro', { period })];
    const section = (heading: string, lines: string[]) => {
      blocks.push(heading);
      blocks.push(lines.length ? lines.map((l) => `- ${l}`).join('\n') : t('news.draft.none'));
    };
    section(
      t('news.draft.updates'),
      material.updates.map((x) => `${x.code} ${pickText(x.title, locale)} (${cycleName(x.cycle, x.cycleLabel)})${demo(x.isDemo)}: ${link(x.path)}`),
    );
    section(
      t('news.draft.reviews'),
      material.reviews.map((x) => `${x.code} ${pickText(x.title, locale)} (${cycleName(x.cycle, x.cycleLabel)})${demo(x.isDemo)}: ${link(x.path)}`),
    );
    section(
      t('news.draft.meetings'),
      material.meetings.map((m) => `${formatDate(locale, m.startsAt, 'long', timeZone)}, ${pickText(m.title, locale) || translate(locale, `meetings.kind.${m.kind}` as MessageKey)}${demo(m.isDemo)}: ${link(m.path)}`),
    );
    body[locale] = blocks.join('\n\n');
  }
  return { title, summary, body };
}
