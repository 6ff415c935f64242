import type { Executor } from '../../db/database.js';
import { commitmentStatusOf, progressOf } from '../commitments/domain.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { localToUtc } from '../meetings/domain.js';
import { anyDb } from './entities.js';

export const SNAPSHOT_FORMAT = 'besa-open-data-snapshot/1';

/** A reporting cycle whose period has ended: it has a snapshot. */
export interface SnapshotRef {
  jurisdiction: string;
  jurisdictionName: Translatable;
  plan: string;
  planTitle: Translatable;
  cycle: number;
  label: Translatable;
  periodStart: string;
  periodEnd: string;
  isDemo: boolean;
}

/** The cycles that have ended by `today` (their last day is before it), of one jurisdiction or all, by jurisdiction, plan and number. */
export async function listSnapshots(db: Executor, today: string, jurisdictionId?: number): Promise<SnapshotRef[]> {
  let qb = anyDb(db)
    .selectFrom('reporting_cycles as c')
    .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
    .innerJoin('jurisdictions as j', 'j.id', 'p.jurisdiction_id')
    .select(['j.slug as jurisdiction', 'j.name as jname', 'p.slug as plan', 'p.title as ptitle', 'p.is_demo as is_demo', 'c.number as number', 'c.label as label', 'c.period_start as period_start', 'c.period_end as period_end'])
    .where('c.period_end', '<', today)
    .orderBy('j.slug')
    .orderBy('p.starts_on')
    .orderBy('p.slug')
    .orderBy('c.number');
  if (jurisdictionId !== undefined) qb = qb.where('j.id', '=', jurisdictionId);
  const rows = (await qb.execute()) as { jurisdiction: string; jname: string; plan: string; ptitle: string; is_demo: number; number: number; label: string; period_start: string; period_end: string }[];
  return rows.map((r) => ({
    jurisdiction: r.jurisdiction,
    jurisdictionName: parseTranslatable(r.jname),
    plan: r.plan,
    planTitle: parseTranslatable(r.ptitle),
    cycle: Number(r.number),
    label: parseTranslatable(r.label),
    periodStart: r.period_start,
    periodEnd: r.period_end,
    isDemo: Number(r.is_demo) === 1,
  }));
}

export interface SnapshotMilestone {
  id: number;
  code: string;
  title: Translatable;
  due_on: string;
  weight: number;
  /** The status the latest update published by the cycle's end gave it; null: none reported yet. */
  status: string | null;
  completion: string | null;
  update_id: number | null;
  published_at: string | null;
}

export interface Snapshot {
  format: string;
  jurisdiction: string;
  plan: { id: number; slug: string; title: Translatable; is_demo: boolean };
  cycle: { id: number; number: number; label: Translatable; period_start: string; period_end: string; due_on: string };
  /** The instant the state is taken at: the end of the cycle's last day in the jurisdiction's time zone, as a UTC instant. */
  as_of: string;
  commitments: { id: number; code: string; title: Translatable; status: string; progress: number | null; milestones: SnapshotMilestone[] }[];
}

/** The end of an ISO date in a time zone (the next day's local midnight), as a UTC instant. */
function endOfDay(date: string, timeZone: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return localToUtc(d.toISOString().slice(0, 10), '00:00', timeZone);
}

/**
 * The state of a plan's commitments and milestones at the end of one of its reporting cycles,
 * computed from the published history (never stored): each milestone as the latest progress update
 * published by then left it (by publication time); a milestone no update covered by then is "not
 * reported" (null) and counts as not started in the commitment's derived status and progress.
 * Undefined when the jurisdiction, plan or cycle is unknown or the cycle has not ended by `today`.
 */
export async function computeSnapshot(db: Executor, jurisdictionSlug: string, planSlug: string, cycleNumber: number, today: string): Promise<Snapshot | undefined> {
  const any = anyDb(db);
  const head = (await any
    .selectFrom('reporting_cycles as c')
    .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
    .innerJoin('jurisdictions as j', 'j.id', 'p.jurisdiction_id')
    .select(['p.id as plan_id', 'p.slug as plan_slug', 'p.title as plan_title', 'p.is_demo as is_demo', 'c.id as cycle_id', 'c.number as number', 'c.label as label', 'c.period_start as period_start', 'c.period_end as period_end', 'c.due_on as due_on', 'j.time_zone as time_zone'])
    .where('j.slug', '=', jurisdictionSlug)
    .where('p.slug', '=', planSlug)
    .where('c.number', '=', cycleNumber)
    .executeTakeFirst()) as Record<string, string | number> | undefined;
  if (!head || !(String(head.period_end) < today)) return undefined;
  const planId = Number(head.plan_id);
  const asOf = endOfDay(String(head.period_end), String(head.time_zone));

  const commitments = (await any.selectFrom('commitments').select(['id', 'code', 'title']).where('action_plan_id', '=', planId).orderBy('position').orderBy('id').execute()) as { id: number; code: string; title: string }[];
  const milestones = (await any
    .selectFrom('milestones as m')
    .innerJoin('commitments as c', 'c.id', 'm.commitment_id')
    .select(['m.id as id', 'm.commitment_id as commitment_id', 'm.code as code', 'm.title as title', 'm.due_on as due_on', 'm.weight as weight'])
    .where('c.action_plan_id', '=', planId)
    .orderBy('m.commitment_id')
    .orderBy('m.position')
    .orderBy('m.id')
    .execute()) as { id: number; commitment_id: number; code: string; title: string; due_on: string; weight: number }[];
  const reported = (await any
    .selectFrom('progress_update_items as i')
    .innerJoin('progress_updates as u', 'u.id', 'i.update_id')
    .innerJoin('commitments as c', 'c.id', 'u.commitment_id')
    .select(['i.milestone_id as milestone_id', 'i.status as status', 'i.completion as completion', 'u.id as update_id', 'u.published_at as published_at'])
    .where('c.action_plan_id', '=', planId)
    .where('u.status', '=', 'published')
    .where('u.published_at', '<', asOf)
    .orderBy('u.published_at')
    .orderBy('u.id')
    .execute()) as { milestone_id: number; status: string; completion: string; update_id: number; published_at: string }[];
  const latest = new Map<number, (typeof reported)[number]>();
  for (const r of reported) latest.set(Number(r.milestone_id), r);

  const byCommitment = new Map<number, SnapshotMilestone[]>();
  for (const m of milestones) {
    const r = latest.get(Number(m.id));
    const list = byCommitment.get(Number(m.commitment_id)) ?? [];
    list.push({
      id: Number(m.id),
      code: m.code,
      title: parseTranslatable(m.title),
      due_on: m.due_on,
      weight: Number(m.weight),
      status: r?.status ?? null,
      completion: r?.completion ?? null,
      update_id: r ? Number(r.update_id) : null,
      published_at: r?.published_at ?? null,
    });
    byCommitment.set(Number(m.commitment_id), list);
  }
  return {
    format: SNAPSHOT_FORMAT,
    jurisdiction: jurisdictionSlug,
    plan: { id: planId, slug: String(head.plan_slug), title: parseTranslatable(String(head.plan_title)), is_demo: Number(head.is_demo) === 1 },
    cycle: { id: Number(head.cycle_id), number: Number(head.number), label: parseTranslatable(String(head.label)), period_start: String(head.period_start), period_end: String(head.period_end), due_on: String(head.due_on) },
    as_of: asOf,
    commitments: commitments.map((c) => {
      const ms = byCommitment.get(Number(c.id)) ?? [];
      const weighted = ms.map((m) => ({ status: (m.status ?? 'not_started') as never, weight: m.weight }));
      return { id: Number(c.id), code: c.code, title: parseTranslatable(c.title), status: commitmentStatusOf(weighted), progress: progressOf(weighted), milestones: ms };
    }),
  };
}
